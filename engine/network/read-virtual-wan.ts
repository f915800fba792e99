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
import { pointerJoin } from '../template/template.js';
import { boolOrUnknown, locationIn, maybeWhy, nodeBase, refAt, str, strOrUnknown } from './read-values.js';
import { arrayAt, entries, placeOf, typed, unknownOf } from './read-typed.js';
import { covers } from './gateways.js';

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

/** A 0.0.0.0/0 route (or one for a half of it) of a hub's own route table that sends traffic to an IP address (older API versions). */
export interface HubAddressRoute {
  readonly name: string;
  /** The prefix it routes that covers the Internet (0.0.0.0/0, 0.0.0.0/1, 128.0.0.0/1); undefined when unknown. */
  readonly prefix?: string;
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
  // Every member is type-checked (read-typed.ts): a wrong type is a finding and an Unknown where it decides.
  const p = typed(g, 'object', v, at, 'properties');
  const pAt = placeOf(v, at, 'properties');
  const routing = typed(g, 'object', p, pAt, 'routingConfiguration');
  const routingAt = placeOf(p, pAt, 'routingConfiguration');
  const key = `${hubKey}/hubvirtualnetworkconnections/${name.toLowerCase()}`;
  // A static 0.0.0.0/0 route on a connection (to an NVA in that spoke) is a default route the hub can learn.
  const staticList = arrayAt(g, routing, routingAt, 'vnetRoutes', 'staticRoutes');
  if (staticList instanceof Unknown) addSource(g, { kind: 'found', key: hubKey }, { what: `the static routes of connection '${name}' (${staticList.origin})`, at });
  const statics = entries(staticList);
  const staticsAt = placeOf(routing, routingAt, 'vnetRoutes', 'staticRoutes');
  for (let i = 0; i < statics.length; i++) {
    const sAt = entryAt(staticsAt, i);
    const prefixes = readStrings(g, statics[i], sAt, 'addressPrefixes');
    // 0.0.0.0/1 and 128.0.0.0/1 carry the Internet as 0.0.0.0/0 does, and win over it (gateways.ts `covers`).
    if (prefixes.unknown || prefixes.values.some((x) => x instanceof Unknown || covers(x, false)))
      addSource(g, { kind: 'found', key: hubKey }, { what: `static route '${str(typed(g, 'string', statics[i], sAt, 'name'), '')}' of connection '${name}' (0.0.0.0/0 to an appliance in that spoke)`, at });
  }
  return {
    key,
    name,
    hubKey,
    remoteVnet: refAt(g, p, pAt, 'remoteVirtualNetwork'),
    internetSecurity: boolOrUnknown(typed(g, 'boolean', p, pAt, 'enableInternetSecurity')),
    associatedRouteTable: refAt(g, routing, routingAt, 'associatedRouteTable'),
    maybe: r.condition instanceof Unknown,
    maybeWhy: maybeWhy(r.condition),
    at,
  };
}

/** Entry `i` of the list written at `listAt`. */
function entryAt(listAt: Location, i: number): Location {
  return { file: listAt.file, pointer: pointerJoin(listAt.pointer, i) };
}

/** A list of strings (destinations, address prefixes): an entry of another type is a finding and an unknown entry. */
function readStrings(g: NetworkGraph, base: Value | undefined, at: Location, key: string): { values: (string | Unknown)[]; unknown: Unknown | undefined } {
  const v = arrayAt(g, base, at, key);
  if (v instanceof Unknown) return { values: [], unknown: v };
  const listAt = placeOf(base, at, key);
  const values: (string | Unknown)[] = [];
  for (let i = 0; i < v.length; i++) {
    const s = strOrUnknown(typed(g, 'string', v[i], entryAt(listAt, i)));
    if (s !== undefined) values.push(s);
  }
  return { values, unknown: undefined };
}

/** The prefix of a route's list that covers the Internet, 0.0.0.0/0 first; undefined when an unknown entry may be it. */
function internetPrefix(prefixes: { values: (string | Unknown)[]; unknown: Unknown | undefined }): string | undefined {
  if (prefixes.unknown || prefixes.values.some((x) => x instanceof Unknown)) return undefined;
  let half: string | undefined;
  for (const x of prefixes.values) {
    const p = (x as string).trim();
    if (p === '0.0.0.0/0') return p;
    if (covers(p, false)) half ??= p;
  }
  return half;
}

/** An entry of a list that must be an object: the Unknown that stands for it when it is of another type (reported). */
function notAnObject(g: NetworkGraph, v: Value, at: Location): Unknown | undefined {
  if (v instanceof Unknown) return v;
  const checked = typed(g, 'object', v, at);
  return checked instanceof Unknown ? checked : undefined;
}

function hubChild(r: SourceResource, key: string, segment: string): HubChild {
  return { key, name: lastSegment(r.name), hubKey: hubOf(key, segment), existing: r.existing, maybe: r.condition instanceof Unknown, maybeWhy: maybeWhy(r.condition), at: r.at };
}

function readIntent(g: NetworkGraph, r: SourceResource, key: string): RoutingIntent {
  const written = arrayAt(g, r.body, r.at, 'properties', 'routingPolicies');
  let unknown = unknownOf(written);
  const policies: RoutingPolicy[] = [];
  const list = entries(written);
  for (let i = 0; i < list.length; i++) {
    const at = locationIn(r, 'properties', 'routingPolicies', i);
    const wrong = notAnObject(g, list[i], at);
    if (wrong) unknown ??= wrong;
    if (wrong || list[i] === null) continue;
    const d = readStrings(g, list[i], at, 'destinations');
    // nextHop is a resource id written as a string (Microsoft.Network/virtualHubs/routingIntent schema).
    policies.push({ name: str(typed(g, 'string', list[i], at, 'name'), ''), destinations: d.values, unknownDestinations: d.unknown, nextHop: g.ref(typed(g, 'string', list[i], at, 'nextHop')), at });
  }
  return { policies, unknownPolicies: unknown, ...hubChild(r, key, 'routingintent') };
}

function readHubRouteTable(g: NetworkGraph, r: SourceResource, key: string): HubRouteTable {
  const written = arrayAt(g, r.body, r.at, 'properties', 'routes');
  let unknown = unknownOf(written);
  const routes: HubRoute[] = [];
  const list = entries(written);
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    const at = locationIn(r, 'properties', 'routes', i);
    const wrong = notAnObject(g, e, at);
    if (wrong) unknown ??= wrong;
    if (wrong || e === null) continue;
    const d = readStrings(g, e, at, 'destinations');
    routes.push({
      name: str(typed(g, 'string', e, at, 'name'), ''),
      destinationType: strOrUnknown(typed(g, 'string', e, at, 'destinationType')),
      destinations: d.values,
      unknownDestinations: d.unknown,
      nextHopType: strOrUnknown(typed(g, 'string', e, at, 'nextHopType')),
      // A resource id written as a string (Microsoft.Network/virtualHubs/hubRouteTables schema).
      nextHop: g.ref(typed(g, 'string', e, at, 'nextHop')),
      at,
    });
  }
  return { routes, unknownRoutes: unknown, ...hubChild(r, key, 'hubroutetables') };
}

function addAddressRoute(g: NetworkGraph, hubKey: string, route: HubAddressRoute): void {
  const list = g.routing.hubAddressRoutes.get(hubKey);
  if (list) list.push(route);
  else g.routing.hubAddressRoutes.set(hubKey, [route]);
}

/**
 * The 0.0.0.0/0 routes of a hub's own route tables written as IP next hops: `routeTable.routes[]{addressPrefixes,
 * nextHopIpAddress}` of older API versions, and the `routes[]{destinations, nextHops}` of a route table v2 (inline in
 * `virtualHubRouteTableV2s` or a `virtualHubs/routeTables` child). `table` holds `routes`, written at `tableAt`.
 */
function readAddressRoutes(g: NetworkGraph, hubKey: string, table: Value | undefined, tableAt: Location, v2: boolean): void {
  const routes = arrayAt(g, table, tableAt, 'routes');
  const listAt = placeOf(table, tableAt, 'routes');
  const list = entries(routes);
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    const at = entryAt(listAt, i);
    const wrong = notAnObject(g, e, at);
    if (wrong) {
      addAddressRoute(g, hubKey, { name: `route ${i + 1}`, nextHopIp: wrong, at });
      continue;
    }
    const written = typed(g, 'object', e, at, 'properties');
    const p = written ?? e;
    const pAt = written === undefined ? at : placeOf(e, at, 'properties');
    const prefixes = readStrings(g, p, pAt, v2 ? 'destinations' : 'addressPrefixes');
    if (prefixes.unknown || prefixes.values.some((x) => x instanceof Unknown || covers(x, false))) {
      const hops = v2 ? arrayAt(g, p, pAt, 'nextHops') : undefined;
      const hop = v2 ? (hops instanceof Unknown ? hops : typed(g, 'string', entries(hops!)[0], entryAt(placeOf(p, pAt, 'nextHops'), 0))) : typed(g, 'string', p, pAt, 'nextHopIpAddress');
      addAddressRoute(g, hubKey, { name: str(typed(g, 'string', e, at, 'name'), `route ${i + 1}`), prefix: internetPrefix(prefixes), nextHopIp: strOrUnknown(hop), at });
    }
  }
  if (routes instanceof Unknown) addAddressRoute(g, hubKey, { name: 'routes', nextHopIp: routes, at: listAt });
}

/** A `virtualHubs/routeTables` child resource: its routes, as readAddressRoutes reads a table v2. */
function readHubRouteTableV2(g: NetworkGraph, hubKey: string, r: SourceResource): void {
  const p = typed(g, 'object', r.body, r.at, 'properties');
  const pAt = locationIn(r, 'properties');
  if (p instanceof Unknown) addAddressRoute(g, hubKey, { name: r.name, nextHopIp: p, at: pAt });
  else readAddressRoutes(g, hubKey, p, pAt, true);
}

function readHub(g: NetworkGraph, r: SourceResource, key: string): VirtualHub {
  const p = typed(g, 'object', r.body, r.at, 'properties');
  const pAt = locationIn(r, 'properties');
  // A hub's SKU is a string (`Basic`, `Standard`), not the resource-level SKU object.
  typed(g, 'string', p, pAt, 'sku');
  const hub: VirtualHub = { kind: 'virtualHub', virtualWan: refAt(g, p, pAt, 'virtualWan'), firewall: refAt(g, p, pAt, 'azureFirewall'), ...nodeBase(r) };
  if (r.existing) return hub;
  for (const [member, what] of [
    ['vpnGateway', 'VPN gateway'],
    ['expressRouteGateway', 'ExpressRoute gateway'],
  ] as const) {
    const ref = refAt(g, p, pAt, member);
    // A gateway reference of the wrong type may name a gateway: a source all the same.
    if (ref) addSource(g, { kind: 'found', key }, { what: ref.kind === 'unknown' ? `the ${what} of the hub (${ref.value.origin})` : `${what} '${lastSegment(ref.kind === 'found' ? ref.key : ref.id)}'`, at: locationIn(r, 'properties', member) });
  }
  const routeTable = typed(g, 'object', p, pAt, 'routeTable');
  const routeTableAt = placeOf(p, pAt, 'routeTable');
  if (routeTable instanceof Unknown) addAddressRoute(g, key, { name: 'routeTable', nextHopIp: routeTable, at: routeTableAt });
  else readAddressRoutes(g, key, routeTable, routeTableAt, false);
  const v2 = arrayAt(g, p, pAt, 'virtualHubRouteTableV2s');
  if (v2 instanceof Unknown) addAddressRoute(g, key, { name: 'virtualHubRouteTableV2s', nextHopIp: v2, at: placeOf(p, pAt, 'virtualHubRouteTableV2s') });
  const tables = entries(v2);
  for (let i = 0; i < tables.length; i++) {
    const at = locationIn(r, 'properties', 'virtualHubRouteTableV2s', i);
    const tp = typed(g, 'object', tables[i], at, 'properties');
    const tpAt = placeOf(tables[i], at, 'properties');
    if (tp instanceof Unknown) addAddressRoute(g, key, { name: `route table ${i + 1}`, nextHopIp: tp, at: tpAt });
    else readAddressRoutes(g, key, tp, tpAt, true);
  }
  // Older API versions declare the VNet connections inline; a child resource of the same name replaces one.
  const inline = entries(arrayAt(g, p, pAt, 'virtualNetworkConnections'));
  for (let i = 0; i < inline.length; i++) {
    const at = locationIn(r, 'properties', 'virtualNetworkConnections', i);
    if (notAnObject(g, inline[i], at) || inline[i] === null) continue;
    const name = str(typed(g, 'string', inline[i], at, 'name'), '');
    const c = readConnection(g, key, name, inline[i], at, r);
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
      if (!r.existing) readHubRouteTableV2(g, hubOf(key, 'routetables'), r);
      return true;
    case GRAPH_TYPES.nva: {
      const hub = refAt(g, r.body, r.at, 'properties', 'virtualHub');
      g.nodes.set(key, { kind: 'nva', virtualHub: hub, ...nodeBase(r) });
      // An SD-WAN appliance in a hub peers with the hub router over BGP and may advertise a default route.
      if (!r.existing) addSource(g, hub, { what: `network virtual appliance '${r.name}'`, at: r.at });
      return true;
    }
    case GRAPH_TYPES.vpnGateway:
    case GRAPH_TYPES.expressRouteGateway:
      if (!r.existing)
        addSource(g, refAt(g, r.body, r.at, 'properties', 'virtualHub'), { what: `${type === GRAPH_TYPES.vpnGateway ? 'VPN gateway' : 'ExpressRoute gateway'} '${r.name}'`, at: r.at });
      return true;
    case GRAPH_TYPES.hubBgpConnection:
      if (!r.existing) addSource(g, { kind: 'found', key: hubOf(key, 'bgpconnections') }, { what: `BGP connection '${lastSegment(r.name)}'`, at: r.at });
      return true;
    default:
      return false;
  }
}

