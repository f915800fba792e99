// Step 1 of egress-model.md, Virtual WAN: a VNet connected to a virtual hub learns the routes of the hub route table
// its connection is associated with; an Internet routing policy (routing intent), or a 0.0.0.0/0 static route there,
// makes the hub advertise a default route to every connection whose `enableInternetSecurity` is true, and the VNet's
// Internet traffic then leaves through the hub's firewall or appliance
// (https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies). Also the egress of a firewall in a hub
// (AZFW_Hub): the public IPs Azure assigns it. Imports template/ and expressions/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import { Unknown } from '../expressions/value.js';
import type { Firewall, NetworkGraph, Ref } from './graph.js';
import type { HubConnection, HubRoute, HubRouteTable, RoutingIntent } from './read-virtual-wan.js';
import type { Appliances } from './appliances.js';
import { lastSegment } from './ids.js';
import { GRAPH_TYPES } from './reads.js';
import type { EgressIp, Method, Outcome, PathNote } from './results.js';
import { mayNotBeDeployed, outcomeVerdict, unknownOutcome } from './results.js';

/** A hub's default route that sends the VNet's Internet traffic to an appliance in the hub. */
export interface HubAppliance {
  readonly hubName: string;
  readonly connection: string;
  /** What in the hub sends it ("routing intent 'ri' (policy 'InternetTraffic')", "route 'r' of hub route table 't'"). */
  readonly via: string;
  readonly nextHop: Ref | undefined;
  /** Set when what decides it may not be deployed. */
  readonly maybe: string | undefined;
  /** The route is 0.0.0.0/1 + 128.0.0.0/1: the VNet learns it whatever enableInternetSecurity says. */
  readonly split: boolean;
  readonly at: Location;
}

/** What a hub gives a VNet for 0.0.0.0/0: an appliance in the hub, or what the files cannot decide. */
export type HubDefault =
  | { readonly kind: 'appliance'; readonly hub: HubAppliance }
  /** `otherwise`: without what the files do not show, the VNet has no default route from the hub (the system route applies). */
  | { readonly kind: 'undecided'; readonly reason: string; readonly at: Location; readonly otherwise: boolean };

type Advertised =
  /** `split`: the route covers the Internet as 0.0.0.0/1 and 128.0.0.0/1, which are not the default route. */
  | { readonly kind: 'appliance'; readonly via: string; readonly nextHop: HubAppliance['nextHop']; readonly maybe: string | undefined; readonly at: Location; readonly split?: boolean }
  | { readonly kind: 'undecided'; readonly reason: string; readonly at: Location; readonly otherwise: boolean; readonly split?: boolean };

/** What the files leave undecided; `otherwise` false when they do show a default route, only not where it leads. */
const undecided = (reason: string, at: Location, otherwise = true): Advertised => ({ kind: 'undecided', reason, at, otherwise });

/** Which part of the Internet a destination covers: all of it, one half of it, or none. */
function coverage(d: string): 'all' | 'low' | 'high' | undefined {
  const p = d.trim();
  return p === '0.0.0.0/0' ? 'all' : p === '0.0.0.0/1' ? 'low' : p === '128.0.0.0/1' ? 'high' : undefined;
}

function refName(ref: Ref): string {
  return ref.kind === 'unknown' ? `{${ref.value.origin}}` : lastSegment(ref.kind === 'found' ? ref.key : ref.id);
}

/** A referenced resource's name as the files write it when they declare it, else the last segment of its id. */
function nameOf(g: NetworkGraph, ref: Ref): string {
  const node = ref.kind === 'found' ? g.nodes.get(ref.key) : undefined;
  return node ? lastSegment(node.name) : refName(ref);
}

/** The next hop as messages name it: "firewall 'fw'", "network virtual appliance 'nva'". */
export function describeNextHop(g: NetworkGraph, hop: Ref | undefined): string {
  if (!hop) return 'no next hop';
  const node = hop.kind === 'found' ? g.nodes.get(hop.key) : undefined;
  if (node?.kind === 'firewall') return `firewall '${node.name}'`;
  if (node?.kind === 'nva') return `network virtual appliance '${node.name}'`;
  return `'${nameOf(g, hop)}'`;
}

function refKey(ref: Ref | undefined): string {
  if (!ref) return '';
  return ref.kind === 'found' ? `found:${ref.key}` : ref.kind === 'missing' ? `missing:${ref.id.toLowerCase()}` : `unknown:${ref.value.origin}`;
}

/** Whether two hub routes send traffic to the same next hop (an unknown next hop is the same as no other). */
function sameHubHop(a: HubRoute, b: HubRoute): boolean {
  if (a === b) return true;
  const ta = a.nextHopType;
  const tb = b.nextHopType;
  if (ta instanceof Unknown || tb instanceof Unknown) return false;
  if ((ta ?? 'resourceid').toLowerCase() !== (tb ?? 'resourceid').toLowerCase()) return false;
  if (a.nextHop?.kind === 'unknown' || b.nextHop?.kind === 'unknown') return false;
  return refKey(a.nextHop) === refKey(b.nextHop);
}

/** Where one route of a hub route table sends the part of the Internet it covers. */
function routeAdvertises(r: HubRoute, table: HubRouteTable, hubName: string, prefix: string, split: boolean): Advertised {
  const hop = r.nextHopType;
  if (hop instanceof Unknown) return undecided(`the next hop type of route '${r.name}' of hub route table '${table.name}': ${hop.origin}`, r.at);
  if (hop !== undefined && hop.toLowerCase() !== 'resourceid') return undecided(`route '${r.name}' of hub route table '${table.name}' sends ${prefix} to next hop type '${hop}'`, r.at);
  return { kind: 'appliance', via: `route '${r.name}' of hub route table '${table.name}'`, nextHop: r.nextHop, maybe: table.maybe ? mayNotBeDeployed('hub route table', table) : undefined, at: r.at, split };
}

/**
 * The route of a hub route table that carries the VNet's Internet traffic, or what the files cannot decide about it.
 * 0.0.0.0/1 and 128.0.0.0/1 are more specific than 0.0.0.0/0 and win over it by longest prefix match
 * (https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing), as for a subnet's route table
 * (route-table.ts): both halves to the same next hop act as a default route, to different next hops or one half alone
 * the egress depends on the destination.
 */
function tableDefault(table: HubRouteTable, hubName: string): Advertised | undefined {
  if (table.unknownRoutes) return undecided(`the routes of hub route table '${table.name}' of virtual hub '${hubName}': ${table.unknownRoutes.origin}`, table.at);
  let all: HubRoute | undefined;
  let low: HubRoute | undefined;
  let high: HubRoute | undefined;
  for (const r of table.routes) {
    const type = r.destinationType;
    if (type instanceof Unknown) return undecided(`the destination type of route '${r.name}' of hub route table '${table.name}': ${type.origin}`, r.at);
    if (type !== undefined && type.toLowerCase() !== 'cidr') continue;
    if (r.unknownDestinations) return undecided(`the destinations of route '${r.name}' of hub route table '${table.name}': ${r.unknownDestinations.origin}`, r.at);
    for (const d of r.destinations) {
      if (d instanceof Unknown) return undecided(`a destination of route '${r.name}' of hub route table '${table.name}': ${d.origin}`, r.at);
      const c = coverage(d);
      if (c === 'all') all ??= r;
      else if (c === 'low') low ??= r;
      else if (c === 'high') high ??= r;
    }
  }
  if (low && high) {
    if (sameHubHop(low, high)) return routeAdvertises(low, table, hubName, '0.0.0.0/1 and 128.0.0.0/1', true);
    const reason = `routes '${low.name}' (0.0.0.0/1) and '${high.name}' (128.0.0.0/1) of hub route table '${table.name}' of virtual hub '${hubName}' send the two halves of the Internet to different next hops: the egress depends on the destination`;
    return { kind: 'undecided', reason, at: low.at, otherwise: false, split: true };
  }
  const half = low ?? high;
  if (half) {
    const prefix = half === low ? '0.0.0.0/1' : '128.0.0.0/1';
    const reason = `route '${half.name}' of hub route table '${table.name}' of virtual hub '${hubName}' sends half of the Internet (${prefix}) to ${half.nextHop ? `'${refName(half.nextHop)}'` : 'its next hop'}: the egress depends on the destination`;
    return { kind: 'undecided', reason, at: half.at, otherwise: false, split: true };
  }
  return all ? routeAdvertises(all, table, hubName, '0.0.0.0/0', false) : undefined;
}

/** Forced tunnel mode: a private routing policy plus 0.0.0.0/0 in the defaultRouteTable (https://learn.microsoft.com/azure/virtual-wan/about-internet-routing). */
function forcedTunnel(g: NetworkGraph, intent: RoutingIntent, hubName: string): Advertised | undefined {
  const privatePolicy = intent.policies.find((p) => p.destinations.some((d) => typeof d === 'string' && d.toLowerCase() === 'privatetraffic'));
  if (!privatePolicy) return undefined;
  const table = g.routing.hubRouteTables.get(`${intent.hubKey}/hubroutetables/defaultroutetable`);
  if (!table) return undefined;
  if (table.existing) return undecided(`hub route table 'defaultRouteTable' of virtual hub '${hubName}' is an existing resource outside the analysed files: with 0.0.0.0/0 there, routing intent '${intent.name}' puts the hub in forced tunnel mode`, table.at);
  const d = tableDefault(table, hubName);
  if (!d) return undefined;
  if (d.kind === 'undecided') return d;
  return undecided(
    `virtual hub '${hubName}' is in forced tunnel mode (private routing policy '${privatePolicy.name}' of routing intent '${intent.name}' and 0.0.0.0/0 in its defaultRouteTable): its security appliance sends Internet traffic to a default route learned from on-premises or an appliance, and leaves through the firewall's own public IPs only when none is learned`,
    d.at,
    false,
  );
}

/** What hub `hubKey` advertises as 0.0.0.0/0 to connection `c`, or undefined when it advertises no default route. */
function hubAdvertises(g: NetworkGraph, c: HubConnection): Advertised | undefined {
  const hubKey = c.hubKey;
  const node = g.nodes.get(hubKey);
  const hub = node?.kind === 'virtualHub' ? node : undefined;
  const hubName = hub?.name ?? lastSegment(hubKey);
  const intent = g.routing.routingIntents.get(hubKey);
  if (intent && !intent.existing) {
    if (intent.unknownPolicies) return undecided(`the routing policies of routing intent '${intent.name}' of virtual hub '${hubName}': ${intent.unknownPolicies.origin}`, intent.at);
    for (const p of intent.policies) {
      if (p.unknownDestinations) return undecided(`the destinations of routing policy '${p.name}' of virtual hub '${hubName}': ${p.unknownDestinations.origin}`, p.at);
      for (const d of p.destinations) {
        if (d instanceof Unknown) return undecided(`a destination of routing policy '${p.name}' of virtual hub '${hubName}': ${d.origin}`, p.at);
        // An Internet routing policy: the hub advertises 0.0.0.0/0 to every connection that propagates it.
        if (d.toLowerCase() === 'internet')
          return { kind: 'appliance', via: `routing intent '${intent.name}' (policy '${p.name}')`, nextHop: p.nextHop, maybe: intent.maybe ? mayNotBeDeployed('routing intent', intent) : undefined, at: p.at };
      }
    }
    // Routing intent manages every connection's association and propagation: without an Internet policy (and outside
    // forced tunnel mode) no default route reaches the VNets (https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies#rollback).
    return forcedTunnel(g, intent, hubName);
  }
  if (intent?.existing) return undecided(`routing intent '${intent.name}' of virtual hub '${hubName}' is an existing resource outside the analysed files: an Internet routing policy there sends this VNet's Internet traffic to the hub's security appliance`, intent.at);
  if (!hub || hub.existing)
    return undecided(`virtual hub '${hubName}' ${hub ? 'is an existing resource outside the analysed files' : 'is not in the analysed files'}: its routing intent or a 0.0.0.0/0 route may send this VNet's Internet traffic to a firewall or appliance in the hub`, c.at);
  // Without routing intent the VNet learns the routes of the route table its connection is associated with.
  const tref = c.associatedRouteTable;
  if (tref?.kind === 'unknown') return undecided(`the route table connection '${c.name}' is associated with: ${tref.value.origin}`, c.at);
  const tableKey = tref ? (tref.kind === 'found' ? tref.key : tref.id) : `${hubKey}/hubroutetables/defaultroutetable`;
  const tableName = lastSegment(tableKey);
  if (tableName === 'noneroutetable') return undefined;
  const table = g.routing.hubRouteTables.get(tableKey);
  if (table && !table.existing) {
    const d = tableDefault(table, hubName);
    if (d) return d;
  } else if (table || tableName !== 'defaultroutetable') {
    return undecided(`hub route table '${table?.name ?? tableName}' of virtual hub '${hubName}', which connection '${c.name}' is associated with, ${table ? 'is an existing resource outside the analysed files' : 'is not in the analysed files'}: a 0.0.0.0/0 route there sends this VNet's Internet traffic to it`, c.at);
  }
  // The route tables older API versions write inline route to an IP address (an appliance in a spoke); which
  // connections they reach is not documented for 0.0.0.0/0: the files do not decide.
  for (const r of g.routing.hubAddressRoutes.get(hubKey) ?? []) {
    const hop = typeof r.nextHopIp === 'string' ? `the appliance at ${r.nextHopIp}` : 'an appliance at an address known only at deployment';
    const reason = `route '${r.name}' of virtual hub '${hubName}' (a hub route table of an older API version) sends ${r.prefix ?? '0.0.0.0/0'} to ${hop}, and may be what connection '${c.name}' learns`;
    // A half of the Internet is not the default route that enableInternetSecurity filters.
    return { kind: 'undecided', reason, at: r.at, otherwise: true, split: r.prefix !== undefined && r.prefix !== '0.0.0.0/0' };
  }
  for (const s of g.routing.hubSources.get(hubKey) ?? [])
    return undecided(`virtual hub '${hubName}' may learn a default route through its ${s.what} and propagate it to connection '${c.name}': routes learned from on-premises or an appliance may send Internet traffic there`, s.at);
  const appliances = g.routing.hubAppliances(g, hubKey);
  if (!table && appliances.length > 0)
    return undecided(`virtual hub '${hubName}' holds ${appliances[0]}, but neither a routing intent nor a route to it is in the analysed files: one added elsewhere (Firewall Manager adds them) sends this VNet's Internet traffic there`, hub.at);
  return undefined;
}

function connectionDefault(g: NetworkGraph, c: HubConnection, anywhere: Unknown | undefined): HubDefault | undefined {
  const adv = hubAdvertises(g, c);
  if (!adv) return undefined;
  // enableInternetSecurity ("Propagate default route") is about 0.0.0.0/0 only
  // (https://learn.microsoft.com/azure/virtual-wan/virtual-wan-expressroute-portal#to-advertise-default-route-00000-to-endpoints):
  // with it false the hub does not give this connection its default route, but 0.0.0.0/1 and 128.0.0.0/1 are
  // ordinary routes of the table the connection is associated with, whose destinations its traffic is sent to
  // (https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing#association).
  const split = adv.split === true;
  if (c.internetSecurity === false && !split) return undefined;
  const hubName = g.nodes.get(c.hubKey)?.name ?? lastSegment(c.hubKey);
  const what = adv.kind === 'appliance' ? `${adv.via} of virtual hub '${hubName}' sends ${split ? '0.0.0.0/1 and 128.0.0.0/1' : '0.0.0.0/0'} to ${describeNextHop(g, adv.nextHop)}` : adv.reason;
  if (anywhere) return { kind: 'undecided', reason: `connection '${c.name}' to virtual hub '${hubName}' joins a VNet known only at deployment (${anywhere.origin}) and may be this one: ${what}`, at: c.at, otherwise: true };
  if (split) return adv.kind === 'undecided' ? adv : appliance(hubName, c, adv, true);
  const flag = c.internetSecurity;
  if (flag instanceof Unknown) return { kind: 'undecided', reason: `whether connection '${c.name}' gives this VNet the default route of virtual hub '${hubName}' (enableInternetSecurity: ${flag.origin}): ${what}`, at: c.at, otherwise: false };
  if (flag === undefined)
    return { kind: 'undecided', reason: `connection '${c.name}' to virtual hub '${hubName}' does not set enableInternetSecurity, which decides whether the hub's default route reaches this VNet, and Azure documents no default for it: ${what}`, at: c.at, otherwise: false };
  if (adv.kind === 'undecided') return adv;
  return appliance(hubName, c, adv, false);
}

function appliance(hubName: string, c: HubConnection, adv: Advertised & { kind: 'appliance' }, split: boolean): HubDefault {
  const maybe = adv.maybe ?? (c.maybe ? mayNotBeDeployed('virtual hub connection', c) : undefined);
  return { kind: 'appliance', hub: { hubName, connection: c.name, via: adv.via, nextHop: adv.nextHop, maybe, split, at: adv.at } };
}

/** What the virtual hub VNet `vnetKey` is connected to gives it for 0.0.0.0/0; undefined when nothing. */
export function hubDefault(g: NetworkGraph, vnetKey: string, v6: boolean): HubDefault | undefined {
  // Routing intent and hub routes advertise 0.0.0.0/0: IPv4 only.
  if (v6) return undefined;
  const { here, anywhere } = g.routing.connectionsOf(g, vnetKey);
  for (const c of here) {
    const d = connectionDefault(g, c, undefined);
    if (d) return d;
  }
  for (const c of anywhere) {
    const d = connectionDefault(g, c, c.remoteVnet?.kind === 'unknown' ? c.remoteVnet.value : undefined);
    if (d) return d;
  }
  return undefined;
}

/** The method of a next hop that is not in the files, by its type. */
function methodOf(id: string): Method {
  return id.toLowerCase().includes(`/${GRAPH_TYPES.firewall.split('/')[1]}/`) ? 'firewall' : 'appliance';
}

/** The outcome of a path whose Internet traffic the hub sends to its appliance. */
export function hubOutcome(g: NetworkGraph, appliances: Appliances, h: HubAppliance, hasPublicIp: boolean, because: string[], notes: PathNote[]): Outcome {
  const hop = describeNextHop(g, h.nextHop);
  const source = `${h.via} of virtual hub '${h.hubName}'`;
  const prefix = h.split ? '0.0.0.0/1 and 128.0.0.0/1' : '0.0.0.0/0';
  const gives = h.split ? `connection '${h.connection}' is associated with that table: they are more specific than the system route` : `connection '${h.connection}' gives it to this VNet (enableInternetSecurity): it replaces the system route`;
  because.push(`${source} sends ${prefix} to ${hop}, and ${gives}, so neither a NAT gateway of the subnet nor a public IP of the NIC carries Internet traffic`);
  if (hasPublicIp) notes.push({ kind: 'route-overrides-public-ip', message: `${source} (${prefix} → ${hop})`, at: h.at, learned: { source, prefix, nextHop: hop } });
  let out: Outcome;
  if (!h.nextHop) out = unknownOutcome(because, `${source} names no next hop`, h.at);
  else {
    const ref = g.check(h.nextHop)!;
    const fw = g.get(ref, 'firewall');
    const nva = g.get(ref, 'nva');
    if (fw) out = appliances.firewall(fw, because);
    // Azure allocates an appliance's public IPs from its own pool, one per instance and public IP configuration; the
    // appliance's software decides the SNAT (https://learn.microsoft.com/azure/virtual-wan/how-to-network-virtual-appliance-add-ip-configurations).
    else if (nva) out = unknownOutcome(because, `network virtual appliance '${nva.name}' in virtual hub '${h.hubName}' sends Internet traffic from public IPs Azure assigns to its instances at deployment, as its software translates it`, nva.at, 'appliance');
    else if (ref.kind === 'unknown') out = unknownOutcome(because, `the next hop of ${source}: ${ref.value.origin}`, h.at);
    else if (g.routing.hubConnections.has(ref.kind === 'found' ? ref.key : ref.id))
      // A route to a VNet connection sends traffic to an appliance in that spoke, by the connection's static routes.
      out = unknownOutcome(because, `${source} sends ${prefix} to connection ${hop}, to an appliance in that spoke VNet, whose egress the files do not decide`, h.at, 'appliance');
    else if (ref.kind === 'missing') out = unknownOutcome(because, `${hop}, the next hop of ${source}, is not in the analysed files`, h.at, methodOf(ref.id));
    else out = unknownOutcome(because, `${source} sends ${prefix} to ${hop}, whose egress the files do not decide`, h.at, 'appliance');
  }
  if (h.maybe !== undefined && outcomeVerdict(out) !== 'unknown') out = unknownOutcome(because, h.maybe, h.at, out.method, out.egress);
  return Object.assign({}, out, { decidedAt: h.at });
}

// ----- a firewall in a hub -----

/** Whether the firewall's hub is in forced tunnel mode, or the files cannot tell. */
function hubTunnel(g: NetworkGraph, fw: Firewall): string | undefined {
  const ref = fw.virtualHub;
  if (!ref) return undefined;
  if (ref.kind === 'unknown') return `the virtual hub of firewall '${fw.name}' (${ref.value.origin}): in forced tunnel mode it sends the firewall's Internet traffic on-premises`;
  const hubKey = ref.kind === 'found' ? ref.key : ref.id;
  const intent = g.routing.routingIntents.get(hubKey);
  const node = g.nodes.get(hubKey);
  const hubName = node?.name ?? lastSegment(hubKey);
  if (intent?.unknownPolicies && !intent.existing) return `the routing policies of routing intent '${intent.name}' of virtual hub '${hubName}' (${intent.unknownPolicies.origin}): in forced tunnel mode the hub sends the firewall's Internet traffic on-premises`;
  if (intent && !intent.existing) {
    // Direct access (an Internet policy) and forced tunnel mode exclude each other.
    if (intent.policies.some((p) => p.destinations.some((d) => typeof d === 'string' && d.toLowerCase() === 'internet'))) return undefined;
    const t = forcedTunnel(g, intent, hubName);
    return t?.kind === 'undecided' ? t.reason : undefined;
  }
  if (!node || node.existing || intent) return `virtual hub '${hubName}' of firewall '${fw.name}' is outside the analysed files: its routing intent may put it in forced tunnel mode, which sends the firewall's Internet traffic on-premises`;
  return undefined;
}

/**
 * The egress of a firewall in a Virtual WAN hub (AZFW_Hub): `hubIPAddresses.publicIPs.count` public IPs that Azure
 * assigns (https://learn.microsoft.com/azure/firewall-manager/multiple-public-ip-powershell); the addresses are known
 * when the files list them (`publicIPs.addresses`, the ones to retain, or an inventory's export).
 */
export function hubFirewallEgress(g: NetworkGraph, fw: Firewall, because: string[]): Outcome {
  const tunnel = hubTunnel(g, fw);
  if (tunnel) return unknownOutcome(because, tunnel, fw.at, 'firewall');
  const ips = fw.hubIps;
  if (ips.count instanceof Unknown) return unknownOutcome(because, `the number of public IPs of firewall '${fw.name}' (hubIPAddresses.publicIPs.count): ${ips.count.origin}`, ips.at, 'firewall');
  if (ips.unknownAddresses) return unknownOutcome(because, `the public IPs of firewall '${fw.name}' (hubIPAddresses.publicIPs.addresses): ${ips.unknownAddresses.origin}`, ips.at, 'firewall');
  const count = ips.count ?? ips.addresses.length;
  if (!Number.isInteger(count) || count <= 0) return unknownOutcome(because, `firewall '${fw.name}' in a virtual hub has no public IPs in the analysed files (hubIPAddresses.publicIPs.count)`, fw.at, 'firewall');
  const egress: EgressIp[] = [];
  let named = 0;
  for (let n = 1; n <= count; n++) {
    const a = ips.addresses[n - 1];
    const address = typeof a === 'string' && a.trim() !== '' ? a.trim() : null;
    if (address !== null) named++;
    const entry: EgressIp = {
      key: `${fw.key}/hubipaddresses/publicips/${n}`,
      name: `${fw.name}-public-ip-${n}`,
      type: 'Microsoft.Network/publicIPAddresses',
      id: `${fw.id}/hubIPAddresses/publicIPs/${n}`,
      via: 'firewall',
      address,
      prefix: null,
      static: true,
      changes: false,
      sku: 'Standard',
      unresolved: address === null,
      at: ips.at,
    };
    if (ips.note !== undefined) Object.assign(entry, { addressNote: ips.note });
    egress.push(address === null ? Object.assign(entry, { why: `public IP ${n} of firewall '${fw.name}' is assigned by Azure at deployment` }) : entry);
  }
  const hub = fw.virtualHub ? ` in virtual hub '${nameOf(g, fw.virtualHub)}'` : '';
  if (named < count) {
    const which = named === 0 ? '' : `; the files name ${named} of them`;
    return unknownOutcome(because, `firewall '${fw.name}'${hub} leaves through ${count} public IP${count > 1 ? 's' : ''} that Azure assigns at deployment (hubIPAddresses.publicIPs.count: ${count})${which}`, ips.at, 'firewall', egress);
  }
  because.push(`firewall '${fw.name}'${hub} SNATs outbound traffic to its public IP${count > 1 ? 's, chosen at random per connection' : ''} (hubIPAddresses.publicIPs)`);
  return { method: 'firewall', egress, decidedAt: fw.at };
}
