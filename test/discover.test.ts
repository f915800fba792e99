// Discovery as pre-commit and people use it: files named one by one (pre-commit passes every changed .json file,
// templates or not), folders and globs, parameter files, UTF-16, awkward folder names, and Bicep's using/module.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { discover, moduleTargets, parameterFileFor, usingTarget } from '../api/discover.js';
import { runCli, scratchDir } from './harness/io.js';

const root = new URL('..', import.meta.url).pathname;
const VM = readFileSync(join(root, 'fixtures/config/vm.json'), 'utf8');
const BASIC = readFileSync(join(root, 'fixtures/config/basic.parameters.json'), 'utf8');

/** A scratch repository (with a .git folder, so the config search stops there) holding `files`. */
const repo = (files: Record<string, string | Buffer>): string => scratchDir(files, true);
const run = runCli;

const brief = (d: Awaited<ReturnType<typeof discover>>) => d.targets.map((t) => (t.parameters ? `${t.template} + ${t.parameters}` : t.kind ? `${t.template} (${t.kind})` : t.template));

const named = suite('discover: files named one by one');

named('other JSON files are skipped with a note; templates are kept', async () => {
  const dir = repo({
    'main.json': VM,
    'package.json': '{ "name": "x", "version": "1.0.0" }',
    'tsconfig.json': '{ "$schema": "https://json.schemastore.org/tsconfig", "compilerOptions": {} }',
    '.vscode/settings.json': '{\n  // editor settings\n  "editor.tabSize": 2,\n}\n',
  });
  const d = await discover(['main.json', 'package.json', 'tsconfig.json', '.vscode/settings.json'], dir);
  assert.equal(brief(d), ['main.json']);
  assert.equal(d.notes, [
    '.vscode/settings.json: skipped: not an ARM template (no deploymentTemplate $schema).',
    'package.json: skipped: not an ARM template (no deploymentTemplate $schema).',
    'tsconfig.json: skipped: not an ARM template (no deploymentTemplate $schema).',
  ]);
  assert.is(d.searched, false);
});

named('a file that cannot be read as JSON, or an object with resources but no $schema, is linted (its problem is reported)', async () => {
  const dir = repo({ 'broken.json': '{ "resources": [ ', 'bin.json': Buffer.from([0, 1, 2, 3]), 'noschema.json': '{ "resources": [] }', 'list.json': '[1, 2]' });
  assert.equal(brief(await discover(['broken.json', 'bin.json', 'noschema.json', 'list.json'], dir)), ['bin.json', 'broken.json', 'list.json', 'noschema.json']);
});

named('a parameter file stands for the template beside it', async () => {
  const dir = repo({ 'main.json': VM, 'main.parameters.json': BASIC, 'lonely.parameters.json': BASIC });
  const d = await discover(['main.parameters.json', 'lonely.parameters.json'], dir);
  assert.equal(brief(d), ['main.json + main.parameters.json']);
  assert.equal(d.notes, ['lonely.parameters.json: skipped: a parameter file without its template beside it (lonely.json); lint the template with --parameters lonely.parameters.json.']);
  assert.equal(brief(await discover(['main.json', 'main.parameters.json'], dir)), ['main.json + main.parameters.json'], 'once, not twice');
});

named('Terraform plan and state JSON (terraform show -json) are recognised by content, in a folder and named', async () => {
  const plan = readFileSync(join(root, 'fixtures/terraform/seed-1-nic-public-ip/plan.json'), 'utf8');
  // As Terraform prints it: one line, format_version first; and sorted by jq -S, with format_version far down.
  const oneLine = JSON.stringify(JSON.parse(plan));
  const sorted = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(plan) as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))), null, 2);
  const dir = repo({
    'infra/tfplan.json': oneLine,
    'infra/sorted.json': sorted,
    'infra/state.json': '{"format_version":"1.0","terraform_version":"1.9.8","values":{"root_module":{}}}',
    'infra/other.json': '{ "format_version": "1.0" }',
    'infra/lookalike.json': '{ "configuration": { "root_module": {} }, "format_version": "1.0" }',
  });
  assert.ok(sorted.indexOf('"format_version"') > 4096, 'the sorted plan has format_version beyond the first 4 KB');
  // A folder search reads the first 4 KB; a plan's configuration or values there send the file to a whole read.
  assert.equal(brief(await discover(['infra'], dir)), ['infra/sorted.json', 'infra/state.json', 'infra/tfplan.json']);
  assert.equal(brief(await discover(['infra/sorted.json', 'infra/other.json', 'infra/lookalike.json'], dir)), ['infra/sorted.json'], 'a file named is read whole');
});

named('UTF-16 templates are recognised by their $schema', async () => {
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VM, 'utf16le')]);
  const dir = repo({ 'infra/wide.json': utf16, 'infra/wide.parameters.json': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BASIC, 'utf16le')]) });
  assert.equal(brief(await discover(['infra'], dir)), ['infra/wide.json + infra/wide.parameters.json']);
  assert.equal(brief(await discover(['infra/wide.json'], dir)), ['infra/wide.json + infra/wide.parameters.json']);
});

named.run();

const search = suite('discover: folders and globs');

search('folders with glob characters in their names are searched literally', async () => {
  const dir = repo({ 'env (prod)/[eu]/main.json': VM, 'env (prod)/e/other.json': VM });
  assert.equal(brief(await discover(['env (prod)/[eu]'], dir)), ['env (prod)/[eu]/main.json']);
});

search('--ignore globs and .gitignore leave files out of searches; node_modules is never searched', async () => {
  const dir = repo({ 'a/main.json': VM, 'b/main.json': VM, 'gen/main.json': VM, 'node_modules/x/main.json': VM, '.gitignore': 'gen/\n' });
  assert.equal(brief(await discover(['.'], dir)), ['a/main.json', 'b/main.json']);
  assert.equal(brief(await discover(['.'], dir, ['b/**'])), ['a/main.json']);
  assert.equal(brief(await discover(['**/*.json'], dir, ['a'])), ['b/main.json']);
  assert.equal(brief(await discover(['gen/main.json'], dir)), ['gen/main.json'], 'a file named explicitly is linted even when .gitignore lists it');
});

search('the ignore globs leave out named files as globby leaves them out of a search (one matcher for all the files)', async () => {
  const files = ['t/f1.json', 't/sub/a.json', 't/f10.json', '.hidden/b.json', 'u/.c.json'];
  const dir = repo(Object.fromEntries(files.map((f) => [f, VM])));
  const { globby } = await import('globby');
  const globs = ['t', 't/', 't/**', 't/sub', 't/sub/**', '**/sub', '**/sub/**', 'sub', '*.json', '**/*.json', 'f1.json', '**/f1.json', 't/f1*', './t/f1.json', '!t/f1.json', 't/{f1,f2}.json', 'T/f1.json', '.hidden', '**/.c.json', 't/f1?.json', 't/[a-f]1.json'];
  for (const g of globs) {
    const kept = await globby(files, { cwd: dir, gitignore: false, ignore: [g.replace(/^\.\//, '')], dot: true });
    assert.equal(brief(await discover(files, dir, [g])), [...kept].sort(), `--ignore ${g}`);
  }
});

search('a folder search finds templates whatever the case of their extension (main.JSON), as a named file is', async () => {
  const dir = repo({ 'a/main.JSON': VM, 'b/main.Jsonc': VM, 'c/main.json': VM, 'd/main.Bicep': 'param x string\n' });
  assert.equal(brief(await discover(['.'], dir)), ['a/main.JSON', 'b/main.Jsonc', 'c/main.json']);
  assert.equal(brief(await discover(['.'], dir, [], { bicep: true })), ['a/main.JSON', 'b/main.Jsonc', 'c/main.json', 'd/main.Bicep (bicep)']);
});

search('Bicep files only with the bicep option (the CLI sets it; it compiles them)', async () => {
  const dir = repo({ 'main.bicep': 'param x string\n', 'main.json': VM });
  assert.equal(brief(await discover(['.'], dir)), ['main.json']);
  assert.equal(brief(await discover(['.'], dir, [], { bicep: true })), ['main.bicep (bicep)', 'main.json']);
});

search('a .bicepparam covers the template it is using; modules are not linted alone', async () => {
  const dir = repo({
    'infra/main.bicep': "module nic 'modules/nic.bicep' = {\n  name: 'nic'\n}\n/* module old './old.bicep' = {} */\n",
    'infra/modules/nic.bicep': 'param x string\n',
    'infra/old.bicep': 'param x string\n',
    'infra/prod.bicepparam': "// production\nusing './main.bicep'\nparam x = 'y'\n",
    'infra/arm.bicepparam': "using 'arm.json'\n",
    'infra/arm.json': VM,
    'other/app.bicep': 'param x string\n',
  });
  assert.equal(brief(await discover(['.'], dir, [], { bicep: true })), ['infra/arm.bicepparam (bicepparam)', 'infra/old.bicep (bicep)', 'infra/prod.bicepparam (bicepparam)', 'other/app.bicep (bicep)']);
  assert.equal(brief(await discover(['infra/arm.json', 'infra/modules/nic.bicep'], dir, [], { bicep: true })), ['infra/arm.json', 'infra/modules/nic.bicep (bicep)'], 'named files are linted as named');
});

search.run();

const parse = suite('discover: names');

parse('parameterFileFor pairs main.json, main.jsonc and main.bicep with main.parameters.json', () => {
  assert.is(parameterFileFor('infra/main.json'), 'infra/main.parameters.json');
  assert.is(parameterFileFor('infra/main.jsonc'), 'infra/main.parameters.json');
  assert.is(parameterFileFor('infra/main.bicep'), 'infra/main.parameters.json');
});

parse("usingTarget and moduleTargets read local paths, not registries or template specs", () => {
  assert.is(usingTarget("using './main.bicep'\n"), './main.bicep');
  assert.is(usingTarget("/* using 'old.bicep' */\n  using 'new.bicep'"), 'new.bicep');
  assert.is(usingTarget("using 'br/public:avm/res/network/nat-gateway:1.0.0'"), undefined);
  assert.is(usingTarget("using 'ts:00000000-0000-0000-0000-000000000000/rg/spec:1.0'"), undefined);
  assert.is(usingTarget('using none\n'), undefined);
  assert.equal(moduleTargets("module a './a.bicep' = {}\nmodule b 'br:x.azurecr.io/b:1' = {}\n  module c '../c.json' = {}\n// module d 'd.bicep'\n"), ['./a.bicep', '../c.json']);
});

parse.run();

const cli = suite('discover: what the CLI does with it');

cli('only non-template files given (pre-commit with package.json): nothing to lint, exit 0, a note on stderr', async () => {
  const dir = repo({ 'package.json': '{ "name": "x" }', 'data.json': '{ "a": 1 }' });
  const r = await run(['package.json', 'data.json'], dir);
  assert.is(r.code, 0);
  assert.is(r.out, '');
  assert.equal(r.err.trim().split('\n'), [
    'egress-lint: data.json: skipped: not an ARM template (no deploymentTemplate $schema).',
    'egress-lint: package.json: skipped: not an ARM template (no deploymentTemplate $schema).',
    'egress-lint: none of the files given is an ARM template or Bicep file; nothing to lint.',
  ]);
  const q = await run(['package.json', '--quiet'], dir);
  assert.is(q.code, 0);
  assert.is(q.err, '', '--quiet says nothing');
});

cli('a template among other files is linted; a folder without templates is still exit 2', async () => {
  const dir = repo({ 'main.json': VM, 'main.parameters.json': BASIC, 'package.json': '{}', 'empty/readme.json': '{}' });
  const r = await run(['package.json', 'main.parameters.json', '--format', 'json'], dir);
  assert.is(r.code, 1, 'main.json linted with the changed parameter file: Dynamic IP');
  assert.equal(JSON.parse(r.out).files.map((f: { path: string }) => f.path), ['main.json']);
  assert.is((await run(['empty'], dir)).code, 2);
});

cli.run();
