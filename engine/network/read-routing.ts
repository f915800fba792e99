// Readers of route tables, their routes, and subnets (inline in a VNet or child resources).
// Imports template/, expressions/ and resources/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import type { SourceResource } from '../resources/types.js';
import type { Value } from '../expressions/value.js';
import { Unknown, isObject, newObject } from '../expressions/value.js';
import type { NetworkGraph, Route, RouteTable, Subnet } from './graph.js';
import { keyOf } from './ids.js';
import { boolOrUnknown, locationIn, maybeWhy, nodeBase, refAt, str, strOrUnknown } from './read-values.js';
import { arrayAt, entries, jsonTypeOf, placeOf, typed, unknownOf } from './read-typed.js';

/** A route, inline in a route table (`name` from the entry) or a child resource (`name` given). */
export function readRoute(g: NetworkGraph, v: Value, loc: Location, name?: string): Route | undefined {
  if (!isObject(v)) {
    // An entry of `routes` that is not an object is no route: reported, and the route table's routes are unknown.
    if (v !== null && !(v instanceof Unknown)) typed(g, 'object', v, loc);
    return undefined;
  }
  const p = typed(g, 'object', v, loc, 'properties') ?? v;
  const at = p === v ? loc : placeOf(v, loc, 'properties');
  return {
    name: name ?? str(typed(g, 'string', v, loc, 'name'), ''),
    addressPrefix: strOrUnknown(typed(g, 'string', p, at, 'addressPrefix')) ?? '',
    nextHopType: strOrUnknown(typed(g, 'string', p, at, 'nextHopType')) ?? '',
    nextHopIpAddress: strOrUnknown(typed(g, 'string', p, at, 'nextHopIpAddress')),
    at: loc,
  };
}

export function readRouteTable(g: NetworkGraph, r: SourceResource): RouteTable {
  const routes = arrayAt(g, r.body, r.at, 'properties', 'routes');
  const out: Route[] = [];
  const routeList = entries(routes);
  let wrong: Unknown | undefined;
  for (let i = 0; i < routeList.length; i++) {
    const at = locationIn(r, 'properties', 'routes', i);
    const route = readRoute(g, routeList[i], at);
    if (route) out.push(route);
    else if (!isObject(routeList[i]) && routeList[i] !== null) wrong ??= routeList[i] instanceof Unknown ? (routeList[i] as Unknown) : new Unknown('error', `route ${i + 1} is ${jsonTypeOf(routeList[i])}, not an object`);
  }
  return {
    kind: 'routeTable',
    routes: out,
    unknownRoutes: unknownOf(routes) ?? wrong,
    disableBgp: boolOrUnknown(typed(g, 'boolean', r.body, r.at, 'properties', 'disableBgpRoutePropagation')),
    ...nodeBase(r),
  };
}

/**
 * A subnet from its declaration `v` (an entry of a VNet's `subnets`, or a child subnet resource's body) in resource
 * `r`; `vnet` is the VNet resource that declares or holds it, if the deployment has one.
 */
export function readSubnet(g: NetworkGraph, vnetKey: string, key: string, name: string, v: Value, loc: Location, r: SourceResource, vnet: SourceResource | undefined): Subnet {
  const p = typed(g, 'object', v, loc, 'properties') ?? newObject();
  const at = placeOf(v, loc, 'properties');
  const prefixes: (string | Unknown)[] = [];
  const one = strOrUnknown(typed(g, 'string', p, at, 'addressPrefix'));
  if (one !== undefined) prefixes.push(one);
  const many = arrayAt(g, p, at, 'addressPrefixes');
  if (many instanceof Unknown) prefixes.push(many);
  const list = entries(many);
  for (let i = 0; i < list.length; i++) {
    // An entry that is not a string is a finding and an unknown prefix, not a prefix left out.
    const s = strOrUnknown(typed(g, 'string', list[i], placeOf(p, at, 'addressPrefixes', i)));
    if (s !== undefined) prefixes.push(s);
  }
  return {
    key,
    id: key,
    name,
    type: 'Microsoft.Network/virtualNetworks/subnets',
    at: loc,
    maybe: r.condition instanceof Unknown,
    maybeWhy: maybeWhy(r.condition),
    existing: r.existing,
    kind: 'subnet',
    vnetKey,
    addressPrefixes: prefixes,
    natGateway: refAt(g, p, at, 'natGateway'),
    routeTable: refAt(g, p, at, 'routeTable'),
    defaultOutboundAccess: boolOrUnknown(typed(g, 'boolean', p, at, 'defaultOutboundAccess')),
    apiVersion: r.apiVersion,
    vnetCreatedHere: vnet !== undefined && !vnet.existing && !g.inventoryKeys.has(keyOf(vnet)),
    vnetApiVersion: vnet?.apiVersion ?? '',
  };
}
