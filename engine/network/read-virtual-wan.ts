// Readers of Virtual WAN: virtual hubs (with the route tables and VNet connections older API versions write inline),
// hub VNet connections, routing intent, hub route tables, network virtual appliances in a hub, and what lets a hub
// learn a default route from elsewhere (its VPN and ExpressRoute gateways, BGP connections, static routes of a
// connection). Imports template/, expressions/ and resources/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import type { SourceResource } from '../resources/types.js';
import type { Value } from '../expressions/value.js';
import { Unknown } from '../expressions/value.js';
import type { NetworkGraph, NodeBase, Ref } from './graph.js';
import { GRAPH_TYPES } from './reads.js';
import { lastSegment } from './ids.js';
import { boolOrUnknown, list, locationIn, maybeWhy, nodeBase, prop, str, strOrUnknown } from './read-values.js';

export interface VirtualHub extends NodeBase {
  readonly kind: 'virtualHub';
  /** Undefined for an Azure Route Server, which is a virtual hub outside any Virtual WAN. */
  readonly virtualWan: Ref | undefined;
  /** `properties.azureFirewall`: the firewall of a secured hub. */
  readonly firewall: Ref | undefined;
}

export interface HubConnection {
  readonly key: string;
  readonly name: string;
  readonly hubKey: string;
  readonly remoteVnet: Ref | undefined;
  /** `enableInternetSecurity` ("Propagate default route"): undefined when not written. */
  readonly internetSecurity: boolean | Unknown | undefined;
  /** `routingConfiguration.associatedRouteTable`: the hub route table whose routes the VNet learns (defaultRouteTable when unset). */
  readonly associatedRouteTable: Ref | undefined;
  readonly maybe: boolean;
  readonly maybeWhy: string | undefined;
  readonly at: Location;
}

export interface RoutingPolicy {
  readonly name: string;
  /** `Internet`, `PrivateTraffic`, or unknown. */
  readonly destinations: readonly (string | Unknown)[];
  readonly unknownDestinations: Unknown | undefined;
  readonly nextHop: Ref | undefined;
  readonly at: Location;
}

/** The fields a hub's child resource (routing intent, route table) takes from the resource it is read from. */
interface HubChild {
  readonly key: string;
  readonly name: string;
  readonly hubKey: string;
  readonly existing: boolean;
  readonly maybe: boolean;
  readonly maybeWhy: string | undefined;
  readonly at: Location;
}

export interface RoutingIntent extends HubChild {
  readonly policies: readonly RoutingPolicy[];
  readonly unknownPolicies: Unknown | undefined;
}

export interface HubRoute {
  readonly name: string;
  readonly destinationType: string | Unknown | undefined;
  readonly destinations: readonly (string | Unknown)[];
  readonly unknownDestinations: Unknown | undefined;
  readonly nextHopType: string | Unknown | undefined;
  readonly nextHop: Ref | undefined;
  readonly at: Location;
}

export interface HubRouteTable extends HubChild {
  readonly routes: readonly HubRoute[];
  readonly unknownRoutes: Unknown | undefined;
}

/** A 0.0.0.0/0 route of a hub's own route table that sends traffic to an IP address (older API versions). */
export interface HubAddressRoute {
  readonly name: string;
  readonly nextHopIp: string | Unknown | undefined;
  readonly at: Location;
}

export interface NetworkVirtualAppliance extends NodeBase {
  readonly kind: 'nva';
  readonly virtualHub: Ref | undefined;
}

/** Something through which a hub may learn a default route: a VPN or ExpressRoute gateway, a BGP peer, a static route. */
export interface LearnedSource {
  readonly what: string;
  readonly at: Location;
}

/** The hub key of a Virtual WAN child resource key (`…/virtualhubs/h/<child type>/<name>` → `…/virtualhubs/h`). */
function hubOf(key: string, child: string): string {
  return key.slice(0, key.lastIndexOf(`/${child}/`));
}

function addSource(g: NetworkGraph, hub: Ref | undefined, source: LearnedSource): void {
  if (!hub || hub.kind === 'unknown') return;
  const key = hub.kind === 'found' ? hub.key : hub.id;
  const list = g.routing.hubSources.get(key);
  if (list) list.push(source);
  else g.routing.hubSources.set(key, [source]);
}

function readConnection(g: NetworkGraph, hubKey: string, name: string, v: Value | undefined, at: Location, r: SourceResource): HubConnection {
  const p = prop(v, 'properties');
  const routing = prop(p, 'routingConfiguration');
  const key = `${hubKey}/hubvirtualnetworkconnections/${name.toLowerCase()}`;
  // A static 0.0.0.0/0 route on a connection (to an NVA in that spoke) is a default route the hub can learn.
  const statics = list(prop(routing, 'vnetRoutes', 'staticRoutes'));
  for (let i = 0; i < statics.length; i++) {
    const prefixes = readStrings(prop(statics[i], 'addressPrefixes'));
    if (prefixes.unknown || prefixes.values.some((x) => x instanceof Unknown || x.trim() === '0.0.0.0/0'))
      addSource(g, { kind: 'found', key: hubKey }, { what: `static route '${str(prop(statics[i], 'name'), '')}' of connection '${name}' (0.0.0.0/0 to an appliance in that spoke)`, at });
  }
  return {
    key,
    name,
    hubKey,
    remoteVnet: g.ref(prop(p, 'remoteVirtualNetwork')),
    internetSecurity: boolOrUnknown(prop(p, 'enableInternetSecurity')),
    associatedRouteTable: g.ref(prop(routing, 'associatedRouteTable')),
    maybe: r.condition instanceof Unknown,
    maybeWhy: maybeWhy(r.condition),
    at,
  };
}

function readStrings(v: Value | undefined): { values: (string | Unknown)[]; unknown: Unknown | undefined } {
  if (v instanceof Unknown) return { values: [], unknown: v };
  const values: (string | Unknown)[] = [];
  for (const x of list(v)) {
    const s = strOrUnknown(x);
    if (s !== undefined) values.push(s);
  }
  return { values, unknown: undefined };
}

function hubChild(r: SourceResource, key: string, segment: string): HubChild {
  return { key, name: lastSegment(r.name), hubKey: hubOf(key, segment), existing: r.existing, maybe: r.condition instanceof Unknown, maybeWhy: maybeWhy(r.condition), at: r.at };
}

function readIntent(g: NetworkGraph, r: SourceResource, key: string): RoutingIntent {
  const written = prop(r.body, 'properties', 'routingPolicies');
  const policies: RoutingPolicy[] = [];
  const entries = list(written);
  for (let i = 0; i < entries.length; i++) {
    const d = readStrings(prop(entries[i], 'destinations'));
    policies.push({ name: str(prop(entries[i], 'name'), ''), destinations: d.values, unknownDestinations: d.unknown, nextHop: g.ref(prop(entries[i], 'nextHop')), at: locationIn(r, 'properties', 'routingPolicies', i) });
  }
  return { policies, unknownPolicies: written instanceof Unknown ? written : undefined, ...hubChild(r, key, 'routingintent') };
}

function readHubRouteTable(g: NetworkGraph, r: SourceResource, key: string): HubRouteTable {
  const written = prop(r.body, 'properties', 'routes');
  const routes: HubRoute[] = [];
  const entries = list(written);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const d = readStrings(prop(e, 'destinations'));
    routes.push({
      name: str(prop(e, 'name'), ''),
      destinationType: strOrUnknown(prop(e, 'destinationType')),
      destinations: d.values,
      unknownDestinations: d.unknown,
      nextHopType: strOrUnknown(prop(e, 'nextHopType')),
      nextHop: g.ref(prop(e, 'nextHop')),
      at: locationIn(r, 'properties', 'routes', i),
    });
  }
  return { routes, unknownRoutes: written instanceof Unknown ? written : undefined, ...hubChild(r, key, 'hubroutetables') };
}

function addAddressRoute(g: NetworkGraph, hubKey: string, route: HubAddressRoute): void {
  const list = g.routing.hubAddressRoutes.get(hubKey);
  if (list) list.push(route);
  else g.routing.hubAddressRoutes.set(hubKey, [route]);
}

/**
 * The 0.0.0.0/0 routes of a hub's own route tables written as IP next hops: `routeTable.routes[]{addressPrefixes,
 * nextHopIpAddress}` of older API versions, and the `routes[]{destinations, nextHops}` of a route table v2 (inline in
 * `virtualHubRouteTableV2s` or a `virtualHubs/routeTables` child).
 */
function readAddressRoutes(g: NetworkGraph, hubKey: string, r: SourceResource, routes: Value | undefined, base: (string | number)[], v2: boolean): void {
  const entries = list(routes);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const p = prop(e, 'properties') ?? e;
    const prefixes = readStrings(prop(p, v2 ? 'destinations' : 'addressPrefixes'));
    const at = locationIn(r, ...base, i);
    if (routes instanceof Unknown || prefixes.unknown || prefixes.values.some((x) => x instanceof Unknown || x.trim() === '0.0.0.0/0')) {
      const hop = v2 ? list(prop(p, 'nextHops'))[0] : prop(p, 'nextHopIpAddress');
      addAddressRoute(g, hubKey, { name: str(prop(e, 'name'), `route ${i + 1}`), nextHopIp: strOrUnknown(hop), at });
    }
  }
  if (routes instanceof Unknown) addAddressRoute(g, hubKey, { name: 'routes', nextHopIp: routes, at: locationIn(r, ...base) });
}

function readHub(g: NetworkGraph, r: SourceResource, key: string): VirtualHub {
  const p = prop(r.body, 'properties');
  const hub: VirtualHub = { kind: 'virtualHub', virtualWan: g.ref(prop(p, 'virtualWan')), firewall: g.ref(prop(p, 'azureFirewall')), ...nodeBase(r) };
  if (r.existing) return hub;
  for (const [member, what] of [
    ['vpnGateway', 'VPN gateway'],
    ['expressRouteGateway', 'ExpressRoute gateway'],
  ] as const) {
    const ref = g.ref(prop(p, member));
    if (ref && ref.kind !== 'unknown') addSource(g, { kind: 'found', key }, { what: `${what} '${lastSegment(ref.kind === 'found' ? ref.key : ref.id)}'`, at: locationIn(r, 'properties', member) });
  }
  readAddressRoutes(g, key, r, prop(p, 'routeTable', 'routes'), ['properties', 'routeTable', 'routes'], false);
  const v2 = list(prop(p, 'virtualHubRouteTableV2s'));
  for (let i = 0; i < v2.length; i++) readAddressRoutes(g, key, r, prop(v2[i], 'properties', 'routes'), ['properties', 'virtualHubRouteTableV2s', i, 'properties', 'routes'], true);
  // Older API versions declare the VNet connections inline; a child resource of the same name replaces one.
  const inline = list(prop(p, 'virtualNetworkConnections'));
  for (let i = 0; i < inline.length; i++) {
    const name = str(prop(inline[i], 'name'), '');
    const c = readConnection(g, key, name, inline[i], locationIn(r, 'properties', 'virtualNetworkConnections', i), r);
    if (!g.routing.hubConnections.has(c.key)) g.routing.hubConnections.set(c.key, c);
  }
  return hub;
}

/** Reads `r` when it is one of the Virtual WAN family's types; false when it is not. */
export function readVirtualWan(g: NetworkGraph, r: SourceResource, type: string, key: string): boolean {
  switch (type) {
    case GRAPH_TYPES.virtualHub:
      g.nodes.set(key, readHub(g, r, key));
      return true;
    case GRAPH_TYPES.hubConnection:
      // The properties of an `existing` connection (which VNet it joins) are outside the files.
      if (!r.existing) g.routing.hubConnections.set(key, readConnection(g, hubOf(key, 'hubvirtualnetworkconnections'), lastSegment(r.name), r.body, r.at, r));
      return true;
    case GRAPH_TYPES.routingIntent: {
      const intent = readIntent(g, r, key);
      const known = g.routing.routingIntents.get(intent.hubKey);
      if (!known || (known.existing && !intent.existing)) g.routing.routingIntents.set(intent.hubKey, intent);
      return true;
    }
    case GRAPH_TYPES.hubRouteTable: {
      const table = readHubRouteTable(g, r, key);
      const known = g.routing.hubRouteTables.get(key);
      if (!known || (known.existing && !table.existing)) g.routing.hubRouteTables.set(key, table);
      return true;
    }
    case GRAPH_TYPES.hubRouteTableV2:
      if (!r.existing) readAddressRoutes(g, hubOf(key, 'routetables'), r, prop(r.body, 'properties', 'routes'), ['properties', 'routes'], true);
      return true;
    case GRAPH_TYPES.nva: {
      const hub = g.ref(prop(r.body, 'properties', 'virtualHub'));
      g.nodes.set(key, { kind: 'nva', virtualHub: hub, ...nodeBase(r) });
      // An SD-WAN appliance in a hub peers with the hub router over BGP and may advertise a default route.
      if (!r.existing) addSource(g, hub, { what: `network virtual appliance '${r.name}'`, at: r.at });
      return true;
    }
    case GRAPH_TYPES.vpnGateway:
    case GRAPH_TYPES.expressRouteGateway:
      if (!r.existing)
        addSource(g, g.ref(prop(r.body, 'properties', 'virtualHub')), { what: `${type === GRAPH_TYPES.vpnGateway ? 'VPN gateway' : 'ExpressRoute gateway'} '${r.name}'`, at: r.at });
      return true;
    case GRAPH_TYPES.hubBgpConnection:
      if (!r.existing) addSource(g, { kind: 'found', key: hubOf(key, 'bgpconnections') }, { what: `BGP connection '${lastSegment(r.name)}'`, at: r.at });
      return true;
    default:
      return false;
  }
}

