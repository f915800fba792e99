// The GitHub Action as a workflow runs it: action.yml is read (with the small parser below), each step's `run:`
// script is executed with bash the way the runner does, with `${{ inputs.* }}` filled in from the inputs or their
// defaults and a simulated GITHUB_* environment (GITHUB_ACTION_PATH = a checkout with a fresh build,
// GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY); then outputs, files, summary and exit status are checked.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { builtPackage } from './harness/package.js';

const root = new URL('..', import.meta.url).pathname;

// ---- A YAML reader for action.yml (and the hook file and README snippets) only ---------------------------------
// Block mappings and sequences (of mappings or scalars), with plain or quoted scalars on one line and
// `#` comments on their own lines. Anything else (flow collections, multi-line strings, anchors) throws, which
// keeps action.yml simple enough for people to read too.
type Yaml = string | Yaml[] | { [key: string]: Yaml };

export function readYaml(text: string, name = 'action.yml'): Yaml {
  const lines = text
    .split('\n')
    .map((raw, i) => ({ n: i + 1, indent: raw.length - raw.trimStart().length, text: raw.trim() }))
    .filter((l) => l.text !== '' && !l.text.startsWith('#'));
  let i = 0;
  const scalar = (s: string, n: number): string => {
    if (/^"(?:[^"\\]|\\.)*"$/.test(s)) return JSON.parse(s) as string;
    if (/^'(?:[^']|'')*'$/.test(s)) return s.slice(1, -1).replace(/''/g, "'");
    if (/^[[{&*!|>]/.test(s) || / #/.test(s)) throw new Error(`${name}:${n}: keep values plain one-line scalars (${s})`);
    return s;
  };
  const block = (indent: number): Yaml => {
    if (lines[i].text.startsWith('- ')) {
      const list: Yaml[] = [];
      while (i < lines.length && lines[i].indent === indent && lines[i].text.startsWith('- ')) {
        const item = lines[i].text.slice(2);
        if (!/^[A-Za-z0-9_-]+:( |$)/.test(item)) {
          list.push(scalar(item, lines[i].n));
          i++;
          continue;
        }
        // "- key: value" starts a mapping whose other keys sit two columns further in.
        lines[i] = { ...lines[i], indent: indent + 2, text: item };
        list.push(block(indent + 2));
      }
      return list;
    }
    const map: { [key: string]: Yaml } = {};
    while (i < lines.length && lines[i].indent === indent && !lines[i].text.startsWith('- ')) {
      const { n, text } = lines[i];
      const m = /^([A-Za-z0-9_-]+):(?: (.*))?$/.exec(text);
      if (!m) throw new Error(`${name}:${n}: expected 'key: value', got '${text}'`);
      i++;
      if (m[2] !== undefined) map[m[1]] = scalar(m[2], n);
      else if (i < lines.length && lines[i].indent > indent) map[m[1]] = block(lines[i].indent);
      else map[m[1]] = '';
    }
    if (i < lines.length && lines[i].indent > indent) throw new Error(`${name}:${lines[i].n}: unexpected indentation`);
    return map;
  };
  const doc = block(0);
  if (i !== lines.length) throw new Error(`${name}:${lines[i].n}: unexpected line`);
  return doc;
}

interface Step {
  name: string;
  id?: string;
  shell: string;
  run: string;
  env?: Record<string, string>;
}
interface Action {
  name: string;
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = readYaml(readFileSync(join(root, 'action.yml'), 'utf8')) as unknown as Action;

// ---- Running the steps ---------------------------------------------------------------------------------------------

/** A checkout of the action as `uses:` makes it: this repository's scripts, plus dist/ from a fresh build. */
function actionCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'egress-lint-action-'));
  symlinkSync(join(root, 'scripts'), join(dir, 'scripts'), 'dir');
  symlinkSync(join(builtPackage(), 'dist'), join(dir, 'dist'), 'dir');
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  copyFileSync(join(root, 'action.yml'), join(dir, 'action.yml'));
  return dir;
}

let checkout: string | undefined;

/** Replaces `${{ inputs.x }}` and `${{ steps.s.outputs.x }}` as the runner does. */
function expand(text: string, inputs: Record<string, string>, stepOutputs: Record<string, Record<string, string>>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    const input = /^inputs\.([A-Za-z0-9_-]+)$/.exec(expr);
    if (input) return inputs[input[1]] ?? '';
    const out = /^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/.exec(expr);
    if (out) return stepOutputs[out[1]]?.[out[2]] ?? '';
    throw new Error(`the test does not evaluate \${{ ${expr} }}`);
  });
}

interface Outcome {
  code: number;
  log: string;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
}

/** Runs the action's steps in a workspace holding `files`, like a workflow step `uses: ./` `with: given`. */
function runAction(files: Record<string, string>, given: Record<string, string> = {}, env: Record<string, string> = {}, prepare?: (workspace: string) => void): Outcome {
  checkout ??= actionCheckout();
  const top = mkdtempSync(join(tmpdir(), 'egress-lint-runner-'));
  const workspace = join(top, 'workspace');
  mkdirSync(join(workspace, '.git'), { recursive: true });
  for (const [to, from] of Object.entries(files)) {
    mkdirSync(dirname(join(workspace, to)), { recursive: true });
    if (from.startsWith('fixtures/')) copyFileSync(join(root, from), join(workspace, to));
    else writeFileSync(join(workspace, to), from);
  }
  prepare?.(workspace);
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = given[name] ?? spec.default ?? '';
  const summaryFile = join(top, 'step-summary.md');
  writeFileSync(summaryFile, '');
  const stepOutputs: Record<string, Record<string, string>> = {};
  let log = '';
  let code = 0;
  for (const [i, step] of action.runs.steps.entries()) {
    const outputFile = join(top, `output-${i}`);
    writeFileSync(outputFile, '');
    const script = join(top, `step-${i}.sh`);
    writeFileSync(script, expand(step.run, inputs, stepOutputs));
    const stepEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = expand(v, inputs, stepOutputs);
    const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? top, CI: 'true', GITHUB_ACTIONS: 'true' };
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: workspace,
      encoding: 'utf8',
      env: { ...base, GITHUB_ACTION_PATH: checkout, GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, ...stepEnv, ...env },
    });
    log += r.stdout + r.stderr;
    code = r.status ?? -1;
    stepOutputs[step.id ?? `step${i}`] = Object.fromEntries(
      readFileSync(outputFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    if (code !== 0) break;
  }
  const outputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.outputs)) outputs[name] = expand(spec.value, inputs, stepOutputs);
  return { code, log, outputs, summary: readFileSync(summaryFile, 'utf8'), workspace };
}

const read = (o: Outcome, file: string) => JSON.parse(readFileSync(join(o.workspace, file), 'utf8'));

const PASSING = { 'infra/main.json': 'fixtures/config/vm.json' };
const FAILING = { 'infra/main.json': 'fixtures/config/vm.json', 'infra/main.parameters.json': 'fixtures/config/basic.parameters.json' };
const WARNING = { 'infra/main.json': 'fixtures/config/vm.json', 'infra/main.parameters.json': 'fixtures/config/basic-static.parameters.json' };

// ---- action.yml ----------------------------------------------------------------------------------------------------
const yml = suite('action.yml');

yml('a composite action whose steps run the scripts in scripts/action with bash', () => {
  assert.is(action.name, 'egress-lint');
  assert.is(action.runs.using, 'composite');
  assert.equal(action.runs.steps.map((s) => s.run), ['bash "$GITHUB_ACTION_PATH/scripts/action/setup.sh"', 'bash "$GITHUB_ACTION_PATH/scripts/action/run.sh"']);
  for (const s of action.runs.steps) {
    assert.is(s.shell, 'bash');
    assert.ok(existsSync(join(root, s.run.replace(/^bash "\$GITHUB_ACTION_PATH\/(.*)"$/, '$1'))), s.run);
  }
});

yml('inputs: the issue\'s five (and the JSON path), each with a description, each passed to the lint step', () => {
  assert.equal(Object.keys(action.inputs), ['paths', 'config', 'format', 'fail-level', 'sarif-file', 'json-file', 'base']);
  assert.equal(Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default])), { paths: '.', config: '', format: 'stylish', 'fail-level': 'error', 'sarif-file': 'egress-lint.sarif', 'json-file': 'egress-lint.json', base: '' });
  const lint = action.runs.steps.find((s) => s.id === 'lint');
  for (const [name, spec] of Object.entries(action.inputs)) {
    assert.ok(spec.description.length > 10, `${name} is described`);
    assert.is(lint?.env?.[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`], `\${{ inputs.${name} }}`, `${name} reaches the lint step`);
  }
  const script = readFileSync(join(root, 'scripts/action/run.sh'), 'utf8');
  for (const name of Object.keys(lint?.env ?? {})) assert.ok(script.includes(name), `run.sh reads ${name}`);
});

yml('outputs: the SARIF path and the JSON report path, from the lint step', () => {
  assert.equal(Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, v.value])), { sarif: '${{ steps.lint.outputs.sarif }}', 'egress-json': '${{ steps.lint.outputs.egress-json }}' });
});

yml('the reader rejects what it does not understand', () => {
  assert.throws(() => readYaml('a: [1, 2]\n'), /plain one-line scalars/);
  assert.throws(() => readYaml('a: |\n  text\n'), /plain one-line scalars/);
  assert.throws(() => readYaml('a: b\n    c: d\n'), /unexpected indentation/);
  assert.equal(readYaml('a:\n  - b: "x"\n    c: \'y\'\n  - b: z\nd:\n  - e\n  - "f"\n'), { a: [{ b: 'x', c: 'y' }, { b: 'z' }], d: ['e', 'f'] });
});

yml.run();

// ---- running it --------------------------------------------------------------------------------------------------
const run = suite('action: steps run as a workflow runs them');

run('a passing template: exit 0, the SARIF and JSON outputs, the Markdown summary, the stylish log', () => {
  const o = runAction(PASSING);
  assert.is(o.code, 0, o.log);
  assert.match(o.log, /egress-lint: using the build in /);
  assert.match(o.log, /infra\/main\.json\n {2}vm-app \(virtualMachines, line \d+\) {2}deterministic/);
  assert.equal(o.outputs, { sarif: 'egress-lint.sarif', 'egress-json': 'egress-lint.json' });
  const sarif = read(o, o.outputs.sarif);
  assert.is(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0].results, []);
  const report = read(o, o.outputs['egress-json']);
  assert.equal(report.vms.map((v: { name: string; verdict: string }) => `${v.name} ${v.verdict}`), ['vm-app deterministic']);
  assert.match(o.summary, /vm-app/);
  assert.match(o.summary, /deterministic/);
});

run('a failing template: exit 1, and the reports and the summary are still written', () => {
  const o = runAction(FAILING);
  assert.is(o.code, 1, o.log);
  assert.match(o.log, /error +'vm-app' sends Internet traffic through public IP 'pip-app', whose allocation is Dynamic/);
  assert.equal(o.outputs, { sarif: 'egress-lint.sarif', 'egress-json': 'egress-lint.json' });
  const ids = read(o, 'egress-lint.sarif').runs[0].results.map((r: { ruleId: string }) => r.ruleId);
  assert.equal(ids.sort(), ['dynamic-public-ip', 'retired-sku']);
  assert.is(read(o, 'egress-lint.json').vms[0].verdict, 'non-deterministic');
  assert.match(o.summary, /dynamic-public-ip/);
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
  assert.equal(o.outputs, { sarif: '', 'egress-json': '' });
});

run('inputs: several paths and a glob (not expanded by bash), a config file, report paths in new folders, the json log', () => {
  const files = { ...FAILING, 'app/main.json': 'fixtures/config/vm.json', 'other/x.json': 'fixtures/config/vm.json', 'ci/egress.json': '{ "rules": { "dynamic-public-ip": "off", "retired-sku": "off" } }' };
  const o = runAction(files, { paths: 'infra\napp/*.json', config: 'ci/egress.json', format: 'json', 'sarif-file': 'out/e.sarif', 'json-file': 'out/json/e.json' });
  assert.is(o.code, 0, o.log);
  assert.equal(o.outputs, { sarif: 'out/e.sarif', 'egress-json': 'out/json/e.json' });
  assert.equal(read(o, 'out/json/e.json').files.map((f: { path: string }) => f.path), ['app/main.json', 'infra/main.json']);
  assert.is(read(o, 'out/e.sarif').version, '2.1.0');
  assert.match(o.log, /"version": 1/, 'the log shows the json format');
});

run('without GITHUB_STEP_SUMMARY, or without a markdown format, the summary is skipped and the run goes on', () => {
  const plain = runAction(PASSING, {}, { GITHUB_STEP_SUMMARY: '' });
  assert.is(plain.code, 0);
  assert.is(plain.summary, '');
  // An older build whose help lists no 'markdown' format.
  const old = mkdtempSync(join(tmpdir(), 'egress-lint-old-'));
  mkdirSync(join(old, 'cli'), { recursive: true });
  const help = "if (process.argv.includes('--help')) { console.log('-f, --format <name>  stylish (default), json or sarif'); process.exit(0); }";
  writeFileSync(join(old, 'cli/bin.js'), `${help}\nawait import(${JSON.stringify(join(builtPackage(), 'dist/cli/bin.js'))});\n`);
  writeFileSync(join(old, 'package.json'), '{ "type": "module" }\n');
  const o = runAction(PASSING, {}, { EGRESS_LINT_BIN: join(old, 'cli/bin.js') });
  assert.is(o.code, 0, o.log);
  assert.match(o.log, /::notice title=egress-lint::this egress-lint has no markdown format; the step summary is skipped/);
  assert.is(o.summary, '');
  assert.equal(o.outputs, { sarif: 'egress-lint.sarif', 'egress-json': 'egress-lint.json' });
});

run('base: the egress is compared with a commit, and the summary shows what changed', () => {
  const git = (cwd: string, ...args: string[]) => spawnSync('git', ['-c', 'user.name=egress-lint test', '-c', 'user.email=test@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  const o = runAction({ 'infra/main.json': 'fixtures/lock/web-1.json' }, { base: 'HEAD', paths: 'infra' }, {}, (ws) => {
    rmSync(join(ws, '.git'), { recursive: true });
    for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-qm', 'one']]) assert.is(git(ws, ...args).status, 0);
    copyFileSync(join(root, 'fixtures/lock/web-2.json'), join(ws, 'infra/main.json'));
  });
  assert.is(o.code, 1, o.log);
  assert.match(o.log, /The egress of 'vm-web' differs from base HEAD: \+ pip-nat, - pip-vm1\./);
  assert.match(o.summary, /## Egress changes against base HEAD\n\n1 VM with other egress than base HEAD/);
  assert.match(o.summary, /- \*\*vm-web\*\*: \+ pip-nat, - pip-vm1 \(infra\/main\.json\)/);
  // Without the commit (a shallow checkout), the step cannot lint, and says how to fetch it.
  const shallow = runAction({ 'infra/main.json': 'fixtures/lock/web-1.json' }, { base: 'origin/main', paths: 'infra' }, {}, (ws) => {
    rmSync(join(ws, '.git'), { recursive: true });
    for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-qm', 'one']]) assert.is(git(ws, ...args).status, 0);
  });
  assert.is(shallow.code, 2, shallow.log);
  assert.match(shallow.log, /--base origin\/main: git knows no commit by that name .*fetch-depth: 0/);
});

run('setup: an old Node.js is refused with a clear message', () => {
  checkout ??= actionCheckout();
  const bin = mkdtempSync(join(tmpdir(), 'egress-lint-node18-'));
  writeFileSync(join(bin, 'node'), '#!/bin/sh\nif [ "$1" = -p ]; then echo 18; else echo v18.20.0; fi\n', { mode: 0o755 });
  const r = spawnSync('bash', [join(root, 'scripts/action/setup.sh')], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, GITHUB_ACTION_PATH: checkout } });
  assert.is(r.status, 1);
  assert.match(r.stdout, /::error title=egress-lint::egress-lint needs Node\.js 20 or later on the runner \(found: v18\.20\.0\)/);
});

run.run();

// ---- the README's workflow and pre-commit snippets stay in step with action.yml and .pre-commit-hooks.yaml ----------
const docs = suite('README: the workflow and the pre-commit config');

function readmeBlocks(): Yaml[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = /<!-- section:ci:start -->([\s\S]*?)<!-- section:ci:end -->/.exec(readme)?.[1] ?? '';
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => readYaml(m[1], 'README.md'));
}

docs('the workflow uses the action with real inputs and outputs, and uploads SARIF even when the lint fails', () => {
  const workflow = readmeBlocks().find((b) => !Array.isArray(b) && typeof b === 'object' && 'jobs' in b) as { permissions: Record<string, string>; jobs: Record<string, { steps: { uses?: string; id?: string; if?: string; with?: Record<string, string> }[] }> };
  assert.ok(workflow, 'the README shows a workflow file');
  assert.is(workflow.permissions['security-events'], 'write');
  const steps = Object.values(workflow.jobs)[0].steps;
  const lint = steps.find((s) => s.uses?.startsWith('egress-lint/egress-lint@'));
  assert.ok(lint?.id, 'the egress-lint step has an id for its outputs');
  for (const key of Object.keys(lint?.with ?? {})) assert.ok(key in action.inputs, `input ${key} exists in action.yml`);
  const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
  assert.match(upload?.if ?? '', /always\(\)/);
  assert.is(upload?.with?.sarif_file, `\${{ steps.${lint?.id}.outputs.sarif }}`);
  const text = JSON.stringify(steps);
  for (const m of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
    assert.is(m[1], lint?.id);
    assert.ok(m[2] in action.outputs, `output ${m[2]} exists in action.yml`);
  }
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
  for (const f of ['infra/main.json', 'a.jsonc', 'main.bicep', 'prod.bicepparam']) assert.ok(files.test(f), f);
  for (const f of ['action.yml', 'main.json.bak', 'README.md']) assert.not.ok(files.test(f), f);
  const config = readmeBlocks().find((b) => !Array.isArray(b) && typeof b === 'object' && 'repos' in b) as { repos: { repo: string; hooks: { id: string }[] }[] };
  assert.ok(config, 'the README shows a .pre-commit-config.yaml');
  assert.equal(config.repos[0].hooks.map((h) => h.id), ['egress-lint']);
  assert.match(readFileSync(join(root, '.npmrc'), 'utf8'), /^foreground-scripts=false$/m, 'npm pack prints only the tarball name (pre-commit reads it)');
});

docs.run();
