// A template whose resource names are everything that can break a Mermaid flowchart (syntax characters, entity
// codes, directives, KaTeX, icons, Markdown strings, keywords, control characters, Unicode, very long names), linted
// through the real pipeline so the chart sees them where real names go: VM, NIC, ipconfig, public IP, NAT gateway
// and load balancer labels, with every verdict's colour. No name has a '/' (ARM reads it as a child resource's). test/mermaid.test.ts checks the chart text; the browser
// test renders it with Mermaid. Test-only code.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LintResult } from '../../engine/index.js';
import { rules } from '../../rules/index.js';
import { discover } from '../../api/discover.js';
import { lintFiles } from '../../api/run.js';
import { tempDir } from './package.js';

export const HOSTILE_NAMES: readonly string[] = [
  'end',
  'subgraph',
  'class',
  'style',
  'click',
  'default',
  'linkStyle',
  'ops',
  'xray',
  'a "quoted" name',
  "o'brien",
  'hash # #35; #quot; #9829; #lt;b#gt;',
  'html &amp; &lt;b&gt; <b>bold<b> a<br>b <img src=x onerror=alert(1)>',
  '%%{init: {"theme": "forest"}}%%',
  '%% not a comment',
  '$$x^2$$ katex',
  '`code` **bold** _it_',
  'fa:fa-ban icon fab:fa-github',
  'style a:b#c;',
  'classDef x fill:#f00;',
  'semi;colon | pipe -->|x| y & z',
  'brackets [x] (y) {z} {{w}} ([v]) ((u)) >a] @{ shape: rect }',
  'x:::cls',
  'back\\slash \\n not a break',
  'tab\tline\nreturn\r\nnull\u0000 sep\u2028',
  'unicode é ❤ 😀 日本語 עברית',
  'ligature \uFB02\u00B0lt\u00B6\u00DF \uFB02\u00B0\u00B060\u00B6\u00DF',
  '日本',
  '---',
  'a-b',
  'a_b',
  `long-${'name'.repeat(40)}-😀-tail`,
];

/** The NAT gateway's and the load balancer's names (hops carry them in their labels). */
export const HOSTILE_NAT = 'nat "gw" #1 %%{init}%% end';
export const HOSTILE_LB = 'lb <i>x<i> $$y$$ fa:fa-ban';

/** An ARM string literal inside an expression. */
const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const rid = (type: string, ...names: string[]): string => `[resourceId(${[lit(type), ...names.map(lit)].join(', ')})]`;
const SUBNET = rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default');
const NAT_SUBNET = rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'nat');
const PRIVATE_SUBNET = rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'private');
const LOCATION = '[resourceGroup().location]';

function pip(name: string, allocation: 'Static' | 'Dynamic'): object {
  return { type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2024-05-01', name, location: LOCATION, sku: { name: allocation === 'Static' ? 'Standard' : 'Basic' }, properties: { publicIPAllocationMethod: allocation } };
}

function nic(name: string, ipConfigs: readonly object[]): object {
  return { type: 'Microsoft.Network/networkInterfaces', apiVersion: '2024-05-01', name, location: LOCATION, properties: { ipConfigurations: ipConfigs } };
}

function ipConfig(name: string, subnet: string, primary: boolean, publicIp?: string, pool?: string): object {
  return {
    name,
    properties: {
      primary,
      privateIPAllocationMethod: 'Dynamic',
      subnet: { id: subnet },
      ...(publicIp !== undefined ? { publicIPAddress: { id: rid('Microsoft.Network/publicIPAddresses', publicIp) } } : {}),
      ...(pool !== undefined ? { loadBalancerBackendAddressPools: [{ id: pool }] } : {}),
    },
  };
}

function vm(name: string, nics: unknown): object {
  return { type: 'Microsoft.Compute/virtualMachines', apiVersion: '2024-07-01', name, location: LOCATION, properties: { hardwareProfile: { vmSize: 'Standard_B2s' }, networkProfile: { networkInterfaces: nics } } };
}

const nicRef = (name: string, primary = true): object => ({ id: rid('Microsoft.Network/networkInterfaces', name), properties: { primary } });

/** The template: one VM per hostile name (its NIC, ipconfig and public IP carry the name too), plus the hops. */
export function hostileTemplate(): object {
  const resources: object[] = [
    {
      type: 'Microsoft.Network/virtualNetworks',
      apiVersion: '2024-05-01',
      name: 'vnet',
      location: LOCATION,
      properties: {
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
        subnets: [
          { name: 'default', properties: { addressPrefix: '10.0.1.0/24' } },
          { name: 'nat', properties: { addressPrefix: '10.0.2.0/24', natGateway: { id: rid('Microsoft.Network/natGateways', HOSTILE_NAT) } } },
          { name: 'private', properties: { addressPrefix: '10.0.3.0/24', defaultOutboundAccess: false } },
        ],
      },
    },
  ];
  HOSTILE_NAMES.forEach((name, i) => {
    // Every third public IP is dynamic: a non-deterministic path beside the deterministic ones.
    resources.push(pip(name, i % 3 === 2 ? 'Dynamic' : 'Static'));
    resources.push(nic(name, [ipConfig(name, SUBNET, true, name)]));
    resources.push(vm(name, [nicRef(name)]));
  });
  // Hops: a NAT gateway and a load balancer with hostile names; a NIC with two hostile ipconfigs (NAT gateway, default outbound access).
  resources.push(pip('pip nat "x"', 'Static'), pip('pip lb <x>', 'Static'));
  resources.push({ type: 'Microsoft.Network/natGateways', apiVersion: '2024-05-01', name: HOSTILE_NAT, location: LOCATION, sku: { name: 'Standard' }, properties: { publicIpAddresses: [{ id: rid('Microsoft.Network/publicIPAddresses', 'pip nat "x"') }] } });
  const pool = rid('Microsoft.Network/loadBalancers/backendAddressPools', HOSTILE_LB, 'pool');
  resources.push({
    type: 'Microsoft.Network/loadBalancers',
    apiVersion: '2024-05-01',
    name: HOSTILE_LB,
    location: LOCATION,
    sku: { name: 'Standard' },
    properties: {
      frontendIPConfigurations: [{ name: 'fe', properties: { publicIPAddress: { id: rid('Microsoft.Network/publicIPAddresses', 'pip lb <x>') } } }],
      backendAddressPools: [{ name: 'pool' }],
      outboundRules: [{ name: 'out', properties: { protocol: 'All', frontendIPConfigurations: [{ id: rid('Microsoft.Network/loadBalancers/frontendIPConfigurations', HOSTILE_LB, 'fe') }], backendAddressPool: { id: pool } } }],
    },
  });
  resources.push(nic('two ipconfigs', [ipConfig('first: "a"', NAT_SUBNET, true), ipConfig('second #2 %%', SUBNET, false)]));
  resources.push(vm('behind nat', [nicRef('two ipconfigs')]));
  resources.push(nic('lb <nic>', [ipConfig('ipconfig1', SUBNET, true, undefined, pool)]));
  resources.push(vm('behind lb', [nicRef('lb <nic>')]));
  // No Internet egress (a private subnet), and a NIC the files do not name (a network profile from a parameter with no value).
  resources.push(nic('private <nic>', [ipConfig('ipconfig1', PRIVATE_SUBNET, true)]));
  resources.push(vm('private "vm"', [nicRef('private <nic>')]));
  resources.push(vm('[parameters(\'vmName\')]', "[parameters('networkInterfaces')]"));
  return {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: { vmName: { type: 'string' }, networkInterfaces: { type: 'array' } },
    resources,
  };
}

/** The hostile template linted as the CLI lints a file (graph and resolved paths kept for the chart). */
export async function lintHostile(): Promise<LintResult> {
  const dir = tempDir('egress-lint-hostile-');
  writeFileSync(join(dir, 'main.json'), JSON.stringify(hostileTemplate(), null, 2));
  const { targets } = await discover(['main.json'], dir);
  const [r] = lintFiles(targets, { cwd: dir, rules });
  return r;
}
