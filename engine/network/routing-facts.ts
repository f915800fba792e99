// What the files say about routes a subnet learns rather than is given in its route table: Virtual WAN hubs and their
// connections, routing intent and route tables (read-virtual-wan.ts), virtual network gateways, local network
// gateways, connections, peerings and Route Server (read-gateways.ts); and the indexes the resolver looks them up by,
// built on first use. Imports nothing outside engine/network/.
import type { NetworkGraph } from './graph.js';
import { lastSegment } from './ids.js';
import type { HubAddressRoute, HubConnection, HubRouteTable, LearnedSource, RoutingIntent } from './read-virtual-wan.js';
import type { GatewayConnection, Peering, RouteServer, VnetGateway } from './read-gateways.js';

interface ByVnet {
  readonly connections: Map<string, HubConnection[]>;
  /** Connections whose VNet is known only at deployment: any VNet may be theirs. */
  readonly connectionsAnywhere: HubConnection[];
  readonly gateways: Map<string, VnetGateway[]>;
  /** Gateways whose subnet is known only at deployment. */
  readonly gatewaysAnywhere: VnetGateway[];
  readonly peerings: Map<string, Peering[]>;
  readonly routeServers: Map<string, RouteServer[]>;
  readonly routeServersAnywhere: RouteServer[];
  readonly connectionsOfGateway: Map<string, GatewayConnection[]>;
  /** By hub key: the firewalls and appliances in the hub, as messages name them. */
  readonly hubAppliances: Map<string, string[]>;
}

function push<T>(m: Map<string, T[]>, key: string, v: T): void {
  const list = m.get(key);
  if (list) list.push(v);
  else m.set(key, [v]);
}

export class RoutingFacts {
  /** By connection key: a child resource replaces the inline declaration of the same name. */
  readonly hubConnections = new Map<string, HubConnection>();
  /** By hub key (a hub has one routing intent). */
  readonly routingIntents = new Map<string, RoutingIntent>();
  /** By route table key. */
  readonly hubRouteTables = new Map<string, HubRouteTable>();
  /** By hub key: 0.0.0.0/0 routes of the hub's own route tables that name an IP next hop. */
  readonly hubAddressRoutes = new Map<string, HubAddressRoute[]>();
  /** By hub key: what may give the hub a default route (its gateways, BGP peers, static routes of connections). */
  readonly hubSources = new Map<string, LearnedSource[]>();
  readonly gatewayConnections: GatewayConnection[] = [];
  /** By peering key: a child resource replaces the inline declaration of the same name. */
  readonly peerings = new Map<string, Peering>();
  readonly routeServers: RouteServer[] = [];
  #byVnet: ByVnet | undefined;

  /** Nothing in the files lets a subnet learn a route: the resolver looks no further. */
  empty(g: NetworkGraph): boolean {
    return this.hubConnections.size === 0 && this.peerings.size === 0 && this.routeServers.length === 0 && this.index(g).gateways.size === 0 && this.index(g).gatewaysAnywhere.length === 0;
  }

  private index(g: NetworkGraph): ByVnet {
    if (this.#byVnet) return this.#byVnet;
    const ix: ByVnet = {
      connections: new Map(),
      connectionsAnywhere: [],
      gateways: new Map(),
      gatewaysAnywhere: [],
      peerings: new Map(),
      routeServers: new Map(),
      routeServersAnywhere: [],
      connectionsOfGateway: new Map(),
      hubAppliances: new Map(),
    };
    for (const c of this.hubConnections.values()) {
      const r = c.remoteVnet;
      if (r?.kind === 'unknown') ix.connectionsAnywhere.push(c);
      else if (r) push(ix.connections, r.kind === 'found' ? r.key : r.id, c);
    }
    for (const node of g.nodes.values()) {
      if (node.kind === 'vnetGateway') {
        if (node.vnetKey !== undefined) push(ix.gateways, node.vnetKey, node);
        else if (node.unknownSubnet) ix.gatewaysAnywhere.push(node);
      } else if ((node.kind === 'firewall' || node.kind === 'nva') && node.virtualHub?.kind === 'found') {
        push(ix.hubAppliances, node.virtualHub.key, `${node.kind === 'firewall' ? 'firewall' : 'network virtual appliance'} '${node.name}'`);
      } else if (node.kind === 'virtualHub' && node.firewall && node.firewall.kind !== 'unknown' && !ix.hubAppliances.has(node.key)) {
        push(ix.hubAppliances, node.key, `firewall '${lastSegment(node.firewall.kind === 'found' ? node.firewall.key : node.firewall.id)}'`);
      }
    }
    for (const p of this.peerings.values()) push(ix.peerings, p.vnetKey, p);
    for (const s of this.routeServers) {
      if (s.vnetKey !== undefined) push(ix.routeServers, s.vnetKey, s);
      else if (s.unknownSubnet) ix.routeServersAnywhere.push(s);
    }
    for (const c of this.gatewayConnections) {
      for (const ref of [c.gateway1, c.gateway2]) if (ref && ref.kind !== 'unknown') push(ix.connectionsOfGateway, ref.kind === 'found' ? ref.key : ref.id, c);
    }
    this.#byVnet = ix;
    return ix;
  }

  /** The hub connections that join VNet `vnetKey`, and those whose VNet is known only at deployment. */
  connectionsOf(g: NetworkGraph, vnetKey: string): { here: readonly HubConnection[]; anywhere: readonly HubConnection[] } {
    const ix = this.index(g);
    return { here: ix.connections.get(vnetKey) ?? [], anywhere: ix.connectionsAnywhere };
  }

  /** The gateways in VNet `vnetKey`, and those whose subnet is known only at deployment. */
  gatewaysIn(g: NetworkGraph, vnetKey: string): { here: readonly VnetGateway[]; anywhere: readonly VnetGateway[] } {
    const ix = this.index(g);
    return { here: ix.gateways.get(vnetKey) ?? [], anywhere: ix.gatewaysAnywhere };
  }

  /** The Route Server ipconfigs in VNet `vnetKey`, and those whose subnet is known only at deployment. */
  routeServersIn(g: NetworkGraph, vnetKey: string): { here: readonly RouteServer[]; anywhere: readonly RouteServer[] } {
    const ix = this.index(g);
    return { here: ix.routeServers.get(vnetKey) ?? [], anywhere: ix.routeServersAnywhere };
  }

  peeringsOf(g: NetworkGraph, vnetKey: string): readonly Peering[] {
    return this.index(g).peerings.get(vnetKey) ?? [];
  }

  /** The firewalls and network virtual appliances in hub `hubKey`, as messages name them. */
  hubAppliances(g: NetworkGraph, hubKey: string): readonly string[] {
    return this.index(g).hubAppliances.get(hubKey) ?? [];
  }

  /** The connections (site-to-site, VNet-to-VNet, ExpressRoute) of gateway `gatewayKey`. */
  connectionsOfGateway(g: NetworkGraph, gatewayKey: string): readonly GatewayConnection[] {
    return this.index(g).connectionsOfGateway.get(gatewayKey) ?? [];
  }
}
