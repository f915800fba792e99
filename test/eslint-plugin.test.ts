// The ESLint plugin run by ESLint itself, as editors run it: the recommended config on fixtures/eslint (a failing
// and a passing template, a parameter file, a linked template, a JSON file that is not a template), unsaved
// buffers, settings, and the README's eslint.config.js through the built package and the eslint CLI.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import type { Linter } from 'eslint';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import plugin from '../eslint-plugin/index.js';
import { lint } from '../api/index.js';
import { ruleDocUrl } from '../rules/index.js';
import { rules } from '../rules/index.js';
import { ROOT, builtPackage, runNode, tempDir } from './harness/package.js';

const FIXTURES = join(ROOT, 'fixtures/eslint');
const failingText = readFileSync(join(FIXTURES, 'failing.json'), 'utf8');

function eslintIn(cwd: string, extra: Linter.Config[] = []): ESLint {
  return new ESLint({ cwd, overrideConfigFile: true, overrideConfig: [...plugin.configs.recommended, ...extra] });
}

type Msg = [ruleId: string | null, severity: number, line: number, column: number, endLine: number | undefined, endColumn: number | undefined, message: string];
const msgs = (r: ESLint.LintResult): Msg[] => r.messages.map((m) => [m.ruleId, m.severity, m.line, m.column, m.endLine, m.endColumn, m.message]);

const RETIRED: Msg = ['egress-lint/retired-sku', 1, 25, 7, 25, 15, "Public IP 'pip-vm1' uses the Basic SKU, which Azure retired on 30 September 2025."];
const DYNAMIC: Msg = ['egress-lint/dynamic-public-ip', 2, 42, 15, 42, 108, "'vm1' sends Internet traffic through public IP 'pip-vm1', whose allocation is Dynamic, so its address changes whenever it is deallocated."];

const shape = suite('eslint plugin: shape');

shape('one ESLint rule per egress-lint rule, with its page, and a recommended config at the default levels', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(plugin.meta, { name: 'egress-lint', version: pkg.version, namespace: 'egress-lint' });
  // Rules that compare with a project setting (allow-list, lock file) run in the CLI only.
  assert.equal(Object.keys(plugin.rules), rules.filter((r) => !r.needs).map((r) => r.id));
  assert.ok(!('egress-changed' in plugin.rules) && !('egress-not-allowed' in plugin.rules));
  for (const r of rules.filter((x) => !x.needs)) {
    const meta = plugin.rules[r.id].meta;
    assert.is(meta?.docs?.url, ruleDocUrl(r.id));
    assert.is(meta?.docs?.description, r.description);
  }
  const [config] = plugin.configs.recommended;
  assert.equal(config.files, ['**/*.json', '**/*.jsonc']);
  assert.is(config.language, 'json/jsonc');
  assert.is(config.plugins?.['egress-lint'], plugin);
  assert.equal(config.rules, Object.fromEntries(rules.filter((r) => !r.needs).map((r) => [`egress-lint/${r.id}`, r.severity === 'error' ? 'error' : 'warn'])));
});

shape.run();

const run = suite('eslint plugin: ESLint on fixtures/eslint');

run('the recommended config reports the failing template only, at the CLI positions', async () => {
  const results = await eslintIn(FIXTURES).lintFiles(['.']);
  const byFile = Object.fromEntries(results.map((r) => [relative(FIXTURES, r.filePath), msgs(r)]));
  assert.equal(byFile, {
    'failing.json': [RETIRED, DYNAMIC],
    'failing.parameters.json': [],
    'network/nat.json': [],
    'passing.json': [],
    'settings.json': [],
  });
  // The same findings, lines and columns as the library (and so the CLI) gives.
  const report = await lint('.', { cwd: FIXTURES });
  assert.equal(report.findings.map((f) => [`egress-lint/${f.ruleId}`, f.line, f.column, f.message]), [RETIRED, DYNAMIC].map((m) => [m[0], m[2], m[3], m[6]]));
});

run('ESLint config turns rules off and changes their levels', async () => {
  const [result] = await eslintIn(FIXTURES, [{ files: ['**/*.json'], rules: { 'egress-lint/dynamic-public-ip': 'off', 'egress-lint/retired-sku': 'error' } }]).lintFiles(['failing.json']);
  assert.equal(msgs(result), [[...RETIRED.slice(0, 1), 2, ...RETIRED.slice(2)] as Msg]);
});

run('the unsaved text is linted, not the file on disk (the parameter file beside it still applies)', async () => {
  const buffer = failingText.replace(`,
              "publicIPAddress": { "id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-vm1')]" }`, '');
  assert.not.equal(buffer, failingText);
  const [result] = await eslintIn(FIXTURES).lintText(buffer, { filePath: join(FIXTURES, 'failing.json') });
  assert.equal(
    msgs(result).map((m) => m.slice(0, 4)),
    [
      ['egress-lint/retired-sku', 1, 25, 7],
      ['egress-lint/default-outbound-access', 2, 38, 11],
    ],
  );
});

run('a byte order mark does not shift positions', async () => {
  const [result] = await eslintIn(FIXTURES).lintText('\uFEFF' + failingText, { filePath: join(FIXTURES, 'failing.json') });
  assert.equal(msgs(result), [RETIRED, DYNAMIC]);
});

run('a range over several lines is underlined on its first line only', async () => {
  // retired-sku points at "sku": { … } over three lines: the squiggle covers its first line, up to the brace.
  assert.equal(failingText.split('\n')[24].slice(RETIRED[3] - 1, (RETIRED[5] as number) - 1), '"sku": {');
  const report = await lint('failing.json', { cwd: FIXTURES });
  const full = report.results[0].findings.find((f) => f.ruleId === 'retired-sku');
  assert.equal([full?.line, full?.endLine], [25, 27]);
});

run('settings: a parameter file, the scope; findings in another file show on line 1', async () => {
  const dir = tempDir('egress-lint-eslint-');
  writeFileSync(join(dir, 'main.json'), failingText);
  writeFileSync(join(dir, 'prod.json'), readFileSync(join(FIXTURES, 'failing.parameters.json')));
  writeFileSync(join(dir, 'bad.json'), '{\n  "parameters": { "pipSku": 5 }\n}\n');
  const withSettings = (settings: unknown) => eslintIn(dir, [{ files: ['**/*.json'], settings: { 'egress-lint': settings } }]);
  const [prod] = await withSettings({ parameters: 'prod.json' }).lintFiles(['main.json']);
  assert.equal(msgs(prod), [RETIRED, DYNAMIC]);
  const [bad] = await withSettings({ parameters: 'bad.json' }).lintFiles(['main.json']);
  assert.equal(msgs(bad), [['egress-lint/template-invalid', 2, 1, 1, 1, 1, "The parameter 'pipSku' must be an object with a 'value'. (in bad.json:2:19)"]]);
  // The scope reaches the expressions: an allocation method computed from resourceGroup().name.
  const scoped = failingText.replace(`"[parameters('pipAllocation')]"`, `"[if(equals(resourceGroup().name, 'rg-legacy'), 'Dynamic', 'Static')]"`);
  writeFileSync(join(dir, 'scoped.json'), scoped);
  const [plain] = await eslintIn(dir).lintFiles(['scoped.json']);
  assert.equal(msgs(plain), []);
  const [legacy] = await withSettings({ scope: { resourceGroup: 'rg-legacy' } }).lintFiles(['scoped.json']);
  assert.equal(msgs(legacy).map((m) => m[0]), ['egress-lint/dynamic-public-ip']);
});

run('bad settings stop ESLint with a message naming them', async () => {
  const dir = tempDir('egress-lint-eslint-');
  writeFileSync(join(dir, 'main.json'), failingText);
  for (const [settings, pattern] of [
    [{ scope: { region: 'x' } }, /Unknown field 'region' in settings\['egress-lint'\]\.scope/],
    [{ parameters: 'missing.json' }, /cannot read the parameter file 'missing\.json'.*ENOENT/],
    [{ colour: true }, /unknown setting 'colour'/],
  ] as const) {
    const eslint = eslintIn(dir, [{ files: ['**/*.json'], settings: { 'egress-lint': settings } }]);
    let error: unknown;
    await eslint.lintFiles(['main.json']).catch((e: unknown) => (error = e));
    assert.instance(error, Error);
    assert.match((error as Error).message, pattern);
  }
});

run('a suppression in the resource metadata hides the finding', async () => {
  const text = failingText.replace('"name": "pip-vm1",', '"name": "pip-vm1", "metadata": { "egress-lint": { "suppress": [ { "rule": "retired-sku", "reason": "Migrating in Q3." } ] } },');
  const [result] = await eslintIn(FIXTURES).lintText(text, { filePath: join(FIXTURES, 'failing.json') });
  assert.equal(msgs(result).map((m) => m[0]), ['egress-lint/dynamic-public-ip']);
});

run('the rules refuse languages other than JSON', async () => {
  const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: [{ files: ['**/*.js'], plugins: { 'egress-lint': plugin }, rules: { 'egress-lint/retired-sku': 'error' } }] });
  let error: unknown;
  await eslint.lintText('const a = 1;\n', { filePath: join(ROOT, 'x.js') }).catch((e: unknown) => (error = e));
  assert.instance(error, Error);
  assert.match((error as Error).message, /do not support the language "js\/js"[\s\S]*egress-lint\/retired-sku/);
});

run.run();

const readme = suite('eslint plugin: the README setup');

readme("the README's eslint.config.js works with the eslint CLI and the built package", () => {
  const pkg = builtPackage();
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /<!-- section:editor:start -->([\s\S]*?)<!-- section:editor:end -->/.exec(text)?.[1] ?? '';
  const config = /```js\n(\/\/ eslint\.config\.js\n[\s\S]*?)```/.exec(section)?.[1];
  assert.ok(config, 'the README editor section needs an eslint.config.js block');
  // A project folder inside the package folder, so 'egress-lint/eslint-plugin' resolves through "exports".
  const project = join(pkg, 'project');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'eslint.config.js'), config!);
  cpSync(FIXTURES, join(project, 'infra'), { recursive: true });
  const r = runNode([join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', 'infra'], project);
  assert.is(r.err, '');
  assert.is(r.code, 1, 'error-level findings make eslint exit 1');
  const results = JSON.parse(r.out) as ESLint.LintResult[];
  const byFile = Object.fromEntries(results.map((x) => [relative(project, x.filePath), msgs(x)]));
  assert.equal(byFile, {
    'infra/failing.json': [RETIRED, DYNAMIC],
    'infra/failing.parameters.json': [],
    'infra/network/nat.json': [],
    'infra/passing.json': [],
    'infra/settings.json': [],
  });
});

readme.run();
