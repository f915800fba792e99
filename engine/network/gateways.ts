// Step 1 of egress-model.md, routes a subnet learns from a virtual network gateway: the gateway of its own VNet, or of
// a peered VNet it uses through `useRemoteGateways`, adds a route to every subnet for each prefix it learns from
// on-premises over BGP (ExpressRoute always, VPN with BGP) or reads in a local network gateway, and a VPN gateway
// with a default site forces the Internet traffic of subnets without their own 0.0.0.0/0 route there
// (https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#border-gateway-protocol,
// https://learn.microsoft.com/azure/vpn-gateway/about-site-to-site-tunneling). What the files cannot decide (what
// on-premises advertises) is said as such. Imports template/ and expressions/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import { Unknown } from '../expressions/value.js';
import type { NetworkGraph } from './graph.js';
import type { VnetGateway } from './read-gateways.js';
import { lastSegment } from './ids.js';
import { mayNotBeDeployed } from './results.js';

/** What the gateways a VNet uses do to its Internet-bound traffic when its subnet's route table leaves it to the system route. */
export interface GatewayDefault {
  /** true: Internet traffic goes on-premises (a default site, a local network gateway listing 0.0.0.0/0); false: it may. */
  readonly certain: boolean;
  /** Why, naming the gateway, for the path's reasons. */
  readonly reason: string;
  /** What sends the traffic, for messages ("gateway 'vpngw'"). */
  readonly source: string;
  readonly at: Location;
}

/** Prefixes that cover the Internet, or one half of it (a half sends that half on-premises). */
export function covers(prefix: string, v6: boolean): boolean {
  const p = prefix.trim();
  return v6 ? p === '::/0' || p === '::/1' || p === '8000::/1' : p === '0.0.0.0/0' || p === '0.0.0.0/1' || p === '128.0.0.0/1';
}

function may(source: string, reason: string, at: Location): GatewayDefault {
  return { certain: false, reason, source, at };
}

/** The first certain answer wins over uncertain ones; among equals, the first found. */
function better(a: GatewayDefault | undefined, b: GatewayDefault | undefined): GatewayDefault | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.certain && !a.certain ? b : a;
}

/** Whether VNet `key` is declared (deployed) in the files or read from an inventory file. */
function vnetInFiles(g: NetworkGraph, key: string): boolean {
  return g.declaredResource(key, true) !== undefined || g.inventoryKeys.has(key);
}

/** What one gateway does; `via` names the peering a VNet uses it through. */
function classify(g: NetworkGraph, gw: VnetGateway, v6: boolean, via: string | undefined): GatewayDefault | undefined {
  const source = `gateway '${gw.name}'`;
  const where = via === undefined ? '' : ` (used through ${via})`;
  const onPrem = `routes learned from on-premises through ${source}${where} may send Internet traffic there`;
  if (gw.existing) return may(source, `${source}${where} is an existing resource outside the analysed files: ${onPrem}`, gw.at);
  const type = gw.gatewayType;
  if (type instanceof Unknown) return may(source, `the type of ${source}: ${type.origin}; ${onPrem}`, gw.at);
  if (type === undefined) return may(source, `${source} sets no gatewayType; ${onPrem}`, gw.at);
  const t = type.toLowerCase();
  // ExpressRoute exchanges routes with on-premises over BGP, always.
  if (t === 'expressroute') return may(source, `${onPrem} (ExpressRoute learns routes over BGP)`, gw.at);
  if (t !== 'vpn') return may(source, `${source} has gatewayType '${type}'; ${onPrem}`, gw.at);
  let found: GatewayDefault | undefined;
  if (gw.defaultSite && !v6) {
    const site = gw.defaultSite.kind === 'unknown' ? `a site known only at deployment (${gw.defaultSite.value.origin})` : `'${lastSegment(gw.defaultSite.kind === 'found' ? gw.defaultSite.key : gw.defaultSite.id)}'`;
    found = { certain: true, reason: `${source}${where} sends the Internet traffic of subnets without their own 0.0.0.0/0 route to its default site ${site} (forced tunnelling): the egress is decided on-premises`, source, at: gw.at };
  }
  if (gw.enableBgp === true) found = better(found, may(source, `routes learned from on-premises over BGP through VPN ${source}${where} may send Internet traffic there`, gw.at));
  else if (gw.enableBgp instanceof Unknown) found = better(found, may(source, `whether VPN ${source}${where} learns routes over BGP (enableBgp: ${gw.enableBgp.origin}); ${onPrem}`, gw.at));
  found = better(found, staticRoutes(g, gw, v6, source, where));
  if (found?.certain && gw.maybe) return may(source, `${mayNotBeDeployed('gateway', gw)}; when it is, ${found.reason}`, gw.at);
  return found;
}

/** The routes a VPN gateway installs for the address prefixes of the local network gateways it connects to. */
function staticRoutes(g: NetworkGraph, gw: VnetGateway, v6: boolean, source: string, where: string): GatewayDefault | undefined {
  let found: GatewayDefault | undefined;
  for (const c of g.routing.connectionsOfGateway(g, gw.key)) {
    const conn = `connection '${c.name}' of ${source}${where}`;
    if (c.existing) return may(source, `${conn} is an existing resource outside the analysed files: the prefixes of its local network gateway may send Internet traffic on-premises`, c.at);
    const type = c.connectionType;
    if (type instanceof Unknown) return may(source, `the type of ${conn}: ${type.origin}; the prefixes of a local network gateway may send Internet traffic on-premises`, c.at);
    // A VNet-to-VNet connection without BGP exchanges only the VNets' own address spaces; ExpressRoute needs an ExpressRoute gateway.
    if (type?.toLowerCase() !== 'ipsec' || !c.localGateway) continue;
    const lref = g.check(c.localGateway)!;
    if (lref.kind === 'unknown') return may(source, `the local network gateway of ${conn}: ${lref.value.origin}; its prefixes may send Internet traffic on-premises`, c.at);
    const lng = g.get(lref, 'localGateway');
    const name = lastSegment(lref.kind === 'found' ? lref.key : lref.id);
    if (!lng || lng.existing)
      return may(source, `local network gateway '${name}' of ${conn} ${lng ? 'is an existing resource' : 'is not in the analysed files'}: the prefixes it lists may send Internet traffic on-premises`, c.at);
    if (lng.unknownPrefixes) return may(source, `the address prefixes of local network gateway '${lng.name}': ${lng.unknownPrefixes.origin}`, lng.at);
    for (const p of lng.prefixes) {
      if (p instanceof Unknown) return may(source, `an address prefix of local network gateway '${lng.name}': ${p.origin}`, lng.at);
      if (covers(p, v6))
        found = better(found, { certain: true, reason: `local network gateway '${lng.name}' of ${conn} lists ${p.trim()}: ${source} sends that Internet traffic on-premises`, source, at: lng.at });
    }
  }
  return found;
}

/**
 * What the gateways VNet `vnetKey` uses do to its Internet-bound traffic: its own gateways and Route Servers, and
 * those of a peered VNet it uses through `useRemoteGateways`. Undefined when none can change it.
 */
export function gatewayDefault(g: NetworkGraph, vnetKey: string, v6: boolean): GatewayDefault | undefined {
  let found: GatewayDefault | undefined;
  const own = g.routing.gatewaysIn(g, vnetKey);
  for (const gw of own.here) found = better(found, classify(g, gw, v6, undefined));
  for (const gw of own.anywhere) {
    const d = classify(g, gw, v6, undefined);
    if (d) found = better(found, may(d.source, `gateway '${gw.name}' sits in a subnet known only at deployment (${gw.unknownSubnet!.origin}) and may serve this VNet: ${d.reason}`, gw.at));
  }
  found = better(found, routeServers(g, vnetKey, undefined));
  if (found?.certain) return found;
  for (const p of g.routing.peeringsOf(g, vnetKey)) {
    const use = p.useRemoteGateways;
    if (use === false || use === undefined) continue;
    const via = `peering '${p.name}'`;
    if (use instanceof Unknown) {
      found = better(found, may(via, `whether ${via} uses the gateways of the remote VNet (useRemoteGateways: ${use.origin}): routes learned from on-premises through them may send Internet traffic there`, p.at));
      continue;
    }
    const remote = p.remote ? g.check(p.remote) : undefined;
    if (!remote) continue;
    if (remote.kind === 'unknown') {
      found = better(found, may(via, `${via} uses the gateways of a VNet known only at deployment (${remote.value.origin}): routes learned from on-premises through them may send Internet traffic there`, p.at));
      continue;
    }
    const rkey = remote.kind === 'found' ? remote.key : remote.id;
    const rname = lastSegment(rkey);
    if (!vnetInFiles(g, rkey)) {
      found = better(found, may(via, `${via} uses the gateways of VNet '${rname}', which is outside the analysed files: routes learned from on-premises through them may send Internet traffic there`, p.at));
      continue;
    }
    const theirs = g.routing.gatewaysIn(g, rkey).here;
    const servers = routeServers(g, rkey, via);
    if (theirs.length === 0 && !servers) {
      found = better(found, may(via, `${via} uses the gateways of VNet '${rname}', and no gateway of that VNet is in the analysed files: routes learned from on-premises through it may send Internet traffic there`, p.at));
      continue;
    }
    let d = servers;
    for (const gw of theirs) d = better(d, classify(g, gw, v6, via));
    if (d?.certain && p.maybe) d = may(d.source, `${mayNotBeDeployed('peering', p)}; when it is, ${d.reason}`, p.at);
    found = better(found, d);
  }
  return found;
}

/**
 * An Azure Route Server in the VNet: appliances peer with it over BGP, and the routes they advertise (a default route
 * among them) reach every subnet, and the spokes that use it through a peering
 * (https://learn.microsoft.com/azure/route-server/route-injection-in-spokes).
 */
function routeServers(g: NetworkGraph, vnetKey: string, via: string | undefined): GatewayDefault | undefined {
  const servers = g.routing.routeServersIn(g, vnetKey);
  const where = via === undefined ? '' : ` (used through ${via})`;
  for (const s of servers.here) {
    const source = `Route Server '${s.name.split('/')[0]}'`;
    return may(source, `routes that appliances advertise over BGP to ${source}${where} may send Internet traffic to them`, s.at);
  }
  if (via === undefined) {
    for (const s of servers.anywhere) {
      const source = `Route Server '${s.name.split('/')[0]}'`;
      return may(source, `${source} sits in a subnet known only at deployment (${s.unknownSubnet!.origin}) and may serve this VNet: routes appliances advertise to it may send Internet traffic to them`, s.at);
    }
  }
  return undefined;
}
