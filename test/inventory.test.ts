// Inventory of deployed resources (--inventory): each recorded shape read into ARM resources, and the scenarios
// where existing resources stop being unknown, through the CLI with --format json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildGraph, combineInventories, expand, loadTemplate, readInventory } from '../engine/index.js';
import type { SourceResource, InventoryFile, Value, ValueObject } from '../engine/index.js';
import { filePointer } from '../engine/inventory/inventory.js';
import { lint } from '../api/index.js';
import { runCli, scratchDir } from './harness/io.js';

const root = new URL('..', import.meta.url).pathname;
const DIR = 'fixtures/inventory';
const SUB = ['--subscription-id', '11111111-1111-1111-1111-111111111111'];

function inventory(name: string, text?: string): InventoryFile {
  const file = `${DIR}/${name}`;
  return readInventory(file, loadTemplate(file, text ?? readFileSync(join(root, file), 'utf8')), { scope: { subscriptionId: '11111111-1111-1111-1111-111111111111', resourceGroup: 'rg-legacy' } });
}

function byName(f: InventoryFile, name: string): SourceResource {
  const r = f.resources.find((x) => x.name === name);
  assert.ok(r, `${f.file} has no resource named ${name}: ${f.resources.map((x) => x.name).join(', ')}`);
  return r!;
}

/** A value inside a resource body, by property path (as ARM shapes it). */
function at(v: Value | undefined, ...path: (string | number)[]): Value | undefined {
  let cur = v;
  for (const p of path) cur = cur === null || cur === undefined ? undefined : (cur as Record<string | number, Value>)[p];
  return cur;
}

/** The graph of an empty template plus the inventory files. */
function graphOf(...files: InventoryFile[]) {
  const d = expand(loadTemplate('main.json', '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}'));
  return buildGraph(d, combineInventories(files).resources);
}

interface JsonEgress {
  name: string;
  via: string;
  address: string | null;
  prefix: string | null;
  static: boolean;
}
interface JsonVm {
  name: string;
  verdict: string;
  egress: JsonEgress[];
  primaryEgress: JsonEgress[];
  paths: { method: string; because: string[] }[];
}
interface JsonReport {
  files: { path: string }[];
  vms: JsonVm[];
  findings: { ruleId: string; file: string; line: number; resource?: string }[];
}

async function report(args: string[], cwd = root): Promise<{ code: number; json: JsonReport; err: string }> {
  const r = await runCli([...args, '--format', 'json'], cwd);
  assert.ok(r.out.startsWith('{'), `no JSON report (exit ${r.code}): ${r.err}`);
  return { code: r.code, json: JSON.parse(r.out) as JsonReport, err: r.err };
}

function only(json: JsonReport): JsonVm {
  assert.is(json.vms.length, 1);
  return json.vms[0];
}

const inv = (...names: string[]): string[] => names.flatMap((n) => ['--inventory', `${DIR}/${n}`]);

// ---- reading each recorded shape ------------------------------------------------------------------------------

const read = suite('inventory formats');

read('az network public-ip list: flattened properties go back under properties; resourceGroup is dropped', () => {
  const f = inventory('public-ip-list.json');
  assert.is(f.format, 'az-cli');
  assert.equal(f.problems, []);
  assert.equal(
    f.resources.map((r) => r.name),
    ['pip-app', 'pip-nat', 'pip-fw-hub', 'pip-legacy'],
  );
  const pip = byName(f, 'pip-app');
  assert.is(pip.type, 'Microsoft.Network/publicIPAddresses');
  assert.is(pip.key, pip.id.toLowerCase());
  assert.is(at(pip.body, 'properties', 'ipAddress'), '203.0.113.10');
  assert.is(at(pip.body, 'sku', 'name'), 'Standard');
  assert.equal(at(pip.body, 'zones'), ['1', '2', '3']);
  assert.is(at(pip.body, 'resourceGroup'), undefined);
  assert.is(at(pip.body, 'properties', 'resourceGroup'), undefined);
  assert.is(pip.existing, false);
  assert.equal(pip.at, { file: `${DIR}/public-ip-list.json`, pointer: '/0' });
});

read('the graph reads az output in either casing (publicIPAllocationMethod and the newer publicIpAllocationMethod)', () => {
  const g = graphOf(inventory('public-ip-list.json'), inventory('public-ip-prefix-list.json'));
  const pip = (name: string) => [...g.nodes.values()].find((n) => n.kind === 'publicIp' && n.name === name);
  assert.equal(
    ['pip-app', 'pip-nat', 'pip-legacy'].map((n) => {
      const p = pip(n);
      return p?.kind === 'publicIp' ? [p.address, p.allocation, p.sku] : undefined;
    }),
    [
      ['203.0.113.10', 'Static', 'Standard'],
      ['203.0.113.20', 'Static', 'Standard'],
      ['203.0.113.30', 'Dynamic', 'Basic'],
    ],
  );
  const prefix = [...g.nodes.values()].find((n) => n.kind === 'publicIpPrefix');
  assert.ok(prefix?.kind === 'publicIpPrefix' && prefix.ipPrefix === '198.51.100.16/28' && prefix.prefixLength === 28);
  assert.is(g.vms.length, 0);
});

read('az network firewall list: the SKU goes inside properties (as ARM has it) and ipconfigs keep their private IP', () => {
  const f = inventory('firewall-list.json');
  const fw = byName(f, 'fw-hub');
  assert.is(at(fw.body, 'sku'), undefined);
  assert.is(at(fw.body, 'properties', 'sku', 'name'), 'AZFW_VNet');
  assert.is(at(fw.body, 'properties', 'ipConfigurations', 0, 'name'), 'fw-ipconfig');
  assert.is(at(fw.body, 'properties', 'ipConfigurations', 0, 'properties', 'privateIPAddress'), '10.50.1.4');
  const node = graphOf(f).nodes.get(fw.key);
  assert.ok(node?.kind === 'firewall');
  if (node?.kind !== 'firewall') return;
  assert.is(node.skuName, 'AZFW_VNet');
  assert.is(node.ipConfigs[0].privateIp, '10.50.1.4');
  assert.is(node.ipConfigs[0].publicIp?.kind, 'found');
});

read('az network vnet list and subnet list: subnets with or without a type, their NAT gateway and route table', () => {
  const vnets = inventory('vnet-list.json');
  const spoke = byName(vnets, 'vnet-spoke');
  assert.is(at(spoke.body, 'properties', 'subnets', 0, 'properties', 'natGateway', 'id'), '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-shared/providers/Microsoft.Network/natGateways/nat-shared');
  assert.is(at(spoke.body, 'properties', 'subnets', 1, 'properties', 'defaultOutboundAccess'), false);
  assert.is(at(spoke.body, 'properties', 'virtualNetworkPeerings', 0, 'properties', 'peeringState'), 'Connected');
  const subnets = inventory('subnet-list.json');
  assert.equal(
    subnets.resources.map((r) => [r.type, r.name]),
    [
      ['Microsoft.Network/virtualNetworks/subnets', 'vnet-spoke2/snet-workload'],
      ['Microsoft.Network/virtualNetworks/subnets', 'vnet-spoke2/snet-tools'],
    ],
  );
  const g = graphOf(vnets, subnets);
  const nat = g.nodes.get('/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/rg-net/providers/microsoft.network/virtualnetworks/vnet-spoke/subnets/snet-nat');
  assert.ok(nat?.kind === 'subnet' && nat.natGateway?.kind === 'found' && nat.addressPrefixes[0] === '10.20.1.0/24');
  // A VNet that exists already was not created by the templates: the 2025-07-01 private-by-default rule is not theirs to apply.
  assert.ok(nat?.kind === 'subnet' && nat.vnetCreatedHere === false);
  const workload = g.nodes.get('/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/rg-net/providers/microsoft.network/virtualnetworks/vnet-spoke2/subnets/snet-workload');
  assert.ok(workload?.kind === 'subnet' && workload.routeTable?.kind === 'found');
});

read('az network route-table list: routes keep prefix, next hop type and address', () => {
  const g = graphOf(inventory('route-table-list.json'));
  const rt = [...g.nodes.values()].find((n) => n.kind === 'routeTable');
  assert.ok(rt?.kind === 'routeTable');
  if (rt?.kind !== 'routeTable') return;
  assert.equal(
    rt.routes.map((r) => [r.name, r.addressPrefix, r.nextHopType, r.nextHopIpAddress]),
    [['default-to-hub', '0.0.0.0/0', 'VirtualAppliance', '10.50.1.4']],
  );
});

read('Azure Resource Graph results: rows keep their properties; lower-case types and ids still match', () => {
  const f = inventory('resource-graph.json');
  assert.is(f.format, 'resource-graph');
  const nat = byName(f, 'nat-shared');
  assert.is(nat.type, 'Microsoft.Network/natGateways');
  assert.is(nat.at.pointer, '/data/0');
  assert.is(at(nat.body, 'properties', 'publicIpPrefixes', 0, 'id'), '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-shared/providers/Microsoft.Network/publicIPPrefixes/ippre-nat');
  // The rows alone (az graph query --query data) are Resource Graph rows too.
  const rows = JSON.stringify((JSON.parse(readFileSync(join(root, DIR, 'resource-graph.json'), 'utf8')) as { data: unknown }).data);
  const bare = inventory('rows.json', rows);
  assert.is(bare.format, 'resource-graph');
  assert.equal(bare.resources.map((r) => r.key), [nat.key]);
});

read('one az object (az network firewall show) is an inventory of one', () => {
  const list = JSON.parse(readFileSync(join(root, DIR, 'firewall-list.json'), 'utf8')) as unknown[];
  const f = inventory('fw.json', JSON.stringify(list[0]));
  assert.is(f.format, 'az-cli');
  assert.equal(f.resources.map((r) => r.name), ['fw-hub']);
  assert.is(f.resources[0].at.pointer, '');
});

read('an exported template (az group export): expanded with its parameter defaults, ids in the given scope', () => {
  const f = inventory('group-export.json');
  assert.is(f.format, 'exported-template');
  assert.equal(
    f.resources.map((r) => r.name),
    ['pip-legacy-nat', 'nat-legacy', 'vnet-legacy', 'vnet-legacy/snet-legacy'],
  );
  const pip = byName(f, 'pip-legacy-nat');
  assert.is(pip.id, '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-legacy/providers/Microsoft.Network/publicIPAddresses/pip-legacy-nat');
  assert.is(at(pip.body, 'properties', 'ipAddress'), '203.0.113.40');
  assert.is(pip.at.pointer, '/resources/0');
});

read('an empty az list is an empty inventory, not a problem', () => {
  const f = inventory('empty.json', '[]\n');
  assert.is(f.format, 'az-cli');
  assert.equal([f.resources, f.problems], [[], []]);
});

read('anything else is a problem naming what was expected', () => {
  const other = inventory('other.json', '{ "value": 1 }');
  assert.is(other.format, undefined);
  assert.match(other.problems[0].message, /^The file is not a recognised inventory format: expected the JSON output of an az CLI list or show command/);
  const entries = inventory('entries.json', '[\n  { "name": "x" },\n  { "id": "nope" },\n  "text"\n]\n');
  assert.equal(
    entries.problems.map((p) => [p.at.pointer, p.message]),
    [
      ['/0', 'This entry is not an Azure resource: it has no "id".'],
      ['/1/id', '"nope" is not an Azure resource id (/subscriptions/…/providers/<namespace>/<type>/<name>).'],
      ['/2', 'This entry is not an Azure resource: it has no "id".'],
    ],
  );
  const broken = inventory('broken.json', '[{"id": ');
  assert.equal(broken.problems.length, 1);
  assert.match(broken.problems[0].message, /^The file is not valid JSON: /);
});

read('positions: ARM-shaped pointers land on the flattened az CLI text', () => {
  const f = inventory('vnet-list.json');
  const value = f.doc.value;
  assert.is(filePointer(value, '/0/properties/subnets/0/properties/natGateway'), '/0/subnets/0/natGateway');
  assert.is(filePointer(value, '/0/properties/subnets/9'), '/0/subnets');
  const pips = inventory('public-ip-list.json');
  // The newer az CLI writes publicIpAllocationMethod; the graph asks for publicIPAllocationMethod.
  assert.is(filePointer(pips.doc.value, '/1/properties/publicIPAllocationMethod'), '/1/publicIpAllocationMethod');
  const text = readFileSync(join(root, DIR, 'vnet-list.json'), 'utf8');
  const line = f.doc.lineColumn(f.doc.range('/0/properties/subnets/0/properties/natGateway').offset).line;
  assert.match(text.split('\n')[line], /"natGateway": \{/);
});

read('inventories combine in order: an id listed again later is ignored', () => {
  const a = inventory('a.json', JSON.stringify([{ id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/p', ipAddress: '203.0.113.1' }]));
  const b = inventory('b.json', JSON.stringify([{ id: '/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/publicIPAddresses/P', ipAddress: '203.0.113.2' }]));
  const both = combineInventories([a, b]);
  assert.equal(both.resources.map((r) => at(r.body, 'properties', 'ipAddress')), ['203.0.113.1']);
  assert.equal([...both.docs.keys()], [`${DIR}/a.json`, `${DIR}/b.json`]);
});

read.run();

// ---- scenarios through the CLI --------------------------------------------------------------------------------

const cli = suite('--inventory');

cli('a public IP declared existing: unknown without the inventory, deterministic with its real address with it', async () => {
  const args = [`${DIR}/templates/existing-public-ip.json`, ...SUB, '--resource-group', 'rg-app'];
  const before = only((await report(args)).json);
  assert.is(before.verdict, 'unknown');
  assert.is(before.egress[0].address, null);
  const r = await report([...args, ...inv('public-ip-list.json')]);
  const vm = only(r.json);
  assert.is(vm.verdict, 'deterministic');
  assert.equal(vm.primaryEgress.map((e) => [e.name, e.via, e.address, e.static]), [['pip-app', 'instance-public-ip', '203.0.113.10', true]]);
  assert.equal(r.json.findings, []);
  assert.is(r.code, 0);
});

cli('an existing subnet (literal id) whose NAT gateway is in the inventory: via the NAT gateway, with its address and prefix', async () => {
  const args = [`${DIR}/templates/existing-subnet-nat.json`, ...SUB, '--resource-group', 'rg-app'];
  const before = only((await report(args)).json);
  assert.is(before.verdict, 'unknown');
  assert.equal(before.egress, []);
  const vm = only((await report([...args, ...inv('vnet-list.json', 'resource-graph.json', 'public-ip-list.json', 'public-ip-prefix-list.json')])).json);
  assert.is(vm.verdict, 'deterministic-set');
  assert.equal(
    vm.egress.map((e) => [e.name, e.via, e.address, e.prefix]),
    [
      ['ippre-nat', 'nat-gateway', null, '198.51.100.16/28'],
      ['pip-nat', 'nat-gateway', '203.0.113.20', null],
    ],
  );
  // The firewall team's allow-list now holds the addresses themselves.
  const list = await runCli([...args, ...inv('vnet-list.json', 'resource-graph.json', 'public-ip-list.json', 'public-ip-prefix-list.json'), '--format', 'allowlist'], root);
  assert.equal(
    list.out.split('\n').filter((l) => l !== '' && !l.startsWith('#')),
    ['198.51.100.16/28  # vm-app via nat-gateway', '203.0.113.20/32  # vm-app via nat-gateway'],
  );
  // Without the public IP list, the NAT gateway is known but its addresses are not.
  const partial = only((await report([...args, ...inv('vnet-list.json', 'resource-graph.json')])).json);
  assert.equal(partial.egress.map((e) => [e.name, e.address]), [['ippre-nat', null], ['pip-nat', null]]);
  assert.is(partial.verdict, 'unknown');
});

cli('an existing subnet routed to a hub firewall of another repository: via the firewall and its public IP once the hub VNet is listed too', async () => {
  const args = [`${DIR}/templates/existing-subnet-firewall.json`, ...SUB, '--resource-group', 'rg-app'];
  assert.is(only((await report(args)).json).verdict, 'unknown');
  // The route's next hop matches the private IP the firewall list records; the hub VNet (vnet-list.json) shows the
  // firewall's own subnet, whose NAT gateway or route table would decide the firewall's egress.
  const vm = only((await report([...args, ...inv('subnet-list.json', 'route-table-list.json', 'firewall-list.json', 'public-ip-list.json', 'vnet-list.json')])).json);
  assert.is(vm.verdict, 'deterministic');
  assert.equal(vm.primaryEgress.map((e) => [e.name, e.via, e.address]), [['pip-fw-hub', 'firewall', '198.51.100.5']]);
  assert.ok(vm.paths[0].because.some((b) => b === `10.50.1.4 is the private IP of firewall 'fw-hub' (recorded in ${DIR}/firewall-list.json)`), vm.paths[0].because.join('\n'));
  // Without the hub VNet, the firewall's subnet is outside the files: unknown, naming it.
  const noHub = only((await report([...args, ...inv('subnet-list.json', 'route-table-list.json', 'firewall-list.json', 'public-ip-list.json')])).json);
  assert.is(noHub.verdict, 'unknown');
  assert.equal(noHub.primaryEgress.map((e) => [e.name, e.via, e.address]), [['pip-fw-hub', 'firewall', '198.51.100.5']]);
  assert.match(noHub.paths[0].because.join('\n'), /unknown: the subnet of firewall 'fw-hub', where a NAT gateway or a forced-tunnelling route would change its egress: the subnet '[^']*\/virtualnetworks\/vnet-hub\/subnets\/azurefirewallsubnet' is not in the analysed files/);
  // Without the firewall, the route still leads to an address nothing in the files or the inventory has.
  const noFw = only((await report([...args, ...inv('subnet-list.json', 'route-table-list.json')])).json);
  assert.is(noFw.verdict, 'unknown');
  assert.is(noFw.paths[0].method, 'appliance');
});

cli('a spoke of a Virtual WAN hub of another repository: the hub, its routing intent, its firewall and the connection from the inventory decide', async () => {
  const args = [`${DIR}/templates/vwan-spoke.json`, ...SUB, '--resource-group', 'rg-app'];
  // The templates alone do not say that the VNet is connected to a hub: the VM's own public IP.
  assert.equal(only((await report(args)).json).primaryEgress.map((e) => e.name), ['pip-app']);
  // The connection (enableInternetSecurity: true) and the hub's routing intent send Internet traffic to the hub's
  // firewall, whose public IP the firewall's own record names.
  const all = inv('vhub-connection-list.json', 'vhub-show.json', 'vhub-routing-intent-show.json', 'vhub-firewall-show.json');
  const vm = only((await report([...args, ...all])).json);
  assert.is(vm.verdict, 'deterministic');
  assert.equal(vm.primaryEgress.map((e) => [e.name, e.via, e.address]), [['fw-vhub-public-ip-1', 'firewall', '198.51.100.77']]);
  // With the connection alone, the hub is outside the files: unknown, never the VM's own public IP.
  const connOnly = only((await report([...args, ...inv('vhub-connection-list.json')])).json);
  assert.is(connOnly.verdict, 'unknown');
  assert.match(connOnly.paths[0].because.join('\n'), /virtual hub 'vhub-weu' is not in the analysed files/);
});

cli('an exported template: its resources resolve in the scope it was exported from', async () => {
  const args = [`${DIR}/templates/exported-nat.json`, ...SUB, '--resource-group', 'rg-legacy'];
  assert.is(only((await report(args)).json).verdict, 'unknown');
  const vm = only((await report([...args, ...inv('group-export.json')])).json);
  assert.is(vm.verdict, 'deterministic');
  assert.equal(vm.primaryEgress.map((e) => [e.name, e.via, e.address]), [['pip-legacy-nat', 'nat-gateway', '203.0.113.40']]);
});

cli('the templates win: a public IP they deploy keeps their SKU and allocation; the inventory gives only its address, which a Dynamic IP keeps until deallocation', async () => {
  const args = [`${DIR}/templates/deploys-public-ip.json`, ...SUB, '--resource-group', 'rg-shared'];
  const without = only((await report(args)).json);
  const vm = only((await report([...args, ...inv('public-ip-list.json')])).json);
  // The inventory's pip-app is Standard and Static; the template makes it Basic and Dynamic: non-deterministic stays.
  assert.is(vm.verdict, 'non-deterministic');
  assert.is(vm.verdict, without.verdict);
  assert.equal(vm.primaryEgress.map((e) => [e.name, e.address, e.static]), [['pip-app', '203.0.113.10', false]]);
  assert.equal(without.primaryEgress.map((e) => [e.name, e.address, e.static]), [['pip-app', null, false]]);
  assert.equal(vm.paths[0].because, [
    `public IP 'pip-app' has address 203.0.113.10 (recorded in ${DIR}/public-ip-list.json); it is Dynamic: Azure releases the address when the VM is stopped (deallocated) and may assign another, so this is only today's address`,
    ...without.paths[0].because,
  ]);
  // An address that changes is never allow-listed.
  const list = await runCli([...args, ...inv('public-ip-list.json'), '--format', 'allowlist'], root);
  assert.equal(list.out.split('\n').filter((l) => l !== '' && !l.startsWith('#')), []);
  assert.not.match(list.out, /203\.0\.113\.10/);
});

cli('the templates win: subnets of a VNet they deploy are theirs, whatever the inventory says', async () => {
  const args = [`${DIR}/templates/deploys-vnet.json`, ...SUB, '--resource-group', 'rg-net'];
  const vm = only((await report([...args, ...inv('vnet-list.json', 'resource-graph.json', 'public-ip-list.json')])).json);
  assert.is(vm.verdict, 'deterministic');
  assert.equal(vm.primaryEgress.map((e) => [e.name, e.via]), [['pip-own', 'instance-public-ip']]);
  // The same subnet listed on its own (az network vnet subnet list) does not override the deployed VNet's either.
  const vnets = JSON.parse(readFileSync(join(root, DIR, 'vnet-list.json'), 'utf8')) as { subnets: unknown[] }[];
  const dir = scratchDir({ 'subnets.json': JSON.stringify(vnets[0].subnets, null, 2) });
  const alone = only((await report([...args, '--inventory', join(dir, 'subnets.json'), ...inv('resource-graph.json', 'public-ip-list.json')])).json);
  assert.equal(alone.primaryEgress.map((e) => [e.name, e.via]), [['pip-own', 'instance-public-ip']]);
});

cli('a bad inventory file exits 2 naming the file (and the line), never a stack trace', async () => {
  const dir = scratchDir({
    'main.json': readFileSync(join(root, DIR, 'templates/existing-subnet-nat.json'), 'utf8'),
    'other.json': '{ "value": [] }\n',
    'entries.json': '[\n  { "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/p" },\n  { "name": "x" }\n]\n',
    'broken.json': '[{"id": ',
  });
  const cases: [string, RegExp][] = [
    ['other.json', /^egress-lint: other\.json:1:1: The file is not a recognised inventory format: /],
    ['entries.json', /^egress-lint: entries\.json:3:3: This entry is not an Azure resource: it has no "id"\.\n$/],
    ['broken.json', /^egress-lint: broken\.json:1:9: The file is not valid JSON: /],
    ['missing.json', /^egress-lint: Cannot read the inventory file missing\.json: The file cannot be read \(ENOENT\)\.\n$/],
  ];
  for (const [file, want] of cases) {
    const r = await runCli(['main.json', '--inventory', file], dir);
    assert.is(r.code, 2, file);
    assert.match(r.err, want);
    assert.is(r.out, '');
    assert.not.match(r.err, /at .*\.ts:\d+|--help/);
  }
});

cli('the configuration\'s inventory, relative to the configuration file, and --inventory adds more', async () => {
  const text = (name: string): string => readFileSync(join(root, DIR, name), 'utf8');
  const dir = scratchDir(
    {
      'egress-lint.config.json': JSON.stringify({ scope: { subscriptionId: '11111111-1111-1111-1111-111111111111', resourceGroup: 'rg-app' }, inventory: ['inventory/vnets.json', 'inventory/nat.json'] }),
      'inventory/vnets.json': text('vnet-list.json'),
      'inventory/nat.json': text('resource-graph.json'),
      'inventory/pips.json': text('public-ip-list.json'),
      'infra/main.json': text('templates/existing-subnet-nat.json'),
    },
    true,
  );
  const cwd = join(dir, 'infra');
  const partial = only((await report(['main.json'], cwd)).json);
  assert.equal(partial.egress.map((e) => [e.name, e.via, e.address]), [['ippre-nat', 'nat-gateway', null], ['pip-nat', 'nat-gateway', null]]);
  const full = only((await report(['main.json', '--inventory', '../inventory/pips.json'], cwd)).json);
  assert.equal(full.egress.find((e) => e.name === 'pip-nat')?.address, '203.0.113.20');
});

cli('findings located in an inventory file are kept only when they are about a VM of the templates', async () => {
  const nat = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/natGateways/nat-basic';
  const pip = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip-basic';
  const subnet = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet';
  const template = JSON.parse(readFileSync(join(root, DIR, 'templates/existing-subnet-nat.json'), 'utf8')) as { resources: ValueObject[] };
  const nicIpConfig = at(template.resources[0], 'properties', 'ipConfigurations', 0, 'properties') as Record<string, Value>;
  nicIpConfig.subnet = { id: subnet };
  const dir = scratchDir({
    'main.json': JSON.stringify(template, null, 2),
    'inventory.json': JSON.stringify(
      [
        { id: subnet, name: 'snet', addressPrefix: '10.0.1.0/24', natGateway: { id: nat } },
        { id: nat, name: 'nat-basic', sku: { name: 'Standard' }, publicIpAddresses: [{ id: pip }] },
        { id: pip, name: 'pip-basic', sku: { name: 'Basic' }, publicIPAllocationMethod: 'Dynamic', ipAddress: '203.0.113.50' },
      ],
      null,
      2,
    ),
  });
  const r = await report(['main.json', '--inventory', 'inventory.json'], dir);
  // The VM's egress changes on deallocation (kept, at the NAT gateway in the inventory); the Basic SKU of the
  // inventory's own public IP and NAT gateway are not the templates' findings.
  assert.equal(
    r.json.findings.map((f) => [f.ruleId, f.file, f.line, f.resource]),
    [['dynamic-public-ip', 'inventory.json', 10, 'vm-app']],
  );
  assert.is(only(r.json).verdict, 'non-deterministic');
});

cli('an exported template given as inventory is not linted as a template', async () => {
  const linted = (json: JsonReport): string[] => json.files.map((f) => f.path);
  const args = [DIR, ...SUB, '--resource-group', 'rg-legacy'];
  assert.ok(linted((await report(args)).json).includes(`${DIR}/group-export.json`));
  assert.not.ok(linted((await report([...args, ...inv('group-export.json')])).json).includes(`${DIR}/group-export.json`));
});

cli('the library API takes inventory files too', async () => {
  const r = await lint(`${DIR}/templates/existing-public-ip.json`, { cwd: root, scope: { subscriptionId: '11111111-1111-1111-1111-111111111111', resourceGroup: 'rg-app' }, inventory: [`${DIR}/public-ip-list.json`] });
  assert.equal(r.vms.map((v) => [v.verdict, v.primaryEgress[0]?.address]), [['deterministic', '203.0.113.10']]);
});

cli('an AKS cluster whose outbound IP is in another resource group: its address comes from the inventory', async () => {
  const args = [`${DIR}/templates/aks-outbound-ip.json`, ...SUB, '--resource-group', 'rg-app'];
  const before = only((await report(args)).json);
  assert.is(before.verdict, 'unknown');
  const vm = only((await report([...args, ...inv('public-ip-list.json')])).json);
  assert.is(vm.name, 'aks-app/system');
  assert.is(vm.verdict, 'deterministic');
  assert.equal(vm.primaryEgress.map((e) => [e.name, e.via, e.address, e.static]), [['pip-app', 'lb-outbound-rule', '203.0.113.10', true]]);
  const list = await runCli([...args, ...inv('public-ip-list.json'), '--format', 'allowlist'], root);
  assert.equal(list.out.split('\n').filter((l) => l !== '' && !l.startsWith('#')), ['203.0.113.10/32  # aks-app/system via lb-outbound-rule']);
});

cli('a node pool added to a cluster recorded by az aks show: the cluster\'s outbound settings come from the inventory, its own pools are not linted', async () => {
  const args = [`${DIR}/templates/aks-node-pool.json`, ...SUB, '--resource-group', 'rg-app'];
  const before = only((await report(args)).json);
  assert.is(before.verdict, 'unknown');
  assert.match(before.paths[0].because.join('\n'), /cluster 'aks-prod' is not in the analysed files/);
  // The cluster's outbound IP is named but outside the files until the public IP list joins.
  const partial = only((await report([...args, ...inv('aks-show.json')])).json);
  assert.is(partial.name, 'aks-prod/batch');
  assert.is(partial.verdict, 'unknown');
  assert.equal(partial.egress.map((e) => [e.name, e.address]), [['pip-app', null]]);
  const r = await report([...args, ...inv('aks-show.json', 'public-ip-list.json')]);
  const vm = only(r.json);
  assert.is(vm.verdict, 'deterministic');
  assert.equal(vm.primaryEgress.map((e) => [e.name, e.via, e.address]), [['pip-app', 'lb-outbound-rule', '203.0.113.10']]);
  assert.equal(r.json.findings, []);
});

cli.run();
