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
  invalid: [
    { code: single('Basic', 'Static'), errors: [{ messageId: 'basicPublicIp', data: { name: 'pip1' }, at: '/resources/1/sku', resource: 'pip1', help: /^Set sku\.name of 'pip1' to 'Standard': a Static Basic public IP upgraded in place keeps its address/, notHelp: /load balancer/ }] },
    {
      name: 'a Basic load balancer: the help is about migrating the load balancer, not a public IP',
      code: [pip('pip-lb', 'Standard'), { ...outboundLb(['pip-lb'], [['outbound', 'pip-lb', 'pool']]), sku: { name: 'Basic' } }],
      errors: [{ messageId: 'basicLoadBalancer', data: { name: 'lb1' }, at: '/resources/1/sku', resource: 'lb1', help: /^Set sku\.name of 'lb1' to 'Standard' with Standard public IPs on its frontends .* add an outbound rule for its backend pool/, notHelp: /Basic public IP upgraded in place/ }],
    },
  ],
});

ruleTester.run('multiple-egress-ips', {
  valid: [
    { name: 'one NIC, one IP', code: single('Standard') },
    { name: 'a dual-stack NIC whose IPv6 ipconfig has no egress', code: [vnet, pip('pip1', 'Standard'), nicOf('nic1', [{ name: 'ipconfig-v4', primary: true, pip: 'pip1' }, { name: 'ipconfig-v6', v6: true }]), vm('vm1', ['nic1'])] },
  ],
  invalid: [
    {
      name: 'a dual-stack NIC with one public IP per family: the destination picks',
      code: [vnet, pip('pip-v4', 'Standard'), pipV6('pip-v6'), nicOf('nic1', [{ name: 'ipconfig-v4', primary: true, pip: 'pip-v4' }, { name: 'ipconfig-v6', v6: true, pip: 'pip-v6' }]), vm('vm1', ['nic1'])],
      errors: [{ messageId: 'perFamily', data: { vm: 'vm1', ipv4: "'pip-v4'", ipv6: "'pip-v6'" }, at: '/resources/4', resource: 'vm1' }],
    },
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

/** A NIC with several ipconfigs in subnet 'default' of vnet1: IPv6 ones say so; `primary`, `pip` and pools of 'lb1' only when given. */
function nicOf(name: string, configs: { name: string; v6?: boolean; primary?: boolean; pip?: string; pools?: string[] }[]) {
  const ipConfigurations = configs.map((c) => {
    const properties: Record<string, unknown> = { privateIPAllocationMethod: 'Dynamic', subnet: { id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet1', 'default')]" } };
    if (c.primary !== undefined) properties.primary = c.primary;
    if (c.v6) properties.privateIPAddressVersion = 'IPv6';
    if (c.pip) properties.publicIPAddress = { id: `[resourceId('Microsoft.Network/publicIPAddresses', '${c.pip}')]` };
    if (c.pools) properties.loadBalancerBackendAddressPools = c.pools.map((p) => ({ id: `[resourceId('Microsoft.Network/loadBalancers/backendAddressPools', 'lb1', '${p}')]` }));
    return { name: c.name, properties };
  });
  return { type: 'Microsoft.Network/networkInterfaces', apiVersion: '2024-05-01', name, location: 'westeurope', properties: { ipConfigurations } };
}

ruleTester.run('ambiguous-primary-nic', {
  valid: [
    { name: 'one IPv4 and one IPv6 ipconfig without flags: the IPv4 one is primary', code: [vnet, nicOf('nic1', [{ name: 'ipconfig-v6', v6: true }, { name: 'ipconfig-v4' }]), vm('vm1', ['nic1'])] },
  ],
  invalid: [
    {
      name: 'two IPv4 ipconfigs and an IPv6 one without flags: either IPv4 one could be primary',
      code: [vnet, nicOf('nic1', [{ name: 'ipconfig1' }, { name: 'ipconfig2' }, { name: 'ipconfig-v6', v6: true }]), vm('vm1', ['nic1'])],
      errors: [{ messageId: 'noPrimaryIpConfig', data: { nic: 'nic1', count: 3 }, at: '/resources/1/properties/ipConfigurations', resource: 'vm1' }],
    },
    {
      name: 'an IPv6 ipconfig flagged primary',
      code: [vnet, nicOf('nic1', [{ name: 'ipconfig-v4', primary: false }, { name: 'ipconfig-v6', v6: true, primary: true }]), vm('vm1', ['nic1'])],
      errors: [{ messageId: 'ipv6PrimaryIpConfig', data: { nic: 'nic1', ipconfig: 'ipconfig-v6' }, at: '/resources/1/properties/ipConfigurations/1', resource: 'vm1' }],
    },
  ],
});

function pipV6(name: string) {
  return { type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2024-05-01', name, location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static', publicIPAddressVersion: 'IPv6' } };
}

/** Standard public load balancer 'lb1': one frontend per public IP (fe-<ip>), and one outbound rule per [name, frontend IP, pool]. */
function outboundLb(frontendIps: string[], rules: [string, string, string][]) {
  const fe = (ip: string) => ({ id: `[resourceId('Microsoft.Network/loadBalancers/frontendIPConfigurations', 'lb1', 'fe-${ip}')]` });
  const pool = (p: string) => ({ id: `[resourceId('Microsoft.Network/loadBalancers/backendAddressPools', 'lb1', '${p}')]` });
  return {
    type: 'Microsoft.Network/loadBalancers',
    apiVersion: '2024-05-01',
    name: 'lb1',
    location: 'westeurope',
    sku: { name: 'Standard' },
    properties: {
      frontendIPConfigurations: frontendIps.map((ip) => ({ name: `fe-${ip}`, properties: { publicIPAddress: { id: `[resourceId('Microsoft.Network/publicIPAddresses', '${ip}')]` } } })),
      backendAddressPools: [...new Set(rules.map((r) => r[2]))].map((name) => ({ name })),
      outboundRules: rules.map(([name, ip, p]) => ({ name, properties: { frontendIPConfigurations: [fe(ip)], backendAddressPool: pool(p), protocol: 'All' } })),
    },
  };
}

ruleTester.run('invalid-outbound-configuration', {
  valid: [
    {
      name: 'the IPv6 ipconfig of a dual-stack NIC in the pool of an IPv6 outbound rule',
      code: [vnet, pip('pip-lb', 'Standard'), pipV6('pip-lb-v6'), outboundLb(['pip-lb', 'pip-lb-v6'], [['outbound', 'pip-lb', 'pool'], ['outbound-v6', 'pip-lb-v6', 'pool-v6']]), nicOf('nic1', [{ name: 'ipconfig1', primary: true, pools: ['pool'] }, { name: 'ipconfig-v6', v6: true, pools: ['pool-v6'] }]), vm('vm1', ['nic1'])],
    },
  ],
  invalid: [
    {
      name: 'a secondary IPv4 ipconfig in the pool of an outbound rule',
      code: [vnet, pip('pip-lb', 'Standard'), outboundLb(['pip-lb'], [['outbound', 'pip-lb', 'pool']]), nicOf('nic1', [{ name: 'ipconfig1', primary: true, pools: ['pool'] }, { name: 'ipconfig2', pools: ['pool'] }]), vm('vm1', ['nic1'])],
      errors: [{ messageId: 'secondaryInOutboundPool', data: { nic: 'nic1', ipconfig: 'ipconfig2', pool: 'pool', rule: 'outbound' }, at: '/resources/3/properties/ipConfigurations/1', resource: 'vm1' }],
    },
  ],
});

/** vnet1 whose subnet 'default' has Standard NAT gateway 'nat1' with public IP 'pip-nat' (IPv4 only). */
const natGatewayV4 = [
  { type: 'Microsoft.Network/natGateways', apiVersion: '2024-05-01', name: 'nat1', location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIpAddresses: [{ id: "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-nat')]" }] } },
  Object.assign({}, vnet, { properties: Object.assign({}, vnet.properties, { subnets: [{ name: 'default', properties: { addressPrefix: '10.0.0.0/24', natGateway: { id: "[resourceId('Microsoft.Network/natGateways', 'nat1')]" } } }] }) }),
  pip('pip-nat', 'Standard'),
];

ruleTester.run('secondary-nic-egress-differs', {
  valid: [
    {
      name: 'a dual-stack NIC: the IPv6 ipconfig is not compared with the IPv4 primary one',
      code: [vnet, pip('pip-v4', 'Standard'), pipV6('pip-v6'), nicOf('nic1', [{ name: 'ipconfig-v4', primary: true, pip: 'pip-v4' }, { name: 'ipconfig-v6', v6: true, pip: 'pip-v6' }]), vm('vm1', ['nic1'])],
    },
  ],
  invalid: [
    {
      name: "the secondary NIC's IPv6 path leaves through another IP than the primary NIC's IPv6 path",
      code: [...natGatewayV4, pipV6('pip1-v6'), pipV6('pip2-v6'), nicOf('nic1', [{ name: 'ipconfig-v4', primary: true }, { name: 'ipconfig-v6', v6: true, pip: 'pip1-v6' }]), nicOf('nic2', [{ name: 'ipconfig-v4', primary: true }, { name: 'ipconfig-v6', v6: true, pip: 'pip2-v6' }]), vm('vm1', ['nic1', 'nic2'])],
      errors: [{ messageId: 'secondaryNicIpv6', data: { vm: 'vm1', nic: 'nic2', ipconfig: 'ipconfig-v6', egress: "'pip2-v6'", primaryEgress: "'pip1-v6'" }, at: '/resources/7/properties/networkProfile/networkInterfaces/1', resource: 'vm1' }],
    },
  ],
});

// ---- AKS node pools (egress-model.md, "Workloads beyond VMs") -------------------------------------------------

function aksCluster(pools: Record<string, unknown>[], networkProfile: Record<string, unknown>, name = 'aks1') {
  return { type: 'Microsoft.ContainerService/managedClusters', apiVersion: '2024-09-01', name, location: 'westeurope', properties: { dnsPrefix: name, agentPoolProfiles: pools, networkProfile } };
}
const aksPool = (name: string, extra: Record<string, unknown> = {}) => ({ name, count: 3, vmSize: 'Standard_D4s_v5', mode: 'User', ...extra });
const aksSubnet = "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet1', 'default')]";
const POOL_ID = `${RG}/providers/Microsoft.ContainerService/managedClusters/aks1/agentPools/system`;

ruleTester.run('unbounded-egress', {
  valid: [{ name: 'node public IPs from a prefix', code: [{ type: 'Microsoft.Network/publicIPPrefixes', apiVersion: '2024-05-01', name: 'ippre1', location: 'westeurope', sku: { name: 'Standard' }, properties: { prefixLength: 28 } }, aksCluster([aksPool('games', { enableNodePublicIP: true, nodePublicIPPrefixID: "[resourceId('Microsoft.Network/publicIPPrefixes', 'ippre1')]" })], {})] }],
  invalid: [
    {
      name: 'node public IPs without a prefix',
      code: [aksCluster([aksPool('system'), aksPool('games', { enableNodePublicIP: true })], {})],
      errors: [{ messageId: 'perNodeIps', data: { vm: 'aks1/games' }, at: '/resources/0/properties/agentPoolProfiles/1/enableNodePublicIP', resource: 'aks1/games' }],
    },
  ],
});

ruleTester.run('invalid-outbound-configuration', {
  valid: [
    { name: 'managedNATGateway on the AKS-managed VNet', code: [aksCluster([aksPool('system')], { outboundType: 'managedNATGateway' })] },
    { name: 'a subnet known only at deployment is not taken as missing a NAT gateway', code: { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', parameters: { subnetId: { type: 'string' } }, resources: [aksCluster([aksPool('system', { vnetSubnetID: "[parameters('subnetId')]" })], { outboundType: 'userAssignedNATGateway' })] } },
  ],
  invalid: [
    {
      name: 'userAssignedNATGateway without a NAT gateway on the subnet',
      code: [vnet, aksCluster([aksPool('system', { vnetSubnetID: aksSubnet })], { outboundType: 'userAssignedNATGateway' })],
      errors: [{ messageId: 'natGatewayMissing', data: { pool: 'aks1/system', cluster: 'aks1', outboundType: 'userAssignedNATGateway', subnet: 'default', detail: '' }, at: '/resources/0/properties/subnets/0', resource: 'aks1/system' }],
    },
    {
      name: 'userDefinedRouting without a route table',
      code: [vnet, aksCluster([aksPool('system', { vnetSubnetID: aksSubnet })], { outboundType: 'userDefinedRouting' })],
      errors: [{ messageId: 'udrWithoutDefaultRoute', data: { pool: 'aks1/system', cluster: 'aks1', outboundType: 'userDefinedRouting', subnet: 'default', detail: "subnet 'default' has no route table" } }],
    },
    {
      name: 'managedNATGateway in a subnet of your own VNet',
      code: [vnet, aksCluster([aksPool('system', { vnetSubnetID: aksSubnet })], { outboundType: 'managedNATGateway' })],
      errors: [{ messageId: 'managedNatOnCustomVnet', data: { pool: 'aks1/system', cluster: 'aks1', outboundType: 'managedNATGateway', subnet: 'default', detail: '' }, at: '/resources/1/properties/networkProfile/outboundType' }],
    },
  ],
});

ruleTester.run('multiple-egress-ips', {
  valid: [{ name: 'one managed outbound IP', code: [aksCluster([aksPool('system')], {})] }],
  invalid: [
    {
      name: 'nodes and pods through different IPs',
      code: [
        pip('pip-pods', 'Standard'),
        { type: 'Microsoft.Network/natGateways', apiVersion: '2024-05-01', name: 'nat-pods', location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIpAddresses: [{ id: "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-pods')]" }] } },
        { ...vnet, properties: { addressSpace: vnet.properties.addressSpace, subnets: [...vnet.properties.subnets, { name: 'pods', properties: { addressPrefix: '10.0.16.0/20', natGateway: { id: "[resourceId('Microsoft.Network/natGateways', 'nat-pods')]" } } }] } },
        aksCluster([aksPool('system', { vnetSubnetID: aksSubnet, podSubnetID: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet1', 'pods')]" })], {}),
      ],
      errors: [{ messageId: 'nodesAndPods', data: { vm: 'aks1/system', egress: "'aks1-managed-outbound-1', 'pip-pods'", nodes: "'aks1-managed-outbound-1'", pods: "'pip-pods'" } }],
    },
  ],
});

ruleTester.run('no-internet-egress', {
  valid: [{ name: 'none in a subnet with a NAT gateway', code: [pip('pip-nat', 'Standard'), { type: 'Microsoft.Network/natGateways', apiVersion: '2024-05-01', name: 'nat1', location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIpAddresses: [{ id: "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-nat')]" }] } }, { ...vnet, properties: { addressSpace: vnet.properties.addressSpace, subnets: [{ name: 'default', properties: { addressPrefix: '10.0.0.0/24', natGateway: { id: "[resourceId('Microsoft.Network/natGateways', 'nat1')]" } } }] } }, aksCluster([aksPool('system', { vnetSubnetID: aksSubnet })], { outboundType: 'none' })] }],
  invalid: [
    { name: 'block', code: [aksCluster([aksPool('system', { enableNodePublicIP: true })], { outboundType: 'block' })], errors: [{ messageId: 'noEgress', data: { vm: 'aks1/system', causes: "outbound type 'block' of cluster 'aks1' blocks Internet traffic with network security group rules" } }] },
  ],
});

ruleTester.run('retired-sku', {
  valid: [{ name: 'the Standard load balancer (the default)', code: [aksCluster([aksPool('system')], {})] }],
  invalid: [{ name: 'loadBalancerSku basic, once per cluster', code: [aksCluster([aksPool('system'), aksPool('user')], { loadBalancerSku: 'basic' })], errors: [{ messageId: 'basicClusterLoadBalancer', data: { name: 'aks1' }, at: '/resources/0/properties/networkProfile/loadBalancerSku', resource: 'aks1', help: /^Set networkProfile\.loadBalancerSku of 'aks1' to 'standard'/ }] }],
});

ruleTester.run('egress-not-allowed', {
  valid: [{ name: 'an IP AKS creates, by name', code: [aksCluster([aksPool('system')], {})], allow: ['aks1-managed-outbound-*'] }],
  invalid: [{ name: 'an id glob cannot name an IP AKS creates', code: [aksCluster([aksPool('system')], {})], allow: [`${RG}/**`], errors: [{ messageId: 'notAllowed', data: { vm: 'aks1/system', egress: "'aks1-managed-outbound-1'", via: 'lb-outbound-rule' } }] }],
});

const poolLock = (egress: string[]) => ({ version: 1, vms: { [POOL_ID.toLowerCase()]: { name: 'aks1/system', type: 'Microsoft.ContainerService/managedClusters/agentPools', file: 'snippet.json', verdict: 'deterministic', egress } } });

ruleTester.run('egress-changed', {
  valid: [{ name: 'a pool whose IP AKS creates is locked by its name', code: [aksCluster([aksPool('system')], {})], lock: poolLock(['aks1-managed-outbound-1']) }],
  invalid: [
    {
      name: 'the cluster moves to a managed NAT gateway',
      code: [aksCluster([aksPool('system')], { outboundType: 'managedNATGateway' })],
      lock: poolLock(['aks1-managed-outbound-1']),
      errors: [{ messageId: 'changed', data: { vm: 'aks1/system', against: 'egress.lock.json', change: '+ aks1-managed-nat-1, - aks1-managed-outbound-1' }, resource: 'aks1/system' }],
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
