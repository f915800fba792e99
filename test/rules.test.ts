// Rule tests with the rule tester (test/harness/rule-tester.ts): short snippets, expectations by messageId and data.
// The scenario fixtures (fixtures/rules/, fixtures/egress/) remain the full cases; these pin each message's data.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ruleTester } from './harness/rule-tester.js';
import type { Snippet } from './harness/rule-tester.js';
import { lintCase } from './harness/rule-tester.js';
import { ruleById } from '../rules/index.js';

const RG = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resource-group';

const vnet = {
  type: 'Microsoft.Network/virtualNetworks',
  apiVersion: '2024-05-01',
  name: 'vnet1',
  location: 'westeurope',
  properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 'default', properties: { addressPrefix: '10.0.0.0/24' } }] },
};

function pip(name: string, sku: string, allocation?: string) {
  return { type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2024-05-01', name, location: 'westeurope', sku: { name: sku }, properties: allocation ? { publicIPAllocationMethod: allocation } : {} };
}

function nic(name: string, publicIp?: string) {
  const ipconfig: Record<string, unknown> = { privateIPAllocationMethod: 'Dynamic', subnet: { id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet1', 'default')]" } };
  if (publicIp) ipconfig.publicIPAddress = { id: `[resourceId('Microsoft.Network/publicIPAddresses', '${publicIp}')]` };
  return { type: 'Microsoft.Network/networkInterfaces', apiVersion: '2024-05-01', name, location: 'westeurope', properties: { ipConfigurations: [{ name: 'ipconfig1', properties: ipconfig }] } };
}

function vm(name: string, nics: string[]) {
  return {
    type: 'Microsoft.Compute/virtualMachines',
    apiVersion: '2024-07-01',
    name,
    location: 'westeurope',
    properties: { networkProfile: { networkInterfaces: nics.map((n, i) => ({ id: `[resourceId('Microsoft.Network/networkInterfaces', '${n}')]`, properties: { primary: i === 0 } })) } },
  };
}

/** One VM with one NIC and its own public IP. */
function single(sku: string, allocation?: string): Snippet {
  return [vnet, pip('pip1', sku, allocation), nic('nic1', 'pip1'), vm('vm1', ['nic1'])];
}

ruleTester.run('dynamic-public-ip', {
  valid: [
    { name: 'Standard is always static', code: single('Standard') },
    { name: 'Basic Static keeps its address', code: single('Basic', 'Static') },
  ],
  invalid: [
    { name: 'Basic without an allocation method is Dynamic', code: single('Basic'), errors: [{ messageId: 'dynamic', data: { vm: 'vm1', ip: 'pip1' }, at: '/resources/2/properties/ipConfigurations/0/properties/publicIPAddress', resource: 'vm1' }] },
    { name: 'Dynamic by parameter', code: { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', parameters: { alloc: { type: 'string' } }, resources: [vnet, pip('pip1', 'Basic', "[parameters('alloc')]"), nic('nic1', 'pip1'), vm('vm1', ['nic1'])] }, parameters: { alloc: 'Dynamic' }, errors: [{ messageId: 'dynamic', data: { vm: 'vm1', ip: 'pip1' } }] },
  ],
});

ruleTester.run('retired-sku', {
  valid: [{ code: single('Standard') }],
  invalid: [{ code: single('Basic', 'Static'), errors: [{ messageId: 'basicPublicIp', data: { name: 'pip1' }, at: '/resources/1/sku', resource: 'pip1' }] }],
});

ruleTester.run('multiple-egress-ips', {
  valid: [{ name: 'one NIC, one IP', code: single('Standard') }],
  invalid: [
    {
      name: 'two NICs with their own IPs: the guest OS picks',
      code: [vnet, pip('pip1', 'Standard'), pip('pip2', 'Standard'), nic('nic1', 'pip1'), nic('nic2', 'pip2'), vm('vm1', ['nic1', 'nic2'])],
      errors: [{ messageId: 'guestPicks', data: { vm: 'vm1', egress: "'pip1', 'pip2'" } }],
    },
  ],
});

ruleTester.run('egress-not-allowed', {
  valid: [
    { name: 'by name', code: single('Standard'), allow: ['pip1'] },
    { name: 'by id glob', code: single('Standard'), allow: [`${RG}/providers/Microsoft.Network/publicIPAddresses/*`] },
  ],
  invalid: [
    { name: 'another IP', code: single('Standard'), allow: ['pip-other'], errors: [{ messageId: 'notAllowed', data: { vm: 'vm1', egress: "'pip1'", via: 'instance-public-ip' } }] },
    { name: 'a platform IP cannot be listed', code: [vnet, nic('nic1'), vm('vm1', ['nic1'])], allow: ['pip1'], errors: [{ messageId: 'cannotSatisfy' }] },
  ],
});

const lockOf = (egress: string[]) => ({
  version: 1,
  vms: {
    [`${RG.toLowerCase()}/providers/microsoft.compute/virtualmachines/vm1`]: { name: 'vm1', type: 'Microsoft.Compute/virtualMachines', file: 'snippet.json', verdict: 'deterministic', egress },
  },
});

ruleTester.run('egress-changed', {
  valid: [{ code: single('Standard'), lock: lockOf([`${RG}/providers/Microsoft.Network/publicIPAddresses/pip1`]) }],
  invalid: [
    {
      name: 'another public IP than the lock records',
      code: single('Standard'),
      lock: lockOf([`${RG}/providers/Microsoft.Network/publicIPAddresses/pip0`]),
      errors: [{ messageId: 'changed', data: { vm: 'vm1', against: 'egress.lock.json', change: '+ pip1, - pip0' }, at: '/resources/3', resource: 'vm1' }],
    },
  ],
});

/** A virtual hub whose routing intent sends Internet traffic to its firewall, and vnet1 connected to it. */
function hubOf(enableInternetSecurity: boolean): Snippet {
  const id = (type: string, ...names: string[]) => `[resourceId('${type}', ${names.map((n) => `'${n}'`).join(', ')})]`;
  return [
    vnet,
    pip('pip1', 'Standard'),
    nic('nic1', 'pip1'),
    vm('vm1', ['nic1']),
    { type: 'Microsoft.Network/virtualHubs', apiVersion: '2024-05-01', name: 'hub1', location: 'westeurope', properties: { addressPrefix: '10.100.0.0/23' } },
    {
      type: 'Microsoft.Network/azureFirewalls',
      apiVersion: '2024-05-01',
      name: 'fw-hub',
      location: 'westeurope',
      properties: { sku: { name: 'AZFW_Hub', tier: 'Standard' }, virtualHub: { id: id('Microsoft.Network/virtualHubs', 'hub1') }, hubIPAddresses: { publicIPs: { count: 1, addresses: [{ address: '20.50.1.10' }] } } },
    },
    {
      type: 'Microsoft.Network/virtualHubs/routingIntent',
      apiVersion: '2024-05-01',
      name: 'hub1/ri',
      properties: { routingPolicies: [{ name: 'InternetTraffic', destinations: ['Internet'], nextHop: id('Microsoft.Network/azureFirewalls', 'fw-hub') }] },
    },
    {
      type: 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections',
      apiVersion: '2024-05-01',
      name: 'hub1/conn1',
      properties: { remoteVirtualNetwork: { id: id('Microsoft.Network/virtualNetworks', 'vnet1') }, enableInternetSecurity },
    },
  ];
}

ruleTester.run('route-overrides-public-ip', {
  valid: [{ name: "the connection does not take the hub's default route", code: hubOf(false) }],
  invalid: [
    {
      name: "the hub's routing intent sends 0.0.0.0/0 to its firewall",
      code: hubOf(true),
      errors: [
        {
          messageId: 'learnedOverrides',
          data: { vm: 'vm1', nic: 'nic1', ipconfig: 'ipconfig1', ip: 'pip1', source: "routing intent 'ri' (policy 'InternetTraffic') of virtual hub 'hub1'", prefix: '0.0.0.0/0', nextHop: "firewall 'fw-hub'" },
          at: '/resources/2/properties/ipConfigurations/0/properties/publicIPAddress',
          resource: 'vm1',
        },
      ],
    },
  ],
});

ruleTester.run('template-invalid', {
  valid: [{ code: single('Standard') }],
  invalid: [
    {
      name: 'a resource without a type',
      code: [{ apiVersion: '2024-05-01', name: 'x' }],
      errors: [{ messageId: 'default', data: { message: 'A resource needs a type.' }, at: '/resources/0' }],
    },
  ],
});

test('the rule tester fails a case whose findings differ from its expectations', () => {
  const rule = ruleById.get('dynamic-public-ip')!;
  const findings = lintCase(rule, { code: single('Basic') }).flatMap((r) => r.findings);
  assert.equal(findings.map((f) => [f.messageId, f.data]), [['dynamic', { vm: 'vm1', ip: 'pip1' }]]);
  assert.throws(() => ruleTester.run('no-such-rule', { valid: [], invalid: [] }), /no rule 'no-such-rule'/);
  assert.throws(() => ruleTester.run('dynamic-public-ip', { valid: [], invalid: [{ code: single('Basic'), errors: [{ messageId: 'nope' }] }] }), /messageId 'nope'/);
  assert.throws(() => ruleTester.run('dynamic-public-ip', { valid: [{ code: single('Basic') }, { code: single('Basic') }], invalid: [] }), /repeats another/);
});

test.run();
