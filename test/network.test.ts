// Unit tests of the network graph (engine/network/graph.ts) and of resolver details the egress fixtures do not pin.
import { showPlaceholders } from '../engine/expressions/placeholder.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadTemplate } from '../engine/template/template.js';
import { expand } from '../engine/expansion/expand.js';
import { buildGraph } from '../engine/network/graph.js';
import type { NetworkGraph, Ref } from '../engine/network/graph.js';
import { resolveEgress } from '../engine/network/resolve.js';
import { firstUsableAddress } from '../engine/network/appliances.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const NET = '2024-05-01';
const RG = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resource-group/providers';

function graphOf(resources: Json, extra: Record<string, Json> = {}): NetworkGraph {
  const template = { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', ...extra, resources };
  return buildGraph(expand(loadTemplate('main.json', JSON.stringify(template))));
}

const rid = (type: string, ...names: string[]): string => `[resourceId('${type}', ${names.map((n) => `'${n}'`).join(', ')})]`;
const vnet = (subnets: Json[] = [{ name: 'default', properties: { addressPrefix: '10.0.1.0/24' } }], more: Record<string, Json> = {}): Json => ({
  type: 'Microsoft.Network/virtualNetworks',
  apiVersion: NET,
  name: 'vnet',
  location: 'westeurope',
  ...more,
  properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets },
});
const nic = (name: string, ipconfig: Record<string, Json>): Json => ({
  type: 'Microsoft.Network/networkInterfaces',
  apiVersion: NET,
  name,
  location: 'westeurope',
  properties: { ipConfigurations: [{ name: 'ipconfig1', properties: { subnet: { id: rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default') }, ...ipconfig } }] },
});
const vm = (name: string, nics: string[]): Json => ({
  type: 'Microsoft.Compute/virtualMachines',
  apiVersion: '2024-07-01',
  name,
  location: 'westeurope',
  properties: { networkProfile: { networkInterfaces: nics.map((n) => ({ id: rid('Microsoft.Network/networkInterfaces', n) })) } },
});
const key = (type: string, ...names: string[]): string => {
  const [ns, ...types] = type.split('/');
  return `${RG}/${ns}/${types.map((t, i) => `${t}/${names[i]}`).join('/')}`.toLowerCase();
};

// ---- subnets, routes and pools declared inline or as child resources land on one node ----

const children = suite('graph: inline and child resources');

children('an inline subnet and a top-level child subnet of the same name are one node; the child wins', () => {
  const g = graphOf([
    vnet([{ name: 'default', properties: { addressPrefix: '10.0.1.0/24' } }]),
    { type: 'Microsoft.Network/virtualNetworks/subnets', apiVersion: NET, name: 'vnet/default', dependsOn: [rid('Microsoft.Network/virtualNetworks', 'vnet')], properties: { addressPrefix: '10.0.9.0/24', defaultOutboundAccess: false } },
  ]);
  const s = g.nodes.get(key('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default'));
  assert.ok(s && s.kind === 'subnet');
  assert.equal(s.addressPrefixes, ['10.0.9.0/24']);
  assert.is(s.defaultOutboundAccess, false);
  assert.is(s.vnetCreatedHere, true);
  assert.is(s.vnetApiVersion, NET);
  assert.is([...g.nodes.values()].filter((n) => n.kind === 'subnet').length, 1);
});

children('the child subnet wins even when it is declared before its VNet', () => {
  const g = graphOf([
    { type: 'Microsoft.Network/virtualNetworks/subnets', apiVersion: NET, name: 'vnet/default', dependsOn: [rid('Microsoft.Network/virtualNetworks', 'vnet')], properties: { addressPrefix: '10.0.9.0/24' } },
    vnet([{ name: 'default', properties: { addressPrefix: '10.0.1.0/24' } }]),
  ]);
  const s = g.nodes.get(key('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default'));
  assert.ok(s && s.kind === 'subnet');
  assert.equal(s.addressPrefixes, ['10.0.9.0/24']);
  assert.is(s.vnetCreatedHere, true);
});

children('a subnet nested in the VNet resources array (type "subnets") is the same node as the id the NIC uses', () => {
  const g = graphOf([
    {
      ...(vnet([]) as Record<string, Json>),
      resources: [{ type: 'subnets', apiVersion: NET, name: 'default', dependsOn: ['vnet'], properties: { addressPrefix: '10.0.1.0/24', routeTable: { id: rid('Microsoft.Network/routeTables', 'rt') } } }],
    },
    nic('nic1', {}),
  ]);
  const ipc = [...g.ipConfigs.values()][0];
  const s = g.get(g.check(ipc.subnet), 'subnet');
  assert.ok(s);
  assert.is(s.name, 'default');
  assert.is(s.routeTable?.kind, 'found');
});

children('inline routes and child routes merge into one route table; a child route replaces an inline one of the same name', () => {
  const g = graphOf([
    {
      type: 'Microsoft.Network/routeTables',
      apiVersion: NET,
      name: 'rt',
      location: 'westeurope',
      properties: { routes: [{ name: 'default', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'Internet' } }, { name: 'onprem', properties: { addressPrefix: '192.168.0.0/16', nextHopType: 'VirtualNetworkGateway' } }] },
    },
    { type: 'Microsoft.Network/routeTables/routes', apiVersion: NET, name: 'rt/DEFAULT', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'None' } },
    { type: 'Microsoft.Network/routeTables/routes', apiVersion: NET, name: 'rt/extra', properties: { addressPrefix: '8.8.8.8/32', nextHopType: 'Internet' } },
  ]);
  const rt = g.nodes.get(key('Microsoft.Network/routeTables', 'rt'));
  assert.ok(rt && rt.kind === 'routeTable');
  assert.equal(
    rt.routes.map((r) => `${r.name} ${String(r.addressPrefix)} ${String(r.nextHopType)}`),
    ['DEFAULT 0.0.0.0/0 None', 'onprem 192.168.0.0/16 VirtualNetworkGateway', 'extra 8.8.8.8/32 Internet'],
  );
});

children('inline pools and child pools land on one pool, which NIC ipconfigs reference', () => {
  const lbKey = key('Microsoft.Network/loadBalancers', 'lb');
  const g = graphOf([
    vnet(),
    { type: 'Microsoft.Network/loadBalancers', apiVersion: NET, name: 'lb', location: 'westeurope', sku: { name: 'Standard' }, properties: { backendAddressPools: [{ name: 'pool' }] } },
    {
      type: 'Microsoft.Network/loadBalancers/backendAddressPools',
      apiVersion: NET,
      name: 'lb/pool',
      properties: { loadBalancerBackendAddresses: [{ name: 'a', properties: { ipAddress: '10.0.1.50' } }] },
    },
    { type: 'Microsoft.Network/loadBalancers/backendAddressPools', apiVersion: NET, name: 'lb/pool2' },
    nic('nic1', { loadBalancerBackendAddressPools: [{ id: rid('Microsoft.Network/loadBalancers/backendAddressPools', 'lb', 'pool2') }] }),
  ]);
  const lb = g.nodes.get(lbKey);
  assert.ok(lb && lb.kind === 'loadBalancer');
  assert.equal(
    lb.pools.map((p) => [p.name, p.addresses]),
    [
      ['pool', ['10.0.1.50']],
      ['pool2', []],
    ],
  );
  const ipc = [...g.ipConfigs.values()][0];
  assert.equal(g.check(ipc.pools[0]), { kind: 'found', key: `${lbKey}/backendaddresspools/pool2` });
});

children('VM-managed NIC configurations become NIC nodes keyed under the VM', () => {
  const g = graphOf([
    vnet(),
    {
      type: 'Microsoft.Compute/virtualMachines',
      apiVersion: '2024-07-01',
      name: 'vm1',
      location: 'westeurope',
      properties: {
        networkProfile: {
          networkApiVersion: '2022-11-01',
          networkInterfaceConfigurations: [
            {
              name: 'vm1-nic',
              properties: {
                primary: true,
                ipConfigurations: [
                  { name: 'ipconfig1', properties: { subnet: { id: rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default') }, publicIPAddressConfiguration: { name: 'vm1-pip', sku: { name: 'Standard' } } } },
                ],
              },
            },
          ],
        },
      },
    },
  ]);
  const [v] = g.vms;
  assert.is(v.nics.length, 1);
  assert.is(v.nics[0].primary, true);
  const n = g.get(v.nics[0].nic, 'nic');
  assert.ok(n);
  assert.is(n.managed, true);
  assert.is(n.key, `${key('Microsoft.Compute/virtualMachines', 'vm1')}/networkinterfaceconfigurations/vm1-nic`);
  const pip = n.ipConfigs[0].publicIp;
  assert.ok(pip && !('cause' in pip) && pip.kind === 'managed');
  assert.is(pip.allocation, 'Static', 'a Standard SKU without an allocation method is static');
});

children('an `existing` VM and a Flexible scale set without a VM profile are nodes but not VMs to resolve', () => {
  const g = graphOf(
    {
      vnet: vnet() as Record<string, Json>,
      parent: { type: 'Microsoft.Compute/virtualMachines', apiVersion: '2024-07-01', name: 'elsewhere', existing: true },
      flex: { type: 'Microsoft.Compute/virtualMachineScaleSets', apiVersion: '2024-07-01', name: 'flex', location: 'westeurope', properties: { orchestrationMode: 'Flexible', platformFaultDomainCount: 1 } },
      nic: nic('nic1', {}) as Record<string, Json>,
      member: { ...(vm('vm1', ['nic1']) as Record<string, Json>), properties: { virtualMachineScaleSet: { id: rid('Microsoft.Compute/virtualMachineScaleSets', 'flex') }, networkProfile: { networkInterfaces: [{ id: rid('Microsoft.Network/networkInterfaces', 'nic1') }] } } },
    },
    { languageVersion: '2.0' },
  );
  assert.equal(
    g.vms.map((v) => v.name),
    ['vm1'],
  );
  assert.ok(g.nodes.get(key('Microsoft.Compute/virtualMachineScaleSets', 'flex')));
  assert.equal(
    resolveEgress(g).map((v) => v.verdict),
    ['no-egress'],
  );
});

children.run();

// ---- references ----

const refs = suite('graph: references');

refs('ids and property names match case-insensitively', () => {
  const g = graphOf([
    vnet(),
    { type: 'Microsoft.Network/publicIPAddresses', apiVersion: NET, name: 'PIP-1', location: 'westeurope', sku: { name: 'Standard' }, properties: {} },
    {
      type: 'Microsoft.Network/networkInterfaces',
      apiVersion: NET,
      name: 'nic1',
      location: 'westeurope',
      Properties: {
        IPConfigurations: [
          {
            name: 'ipconfig1',
            PROPERTIES: {
              Subnet: { ID: `${RG.toUpperCase()}/MICROSOFT.NETWORK/VIRTUALNETWORKS/VNET/SUBNETS/DEFAULT/` },
              publicIpAddress: { id: rid('Microsoft.Network/publicIPAddresses', 'pip-1') },
            },
          },
        ],
      },
    },
  ]);
  const ipc = [...g.ipConfigs.values()][0];
  assert.ok(ipc, 'the ipconfig is read through differently-cased keys');
  assert.is(g.get(g.check(ipc.subnet), 'subnet')?.name, 'default');
  const pip = ipc.publicIp;
  assert.ok(pip && !('cause' in pip) && pip.kind === 'ref');
  assert.is(g.get(g.check(pip.ref), 'publicIp')?.name, 'PIP-1');
});

refs("a literal id that is not in the analysed files is 'missing'", () => {
  const g = graphOf([nic('nic1', { subnet: { id: '/subscriptions/x/resourceGroups/hub/providers/Microsoft.Network/virtualNetworks/hub/subnets/s1' } })]);
  const ipc = [...g.ipConfigs.values()][0];
  assert.equal(g.check(ipc.subnet), { kind: 'missing', id: '/subscriptions/x/resourcegroups/hub/providers/microsoft.network/virtualnetworks/hub/subnets/s1' });
  assert.is(g.get(g.check(ipc.subnet), 'subnet'), undefined);
});

refs("an id known only at deployment is 'unknown' and keeps its origin", () => {
  const g = graphOf([vnet(), nic('nic1', { publicIPAddress: { id: "[reference(resourceId('Microsoft.Network/virtualNetworks', 'vnet'), '2024-05-01').pipId]" } })]);
  const ipc = [...g.ipConfigs.values()][0];
  const pip = ipc.publicIp;
  assert.ok(pip && !('cause' in pip) && pip.kind === 'ref');
  const r: Ref = pip.ref;
  assert.is(r.kind, 'unknown');
  assert.match(r.kind === 'unknown' ? r.value.origin : '', /pipId/);
});

refs("an id from a string parameter with no value is the placeholder id: found, and missing unless declared", () => {
  const g = graphOf([vnet(), nic('nic1', { publicIPAddress: { id: "[parameters('pipId')]" } })], { parameters: { pipId: { type: 'string' } } });
  const ipc = [...g.ipConfigs.values()][0];
  const pip = ipc.publicIp;
  assert.ok(pip && !('cause' in pip) && pip.kind === 'ref');
  const r = g.check(pip.ref);
  assert.is(r?.kind, 'missing');
  assert.is(showPlaceholders(r?.kind === 'missing' ? r.id : ''), '{pipId}');
});

refs("reference(vnet).subnets[0].id, which Azure fills in at deployment, is resolved from the declared subnet's name", () => {
  const g = graphOf([
    vnet([
      { name: 'first', properties: { addressPrefix: '10.0.0.0/24' } },
      { name: 'second', properties: { addressPrefix: '10.0.1.0/24' } },
    ]),
    nic('nic1', { subnet: { id: `[reference(resourceId('Microsoft.Network/virtualNetworks', 'vnet'), '${NET}').subnets[1].id]` } }),
  ]);
  const ipc = [...g.ipConfigs.values()][0];
  assert.equal(g.check(ipc.subnet), { kind: 'found', key: key('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'second') });
});

refs('a reference of another kind is not returned for the kind asked', () => {
  const g = graphOf([vnet(), nic('nic1', { publicIPAddress: { id: rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default') } })]);
  const ipc = [...g.ipConfigs.values()][0];
  const pip = ipc.publicIp;
  assert.ok(pip && !('cause' in pip) && pip.kind === 'ref');
  assert.is(g.get(g.check(pip.ref), 'publicIp'), undefined);
  assert.ok(g.get(g.check(pip.ref), 'subnet'));
});

refs.run();

// ---- firstUsableAddress ----

const first = suite('firstUsableAddress');

first('is the fifth address of the subnet (.0 to .3 are reserved)', () => {
  assert.is(firstUsableAddress('10.0.0.0/26'), '10.0.0.4');
  assert.is(firstUsableAddress('10.0.0.64/26'), '10.0.0.68');
  assert.is(firstUsableAddress('192.168.10.0/24'), '192.168.10.4');
  assert.is(firstUsableAddress('10.1.0.0/16'), '10.1.0.4');
  assert.is(firstUsableAddress('10.0.0.248/29'), '10.0.0.252');
});

first('masks a prefix written with host bits set', () => {
  assert.is(firstUsableAddress('10.1.2.3/24'), '10.1.2.4');
});

first('is undefined for what is not an IPv4 subnet Azure accepts', () => {
  assert.is(firstUsableAddress('10.0.0.0/30'), undefined);
  assert.is(firstUsableAddress('10.0.0.0'), undefined);
  assert.is(firstUsableAddress('10.0.0.256/24'), undefined);
  assert.is(firstUsableAddress('fd00::/64'), undefined);
  assert.is(firstUsableAddress('AzureCloud'), undefined);
});

first.run();

// ---- resolver details ----

const resolver = suite('resolve: details');

const verdicts = (g: NetworkGraph): Record<string, string> => Object.fromEntries(resolveEgress(g).map((v) => [v.vm.name, `${v.verdict} [${v.egress.map((e) => e.name).join(',')}]`]));

resolver('a route table known only by id makes the path unknown', () => {
  const g = graphOf([vnet([{ name: 'default', properties: { addressPrefix: '10.0.1.0/24', routeTable: { id: '/subscriptions/x/resourceGroups/hub/providers/Microsoft.Network/routeTables/rt' } } }]), nic('nic1', {}), vm('vm1', ['nic1'])]);
  assert.equal(verdicts(g), { vm1: 'unknown []' });
});

resolver('a NAT gateway whose IP list is a parameter without a value is unknown, not a guess', () => {
  const g = graphOf(
    [
      { type: 'Microsoft.Network/natGateways', apiVersion: NET, name: 'nat', location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIpAddresses: "[parameters('ips')]" } },
      vnet([{ name: 'default', properties: { addressPrefix: '10.0.1.0/24', natGateway: { id: rid('Microsoft.Network/natGateways', 'nat') } } }]),
      nic('nic1', {}),
      vm('vm1', ['nic1']),
    ],
    { parameters: { ips: { type: 'array' } } },
  );
  assert.equal(verdicts(g), { vm1: 'unknown []' });
});

resolver('two NVAs routing to each other loop and end unknown', () => {
  const route = (ip: string): Json => ({ type: 'Microsoft.Network/routeTables', apiVersion: NET, name: `rt-${ip}`, location: 'westeurope', properties: { routes: [{ name: 'd', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: ip } }] } });
  const g = graphOf([
    route('10.0.1.4'),
    route('10.0.2.4'),
    vnet([
      { name: 'a', properties: { addressPrefix: '10.0.1.0/24', routeTable: { id: rid('Microsoft.Network/routeTables', 'rt-10.0.2.4') } } },
      { name: 'b', properties: { addressPrefix: '10.0.2.0/24', routeTable: { id: rid('Microsoft.Network/routeTables', 'rt-10.0.1.4') } } },
    ]),
    { ...(nic('nva-a', {}) as Record<string, Json>), properties: { ipConfigurations: [{ name: 'ipconfig1', properties: { privateIPAddress: '10.0.1.4', subnet: { id: rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'a') } } }] } },
    { ...(nic('nva-b', {}) as Record<string, Json>), properties: { ipConfigurations: [{ name: 'ipconfig1', properties: { privateIPAddress: '10.0.2.4', subnet: { id: rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'b') } } }] } },
    vm('vm-a', ['nva-a']),
    vm('vm-b', ['nva-b']),
  ]);
  const out = resolveEgress(g);
  assert.equal(verdicts(g), { 'vm-a': 'unknown []', 'vm-b': 'unknown []' });
  assert.match(out[0].paths[0].because.join(' '), /loop/);
});

resolver('a Basic dynamic public IP next to an unresolved one is non-deterministic (non-deterministic wins over unknown)', () => {
  const g = graphOf([
    { type: 'Microsoft.Network/publicIPAddresses', apiVersion: NET, name: 'pip-basic', location: 'westeurope', sku: { name: 'Basic' }, properties: { publicIPAllocationMethod: 'Dynamic' } },
    { type: 'Microsoft.Network/natGateways', apiVersion: NET, name: 'nat', location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIpAddresses: [{ id: '/subscriptions/x/resourceGroups/hub/providers/Microsoft.Network/publicIPAddresses/shared' }] } },
    vnet([
      { name: 'default', properties: { addressPrefix: '10.0.1.0/24' } },
      { name: 'nat', properties: { addressPrefix: '10.0.2.0/24', natGateway: { id: rid('Microsoft.Network/natGateways', 'nat') } } },
    ]),
    nic('nic1', { publicIPAddress: { id: rid('Microsoft.Network/publicIPAddresses', 'pip-basic') } }),
    { ...(nic('nic2', {}) as Record<string, Json>), properties: { ipConfigurations: [{ name: 'ipconfig1', properties: { subnet: { id: rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'nat') } } }] } },
    {
      ...(vm('vm1', []) as Record<string, Json>),
      properties: {
        networkProfile: {
          networkInterfaces: [
            { id: rid('Microsoft.Network/networkInterfaces', 'nic1'), properties: { primary: true } },
            { id: rid('Microsoft.Network/networkInterfaces', 'nic2'), properties: { primary: false } },
          ],
        },
      },
    },
  ]);
  const [v] = resolveEgress(g);
  assert.equal(
    v.paths.map((p) => p.verdict),
    ['non-deterministic', 'unknown'],
  );
  assert.is(v.verdict, 'non-deterministic');
  assert.equal(
    v.egress.map((e) => [e.name, e.unresolved]),
    [
      ['pip-basic', false],
      ['shared', true],
    ],
  );
});

resolver('the group rule names where the Standard public IP is: another ipconfig of the same NIC, or another NIC', () => {
  const pipStd = (name: string): Json => ({ type: 'Microsoft.Network/publicIPAddresses', apiVersion: NET, name, location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } });
  const subnet = { id: rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default') };
  const g = graphOf([
    vnet(),
    pipStd('pip-a'),
    pipStd('pip-b'),
    {
      type: 'Microsoft.Network/networkInterfaces',
      apiVersion: NET,
      name: 'nic-two-ipconfigs',
      location: 'westeurope',
      properties: {
        ipConfigurations: [
          { name: 'ipconfig1', properties: { primary: true, subnet } },
          { name: 'ipconfig2', properties: { primary: false, subnet, publicIPAddress: { id: rid('Microsoft.Network/publicIPAddresses', 'pip-a') } } },
        ],
      },
    },
    vm('vm-one-nic', ['nic-two-ipconfigs']),
    nic('nic-bare', {}),
    nic('nic-pip', { publicIPAddress: { id: rid('Microsoft.Network/publicIPAddresses', 'pip-b') } }),
    {
      ...(vm('vm-two-nics', []) as Record<string, Json>),
      properties: {
        networkProfile: {
          networkInterfaces: [
            { id: rid('Microsoft.Network/networkInterfaces', 'nic-bare'), properties: { primary: true } },
            { id: rid('Microsoft.Network/networkInterfaces', 'nic-pip'), properties: { primary: false } },
          ],
        },
      },
    },
  ]);
  const [one, two] = resolveEgress(g);
  assert.equal([one.paths[0].verdict, two.paths[0].verdict], ['no-egress', 'no-egress']);
  assert.ok(one.paths[0].because.includes('another ipconfig of this NIC has a Standard public IP, so the whole VM follows Standard rules and gets no default outbound access'), one.paths[0].because.join('\n'));
  assert.ok(two.paths[0].because.includes('another NIC of this VM has a Standard public IP, so the whole VM follows Standard rules and gets no default outbound access'), two.paths[0].because.join('\n'));
});

resolver("a scale set's per-instance public IPs from a prefix that may not be deployed are unknown, naming the prefix", () => {
  const subnet = { id: rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default') };
  const g = graphOf(
    [
      vnet(),
      { condition: "[parameters('withPrefix')]", type: 'Microsoft.Network/publicIPPrefixes', apiVersion: NET, name: 'ippre', location: 'westeurope', sku: { name: 'Standard' }, properties: { prefixLength: 28 } },
      {
        type: 'Microsoft.Compute/virtualMachineScaleSets',
        apiVersion: '2024-07-01',
        name: 'vmss',
        location: 'westeurope',
        properties: {
          orchestrationMode: 'Uniform',
          virtualMachineProfile: {
            networkProfile: {
              networkInterfaceConfigurations: [
                {
                  name: 'nic',
                  properties: {
                    primary: true,
                    ipConfigurations: [{ name: 'ipconfig1', properties: { subnet, publicIPAddressConfiguration: { name: 'instance-pip', sku: { name: 'Standard' }, properties: { publicIPPrefix: { id: rid('Microsoft.Network/publicIPPrefixes', 'ippre') } } } } }],
                  },
                },
              ],
            },
          },
        },
      },
    ],
    { parameters: { withPrefix: { type: 'bool' } } },
  );
  const [v] = resolveEgress(g);
  assert.is(v.verdict, 'unknown');
  assert.equal(v.egress.map((e) => e.name), ['ippre']);
  assert.is(showPlaceholders(v.paths[0].unknownReason ?? ''), "the public IP prefix of 'instance-pip': public IP prefix 'ippre' may not be deployed (its condition is unknown: parameter 'withPrefix' has no value)");
});

resolver('a secondary ipconfig in a public load-balancing rule pool gets no SNAT from it', () => {
  const g = graphOf([
    vnet(),
    { type: 'Microsoft.Network/publicIPAddresses', apiVersion: NET, name: 'pip-lb', location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } },
    {
      type: 'Microsoft.Network/loadBalancers',
      apiVersion: NET,
      name: 'lb',
      location: 'westeurope',
      sku: { name: 'Standard' },
      properties: {
        frontendIPConfigurations: [{ name: 'fe', properties: { publicIPAddress: { id: rid('Microsoft.Network/publicIPAddresses', 'pip-lb') } } }],
        backendAddressPools: [{ name: 'pool' }],
        loadBalancingRules: [
          {
            name: 'r',
            properties: {
              frontendIPConfiguration: { id: rid('Microsoft.Network/loadBalancers/frontendIPConfigurations', 'lb', 'fe') },
              backendAddressPool: { id: rid('Microsoft.Network/loadBalancers/backendAddressPools', 'lb', 'pool') },
              protocol: 'Tcp',
              frontendPort: 80,
              backendPort: 80,
            },
          },
        ],
      },
    },
    {
      type: 'Microsoft.Network/networkInterfaces',
      apiVersion: NET,
      name: 'nic1',
      location: 'westeurope',
      properties: {
        ipConfigurations: ['ipconfig1', 'ipconfig2'].map((n, i) => ({
          name: n,
          properties: {
            primary: i === 0,
            subnet: { id: rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default') },
            loadBalancerBackendAddressPools: [{ id: rid('Microsoft.Network/loadBalancers/backendAddressPools', 'lb', 'pool') }],
          },
        })),
      },
    },
    vm('vm1', ['nic1']),
  ]);
  const [v] = resolveEgress(g);
  assert.equal(
    v.paths.map((p) => `${p.ipConfiguration} ${p.method} ${p.verdict} [${p.egress.map((e) => e.name).join(',')}]`),
    ['ipconfig1 lb-rule-snat deterministic [pip-lb]', 'ipconfig2 default-outbound-access non-deterministic []'],
  );
});

resolver('an `existing` declaration of a deployed public IP does not hide the deployed one', () => {
  const pip = { type: 'Microsoft.Network/publicIPAddresses', apiVersion: NET, name: 'pip1', location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } };
  const resources: Record<string, Json> = {
    vnet: vnet(),
    pip,
    nic1: nic('nic1', { publicIPAddress: { id: rid('Microsoft.Network/publicIPAddresses', 'pip1') } }),
    vm1: vm('vm1', ['nic1']),
    pipAgain: { type: 'Microsoft.Network/publicIPAddresses', apiVersion: NET, name: 'pip1', existing: true },
  };
  assert.equal(verdicts(graphOf(resources, { languageVersion: '2.0' })), { vm1: 'deterministic [pip1]' });
});

resolver('VMs routed through an internal load balancer: its pool members are looked up in an index, not a scan per path', () => {
  const pool = rid('Microsoft.Network/loadBalancers/backendAddressPools', 'ilb', 'nvas');
  const resources: Json[] = [
    vnet([
      { name: 'default', properties: { addressPrefix: '10.0.1.0/24', routeTable: { id: rid('Microsoft.Network/routeTables', 'rt') } } },
      { name: 'nva', properties: { addressPrefix: '10.0.2.0/24' } },
    ]),
    {
      type: 'Microsoft.Network/routeTables',
      apiVersion: NET,
      name: 'rt',
      location: 'westeurope',
      properties: { routes: [{ name: 'all', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.2.10' } }] },
    },
    {
      type: 'Microsoft.Network/loadBalancers',
      apiVersion: NET,
      name: 'ilb',
      location: 'westeurope',
      sku: { name: 'Standard' },
      properties: {
        frontendIPConfigurations: [{ name: 'fe', properties: { privateIPAddress: '10.0.2.10', subnet: { id: rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'nva') } } }],
        backendAddressPools: [{ name: 'nvas' }],
        loadBalancingRules: [{ name: 'ha', properties: { frontendIPConfiguration: { id: rid('Microsoft.Network/loadBalancers/frontendIPConfigurations', 'ilb', 'fe') }, backendAddressPool: { id: pool }, protocol: 'All', frontendPort: 0, backendPort: 0 } }],
      },
    },
  ];
  for (const k of [1, 2]) {
    resources.push({ type: 'Microsoft.Network/publicIPAddresses', apiVersion: NET, name: `pip-nva${k}`, location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } });
    resources.push({
      type: 'Microsoft.Network/networkInterfaces',
      apiVersion: NET,
      name: `nic-nva${k}`,
      location: 'westeurope',
      properties: { enableIPForwarding: true, ipConfigurations: [{ name: 'ipconfig1', properties: { subnet: { id: rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'nva') }, publicIPAddress: { id: rid('Microsoft.Network/publicIPAddresses', `pip-nva${k}`) }, loadBalancerBackendAddressPools: [{ id: pool }] } }] },
    });
  }
  for (let i = 0; i < 6; i++) resources.push(nic(`nic${i}`, {}), vm(`vm${i}`, [`nic${i}`]));
  const g = graphOf(resources);
  const values = g.ipConfigs.values.bind(g.ipConfigs);
  let scans = 0;
  g.ipConfigs.values = () => {
    scans++;
    return values();
  };
  const expected = Object.fromEntries([0, 1, 2, 3, 4, 5].map((i) => [`vm${i}`, 'deterministic-set [pip-nva1,pip-nva2]']));
  assert.equal(verdicts(g), expected);
  assert.is(scans, 1, 'one pass over the ipconfigs builds the index; six paths used it');
});

resolver.run();
