// Readers of route tables, their routes, and subnets (inline in a VNet or child resources).
// Imports template/, expressions/ and resources/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import type { SourceResource } from '../resources/types.js';
import type { Value } from '../expressions/value.js';
import { Unknown, isObject, newObject } from '../expressions/value.js';
import type { NetworkGraph, Route, RouteTable, Subnet } from './graph.js';
import { keyOf } from './ids.js';
import { boolOrUnknown, list, locationIn, maybeWhy, nodeBase, prop, str, strOrUnknown } from './read-values.js';

/** A route, inline in a route table (`name` from the entry) or a child resource (`name` given). */
export function readRoute(v: Value, loc: Location, name?: string): Route | undefined {
  if (!isObject(v)) return undefined;
  const p = prop(v, 'properties') ?? v;
  return {
    name: name ?? str(prop(v, 'name'), ''),
    addressPrefix: strOrUnknown(prop(p, 'addressPrefix')) ?? '',
    nextHopType: strOrUnknown(prop(p, 'nextHopType')) ?? '',
    nextHopIpAddress: strOrUnknown(prop(p, 'nextHopIpAddress')),
    at: loc,
  };
}

export function readRouteTable(r: SourceResource): RouteTable {
  const routes = prop(r.body, 'properties', 'routes');
  const out: Route[] = [];
  const routeList = list(routes);
  for (let i = 0; i < routeList.length; i++) {
    const route = readRoute(routeList[i], locationIn(r, 'properties', 'routes', i));
    if (route) out.push(route);
  }
  return {
    kind: 'routeTable',
    routes: out,
    unknownRoutes: routes instanceof Unknown ? routes : undefined,
    disableBgp: boolOrUnknown(prop(r.body, 'properties', 'disableBgpRoutePropagation')),
    ...nodeBase(r),
  };
}

/**
 * A subnet from its declaration `v` (an entry of a VNet's `subnets`, or a child subnet resource's body) in resource
 * `r`; `vnet` is the VNet resource that declares or holds it, if the deployment has one.
 */
export function readSubnet(g: NetworkGraph, vnetKey: string, key: string, name: string, v: Value, loc: Location, r: SourceResource, vnet: SourceResource | undefined): Subnet {
  const p = prop(v, 'properties') ?? newObject();
  const prefixes: (string | Unknown)[] = [];
  const one = strOrUnknown(prop(p, 'addressPrefix'));
  if (one !== undefined) prefixes.push(one);
  for (const x of list(prop(p, 'addressPrefixes'))) {
    const s = strOrUnknown(x);
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
    natGateway: g.ref(prop(p, 'natGateway')),
    routeTable: g.ref(prop(p, 'routeTable')),
    defaultOutboundAccess: boolOrUnknown(prop(p, 'defaultOutboundAccess')),
    apiVersion: r.apiVersion,
    vnetCreatedHere: vnet !== undefined && !vnet.existing && !g.inventoryKeys.has(keyOf(vnet)),
    vnetApiVersion: vnet?.apiVersion ?? '',
  };
}
