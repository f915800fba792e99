// The library API as tool authors use it: lint() and lintText() from the source, then the built package through
// its "exports" (import 'egress-lint', the types, and the README example run for real).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError, format, formats, lint, lintText, rules } from '../api/index.js';
import type { LintReport } from '../api/index.js';
import { main } from '../cli/main.js';
import { capture } from './harness/io.js';
import { ROOT, builtPackage, runNode, tempDir } from './harness/package.js';

const FIXTURES = join(ROOT, 'fixtures/eslint');
const failingText = readFileSync(join(FIXTURES, 'failing.json'), 'utf8');
const failingParams = readFileSync(join(FIXTURES, 'failing.parameters.json'), 'utf8');

async function cli(args: string[], cwd = ROOT): Promise<{ code: number; out: string }> {
  const c = capture(cwd);
  const code = await main(args, c.io);
  return { code, out: c.out() };
}

async function rejects(p: Promise<unknown> | (() => unknown), pattern: RegExp): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    assert.instance(e, UsageError);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`expected a UsageError matching ${pattern}`);
}

const brief = (r: LintReport) => r.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.ruleId}`);

const api = suite('library API (source)');

api('lint() returns exactly the --format json report, with the raw results hidden from JSON', async () => {
  const report = await lint('examples', { cwd: ROOT });
  const want = await cli(['examples', '--format', 'json']);
  assert.is(JSON.stringify(report, null, 2) + '\n', want.out);
  assert.equal(Object.keys(report), ['version', 'tool', 'files', 'vms', 'findings']);
  assert.is(report.results.length, 4);
  assert.is(Object.getOwnPropertyDescriptor(report, 'results')?.enumerable, false);
  assert.ok(report.results.every((r) => r.findings.every((f) => typeof f.help === 'string' && f.endLine >= f.line)));
  const again = await lint(['examples'], { cwd: ROOT });
  assert.is(JSON.stringify(again), JSON.stringify(report), 'same input, same report');
});

api('lint() takes rule levels, a scope, several paths and ignores, like the CLI flags', async () => {
  const report = await lint(['examples/legacy-vm', 'examples/multi-nic'], {
    cwd: ROOT,
    rules: { 'dynamic-public-ip': 'off', 'retired-sku': 'error' },
    scope: { subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroup: 'rg-api' },
    ignore: ['examples/multi-nic/**'],
  });
  assert.equal(report.files, [{ path: 'examples/legacy-vm/azuredeploy.json', templates: 1 }]);
  assert.equal(brief(report), ['examples/legacy-vm/azuredeploy.json:30:7 error retired-sku']);
  assert.match(report.vms[0].id, /^\/subscriptions\/11111111-2222-3333-4444-555555555555\/resourceGroups\/rg-api\/providers\/Microsoft\.Compute\/virtualMachines\/vm-legacy$/);
});

api('lint() pairs <name>.parameters.json with its template, or takes options.parameters', async () => {
  const paired = await lint('fixtures/eslint/failing.json', { cwd: ROOT });
  assert.equal(brief(paired), ['fixtures/eslint/failing.json:25:7 warning retired-sku', 'fixtures/eslint/failing.json:42:15 error dynamic-public-ip']);
  const dir = tempDir('egress-lint-api-');
  writeFileSync(join(dir, 'main.json'), failingText);
  writeFileSync(join(dir, 'prod.json'), failingParams);
  assert.equal(brief(await lint('main.json', { cwd: dir })), [], 'no parameter file: Standard and Static by default');
  assert.equal(brief(await lint('main.json', { cwd: dir, parameters: 'prod.json' })), ['main.json:25:7 warning retired-sku', 'main.json:42:15 error dynamic-public-ip']);
});

api('lint() reads linked templates by a URL prefix options.links maps to a folder, and refuses a bad entry', async () => {
  const dir = tempDir('egress-lint-api-links-');
  const schema = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
  const vnet = { $schema: schema, contentVersion: '1.0.0.0', resources: [{ type: 'Microsoft.Network/virtualNetworks', apiVersion: '2024-05-01', name: 'vnet1', location: 'westeurope', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 'default', properties: { addressPrefix: '10.0.0.0/24', defaultOutboundAccess: false } }] } }] };
  const main = {
    $schema: schema,
    contentVersion: '1.0.0.0',
    resources: [
      { type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: 'net', properties: { mode: 'Incremental', templateLink: { uri: 'https://example.com/t/vnet.json' } } },
      { type: 'Microsoft.Network/networkInterfaces', apiVersion: '2024-05-01', name: 'nic1', location: 'westeurope', properties: { ipConfigurations: [{ name: 'ipconfig1', properties: { subnet: { id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet1', 'default')]" } } }] } },
      { type: 'Microsoft.Compute/virtualMachines', apiVersion: '2024-07-01', name: 'vm1', location: 'westeurope', properties: { networkProfile: { networkInterfaces: [{ id: "[resourceId('Microsoft.Network/networkInterfaces', 'nic1')]" }] } } },
    ],
  };
  writeFileSync(join(dir, 'main.json'), JSON.stringify(main));
  writeFileSync(join(dir, 'vnet.json'), JSON.stringify(vnet));
  const unread = await lint('main.json', { cwd: dir });
  assert.equal(unread.vms.map((v) => v.verdict), ['unknown']);
  const read = await lint('main.json', { cwd: dir, links: { 'https://example.com/t/': '.' } });
  assert.equal(read.vms.map((v) => v.verdict), ['no-egress'], JSON.stringify(read.findings));
  let error: unknown;
  await lint('main.json', { cwd: dir, links: { 'not a url': '.' } }).catch((e: unknown) => (error = e));
  assert.instance(error, UsageError);
  assert.match(String(error), /options\.links/);
});

api('lint() finds no template in a folder without one: an empty report, not an error', async () => {
  const dir = tempDir('egress-lint-api-');
  writeFileSync(join(dir, 'package.json'), '{"name": "x"}');
  const report = await lint('.', { cwd: dir });
  assert.equal([report.files, report.vms, report.findings], [[], [], []]);
});

api('bad options are UsageErrors naming the problem; template problems are findings', async () => {
  await rejects(lint('no/such/folder', { cwd: ROOT }), /No such file or folder: no\/such\/folder/);
  await rejects(lint('examples', { cwd: ROOT, rules: { 'no-such-rule': 'error' } }), /Unknown rule 'no-such-rule' in options\.rules/);
  await rejects(lint('examples', { cwd: ROOT, rules: { 'retired-sku': 'loud' as 'error' } }), /Unknown level 'loud' for rule retired-sku/);
  await rejects(lint('examples', { cwd: ROOT, scope: { region: 'x' } as never }), /Unknown field 'region' in options\.scope/);
  await rejects(lint(['examples/legacy-vm', 'examples/multi-nic'], { cwd: ROOT, parameters: 'p.json' }), /exactly one path/);
  await rejects(() => lintText('{}', { rules: { nope: 'off' } }), /Unknown rule 'nope'/);
  await rejects(() => format(lintText('{}'), 'xml'), /Unknown format 'xml'/);
  const broken = lintText('{ "resources": [ }', { file: 'broken.json' });
  assert.ok(broken.findings.length > 0 && broken.findings.every((f) => f.ruleId === 'template-invalid' && f.file === 'broken.json'));
});

api('lintText() lints a template in memory, with parameters as values or as a parameter file text', () => {
  const plain = lintText(failingText, { file: 'infra/main.json' });
  assert.equal(brief(plain), []);
  assert.equal(plain.files, [{ path: 'infra/main.json', templates: 1 }]);
  assert.equal(plain.vms.map((v) => [v.name, v.verdict]), [['vm1', 'deterministic']]);
  const want = ['infra/main.json:25:7 warning retired-sku', 'infra/main.json:42:15 error dynamic-public-ip'];
  assert.equal(brief(lintText(failingText, { file: 'infra/main.json', parameters: { pipSku: 'Basic', pipAllocation: 'Dynamic' } })), want);
  assert.equal(brief(lintText(failingText, { file: 'infra/main.json', parameters: failingParams })), want);
  assert.equal(lintText(failingText).files, [{ path: 'template.json', templates: 1 }]);
});

api('lint() and lintText() take the allow-list: egress outside it is egress-not-allowed; bad entries throw', async () => {
  const allowed = (r: LintReport) => r.findings.filter((f) => f.ruleId === 'egress-not-allowed').length;
  assert.is(allowed(lintText(failingText, { file: 'main.json' })), 0, 'no allow-list: the rule is silent');
  assert.is(allowed(lintText(failingText, { file: 'main.json', allow: ['pip-other'] })), 1);
  assert.is(allowed(lintText(failingText, { file: 'main.json', allow: ['pip-*'] })), 0);
  const all = await lint('examples/hub-spoke', { cwd: ROOT, allow: ['pip-nothing'] });
  assert.ok(allowed(all) > 0);
  assert.is(allowed(await lint('examples/hub-spoke', { cwd: ROOT, allow: ['pip-fw-hub'] })), 0);
  await rejects(() => lintText('{}', { allow: ['10.0.0.1/8'] }), /options\.allow\[0\] '10\.0\.0\.1\/8' has host bits set/);
  await rejects(() => lintText('{}', { allow: 'pip' as never }), /options\.allow must be an array of strings/);
});

api('lintText() reports a bad parameter file text under its own name', () => {
  const bad = lintText(failingText, { file: 'main.json', parameters: '{"parameters": {"pipSku": 5}}', parametersFile: 'prod.parameters.json' });
  assert.equal(bad.findings.map((f) => [f.file, f.line, f.column, f.ruleId, f.message]), [
    ['prod.parameters.json', 1, 17, 'template-invalid', "The parameter 'pipSku' must be an object with a 'value'."],
  ]);
  assert.is(lintText(failingText, { file: 'main.json', parameters: '{"parameters": {"pipSku": 5}}' }).findings[0].file, 'main.parameters.json');
});

api('lintText() keeps parameter names such as __proto__ as plain keys', () => {
  const values = JSON.parse('{"__proto__": {"polluted": true}, "pipSku": "Basic"}') as Record<string, unknown>;
  const report = lintText(failingText, { parameters: values });
  assert.equal(brief(report), ['template.json:25:7 warning retired-sku']);
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

api('lintText() reads no file: a linked template stays unresolved and the VM is unknown', () => {
  const report = lintText(readFileSync(join(FIXTURES, 'passing.json'), 'utf8'), { file: 'passing.json' });
  assert.equal(report.vms.map((v) => v.verdict), ['unknown']);
  assert.ok(report.findings.some((f) => f.ruleId === 'unresolved-egress'));
});

api('suppressed findings stay out of report.findings and keep their reason in report.results', () => {
  const text = failingText.replace('"name": "pip-vm1",', '"name": "pip-vm1", "metadata": { "egress-lint": { "suppress": [ { "rule": "retired-sku", "reason": "Migrating in Q3." } ] } },');
  const report = lintText(text, { parameters: failingParams });
  assert.equal(brief(report), ['template.json:42:15 error dynamic-public-ip']);
  assert.equal(report.results[0].findings.filter((f) => f.suppression).map((f) => [f.ruleId, f.suppression?.justification]), [['retired-sku', 'Migrating in Q3.']]);
});

api('format() renders a report as the CLI does', async () => {
  const report = await lint('examples', { cwd: ROOT });
  assert.is(format(report, 'stylish'), (await cli(['examples', '--no-color'])).out);
  assert.is(format(report, 'json'), (await cli(['examples', '--format', 'json'])).out);
  assert.ok(formats().includes('stylish') && formats().includes('json'));
  for (const name of formats()) assert.type(format(report, name), 'string');
  assert.equal(rules.map((r) => r.id), [...rules.map((r) => r.id)].sort());
});

api.run();

const pkg = suite('library API (built package)');

pkg('import("egress-lint") resolves through "exports" to the built API, and gives the CLI report', async () => {
  const dir = builtPackage();
  // node -e resolves from its working folder: the package's own, where the name refers to itself through "exports".
  const script = `import('egress-lint').then(async (m) => { const r = await m.lint('examples', { cwd: process.argv[1] }); process.stdout.write(JSON.stringify({ exports: Object.keys(m).sort(), report: r })); })`;
  const r = runNode(['--input-type=module', '-e', script, ROOT], dir);
  assert.is(r.err, '');
  assert.is(r.code, 0);
  const got = JSON.parse(r.out) as { exports: string[]; report: unknown };
  assert.equal(got.exports, ['UsageError', 'format', 'formats', 'lint', 'lintText', 'rules']);
  assert.equal(got.report, JSON.parse((await cli(['examples', '--format', 'json'])).out));
  const deep = runNode(['--input-type=module', '-e', "import('egress-lint/dist/engine/index.js').then(() => console.log('reachable'), (e) => console.log(e.code))"], dir);
  assert.is(deep.out.trim(), 'ERR_PACKAGE_PATH_NOT_EXPORTED', 'only the exported entry points are reachable');
});

pkg('the built types resolve for a TypeScript consumer (NodeNext)', () => {
  const dir = builtPackage();
  writeFileSync(
    join(dir, 'consumer.ts'),
    `import { lint, lintText, UsageError } from 'egress-lint';
import type { LintReport, VmReport, Finding } from 'egress-lint';
import egressLint from 'egress-lint/eslint-plugin';
import type { Linter } from 'eslint';
const report: LintReport = await lint(['infra'], { cwd: '.', rules: { 'retired-sku': 'off' } });
const vms: readonly VmReport[] = report.vms;
const all: readonly Finding[] = report.results.flatMap((r) => r.findings);
const n: number = lintText('{}').findings.length + vms.length + all.length;
// @ts-expect-error a level that does not exist
await lint('x', { rules: { 'retired-sku': 'loud' } });
// @ts-expect-error verdicts are strings
const wrong: number = report.vms[0].verdict;
const configs: Linter.Config[] = [...egressLint.configs.recommended];
const rule: unknown = egressLint.rules['retired-sku'];
export { n, wrong, configs, rule, UsageError };
`,
  );
  writeFileSync(join(dir, 'tsconfig.consumer.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2023', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, files: ['consumer.ts'] }));
  const r = runNode([join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.consumer.json')], dir);
  assert.is(r.out + r.err, '');
  assert.is(r.code, 0);
});

/** The README's library example: its code block is run against the built package, its output block must match. */
pkg('the README library example runs and prints what the README shows', () => {
  const dir = builtPackage();
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /<!-- section:editor:start -->([\s\S]*?)<!-- section:editor:end -->/.exec(readme)?.[1] ?? '';
  const m = /```js\n(\/\/ egress\.mjs[^\n]*\n[\s\S]*?)```\n\n```console\n\$ node egress\.mjs\n([\s\S]*?)```\n/.exec(section);
  assert.ok(m, 'README editor section needs the egress.mjs example followed by its ```console output');
  writeFileSync(join(dir, 'egress.mjs'), m![1]);
  const r = runNode([join(dir, 'egress.mjs')], ROOT);
  assert.is(r.err, '');
  assert.is(r.code, 1, 'the examples have error-level findings');
  if (process.env.UPDATE && m![2] !== r.out) writeFileSync(join(ROOT, 'README.md'), readme.replace(m![0], m![0].replace(`$ node egress.mjs\n${m![2]}`, `$ node egress.mjs\n${r.out}`)));
  else assert.is(m![2], r.out, 'run UPDATE=1 npm test to refresh the README output');
});

pkg.run();
