// Step 1 of egress-model.md, the routes a subnet learns: where its route table leaves Internet traffic to the system
// route, a route learned from a virtual network gateway (gateways.ts) or a Virtual WAN hub (virtual-wan.ts) for the same
// prefix wins over it. A user route of the same prefix wins over a learned one, and a route table with
// `disableBgpRoutePropagation: true` keeps learned routes off its subnets
// (https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#how-azure-selects-a-route).
// Where it wins, the subnet's NAT gateway and the NIC's public IP carry no Internet traffic: "Virtual appliance UDR /
// ExpressRoute >> NAT gateway >> Instance-level public IP addresses" (https://learn.microsoft.com/azure/nat-gateway/nat-overview).
// A learned route more specific than the user route covering the Internet would still win for its destinations (Azure
// selects by longest prefix first); the files cannot show what on-premises advertises, and the model answers for the
// route that covers the Internet, as it does for user routes to single public prefixes: the user route decides.
// Imports template/ and expressions/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import { Unknown } from '../expressions/value.js';
import type { NetworkGraph, Route, RouteTable, Subnet } from './graph.js';
import type { Appliances } from './appliances.js';
import type { Outcome, PathNote } from './results.js';
import { mayNotBeDeployed, outcomeVerdict, unknownOutcome } from './results.js';
import { gatewayDefault } from './gateways.js';
import type { HubAppliance } from './virtual-wan.js';
import { describeNextHop, hubDefault, hubOutcome } from './virtual-wan.js';

/** What a learned default route does. */
export type Learned =
  | { readonly kind: 'hub'; readonly hub: HubAppliance }
  /** Sends (certain) or may send Internet traffic on-premises. */
  | { readonly kind: 'on-premises'; readonly certain: boolean; readonly source: string; readonly reason: string }
  /** `otherwise`: without what the files do not show, the subnet learns no default route (the system route applies). */
  | { readonly kind: 'undecided'; readonly reason: string; readonly otherwise: boolean };

/** A route the subnet learns; it stands where the system route to the Internet would. */
export interface LearnedRoute extends Route {
  readonly learned: Learned;
}

export function isLearned(r: Route | undefined): r is LearnedRoute {
  return r !== undefined && (r as Partial<LearnedRoute>).learned !== undefined;
}

/**
 * A route the subnet only may learn, from something outside the files (what on-premises advertises, a hub the files
 * do not hold): without it the system route applies, so the path still lists what it would leave through then
 * (egress-model.md: an unknown VM still lists the IPs it would use if nothing outside the files interferes).
 */
export function mayNotBeLearned(r: LearnedRoute): boolean {
  const l = r.learned;
  return (l.kind === 'on-premises' && !l.certain) || (l.kind === 'undecided' && l.otherwise);
}

/** Why a learned route decides (or leaves undecided) where a firewall's own subnet sends its traffic. */
export function learnedReason(g: NetworkGraph, r: LearnedRoute): string {
  const l = r.learned;
  if (l.kind === 'hub') return `${l.hub.via} of virtual hub '${l.hub.hubName}' sends its Internet traffic to ${describeNextHop(g, l.hub.nextHop)}`;
  return l.reason;
}

function makeRoute(name: string, v6: boolean, at: Location, learned: Learned): LearnedRoute {
  return { name, addressPrefix: v6 ? '::/0' : '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway', nextHopIpAddress: undefined, at, learned };
}

/**
 * The learned route that replaces the system route to the Internet for `subnet` (whose route table is `rt`), or
 * undefined when nothing in the files gives it one.
 */
export function learnedDefault(g: NetworkGraph, subnet: Subnet, rt: RouteTable | undefined, v6: boolean, because: string[]): LearnedRoute | undefined {
  if (g.routing.empty(g)) return undefined;
  // A VNet connected to a virtual hub can have no gateway of its own (Learn howto-connect-vnet-hub): the gateway, when the
  // files show both, is what they leave undecided.
  const gw = gatewayDefault(g, subnet.vnetKey, v6);
  const hub = gw ? undefined : hubDefault(g, subnet.vnetKey, v6);
  if (!gw && !hub) return undefined;
  const what = gw ? `the routes ${gw.source} adds` : 'the routes of the virtual hub';
  const at = gw ? gw.at : hub!.kind === 'appliance' ? hub!.hub.at : hub!.at;
  const prefix = v6 ? '::/0' : '0.0.0.0/0';
  const maybeLearned = `the ${prefix} route subnet '${subnet.name}' may learn`;
  if (rt) {
    const off = rt.disableBgp;
    if (off instanceof Unknown) return makeRoute(maybeLearned, v6, at, { kind: 'undecided', reason: `whether route table '${rt.name}' keeps ${what} off subnet '${subnet.name}' (disableBgpRoutePropagation: ${off.origin})`, otherwise: false });
    if (off === true && rt.maybe) return makeRoute(maybeLearned, v6, at, { kind: 'undecided', reason: `${mayNotBeDeployed('route table', rt)}, and it is what keeps ${what} off subnet '${subnet.name}'`, otherwise: false });
    if (off === true) {
      because.push(`route table '${rt.name}' disables gateway route propagation: ${what} do not reach subnet '${subnet.name}'`);
      return undefined;
    }
  }
  if (gw) return makeRoute(`${prefix} from ${gw.source}`, v6, at, { kind: 'on-premises', certain: gw.certain, source: gw.source, reason: gw.reason });
  if (hub!.kind === 'undecided') return makeRoute(maybeLearned, v6, at, { kind: 'undecided', reason: hub!.reason, otherwise: hub!.otherwise });
  return makeRoute(`0.0.0.0/0 from virtual hub '${hub!.hub.hubName}'`, v6, at, { kind: 'hub', hub: hub!.hub });
}

/**
 * Steps 1-5 for a path whose Internet traffic follows a learned route: the hub's appliance, or on-premises. For a
 * route the subnet only may learn, `withoutIt` gives steps 2-5 as if it were not there: the path lists that egress
 * (egress-model.md: an unknown path still lists the IPs it would use), and when that is non-deterministic the path is
 * non-deterministic either way (a non-deterministic answer wins over an unknown one, as for a VM's paths).
 */
export function learnedOutcome(
  g: NetworkGraph,
  appliances: Appliances,
  r: LearnedRoute,
  hasPublicIp: boolean,
  because: string[],
  notes: PathNote[],
  withoutIt: (because: string[]) => Outcome,
): Outcome {
  const l = r.learned;
  if (l.kind === 'hub') return hubOutcome(g, appliances, l.hub, hasPublicIp, because, notes);
  if (l.kind === 'on-premises' && hasPublicIp && l.certain)
    notes.push({ kind: 'route-overrides-public-ip', message: `${l.source} (${String(r.addressPrefix)} → on-premises)`, at: r.at, learned: { source: l.source, prefix: String(r.addressPrefix), nextHop: 'on-premises' } });
  if (!mayNotBeLearned(r)) return unknownOutcome(because, l.reason, r.at, 'route-table');
  const without: string[] = [];
  const otherwise = withoutIt(without);
  if (outcomeVerdict(otherwise) === 'non-deterministic') {
    because.push(`${l.reason}; without that route the path is non-deterministic, so it is either way`);
    for (const b of without) because.push(`without that route: ${b}`);
    return otherwise;
  }
  const out = unknownOutcome(because, l.reason, r.at, 'route-table', otherwise.egress);
  for (const b of without) because.push(`without that route: ${b}`);
  return out;
}
