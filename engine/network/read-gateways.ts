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
import { boolOrUnknown, list, locationIn, maybeWhy, nodeBase, prop, str, strOrUnknown } from './read-values.js';

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

function readVnetGateway(g: NetworkGraph, r: SourceResource): VnetGateway {
  const p = prop(r.body, 'properties');
  const ipcs = prop(p, 'ipConfigurations');
  let subnetRef: Ref | undefined;
  for (const c of list(ipcs)) {
    subnetRef = g.ref(prop(c, 'properties', 'subnet'));
    if (subnetRef) break;
  }
  const where = vnetOfSubnet(subnetRef);
  return {
    kind: 'vnetGateway',
    vnetKey: where.vnetKey,
    unknownSubnet: where.unknown ?? (ipcs instanceof Unknown ? ipcs : undefined),
    gatewayType: strOrUnknown(prop(p, 'gatewayType')),
    enableBgp: boolOrUnknown(prop(p, 'enableBgp')),
    defaultSite: g.ref(prop(p, 'gatewayDefaultSite')),
    ...nodeBase(r),
  };
}

function readLocalGateway(r: SourceResource): LocalGateway {
  const written = prop(r.body, 'properties', 'localNetworkAddressSpace', 'addressPrefixes');
  const prefixes: (string | Unknown)[] = [];
  for (const x of list(written)) {
    const s = strOrUnknown(x);
    if (s !== undefined) prefixes.push(s);
  }
  return { kind: 'localGateway', prefixes, unknownPrefixes: written instanceof Unknown ? written : undefined, ...nodeBase(r) };
}

function readConnection(g: NetworkGraph, r: SourceResource): GatewayConnection {
  const p = prop(r.body, 'properties');
  return {
    key: keyOf(r),
    name: r.name,
    connectionType: strOrUnknown(prop(p, 'connectionType')),
    gateway1: g.ref(prop(p, 'virtualNetworkGateway1')),
    gateway2: g.ref(prop(p, 'virtualNetworkGateway2')),
    localGateway: g.ref(prop(p, 'localNetworkGateway2')),
    existing: r.existing,
    at: r.at,
  };
}

function readPeering(g: NetworkGraph, vnetKey: string, name: string, v: Value | undefined, at: Location, r: SourceResource): Peering {
  const p = prop(v, 'properties');
  return {
    key: `${vnetKey}/virtualnetworkpeerings/${name.toLowerCase()}`,
    name,
    vnetKey,
    remote: g.ref(prop(p, 'remoteVirtualNetwork')),
    useRemoteGateways: boolOrUnknown(prop(p, 'useRemoteGateways')),
    maybe: r.condition instanceof Unknown,
    maybeWhy: maybeWhy(r.condition),
    at,
  };
}

/** The peerings written inline in a VNet (`properties.virtualNetworkPeerings`); a child resource of the same name wins. */
export function readInlinePeerings(g: NetworkGraph, r: SourceResource, vnetKey: string): void {
  if (r.existing) return;
  const entries = list(prop(r.body, 'properties', 'virtualNetworkPeerings'));
  for (let i = 0; i < entries.length; i++) {
    const name = str(prop(entries[i], 'name'), '');
    const peering = readPeering(g, vnetKey, name, entries[i], locationIn(r, 'properties', 'virtualNetworkPeerings', i), r);
    if (!g.routing.peerings.has(peering.key)) g.routing.peerings.set(peering.key, peering);
  }
}

/** Reads `r` when it is one of the gateway family's types; false when it is not. */
export function readGateways(g: NetworkGraph, r: SourceResource, type: string, key: string): boolean {
  switch (type) {
    case GRAPH_TYPES.vnetGateway:
      g.nodes.set(key, readVnetGateway(g, r));
      return true;
    case GRAPH_TYPES.localGateway:
      g.nodes.set(key, readLocalGateway(r));
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
      const where = vnetOfSubnet(g.ref(prop(r.body, 'properties', 'subnet')));
      g.routing.routeServers.push({ key, name: r.name, vnetKey: where.vnetKey, unknownSubnet: where.unknown, at: r.at });
      return true;
    }
    default:
      return false;
  }
}
