// Deterministic generator of synthetic deployments of N VMs for the scaling benchmark: each segment is a spoke
// VNet with a NAT gateway, a public Standard load balancer with an outbound rule, a route table to an Azure
// Firewall, and VMs with NICs (a quarter with their own public IP), half in copy loops and half written out.
// Writes into a folder under os.tmpdir(), never into the repository.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Shape = 'files' | 'one';

/** How each VM leaves for the Internet, by kind; the resolver must find exactly this (scale.ts checks it). */
export const KINDS = ['pip', 'lb', 'nat', 'fw'] as const;
export type Kind = (typeof KINDS)[number];
export const EXPECTED_METHOD: Readonly<Record<Kind, string>> = {
  pip: 'instance-public-ip',
  lb: 'lb-outbound-rule',
  nat: 'nat-gateway',
  fw: 'firewall',
};

/** VMs per segment: 344 VMs use 774 resources and the segment's infrastructure 8, so a file stays within ARM's 800. */
export const VMS_PER_SEGMENT = 344;
const INFRA_RESOURCES = 8;

export interface Generated {
  readonly dir: string;
  readonly files: readonly string[];
  readonly vms: number;
  readonly resources: number;
  readonly bytes: number;
  /** Expected primary-path method → number of VMs. */
  readonly methods: Readonly<Record<string, number>>;
}

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const NET = '2023-09-01';
const COMPUTE = '2023-09-01';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const rid = (type: string, ...names: string[]): string => `[resourceId('${type}', ${names.join(', ')})]`;
const q = (s: string): string => `'${s}'`;

/** One spoke: its address block, its shared infrastructure and `count` VMs. */
function segment(s: number, count: number): { resources: Json[]; vms: number; methods: Record<string, number> } {
  const a = `${10 + (s >> 8)}.${s & 255}`;
  const p = `s${s}`;
  const vnet = `vnet-${p}`;
  const subnetId = (name: string) => rid('Microsoft.Network/virtualNetworks/subnets', q(vnet), q(name));
  const resources: Json[] = [
    {
      type: 'Microsoft.Network/publicIPAddresses',
      apiVersion: NET,
      name: `pip-nat-${p}`,
      location: "[parameters('location')]",
      sku: { name: 'Standard' },
      properties: { publicIPAllocationMethod: 'Static' },
    },
    {
      type: 'Microsoft.Network/natGateways',
      apiVersion: NET,
      name: `nat-${p}`,
      location: "[parameters('location')]",
      sku: { name: 'Standard' },
      properties: { idleTimeoutInMinutes: 4, publicIpAddresses: [{ id: rid('Microsoft.Network/publicIPAddresses', q(`pip-nat-${p}`)) }] },
      dependsOn: [rid('Microsoft.Network/publicIPAddresses', q(`pip-nat-${p}`))],
    },
    {
      type: 'Microsoft.Network/publicIPAddresses',
      apiVersion: NET,
      name: `pip-fw-${p}`,
      location: "[parameters('location')]",
      sku: { name: 'Standard' },
      properties: { publicIPAllocationMethod: 'Static' },
    },
    {
      type: 'Microsoft.Network/routeTables',
      apiVersion: NET,
      name: `rt-${p}`,
      location: "[parameters('location')]",
      properties: {
        disableBgpRoutePropagation: true,
        // .4 is the first address Azure leaves usable in AzureFirewallSubnet: where the firewall sits.
        routes: [{ name: 'default-to-firewall', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: `${a}.20.4` } }],
      },
    },
    {
      type: 'Microsoft.Network/virtualNetworks',
      apiVersion: NET,
      name: vnet,
      location: "[parameters('location')]",
      properties: {
        addressSpace: { addressPrefixes: [`${a}.0.0/16`] },
        subnets: [
          { name: 'snet-pip', properties: { addressPrefix: `${a}.0.0/22` } },
          { name: 'snet-lb', properties: { addressPrefix: `${a}.4.0/22` } },
          { name: 'snet-nat', properties: { addressPrefix: `${a}.8.0/22`, natGateway: { id: rid('Microsoft.Network/natGateways', q(`nat-${p}`)) } } },
          { name: 'snet-fw', properties: { addressPrefix: `${a}.12.0/22`, routeTable: { id: rid('Microsoft.Network/routeTables', q(`rt-${p}`)) } } },
          { name: 'AzureFirewallSubnet', properties: { addressPrefix: `${a}.20.0/26` } },
        ],
      },
      dependsOn: [rid('Microsoft.Network/natGateways', q(`nat-${p}`)), rid('Microsoft.Network/routeTables', q(`rt-${p}`))],
    },
    {
      type: 'Microsoft.Network/azureFirewalls',
      apiVersion: NET,
      name: `fw-${p}`,
      location: "[parameters('location')]",
      properties: {
        sku: { name: 'AZFW_VNet', tier: 'Standard' },
        ipConfigurations: [{ name: 'ipconfig', properties: { subnet: { id: subnetId('AzureFirewallSubnet') }, publicIPAddress: { id: rid('Microsoft.Network/publicIPAddresses', q(`pip-fw-${p}`)) } } }],
      },
      dependsOn: [rid('Microsoft.Network/virtualNetworks', q(vnet)), rid('Microsoft.Network/publicIPAddresses', q(`pip-fw-${p}`))],
    },
    {
      type: 'Microsoft.Network/publicIPAddresses',
      apiVersion: NET,
      name: `pip-lb-${p}`,
      location: "[parameters('location')]",
      sku: { name: 'Standard' },
      properties: { publicIPAllocationMethod: 'Static' },
    },
    {
      type: 'Microsoft.Network/loadBalancers',
      apiVersion: NET,
      name: `lb-${p}`,
      location: "[parameters('location')]",
      sku: { name: 'Standard' },
      properties: {
        frontendIPConfigurations: [{ name: 'fe', properties: { publicIPAddress: { id: rid('Microsoft.Network/publicIPAddresses', q(`pip-lb-${p}`)) } } }],
        backendAddressPools: [{ name: 'pool' }],
        outboundRules: [
          {
            name: 'outbound',
            properties: {
              protocol: 'All',
              allocatedOutboundPorts: 1024,
              frontendIPConfigurations: [{ id: rid('Microsoft.Network/loadBalancers/frontendIPConfigurations', q(`lb-${p}`), q('fe')) }],
              backendAddressPool: { id: rid('Microsoft.Network/loadBalancers/backendAddressPools', q(`lb-${p}`), q('pool')) },
            },
          },
        ],
      },
      dependsOn: [rid('Microsoft.Network/publicIPAddresses', q(`pip-lb-${p}`))],
    },
  ];

  // VM i of the segment has kind KINDS[i % 4]; of each kind, the first half is one copy loop, the rest flat.
  const methods: Record<string, number> = {};
  for (let k = 0; k < KINDS.length; k++) {
    const kind = KINDS[k];
    const n = Math.floor(count / KINDS.length) + (k < count % KINDS.length ? 1 : 0);
    if (n === 0) continue;
    methods[EXPECTED_METHOD[kind]] = n;
    const copies = Math.ceil(n / 2);
    const subnet = kind === 'fw' ? 'snet-fw' : `snet-${kind}`;
    const subnetBase = kind === 'pip' ? 0 : kind === 'lb' ? 4 : kind === 'nat' ? 8 : 12;
    const ipconfigProps = (privateIp: string | undefined, pip: string | undefined): { [k: string]: Json } => ({
      ...(privateIp ? { privateIPAllocationMethod: 'Static', privateIPAddress: privateIp } : { privateIPAllocationMethod: 'Dynamic' }),
      subnet: { id: subnetId(subnet) },
      ...(pip ? { publicIPAddress: { id: pip } } : {}),
      ...(kind === 'lb' ? { loadBalancerBackendAddressPools: [{ id: rid('Microsoft.Network/loadBalancers/backendAddressPools', q(`lb-${p}`), q('pool')) }] } : {}),
    });
    const vm = (name: string, nicName: string): Json => ({
      type: 'Microsoft.Compute/virtualMachines',
      apiVersion: COMPUTE,
      name,
      location: "[parameters('location')]",
      properties: {
        hardwareProfile: { vmSize: "[variables('vmSize')]" },
        osProfile: { computerName: name, adminUsername: "[parameters('adminUsername')]", adminPassword: "[parameters('adminPassword')]" },
        storageProfile: {
          imageReference: { publisher: 'Canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts-gen2', version: 'latest' },
          osDisk: { createOption: 'FromImage', managedDisk: { storageAccountType: 'Premium_LRS' } },
        },
        networkProfile: { networkInterfaces: [{ id: rid('Microsoft.Network/networkInterfaces', nicName), properties: { primary: true } }] },
      },
      dependsOn: [rid('Microsoft.Network/networkInterfaces', nicName)],
    });
    // The copy loop: names from copyIndex(), as most quickstarts write them.
    const cname = (what: string) => `[format('${what}-${p}-${kind}-{0}', copyIndex())]`;
    const cref = (what: string) => `format('${what}-${p}-${kind}-{0}', copyIndex())`;
    if (kind === 'pip') {
      resources.push({
        type: 'Microsoft.Network/publicIPAddresses',
        apiVersion: NET,
        name: cname('pip'),
        location: "[parameters('location')]",
        sku: { name: 'Standard' },
        properties: { publicIPAllocationMethod: 'Static' },
        copy: { name: `pips-${p}`, count: copies },
      });
    }
    const pipRef = kind === 'pip' ? rid('Microsoft.Network/publicIPAddresses', cref('pip')) : undefined;
    resources.push({
      type: 'Microsoft.Network/networkInterfaces',
      apiVersion: NET,
      name: cname('nic'),
      location: "[parameters('location')]",
      properties: { ipConfigurations: [{ name: 'ipconfig1', properties: ipconfigProps(undefined, pipRef) }] },
      copy: { name: `nics-${p}-${kind}`, count: copies },
      dependsOn: pipRef ? [pipRef, rid('Microsoft.Network/virtualNetworks', q(vnet))] : [rid('Microsoft.Network/virtualNetworks', q(vnet))],
    });
    const cvm = vm(cname('vm'), cref('nic')) as { [k: string]: Json };
    resources.push({ ...cvm, copy: { name: `vms-${p}-${kind}`, count: copies } });
    // The flat ones: literal names and static private addresses, as exported or hand-written templates have them.
    for (let i = copies; i < n; i++) {
      const nic = `nic-${p}-${kind}-${i}`;
      const pip = kind === 'pip' ? `pip-${p}-${kind}-${i}` : undefined;
      if (pip) {
        resources.push({
          type: 'Microsoft.Network/publicIPAddresses',
          apiVersion: NET,
          name: pip,
          location: "[parameters('location')]",
          sku: { name: 'Standard' },
          properties: { publicIPAllocationMethod: 'Static' },
        });
      }
      const ip = `${a}.${subnetBase + ((i + 4) >> 8)}.${(i + 4) & 255}`;
      resources.push({
        type: 'Microsoft.Network/networkInterfaces',
        apiVersion: NET,
        name: nic,
        location: "[parameters('location')]",
        properties: { ipConfigurations: [{ name: 'ipconfig1', properties: ipconfigProps(ip, pip && rid('Microsoft.Network/publicIPAddresses', q(pip))) }] },
        dependsOn: pip ? [rid('Microsoft.Network/publicIPAddresses', q(pip)), rid('Microsoft.Network/virtualNetworks', q(vnet))] : [rid('Microsoft.Network/virtualNetworks', q(vnet))],
      });
      resources.push(vm(`vm-${p}-${kind}-${i}`, q(nic)));
    }
  }
  return { resources, vms: count, methods };
}

function template(resources: Json[]): Json {
  return {
    $schema: SCHEMA,
    contentVersion: '1.0.0.0',
    parameters: {
      location: { type: 'string', defaultValue: 'westeurope' },
      adminUsername: { type: 'string', defaultValue: 'azureuser' },
      adminPassword: { type: 'securestring' },
    },
    variables: { vmSize: 'Standard_D2s_v5' },
    resources,
  };
}

/** Resources a segment of `count` VMs deploys once copy loops are expanded. */
export function segmentResources(count: number): number {
  const pips = Math.floor(count / KINDS.length) + (count % KINDS.length > 0 ? 1 : 0);
  return INFRA_RESOURCES + 2 * count + pips;
}

/** Writes N VMs as many files of at most 800 resources each, or as one oversized template. */
export function generate(n: number, shape: Shape, dir?: string): Generated {
  const out = dir ?? mkdtempSync(join(tmpdir(), `egress-lint-scale-${n}-${shape}-`));
  mkdirSync(out, { recursive: true });
  const files: string[] = [];
  const methods: Record<string, number> = {};
  let resources = 0;
  let bytes = 0;
  const all: Json[] = [];
  const segments = Math.ceil(n / VMS_PER_SEGMENT);
  for (let s = 0; s < segments; s++) {
    const count = Math.min(VMS_PER_SEGMENT, n - s * VMS_PER_SEGMENT);
    const seg = segment(s, count);
    resources += segmentResources(count);
    for (const [m, c] of Object.entries(seg.methods)) methods[m] = (methods[m] ?? 0) + c;
    if (shape === 'one') {
      all.push(...seg.resources);
      continue;
    }
    const file = join(out, `spoke-${String(s).padStart(4, '0')}.json`);
    const text = JSON.stringify(template(seg.resources), null, 2) + '\n';
    writeFileSync(file, text);
    files.push(file);
    bytes += Buffer.byteLength(text);
  }
  if (shape === 'one') {
    const file = join(out, 'main.json');
    const text = JSON.stringify(template(all), null, 2) + '\n';
    writeFileSync(file, text);
    files.push(file);
    bytes += Buffer.byteLength(text);
  }
  return { dir: out, files, vms: n, resources, bytes, methods };
}

export function removeGenerated(g: Generated): void {
  rmSync(g.dir, { recursive: true, force: true });
}

// `node .bench-build/bench/generate.js <N> <files|one> [dir]`: writes one deployment and prints where.
if (process.argv[1] && /generate\.[jt]s$/.test(process.argv[1])) {
  const n = Number(process.argv[2] ?? 1000);
  const shape = (process.argv[3] ?? 'files') as Shape;
  if (!Number.isInteger(n) || n < 1 || (shape !== 'files' && shape !== 'one')) {
    console.error('usage: generate.js <N> <files|one> [dir]');
    process.exit(2);
  }
  const g = generate(n, shape, process.argv[4]);
  console.log(`${g.dir}: ${g.files.length} file(s), ${g.vms} VMs, ${g.resources} resources, ${(g.bytes / 1048576).toFixed(1)} MB`);
}
