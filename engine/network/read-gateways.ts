// Readers of what lets a VNet learn routes from on-premises: virtual network gateways (VPN, ExpressRoute), local
// network gateways, the connections between them, VNet peerings (inline in a VNet or child resources) and Azure
// Route Server. Imports template/, expressions/ and resources/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import type { SourceResource } from '../resources/types.js';
import type { Value } from '../expressions/value.js';
import { Unknown } from '../expressions/value.js';
import type { NetworkGraph, NodeBase, Ref } from './graph.js';
import { GRAPH_TYPES } from './reads.js';
import { keyOf, lastSegment } from './ids.js';
import { boolOrUnknown, locationIn, maybeWhy, nodeBase, refAt, str, strOrUnknown } from './read-values.js';
import { arrayAt, checkSku, entries, placeOf, typed, unknownOf } from './read-typed.js';

export interface VnetGateway extends NodeBase {
  readonly kind: 'vnetGateway';
  /** The VNet whose GatewaySubnet the gateway's ipconfig names (its lower-case key), when the files say. */
  readonly vnetKey: string | undefined;
  /** Set when the subnet the gateway sits in is known only at deployment. */
  readonly unknownSubnet: Unknown | undefined;
  /** `Vpn` or `ExpressRoute`; undefined when not written. */
  readonly gatewayType: string | Unknown | undefined;
  readonly enableBgp: boolean | Unknown | undefined;
  /** `gatewayDefaultSite`: the local network gateway that receives the Internet traffic (forced tunnelling). */
  readonly defaultSite: Ref | undefined;
}

export interface LocalGateway extends NodeBase {
  readonly kind: 'localGateway';
  /** `localNetworkAddressSpace.addressPrefixes`: Azure installs a route to the gateway for each one. */
  readonly prefixes: readonly (string | Unknown)[];
  readonly unknownPrefixes: Unknown | undefined;
}

/** A `Microsoft.Network/connections` resource: which gateway talks to which local network gateway (or other gateway). */
export interface GatewayConnection {
  readonly key: string;
  readonly name: string;
  readonly connectionType: string | Unknown | undefined;
  readonly gateway1: Ref | undefined;
  readonly gateway2: Ref | undefined;
  readonly localGateway: Ref | undefined;
  readonly existing: boolean;
  readonly at: Location;
}

/** A VNet peering, from the VNet it is declared on (`vnetKey`) to `remote`. */
export interface Peering {
  readonly key: string;
  readonly name: string;
  readonly vnetKey: string;
  readonly remote: Ref | undefined;
  /** `useRemoteGateways`: this VNet learns the routes of the remote VNet's gateway (or Route Server). */
  readonly useRemoteGateways: boolean | Unknown | undefined;
  readonly maybe: boolean;
  readonly maybeWhy: string | undefined;
  readonly at: Location;
}

/** An ipconfig of an Azure Route Server (a virtual hub without a Virtual WAN, in the VNet's RouteServerSubnet). */
export interface RouteServer {
  readonly key: string;
  readonly name: string;
  readonly vnetKey: string | undefined;
  readonly unknownSubnet: Unknown | undefined;
  readonly at: Location;
}

/** The VNet key of a subnet reference (`…/virtualnetworks/v/subnets/s` → `…/virtualnetworks/v`). */
export function vnetOfSubnet(ref: Ref | undefined): { vnetKey?: string; unknown?: Unknown } {
  if (!ref) return {};
  if (ref.kind === 'unknown') return { unknown: ref.value };
  const key = ref.kind === 'found' ? ref.key : ref.id;
  const i = key.lastIndexOf('/subnets/');
  return i > 0 ? { vnetKey: key.slice(0, i) } : {};
}

// Every member read here is type-checked (read-typed.ts): a wrong type is a template-invalid finding at its line and
// an Unknown where it decides (a learned route the resolver then cannot rule out), never read as absent.
function readVnetGateway(g: NetworkGraph, r: SourceResource): VnetGateway {
  const p = typed(g, 'object', r.body, r.at, 'properties');
  const pAt = locationIn(r, 'properties');
  checkSku(g, p, pAt, 'sku');
  const ipcs = arrayAt(g, p, pAt, 'ipConfigurations');
  const list = entries(ipcs);
  let subnetRef: Ref | undefined;
  for (let i = 0; i < list.length; i++) {
    subnetRef = refAt(g, list[i], locationIn(r, 'properties', 'ipConfigurations', i), 'properties', 'subnet');
    if (subnetRef) break;
  }
  const where = vnetOfSubnet(subnetRef);
  return {
    kind: 'vnetGateway',
    vnetKey: where.vnetKey,
    unknownSubnet: where.unknown ?? unknownOf(ipcs) ?? unknownOf(p),
    gatewayType: strOrUnknown(typed(g, 'string', p, pAt, 'gatewayType')),
    enableBgp: boolOrUnknown(typed(g, 'boolean', p, pAt, 'enableBgp')),
    defaultSite: refAt(g, p, pAt, 'gatewayDefaultSite'),
    ...nodeBase(r),
  };
}

function readLocalGateway(g: NetworkGraph, r: SourceResource): LocalGateway {
  const written = arrayAt(g, r.body, r.at, 'properties', 'localNetworkAddressSpace', 'addressPrefixes');
  const prefixes: (string | Unknown)[] = [];
  const list = entries(written);
  for (let i = 0; i < list.length; i++) {
    const s = strOrUnknown(typed(g, 'string', list[i], locationIn(r, 'properties', 'localNetworkAddressSpace', 'addressPrefixes', i)));
    if (s !== undefined) prefixes.push(s);
  }
  return { kind: 'localGateway', prefixes, unknownPrefixes: unknownOf(written), ...nodeBase(r) };
}

function readConnection(g: NetworkGraph, r: SourceResource): GatewayConnection {
  const p = typed(g, 'object', r.body, r.at, 'properties');
  const pAt = locationIn(r, 'properties');
  return {
    key: keyOf(r),
    name: r.name,
    connectionType: strOrUnknown(typed(g, 'string', p, pAt, 'connectionType')),
    gateway1: refAt(g, p, pAt, 'virtualNetworkGateway1'),
    gateway2: refAt(g, p, pAt, 'virtualNetworkGateway2'),
    localGateway: refAt(g, p, pAt, 'localNetworkGateway2'),
    existing: r.existing,
    at: r.at,
  };
}

function readPeering(g: NetworkGraph, vnetKey: string, name: string, v: Value | undefined, at: Location, r: SourceResource): Peering {
  const p = typed(g, 'object', v, at, 'properties');
  const pAt = placeOf(v, at, 'properties');
  return {
    key: `${vnetKey}/virtualnetworkpeerings/${name.toLowerCase()}`,
    name,
    vnetKey,
    remote: refAt(g, p, pAt, 'remoteVirtualNetwork'),
    useRemoteGateways: boolOrUnknown(typed(g, 'boolean', p, pAt, 'useRemoteGateways')),
    maybe: r.condition instanceof Unknown,
    maybeWhy: maybeWhy(r.condition),
    at,
  };
}

/** The peerings written inline in a VNet (`properties.virtualNetworkPeerings`); a child resource of the same name wins. */
export function readInlinePeerings(g: NetworkGraph, r: SourceResource, vnetKey: string): void {
  if (r.existing) return;
  const written = arrayAt(g, r.body, r.at, 'properties', 'virtualNetworkPeerings');
  const list = entries(written);
  for (let i = 0; i < list.length; i++) {
    const at = locationIn(r, 'properties', 'virtualNetworkPeerings', i);
    // An entry that is not an object is reported; what it would peer with is not known, so it is read as a peering
    // to an unknown VNet that may use its gateways.
    const entry = typed(g, 'object', list[i], at);
    if (entry === undefined) continue;
    const name = entry instanceof Unknown ? `peering ${i + 1}` : str(typed(g, 'string', entry, at, 'name'), '');
    const peering = entry instanceof Unknown ? unknownPeering(vnetKey, name, entry, at, r) : readPeering(g, vnetKey, name, entry, at, r);
    if (!g.routing.peerings.has(peering.key)) g.routing.peerings.set(peering.key, peering);
  }
  if (written instanceof Unknown) {
    const at = locationIn(r, 'properties', 'virtualNetworkPeerings');
    const peering = unknownPeering(vnetKey, '{virtualNetworkPeerings}', written, at, r);
    if (!g.routing.peerings.has(peering.key)) g.routing.peerings.set(peering.key, peering);
  }
}

/** A peering the files do not show: to an unknown VNet, maybe using its gateways. */
function unknownPeering(vnetKey: string, name: string, why: Unknown, at: Location, r: SourceResource): Peering {
  return {
    key: `${vnetKey}/virtualnetworkpeerings/${name.toLowerCase()}`,
    name,
    vnetKey,
    remote: { kind: 'unknown', value: why },
    useRemoteGateways: why,
    maybe: r.condition instanceof Unknown,
    maybeWhy: maybeWhy(r.condition),
    at,
  };
}

/** Reads `r` when it is one of the gateway family's types; false when it is not. */
export function readGateways(g: NetworkGraph, r: SourceResource, type: string, key: string): boolean {
  switch (type) {
    case GRAPH_TYPES.vnetGateway:
      g.nodes.set(key, readVnetGateway(g, r));
      return true;
    case GRAPH_TYPES.localGateway:
      g.nodes.set(key, readLocalGateway(g, r));
      return true;
    case GRAPH_TYPES.connection:
      g.routing.gatewayConnections.push(readConnection(g, r));
      return true;
    case GRAPH_TYPES.peering: {
      // The properties of an `existing` peering are outside the files: it says nothing about gateways.
      if (r.existing) return true;
      const vnetKey = key.slice(0, key.lastIndexOf('/virtualnetworkpeerings/'));
      // A child resource is deployed after its VNet, so its PUT replaces the inline declaration of the same name.
      g.routing.peerings.set(key, readPeering(g, vnetKey, lastSegment(r.name), r.body, r.at, r));
      return true;
    }
    case GRAPH_TYPES.hubIpConfiguration: {
      const where = vnetOfSubnet(refAt(g, r.body, r.at, 'properties', 'subnet'));
      g.routing.routeServers.push({ key, name: r.name, vnetKey: where.vnetKey, unknownSubnet: where.unknown, at: r.at });
      return true;
    }
    default:
      return false;
  }
}
