// Issue 21, item 3: wrong types inside what the graph reads. A correct run reports each with file and line, or makes
// the path unknown naming why; never reads it as absent while the verdict is decided. Each input is one VM template
// (a VNet whose subnet has a route table, a public IP, a NIC, the VM) with one wrong type applied to it.
import type { HostileInput } from './types.js';
import { templateText } from './types.js';

type Json = Record<string, unknown>;

const RG = '[resourceGroup().location]';
const rid = (type: string, ...names: string[]): string => `[resourceId('${type}', ${names.map((n) => `'${n}'`).join(', ')})]`;

/** The VM template every input starts from: its VM's egress is decided (its own public IP) when nothing is wrong. */
export function vmTemplate(): { resources: Json[] } {
  const subnetProps: Json = { addressPrefix: '10.0.1.0/24', routeTable: { id: rid('Microsoft.Network/routeTables', 'rt') } };
  return {
    resources: [
      { type: 'Microsoft.Network/routeTables', apiVersion: '2024-05-01', name: 'rt', location: RG, properties: { routes: [] } },
      {
        type: 'Microsoft.Network/virtualNetworks',
        apiVersion: '2024-05-01',
        name: 'vnet',
        location: RG,
        dependsOn: [rid('Microsoft.Network/routeTables', 'rt')],
        properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 's1', properties: subnetProps }] },
      },
      { type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2024-05-01', name: 'pip', location: RG, sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } },
      {
        type: 'Microsoft.Network/networkInterfaces',
        apiVersion: '2024-05-01',
        name: 'nic',
        location: RG,
        dependsOn: [rid('Microsoft.Network/virtualNetworks', 'vnet'), rid('Microsoft.Network/publicIPAddresses', 'pip')],
        properties: {
          ipConfigurations: [
            {
              name: 'ipconfig1',
              properties: {
                privateIPAllocationMethod: 'Dynamic',
                subnet: { id: rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 's1') },
                publicIPAddress: { id: rid('Microsoft.Network/publicIPAddresses', 'pip') },
              },
            },
          ],
        },
      },
      {
        type: 'Microsoft.Compute/virtualMachines',
        apiVersion: '2024-07-01',
        name: 'vm',
        location: RG,
        dependsOn: [rid('Microsoft.Network/networkInterfaces', 'nic')],
        properties: { hardwareProfile: { vmSize: 'Standard_B2s' }, networkProfile: { networkInterfaces: [{ id: rid('Microsoft.Network/networkInterfaces', 'nic') }] } },
      },
    ],
  };
}

const at = (o: unknown, ...path: (string | number)[]): Json => path.reduce<Json>((x, k) => x[k] as Json, o as Json);
const ipconfig = (t: { resources: Json[] }): Json => at(t.resources[3], 'properties', 'ipConfigurations', 0, 'properties');

/** One input: the VM template with `mutate` applied (to the value, or to the text for what JSON.stringify cannot write). */
function input(name: string, output: RegExp, mutate: (t: { resources: Json[] }) => void, text?: (s: string) => string): HostileInput {
  return {
    name,
    files: () => {
      const t = vmTemplate();
      mutate(t);
      const s = templateText({ resources: t.resources });
      return { 'main.json': text ? text(s) : s };
    },
    args: ['main.json'],
    expect: { exit: [1], output },
  };
}

export const graphTypeInputs: readonly HostileInput[] = [
  input(
    "a VM with two 'type' keys",
    /The key 'type' is written twice in one object/,
    () => {},
    (s) => s.replace('"type": "Microsoft.Compute/virtualMachines",', '"type": "Microsoft.Compute/virtualMachines", "type": "Microsoft.Compute/availabilitySets",'),
  ),
  input("a VM with 'type' and 'Type'", /The resource declares 'type' and 'Type'/, (t) => {
    t.resources[4].Type = 'Microsoft.Compute/availabilitySets';
  }),
  input(
    'resources as an object without languageVersion 2.0',
    /needs "languageVersion": "2.0"/,
    () => {},
    (s) => {
      const v = JSON.parse(s) as Json;
      const rs = v.resources as Json[];
      v.resources = Object.fromEntries(rs.map((r) => [r.name as string, r]));
      return JSON.stringify(v, null, 2);
    },
  ),
  input('a NIC type with a trailing space', /The resource type 'Microsoft.Network\/networkInterfaces ' is not a resource type/, (t) => {
    t.resources[3].type = 'Microsoft.Network/networkInterfaces ';
  }),
  input('ipConfigurations as a string', /'properties\.ipConfigurations' must be an array, not a string/, (t) => {
    at(t.resources[3], 'properties').ipConfigurations = 'ipconfig1';
  }),
  input('loadBalancerBackendAddressPools as an object', /'properties\.loadBalancerBackendAddressPools' must be an array, not an object/, (t) => {
    ipconfig(t).loadBalancerBackendAddressPools = {};
  }),
  input('networkProfile.networkInterfaces as a string', /'properties\.networkProfile\.networkInterfaces' must be an array, not a string/, (t) => {
    at(t.resources[4], 'properties', 'networkProfile').networkInterfaces = rid('Microsoft.Network/networkInterfaces', 'nic');
  }),
  input('routes as a string', /'properties\.routes' must be an array, not a string/, (t) => {
    at(t.resources[0], 'properties').routes = '0.0.0.0/0 VirtualAppliance 10.0.9.4';
  }),
  input("a NAT gateway's publicIpAddresses as an object", /'properties\.publicIpAddresses' must be an array, not an object/, (t) => {
    t.resources.unshift({ type: 'Microsoft.Network/natGateways', apiVersion: '2024-05-01', name: 'nat', location: RG, sku: { name: 'Standard' }, properties: { publicIpAddresses: { id: rid('Microsoft.Network/publicIPAddresses', 'pip') } } });
    at(t.resources[2], 'properties', 'subnets', 0, 'properties').natGateway = { id: rid('Microsoft.Network/natGateways', 'nat') };
  }),
  input("primary as the string 'yes'", /'properties\.primary' must be a Boolean, not a string/, (t) => {
    ipconfig(t).primary = 'yes';
  }),
  input('sku.name as a number', /'sku\.name' must be a string, not a number/, (t) => {
    t.resources[2].sku = { name: 1 };
  }),
  input("a subnet's properties as an array", /'properties' must be an object, not an array/, (t) => {
    at(t.resources[1], 'properties', 'subnets', 0).properties = [{ addressPrefix: '10.0.1.0/24' }];
  }),
  input('publicIPAddress as a string id', /'properties\.publicIPAddress' must be an object, not a string/, (t) => {
    ipconfig(t).publicIPAddress = rid('Microsoft.Network/publicIPAddresses', 'pip');
  }),
  input('privateIPAddressVersion as a number', /'properties\.privateIPAddressVersion' must be a string, not a number/, (t) => {
    ipconfig(t).privateIPAddressVersion = 4;
  }),
  input('an availability set reference whose id is a number', /'properties\.availabilitySet\.id' must be a string, not a number/, (t) => {
    at(t.resources[4], 'properties').availabilitySet = { id: 12 };
  }),
  input("a subnet's addressPrefixes entry as a number", /'addressPrefixes\/0' must be a string, not a number/, (t) => {
    const p = at(t.resources[1], 'properties', 'subnets', 0, 'properties');
    delete p.addressPrefix;
    p.addressPrefixes = [10];
  }),
  input("a route's properties as a string", /'properties' must be an object, not a string/, (t) => {
    at(t.resources[0], 'properties').routes = [{ name: 'default', properties: '0.0.0.0/0 Internet' }];
  }),
];

/** An AKS cluster whose one pool, in a subnet of the template's VNet, leaves through the outbound IP of AKS's load balancer. */
export function aksTemplate(): { resources: Json[] } {
  return {
    resources: [
      { type: 'Microsoft.Network/virtualNetworks', apiVersion: '2024-05-01', name: 'vnet', location: RG, properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 'nodes', properties: { addressPrefix: '10.0.1.0/24' } }] } },
      { type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2024-05-01', name: 'pip', location: RG, sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } },
      {
        type: 'Microsoft.ContainerService/managedClusters',
        apiVersion: '2024-09-01',
        name: 'aks',
        location: RG,
        dependsOn: [rid('Microsoft.Network/virtualNetworks', 'vnet'), rid('Microsoft.Network/publicIPAddresses', 'pip')],
        properties: {
          dnsPrefix: 'aks',
          agentPoolProfiles: [{ name: 'system', mode: 'System', count: 3, vmSize: 'Standard_D4s_v5', vnetSubnetID: rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'nodes') }],
          networkProfile: { networkPlugin: 'azure', outboundType: 'loadBalancer', loadBalancerProfile: { outboundIPs: { publicIPs: [{ id: rid('Microsoft.Network/publicIPAddresses', 'pip') }] } } },
        },
      },
    ],
  };
}

function aksInput(name: string, output: RegExp, mutate: (cluster: Json) => void): HostileInput {
  return {
    name,
    files: () => {
      const t = aksTemplate();
      mutate(t.resources[2]);
      return { 'main.json': templateText({ resources: t.resources }) };
    },
    args: ['main.json'],
    expect: { exit: [1], output },
  };
}

/** Wrong types in an AKS cluster (read-aks.ts): the pool's path is unknown, or (the node count) a finding. */
export const aksTypeInputs: readonly HostileInput[] = [
  aksInput("an AKS pool's vnetSubnetID as a number", /'vnetSubnetID' must be a string, not a number/, (c) => {
    at(c, 'properties', 'agentPoolProfiles', 0).vnetSubnetID = 12;
  }),
  aksInput("an AKS cluster's networkProfile as an array", /'properties\.networkProfile' must be an object, not an array/, (c) => {
    at(c, 'properties').networkProfile = [at(c, 'properties', 'networkProfile')];
  }),
  aksInput("an AKS cluster's agentPoolProfiles as a string", /'properties\.agentPoolProfiles' must be an array, not a string/, (c) => {
    at(c, 'properties').agentPoolProfiles = 'system';
  }),
  aksInput("an AKS pool profile that is an array", /must be an object, not an array/, (c) => {
    const pools = at(c, 'properties', 'agentPoolProfiles') as unknown as unknown[];
    pools[0] = [pools[0]];
  }),
  aksInput("an AKS cluster's loadBalancerProfile as a string", /'properties\.networkProfile\.loadBalancerProfile' must be an object, not a string/, (c) => {
    at(c, 'properties', 'networkProfile').loadBalancerProfile = 'outboundIPs';
  }),
  aksInput("an AKS cluster's outboundIPs as a string", /'outboundIPs' must be an object, not a string/, (c) => {
    at(c, 'properties', 'networkProfile', 'loadBalancerProfile').outboundIPs = 'pip';
  }),
  aksInput("an AKS cluster's natGatewayProfile as a number, not read for its outbound type (loadBalancer)", /'properties\.networkProfile\.natGatewayProfile' must be an object, not a number/, (c) => {
    at(c, 'properties', 'networkProfile').natGatewayProfile = 12;
  }),
  aksInput("an AKS pool's count as a word", /'count' must be a number, not a string/, (c) => {
    at(c, 'properties', 'agentPoolProfiles', 0).count = 'three';
  }),
];
