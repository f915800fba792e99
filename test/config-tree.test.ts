// Configuration per folder (cli/config-tree.ts): each template is linted with the egress-lint.config.json files of its
// folder and the folders above it, up to the repository root, merged nearest first ("root": true stops the merge);
// the same findings from the repository root, from a subfolder, for files named one by one (pre-commit) and with
// the arguments the GitHub Action passes; paths in each file relative to it; --config for every template; lock
// files, maxWarnings and the worker threads per configuration.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli, scratchDir } from './harness/io.js';
import { LINKED_VNET, linkingTemplate } from './harness/linked-templates.js';

const root = new URL('..', import.meta.url).pathname;
const VM = readFileSync(join(root, 'fixtures/config/vm.json'), 'utf8');
const BASIC = readFileSync(join(root, 'fixtures/config/basic.parameters.json'), 'utf8');
const CONFIG = 'egress-lint.config.json';
const cfg = (value: unknown): string => JSON.stringify(value, null, 2);
/** The fixture's VM under another name, so that a lock file tells the VMs of each folder apart. */
const vmNamed = (name: string): string => VM.replace(/vm-app/g, name);

interface Report {
  files: { path: string }[];
  vms: { id: string; file: string; verdict: string; egress: { name: string; address: string | null }[] }[];
  findings: { file: string; ruleId: string; severity: string; message: string }[];
}

/** The JSON report of a run in `cwd`, with every path relative to the repository `repo`. */
async function lint(repo: string, cwd: string, args: string[], env?: Record<string, string>): Promise<{ code: number; err: string; files: string[]; findings: string[]; vms: Report['vms'] }> {
  const r = env ? await runWithEnv(args, cwd, env) : await runCli([...args, '--format', 'json'], cwd);
  const fromRepo = (f: string): string => relative(repo, resolve(cwd, f)).split('\\').join('/');
  if (!r.out.startsWith('{')) return { code: r.code, err: r.err, files: [], findings: [], vms: [] };
  const report = JSON.parse(r.out) as Report;
  return {
    code: r.code,
    err: r.err,
    files: report.files.map((f) => fromRepo(f.path)),
    findings: report.findings.map((f) => `${fromRepo(f.file)} ${f.ruleId} ${f.severity}`).sort(),
    vms: report.vms.map((v) => ({ ...v, file: fromRepo(v.file) })),
  };
}

async function runWithEnv(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const { main } = await import('../cli/main.js');
  const { capture } = await import('./harness/io.js');
  const c = capture(cwd, env);
  const code = await main([...args, '--format', 'json'], c.io);
  return { code, out: c.out(), err: c.err() };
}

const rgOf = (id: string): string => /\/resourceGroups\/([^/]+)\//.exec(id)?.[1] ?? '';

/**
 * A repository whose root configuration makes retired-sku an error and sets the resource group; teams/a adds a rule
 * level of its own (merged), teams/b says "root": true (the root's file does not apply there); shared/ has none.
 * Every template deploys a Basic, Dynamic public IP: retired-sku and dynamic-public-ip by default.
 */
function monorepo(extra: Record<string, string> = {}): string {
  return scratchDir(
    {
      [CONFIG]: cfg({ rules: { 'retired-sku': 'error' }, scope: { resourceGroup: 'rg-root' }, ignore: ['**/legacy/**'] }),
      'teams/a/main.json': vmNamed('vm-a'),
      'teams/a/main.parameters.json': BASIC,
      [`teams/a/${CONFIG}`]: cfg({ rules: { 'dynamic-public-ip': 'warning' } }),
      'teams/a/legacy/old.json': vmNamed('vm-a-old'),
      'teams/b/main.json': vmNamed('vm-b'),
      'teams/b/main.parameters.json': BASIC,
      [`teams/b/${CONFIG}`]: cfg({ root: true, rules: { 'dynamic-public-ip': 'off' }, scope: { resourceGroup: 'rg-b' } }),
      'teams/b/legacy/old.json': vmNamed('vm-b-old'),
      'shared/main.json': vmNamed('vm-shared'),
      'shared/main.parameters.json': BASIC,
      ...extra,
    },
    true,
  );
}

const MONOREPO_FINDINGS = [
  'shared/main.json dynamic-public-ip error',
  'shared/main.json retired-sku error',
  'teams/a/main.json dynamic-public-ip warning',
  'teams/a/main.json retired-sku error',
  'teams/b/main.json retired-sku warning',
];

const tree = suite('config per folder');

tree('each template gets the nearest files above it, merged; "root": true stops the merge', async () => {
  const repo = monorepo();
  const r = await lint(repo, repo, ['.']);
  assert.equal(r.findings, MONOREPO_FINDINGS, r.err);
  assert.equal(r.files, ['shared/main.json', 'teams/a/main.json', 'teams/b/legacy/old.json', 'teams/b/main.json'], 'the root ignores **/legacy/**, except below teams/b');
  const rg = Object.fromEntries(r.vms.map((v) => [v.file, rgOf(v.id)]));
  assert.equal(rg, { 'shared/main.json': 'rg-root', 'teams/a/main.json': 'rg-root', 'teams/b/legacy/old.json': 'rg-b', 'teams/b/main.json': 'rg-b' });
});

tree('the same findings from the repository root, from a subfolder, and for files named one by one', async () => {
  const repo = monorepo();
  const whole = await lint(repo, repo, ['.']);
  const fromTeams = await lint(repo, join(repo, 'teams'), ['.']);
  assert.equal(fromTeams.findings, whole.findings.filter((f) => f.startsWith('teams/')));
  for (const team of ['a', 'b']) {
    const own = whole.findings.filter((f) => f.startsWith(`teams/${team}/`));
    assert.equal((await lint(repo, join(repo, 'teams', team), ['.'])).findings, own, `from teams/${team}`);
    assert.equal((await lint(repo, join(repo, 'teams', team), ['main.json'])).findings, own, `main.json named in teams/${team}`);
    assert.equal((await lint(repo, repo, [`teams/${team}/main.json`])).findings, own, `teams/${team}/main.json named at the root`);
  }
  // From another subfolder, with relative paths that leave it.
  assert.equal((await lint(repo, join(repo, 'shared'), ['../teams/a', '.'])).findings, whole.findings.filter((f) => !f.startsWith('teams/b/')));
});

tree('as pre-commit runs it: the changed files named from the repository root, other JSON files among them', async () => {
  const repo = monorepo({ 'package.json': '{ "name": "x" }' });
  const r = await runCli(['teams/a/main.json', 'teams/a/legacy/old.json', 'teams/b/main.parameters.json', 'package.json'], repo);
  assert.is(r.code, 1, r.err);
  assert.match(r.err, /teams\/a\/legacy\/old\.json: skipped: it matches an ignore glob/);
  const json = await lint(repo, repo, ['teams/a/main.json', 'teams/a/legacy/old.json', 'teams/b/main.parameters.json', 'package.json']);
  assert.equal(json.findings, MONOREPO_FINDINGS.filter((f) => f.startsWith('teams/')));
});

tree('as the GitHub Action runs it: from the workspace root, reports to files, paths after --', async () => {
  const repo = monorepo();
  const r = await runCli(['--format', 'stylish', '--report', 'sarif=egress-lint.sarif', '--report', 'json=egress-lint.json', '--', '.'], repo);
  assert.is(r.code, 1, r.err);
  const json = JSON.parse(readFileSync(join(repo, 'egress-lint.json'), 'utf8')) as Report;
  assert.equal(json.findings.map((f) => `${f.file} ${f.ruleId} ${f.severity}`).sort(), MONOREPO_FINDINGS);
  const sarif = JSON.parse(readFileSync(join(repo, 'egress-lint.sarif'), 'utf8')) as { runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  const levels = sarif.runs[0].results.map((x) => `${x.locations[0].physicalLocation.artifactLocation.uri} ${x.ruleId} ${x.level}`).sort();
  assert.equal(levels, MONOREPO_FINDINGS);
});

tree('a configuration that ignores files below it, also when they are named', async () => {
  const repo = monorepo({ [`teams/a/${CONFIG}`]: cfg({ ignore: ['generated/**'] }), 'teams/a/generated/x.json': VM });
  assert.not.ok((await lint(repo, repo, ['.'])).files.includes('teams/a/generated/x.json'));
  assert.not.ok((await lint(repo, join(repo, 'teams/a'), ['.'])).files.includes('teams/a/generated/x.json'));
  const named = await lint(repo, repo, ['teams/a/generated/x.json', 'shared/main.json']);
  assert.equal(named.files, ['shared/main.json']);
  assert.match(named.err, /teams\/a\/generated\/x\.json: skipped: it matches an ignore glob of its configuration/);
  // Only below it: the same name elsewhere is linted.
  const elsewhere = monorepo({ [`teams/a/${CONFIG}`]: cfg({ ignore: ['generated/**'] }), 'shared/generated/x.json': VM });
  assert.ok((await lint(elsewhere, elsewhere, ['.'])).files.includes('shared/generated/x.json'));
  // Nothing left to lint in a searched folder: exit 2, as with --ignore.
  const all = await lint(repo, join(repo, 'teams/a'), ['generated']);
  assert.is(all.code, 2);
  assert.match(all.err, /No ARM templates found in generated/);
});

tree('paths in a configuration are relative to its folder: parameters, inventory, linked templates', async () => {
  const inventory = readFileSync(join(root, 'fixtures/inventory/public-ip-list.json'), 'utf8');
  const existing = readFileSync(join(root, 'fixtures/inventory/templates/existing-public-ip.json'), 'utf8');
  const repo = scratchDir(
    {
      'teams/c/main.json': VM,
      'teams/c/params/prod.json': BASIC,
      [`teams/c/${CONFIG}`]: cfg({ parameters: { 'main.json': 'params/prod.json' } }),
      'teams/d/app.json': existing,
      'teams/d/inventory/pips.json': inventory,
      [`teams/d/${CONFIG}`]: cfg({ scope: { subscriptionId: '11111111-1111-1111-1111-111111111111', resourceGroup: 'rg-app' }, inventory: ['inventory/pips.json'] }),
      'teams/e/main.json': linkingTemplate({ uri: 'https://raw.githubusercontent.com/org/net/main/templates/vnet.json' }),
      'teams/e/vendor/templates/vnet.json': LINKED_VNET,
      [`teams/e/${CONFIG}`]: cfg({ links: { 'https://raw.githubusercontent.com/org/net/main/': 'vendor' } }),
    },
    true,
  );
  const r = await lint(repo, repo, ['.']);
  assert.equal(r.findings.filter((f) => f.startsWith('teams/c/')), ['teams/c/main.json dynamic-public-ip error', 'teams/c/main.json retired-sku warning'], 'the parameter file of teams/c');
  const byFile = Object.fromEntries(r.vms.map((v) => [v.file, v]));
  assert.equal(byFile['teams/d/app.json'].egress.map((e) => [e.name, e.address]), [['pip-app', '203.0.113.10']], 'the inventory of teams/d');
  assert.is(byFile['teams/d/app.json'].verdict, 'deterministic');
  assert.equal(byFile['teams/e/main.json'].egress.map((e) => e.name), ['pip-nat'], 'the linked template of teams/e');
  assert.not.ok(r.files.includes('teams/d/inventory/pips.json'));
  // The same from each folder.
  for (const team of ['c', 'd', 'e']) {
    const own = await lint(repo, join(repo, 'teams', team), ['.']);
    assert.equal(own.findings, r.findings.filter((f) => f.startsWith(`teams/${team}/`)), `teams/${team}`);
    assert.equal(own.vms.map((v) => [v.file, v.verdict]), r.vms.filter((v) => v.file.startsWith(`teams/${team}/`)).map((v) => [v.file, v.verdict]));
  }
});

tree('a parameter file a configuration names that does not exist stops the run, naming the configuration', async () => {
  const repo = scratchDir({ 'teams/c/main.json': VM, [`teams/c/${CONFIG}`]: cfg({ parameters: { '*.json': 'params/prod.json' } }) }, true);
  const r = await runCli(['.'], repo);
  assert.is(r.code, 2);
  assert.is(r.err, 'egress-lint: teams/c/egress-lint.config.json: parameters["*.json"] names the parameter file teams/c/params/prod.json, which does not exist.\n');
});

tree('--config applies one file to every template, whatever the folders hold', async () => {
  const repo = monorepo({ 'ci/strict.json': cfg({ rules: { 'retired-sku': 'off' } }) });
  const r = await lint(repo, repo, ['.', '--config', 'ci/strict.json']);
  assert.equal(r.findings, ['shared/main.json dynamic-public-ip error', 'teams/a/main.json dynamic-public-ip error', 'teams/b/main.json dynamic-public-ip error']);
  assert.ok(r.files.includes('teams/a/legacy/old.json'), 'the root file\'s ignore does not apply either');
  assert.equal(r.vms.map((v) => rgOf(v.id)).filter((g) => g !== 'resource-group'), [], 'no folder scope applies');
  // The same from a subfolder, with the path relative to it.
  const sub = await lint(repo, join(repo, 'teams/b'), ['.', '--config', '../../ci/strict.json']);
  assert.equal(sub.findings, ['teams/b/main.json dynamic-public-ip error']);
});

tree('the flags override each folder\'s configuration', async () => {
  const repo = monorepo();
  const r = await lint(repo, repo, ['.', '--rule', 'dynamic-public-ip=note', '--resource-group', 'rg-flag']);
  assert.equal(r.findings, [
    'shared/main.json dynamic-public-ip note',
    'shared/main.json retired-sku error',
    'teams/a/main.json dynamic-public-ip note',
    'teams/a/main.json retired-sku error',
    'teams/b/main.json dynamic-public-ip note',
    'teams/b/main.json retired-sku warning',
  ]);
  assert.equal([...new Set(r.vms.map((v) => rgOf(v.id)))], ['rg-flag']);
});

tree('a bad configuration in a subfolder stops the run when a template below it is linted, naming it', async () => {
  const repo = monorepo({ [`teams/a/${CONFIG}`]: '{ "rules": { "retired-sku": "loud" } }' });
  const r = await runCli(['.'], repo);
  assert.is(r.code, 2);
  assert.is(r.err, 'egress-lint: teams/a/egress-lint.config.json: rules.retired-sku must be one of error, warning, note, off\n');
  assert.is((await runCli(['shared'], repo)).code, 1, 'a run that lints nothing below it is not stopped');
});

tree('the worker threads lint each template with its own configuration', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 6; i++) {
    files[`teams/a/t${i}.json`] = VM;
    files[`teams/a/t${i}.parameters.json`] = BASIC;
    files[`teams/b/t${i}.json`] = VM;
    files[`teams/b/t${i}.parameters.json`] = BASIC;
  }
  const repo = monorepo(files);
  const one = await lint(repo, repo, ['.'], { EGRESS_LINT_WORKERS: '1' });
  const three = await lint(repo, repo, ['.'], { EGRESS_LINT_WORKERS: '3' });
  assert.equal(three.findings, one.findings);
  assert.equal(three.vms, one.vms);
  assert.ok(one.findings.includes('teams/a/t5.json dynamic-public-ip warning') && one.findings.includes('teams/b/t5.json retired-sku warning') && !one.findings.includes('teams/b/t5.json dynamic-public-ip error'));
});

tree.run();

const policy = suite('config per folder: lock files, maxWarnings, allow');

policy('each folder\'s lock file: written by lock, compared by every run, from the root and from the folder', async () => {
  const repo = monorepo({ [`teams/a/${CONFIG}`]: cfg({ lock: 'egress.lock.json' }), [`teams/b/${CONFIG}`]: cfg({ root: true, lock: 'b.lock.json' }) });
  const locked = await runCli(['lock', '.'], repo);
  assert.is(locked.code, 0, locked.err);
  assert.match(locked.out, /^Wrote egress\.lock\.json: 1 VM in 1 template\.\n {2}vm-shared \(shared\/main\.json\)/m);
  assert.match(locked.out, /^Wrote teams\/a\/egress\.lock\.json: 1 VM in 1 template\.\n {2}vm-a \(main\.json\)/m);
  assert.match(locked.out, /^Wrote teams\/b\/b\.lock\.json: 2 VMs in 2 templates\.\n {2}vm-b-old \(legacy\/old\.json\)/m);
  const lockA = JSON.parse(readFileSync(join(repo, 'teams/a/egress.lock.json'), 'utf8')) as { vms: Record<string, { file: string }> };
  assert.equal(Object.values(lockA.vms).map((v) => v.file), ['main.json'], 'paths in a lock file are relative to it');
  // Nothing changed: no egress-changed anywhere.
  assert.not.ok((await lint(repo, repo, ['.'])).findings.some((f) => f.includes('egress-changed')));
  // teams/a's template changes its egress: its own lock file says so, from the root and from teams/a.
  writeFileSync(join(repo, 'teams/a/main.json'), vmNamed('vm-a').replace(/pip-app/g, 'pip-other'));
  const changed = ['teams/a/main.json egress-changed error'];
  assert.equal((await lint(repo, repo, ['.'])).findings.filter((f) => f.includes('egress-changed')), changed);
  assert.equal((await lint(repo, join(repo, 'teams/a'), ['.'])).findings.filter((f) => f.includes('egress-changed')), changed);
  const md = await runCli(['.', '--format', 'markdown'], repo);
  assert.match(md.out, /## Egress changes against teams\/a\/egress\.lock\.json and teams\/b\/b\.lock\.json\n\n1 VM with other egress/);
  assert.match((await runCli(['.'], repo)).out, /differs from teams\/a\/egress\.lock\.json/);
  // --lock names one lock file for every template.
  const flag = await lint(repo, repo, ['.', '--lock', 'teams/a/egress.lock.json']);
  assert.equal(flag.findings.filter((f) => f.includes('egress-changed')), ['shared/main.json egress-changed error', 'teams/a/main.json egress-changed error', 'teams/b/legacy/old.json egress-changed error', 'teams/b/main.json egress-changed error'], 'only vm-a is in that lock file');
});

policy('lock: a template whose configuration now names another lock file leaves the old one', async () => {
  const repo = monorepo();
  assert.is((await runCli(['lock', '.'], repo)).code, 0);
  const before = JSON.parse(readFileSync(join(repo, 'egress.lock.json'), 'utf8')) as { vms: Record<string, { file: string }> };
  assert.equal(Object.values(before.vms).map((v) => v.file).sort(), ['shared/main.json', 'teams/a/main.json', 'teams/b/legacy/old.json', 'teams/b/main.json']);
  writeFileSync(join(repo, `teams/a/${CONFIG}`), cfg({ lock: 'egress.lock.json' }));
  assert.is((await runCli(['lock', '.'], repo)).code, 0);
  const after = JSON.parse(readFileSync(join(repo, 'egress.lock.json'), 'utf8')) as { vms: Record<string, { file: string }> };
  assert.equal(Object.values(after.vms).map((v) => v.file).sort(), ['shared/main.json', 'teams/b/legacy/old.json', 'teams/b/main.json']);
});

policy('maxWarnings counts the warnings of the templates its file applies to', async () => {
  const repo = monorepo({ [`teams/b/${CONFIG}`]: cfg({ root: true, rules: { 'dynamic-public-ip': 'off' }, maxWarnings: 0 }) });
  const r = await runCli(['teams', '--rule', 'retired-sku=warning', '--rule', 'dynamic-public-ip=warning'], repo);
  assert.is(r.code, 1);
  assert.match(r.err, /^egress-lint: 2 warnings exceed the maximum of 0 \(maxWarnings in teams\/b\/egress-lint\.config\.json\)\.$/m);
  assert.not.match(r.err, /teams\/a/, 'teams/a has no maximum');
  assert.is((await runCli(['teams/a', '--rule', 'retired-sku=warning', '--rule', 'dynamic-public-ip=warning'], repo)).code, 0);
  assert.is((await runCli(['teams', '--rule', 'retired-sku=warning', '--rule', 'dynamic-public-ip=warning', '--max-warnings', '9'], repo)).code, 0, '--max-warnings counts the whole run instead');
});

policy('allow: the nearest file that sets it, not added up', async () => {
  const repo = scratchDir({ [CONFIG]: cfg({ allow: ['pip-app'] }), [`teams/a/${CONFIG}`]: cfg({ allow: ['pip-elsewhere'] }), 'teams/a/main.json': vmNamed('vm-a'), 'teams/b/main.json': vmNamed('vm-b'), 'shared/main.json': vmNamed('vm-shared') }, true);
  const r = await lint(repo, repo, ['.']);
  assert.equal(r.findings, ['teams/a/main.json egress-not-allowed error']);
  assert.equal((await lint(repo, join(repo, 'teams/a'), ['.'])).findings, r.findings);
  // An empty list ends the allow-list from above.
  writeFileSync(join(repo, `teams/a/${CONFIG}`), cfg({ allow: [] }));
  assert.equal((await lint(repo, repo, ['.'])).findings, []);
});

policy.run();
