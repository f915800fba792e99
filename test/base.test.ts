// --base <git-ref> on a real repository built here, commit by commit (commit 1: vm-web with its own Standard public
// IP; commit 2: a NAT gateway added; working tree: the NAT gateway's IP made Basic and Dynamic): the egress-changed
// findings and the Markdown diff, renamed and deleted templates, bad refs, no repository, the working tree left
// alone; and the README's pull-request walkthrough, which is this test's real output (UPDATE=1 rewrites it).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli, scratchDir } from './harness/io.js';

const root = new URL('..', import.meta.url).pathname;
const fixture = (name: string): string => readFileSync(join(root, 'fixtures/lock', name), 'utf8');
const WEB_1 = fixture('web-1.json');
const WEB_2 = fixture('web-2.json');
const WEB_3 = fixture('web-3.json');

// Fixed identity and dates: the same commits every run.
const GIT_ENV = { ...process.env, GIT_AUTHOR_DATE: '2025-06-01T12:00:00Z', GIT_COMMITTER_DATE: '2025-06-01T12:00:00Z', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=egress-lint test', '-c', 'user.email=test@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, env: GIT_ENV, encoding: 'utf8' });
}

/** The repository of the scenario: two commits, and the working tree one step further. */
function scenario(): string {
  const dir = scratchDir({ 'infra/main.json': WEB_1 });
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'vm-web with its own public IP');
  writeFileSync(join(dir, 'infra/main.json'), WEB_2);
  git(dir, 'commit', '-qam', 'NAT gateway for the web subnet');
  writeFileSync(join(dir, 'infra/main.json'), WEB_3);
  return dir;
}

interface Json {
  findings: { ruleId: string; file: string; line: number; message: string }[];
}
const changed = (out: string): [string, number, string][] =>
  (JSON.parse(out) as Json).findings.filter((f) => f.ruleId === 'egress-changed').map((f) => [f.file, f.line, f.message]);
const vmLine = (text: string, name: string): number => {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.includes(`"name": "${name}"`));
  return lines.slice(0, at).findLastIndex((l) => l.trim() === '{') + 1;
};

const base = suite('--base');

base('HEAD~1: the NAT gateway took over and its IP is Dynamic; the Markdown report shows the diff', async () => {
  const dir = scenario();
  const json = await runCli(['infra', '--base', 'HEAD~1', '--format', 'json'], dir);
  assert.is(json.code, 1, json.err);
  assert.equal(changed(json.out), [['infra/main.json', vmLine(WEB_3, 'vm-web'), "The egress of 'vm-web' differs from base HEAD~1: + pip-nat, - pip-vm1; verdict deterministic → non-deterministic."]]);
  const md = await runCli(['infra', '--base', 'HEAD~1', '--format', 'markdown'], dir);
  assert.is(md.code, 1);
  assert.match(md.out, '## Egress changes against base HEAD\\~1\n\n1 VM with other egress than base HEAD\\~1: tell the firewall team before merging.\n\n- **vm-web**: + pip-nat, - pip-vm1; verdict deterministic → non-deterministic (infra/main.json)\n\n## infra/main.json\n');
  // The section comes right after the summary line, before the templates.
  assert.ok(md.out.indexOf('## Egress changes') < md.out.indexOf('## infra/main.json'));
});

base('HEAD: only the verdict changed; a clean working tree has no change', async () => {
  const dir = scenario();
  const r = await runCli(['infra', '--base', 'HEAD', '--format', 'json'], dir);
  assert.equal(changed(r.out), [['infra/main.json', vmLine(WEB_3, 'vm-web'), "The egress of 'vm-web' differs from base HEAD: verdict deterministic → non-deterministic."]]);
  const md = await runCli(['infra', '--base', 'HEAD', '--format', 'markdown'], dir);
  assert.match(md.out, '- **vm-web**: verdict deterministic → non-deterministic (infra/main.json)\n');
  writeFileSync(join(dir, 'infra/main.json'), WEB_2);
  const clean = await runCli(['infra', '--base', 'HEAD', '--format', 'markdown'], dir);
  assert.is(clean.code, 0, clean.err);
  assert.match(clean.out, "## Egress changes against base HEAD\n\nNo VM's egress differs from base HEAD.\n");
  assert.not.match(clean.out, /egress-changed/);
});

base('a renamed template is no change; a deleted one is a VM gone (at its old path), a new one a VM new', async () => {
  const dir = scenario();
  writeFileSync(join(dir, 'infra/main.json'), WEB_2);
  git(dir, 'mv', 'infra/main.json', 'infra/web.json');
  const moved = await runCli(['infra', '--base', 'HEAD', '--format', 'json'], dir);
  assert.is(moved.code, 0, moved.out);
  assert.equal(changed(moved.out), []);
  rmSync(join(dir, 'infra/web.json'));
  writeFileSync(join(dir, 'infra/api.json'), WEB_1.replace(/vm-web/g, 'vm-api'));
  const r = await runCli(['infra', '--base', 'HEAD', '--format', 'json'], dir);
  assert.is(r.code, 1);
  assert.equal(changed(r.out), [
    ['infra/api.json', vmLine(WEB_1, 'vm-web'), "'vm-api' is not in base HEAD: a new VM whose egress is pip-vm1 (deterministic)."],
    ['infra/main.json', 1, "'vm-web' of base HEAD is no longer deployed by infra/main.json; its egress was pip-nat (deterministic)."],
  ]);
});

base('a path that does not exist at the base: every VM in it is new; run from a subfolder of the repository', async () => {
  const dir = scenario();
  mkdirSync(join(dir, 'apps'));
  writeFileSync(join(dir, 'apps/api.json'), WEB_2.replace(/vm-web/g, 'vm-api'));
  const r = await runCli(['infra', 'apps', '--base', 'HEAD~1', '--format', 'json'], dir);
  assert.equal(changed(r.out).map((c) => c[2]), ["'vm-api' is not in base HEAD~1: a new VM whose egress is pip-nat (deterministic).", "The egress of 'vm-web' differs from base HEAD~1: + pip-nat, - pip-vm1; verdict deterministic → non-deterministic."]);
  const sub = await runCli(['.', '--base', 'HEAD~1', '--format', 'json'], join(dir, 'infra'));
  assert.equal(changed(sub.out), [['main.json', vmLine(WEB_3, 'vm-web'), "The egress of 'vm-web' differs from base HEAD~1: + pip-nat, - pip-vm1; verdict deterministic → non-deterministic."]]);
});

base('the working tree, the index and HEAD are left alone, and no temporary copy is left behind', async () => {
  const dir = scenario();
  git(dir, 'add', 'infra/main.json');
  const state = () => [git(dir, 'status', '--porcelain'), git(dir, 'rev-parse', 'HEAD'), git(dir, 'stash', 'list'), readFileSync(join(dir, 'infra/main.json'), 'utf8')];
  // A temporary folder of this test's own, so another process's copies in the shared one cannot move the count.
  const tmp = scratchDir({});
  const copies = () => readdirSync(tmp).filter((n) => n.startsWith('egress-lint-base-')).length;
  const before = state();
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    assert.is((await runCli(['infra', '--base', 'HEAD~1'], dir)).code, 1);
    assert.is(tmpdir(), tmp);
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  assert.equal(state(), before);
  assert.is(copies(), 0);
});

base('a ref git does not know, a ref that looks like an option, no repository: exit 2 with the reason', async () => {
  const dir = scenario();
  const bad = await runCli(['infra', '--base', 'no-such-branch'], dir);
  assert.is(bad.code, 2);
  assert.match(bad.err, /^egress-lint: --base no-such-branch: git knows no commit by that name in .+\. In a shallow clone fetch it first \(actions\/checkout with fetch-depth: 0, or git fetch origin no-such-branch\)\.\n$/);
  const option = await runCli(['infra', '--base=--output=x'], dir);
  assert.is(option.code, 2);
  assert.match(option.err, /--base expects a git ref such as main, origin\/main or HEAD~1, got '--output=x'/);
  const elsewhere = scratchDir({ 'main.json': WEB_1 });
  const outside = await runCli(['infra', elsewhere, '--base', 'HEAD'], dir);
  assert.is(outside.code, 2);
  assert.match(outside.err, /--base compares files inside the git repository, and .+ is outside /);
  const plain = scratchDir({ 'infra/main.json': WEB_1 });
  const none = await runCli(['infra', '--base', 'HEAD'], plain);
  assert.is(none.code, 2);
  assert.match(none.err, /--base compares with a git commit, but .+ is not inside a git repository/);
});

base('the configuration applies at the base too: its ignore globs and parameter files', async () => {
  const dir = scenario();
  writeFileSync(join(dir, 'egress-lint.config.json'), '{ "ignore": ["infra/legacy/**"], "parameters": { "infra/main.json": "prod.parameters.json" } }');
  writeFileSync(join(dir, 'prod.parameters.json'), '{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {} }');
  mkdirSync(join(dir, 'infra/legacy'));
  writeFileSync(join(dir, 'infra/legacy/old.json'), WEB_1.replace(/vm-web/g, 'vm-legacy'));
  git(dir, 'add', 'egress-lint.config.json', 'prod.parameters.json', 'infra/legacy/old.json');
  git(dir, 'commit', '-qm', 'config, and a legacy template the config leaves out');
  rmSync(join(dir, 'infra/legacy/old.json'));
  const r = await runCli(['infra', '--base', 'HEAD', '--format', 'json'], dir);
  assert.equal(changed(r.out).map((c) => c[2]), ["The egress of 'vm-web' differs from base HEAD: verdict deterministic → non-deterministic."], 'vm-legacy was ignored at the base as it is now');
});

base('from a subfolder: the .gitignore files above it leave out at the commit what they leave out here', async () => {
  const dir = scenario();
  mkdirSync(join(dir, 'infra/generated'));
  writeFileSync(join(dir, 'infra/generated/old.json'), WEB_1.replace(/vm-web/g, 'vm-generated'));
  writeFileSync(join(dir, '.gitignore'), 'infra/generated/\n');
  git(dir, 'add', '.gitignore');
  git(dir, 'add', '-f', 'infra/generated/old.json');
  git(dir, 'commit', '-qm', 'a generated template, committed before it was ignored');
  const want = ["The egress of 'vm-web' differs from base HEAD: verdict deterministic → non-deterministic."];
  const fromRoot = await runCli(['infra', '--base', 'HEAD', '--format', 'json'], dir);
  assert.equal(changed(fromRoot.out).map((c) => c[2]), want);
  for (const [cwd, args] of [['infra', ['.']], ['infra', ['main.json']], ['infra/generated', ['..']]] as const) {
    const sub = await runCli([...args, '--base', 'HEAD', '--format', 'json'], join(dir, cwd));
    assert.equal(changed(sub.out).map((c) => c[2]), want, `from ${cwd}: ${args.join(' ')}`);
  }
});

base('the configuration of each folder applies at the base too, from the root and from the folder', async () => {
  const dir = scenario();
  writeFileSync(join(dir, 'infra/egress-lint.config.json'), '{ "ignore": ["legacy/**"] }');
  mkdirSync(join(dir, 'infra/legacy'));
  writeFileSync(join(dir, 'infra/legacy/old.json'), WEB_1.replace(/vm-web/g, 'vm-legacy'));
  git(dir, 'add', 'infra/egress-lint.config.json', 'infra/legacy/old.json');
  git(dir, 'commit', '-qm', 'a folder configuration, and a legacy template it leaves out');
  rmSync(join(dir, 'infra/legacy/old.json'));
  const want = ["The egress of 'vm-web' differs from base HEAD: verdict deterministic → non-deterministic."];
  assert.equal(changed((await runCli(['.', '--base', 'HEAD', '--format', 'json'], dir)).out).map((c) => c[2]), want, 'vm-legacy was ignored at the base as it is now');
  assert.equal(changed((await runCli(['.', '--base', 'HEAD', '--format', 'json'], join(dir, 'infra'))).out).map((c) => c[2]), want);
});

base('with a lock file too: findings come from the lock, the Markdown report shows the base', async () => {
  const dir = scenario();
  writeFileSync(join(dir, 'infra/main.json'), WEB_2);
  assert.is((await runCli(['lock', 'infra'], dir)).code, 0);
  const r = await runCli(['infra', '--base', 'HEAD~1', '--lock', 'egress.lock.json', '--format', 'markdown'], dir);
  assert.is(r.code, 0, r.out);
  assert.match(r.out, '- **vm-web**: + pip-nat, - pip-vm1 (infra/main.json)');
  assert.not.match(r.out, /egress-changed/);
});

base.run();

// ---- the README's pull-request workflow ------------------------------------------------------------------------------
const readme = suite('README: the pull-request workflow is real output');

const CONFIG_1 = '{ "lock": "egress.lock.json", "allow": ["pip-vm1"] }\n';
const CONFIG_2 = '{ "lock": "egress.lock.json", "allow": ["pip-vm1", "pip-nat"] }\n';

/** Runs the walkthrough in a fresh repository and returns the two README blocks. */
async function walkthrough(): Promise<{ console: string; markdown: string }> {
  const dir = scratchDir({ 'infra/main.json': WEB_1, 'egress-lint.config.json': CONFIG_1 });
  git(dir, 'init', '-q');
  const out: string[] = [];
  const run = async (args: string[]): Promise<string> => {
    const r = await runCli([...args, '--no-color'], dir);
    out.push(`$ npx egress-lint ${args.join(' ')}`, ...(r.out + r.err).trimEnd().split('\n').filter((l, i, all) => !(l === '' && i === all.length - 1)));
    if (r.code !== 0) out.push(`(exit code ${r.code})`);
    return r.out;
  };
  const shell = (line: string, action: () => void): void => {
    out.push(`$ ${line}`);
    action();
  };
  shell('cat egress-lint.config.json', () => out.push(CONFIG_1.trimEnd()));
  await run(['lock', 'infra']);
  shell('git add -A && git commit -m "vm-web with its own public IP"', () => {
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'vm-web with its own public IP');
  });
  shell('git switch -c nat-gateway   # then put a NAT gateway with public IP pip-nat on the web subnet', () => {
    git(dir, 'switch', '-qc', 'nat-gateway');
    writeFileSync(join(dir, 'infra/main.json'), WEB_2);
  });
  await run(['infra', '--base', 'main']);
  const markdown = (await runCli(['infra', '--base', 'main', '--format', 'markdown'], dir)).out;
  shell('# the firewall team admits pip-nat: add it to "allow", and lock the new egress', () => {
    writeFileSync(join(dir, 'egress-lint.config.json'), CONFIG_2);
  });
  await run(['lock', 'infra']);
  await run(['infra', '--base', 'main']);
  // Four backticks around it: the report holds a fenced Mermaid block of its own.
  const rendered = markdown.replace(/^# egress-lint\n\n/, '');
  return { console: `\`\`\`console\n${out.join('\n')}\n\`\`\`\n`, markdown: `\`\`\`\`markdown\n${rendered}\`\`\`\`\n` };
}

readme('the README blocks pr:console and pr:markdown match a run of the walkthrough', async () => {
  const file = join(root, 'README.md');
  const before = readFileSync(file, 'utf8');
  let text = before;
  const blocks = await walkthrough();
  for (const [name, want] of Object.entries(blocks)) {
    const re = new RegExp(`<!-- pr:${name}:start -->\\n([\\s\\S]*?)<!-- pr:${name}:end -->`);
    const m = re.exec(text);
    assert.ok(m, `README.md needs <!-- pr:${name}:start --> and <!-- pr:${name}:end -->`);
    if (process.env.UPDATE === '1' && m![1] !== want) text = text.replace(m![0], () => `<!-- pr:${name}:start -->\n${want}<!-- pr:${name}:end -->`);
    else assert.is(m![1], want, `the README pr:${name} block is stale: run UPDATE=1 npm test`);
  }
  if (text !== before) writeFileSync(file, text);
  // The walkthrough is deterministic: a second run gives the same text.
  assert.equal(await walkthrough(), blocks);
});

readme.run();
