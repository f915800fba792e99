// Resolver details of dual-stack paths that the egress fixtures (fixtures/egress/dualstack-*) do not pin: what a
// path's reasons say when a load balancer rule of its pool has no frontend of its IP family.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadTemplate } from '../engine/template/template.js';
import { expand } from '../engine/expansion/expand.js';
import { buildGraph } from '../engine/network/graph.js';
import { resolveEgress } from '../engine/network/resolve.js';

const NET = '2024-05-01';
const rid = (type: string, ...names: string[]): string => `[resourceId('${type}', ${names.map((n) => `'${n}'`).join(', ')})]`;
const subnetId = rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default');
const poolId = rid('Microsoft.Network/loadBalancers/backendAddressPools', 'lb', 'pool');
const feId = rid('Microsoft.Network/loadBalancers/frontendIPConfigurations', 'lb', 'fe-v4');

/** One dual-stack NIC whose two ipconfigs sit in pool 'pool' of 'lb', whose only frontend is IPv4; `rules` are lb's rule properties. */
function dualStackPaths(rules: Record<string, unknown>) {
  const resources = [
    { type: 'Microsoft.Network/virtualNetworks', apiVersion: NET, name: 'vnet', location: 'westeurope', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16', 'fd00:db8:deca::/48'] }, subnets: [{ name: 'default', properties: { addressPrefixes: ['10.0.1.0/24', 'fd00:db8:deca:1::/64'] } }] } },
    { type: 'Microsoft.Network/publicIPAddresses', apiVersion: NET, name: 'pip-lb-v4', location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } },
    {
      type: 'Microsoft.Network/loadBalancers',
      apiVersion: NET,
      name: 'lb',
      location: 'westeurope',
      sku: { name: 'Standard' },
      properties: Object.assign({ frontendIPConfigurations: [{ name: 'fe-v4', properties: { publicIPAddress: { id: rid('Microsoft.Network/publicIPAddresses', 'pip-lb-v4') } } }], backendAddressPools: [{ name: 'pool' }] }, rules),
    },
    {
      type: 'Microsoft.Network/networkInterfaces',
      apiVersion: NET,
      name: 'nic1',
      location: 'westeurope',
      properties: {
        ipConfigurations: [
          { name: 'ipconfig-v4', properties: { primary: true, subnet: { id: subnetId }, loadBalancerBackendAddressPools: [{ id: poolId }] } },
          { name: 'ipconfig-v6', properties: { privateIPAddressVersion: 'IPv6', subnet: { id: subnetId }, loadBalancerBackendAddressPools: [{ id: poolId }] } },
        ],
      },
    },
    { type: 'Microsoft.Compute/virtualMachines', apiVersion: '2024-07-01', name: 'vm1', location: 'westeurope', properties: { networkProfile: { networkInterfaces: [{ id: rid('Microsoft.Network/networkInterfaces', 'nic1') }] } } },
  ];
  const template = { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', resources };
  const [vm] = resolveEgress(buildGraph(expand(loadTemplate('main.json', JSON.stringify(template)))));
  return { v4: vm.paths.find((p) => p.ipConfiguration === 'ipconfig-v4')!, v6: vm.paths.find((p) => p.ipConfiguration === 'ipconfig-v6')! };
}

test('an outbound rule with only an IPv4 frontend gives an IPv6 path nothing, and its reasons do not say it translates the pool', () => {
  const { v4, v6 } = dualStackPaths({ outboundRules: [{ name: 'outbound', properties: { frontendIPConfigurations: [{ id: feId }], backendAddressPool: { id: poolId }, protocol: 'All' } }] });
  assert.is(v4.method, 'lb-outbound-rule');
  assert.equal(v4.egress.map((e) => e.name), ['pip-lb-v4']);
  assert.is(v6.verdict, 'no-egress');
  assert.ok(v6.because.includes("outbound rule 'outbound' of 'lb' has no IPv6 frontend that carries outbound traffic"), v6.because.join('\n'));
  assert.not.ok(v6.because.some((b) => b.includes('translates pool')), v6.because.join('\n'));
});

test('a load-balancing rule on an IPv4 frontend gives an IPv6 path no implicit SNAT, and its reasons say why', () => {
  const { v4, v6 } = dualStackPaths({ loadBalancingRules: [{ name: 'http', properties: { frontendIPConfiguration: { id: feId }, backendAddressPool: { id: poolId }, protocol: 'Tcp', frontendPort: 80, backendPort: 80 } }] });
  assert.is(v4.method, 'lb-rule-snat');
  assert.is(v6.verdict, 'no-egress');
  assert.ok(v6.because.includes("load-balancing rule 'http' of 'lb': frontend 'fe-v4' has no IPv6 public IP that carries outbound traffic"), v6.because.join('\n'));
  assert.not.ok(v6.because.some((b) => b.includes('gives implicit outbound SNAT')), v6.because.join('\n'));
});

test.run();
