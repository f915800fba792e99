// The CLI as users run it: flags, exit codes 0/1/2, formats, the expand and eval commands, bad input.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../cli/main.js';
import { capture, scratchDir } from './harness/io.js';

const root = new URL('..', import.meta.url).pathname;
const cli = suite('cli');

async function run(args: string[], cwd = root) {
  const c = capture(cwd);
  const code = await main(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

const scratch = (files: Record<string, string>): string => scratchDir(files);

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

cli('--help prints usage and exits 0', async () => {
  const r = await run(['--help']);
  assert.is(r.code, 0);
  assert.match(r.out, /Usage: egress-lint/);
  assert.match(r.out, /Exit codes/);
});

cli('--version prints the package version', async () => {
  const r = await run(['--version']);
  assert.is(r.code, 0);
  assert.match(r.out, /^\d+\.\d+\.\d+\n$/);
});

cli('an unknown flag exits 2 naming it', async () => {
  const r = await run(['--frobnicate']);
  assert.is(r.code, 2);
  assert.match(r.err, /frobnicate/);
  assert.not.match(r.err, /at .*\.ts:\d+/, 'no stack trace');
});

cli('an unknown format exits 2', async () => {
  const r = await run(['examples', '--format', 'xml']);
  assert.is(r.code, 2);
  assert.match(r.err, /Unknown format 'xml'/);
});

cli('a bad --rule exits 2', async () => {
  assert.is((await run(['examples', '--rule', 'no-such-rule=error'])).code, 2);
  assert.is((await run(['examples', '--rule', 'implicit-lb-snat=loud'])).code, 2);
  assert.is((await run(['examples', '--rule', 'implicit-lb-snat'])).code, 2);
});

cli('a missing path exits 2', async () => {
  const r = await run(['does/not/exist']);
  assert.is(r.code, 2);
  assert.match(r.err, /No such file or folder: does\/not\/exist/);
});

cli('a folder without templates exits 2', async () => {
  const dir = scratch({ 'package.json': '{"name":"x"}' });
  const r = await run(['.'], dir);
  assert.is(r.code, 2);
  assert.match(r.err, /No ARM templates found/);
});

cli('the bundled examples lint with errors (exit 1) and a stylish report', async () => {
  const r = await run(['examples', '--no-color']);
  assert.is(r.code, 1);
  assert.match(r.out, /examples\/multi-nic\/main\.json/);
  assert.match(r.out, /vm-multi-nic.*non-deterministic/);
  assert.match(r.out, /vm-app-0.*deterministic/);
  assert.match(r.out, /problems? \(\d+ errors?/);
  assert.not.match(r.out, /\u001b\[/, 'no colour codes when not a TTY');
});

cli('--format json follows the report contract', async () => {
  const r = await run(['examples', '--format', 'json']);
  const report = JSON.parse(r.out);
  assert.is(report.version, 1);
  assert.is(report.tool.name, 'egress-lint');
  assert.ok(Array.isArray(report.files) && report.files.length >= 3);
  const vm = report.vms.find((v: { name: string }) => v.name === 'vm-multi-nic');
  assert.is(vm.verdict, 'non-deterministic');
  assert.equal(vm.primaryEgress.map((e: { name: string }) => e.name), ['pip-nic1']);
  assert.equal(Object.keys(vm.egress[0]), ['name', 'type', 'id', 'via', 'address', 'prefix', 'static']);
  assert.equal(Object.keys(vm.paths[0]), ['nic', 'ipConfiguration', 'primary', 'method', 'verdict', 'egress', 'because']);
  for (const f of report.findings) assert.ok(f.ruleId && f.severity && f.message && f.file && f.line >= 1 && f.column >= 1);
});

cli('two runs give byte-identical output', async () => {
  const a = await run(['examples', '--format', 'json']);
  const b = await run(['examples', '--format', 'json']);
  assert.is(a.out, b.out);
});

cli('an unreadable template is a finding with its position, exit 1', async () => {
  const dir = scratch({ 'bad.json': `{\n  "$schema": "${SCHEMA}",\n  "resources": [ {\n` });
  const r = await run(['bad.json', '--format', 'json'], dir);
  assert.is(r.code, 1);
  const report = JSON.parse(r.out);
  const parse = report.findings.filter((f: { ruleId: string; message: string }) => f.ruleId === 'template-invalid' && /^Expected/.test(f.message));
  assert.ok(parse.length > 0, 'a parse error is reported');
  for (const f of parse) assert.is(f.line, 4, 'at the end of the truncated text, not at 1:1');
});

cli('a binary file is a finding, not a crash', async () => {
  const dir = scratch({ 'x.json': '\u0000\u0001\u0002' });
  const r = await run(['x.json', '--format', 'json'], dir);
  assert.is(r.code, 1);
  assert.match(r.out, /binary/);
});

cli('--quiet hides warnings and --max-warnings turns them into exit 1', async () => {
  const q = await run(['examples/multi-nic', '--quiet', '--format', 'json']);
  const quiet = JSON.parse(q.out).findings;
  assert.ok(quiet.length > 0, 'the example has error-level findings');
  for (const f of quiet) assert.is(f.severity, 'error');
  // With its only error rule off, the example has warnings and no errors: --max-warnings alone decides the exit.
  const args = ['examples/multi-nic', '--rule', 'default-outbound-access=off', '--format', 'json'];
  const over = await run([...args, '--max-warnings', '0']);
  const findings = JSON.parse(over.out).findings as { severity: string }[];
  assert.ok(findings.some((f) => f.severity === 'warning'));
  assert.ok(findings.every((f) => f.severity !== 'error'));
  assert.is(over.code, 1);
  assert.match(over.err, /3 warnings exceed the maximum of 0 \(--max-warnings\)/);
  assert.is((await run([...args, '--max-warnings', '99'])).code, 0);
});

cli('--quiet lists only the VMs with an error finding in the stylish report; the data formats keep every VM', async () => {
  const all = await run(['examples', '--no-color']);
  const q = await run(['examples', '--quiet', '--no-color']);
  for (const shown of ['aks-shop/games', 'vm-legacy', 'vm-multi-nic']) assert.match(q.out, new RegExp(`^  ${shown} \\(`, 'm'), shown);
  for (const hidden of ['aks-shop/system', 'vm-app-0', 'vm-app-1']) {
    assert.match(all.out, new RegExp(`^  ${hidden} \\(`, 'm'), `${hidden} is listed without --quiet`);
    assert.not.match(q.out, new RegExp(`^  ${hidden} \\(`, 'm'), `${hidden} has no error finding`);
  }
  assert.not.match(q.out, /examples\/hub-spoke\/main\.json/, 'a template with neither is left out');
  assert.match(q.out, /6 VMs in 4 templates/, 'the summary still counts every VM');
  const json = JSON.parse((await run(['examples', '--quiet', '--format', 'json'])).out) as { vms: unknown[] };
  assert.is(json.vms.length, 6);
});

cli('a --parameters file that does not exist is exit 2 with the reason, as a missing configuration or inventory', async () => {
  const missing = await run(['examples/multi-nic/main.json', '-p', 'nope.json', '--format', 'json']);
  assert.is(missing.code, 2);
  assert.is(missing.out, '');
  assert.is(missing.err, 'egress-lint: Cannot read the parameter file nope.json (ENOENT).\n');
  const folder = await run(['examples/multi-nic/main.json', '--parameters', 'examples']);
  assert.is(folder.code, 2);
  assert.is(folder.err, 'egress-lint: Cannot read the parameter file examples: it is a folder, not a regular file.\n');
  const lock = await run(['lock', 'examples/multi-nic/main.json', '-p', 'nope.json']);
  assert.is(lock.code, 2);
  // A parameter file that is there but broken is the template's finding, as before.
  const dir = scratch({ 'bad.parameters.json': '{ "parameters": ' });
  const broken = await run(['examples/multi-nic/main.json', '-p', join(dir, 'bad.parameters.json'), '--format', 'json']);
  assert.is(broken.code, 1);
  assert.ok((JSON.parse(broken.out) as { findings: { ruleId: string }[] }).findings.some((f) => f.ruleId === 'template-invalid'));
});

cli('expand and eval see the configuration\'s scope (of the template\'s folder), under the flags', async () => {
  const template = JSON.stringify({
    $schema: SCHEMA,
    contentVersion: '1.0.0.0',
    resources: [{ type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2024-05-01', name: 'pip1', location: '[resourceGroup().location]', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } }],
  });
  const dir = scratchDir(
    {
      'egress-lint.config.json': JSON.stringify({ scope: { subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroup: 'rg-root', location: 'northeurope' } }),
      'infra/main.json': template,
      'infra/egress-lint.config.json': JSON.stringify({ scope: { resourceGroup: 'rg-infra' } }),
    },
    true,
  );
  const pip = (out: string): { id: string; location: string } => (JSON.parse(out) as { resources: { id: string; location: string }[] }).resources[0];
  for (const [cwd, file] of [['.', 'infra/main.json'], ['infra', 'main.json']]) {
    const r = await run(['expand', file], join(dir, cwd));
    assert.is(r.code, 0, r.err);
    assert.is(pip(r.out).id, '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-infra/providers/Microsoft.Network/publicIPAddresses/pip1', `from ${cwd}`);
    assert.is(pip(r.out).location, 'northeurope');
  }
  assert.match(pip((await run(['expand', 'infra/main.json', '--resource-group', 'rg-flag'], dir)).out).id, /\/resourceGroups\/rg-flag\//);
  assert.is((await run(['eval', '[resourceGroup().name]'], dir)).out, '"rg-root"\n');
  assert.is((await run(['eval', '[resourceGroup().name]'], join(dir, 'infra'))).out, '"rg-infra"\n');
  assert.is((await run(['eval', '[resourceGroup().name]', '--template', 'infra/main.json'], dir)).out, '"rg-infra"\n');
  assert.is((await run(['eval', '[subscription().subscriptionId]', '--subscription-id', '99999999-0000-0000-0000-000000000000'], dir)).out, '"99999999-0000-0000-0000-000000000000"\n');
});

cli('--output writes the report to a file', async () => {
  const dir = scratch({});
  const out = join(dir, 'report.json');
  const r = await run(['examples', '--format', 'json', '--output', out]);
  assert.is(r.out, '');
  assert.is(JSON.parse((await import('node:fs')).readFileSync(out, 'utf8')).version, 1);
});

cli('expand prints resources with unknowns marked', async () => {
  const r = await run(['expand', 'examples/legacy-vm/azuredeploy.json']);
  const out = JSON.parse(r.out);
  assert.is(out.parameters, 'examples/legacy-vm/azuredeploy.parameters.json');
  const vm = out.resources.find((x: { type: string }) => x.type === 'Microsoft.Compute/virtualMachines');
  assert.is(vm.name, 'vm-legacy');
  assert.equal(vm.properties.osProfile.adminPassword, { $unknown: "a Key Vault secret 'vm-admin-password' read at deployment" });
});

cli('expand --help and a missing template', async () => {
  assert.match((await run(['expand', '--help'])).out, /Usage: egress-lint expand/);
  const r = await run(['expand', 'nope.json']);
  assert.is(r.code, 2);
  assert.match(r.err, /Cannot read the template nope\.json/);
});

cli('eval evaluates one expression', async () => {
  const r = await run(['eval', "[uniqueString('aaa')]"]);
  assert.is(r.code, 0);
  assert.is(r.out, '"zavj67f3en4hc"\n');
  const t = await run(['eval', "variables('nicName')", '--template', 'examples/legacy-vm/azuredeploy.json']);
  assert.is(t.out, '"vm-legacy-nic"\n');
  const bad = await run(['eval', '[nope()]']);
  assert.is(bad.code, 1);
  assert.match(bad.err, /'nope' is not valid/);
});

cli('expand and eval show a parameter with no value as {name}, never its encoded form', async () => {
  const template = JSON.stringify({
    $schema: SCHEMA,
    contentVersion: '1.0.0.0',
    parameters: { vmName: { type: 'string' }, settings: { type: 'object' } },
    variables: { nicName: "[format('{0}-nic', parameters('vmName'))]" },
    resources: [{ type: 'Microsoft.Network/networkInterfaces', apiVersion: '2024-05-01', name: "[variables('nicName')]", location: 'westeurope', tags: { "[parameters('vmName')]": "[parameters('settings').owner]" }, properties: {} }],
  });
  const dir = scratch({ 'main.json': template });
  const expanded = await run(['expand', 'main.json'], dir);
  assert.match(expanded.out, /"name": "\{vmName\}-nic"/);
  // The reason as it is: a member read from it does not run into its last word (was "has no value.owner").
  assert.match(expanded.out, /"\{vmName\}": \{\s*"\$unknown": "parameter 'settings' has no value"/);
  assert.not.match(expanded.out, /[\uE000\uE001]/);
  const evaluated = await run(['eval', "[concat(variables('nicName'), '-pip')]", '--template', 'main.json'], dir);
  assert.is(evaluated.out, '"{vmName}-nic-pip"\n');
});

cli.run();

const suppression = suite('suppression in resource metadata');
const template = (meta: string) => `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "resources": [
    { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "pip-basic", "location": "westeurope",
      "sku": { "name": "Basic" }, "properties": { "publicIPAllocationMethod": "Static" }${meta} }
  ]
}`;

suppression('a suppression with a reason hides the finding from the report and the exit code', async () => {
  const dir = scratch({ 'main.json': template(', "metadata": { "egress-lint": { "suppress": [ { "rule": "retired-sku", "reason": "Migrating in Q3, tracked in INFRA-12." } ] } }') });
  const r = await run(['main.json', '--format', 'json', '--max-warnings', '0'], dir);
  assert.equal(JSON.parse(r.out).findings, []);
  assert.is(r.code, 0);
  const plain = await run(['main.json', '--no-color'], dir);
  assert.match(plain.out, /1 suppressed in templates/);
});

suppression('without the suppression the same template warns', async () => {
  const dir = scratch({ 'main.json': template('') });
  const r = await run(['main.json', '--format', 'json', '--max-warnings', '0'], dir);
  assert.equal(JSON.parse(r.out).findings.map((f: { ruleId: string }) => f.ruleId), ['retired-sku']);
  assert.is(r.code, 1);
});

suppression('a suppression without a reason is reported and suppresses nothing', async () => {
  const dir = scratch({ 'main.json': template(', "metadata": { "egress-lint": { "suppress": [ { "rule": "retired-sku" } ] } }') });
  const r = await run(['main.json', '--format', 'json'], dir);
  const ids = JSON.parse(r.out).findings.map((f: { ruleId: string; message: string }) => `${f.ruleId}: ${f.message}`);
  assert.ok(ids.includes("template-invalid: The suppression of 'retired-sku' on 'pip-basic' needs a 'reason'."), ids.join('\n'));
  assert.ok(ids.some((x: string) => x.startsWith('retired-sku')));
  assert.is(r.code, 1);
});

suppression.run();

// ---- CLI flags of issue 4: help examples, --report, lazy start-up, the progress line ------------------------------
const flags = suite('cli: help, --report, start-up, progress');

flags('--help names every format of the registry, with an example of each', async () => {
  const { FORMATTERS } = await import('../api/formatters/index.js');
  const r = await run(['--help']);
  for (const name of Object.keys(FORMATTERS)) {
    assert.match(r.out, new RegExp(`--format <name> .*\\b${name}\\b`), `--format lists ${name}`);
    assert.ok(name === 'stylish' || r.out.includes(`--format ${name}`), `an example of --format ${name}`);
  }
  for (const flag of ['--config', '--ignore', '--report']) assert.ok(r.out.includes(flag), flag);
});

flags('--report writes more formats from the same run; a bad --report exits 2', async () => {
  const dir = scratch({});
  const r = await run(['examples', '--format', 'json', '--report', `sarif=${join(dir, 'x.sarif')}`, '--report', `csv=${join(dir, 'x.csv')}`]);
  assert.is(r.code, 1);
  const { readFileSync } = await import('node:fs');
  assert.is(JSON.parse(readFileSync(join(dir, 'x.sarif'), 'utf8')).version, '2.1.0');
  assert.ok(readFileSync(join(dir, 'x.csv'), 'utf8').includes('vm-multi-nic'));
  const same = await run(['examples', '--format', 'sarif']);
  assert.is(readFileSync(join(dir, 'x.sarif'), 'utf8'), same.out, 'byte-identical to --format sarif');
  assert.match((await run(['examples', '--report', 'xml=x.xml'])).err, /Unknown format 'xml' in --report/);
  assert.match((await run(['examples', '--report', 'sarif'])).err, /--report expects <format>=<file>/);
});

flags('start-up: main.ts loads only node built-ins, io.ts and two import-free modules of the api before a command needs more (--version stays fast)', async () => {
  const { readFileSync } = await import('node:fs');
  // The error class the CLI catches and the version reader: neither imports anything but node:fs.
  const small = ['../api/errors.js', '../api/version.js'];
  for (const file of ['api/errors.ts', 'api/version.ts']) assert.equal([...readFileSync(join(root, file), 'utf8').matchAll(/^import\s+(?!type\s)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]).filter((s) => !s.startsWith('node:')), [], file);
  for (const file of ['cli/main.ts', 'cli/io.ts', 'cli/bin.ts']) {
    const text = readFileSync(join(root, file), 'utf8');
    const eager = [...text.matchAll(/^import\s+(?!type\s)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    for (const spec of eager) assert.ok(/^node:/.test(spec) || spec === './io.js' || spec === './main.js' || small.includes(spec), `${file} imports ${spec} eagerly; use import() in the command that needs it`);
  }
});

flags('the progress line: a terminal only, not in CI, for long runs, overwritten and erased', async () => {
  const { progressLine } = await import('../cli/progress.js');
  const draw = (isTTY: boolean, env: Record<string, string>, total: number, stepMs: number) => {
    let out = '';
    let t = 0;
    const p = progressLine({ isTTY, columns: 60, write: (s: string) => (out += s) }, env, { now: () => t });
    for (let i = 0; i < total; i++) {
      p.update('linting', i, total, `infra/t${i}.json`);
      t += stepMs;
    }
    p.end();
    return out;
  };
  assert.is(draw(false, {}, 50, 100), '', 'not a terminal');
  assert.is(draw(true, { CI: 'true' }, 50, 100), '', 'CI');
  assert.is(draw(true, { TERM: 'dumb' }, 50, 100), '', 'dumb terminal');
  assert.is(draw(true, {}, 5, 10), '', 'short run: nothing');
  const many = draw(true, {}, 21, 100);
  assert.ok(many.startsWith('\regress-lint: linting 1/21 infra/t0.json\u001b[K'), JSON.stringify(many.slice(0, 60)));
  assert.ok(many.endsWith('\r\u001b[K'), 'erased at the end');
  assert.ok(many.includes('21/21'));
  const slow = draw(true, {}, 5, 400);
  assert.not.ok(slow.includes('1/5'), 'not before a second has passed');
  assert.ok(slow.includes('4/5') && slow.endsWith('\r\u001b[K'));
  const long = draw(true, {}, 25, 100).split('\r').filter(Boolean);
  for (const line of long) assert.ok(line.replace('\u001b[K', '').length <= 59, `fits the terminal: ${line}`);
});

flags('the progress line goes to stderr during a long run on a terminal, never to stdout', async () => {
  const files: Record<string, string> = {};
  const vm = (await import('node:fs')).readFileSync(join(root, 'fixtures/config/vm.json'), 'utf8');
  for (let i = 0; i < 21; i++) files[`t${String(i).padStart(2, '0')}.json`] = vm;
  const dir = scratch(files);
  const c = capture(dir);
  let err = '';
  const io = { ...c.io, stderr: { isTTY: true, write: (s: string) => (err += s) } };
  const code = await main(['.', '--format', 'json'], io);
  assert.is(code, 0);
  assert.match(err, /^\regress-lint: linting 1\/21 t00\.json/);
  assert.ok(err.endsWith('\r\u001b[K'));
  assert.not.match(c.out(), /\r/);
  const plain = capture(dir);
  await main(['.', '--format', 'json'], plain.io);
  assert.is(plain.err(), '', 'no progress when stderr is not a terminal');
});

flags.run();
