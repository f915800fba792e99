// One file on purpose: every hostile input group of the unbreakable issues reads as one list, each test a group
// (prototype keys, path escapes, huge and deep JSON, links, pipes), so a reviewer sees what is covered at a glance.
// Hostile and broken input (issue 6, item 2): every case goes through the real CLI in-process (or the library) and
// must end in a finding that names the file and line, or exit 2 with a message naming the problem; never a stack
// trace, never a hang, never exit 0 for a template that could not be analysed. Big inputs are generated here.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintText } from '../api/index.js';
import { discover } from '../api/discover.js';
import { runCli, scratchDir } from './harness/io.js';
import { assertNoPollution } from './harness/fuzz.js';
import type { Finding } from '../engine/lint/report.js';

const ROOT = new URL('..', import.meta.url).pathname;
const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const PARAMS_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';
const MULTI_NIC = readFileSync(join(ROOT, 'examples/multi-nic/main.json'), 'utf8');

/** Text that means an exception escaped instead of becoming a finding or a message. */
const CRASH = /\n\s+at |TypeError|ReferenceError|RangeError|Maximum call stack|internal error/;

/** A finding as the JSON report prints it (api/formatters/json.ts copies these fields of the engine's Finding). */
type JsonFinding = Pick<Finding, 'ruleId' | 'severity' | 'message' | 'file' | 'line' | 'column'>;

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  readonly findings: readonly JsonFinding[];
  readonly files: readonly string[];
  readonly ms: number;
}

/** Runs the CLI with --format json (lint) or as given (expand, eval), checks that nothing crashed, and reads the report. */
async function cli(dir: string, args: string[]): Promise<Run> {
  const lint = args[0] !== 'expand' && args[0] !== 'eval';
  const t0 = performance.now();
  const r = await runCli(lint ? [...args, '--format', 'json'] : args, dir);
  const ms = performance.now() - t0;
  assert.not.match(r.out, CRASH, `no stack trace on stdout for ${args.join(' ')}`);
  assert.not.match(r.err, CRASH, `no stack trace on stderr for ${args.join(' ')}: ${r.err}`);
  const report = lint && r.out ? (JSON.parse(r.out) as { findings: JsonFinding[]; files: { path: string }[] }) : undefined;
  return { ...r, ms, findings: report?.findings ?? [], files: report?.files.map((f) => f.path) ?? [] };
}

/** A template's text: $schema and contentVersion, then `body`, pretty-printed so lines are meaningful. */
function template(body: Record<string, unknown>): string {
  return JSON.stringify({ $schema: SCHEMA, contentVersion: '1.0.0.0', ...body }, null, 2);
}

/** The 1-based line of the `nth` occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string, nth = 0): number {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' is not in the text`);
  }
  return text.slice(0, at).split('\n').length;
}

/** The one finding of `file` whose message matches; fails listing what was found instead. */
function finding(r: Run, file: string, message: RegExp, ruleId?: string): JsonFinding {
  const hit = r.findings.find((f) => f.file === file && message.test(f.message) && (ruleId === undefined || f.ruleId === ruleId));
  if (!hit) assert.unreachable(`no finding ${message} for ${file}; got ${JSON.stringify(r.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.message}`), null, 1)}`);
  return hit!;
}

const pip = (name: string, properties: Record<string, unknown> = {}) => ({
  type: 'Microsoft.Network/publicIPAddresses',
  apiVersion: '2023-04-01',
  name,
  location: 'westeurope',
  sku: { name: 'Standard' },
  properties: { publicIPAllocationMethod: 'Static', ...properties },
});
const deployment = (name: string, properties: Record<string, unknown>) => ({ type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name, properties: { mode: 'Incremental', ...properties } });
const link = (name: string, relativePath: string) => deployment(name, { templateLink: { relativePath } });

// ---- 1. truncated JSON -------------------------------------------------------------------------------------------

test('truncated JSON: a template, a parameter file and a linked template cut short are findings at their line', async () => {
  const half = MULTI_NIC.slice(0, Math.floor(MULTI_NIC.length / 2));
  const files = {
    'cut-half.json': half,
    'cut-after-brace.json': '{\n',
    // Cut inside the $schema value, so discovery cannot see a deploymentTemplate schema: still linted, not skipped.
    'cut-in-schema.json': `{\n  "$schema": "https://schema.management.azure.com/sche`,
    'empty.json': '',
    'ok.json': template({ parameters: { name: { type: 'string' } }, resources: [link('nested', 'linked/cut.json')] }),
    'ok.parameters.json': `{\n  "$schema": "${PARAMS_SCHEMA}",\n  "parameters": {\n    "name": { "value": "ab`,
    'linked/cut.json': template({ resources: [pip('p')] }).slice(0, 150),
  };
  const dir = scratchDir(files);
  const r = await cli(dir, Object.keys(files).filter((f) => f !== 'ok.parameters.json' && !f.startsWith('linked/')));
  assert.is(r.code, 1);
  const lastLine = (f: keyof typeof files) => files[f].split('\n').length;
  assert.is(finding(r, 'cut-half.json', /./, 'template-invalid').severity, 'error');
  assert.ok(r.findings.some((f) => f.file === 'cut-half.json' && f.line === lastLine('cut-half.json')), 'cut-half.json: a finding on the line where the text ends');
  assert.is(finding(r, 'cut-after-brace.json', /Expected "}"/).line, 2);
  assert.is(finding(r, 'cut-in-schema.json', /Unterminated string/).line, 2);
  assert.is(finding(r, 'empty.json', /empty/).line, 1);
  assert.is(finding(r, 'ok.parameters.json', /Unterminated string|Expected/).line, lastLine('ok.parameters.json'));
  const linked = finding(r, 'linked/cut.json', /./, 'template-invalid');
  assert.is(linked.line, lastLine('linked/cut.json'));
});

// ---- 2. wrong types everywhere -----------------------------------------------------------------------------------

test('wrong types everywhere: each section and property of the wrong type is a finding at its line', async () => {
  const text = template({
    parameters: { p: 5, q: { type: 'int', defaultValue: [] } },
    variables: { v: { copy: 'x' } },
    functions: { not: 'an array' },
    resources: [
      5,
      'text',
      null,
      { type: { a: 1 }, name: 'typeless' },
      { ...pip('nameless'), name: [] },
      { type: 'Microsoft.Network/networkInterfaces', apiVersion: '2023-04-01', name: 'nic', properties: 7 },
      { type: 'Microsoft.Network/virtualNetworks', apiVersion: '2023-04-01', name: 'vnet', properties: { subnets: { name: 'not an array' } } },
      { type: 'Microsoft.Compute/virtualMachines', apiVersion: '2023-03-01', name: 'vm', properties: { networkProfile: { networkInterfaces: 'nic' } } },
      { ...pip('p', { ipTags: 'x' }), copy: { name: 'loop', count: 'many' } },
      { type: 'Microsoft.Network/loadBalancers', apiVersion: '2023-04-01', name: 'lb', sku: [], properties: { backendAddressPools: 3, outboundRules: [null] } },
      { type: 'Microsoft.Network/routeTables', apiVersion: '2023-04-01', name: 'rt', condition: 'yes', properties: { routes: [{ name: 'r', properties: { addressPrefix: {}, nextHopType: [] } }] } },
    ],
    outputs: { o: 5, p: { value: [], copy: 'x' } },
  });
  const sections = template({ contentVersion: 1, parameters: [], variables: 'x', resources: 5, outputs: [] });
  const dir = scratchDir({ 'types.json': text, 'sections.json': sections });
  const r = await cli(dir, ['types.json', 'sections.json']);
  assert.is(r.code, 1);
  assert.is(finding(r, 'sections.json', /'resources' must be an array/).line, lineOf(sections, '"resources"'));
  const notObjects = r.findings.filter((f) => f.file === 'types.json' && /A resource must be an object/.test(f.message)).map((f) => f.line);
  assert.equal(notObjects, [lineOf(text, '    5,'), lineOf(text, '    "text"'), lineOf(text, '    null')]);
  assert.is(finding(r, 'types.json', /needs a type/).line, lineOf(text, '"name": "typeless"') - 4);
  assert.is(finding(r, 'types.json', /needs a name/).line, lineOf(text, '"name": []') - 3);
  assert.is(finding(r, 'types.json', /copy count must be a non-negative integer, got "many"/).line, lineOf(text, '"count": "many"'));
  assert.is(finding(r, 'types.json', /condition must be a Boolean/).line, lineOf(text, '"condition": "yes"'));
});

test('wrong types in JSONC (objects without a prototype) where names and types belong are findings, not TypeErrors', async () => {
  // The JSONC reader builds objects without a prototype, and String() throws on those: each of these crashed.
  const text = `// JSONC: comments make the loader build prototype-less objects\n${template({
    contentVersion: { major: 1 },
    variables: { copy: [{ name: { not: 'a string' }, count: 1, input: 1 }] },
    functions: [{ namespace: 'ns', members: { f: { parameters: [{ name: { not: 'a string' } }], output: { type: 'string', value: 'x' } } } }],
    resources: [
      { type: { not: 'a string' }, name: 'typeless' },
      pip('pip', { idleTimeoutInMinutes: '[ns.f(1)]', dnsSettings: { "[createObject('key', 'is an object')]": 1, domainNameLabel: '[deployment().properties.template.contentVersion]' } }),
    ],
  })}`;
  // A key twice, first as an array: the value keeps the object, positions are looked up in the syntax tree, where
  // the array comes first (the fuzzer found this one: it threw inside jsonc-parser).
  const duplicate = `// JSONC\n{"$schema": "${SCHEMA}", "resources": [{"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-04-01", "name": "p",\n  "properties": [],\n  "properties": {"dnsSettings": {"domainNameLabel": "[noSuchFunction()]"}}}]}`;
  const dir = scratchDir({ 'types.json': text, 'duplicate.json': duplicate });
  const r = await cli(dir, ['types.json', 'duplicate.json']);
  assert.is(r.code, 1);
  assert.is(finding(r, 'types.json', /A resource needs a type\./).line, lineOf(text, '"name": "typeless"') - 4);
  // Either 'properties' line will do (the first is where a duplicate key is found, the second holds the value).
  assert.ok([3, 4].includes(finding(r, 'duplicate.json', /The template function 'noSuchFunction' is not valid\./, 'expression-invalid').line));
});

test('wrong types everywhere: every node of a real template replaced by each other type lints without an exception', () => {
  const base = JSON.parse(MULTI_NIC) as unknown;
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, p: (string | number)[]): void => {
    paths.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...p, k]);
  };
  walk(base, []);
  const set = (root: unknown, p: (string | number)[], value: unknown): unknown => {
    if (p.length === 0) return value;
    const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, unknown>;
    copy[p[0]] = set(copy[p[0]], p.slice(1), value);
    return copy;
  };
  let cases = 0;
  for (const p of paths) {
    for (const wrong of [null, 42, 'text', [], {}]) {
      const text = JSON.stringify(set(base, p, wrong));
      let report;
      try {
        report = lintText(text, { file: 'main.json' });
      } catch (e) {
        assert.unreachable(`/${p.join('/')} = ${JSON.stringify(wrong)}: ${(e as Error).stack}`);
      }
      assert.not.match(JSON.stringify(report), CRASH);
      cases++;
    }
  }
  assert.ok(cases > 500, `${cases} cases`);
});

// ---- 3. a template that is an array or a string -----------------------------------------------------------------

test('a template that is an array, a string, a number or null is a finding at 1:1, also when found by $schema', async () => {
  const files = { 'array.json': '[]', 'string.json': '"a template"', 'number.json': '42', 'null.json': 'null', 'schema-in-array.json': `[{ "$schema": "${SCHEMA}" }]` };
  const dir = scratchDir(files);
  const named = await cli(dir, Object.keys(files));
  assert.is(named.code, 1);
  for (const f of Object.keys(files)) {
    const hit = finding(named, f, /top level must be an object/, 'template-invalid');
    assert.equal([hit.line, hit.column, hit.severity], [1, 1, 'error'], f);
  }
  const searched = await cli(dir, ['.']);
  assert.is(searched.code, 1);
  assert.equal(searched.files, ['schema-in-array.json']);
  for (const text of ['[]', '"x"', '7']) assert.match(lintText(text).findings[0].message, /top level must be an object/);
});

// ---- 4. cyclic variables ------------------------------------------------------------------------------------------

test('cyclic variables are template-invalid and cyclic parameter defaults expression-invalid, each naming the cycle', async () => {
  const text = template({
    parameters: { first: { type: 'string', defaultValue: "[parameters('second')]" }, second: { type: 'string', defaultValue: "[parameters('first')]" } },
    variables: { a: "[variables('b')]", b: "[concat(variables('a'), 'x')]", self: "[variables('self')]", unread: "[variables('unread')]" },
    resources: [pip('pip-a', { publicIPAllocationMethod: "[variables('a')]" }), pip('pip-self', { publicIPAllocationMethod: "[variables('self')]" }), { ...pip('pip-param'), sku: { name: "[parameters('first')]" } }],
  });
  const dir = scratchDir({ 'cycle.json': text });
  const r = await cli(dir, ['cycle.json']);
  assert.is(r.code, 1);
  assert.is(finding(r, 'cycle.json', /^The variable 'a' refers to itself through 'b' → 'a'; Azure rejects the whole template\.$/, 'template-invalid').line, lineOf(text, '"a": '));
  assert.is(finding(r, 'cycle.json', /^The variable 'self' refers to itself;/, 'template-invalid').line, lineOf(text, '"self": '));
  // Nothing reads it, and lint evaluates only what the network graph reads: found all the same.
  assert.is(finding(r, 'cycle.json', /^The variable 'unread' refers to itself;/, 'template-invalid').line, lineOf(text, '"unread": '));
  assert.equal(r.findings.filter((f) => /variable/.test(f.message)).length, 3, 'one finding per cycle, none from evaluating them');
  const params = finding(r, 'cycle.json', /The parameter default values form a cycle: (first → second → first|second → first → second)\./);
  assert.ok([lineOf(text, '"defaultValue"'), lineOf(text, '"defaultValue"', 1)].includes(params.line), `line ${params.line}`);
  // expand reports each cycle once; eval shows a variable of a cycle as unknown, naming it.
  const expanded = await cli(dir, ['expand', 'cycle.json']);
  assert.equal(expanded.err.split('\n').filter((l) => l.includes('refers to itself')).length, 3, expanded.err);
  const evaluated = await cli(dir, ['eval', "[variables('b')]", '--template', 'cycle.json']);
  assert.equal(JSON.parse(evaluated.out), { $unknown: "the variable 'a' refers to itself through 'b' → 'a'" });
});

test('a chain of 10,000 variables evaluates without a stack overflow; a cycle of 5,000 is one finding, in lint and expand', async () => {
  // Each variable reads the next through concat() (evaluated one inside the other, ARM's 512 overflowed the stack);
  // the last is the allocation method. In the cycle the last reads the first again.
  const chain = (n: number, cycle: boolean) => {
    const v: Record<string, string> = {};
    for (let i = 0; i < n; i++) v[`v${i}`] = i === n - 1 ? (cycle ? "[concat(variables('v0'), '')]" : 'Static') : `[concat(variables('v${i + 1}'), '')]`;
    return v;
  };
  const long = template({ variables: chain(10_000, false), resources: [pip('pip', { publicIPAllocationMethod: "[variables('v0')]" })], outputs: { method: { type: 'string', value: "[variables('v0')]" } } });
  const loop = template({ variables: chain(5_000, true), resources: [pip('pip', { publicIPAllocationMethod: "[variables('v0')]" })] });
  const dir = scratchDir({ 'long.json': long, 'loop.json': loop });
  const r = await cli(dir, ['long.json', 'loop.json']);
  assert.ok(r.ms < 20_000, `took ${Math.round(r.ms)} ms`);
  assert.equal(
    r.findings.filter((f) => f.file === 'long.json').map((f) => f.message),
    ['The template declares 10000 variables; ARM accepts at most 512.'],
  );
  const cycle = finding(r, 'loop.json', /^The variable 'v0' refers to itself through 'v1' → 'v2' → 'v3' → 'v4' → 'v5' → … → 'v4996' → 'v4997' → 'v4998' → 'v4999' → 'v0' \(5000 steps\); Azure rejects the whole template\.$/, 'template-invalid');
  assert.is(cycle.line, lineOf(loop, '"v0": '));
  assert.equal(r.findings.filter((f) => f.file === 'loop.json').map((f) => f.ruleId).sort(), ['limit-exceeded', 'template-invalid']);
  const expanded = await cli(dir, ['expand', 'long.json']);
  assert.is((JSON.parse(expanded.out) as { outputs: { method: { value: unknown } } }).outputs.method.value, 'Static');
  const loopExpanded = await cli(dir, ['expand', 'loop.json']);
  assert.equal(loopExpanded.err.split('\n').filter((l) => l.includes('refers to itself')).length, 1, loopExpanded.err);
});

// ---- 5. self-referencing outputs ---------------------------------------------------------------------------------

test('outputs that refer to themselves are an expression-invalid finding, not a loop', async () => {
  const text = template({
    resources: [
      deployment('inner', {
        template: { $schema: SCHEMA, contentVersion: '1.0.0.0', resources: [], outputs: { loop: { type: 'string', value: "[reference('inner').outputs.loop.value]" } } },
      }),
      pip('pip', { publicIPAllocationMethod: "[reference('inner').outputs.loop.value]" }),
    ],
    outputs: { top: { type: 'string', value: "[reference('inner').outputs.loop.value]" } },
  });
  const dir = scratchDir({ 'outputs.json': text });
  const r = await cli(dir, ['outputs.json']);
  assert.is(r.code, 1);
  assert.is(finding(r, 'outputs.json', /The outputs of deployment 'inner' refer to themselves\./, 'expression-invalid').line, lineOf(text, '"value": "[reference('));
});

// ---- 6. huge copy counts -----------------------------------------------------------------------------------------

test('huge copy counts: ARM limit findings at each count, and the work stops at the safety caps', async () => {
  // A resource loop (it reaches the cap on resources, which stops all work), then a property loop (its count a
  // string, which ARM reads leniently) and a variable loop in a second template.
  const resources = template({ resources: [{ type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: "[concat('st', copyIndex())]", location: 'westeurope', copy: { name: 'many', count: 1000000000 } }] });
  const loops = template({
    variables: { copy: [{ name: 'list', count: 2147483647, input: "[copyIndex('list')]" }] },
    resources: [pip('pip', { copy: [{ name: 'ipTags', count: '999999999', input: { ipTagType: 'FirstPartyUsage', tag: "[string(copyIndex('ipTags'))]" } }], dnsSettings: { domainNameLabel: "[string(length(variables('list')))]" } })],
  });
  const dir = scratchDir({ 'resources.json': resources, 'loops.json': loops });
  const r = await cli(dir, ['resources.json', 'loops.json']);
  assert.is(r.code, 1);
  for (const [file, text, count, nth] of [['resources.json', resources, '1000000000', 0], ['loops.json', loops, '2147483647', 0], ['loops.json', loops, '999999999', 1]] as const) {
    const line = lineOf(text, '"count"', nth);
    assert.is(finding(r, file, new RegExp(`^The copy count is ${count}; ARM accepts at most 800\\.$`), 'limit-exceeded').line, line, count);
    assert.is(finding(r, file, new RegExp(`^Only the first 100000 of ${count} copies were analysed \\(a safety cap\\)\\.$`), 'limit-exceeded').line, line, count);
  }
  finding(r, 'resources.json', /^The template deploys more than 800 resources \(copies included\); ARM accepts at most 800\.$/, 'limit-exceeded');
  // A guard against a hang, not a benchmark: 100,000 copies take a few seconds.
  assert.ok(r.ms < 60_000, `${r.ms.toFixed(0)} ms`);
});

test('thousands of VMs in one availability set: the group rule is worked out once per set, not once per VM', () => {
  // Found by the fuzzer: a copy count of 1e308 (capped at 100,000) on a template whose VMs share an availability set
  // took hours, as each VM listed every member's NICs. 30,000 VMs behind a Standard load balancer without outbound
  // rules: every one is no-egress by the group rule. A guard against a hang, not a benchmark (a few seconds now,
  // over two minutes with the per-VM listing).
  const n = 30_000;
  const id = (type: string, name: string): string => `[resourceId('${type}', ${name})]`;
  /** n copies of a resource named <prefix><index>. */
  const looped = (type: string, prefix: string, properties: Record<string, unknown>): Record<string, unknown> => ({
    type,
    apiVersion: '2023-09-01',
    name: `[concat('${prefix}', copyIndex())]`,
    location: 'westeurope',
    copy: { name: `${prefix}s`, count: n },
    properties,
  });
  const text = template({
    resources: [
      { type: 'Microsoft.Compute/availabilitySets', apiVersion: '2023-09-01', name: 'as1', location: 'westeurope', sku: { name: 'Aligned' } },
      { type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2023-09-01', name: 'lbpip', location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } },
      {
        type: 'Microsoft.Network/virtualNetworks',
        apiVersion: '2023-09-01',
        name: 'vnet1',
        location: 'westeurope',
        properties: { addressSpace: { addressPrefixes: ['10.0.0.0/8'] }, subnets: [{ name: 's1', properties: { addressPrefix: '10.0.0.0/9' } }] },
      },
      {
        type: 'Microsoft.Network/loadBalancers',
        apiVersion: '2023-09-01',
        name: 'lb1',
        location: 'westeurope',
        sku: { name: 'Standard' },
        properties: {
          frontendIPConfigurations: [{ name: 'fe', properties: { publicIPAddress: { id: id('Microsoft.Network/publicIPAddresses', "'lbpip'") } } }],
          backendAddressPools: [{ name: 'pool1' }],
        },
      },
      looped('Microsoft.Network/networkInterfaces', 'nic', {
        ipConfigurations: [
          {
            name: 'ipconfig1',
            properties: {
              subnet: { id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet1', 's1')]" },
              loadBalancerBackendAddressPools: [{ id: "[resourceId('Microsoft.Network/loadBalancers/backendAddressPools', 'lb1', 'pool1')]" }],
            },
          },
        ],
      }),
      looped('Microsoft.Compute/virtualMachines', 'vm', {
        availabilitySet: { id: id('Microsoft.Compute/availabilitySets', "'as1'") },
        networkProfile: { networkInterfaces: [{ id: id('Microsoft.Network/networkInterfaces', "concat('nic', copyIndex())") }] },
      }),
    ],
  });
  const started = performance.now();
  const report = lintText(text, { file: 'main.json' });
  const ms = performance.now() - started;
  assert.is(report.vms.length, n);
  assert.ok(report.vms.every((v) => v.verdict === 'no-egress'), 'every VM is no-egress by the group rule');
  assert.match(report.vms[n - 1].paths[0].because.join(' '), /VM 'vm0' in the same availability set is in a pool of Standard load balancer 'lb1'/);
  assert.ok(ms < 60_000, `${ms.toFixed(0)} ms`);
});

// ---- 7. deep nesting ---------------------------------------------------------------------------------------------

test('deep JSON nesting: no stack overflow in the reader, the evaluator, the parameters or the printers', async () => {
  const N = 100_000;
  const deepArray = '['.repeat(N) + ']'.repeat(N);
  const strict = template({ resources: [pip('pip', { ipTags: '__DEEP__' })] }).replace('"__DEEP__"', deepArray);
  const jsonc = `// a comment makes this JSONC\n${strict}`;
  // An unterminated comment at the end is more than JSON.parse can be made to read: only jsonc-parser reads it.
  const tolerant = `${jsonc}\n/* unterminated`;
  const withParameter = template({ parameters: { p: { type: 'array' } }, resources: [pip('pip', { ipTags: "[parameters('p')]" }), pip('pip2', { publicIPAllocationMethod: "[string(parameters('p'))]" })] });
  const deepExpression = template({ resources: [pip('pip', { publicIPAllocationMethod: `[${'concat('.repeat(5000)}'x'${')'.repeat(5000)}]` }), pip('pip2', { ipTags: `[json('${'['.repeat(N)}')]` })] });
  const dir = scratchDir({
    'strict.json': strict,
    'jsonc.json': jsonc,
    'tolerant.json': tolerant,
    'param.json': withParameter,
    'param.parameters.json': `{"$schema": "${PARAMS_SCHEMA}", "parameters": {"p": {"value": ${deepArray}}}}`,
    'expression.json': deepExpression,
  });
  const r = await cli(dir, ['strict.json', 'jsonc.json', 'tolerant.json', 'param.json', 'expression.json']);
  assert.is(r.code, 1);
  assert.is(finding(r, 'strict.json', /The value nests too deeply to evaluate\./, 'limit-exceeded').line, lineOf(strict, '"ipTags"'));
  assert.is(finding(r, 'jsonc.json', /The value nests too deeply to evaluate\./, 'limit-exceeded').line, lineOf(jsonc, '"ipTags"'));
  assert.is(finding(r, 'tolerant.json', /The JSON is nested too deeply to read\./, 'template-invalid').line, 1);
  assert.is(finding(r, 'param.json', /nests too deeply to evaluate/, 'limit-exceeded').line, lineOf(withParameter, "[string(parameters('p'))]"));
  assert.is(finding(r, 'expression.json', /The expression is nested too deeply/, 'expression-invalid').line, lineOf(deepExpression, '"[concat('));
  assert.is(finding(r, 'expression.json', /nesting deeper than 64 levels/, 'expression-invalid').line, lineOf(deepExpression, "[json('"));
  // The expand and eval commands print values as JSON: a value too deep to print is a message, exit 2.
  const expanded = await cli(dir, ['expand', 'param.json']);
  assert.is(expanded.code, 2);
  assert.match(expanded.err, /The expansion of param\.json nests too deeply to print as JSON\./);
  const evaluated = await cli(dir, ['eval', "[parameters('p')]", '--template', 'param.json']);
  assert.is(evaluated.code, 2);
  assert.match(evaluated.err, /nests too deeply to print as JSON\./);
});

// ---- 8. a 100 MB file --------------------------------------------------------------------------------------------

test('a 100 MB file is a finding naming it (template, parameter file, expand), and is never read whole', async () => {
  const dir = scratchDir({ 'small.json': template({ resources: [] }), 'small.parameters.json': '{}' });
  try {
    const head = Buffer.from(`{"$schema": "${SCHEMA}", "contentVersion": "1.0.0.0", "resources": [], "padding": "`);
    const big = Buffer.alloc(100 * 1024 * 1024, 0x61);
    head.copy(big);
    big.write('"}', big.length - 2);
    writeFileSync(join(dir, 'big.json'), big);
    const searched = await cli(dir, ['.']);
    assert.is(searched.code, 1);
    const hit = finding(searched, 'big.json', /^The file is 100 MB; egress-lint reads at most 64 MB\.$/, 'template-invalid');
    assert.equal([hit.line, hit.column], [1, 1]);
    assert.equal(searched.files, ['big.json', 'small.json']);
    // --parameters is checked before any template is read (issue 21): a file past the cap stops the run.
    const asParameters = await cli(dir, ['small.json', '--parameters', 'big.json']);
    assert.is(asParameters.code, 2);
    assert.match(asParameters.err, /Cannot read the parameter file big\.json: it is 100 MiB, and egress-lint reads at most 64 MiB of a parameter file\./);
    const expanded = await cli(dir, ['expand', 'big.json']);
    assert.is(expanded.code, 2);
    assert.match(expanded.err, /Cannot read the template big\.json: the file is 100 MB; egress-lint reads at most 64 MB\./);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Through the library a big text is read, and ARM's own 4 MB limit is the finding.
  const five = template({ resources: [], metadata: { padding: 'a'.repeat(5 * 1024 * 1024) } });
  assert.match(lintText(five, { file: 'five.json' }).findings.find((f) => f.ruleId === 'limit-exceeded')?.message ?? '', /^The template is \d+ bytes; ARM accepts at most 4 MB\.$/);
});

// ---- 9. a binary file --------------------------------------------------------------------------------------------

test('a binary file is a finding when named, linked or given as parameters, and skipped by a folder search', async () => {
  const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0xfe, 0x7b]);
  const main = template({ resources: [link('nested', 'logo.png.json')] });
  const dir = scratchDir({ 'logo.json': binary, 'logo.png.json': binary, 'main.json': main });
  const named = await cli(dir, ['logo.json']);
  assert.is(named.code, 1);
  assert.equal([finding(named, 'logo.json', /^The file is binary, not JSON\.$/, 'template-invalid').line], [1]);
  const linked = await cli(dir, ['main.json']);
  assert.is(linked.code, 1);
  assert.is(finding(linked, 'main.json', /The linked template 'logo\.png\.json' cannot be read: the file is binary, not JSON\./).line, lineOf(main, '"relativePath"'));
  const params = await cli(dir, ['main.json', '--parameters', 'logo.json']);
  finding(params, 'logo.json', /binary/);
  const searched = await cli(dir, ['.']);
  assert.equal(searched.files, ['main.json']);
  // A device never ends: it is refused (exit 2 naming it), not read until memory runs out.
  const device = await cli(dir, ['main.json', '--parameters', '/dev/zero']);
  assert.is(device.code, 2);
  assert.match(device.err, /Cannot read the parameter file \/dev\/zero: it is a character device, not a regular file\./);
});

// ---- 10. UTF-16 and byte-order marks -----------------------------------------------------------------------------

test('UTF-8 with BOM and UTF-16 LE/BE with BOM lint like UTF-8; UTF-16 without a BOM and odd lengths are findings, not crashes', async () => {
  const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  const utf16be = (s: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]);
  const linking = template({ resources: [link('nested', 'linked-utf16.json')] });
  const dir = scratchDir({
    'plain/main.json': MULTI_NIC,
    'bom/main.json': '\uFEFF' + MULTI_NIC,
    'le/main.json': utf16le(MULTI_NIC),
    'be/main.json': utf16be(MULTI_NIC),
    'be-odd/main.json': Buffer.concat([utf16be(MULTI_NIC), Buffer.from([0x20])]),
    'be-odd-named.json': Buffer.concat([utf16be('{"resources": ['), Buffer.from([0x5d])]),
    'no-bom.json': Buffer.from(MULTI_NIC, 'utf16le'),
    'params/main.json': template({ parameters: { sku: { type: 'string' } }, resources: [{ ...pip('pip'), sku: { name: "[parameters('sku')]" } }] }),
    'params/main.parameters.json': utf16le(JSON.stringify({ $schema: PARAMS_SCHEMA, parameters: { sku: { value: 'Basic' } } })),
    'link/main.json': linking,
    'link/linked-utf16.json': utf16le(template({ resources: [{ ...pip('pip-linked'), sku: { name: 'Basic' } }] })),
  });
  const plain = await cli(dir, ['plain/main.json']);
  const strip = (r: Run) => JSON.stringify(r.findings.map((f) => ({ ...f, file: basename(f.file) })));
  assert.ok(plain.findings.length > 0);
  for (const variant of ['bom', 'le', 'be', 'be-odd']) {
    const r = await cli(dir, [`${variant}/main.json`]);
    assert.is(r.code, plain.code, variant);
    assert.is(strip(r), strip(plain), variant);
  }
  const noBom = await cli(dir, ['no-bom.json']);
  assert.is(noBom.code, 1);
  finding(noBom, 'no-bom.json', /^The file is UTF-16 without a byte-order mark; save it as UTF-8 \(or UTF-16 with a byte-order mark\)\.$/);
  const odd = await cli(dir, ['be-odd-named.json']);
  assert.is(odd.code, 1);
  finding(odd, 'be-odd-named.json', /Expected/, 'template-invalid');
  // The UTF-16 parameter file and linked template are read: their Basic SKU reaches the retired-sku rule.
  finding(await cli(dir, ['params/main.json']), 'params/main.json', /Public IP 'pip' uses the Basic SKU/, 'retired-sku');
  finding(await cli(dir, ['link/main.json']), 'link/linked-utf16.json', /Public IP 'pip-linked' uses the Basic SKU/, 'retired-sku');
});

// ---- 11. __proto__ and constructor keys ---------------------------------------------------------------------------

test('__proto__ and constructor keys in templates, parameters, createObject, union and json stay plain keys', async () => {
  const proto = '{"polluted": "yes"}';
  // JSON.parse keeps "__proto__" an own key, as a template file on disk does.
  const body = JSON.parse(`{
    "parameters": { "__proto__": { "type": "object", "defaultValue": { "polluted": "parameter" } }, "constructor": { "type": "object" } },
    "variables": { "__proto__": { "polluted": "variable", "name": "from-proto" }, "constructor": { "prototype": ${proto} }, "merged": "[union(createObject('__proto__', createObject('polluted', 'union')), json('{\\"constructor\\": {\\"prototype\\": {\\"polluted\\": \\"json\\"}}}'))]" },
    "resources": [{ "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-04-01", "name": "[variables('__proto__').name]", "location": "westeurope", "sku": { "name": "Standard" },
      "properties": { "__proto__": ${proto}, "publicIPAllocationMethod": "Static", "dnsSettings": "[variables('merged')]", "ipTags": "[items(createObject('__proto__', 1, 'constructor', 2))]" },
      "tags": "[toObject(createArray('__proto__', 'constructor'), lambda('k', lambdaVariables('k')))]" }],
    "outputs": { "__proto__": { "type": "object", "value": "[variables('merged')]" } }
  }`) as Record<string, unknown>;
  const text = template(body);
  const dir = scratchDir({
    'proto.json': text,
    'proto.parameters.json': `{"$schema": "${PARAMS_SCHEMA}", "parameters": {"__proto__": {"value": ${proto}}, "constructor": {"value": {"prototype": ${proto}}}}}`,
  });
  const r = await cli(dir, ['proto.json']);
  assert.is(r.code, 0, JSON.stringify(r.findings));
  const merged = await cli(dir, ['eval', "[variables('merged')]", '--template', 'proto.json']);
  assert.is(merged.code, 0, merged.err);
  // Compared as text: uvu's deep equality reads .constructor, which these objects own.
  assert.is(merged.out, JSON.stringify(JSON.parse('{"__proto__": {"polluted": "union"}, "constructor": {"prototype": {"polluted": "json"}}}'), null, 2) + '\n');
  const fromFile = await cli(dir, ['eval', "[parameters('__proto__').polluted]", '--template', 'proto.json']);
  assert.is(fromFile.out, '"yes"\n', fromFile.err);
  const expanded = await cli(dir, ['expand', 'proto.json']);
  assert.is(expanded.code, 0, expanded.err);
  const resource = (JSON.parse(expanded.out) as { resources: Record<string, unknown>[] }).resources[0];
  assert.is(resource.name, 'from-proto');
  assert.ok(Object.hasOwn(resource.properties as object, '__proto__'), 'the body keeps its __proto__ key');
  lintText(text, { parameters: JSON.parse(`{"__proto__": ${proto}, "constructor": {"prototype": ${proto}}}`) as Record<string, unknown> });
  assert.is(({} as Record<string, unknown>).polluted, undefined);
  assertNoPollution('the __proto__ templates');
});

test('a parameter named __proto__ whose allowed values decide a VM is tried as a plain key', () => {
  // The allowed-values fixture with its SKU parameter renamed: each combination must carry the value itself.
  const fixture = readFileSync(join(ROOT, 'fixtures/egress/placeholder-allowed-values-agree/main.json'), 'utf8');
  const text = fixture.split('"pipSku"').join('"__proto__"').split("parameters('pipSku')").join("parameters('__proto__')");
  assert.ok(text.includes("parameters('__proto__')"));
  const result = lintText(text);
  assert.equal(
    result.vms.map((v) => [v.name, v.verdict]),
    [['{vmName}', 'deterministic']],
  );
  assertNoPollution('the __proto__ allowed values');
});

// ---- 12. relativePath links that escape the project root or loop -------------------------------------------------

test('relativePath links outside the project root, by URL, to a folder, a pipe, or in a loop are findings at the link', async () => {
  const outside = scratchDir({ 'outside.json': template({ resources: [] }) });
  const main = template({
    resources: [
      link('up', `../${basename(outside)}/outside.json`),
      link('absolute', join(outside, 'outside.json')),
      link('symlinked', 'escape.json'),
      link('url', 'https://example.com/template.json'),
      link('folder', 'folder'),
      link('pipe', 'pipe.json'),
      link('self', 'main.json'),
      link('a-to-b', 'a.json'),
    ],
  });
  const dir = scratchDir({ 'main.json': main, 'a.json': template({ resources: [link('b', 'b.json')] }), 'b.json': template({ resources: [link('a', 'a.json')] }), 'folder/x.json': '{}' });
  symlinkSync(join(outside, 'outside.json'), join(dir, 'escape.json'));
  execFileSync('mkfifo', [join(dir, 'pipe.json')]);
  const r = await cli(dir, ['main.json']);
  assert.is(r.code, 1);
  const at = (path: string) => lineOf(main, `"relativePath": "${path}"`);
  assert.is(finding(r, 'main.json', /'\.\.\/.*outside\.json' cannot be read: it is outside the project root\./).line, at(`../${basename(outside)}/outside.json`));
  assert.is(finding(r, 'main.json', new RegExp(`'${join(outside, 'outside.json').replace(/[/.]/g, '\\$&')}' cannot be read: it is outside the project root\\.`)).line, at(join(outside, 'outside.json')));
  assert.is(finding(r, 'main.json', /'escape\.json' cannot be read: it is outside the project root\./).line, at('escape.json'));
  assert.is(finding(r, 'main.json', /'https:\/\/example\.com\/template\.json' cannot be read: a URL, which egress-lint never fetches\./).line, at('https://example.com/template.json'));
  assert.is(finding(r, 'main.json', /'folder' cannot be read: .*folder/).line, at('folder'));
  assert.is(finding(r, 'main.json', /'pipe\.json' cannot be read: the path is not a regular file\./).line, at('pipe.json'));
  const loops = r.findings.filter((f) => /Nested deployments go deeper than 32 levels/.test(f.message));
  assert.ok(loops.length >= 2, JSON.stringify(loops));
  assert.ok(loops.every((f) => f.ruleId === 'limit-exceeded' && f.line > 1));
});

// ---- 13. symlink loops during discovery ---------------------------------------------------------------------------

test('symbolic link loops during discovery: the folder search ends, a named loop is exit 2 naming it', async () => {
  const dir = scratchDir({ 'infra/main.json': template({ resources: [] }) });
  symlinkSync('.', join(dir, 'infra', 'self'));
  symlinkSync('..', join(dir, 'infra', 'parent'));
  symlinkSync('x2', join(dir, 'infra', 'x1'));
  symlinkSync('x1', join(dir, 'infra', 'x2'));
  const searched = await cli(dir, ['.']);
  assert.is(searched.code, 0);
  assert.equal(searched.files, ['infra/main.json']);
  const named = await cli(dir, ['infra/x1']);
  assert.is(named.code, 2);
  assert.match(named.err, /infra\/x1 is a loop of symbolic links\./);
  const through = await cli(dir, ['infra/self/self/parent/infra/self']);
  assert.is(through.code, 0);
  assert.is(through.files.length, 1);
  // The notes about links and line breaks check .gitignore without following links (a loop would never end).
  const odd = scratchDir({ 'a\nb/main.json': template({ resources: [] }) });
  symlinkSync('.', join(odd, 'self'));
  const walked = await cli(odd, ['.']);
  assert.is(walked.code, 0);
  assert.is(walked.files.length, 1);
  assert.match(walked.err, /self: skipped: a symbolic link/);
  const globbed = await cli(odd, ['**/*.json']);
  assert.match(globbed.err, /not searched by "\*\*\/\*\.json": its path holds a line break/);
});

// ---- 14. very long expressions -----------------------------------------------------------------------------------

test('very long expressions: ARM limit findings, linear parsing, deep property chains without a stack overflow', async () => {
  const args = Array.from({ length: 200_000 }, () => "'a'").join(',');
  const text = template({
    parameters: { p: { type: 'object', defaultValue: {} } },
    resources: [
      pip('pip-args', { publicIPAllocationMethod: `[concat(${args})]` }),
      pip('pip-literal', { publicIPAllocationMethod: `[concat('${'x'.repeat(1_000_000)}')]` }),
      pip('pip-chain', { publicIPAllocationMethod: `[parameters('p')${'.a'.repeat(100_000)}]` }),
      pip('pip-index', { publicIPAllocationMethod: `[createArray(1)${'[0]'.repeat(100_000)}]` }),
      // Short expressions with huge results: stopped at the evaluator's value cap, not by a RangeError.
      pip('pip-replace', { publicIPAllocationMethod: "[replace(replace(padLeft('', 1000000, 'x'), 'x', padLeft('', 1000, 'y')), 'y', 'zz')]" }),
      pip('pip-format', { publicIPAllocationMethod: "[format('{0:G999999999}', 1)]" }),
    ],
  });
  const dir = scratchDir({ 'long.json': text });
  const r = await cli(dir, ['long.json']);
  assert.is(r.code, 1);
  const tooLong = r.findings.filter((f) => f.ruleId === 'limit-exceeded' && /^The expression is \d+ characters long; ARM accepts at most 24576\.$/.test(f.message)).map((f) => f.line);
  assert.equal(tooLong, [lineOf(text, '[concat('), lineOf(text, '[concat(', 1), lineOf(text, "[parameters('p')"), lineOf(text, '[createArray(1)')]);
  assert.is(finding(r, 'long.json', /^The result of 'replace' is longer than 16000000 characters; evaluation stopped\.$/, 'expression-invalid').line, lineOf(text, '[replace('));
  assert.is(finding(r, 'long.json', /^The format 'G999999999' asks for 999999999 digits/, 'expression-invalid').line, lineOf(text, '[format('));
  assert.ok(r.ms < 30_000, `${r.ms.toFixed(0)} ms`);
});

// ---- 15. regular-expression blow-ups -----------------------------------------------------------------------------

/** Runs `f` and returns its time; the bound is a guard against a hang: each input here took minutes before the fix. */
async function linear(what: string, f: () => unknown, boundMs = 5000): Promise<void> {
  const t0 = performance.now();
  await f();
  const ms = performance.now() - t0;
  assert.ok(ms < boundMs, `${what}: ${ms.toFixed(0)} ms`);
}

test('regular-expression blow-ups: trim(), resource ids, unresolved reasons, Bicep using/module scans stay linear', async () => {
  const spaces = ' '.repeat(200_000);
  const dir = scratchDir({
    'trim.json': template({ variables: { s: `x${spaces}x` }, resources: [] }),
    // A .bicepparam whose `using` comes after 200,000 empty lines, and a .bicep of unclosed comments and module lines.
    'bicep/main.bicepparam': `${'\n'.repeat(200_000)}using 'main.bicep'\n`,
    'bicep/main.bicep': `${'/* '.repeat(100_000)}\n${"module m 'x\n".repeat(50_000)}`,
  });
  await linear('trim()', async () => {
    const r = await cli(dir, ['eval', "[length(trim(variables('s')))]", '--template', 'trim.json']);
    assert.is(r.out, `${spaces.length + 2}\n`);
  });
  const t0 = performance.now();
  const found = await discover(['bicep'], dir, [], { bicep: true });
  assert.ok(performance.now() - t0 < 5000, `discover: ${(performance.now() - t0).toFixed(0)} ms`);
  assert.equal(found.targets.map((t) => t.template), ['bicep/main.bicepparam']);
  // An id ending in a long run of slashes and a space (normalised by the graph), and a parameter name with a long
  // run of spaces inside (quoted by unresolved-egress's reason): both met regexes that retried at every character.
  const nic = (subnetId: string) => ({
    type: 'Microsoft.Network/networkInterfaces',
    apiVersion: '2023-04-01',
    name: 'nic',
    location: 'westeurope',
    properties: { ipConfigurations: [{ name: 'ipconfig1', properties: { primary: true, subnet: { id: subnetId } } }] },
  });
  const vm = { type: 'Microsoft.Compute/virtualMachines', apiVersion: '2023-03-01', name: 'vm', location: 'westeurope', properties: { networkProfile: { networkInterfaces: [{ id: "[resourceId('Microsoft.Network/networkInterfaces', 'nic')]" }] } } };
  await linear('resource id', () => lintText(template({ resources: [nic(`a${'/'.repeat(200_000)}b `), vm] })));
  const name = `a${spaces}b`;
  await linear('unresolved reason', () => {
    const report = lintText(template({ parameters: { [name]: { type: 'string' } }, resources: [nic(`[parameters('${name}')]`), vm] }));
    assert.ok(report.findings.some((f) => f.ruleId === 'unresolved-egress'), JSON.stringify(report.findings.map((f) => f.ruleId)));
  });
  // Positions: lone-CR line breaks and long backslash runs in strict JSON, with a finding at the very end.
  const crText = template({ resources: [] }).replace(/\n/g, '\r').replace('"resources": []', `"metadata": "${'\\\\'.repeat(200_000)}",\r${'\r'.repeat(200_000)}"resources": 5`);
  await linear('positions', () => assert.is(lintText(crText).findings[0].line, lineOf(crText.replace(/\r/g, '\n'), '"resources"')));
});

test.run();
