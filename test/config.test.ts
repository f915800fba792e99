// The configuration file as users write it: found upwards (up to the repository root) or given by --config, JSONC,
// validated against the schema generated from the rule registry (cli/config/schema.json, UPDATE=1 rewrites it),
// explained in plain words on exit 2, and overridden by flags.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv } from 'ajv';
import { buildConfigSchema, CONFIG_FILE, findConfig, loadConfig, SCHEMA_PATH } from '../cli/config.js';
import { rules } from '../rules/index.js';
import { runCli, scratchDir } from './harness/io.js';

const root = new URL('..', import.meta.url).pathname;
const VM = readFileSync(join(root, 'fixtures/config/vm.json'), 'utf8');
const BASIC = readFileSync(join(root, 'fixtures/config/basic.parameters.json'), 'utf8');
const BASIC_STATIC = readFileSync(join(root, 'fixtures/config/basic-static.parameters.json'), 'utf8');

/** A scratch repository (with a .git folder, so the config search stops there) holding `files`. */
const repo = (files: Record<string, string | Buffer>): string => scratchDir(files, true);
const run = runCli;

async function findings(args: string[], cwd: string): Promise<{ code: number; ids: string[]; report: { vms: { id: string; verdict: string }[] }; err: string }> {
  const r = await run([...args, '--format', 'json'], cwd);
  if (r.code === 2) return { code: 2, ids: [], report: { vms: [] }, err: r.err };
  const report = JSON.parse(r.out);
  return { code: r.code, ids: report.findings.map((f: { file: string; ruleId: string; severity: string }) => `${f.file} ${f.ruleId} ${f.severity}`), report, err: r.err };
}

const schema = suite('config schema');

schema('cli/config/schema.json is generated from the rule registry (UPDATE=1 rewrites it)', () => {
  const file = join(root, SCHEMA_PATH);
  const want = `${JSON.stringify(buildConfigSchema(rules), null, 2)}\n`;
  let have = '';
  try {
    have = readFileSync(file, 'utf8');
  } catch {
    // missing: written below with UPDATE=1
  }
  if (process.env.UPDATE && have !== want) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, want);
  } else assert.is(have, want, 'run UPDATE=1 npm test to regenerate cli/config/schema.json');
});

schema('the schema lists every rule with its levels, and ajv compiles it strictly', () => {
  const s = buildConfigSchema(rules) as { properties: { rules: { properties: Record<string, { enum: string[] }> } } };
  assert.equal(Object.keys(s.properties.rules.properties), rules.map((r) => r.id).sort());
  for (const p of Object.values(s.properties.rules.properties)) assert.equal(p.enum, ['error', 'warning', 'note', 'off']);
  new Ajv({ strict: true }).compile(s);
});

schema('the package ships the schema (package.json "files")', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };
  assert.ok(pkg.files.includes(SCHEMA_PATH), `package.json "files" needs "${SCHEMA_PATH}"`);
});

schema('every configuration example in the README is valid', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = /<!-- section:config:start -->([\s\S]*?)<!-- section:config:end -->/.exec(readme)?.[1] ?? '';
  const blocks = [...section.matchAll(/```jsonc?\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 1, 'the README config section shows a configuration file');
  for (const text of blocks) {
    const dir = repo({ [CONFIG_FILE]: text });
    await loadConfig(join(dir, CONFIG_FILE), dir, rules); // rejects with the reason when invalid
  }
});

schema.run();

const search = suite('config search');

search('found in the working directory or a folder above it', () => {
  const dir = repo({ [CONFIG_FILE]: '{}', 'infra/app/x.txt': '' });
  assert.is(findConfig(join(dir, 'infra/app')), join(dir, CONFIG_FILE));
  assert.is(findConfig(dir), join(dir, CONFIG_FILE));
});

search('the nearest one wins', () => {
  const dir = repo({ [CONFIG_FILE]: '{}', [`infra/${CONFIG_FILE}`]: '{}', 'infra/app/x.txt': '' });
  assert.is(findConfig(join(dir, 'infra/app')), join(dir, 'infra', CONFIG_FILE));
});

search('the search stops at the repository root (.git), so a config above the checkout does not apply', () => {
  const outer = mkdtempSync(join(tmpdir(), 'egress-lint-outer-'));
  writeFileSync(join(outer, CONFIG_FILE), '{ "rules": { "retired-sku": "off" } }');
  mkdirSync(join(outer, 'checkout/.git'), { recursive: true });
  mkdirSync(join(outer, 'checkout/infra'));
  assert.is(findConfig(join(outer, 'checkout/infra')), undefined);
  // A .git file (a worktree or submodule) is a repository root too.
  mkdirSync(join(outer, 'wt/infra'), { recursive: true });
  writeFileSync(join(outer, 'wt/.git'), 'gitdir: ../checkout/.git/worktrees/wt\n');
  assert.is(findConfig(join(outer, 'wt/infra')), undefined);
  // Without a repository, the search goes on up.
  mkdirSync(join(outer, 'plain/infra'), { recursive: true });
  assert.is(findConfig(join(outer, 'plain/infra')), join(outer, CONFIG_FILE));
});

search.run();

const apply = suite('config applied by the CLI');

apply('rule levels, with comments and trailing commas (JSONC)', async () => {
  const dir = repo({ 'main.json': VM, 'main.parameters.json': BASIC_STATIC });
  assert.equal((await findings(['.'], dir)).ids, ['main.json retired-sku warning']);
  writeFileSync(join(dir, CONFIG_FILE), '{\n  // the firewall team accepts Basic for now\n  "rules": { "retired-sku": "error", },\n}\n');
  const r = await findings(['.'], dir);
  assert.equal(r.ids, ['main.json retired-sku error']);
  assert.is(r.code, 1);
});

apply('--rule overrides the config, rule by rule', async () => {
  const dir = repo({ 'main.json': VM, 'main.parameters.json': BASIC, [CONFIG_FILE]: '{ "rules": { "retired-sku": "off", "dynamic-public-ip": "warning" } }' });
  assert.equal((await findings(['.'], dir)).ids, ['main.json dynamic-public-ip warning']);
  assert.equal((await findings(['.', '--rule', 'retired-sku=note'], dir)).ids, ['main.json retired-sku note', 'main.json dynamic-public-ip warning']);
});

apply('maxWarnings, overridden by --max-warnings', async () => {
  const dir = repo({ 'main.json': VM, 'main.parameters.json': BASIC_STATIC, [CONFIG_FILE]: '{ "maxWarnings": 0 }' });
  const r = await run(['.'], dir);
  assert.is(r.code, 1);
  assert.match(r.err, /1 warnings exceed the maximum of 0 \(maxWarnings in egress-lint\.config\.json\)/);
  assert.is((await run(['.', '--max-warnings', '1'], dir)).code, 0);
});

apply('scope, overridden field by field by the flags', async () => {
  const dir = repo({ 'main.json': VM, [CONFIG_FILE]: '{ "scope": { "subscriptionId": "11111111-2222-3333-4444-555555555555", "resourceGroup": "rg-config" } }' });
  const a = await findings(['.'], dir);
  assert.match(a.report.vms[0].id, /^\/subscriptions\/11111111-2222-3333-4444-555555555555\/resourceGroups\/rg-config\//);
  const b = await findings(['.', '--resource-group', 'rg-flag'], dir);
  assert.match(b.report.vms[0].id, /^\/subscriptions\/11111111-2222-3333-4444-555555555555\/resourceGroups\/rg-flag\//);
});

apply('ignore globs are relative to the config file, also when run from a subfolder, and apply to named files', async () => {
  const dir = repo({
    'infra/app/main.json': VM,
    'infra/legacy/main.json': VM,
    'infra/legacy/main.parameters.json': BASIC,
    [CONFIG_FILE]: '{ "ignore": ["infra/legacy/**"] }',
  });
  assert.equal((await findings(['.'], dir)).ids, []);
  const sub = await run(['.', '--format', 'json'], join(dir, 'infra'));
  assert.equal(JSON.parse(sub.out).files.map((f: { path: string }) => f.path), ['app/main.json']);
  const named = await run(['legacy/main.json', 'app/main.json', '--format', 'json'], join(dir, 'infra'));
  assert.equal(JSON.parse(named.out).files.map((f: { path: string }) => f.path), ['app/main.json']);
  assert.match(named.err, /legacy\/main\.json: skipped: it matches an ignore glob/);
  // --ignore adds to the config's globs, relative to the working directory.
  const flag = await run(['.', '--ignore', 'app/**'], join(dir, 'infra'));
  assert.is(flag.code, 2, 'nothing left to lint in the searched folder');
  assert.match(flag.err, /No ARM templates found/);
});

apply('parameters by template path or glob, relative to the config; --parameters overrides', async () => {
  const dir = repo({
    'infra/a/main.json': VM,
    'infra/b/main.json': VM,
    'params/basic.json': BASIC,
    'params/basic-static.json': BASIC_STATIC,
    [CONFIG_FILE]: '{ "parameters": { "infra/a/main.json": "params/basic-static.json", "infra/*/main.json": "params/basic.json" } }',
  });
  const r = await findings(['infra'], dir);
  assert.equal(r.ids, ['infra/a/main.json retired-sku warning', 'infra/b/main.json retired-sku warning', 'infra/b/main.json dynamic-public-ip error']);
  const sub = await findings(['.'], join(dir, 'infra/b'));
  assert.equal(sub.ids, ['main.json retired-sku warning', 'main.json dynamic-public-ip error'], 'from a subfolder too');
  const flag = await findings(['infra/b/main.json', '--parameters', 'params/basic-static.json'], dir);
  assert.equal(flag.ids, ['infra/b/main.json retired-sku warning']);
});

apply('--config names the file; its paths are relative to it', async () => {
  const dir = repo({ 'main.json': VM, 'main.parameters.json': BASIC, 'ci/strict.json': '{ "rules": { "retired-sku": "off" }, "ignore": ["../other/**"] }' });
  assert.equal((await findings(['.', '--config', 'ci/strict.json'], dir)).ids, ['main.json dynamic-public-ip error']);
  assert.equal((await findings(['.', '-c', 'ci/strict.json'], dir)).ids, ['main.json dynamic-public-ip error']);
});

apply.run();

const bad = suite('bad config: exit 2 with the file and the reason');

async function badConfig(text: string, args: string[] = ['.']) {
  const dir = repo({ 'main.json': VM, [CONFIG_FILE]: text });
  const r = await run(args, dir);
  assert.is(r.code, 2, r.err);
  assert.is(r.out, '');
  assert.not.match(r.err, /--help/, 'no usage hint: the flags were fine');
  return r.err;
}

bad('a rule level outside the enum', async () => {
  assert.is(await badConfig('{ "rules": { "implicit-lb-snat": "fatal" } }'), 'egress-lint: egress-lint.config.json: rules.implicit-lb-snat must be one of error, warning, note, off\n');
});

bad('an unknown rule, an unknown property (with a suggestion), wrong types, a negative maxWarnings', async () => {
  assert.match(await badConfig('{ "rules": { "retired-skus": "off" } }'), /egress-lint\.config\.json: rules\.retired-skus is not an egress-lint rule \(did you mean 'retired-sku'\?\)/);
  assert.match(await badConfig('{ "rule": {} }'), /egress-lint\.config\.json: the configuration has an unknown property 'rule' \(did you mean 'rules'\?\)/);
  assert.match(await badConfig('{ "scope": { "region": "westeurope" } }'), /scope has an unknown property 'region'/);
  assert.match(await badConfig('{ "ignore": "legacy/**" }'), /egress-lint\.config\.json: ignore must be an array/);
  assert.match(await badConfig('{ "ignore": ["ok/**", 3] }'), /ignore\[1\] must be a string/);
  assert.match(await badConfig('{ "maxWarnings": -1 }'), /maxWarnings must be at least 0/);
  assert.match(await badConfig('{ "maxWarnings": 1.5 }'), /maxWarnings must be a whole number/);
  assert.match(await badConfig('{ "parameters": { "infra/*.json": 1 } }'), /parameters\["infra\/\*\.json"\] must be a string/);
  assert.match(await badConfig('[]'), /egress-lint\.config\.json: the configuration must be an object/);
  assert.match(await badConfig('{ "parameters": { "main.bicep": "prod.bicepparam" } }'), /is a \.bicepparam file; lint the \.bicepparam file itself/);
});

bad('every problem is listed, one per line', async () => {
  const err = await badConfig('{ "rules": { "retired-sku": "loud" }, "maxWarnings": "3" }');
  assert.equal(err.trim().split('\n'), [
    'egress-lint: egress-lint.config.json: rules.retired-sku must be one of error, warning, note, off',
    'egress-lint.config.json: maxWarnings must be a whole number',
  ]);
});

bad('a syntax error names the line and column', async () => {
  assert.match(await badConfig('{\n  "rules": {\n    "retired-sku" "off"\n  }\n}\n'), /egress-lint\.config\.json:3:19: the file is not valid JSON \(ColonExpected\)/);
  assert.match(await badConfig(''), /egress-lint\.config\.json:1:1: the file is not valid JSON/);
});

bad('a config found above the working directory is named by its relative path', async () => {
  const dir = repo({ 'infra/main.json': VM, [CONFIG_FILE]: '{ "maxWarnings": "x" }' });
  const r = await run(['.'], join(dir, 'infra'));
  assert.is(r.code, 2);
  assert.match(r.err, /^egress-lint: \.\.\/egress-lint\.config\.json: maxWarnings must be a whole number\n$/);
});

bad('--config with a missing file or a folder', async () => {
  const dir = repo({ 'main.json': VM });
  const missing = await run(['.', '--config', 'nope.json'], dir);
  assert.is(missing.code, 2);
  assert.match(missing.err, /Cannot read the configuration file nope\.json \(ENOENT\)/);
  const folder = await run(['.', '--config', '.git'], dir);
  assert.is(folder.code, 2);
  assert.match(folder.err, /Cannot read the configuration file \.git: it is a folder, not a regular file\./);
});

bad.run();
