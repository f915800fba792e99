// Step 1 of egress-model.md, the route table: the user routes that decide where a subnet's Internet-bound traffic
// goes (longest prefix covering the Internet). Imports template/ and expressions/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import { Unknown } from '../expressions/value.js';
import type { NetworkGraph, Route, RouteTable, Subnet } from './graph.js';
import { describeRef, mayNotBeDeployed } from './results.js';
import { learnedDefault } from './learned-routes.js';

/** The routes that decide where Internet-bound traffic goes: one, or several when it depends on the destination. */
export interface RouteDecision {
  /** `undefined` stands for the system route to the Internet (or a user route that does the same). */
  readonly branches?: readonly (Route | undefined)[];
  readonly unknown?: string;
  readonly at?: Location;
}

const isDefaultRoute = (p: string, v6: boolean): boolean => (v6 ? p.trim() === '::/0' : p.trim() === '0.0.0.0/0');

/** A route's next hop type, comparable (an unknown one by its origin). */
function hopType(r: Route): string {
  return r.nextHopType instanceof Unknown ? `?${r.nextHopType.origin}` : r.nextHopType.toLowerCase();
}

/** A route's next hop address, comparable (an unknown one by its origin). */
function hopAddress(r: Route): string | undefined {
  return r.nextHopIpAddress instanceof Unknown ? `?${r.nextHopIpAddress.origin}` : r.nextHopIpAddress?.trim();
}

function sameHop(a: Route, b: Route): boolean {
  return hopType(a) === hopType(b) && hopAddress(a) === hopAddress(b);
}

/**
 * The routes that decide a subnet's Internet-bound traffic: its user routes, and where they leave it to the system
 * route, a route the subnet learns from a gateway or a virtual hub (learned-routes.ts), which wins over the system
 * route. Pushes to `because` when the system route applies.
 */
export function internetRoutes(g: NetworkGraph, subnet: Subnet, v6: boolean, because: string[]): RouteDecision {
  const user = userRoutes(g, subnet, v6);
  if (user.unknown) return user;
  const branches = user.branches ?? [undefined];
  if (!branches.includes(undefined)) return { branches };
  const learned = learnedDefault(g, subnet, user.rt, v6, because);
  if (learned) return { branches: branches.map((b) => b ?? learned) };
  if (user.rt && !user.branches) because.push(`route table '${user.rt.name}' has no route for ${v6 ? '::/0' : '0.0.0.0/0'}: the system route to the Internet applies`);
  return user.branches ? { branches } : {};
}

/** The user routes of the subnet's route table that decide its Internet-bound traffic, and the table. */
function userRoutes(g: NetworkGraph, subnet: Subnet, v6: boolean): RouteDecision & { rt?: RouteTable } {
  if (!subnet.routeTable) return {};
  const rref = g.check(subnet.routeTable)!;
  const rt = g.get(rref, 'routeTable');
  if (!rt) return { unknown: `the route table of subnet '${subnet.name}': ${describeRef(rref)}`, at: subnet.at };
  if (rt.existing) return { unknown: `route table '${rt.name}' is an existing resource outside the analysed files`, at: rt.at };
  if (rt.unknownRoutes) return { unknown: `the routes of route table '${rt.name}': ${rt.unknownRoutes.origin}`, at: rt.at };
  let zero: Route | undefined;
  let tag: Route | undefined;
  const halves: Route[] = [];
  for (const r of rt.routes) {
    if (r.addressPrefix instanceof Unknown) return { unknown: `the address prefix of route '${r.name}': ${r.addressPrefix.origin}`, at: r.at };
    const p = r.addressPrefix.trim();
    if (isDefaultRoute(p, v6)) zero = r;
    // The Internet service tag lists public prefixes, all longer than /0, so it wins over 0.0.0.0/0 by longest
    // prefix match (https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#service-tags-for-user-defined-routes).
    else if (p.toLowerCase() === 'internet') tag = r;
    else if (!v6 && (p === '0.0.0.0/1' || p === '128.0.0.0/1')) halves.push(r);
  }
  const fallback = tag ?? zero;
  let branches: (Route | undefined)[];
  // 0.0.0.0/1 + 128.0.0.0/1 are more specific than 0.0.0.0/0 and together cover the whole Internet.
  if (halves.length === 2) branches = sameHop(halves[0], halves[1]) ? [halves[0]] : halves;
  else if (halves.length === 1) branches = [halves[0], fallback];
  else branches = [fallback];
  if (branches.length === 1 && !branches[0]) return { rt };
  for (const b of branches) if (b && b.nextHopType instanceof Unknown) return { unknown: `the next hop of route '${b.name}': ${b.nextHopType.origin}`, at: b.at };
  if (rt.maybe) return { unknown: mayNotBeDeployed('route table', rt), at: rt.at };
  return { branches, rt };
}
