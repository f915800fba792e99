// The addresses an inventory (resources already deployed, engine/inventory/) gives the resources the templates
// deploy: a public IP's ipAddress, a public IP prefix's ipPrefix, the public IPs Azure gave a firewall in a Virtual
// WAN hub (hubIPAddresses), and the outbound IPs AKS created for a cluster (effectiveOutboundIPs, looked up among the
// inventory's public IPs). The templates still decide everything else (SKU, allocation, links, counts): only the
// address is taken, and where the two disagree on something the address depends on (the IP version, a prefix's
// length, how many addresses) it is not taken, with the reason. Every front-end that reads deployed resources into
// ARM's shape (`properties.ipAddress`, `properties.ipPrefix`) feeds this: az CLI output, Resource Graph rows, an
// exported template, and Terraform state once engine/inventory/ reads it. Imports expressions/ and resources/ only.
import type { SourceResource } from '../resources/types.js';
import type { ResourceLookup } from '../resources/lookup.js';
import type { Value } from '../expressions/value.js';
import { showPlaceholders } from '../expressions/placeholder.js';
import { parseIpNet } from '../expressions/functions/cidr.js';
import type { Firewall, NetworkGraph, PublicIp, PublicIpPrefix } from './graph.js';
import { GRAPH_TYPES } from './reads.js';
import { keyOf } from './ids.js';
import { list, prop } from './read-values.js';
import type { InventoryMatch, StandInScope } from './inventory-match.js';
import { RESOURCE_GROUP_LABEL, SUBSCRIPTION_LABEL, matchInventory } from './inventory-match.js';

/** One template resource whose address the inventory may give, and how it is filled once matched. */
interface Target {
  readonly key: string;
  readonly type: string;
  readonly fill: (m: InventoryMatch, ctx: FillContext) => void;
}

interface FillContext {
  readonly g: NetworkGraph;
  /** Every inventory entry by lower-case id (an AKS cluster's effective outbound IPs are looked up here). */
  readonly byKey: ResourceLookup['byKey'];
}

/** A bare IP address of the family `version` names ('IPv4', 'IPv6'), trimmed; undefined for anything else. */
function addressOf(v: Value | undefined, version: string): string | undefined {
  if (typeof v !== 'string') return undefined;
  const text = v.trim();
  const net = parseIpNet(text, true);
  if (!net || text.includes('/')) return undefined;
  return net.version === (version.toLowerCase() === 'ipv6' ? 6 : 4) ? text : undefined;
}

/** Where an entry comes from, for notes: the file, and for a match by pattern the entry's id and each placeholder's value. */
function source(m: Extract<InventoryMatch, { entry: SourceResource }>): string {
  if (m.kind === 'id') return `recorded in ${m.entry.at.file}`;
  const values: string[] = [];
  const open: string[] = [];
  for (const [label, value] of m.values) {
    // The stand-in scope shows in the entry's id; say only that it was not given.
    if (label === SUBSCRIPTION_LABEL) open.push('--subscription-id');
    else if (label === RESOURCE_GROUP_LABEL) open.push('--resource-group');
    else values.push(`${label} = '${value}'`);
  }
  if (open.length) values.push(`no ${open.join(' or ')} given`);
  const which = m.narrowed ? 'the one entry that fits with the values the template\'s other resources give' : 'the one entry that fits';
  return `recorded in ${m.entry.at.file} as '${m.entry.id}', ${which} (${values.join('; ')})`;
}

/** Why a resource (`what`: "public IP 'x'") matched no single entry, or undefined when the inventory has nothing that fits. */
function unmatched(m: InventoryMatch, what: string): string | undefined {
  if (m.kind === 'ambiguous') {
    const names: string[] = [];
    for (const e of m.entries.slice(0, 4)) names.push(`'${e.id}'`);
    const more = m.entries.length > 4 ? ` and ${m.entries.length - 4} more` : '';
    return `the inventory has ${m.entries.length} entries that fit ${what} (${names.join(', ')}${more}), so no address is taken from them; give the parameters values or the deployment scope (--subscription-id, --resource-group) to tell them apart`;
  }
  if (m.kind === 'inconsistent') {
    const differ: string[] = [];
    for (const c of m.conflicts) differ.push(`${c.label} (${c.values.map((v) => `'${v}'`).join(', ')})`);
    return `the inventory entries that fit ${what} and the template's other resources give ${differ.join(' and ')} different values: they are not one deployment, so no address is taken from them`;
  }
  return undefined;
}

function replacePip(g: NetworkGraph, pip: PublicIp, address: string | null, addressNote: string): void {
  g.nodes.set(pip.key, Object.assign({}, pip, { address, addressNote }));
}

function fillPublicIp(pip: PublicIp, m: InventoryMatch, ctx: FillContext): void {
  const what = `public IP '${showPlaceholders(pip.name)}'`;
  if (m.kind !== 'id' && m.kind !== 'pattern') {
    const why = unmatched(m, what);
    if (why) replacePip(ctx.g, pip, null, why);
    return;
  }
  const written = prop(m.entry.body, 'properties', 'ipAddress');
  const address = addressOf(written, pip.version);
  if (address === undefined) {
    const said = typeof written === 'string' && written.trim() !== '' ? `'${written}', which is not an ${pip.version} address` : 'no address';
    replacePip(ctx.g, pip, null, `the inventory (${m.entry.at.file}) records ${what} with ${said}`);
    return;
  }
  const alloc = typeof pip.allocation === 'string' ? pip.allocation.toLowerCase() : undefined;
  // A Dynamic address is released when the resource is stopped (deallocated) or deleted, and the next one may differ
  // (https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses#ip-address-assignment): the
  // inventory shows today's address, and the verdict stays what the template's allocation makes it. The same page:
  // changing Dynamic to Static keeps the address, so a template that makes a deployed Dynamic IP Static keeps it too.
  const today = alloc === 'dynamic' ? `; it is Dynamic: Azure releases the address when the VM is stopped (deallocated) and may assign another, so this is only today's address` : '';
  replacePip(ctx.g, pip, address, `${what} has address ${address} (${source(m)})${today}`);
}

function fillPrefix(p: PublicIpPrefix, m: InventoryMatch, ctx: FillContext): void {
  const what = `public IP prefix '${showPlaceholders(p.name)}'`;
  let ipPrefix: string | null = null;
  let addressNote: string | undefined;
  if (m.kind === 'id' || m.kind === 'pattern') {
    const written = prop(m.entry.body, 'properties', 'ipPrefix');
    const text = typeof written === 'string' ? written.trim() : '';
    const net = text.includes('/') ? parseIpNet(text) : undefined;
    const family = p.version.toLowerCase() === 'ipv6' ? 6 : 4;
    if (!net || net.version !== family) addressNote = `the inventory (${m.entry.at.file}) records ${what} with ${text ? `'${text}', which is not an ${p.version} prefix` : 'no prefix'}`;
    // A prefix's length cannot change: a template asking for another length deploys another prefix, with another range.
    else if (typeof p.prefixLength === 'number' && p.prefixLength !== net.prefix) addressNote = `the inventory (${m.entry.at.file}) records ${what} as ${text}, a /${net.prefix}, and the template asks for a /${p.prefixLength}: that is another prefix, whose range is known after deployment`;
    else {
      ipPrefix = text;
      addressNote = `${what} is ${text} (${source(m)})`;
    }
  } else addressNote = unmatched(m, what);
  if (addressNote !== undefined) ctx.g.nodes.set(p.key, Object.assign({}, p, { ipPrefix, addressNote }));
}

/** A firewall in a Virtual WAN hub: the addresses Azure gave it, when the inventory has as many as the template asks for. */
function fillHubFirewall(fw: Firewall, m: InventoryMatch, ctx: FillContext): void {
  const what = `the public IPs of firewall '${showPlaceholders(fw.name)}'`;
  let note: string | undefined;
  let addresses: string[] | undefined;
  if (m.kind === 'id' || m.kind === 'pattern') {
    const found: string[] = [];
    let bad = 0;
    for (const a of list(prop(m.entry.body, 'properties', 'hubIPAddresses', 'publicIPs', 'addresses'))) {
      const address = addressOf(prop(a, 'address'), 'IPv4');
      if (address === undefined) bad++;
      else found.push(address);
    }
    const count = fw.hubIps.count as number;
    // Which addresses Azure keeps when the count changes is not in the files: only an equal count is the same set.
    if (bad > 0 || found.length !== count) note = `${what} are not taken from the inventory: it records ${found.length} address${found.length === 1 ? '' : 'es'}${bad ? ` and ${bad} that ${bad === 1 ? 'is' : 'are'} not an IPv4 address` : ''} (${m.entry.at.file}), and the template asks for ${count}`;
    else {
      addresses = found;
      note = `${what} are ${found.join(', ')} (${source(m)})`;
    }
  } else note = unmatched(m, `firewall '${showPlaceholders(fw.name)}'`);
  if (note === undefined) return;
  const hubIps = Object.assign({}, fw.hubIps, addresses ? { addresses, note } : { note });
  ctx.g.nodes.set(fw.key, Object.assign({}, fw, { hubIps }));
}

/** The public IPs AKS created for one cluster, by what they are for ('outbound': the load balancer's, 'nat': the NAT gateway's), in order. */
function createdIps(g: NetworkGraph, clusterKey: string): { outbound: PublicIp[]; nat: PublicIp[] } {
  const prefix = `${clusterKey}/aks/publicipaddresses/`;
  const outbound: PublicIp[] = [];
  const nat: PublicIp[] = [];
  for (const node of g.nodes.values()) {
    if (node.kind !== 'publicIp' || !node.created || !node.key.startsWith(prefix)) continue;
    const m = /-managed-(outbound|nat)-(\d+)$/.exec(node.name);
    if (m) (m[1] === 'nat' ? nat : outbound).push(node);
  }
  const byNumber = (a: PublicIp, b: PublicIp): number => Number(/(\d+)$/.exec(a.name)![1]) - Number(/(\d+)$/.exec(b.name)![1]);
  return { outbound: outbound.sort(byNumber), nat: nat.sort(byNumber) };
}

/** IPv4 addresses in numeric order (AKS names none of them: the order is what keeps the report stable). */
function byAddress(a: string, b: string): number {
  const x = parseIpNet(a, true)!.address;
  const y = parseIpNet(b, true)!.address;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The IPs AKS created for a cluster the templates deploy: the inventory's record of the cluster (az aks show, Resource
 * Graph) lists them as `effectiveOutboundIPs` of its load balancer or NAT gateway profile (resource ids in the node
 * resource group, https://learn.microsoft.com/azure/aks/configure-load-balancer-standard), and the inventory's public
 * IPs give their addresses. AKS does not say which stand-in name is which IP: they are given in address order.
 */
function fillCluster(clusterKey: string, clusterName: string, m: InventoryMatch, ctx: FillContext): void {
  const created = createdIps(ctx.g, clusterKey);
  for (const [ips, profile, what] of [
    [created.outbound, 'loadBalancerProfile', 'load balancer'],
    [created.nat, 'natGatewayProfile', 'NAT gateway'],
  ] as const) {
    if (ips.length === 0) continue;
    const subject = `the outbound IPs AKS created for the ${what} of cluster '${showPlaceholders(clusterName)}'`;
    let note: string | undefined;
    let addresses: string[] | undefined;
    if (m.kind === 'id' || m.kind === 'pattern') {
      const refs = list(prop(m.entry.body, 'properties', 'networkProfile', profile, 'effectiveOutboundIPs'));
      const found: string[] = [];
      const missing: string[] = [];
      const files = new Set<string>();
      for (const ref of refs) {
        const id = prop(ref, 'id');
        if (typeof id !== 'string') continue;
        const pip = ctx.byKey.get(id.trim().toLowerCase());
        const address = pip ? addressOf(prop(pip.body, 'properties', 'ipAddress'), 'IPv4') : undefined;
        if (address === undefined) missing.push(id);
        else {
          found.push(address);
          files.add(pip!.at.file);
        }
      }
      if (refs.length !== ips.length) note = `${subject} are not taken from the inventory: it records ${refs.length} (${m.entry.at.file}), and the template asks for ${ips.length}`;
      else if (missing.length > 0) note = `${subject} are not taken from the inventory: it records the cluster's ${refs.length} (${m.entry.at.file}) but not the address of ${missing.map((x) => `'${x}'`).join(', ')}; add the public IPs of the cluster's node resource group (az network public-ip list -g <node resource group>)`;
      else addresses = found.sort(byAddress);
      files.delete(m.entry.at.file);
      const where = files.size ? `, their addresses in ${[...files].join(', ')}` : '';
      if (addresses) note = `${subject} are ${addresses.join(', ')} (${source(m)}${where}; AKS does not say which is which)`;
    } else note = unmatched(m, `cluster '${showPlaceholders(clusterName)}'`);
    if (note === undefined) continue;
    for (let i = 0; i < ips.length; i++) replacePip(ctx.g, ips[i], addresses ? addresses[i] : null, note);
  }
}

/**
 * Fills the addresses of the graph's template resources from the inventory. `inventory` holds every entry read (also
 * those the graph leaves out because the templates deploy them); `standIns` the scope parts not given, whose stand-in
 * values in the templates' ids match any value.
 */
export function fillAddresses(g: NetworkGraph, inventory: ResourceLookup, standIns: StandInScope): void {
  const targets: Target[] = [];
  for (const node of g.nodes.values()) {
    if (g.inventoryKeys.has(node.key)) continue;
    if (node.kind === 'publicIp' && !node.created && node.address === null) targets.push({ key: node.key, type: node.type, fill: (m, ctx) => fillPublicIp(node, m, ctx) });
    else if (node.kind === 'publicIpPrefix' && node.ipPrefix === null) targets.push({ key: node.key, type: node.type, fill: (m, ctx) => fillPrefix(node, m, ctx) });
    else if (node.kind === 'firewall' && node.virtualHub !== undefined && typeof node.hubIps.count === 'number' && node.hubIps.count > 0 && node.hubIps.addresses.length === 0 && !node.hubIps.unknownAddresses)
      targets.push({ key: node.key, type: node.type, fill: (m, ctx) => fillHubFirewall(node, m, ctx) });
  }
  const clusters = new Set<string>();
  for (const r of g.deployment.resources) {
    const key = keyOf(r);
    if (r.type.toLowerCase() !== GRAPH_TYPES.managedCluster || r.existing || g.inventoryKeys.has(key) || clusters.has(key)) continue;
    clusters.add(key);
    targets.push({ key, type: r.type, fill: (m, ctx) => fillCluster(key, r.name, m, ctx) });
  }
  if (targets.length === 0) return;
  const matches = matchInventory(targets, inventory, standIns);
  const ctx: FillContext = { g, byKey: inventory.byKey };
  for (let i = 0; i < targets.length; i++) targets[i].fill(matches[i], ctx);
}
