// The short fuzz run inside npm test: a few hundred seeded cases of mutated bundled templates and generated
// expressions (test/harness/fuzz.ts); the long run is `npm run fuzz` (bench/fuzz.ts).
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { SeedTemplate } from './harness/fuzz.js';
import { caseText, checkExpression, checkTemplate, loadSeeds, properties } from './harness/fuzz.js';
import type { Bounds, Runner } from './harness/fuzz-oracle.js';
import { OracleCache, checkRun, checkStructCase, inProcessRunner, oracle } from './harness/fuzz-oracle.js';
import type { StructCase } from './harness/fuzz-structure.js';
import { fuzzFoundInputs } from './harness/hostile/fuzz-found.js';
import { runHostile, unmet } from './harness/hostile/run.js';
import { READ_KEYS, READ_SHAPES, applyStruct, getAt, shareExpression, structCaseArb, structText, targetsOf, typeOf } from './harness/fuzz-structure.js';

// Seeded, so a failure here repeats on every machine; the bundled templates only, so the cases do not depend on
// whether the corpus is present. The bound is generous: it catches hangs, not slowness.
const SEED = 20261125;
const BOUND_MS = 3000;
const { seeds } = loadSeeds({ corpus: false });
const props = properties(seeds, { boundMs: BOUND_MS });

test('the harness finds the bundled templates', () => {
  assert.ok(seeds.length >= 50, `only ${seeds.length} bundled templates`);
});

test('mutated templates: no exception, bounded time, same JSON twice, unreadable text reported', () => {
  fc.assert(props.templates, { seed: SEED, numRuns: 250 });
});

test('generated expressions: a value or an ExpressionError, bounded time, same result twice', () => {
  fc.assert(props.expressions, { seed: SEED, numRuns: 400 });
});

test('the checks and mutations do what they say', () => {
  // Not a template: the check passes because a template-invalid error is reported for it.
  checkTemplate('[1, 2', BOUND_MS);
  // A bound no run can meet fails the check.
  assert.throws(() => checkExpression("concat('a')", -1), /took/);
  assert.throws(() => checkTemplate('{}', -1), /took/);
  // A mutation changes the text.
  assert.is.not(caseText(seeds, { seed: 0, mutations: [{ k: 'drop', at: 1 }] }), JSON.stringify(seeds[0].value, null, 2));
});

// ---- structure-aware cases through the CLI (test/harness/fuzz-structure.ts, fuzz-oracle.ts) ----------------------

// Shares up to 2^14 (the long run goes to 2^60: those are issue 21's hangs, test/budget.test.ts); bundled templates
// only. The oracle is enforced: a silent pass it finds here fails the test.
const STRUCT_CASES = 300;
const STRUCT_BOUNDS: Bounds = { ms: 10_000, heapBytes: 2 ** 30 };
const run = inProcessRunner();
const cache = new OracleCache(seeds, run);

test('structure-aware cases through the CLI: exit 0, 1 or 2, no crash text, bounded time and heap', async () => {
  const cases = fc.sample(structCaseArb(seeds.length, { maxShare: 14 }), { seed: SEED, numRuns: STRUCT_CASES });
  const kinds = new Set<string>();
  let judged = 0;
  for (const c of cases) {
    let result;
    try {
      result = await checkStructCase(seeds, c, run, cache, STRUCT_BOUNDS);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n  case: ${JSON.stringify(c)}`);
    }
    // A kind counts once it changed the template (not 'no target' or 'not applicable').
    if (!/: (?:no target|not applicable)/.test(result.applied.note)) kinds.add(c.mutation.k);
    if (result.judged) judged++;
  }
  assert.equal([...kinds].sort(), ['deepen', 'delete', 'duplicate', 'retype', 'shape', 'share']);
  // The oracle judged a good share of the cases (180 of these 300 when written): a harness whose mutations stopped
  // damaging anything, or whose reports stopped parsing, would pass every case unjudged.
  assert.ok(judged >= 100, `the oracle judged ${judged} of ${STRUCT_CASES} cases`);
});

// Every input the long run found (each its shrunk counterexample) is said now: a finding, unknown, or limit-exceeded.
for (const input of fuzzFoundInputs) {
  test(`found by the fuzzer: ${input.name}`, async () => {
    const why = unmet(input, await runHostile(input));
    assert.is(why, undefined, why);
  });
}

// ---- the mutations and the oracle do what they say ---------------------------------------------------------------

const PIP_ID = "[resourceId('Microsoft.Network/publicIPAddresses', 'pip1')]";
/** A VM whose one NIC has the public IP pip1. */
const SMALL: SeedTemplate = {
  name: 'small',
  value: {
    resources: [
      { type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2023-09-01', name: 'pip1', sku: { name: 'Standard' }, tags: { a: 'b' }, properties: { publicIPAllocationMethod: 'Static' } },
      { type: 'Microsoft.Network/networkInterfaces', apiVersion: '2023-09-01', name: 'nic1', properties: { ipConfigurations: [{ name: 'ipconfig1', properties: { publicIPAddress: { id: PIP_ID } } }] } },
      { type: 'Microsoft.Compute/virtualMachines', apiVersion: '2023-09-01', name: 'vm1', properties: { networkProfile: { networkInterfaces: [{ id: "[resourceId('Microsoft.Network/networkInterfaces', 'nic1')]" }] } } },
    ],
  },
};
const ID_PATH = ['resources', 1, 'properties', 'ipConfigurations', 0, 'properties', 'publicIPAddress', 'id'];
const targetAt = (root: unknown, path: readonly (string | number)[]): number => targetsOf(root).findIndex((t) => JSON.stringify(t.path) === JSON.stringify(path));

test('the graph-read keys come from the readers, and targets are only nodes the graph reads', () => {
  for (const k of ['ipConfigurations', 'publicIPAddress', 'subnet', 'routeTable', 'natGateway', 'id', 'type', 'sku']) assert.ok(READ_KEYS.has(k), k);
  // The Virtual WAN and gateway readers' names, and the whole sku, read through the typed readers.
  for (const k of ['destinationType', 'routingPolicies', 'nextHop', 'enableInternetSecurity', 'staticRoutes', 'useRemoteGateways', 'gatewayDefaultSite', 'localNetworkAddressSpace', 'tier', 'capacity'])
    assert.ok(READ_KEYS.has(k), k);
  assert.not.ok(READ_KEYS.has('tags'));
  // Each list read by a literal call (a helper that took the name as a variable hid the load balancer's lists and made
  // 'properties' read as an array, so a seed's wrong-typed properties looked acceptable: found by the structure run).
  for (const k of ['frontendIPConfigurations', 'loadBalancingRules', 'outboundRules', 'backendAddressPools']) assert.equal([...(READ_SHAPES.get(k) ?? [])], ['array'], k);
  assert.equal([...(READ_SHAPES.get('properties') ?? [])], ['object']);
  const paths = targetsOf(SMALL.value).map((t) => t.path.join('/'));
  assert.ok(paths.includes(ID_PATH.join('/')));
  assert.not.ok(paths.some((p) => p.includes('tags') || p.includes('apiVersion')));
});

test("targets: a resource's properties.sku only where the readers check it (a firewall's, not an AKS cluster's)", () => {
  const sku = { name: 'Basic', tier: 'Free' };
  const t = { resources: [
    { type: 'Microsoft.ContainerService/managedClusters', name: 'aks', properties: { sku, dnsPrefix: 'aks' } },
    { type: 'Microsoft.Network/azureFirewalls', name: 'fw', properties: { sku: { name: 'AZFW_VNet', tier: 'Standard' } } },
  ] };
  const paths = targetsOf(t).map((x) => x.path.join('/'));
  // Found by the long run: the AKS cluster's properties.sku (not in its schema) retyped was claimed as damage.
  assert.not.ok(paths.some((p) => p.startsWith('resources/0/properties/sku')), paths.join(' '));
  assert.ok(paths.includes('resources/1/properties/sku/tier'), paths.join(' '));
  // A NIC's own primary (read-only) and a hub's own addressPrefix are not read; a subnet's addressPrefix is.
  const others = { resources: [
    { type: 'Microsoft.Network/networkInterfaces', name: 'nic', properties: { primary: true, ipConfigurations: [] } },
    { type: 'Microsoft.Network/virtualHubs', name: 'hub', properties: { addressPrefix: '10.0.0.0/23' } },
    { type: 'Microsoft.Network/virtualNetworks/subnets', name: 'v/s', properties: { addressPrefix: '10.1.0.0/24' } },
  ] };
  const otherPaths = targetsOf(others).map((x) => x.path.join('/'));
  assert.not.ok(otherPaths.includes('resources/0/properties/primary') || otherPaths.includes('resources/1/properties/addressPrefix'), otherPaths.join(' '));
  assert.ok(otherPaths.includes('resources/2/properties/addressPrefix'), otherPaths.join(' '));
});

test('retype: a literal the readers accept (the string "false" for a Boolean) retyped to the one type they read is no damage; to another, it is', () => {
  assert.equal([...(READ_SHAPES.get('defaultOutboundAccess') ?? [])], ['bool']);
  // Found by the long run on the final engine: the string "false" retyped as true was claimed as damage (corpus github-enterprise).
  const vnet = { resources: [{ type: 'Microsoft.Network/virtualNetworks', name: 'v', properties: { subnets: [{ name: 's', properties: { defaultOutboundAccess: 'false' } }] } }] };
  const path = ['resources', 0, 'properties', 'subnets', 0, 'properties', 'defaultOutboundAccess'];
  const at = targetAt(vnet, path);
  assert.ok(at >= 0);
  assert.is(applyStruct(vnet, { k: 'retype', at, to: 'bool' }).damage, undefined);
  assert.equal(applyStruct(vnet, { k: 'retype', at, to: 'number' }).damage?.path, path);
});

test('retype: another JSON type at the node, damage claimed except for null and names', () => {
  const at = targetAt(SMALL.value, ID_PATH);
  const a = applyStruct(SMALL.value, { k: 'retype', at, to: 'number' });
  assert.is(getAt(a.value, ID_PATH), 12);
  assert.equal(a.damage?.path, ID_PATH);
  assert.equal(getAt(applyStruct(SMALL.value, { k: 'retype', at, to: 'object' }).value, ID_PATH), { id: PIP_ID });
  assert.is(applyStruct(SMALL.value, { k: 'retype', at, to: 'null' }).damage, undefined);
  // Asked for its own type, another is used.
  assert.is.not(typeOf(getAt(applyStruct(SMALL.value, { k: 'retype', at, to: 'string' }).value, ID_PATH)), 'string');
  const nameAt = targetAt(SMALL.value, ['resources', 1, 'properties', 'ipConfigurations', 0, 'name']);
  assert.is(applyStruct(SMALL.value, { k: 'retype', at: nameAt, to: 'object' }).damage, undefined);
});

test('retype: an expression replaced by a value of the type the readers read is no damage; a literal of another type is', () => {
  assert.equal([...(READ_SHAPES.get('capacity') ?? [])], ['number']);
  const scaleSet = (capacity: unknown): unknown => ({ resources: [{ type: 'Microsoft.Compute/virtualMachineScaleSets', apiVersion: '2024-07-01', name: 'ss', sku: { name: 'Standard_B2s', capacity } }] });
  const path = ['resources', 0, 'sku', 'capacity'];
  const expr = scaleSet("[parameters('count')]");
  // Found by the 30,000-case run: a scale set's "[parameters('instanceCount')]" capacity retyped as 12 is a valid template.
  assert.is(applyStruct(expr, { k: 'retype', at: targetAt(expr, path), to: 'number' }).damage, undefined);
  assert.ok(applyStruct(expr, { k: 'retype', at: targetAt(expr, path), to: 'object' }).damage);
  const literal = scaleSet(2);
  assert.ok(applyStruct(literal, { k: 'retype', at: targetAt(literal, path), to: 'string' }).damage);
});

test('a mutation at or inside a value the seed already writes with a wrong type claims no damage', () => {
  // Found by the fresh-seed 30,000-case run on fixtures/egress/graph-wrong-types: `"primary": "x"` retyped as true fixes it.
  const nic = (primary: unknown): unknown => ({ resources: [{ type: 'Microsoft.Network/networkInterfaces', apiVersion: '2024-05-01', name: 'nic', properties: { ipConfigurations: [{ name: 'c', properties: { primary } }] } }] });
  const path = ['resources', 0, 'properties', 'ipConfigurations', 0, 'properties', 'primary'];
  const wrong = nic('x');
  assert.is(applyStruct(wrong, { k: 'retype', at: targetAt(wrong, path), to: 'bool' }).damage, undefined);
  const right = nic(true);
  assert.ok(applyStruct(right, { k: 'retype', at: targetAt(right, path), to: 'number' }).damage);
});

test('delete: the node is gone and no damage is claimed (a default may apply)', () => {
  const a = applyStruct(SMALL.value, { k: 'delete', at: targetAt(SMALL.value, ID_PATH) });
  assert.is(getAt(a.value, ID_PATH), undefined);
  assert.ok(getAt(a.value, ID_PATH.slice(0, -1)) !== undefined);
  assert.is(a.damage, undefined);
});

test('duplicate: the key is written twice in the text, in the order asked, with a different value', () => {
  const typeAt = targetAt(SMALL.value, ['resources', 2, 'type']);
  for (const first of [true, false]) {
    const { text, applied } = structText([SMALL], { seed: 0, mutation: { k: 'duplicate', at: typeAt, other: 1, first } });
    const written = [...text.matchAll(/"type": ("[^"]*")/g)].map((m) => JSON.parse(m[1]) as string);
    assert.is(written.length, 4, text);
    const vm = written.indexOf('Microsoft.Compute/virtualMachines');
    assert.ok(vm >= 2, text);
    assert.is(first ? written[vm + 1] : written[vm - 1], 'Microsoft.Network/networkInterfaces');
    assert.ok(applied.damage);
  }
});

test('deepen: the node wrapped n times, compact below the pretty depth (3,000 levels serialise)', () => {
  const at = targetAt(SMALL.value, ID_PATH);
  const a = applyStruct(SMALL.value, { k: 'deepen', at, depth: 3, inArray: true });
  assert.equal(getAt(a.value, ID_PATH), [[[PIP_ID]]]);
  assert.ok(a.damage);
  const deep = structText([SMALL], { seed: 0, mutation: { k: 'deepen', at, depth: 3000, inArray: false } }).text;
  assert.ok(deep.includes('{"value":'.repeat(2900)));
});

test('share: a self-doubling builder fed to a structural function', () => {
  assert.is(shareExpression({ builder: 0, consumer: 1, n: 60 }), "[if(equals(reduce(range(0, 60), createArray(1), lambda('a', 'i', createArray(lambdaVariables('a'), lambdaVariables('a')))), reduce(range(0, 60), createArray(1), lambda('a', 'i', createArray(lambdaVariables('a'), lambdaVariables('a'))))), 'a', 'b')]");
  assert.ok(shareExpression({ builder: 3, consumer: 0, n: 60 }).includes('range(0, 10800)'));
  const a = applyStruct(SMALL.value, { k: 'share', at: 0, anywhere: false, builder: 1, consumer: 0, n: 5 });
  assert.ok(/range\(0, 5\).*createObject\('l'/.test(JSON.stringify(a.value)));
});

test('shape damage: resources as an object, a type with a trailing space, a number for an id', () => {
  const o = applyStruct(SMALL.value, { k: 'shape', what: 'resourcesObject', at: 0 });
  assert.ok(!Array.isArray(getAt(o.value, ['resources'])) && getAt(o.value, ['resources', 'r2', 'name']) === 'vm1');
  assert.is(applyStruct({ ...SMALL.value, languageVersion: '2.0' }, { k: 'shape', what: 'resourcesObject', at: 0 }).damage, undefined);
  const t = applyStruct(SMALL.value, { k: 'shape', what: 'typeSpace', at: 1 });
  assert.is(getAt(t.value, ['resources', 1, 'type']), 'Microsoft.Network/networkInterfaces ');
  const i = applyStruct(SMALL.value, { k: 'shape', what: 'idNumber', at: 1 });
  assert.ok(i.damage && getAt(i.value, i.damage.path) === 12);
});

/**
 * A stand-in for the CLI over SMALL-like templates: vm1 leaves through the NIC's public IP. The buggy reader finds
 * the public IP by type whatever the id holds (it ignores a retyped id); the correct one makes the path unknown when
 * the id is not a string. A missing NIC or public IP resource makes the path unknown (outside the files).
 */
function fakeCli(buggy: boolean): Runner {
  return (text) => {
    const t = JSON.parse(text) as { resources: { type: string; name: string; properties?: { ipConfigurations?: { properties?: { publicIPAddress?: { id?: unknown } } }[] } }[] };
    const vms: unknown[] = [];
    const nic = t.resources.find((r) => r.type === 'Microsoft.Network/networkInterfaces');
    const pip = t.resources.find((r) => r.type === 'Microsoft.Network/publicIPAddresses');
    const id = nic?.properties?.ipConfigurations?.[0]?.properties?.publicIPAddress?.id;
    if (t.resources.some((r) => r.type === 'Microsoft.Compute/virtualMachines')) {
      const decided = nic !== undefined && pip !== undefined && (buggy || typeof id === 'string');
      vms.push({ name: 'vm1', type: 'Microsoft.Compute/virtualMachines', verdict: decided ? 'deterministic' : 'unknown', egress: decided ? [{ name: 'pip1' }] : [], primaryEgress: [] });
    }
    return Promise.resolve({ code: 0, out: JSON.stringify({ vms, findings: [] }), err: '', ms: 1 });
  };
}

test('the oracle catches a reader that ignores a retyped id, and passes the correct one and benign mutations', async () => {
  const at = targetAt(SMALL.value, ID_PATH);
  const check = (buggy: boolean, m: StructCase['mutation']) => checkStructCase([SMALL], { seed: 0, mutation: m }, fakeCli(buggy), new OracleCache([SMALL], fakeCli(buggy)), STRUCT_BOUNDS);
  for (const to of ['number', 'object', 'array', 'bool'] as const) {
    await check(true, { k: 'retype', at, to }).then(
      () => assert.unreachable(`a retype to ${to} the buggy reader ignores was not caught`),
      (e: Error) => assert.match(e.message, /Oracle: VM vm1 stayed deterministic/),
    );
    await check(false, { k: 'retype', at, to });
  }
  await check(true, { k: 'shape', what: 'idNumber', at: 1 }).then(
    () => assert.unreachable('an id as a number the buggy reader ignores was not caught'),
    (e: Error) => assert.match(e.message, /Oracle/),
  );
  // Benign: a deletion, and null (both may mean the default).
  await check(true, { k: 'delete', at });
  await check(true, { k: 'retype', at, to: 'null' });
});

test('the oracle: a new finding, a changed verdict or a resource off the path is not a failure; vanishing is', () => {
  const vm = { name: 'vm1', type: 'Microsoft.Compute/virtualMachines', verdict: 'deterministic', egress: [{ name: 'pip1' }], primaryEgress: [] };
  const seed = { vms: [vm], findings: [{ ruleId: 'implicit-lb-snat', severity: 'warning', message: 'm' }] };
  const damage = { resource: 1, path: ['resources', 1], why: 'test' };
  const without = { vms: [{ ...vm, verdict: 'unknown' }], findings: [] };
  assert.match(oracle(seed, without, seed, damage) ?? '', /stayed deterministic/);
  assert.match(oracle(seed, without, { vms: [], findings: seed.findings }, damage) ?? '', /vanished/);
  assert.is(oracle(seed, without, { vms: [vm], findings: [...seed.findings, { ruleId: 'template-invalid', severity: 'error', message: 'x' }] }, damage), undefined);
  assert.is(oracle(seed, without, { vms: [{ ...vm, verdict: 'unknown' }], findings: seed.findings }, damage), undefined);
  // The VM does not depend on the resource: removing it changes nothing.
  assert.is(oracle(seed, seed, seed, damage), undefined);
  // Undecided in the seed: nothing to keep.
  assert.is(oracle({ ...seed, vms: [{ ...vm, verdict: 'unknown' }] }, without, { ...seed, vms: [{ ...vm, verdict: 'unknown' }] }, damage), undefined);
  // A finding lost is not a finding said: the VM still stayed decided without a word.
  assert.match(oracle(seed, without, { vms: [vm], findings: [] }, damage) ?? '', /stayed/);
  // Findings are counted: the seed's finding again is nothing new, a second copy of it is something said.
  assert.match(oracle(seed, without, { vms: [vm], findings: [...seed.findings] }, damage) ?? '', /stayed/);
  assert.is(oracle(seed, without, { vms: [vm], findings: [...seed.findings, ...seed.findings] }, damage), undefined);
});

test('the real CLI with a reference id that is a number (handled on main: unknown) is not flagged', async () => {
  const i = seeds.findIndex((s) => s.name === 'fixtures/egress/nat-gateway-single-ip/main.json');
  const path = ['resources', 2, 'properties', 'subnets', 0, 'properties', 'natGateway', 'id'];
  const at = targetAt(seeds[i].value, path);
  assert.ok(i >= 0 && at >= 0);
  const r = await checkStructCase(seeds, { seed: i, mutation: { k: 'retype', at, to: 'number' } }, run, cache, STRUCT_BOUNDS);
  assert.ok(r.applied.damage);
});

test('checkRun: exit codes, crash text and bounds', () => {
  const ok = { code: 1, out: '{}', err: '', ms: 5, heapBytes: 10 };
  checkRun(ok, STRUCT_BOUNDS);
  assert.throws(() => checkRun({ ...ok, code: 3 }, STRUCT_BOUNDS), /Exit 3/);
  assert.throws(() => checkRun({ ...ok, code: 2, err: 'egress-lint: internal error: TypeError: x\n    at f (a.js:1:2)' }, STRUCT_BOUNDS), /Crash text/);
  assert.throws(() => checkRun({ ...ok, ms: 20_000 }, STRUCT_BOUNDS), /took/);
  assert.throws(() => checkRun({ ...ok, heapBytes: 2 ** 31 }, STRUCT_BOUNDS), /heap grew/);
  assert.throws(() => checkRun({ ...ok, stopped: 'time' }, STRUCT_BOUNDS), /did not end/);
  assert.throws(() => checkRun({ ...ok, stopped: 'memory' }, STRUCT_BOUNDS), /heap cap/);
});

test.run();
