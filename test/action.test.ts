// The GitHub Action as a workflow runs it: action.yml is read, and its steps run on a simulated runner
// (test/harness/runner.ts: `run:` scripts with bash, `${{ }}` and `if:` evaluated, actions/cache played in memory,
// GITHUB_ACTION_PATH = a checkout with a fresh build, GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
// RUNNER_TEMP); then the annotations in the log, the outputs, the files, the summary, the comment and the exit
// status are checked. The whole corpus goes through it in test/action-corpus.test.ts.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { builtPackage } from './harness/package.js';
import { CacheStore, annotations, brokenMarkdown, readYaml, runSteps } from './harness/runner.js';
import type { Action, Outcome } from './harness/runner.js';

const root = new URL('..', import.meta.url).pathname;
const actionText = readFileSync(join(root, 'action.yml'), 'utf8');
const action = readYaml(actionText) as unknown as Action;

/** A checkout of the action as `uses:` makes it: this repository's scripts, plus dist/ from a fresh build (or not). */
function actionCheckout(withDist = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'egress-lint-action-'));
  symlinkSync(join(root, 'scripts'), join(dir, 'scripts'), 'dir');
  if (withDist) symlinkSync(join(builtPackage(), 'dist'), join(dir, 'dist'), 'dir');
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const f of ['package.json', 'package-lock.json', 'action.yml']) copyFileSync(join(root, f), join(dir, f));
  return dir;
}

let checkout: string | undefined;

/** Every file below a folder, relative to it. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** Runs the action's steps in a workspace holding `files`, like a workflow step `uses: ./` `with: given`. */
function runAction(files: Record<string, string>, given: Record<string, string> = {}, env: Record<string, string> = {}, prepare?: (workspace: string) => void): Outcome & { added: string[] } {
  checkout ??= actionCheckout();
  const workspace = join(mkdtempSync(join(tmpdir(), 'egress-lint-workspace-')), 'workspace');
  mkdirSync(join(workspace, '.git'), { recursive: true });
  for (const [to, from] of Object.entries(files)) {
    mkdirSync(dirname(join(workspace, to)), { recursive: true });
    if (from.startsWith('fixtures/')) copyFileSync(join(root, from), join(workspace, to));
    else writeFileSync(join(workspace, to), from);
  }
  prepare?.(workspace);
  const before = new Set(filesBelow(workspace));
  const o = runSteps(action, { checkout, workspace, inputs: given, env });
  return { ...o, added: filesBelow(workspace).filter((f) => !before.has(f) && !f.startsWith('.git/')) };
}

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

const PASSING = { 'infra/main.json': 'fixtures/config/vm.json' };
const FAILING = { 'infra/main.json': 'fixtures/config/vm.json', 'infra/main.parameters.json': 'fixtures/config/basic.parameters.json' };
const WARNING = { 'infra/main.json': 'fixtures/config/vm.json', 'infra/main.parameters.json': 'fixtures/config/basic-static.parameters.json' };
const COUNT_OUTPUTS = ['errors', 'warnings', 'unknown-vms', 'changed-vms'];
const counts = (o: Outcome) => Object.fromEntries(COUNT_OUTPUTS.map((k) => [k, o.outputs[k]]));

// ---- action.yml ----------------------------------------------------------------------------------------------------
const yml = suite('action.yml');

yml('a composite action: bash scripts from scripts/action, and actions/cache pinned to a commit with its version', () => {
  assert.is(action.name, 'egress-lint');
  assert.is(action.runs.using, 'composite');
  const runs = action.runs.steps.filter((s) => s.run !== undefined);
  assert.equal(runs.map((s) => s.run), ['bash "$GITHUB_ACTION_PATH/scripts/action/setup.sh" check', 'bash "$GITHUB_ACTION_PATH/scripts/action/setup.sh"', 'bash "$GITHUB_ACTION_PATH/scripts/action/run.sh"']);
  for (const s of runs) {
    assert.is(s.shell, 'bash');
    assert.ok(existsSync(join(root, s.run!.replace(/^bash "\$GITHUB_ACTION_PATH\/([^"]*)".*$/, '$1'))), s.run);
  }
  assert.equal(action.runs.steps.filter((s) => s.uses).map((s) => s.uses!.replace(/@.*/, '')), ['actions/cache/restore', 'actions/cache/save']);
  // Pinned to a full commit (a tag can be moved), with the release it is in a comment, as actions/cache v5.0.5.
  const pins = [...actionText.matchAll(/^\s+uses: (\S+)@(\S+)(.*)$/gm)];
  assert.is(pins.length, 2);
  for (const p of pins) {
    assert.match(p[2], /^[0-9a-f]{40}$/, `${p[1]} pinned to a commit`);
    assert.match(p[3], /^ # v\d+\.\d+\.\d+$/, `${p[1]} names its version`);
  }
  assert.is(new Set(pins.map((p) => p[2])).size, 1, 'restore and save from the same release');
});

yml('inputs: each described, each read by the lint step or by an if: of the cache steps', () => {
  assert.equal(Object.keys(action.inputs), ['paths', 'config', 'format', 'fail-level', 'annotations', 'sarif-file', 'json-file', 'egress-list-file', 'base', 'cache']);
  assert.equal(Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default])), {
    paths: '.',
    config: '',
    format: 'stylish',
    'fail-level': 'error',
    annotations: 'true',
    'sarif-file': '',
    'json-file': '',
    'egress-list-file': '',
    base: '',
    cache: 'true',
  });
  const lint = action.runs.steps.find((s) => s.id === 'lint');
  const conditions = action.runs.steps.map((s) => s.if ?? '').join('\n');
  for (const [name, spec] of Object.entries(action.inputs)) {
    assert.ok(spec.description.length > 10, `${name} is described`);
    const env = lint?.env?.[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`];
    assert.ok(env === `\${{ inputs.${name} }}` || conditions.includes(`inputs.${name} ==`), `${name} reaches the lint step or a condition`);
  }
  const script = readFileSync(join(root, 'scripts/action/run.sh'), 'utf8');
  for (const name of Object.keys(lint?.env ?? {})) assert.ok(script.includes(name), `run.sh reads ${name}`);
});

yml('outputs: the report paths and the counts, each described, each from the lint step', () => {
  const names = ['sarif', 'egress-json', 'egress-list', 'comment', ...COUNT_OUTPUTS];
  assert.equal(Object.keys(action.outputs), names);
  for (const [name, spec] of Object.entries(action.outputs)) {
    assert.is(spec.value, `\${{ steps.lint.outputs.${name} }}`);
    assert.ok(spec.description.length > 10, `${name} is described`);
  }
});

yml('the reader: what it understands, and what it rejects', () => {
  assert.throws(() => readYaml('a: [1, 2]\n'), /plain one-line scalars/);
  assert.throws(() => readYaml('a: >\n  text\n'), /plain one-line scalars/);
  assert.throws(() => readYaml('a: b\n    c: d\n'), /unexpected indentation/);
  assert.equal(readYaml('a:\n  - b: "x"\n    c: \'y\'\n  - b: z # comment\nd:\n  - e\n  - "f #"\n'), { a: [{ b: 'x', c: 'y' }, { b: 'z' }], d: ['e', 'f #'] });
  assert.equal(readYaml('s:\n  - run: |\n      one\n\n      # two\n        three\n    env: x\n'), { s: [{ run: 'one\n\n# two\n  three\n', env: 'x' }] });
});

yml.run();

// ---- running it --------------------------------------------------------------------------------------------------
const run = suite('action: steps run as a workflow runs them');

run('a passing template: exit 0, reports under RUNNER_TEMP (the workspace is left as it was), counts 0, summary and comment', () => {
  const o = runAction(PASSING);
  assert.is(o.code, 0, o.log);
  assert.match(o.log, /egress-lint: using the build in /);
  assert.match(o.log, /infra\/main\.json\n {2}vm-app \(virtualMachines, line \d+\) {2}deterministic/);
  assert.equal(o.added, [], 'nothing written into the workspace');
  for (const name of ['sarif', 'egress-json', 'egress-list', 'comment']) {
    assert.ok(o.outputs[name].startsWith(o.temp + '/'), `${name} under RUNNER_TEMP: ${o.outputs[name]}`);
    assert.ok(existsSync(o.outputs[name]), name);
  }
  assert.equal(counts(o), { errors: '0', warnings: '0', 'unknown-vms': '0', 'changed-vms': '0' });
  const sarif = read(o.outputs.sarif);
  assert.is(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0].results, []);
  assert.equal(read(o.outputs['egress-json']).vms.map((v: { name: string; verdict: string }) => `${v.name} ${v.verdict}`), ['vm-app deterministic']);
  assert.match(readFileSync(o.outputs['egress-list'], 'utf8'), /pip-app/);
  assert.match(o.summary, /\| vm-app \| ✅ deterministic \|/);
  const comment = readFileSync(o.outputs.comment, 'utf8');
  assert.ok(comment.startsWith('<!-- egress-lint -->\n\n# egress-lint\n'), comment.slice(0, 80));
  assert.match(comment, /\n\nThe \[job summary of run 4242\]\(https:\/\/github\.com\/octo-org\/infra\/actions\/runs\/4242\) shows the whole report\.\n$/);
  assert.equal(annotations(o.log), []);
});

run('a failing template: exit 1, one annotation per finding (errors first), with path, range, title and help', () => {
  const o = runAction(FAILING);
  assert.is(o.code, 1, o.log);
  assert.match(o.log, /error +'vm-app' sends Internet traffic through public IP 'pip-app', whose allocation is Dynamic/);
  const report = read(o.outputs['egress-json']);
  const found = annotations(o.log);
  assert.equal(found.map((a) => `${a.command} ${a.properties.title}`), ['error egress-lint (dynamic-public-ip)', 'warning egress-lint (retired-sku)']);
  for (const a of found) {
    const f = report.findings.find((x: { message: string }) => a.message.startsWith(`${x.message}\nhelp: `));
    assert.ok(f, `an annotation per finding: ${a.line}`);
    assert.equal(a.properties.file, 'infra/main.json');
    assert.is(a.properties.line, String(f.line));
    assert.is(a.properties.col, String(f.column));
    assert.match(a.message, new RegExp(`\\nhttps://github\\.com/egress-lint/egress-lint/blob/main/rules/${f.ruleId}\\.md$`));
  }
  assert.equal(counts(o), { errors: '1', warnings: '1', 'unknown-vms': '0', 'changed-vms': '0' });
  const ids = read(o.outputs.sarif).runs[0].results.map((r: { ruleId: string }) => r.ruleId);
  assert.equal(ids.sort(), ['dynamic-public-ip', 'retired-sku']);
  assert.match(o.summary, /\[dynamic-public-ip\]/);
  assert.match(readFileSync(o.outputs.comment, 'utf8'), /<details><summary>Findings: 1 error, 1 warning<\/summary>/);
});

run('annotations: at most 10 of each kind, most severe first, and the log says how many were left out', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 12; i++) {
    files[`t${String(i).padStart(2, '0')}/main.json`] = FAILING['infra/main.json'];
    files[`t${String(i).padStart(2, '0')}/main.parameters.json`] = FAILING['infra/main.parameters.json'];
  }
  // Notes too: a NAT gateway with two IPs is a multiple-egress-ips note.
  for (let i = 0; i < 12; i++) files[`n${String(i).padStart(2, '0')}/main.json`] = 'fixtures/rules/multiple-egress-ips/fail-nat-gateway-two-ips.json';
  const o = runAction(files);
  assert.is(o.code, 1, o.log);
  const found = annotations(o.log);
  const kinds = found.map((a) => a.command);
  const errors = Number(o.outputs.errors);
  const warnings = Number(o.outputs.warnings);
  assert.ok(errors > 10 && warnings > 10, `enough to cap: ${errors} errors, ${warnings} warnings`);
  assert.equal(kinds, [...Array(10).fill('error'), ...Array(10).fill('warning'), ...Array(10).fill('notice')]);
  assert.match(o.log, new RegExp(`^egress-lint: ${errors - 10} of ${errors} errors, ${warnings - 10} of ${warnings} warnings, 2 of 12 notes are not annotated \\(GitHub shows 10 of each kind per step\\); every finding is in the SARIF and JSON reports and the Markdown summary\\.$`, 'm'));
  assert.is(read(o.outputs.sarif).runs[0].results.length >= errors + warnings, true, 'the SARIF file has them all');
});

run('annotations: notices for notes; a path with , : and %, and messages with quotes and pipes, escaped as the toolkit does', () => {
  const odd = 'infra/odd,name:100%.json';
  const o = runAction({ [odd]: 'fixtures/formatters/multi-nic-suppressed/input.json', 'egress-lint.config.json': '{ "rules": { "implicit-lb-snat": "note" } }' });
  assert.is(o.code, 1, o.log);
  const found = annotations(o.log);
  assert.equal(found.map((a) => a.command).sort(), ['error', 'notice']);
  for (const a of found) {
    assert.is(a.properties.file, odd);
    assert.match(a.line, /file=infra\/odd%2Cname%3A100%25\.json,/, 'the path escaped as a property');
    assert.not.match(a.line.slice(a.line.indexOf('::', 2) + 2), /[\r\n]/);
  }
  const report = read(o.outputs['egress-json']);
  const notice = found.find((a) => a.command === 'notice')!;
  const f = report.findings.find((x: { severity: string }) => x.severity === 'note');
  assert.ok(notice.message.startsWith(`${f.message}\nhelp: `), notice.message);
  assert.match(notice.message, /'pip-lb "edge", 1\|<b>#'/, 'the odd name as the template has it');
});

run('annotations: false leaves them out; format github prints them once; a bad value stops the step', () => {
  assert.equal(annotations(runAction(FAILING, { annotations: 'false' }).log), []);
  const gh = runAction(FAILING, { format: 'github' });
  assert.is(gh.code, 1);
  assert.is(annotations(gh.log).length, 2);
  const bad = runAction(FAILING, { annotations: 'yes' });
  assert.is(bad.code, 2);
  assert.match(bad.log, /::error title=egress-lint::annotations must be true or false, not 'yes'/);
});

run('unknown-vms counts the workloads whose egress is unknown', () => {
  const o = runAction({ 'infra/main.json': 'fixtures/formatters/unknown-and-no-egress/input.json' });
  const report = read(o.outputs['egress-json']);
  const unknown = report.vms.filter((v: { verdict: string }) => v.verdict === 'unknown').length;
  assert.ok(unknown >= 1);
  assert.is(o.outputs['unknown-vms'], String(unknown));
  assert.is(o.outputs.warnings, String(report.findings.filter((f: { severity: string }) => f.severity === 'warning').length));
});

run('fail-level: never passes a failing template; warning fails on a warning that error lets through', () => {
  assert.is(runAction(FAILING, { 'fail-level': 'never' }).code, 0);
  assert.is(runAction(WARNING).code, 0);
  const w = runAction(WARNING, { 'fail-level': 'warning' });
  assert.is(w.code, 1);
  assert.match(w.log, /1 warnings exceed the maximum of 0/);
  const bad = runAction(PASSING, { 'fail-level': 'sometimes' });
  assert.is(bad.code, 2);
  assert.match(bad.log, /::error title=egress-lint::fail-level must be error, warning or never/);
});

run('could not lint (exit 2) fails the step whatever the fail level, without outputs', () => {
  const o = runAction(PASSING, { paths: 'nope', 'fail-level': 'never' });
  assert.is(o.code, 2);
  assert.match(o.log, /No such file or folder: nope/);
  assert.match(o.log, /::error title=egress-lint::egress-lint could not lint \(exit code 2\)/);
  assert.equal(Object.values(o.outputs).filter(Boolean), []);
});

run('inputs: several paths and a glob (not expanded by bash), a config file, report paths in the workspace, the json log', () => {
  const files = { ...FAILING, 'app/main.json': 'fixtures/config/vm.json', 'other/x.json': 'fixtures/config/vm.json', 'ci/egress.json': '{ "rules": { "dynamic-public-ip": "off", "retired-sku": "off" } }' };
  const o = runAction(files, { paths: 'infra\napp/*.json', config: 'ci/egress.json', format: 'json', 'sarif-file': 'out/e.sarif', 'json-file': 'out/json/e.json', 'egress-list-file': 'out/egress.txt' });
  assert.is(o.code, 0, o.log);
  assert.equal(o.added, ['out/e.sarif', 'out/egress.txt', 'out/json/e.json']);
  assert.equal([o.outputs.sarif, o.outputs['egress-json'], o.outputs['egress-list']], ['out/e.sarif', 'out/json/e.json', 'out/egress.txt']);
  assert.equal(read(join(o.workspace, 'out/json/e.json')).files.map((f: { path: string }) => f.path), ['app/main.json', 'infra/main.json']);
  assert.is(read(join(o.workspace, 'out/e.sarif')).version, '2.1.0');
  assert.match(o.log, /"version": 1/, 'the log shows the json format');
});

run('without GITHUB_STEP_SUMMARY there is no summary but a comment; without a markdown format, neither, and the run goes on', () => {
  const plain = runAction(PASSING, {}, { GITHUB_STEP_SUMMARY: '' });
  assert.is(plain.code, 0);
  assert.is(plain.summary, '');
  assert.ok(existsSync(plain.outputs.comment));
  // An older build whose help lists no 'markdown' format.
  const old = mkdtempSync(join(tmpdir(), 'egress-lint-old-'));
  mkdirSync(join(old, 'cli'), { recursive: true });
  const help = "if (process.argv.includes('--help')) { console.log('-f, --format <name>  stylish (default), json or sarif'); process.exit(0); }";
  writeFileSync(join(old, 'cli/bin.js'), `${help}\nawait import(${JSON.stringify(join(builtPackage(), 'dist/cli/bin.js'))});\n`);
  writeFileSync(join(old, 'package.json'), '{ "type": "module" }\n');
  const o = runAction(PASSING, {}, { EGRESS_LINT_BIN: join(old, 'cli/bin.js') });
  assert.is(o.code, 0, o.log);
  assert.match(o.log, /::notice title=egress-lint::this egress-lint has no markdown format; the step summary and the comment are skipped/);
  assert.is(o.summary, '');
  assert.is(o.outputs.comment, '');
  assert.ok(existsSync(o.outputs.sarif));
});

run('base: the egress is compared with a commit; changed-vms, the summary and the comment show it first', () => {
  const git = (cwd: string, ...args: string[]) => spawnSync('git', ['-c', 'user.name=egress-lint test', '-c', 'user.email=test@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  const o = runAction({ 'infra/main.json': 'fixtures/lock/web-1.json', 'other/main.json': 'fixtures/config/vm.json', 'other/main.parameters.json': 'fixtures/config/basic.parameters.json' }, { base: 'HEAD', paths: 'infra other' }, {}, (ws) => {
    rmSync(join(ws, '.git'), { recursive: true });
    for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-qm', 'one']]) assert.is(git(ws, ...args).status, 0);
    copyFileSync(join(root, 'fixtures/lock/web-2.json'), join(ws, 'infra/main.json'));
  });
  assert.is(o.code, 1, o.log);
  assert.is(o.outputs['changed-vms'], '1');
  assert.match(o.log, /The egress of 'vm-web' differs from base HEAD: \+ pip-nat, - pip-vm1\./);
  for (const text of [o.summary, readFileSync(o.outputs.comment, 'utf8')]) {
    assert.match(text, /## Egress changes against base HEAD\n\n1 VM with other egress than base HEAD/);
    assert.match(text, /- \*\*vm-web\*\*: \+ pip-nat, - pip-vm1 \(infra\/main\.json\)/);
    // other/ comes first in the files, but infra/ holds the changed VM: its section comes first.
    assert.ok(text.indexOf('## infra/main.json') < text.indexOf('## other/main.json'), 'the changed VM first');
  }
  // Without the commit (a shallow checkout), the step cannot lint, and says how to fetch it.
  const shallow = runAction({ 'infra/main.json': 'fixtures/lock/web-1.json' }, { base: 'origin/main', paths: 'infra' }, {}, (ws) => {
    rmSync(join(ws, '.git'), { recursive: true });
    for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-qm', 'one']]) assert.is(git(ws, ...args).status, 0);
  });
  assert.is(shallow.code, 2, shallow.log);
  assert.match(shallow.log, /--base origin\/main: git knows no commit by that name .*fetch-depth: 0/);
});

run('the comment stays under 65,536 characters with the marker and the link, the summary under 1 MiB, both whole', () => {
  // 60 templates with long names: far more than a comment holds.
  const files: Record<string, string> = {};
  for (let i = 0; i < 60; i++) files[`infra/a-rather-long-folder-name-for-template-number-${String(i).padStart(3, '0')}/main.json`] = 'fixtures/formatters/multi-nic-suppressed/input.json';
  const o = runAction(files, { 'fail-level': 'never' });
  assert.is(o.code, 0, o.log);
  const comment = readFileSync(o.outputs.comment, 'utf8');
  assert.ok(comment.length <= 65_536 && Buffer.byteLength(comment) <= 65_536, `${comment.length} characters, ${Buffer.byteLength(comment)} bytes`);
  assert.ok(comment.length > 60_000, 'and uses its room');
  assert.match(comment, /\n\*\*Left out to keep this report under [\d,]+ bytes:\*\* \d+ templates \(\d+ VMs, \d+ findings\)/);
  assert.equal(brokenMarkdown(comment), []);
  assert.ok(Buffer.byteLength(o.summary) <= 1_000_000);
  assert.equal(brokenMarkdown(o.summary), []);
  assert.not.match(o.summary, /Left out/, 'the summary has room for all of it');
});

run('setup: an old Node.js is refused with a clear message', () => {
  checkout ??= actionCheckout();
  const bin = mkdtempSync(join(tmpdir(), 'egress-lint-node18-'));
  writeFileSync(join(bin, 'node'), '#!/bin/sh\nif [ "$1" = -p ]; then echo 18; else echo v18.20.0; fi\n', { mode: 0o755 });
  for (const args of [[], ['check']]) {
    const r = spawnSync('bash', [join(root, 'scripts/action/setup.sh'), ...args], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, GITHUB_ACTION_PATH: checkout } });
    assert.is(r.status, 1);
    assert.match(r.stdout, /::error title=egress-lint::egress-lint needs Node\.js 20 or later on the runner \(found: v18\.20\.0\)/);
  }
});

run("npm's cache: restored and saved by actions/cache, keyed on the lock file's hash; a second run hits it and saves nothing", () => {
  // A checkout without dist/ (as `uses:` gets it) and an npm that records how it was called and "installs" the build.
  const bin = mkdtempSync(join(tmpdir(), 'egress-lint-npm-'));
  const calls = join(bin, 'calls');
  const fake = `#!/bin/sh\necho "$* cache=$npm_config_cache" >>"${calls}"\nmkdir -p "$npm_config_cache" && echo tarball >"$npm_config_cache/content"\nln -s "${join(builtPackage(), 'dist')}" dist\n`;
  writeFileSync(join(bin, 'npm'), fake, { mode: 0o755 });
  const cache = new CacheStore();
  const hash = createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex');
  const once = () => {
    const ws = join(mkdtempSync(join(tmpdir(), 'egress-lint-workspace-')), 'ws');
    mkdirSync(join(ws, 'infra'), { recursive: true });
    copyFileSync(join(root, PASSING['infra/main.json']), join(ws, 'infra/main.json'));
    return runSteps(action, { checkout: actionCheckout(false), workspace: ws, cache, env: { PATH: `${bin}:${process.env.PATH}` } });
  };
  const first = once();
  assert.is(first.code, 0, first.log);
  const [restore, , save] = first.steps.slice(1, 4);
  const dir = join(first.temp, 'egress-lint-npm');
  assert.equal([restore.ran, save.ran], [true, true]);
  assert.equal(restore.with, { path: dir, key: `egress-lint-npm-Linux-X64-${hash}`, 'restore-keys': 'egress-lint-npm-Linux-X64-' });
  assert.equal(save.with, { path: dir, key: `egress-lint-npm-Linux-X64-${hash}` });
  assert.equal(readFileSync(calls, 'utf8').trim().split('\n'), [`ci --prefer-offline --no-audit --no-fund cache=${dir}`]);
  assert.match(first.log, /egress-lint: built \d+\.\d+\.\d+/);
  assert.equal([...cache.saved.keys()], [`egress-lint-npm-Linux-X64-${hash}`]);
  const second = once();
  assert.is(second.code, 0, second.log);
  assert.equal(second.steps.slice(1, 4).map((s) => [s.step.name, s.ran, s.outputs['cache-hit'] ?? '']), [
    ["Restore npm's cache", true, 'true'],
    ['Set up egress-lint', true, ''],
    ["Save npm's cache", false, ''],
  ]);
  assert.is(readFileSync(join(second.temp, 'egress-lint-npm', 'content'), 'utf8'), 'tarball\n', 'restored before npm ci');
  // With a build in place, or with cache: false, the cache steps do not run.
  checkout ??= actionCheckout();
  const built = runSteps(action, { checkout, workspace: first.workspace });
  assert.equal(built.steps.filter((s) => s.step.uses).map((s) => s.ran), [false, false]);
  const off = runSteps(action, { checkout: actionCheckout(false), workspace: first.workspace, inputs: { cache: 'false' }, env: { PATH: `${bin}:${process.env.PATH}` } });
  assert.is(off.code, 0, off.log);
  assert.equal(off.steps.filter((s) => s.step.uses).map((s) => s.ran), [false, false]);
});

run.run();

// ---- the README's workflow and pre-commit snippets stay in step with action.yml and .pre-commit-hooks.yaml ----------
const docs = suite('README: the workflows and the pre-commit config');

function readmeBlocks(): { text: string; yaml: ReturnType<typeof readYaml> }[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = /<!-- section:ci:start -->([\s\S]*?)<!-- section:ci:end -->/.exec(readme)?.[1] ?? '';
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => ({ text: m[1], yaml: readYaml(m[1], 'README.md') }));
}

interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { if?: string; steps: { uses?: string; id?: string; if?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> }[] }>;
}

const workflows = () => readmeBlocks().filter((b) => typeof b.yaml === 'object' && !Array.isArray(b.yaml) && 'jobs' in b.yaml);

/** The action's step of a workflow: its inputs exist, and every output the workflow reads exists. */
function checkUses(w: Workflow): string {
  const steps = Object.values(w.jobs)[0].steps;
  const lint = steps.find((s) => s.uses?.startsWith('egress-lint/egress-lint@'));
  assert.ok(lint?.id, 'the egress-lint step has an id for its outputs');
  for (const key of Object.keys(lint?.with ?? {})) assert.ok(key in action.inputs, `input ${key} exists in action.yml`);
  for (const m of JSON.stringify(steps).matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
    assert.is(m[1], lint?.id);
    assert.ok(m[2] in action.outputs, `output ${m[2]} exists in action.yml`);
  }
  return lint!.id!;
}

docs('the workflow uses the action with real inputs and outputs, and uploads SARIF even when the lint fails', () => {
  const w = workflows()[0].yaml as unknown as Workflow;
  assert.is(w.permissions['security-events'], 'write');
  const id = checkUses(w);
  const steps = Object.values(w.jobs)[0].steps;
  const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
  assert.match(upload?.if ?? '', /always\(\)/);
  assert.is(upload?.with?.sarif_file, `\${{ steps.${id}.outputs.sarif }}`);
});

docs('the pull-request comment workflow is docs/workflows/egress-lint-pr-comment.yml: one comment, found by its marker, updated', () => {
  const file = readFileSync(join(root, 'docs/workflows/egress-lint-pr-comment.yml'), 'utf8');
  const block = workflows().find((b) => b.text.includes('<!-- egress-lint -->'));
  assert.ok(block, 'the README shows the comment workflow');
  assert.is(block!.text, file, 'the README shows the file as it is');
  const w = block!.yaml as unknown as Workflow;
  assert.ok('pull_request' in w.on);
  assert.is(w.permissions['pull-requests'], 'write');
  const id = checkUses(w);
  const steps = Object.values(w.jobs)[0].steps;
  const post = steps.find((s) => s.run?.includes('gh api'));
  assert.ok(post, 'a step posts with gh api');
  assert.match(post!.if ?? '', /always\(\)/, 'also when the lint fails');
  assert.match(post!.if ?? '', new RegExp(`steps\\.${id}\\.outputs\\.comment != ''`));
  assert.is(post!.env?.GH_TOKEN, '${{ github.token }}');
  assert.is(post!.env?.COMMENT, `\${{ steps.${id}.outputs.comment }}`);
  // The script finds the previous comment by the marker the action writes, then PATCHes it or POSTs a new one.
  assert.match(post!.run!, /<!-- egress-lint -->/);
  assert.match(post!.run!, /--method PATCH/);
  assert.match(post!.run!, /--method POST/);
  assert.match(post!.run!, /--paginate/);
  const bash = spawnSync('bash', ['-n'], { input: post!.run!.replace(/\$\{\{[^}]*\}\}/g, 'x'), encoding: 'utf8' });
  assert.is(bash.status, 0, bash.stderr);
});

docs('.pre-commit-hooks.yaml: the hook the README configures, for JSON, JSONC, Bicep and .bicepparam files', () => {
  const hooks = readYaml(readFileSync(join(root, '.pre-commit-hooks.yaml'), 'utf8'), '.pre-commit-hooks.yaml') as Record<string, string>[];
  const hook = hooks.find((h) => h.id === 'egress-lint');
  assert.ok(hook);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string>; files: string[] };
  assert.ok(hook!.entry in pkg.bin, 'the entry is the package bin');
  assert.is(hook!.language, 'node');
  assert.is(hook!.pass_filenames, 'true');
  assert.ok(pkg.scripts.prepare, 'pre-commit installs from a git checkout: prepare builds dist/');
  const files = new RegExp(hook!.files);
  for (const f of ['infra/main.json', 'a.jsonc', 'main.bicep', 'prod.bicepparam', 'MAIN.JSON', 'a.Jsonc', 'main.Bicep', 'prod.BicepParam']) assert.ok(files.test(f), f);
  for (const f of ['action.yml', 'main.json.bak', 'README.md', 'main.bicepparams', 'main.jsonl']) assert.not.ok(files.test(f), f);
  const config = readmeBlocks().find((b) => typeof b.yaml === 'object' && !Array.isArray(b.yaml) && 'repos' in b.yaml)?.yaml as { repos: { repo: string; hooks: { id: string }[] }[] };
  assert.ok(config, 'the README shows a .pre-commit-config.yaml');
  assert.equal(config.repos[0].hooks.map((h) => h.id), ['egress-lint']);
  assert.match(readFileSync(join(root, '.npmrc'), 'utf8'), /^foreground-scripts=false$/m, 'npm pack prints only the tarball name (pre-commit reads it)');
});

docs.run();
