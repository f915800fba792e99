// The typed network graph of a deployment (node types, NetworkGraph, buildGraph). Imports template/, expressions/
// and resources/ only: resources arrive through engine/resources/types.ts, never from the expansion.
import type { Location, RawFinding } from '../template/finding.js';
import type { ResourceSet, SourceResource } from '../resources/types.js';
import { GRAPH_TYPES } from './reads.js';
import type { Value } from '../expressions/value.js';
import { Unknown, getProp, isObject } from '../expressions/value.js';
import { keyOf, lastSegment, normaliseId } from './ids.js';
import { list, locationIn, prop, str } from './read-values.js';
import { arrayAt, checkSku, entries, typed } from './read-typed.js';
import { readNat, readPrefix, readPublicIp } from './read-addresses.js';
import { readRoute, readRouteTable, readSubnet } from './read-routing.js';
import { addPool, readLb } from './read-load-balancers.js';
import { readNic, readVm } from './read-nics-and-vms.js';
import { readFirewall } from './read-firewalls.js';
import { AksReader } from './read-aks.js';
import type { FirewallHubIps } from './read-firewalls.js';
import { readVirtualWan } from './read-virtual-wan.js';
import type { NetworkVirtualAppliance, VirtualHub } from './read-virtual-wan.js';
import { readGateways, readInlinePeerings } from './read-gateways.js';
import type { LocalGateway, VnetGateway } from './read-gateways.js';
import { RoutingFacts } from './routing-facts.js';
import { fillAddresses } from './inventory-addresses.js';
import type { StandInScope } from './inventory-match.js';
import type { ResourceLookup } from '../resources/lookup.js';
import { resourceLookup } from '../resources/lookup.js';

/** The types whose resource-level `sku` is type-checked (read-typed.ts `checkSku`): every type the graph reads. */
const SKU_CHECKED: ReadonlySet<string> = new Set<string>(Object.values(GRAPH_TYPES));

/** A reference from one resource to another: resolved to a graph key, or why it is not known. */
export type Ref =
  | { readonly kind: 'found'; readonly key: string }
  | { readonly kind: 'missing'; readonly id: string } // a literal id that is not in the analysed files
  | { readonly kind: 'unknown'; readonly value: Unknown }; // the id itself is unknown offline

export interface NodeBase {
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly at: Location;
  /** The resource's condition is unknown: it may not be deployed. */
  readonly maybe: boolean;
  /** When `maybe`: what the condition depends on (the unknown condition's origin), for messages. */
  readonly maybeWhy: string | undefined;
  /** Declared `existing`: its properties are outside the analysed files. */
  readonly existing: boolean;
}

export interface PublicIp extends NodeBase {
  readonly kind: 'publicIp';
  readonly sku: string | Unknown;
  readonly tier: string;
  readonly allocation: string | Unknown;
  readonly version: string;
  /** Set when the IP version or tier is known only at deployment: whether (and for which family) it carries outbound traffic is not decided. */
  readonly undecided?: Unknown;
  readonly prefix: Ref | undefined;
  readonly address: string | null;
  /** Where `address` came from when an inventory gave it, or why an inventory that has the resource did not (inventory-addresses.ts). */
  readonly addressNote?: string;
  /** Created by a service (AKS) rather than declared: no resource id is known before deployment, and its name is a stand-in. */
  readonly created?: true;
}

export interface PublicIpPrefix extends NodeBase {
  readonly kind: 'publicIpPrefix';
  readonly sku: string | Unknown;
  readonly version: string;
  /** Set when the IP version is known only at deployment: which family's traffic a load balancer frontend on it carries is not decided. */
  readonly undecided?: Unknown;
  readonly prefixLength: number | Unknown | undefined;
  readonly ipPrefix: string | null;
  /** Where `ipPrefix` came from when an inventory gave it, or why an inventory that has the resource did not (inventory-addresses.ts). */
  readonly addressNote?: string;
}

export interface NatGateway extends NodeBase {
  readonly kind: 'natGateway';
  readonly sku: string | Unknown;
  readonly publicIps: readonly Ref[];
  readonly publicIpPrefixes: readonly Ref[];
  readonly publicIpsV6: readonly Ref[];
  readonly publicIpPrefixesV6: readonly Ref[];
  /** Unknown when the IPv4 IP lists themselves are not known. */
  readonly unknownIps: Unknown | undefined;
  /** Unknown when the IPv6 IP lists themselves are not known. */
  readonly unknownIpsV6: Unknown | undefined;
}

export interface Route {
  readonly name: string;
  readonly addressPrefix: string | Unknown;
  readonly nextHopType: string | Unknown;
  readonly nextHopIpAddress: string | Unknown | undefined;
  readonly at: Location;
}

export interface RouteTable extends NodeBase {
  readonly kind: 'routeTable';
  readonly routes: Route[];
  readonly unknownRoutes: Unknown | undefined;
  /** `disableBgpRoutePropagation`: true stops the routes a gateway or a virtual hub would add to the subnet. */
  readonly disableBgp: boolean | Unknown | undefined;
}

export interface Subnet extends NodeBase {
  readonly kind: 'subnet';
  readonly vnetKey: string;
  addressPrefixes: (string | Unknown)[];
  natGateway: Ref | undefined;
  routeTable: Ref | undefined;
  /** true / false as written; undefined when unset; Unknown when it depends on a runtime value. */
  defaultOutboundAccess: boolean | Unknown | undefined;
  /** The API version of the resource that declares the subnet (the VNet or the child subnet resource). */
  apiVersion: string;
  /** The VNet is created in the analysed files (not `existing` and not only referenced). */
  vnetCreatedHere: boolean;
  vnetApiVersion: string;
}

export interface Frontend {
  readonly key: string;
  readonly name: string;
  readonly lbKey: string;
  readonly publicIp: Ref | undefined;
  readonly publicIpPrefix: Ref | undefined;
  readonly subnet: Ref | undefined;
  readonly privateIp: string | Unknown | undefined;
  readonly at: Location;
}

export interface Pool {
  readonly key: string;
  readonly name: string;
  readonly lbKey: string;
  /** IP-based pool: addresses listed in the pool instead of NIC memberships. */
  readonly addresses: readonly (string | Unknown)[];
  readonly at: Location;
}

export interface LbRule {
  readonly name: string;
  readonly frontend: Ref | undefined;
  readonly pools: readonly Ref[];
  readonly disableOutboundSnat: boolean | Unknown;
  readonly at: Location;
}

export interface OutboundRule {
  readonly name: string;
  readonly frontends: readonly Ref[];
  readonly pool: Ref | undefined;
  readonly at: Location;
}

export interface LoadBalancer extends NodeBase {
  readonly kind: 'loadBalancer';
  readonly sku: string | Unknown;
  readonly frontends: Frontend[];
  readonly pools: Pool[];
  readonly lbRules: LbRule[];
  readonly outboundRules: OutboundRule[];
  /**
   * Lists of the load balancer not known as written (of the wrong JSON type, or known only at deployment): any path
   * through one of its pools may get its outbound from what they hold.
   */
  readonly unknownLists?: readonly { readonly list: string; readonly value: Unknown; readonly at: Location }[];
}

/** The public IP of an ipconfig: a reference to a public IP resource, or a VM-/scale-set-managed configuration. */
export type IpConfigPublicIp =
  | { readonly kind: 'ref'; readonly ref: Ref; readonly at: Location }
  | { readonly kind: 'managed'; readonly name: string; readonly sku: string | Unknown; readonly tier: string; readonly allocation: string | Unknown; readonly prefix: Ref | undefined; readonly version: string; readonly undecided?: Unknown; readonly at: Location };

export interface IpConfig {
  readonly key: string;
  readonly name: string;
  readonly nicKey: string;
  readonly primary: boolean | Unknown | undefined;
  readonly subnet: Ref | undefined;
  readonly publicIp: IpConfigPublicIp | Unknown | undefined;
  readonly privateIp: string | Unknown | undefined;
  readonly version: string;
  /** Set when the IP version is known only at deployment: the path's family is not decided. */
  readonly undecidedVersion?: Unknown;
  readonly pools: readonly Ref[];
  readonly at: Location;
}

export interface Nic extends NodeBase {
  readonly kind: 'nic';
  readonly ipConfigs: IpConfig[];
  readonly ipForwarding: boolean;
  /** Owned by a VM or scale set (networkInterfaceConfigurations) rather than a NIC resource. */
  readonly managed: boolean;
  readonly unknownIpConfigs: Unknown | undefined;
}

export interface VmNic {
  readonly nic: Ref;
  readonly primary: boolean | Unknown | undefined;
  readonly at: Location;
}

export interface Vm extends NodeBase {
  readonly kind: 'vm';
  readonly scaleSet: boolean;
  /** Uniform or Flexible for scale sets; for a VM, the mode of the scale set it joins (if any). */
  readonly orchestrationMode: string | undefined;
  readonly nics: VmNic[];
  readonly availabilitySet: Ref | undefined;
  readonly scaleSetRef: Ref | undefined;
  readonly unknownNics: Unknown | undefined;
  /** Set for an AKS agent pool (read-aks.ts), which the graph models as a scale set with one NIC in its subnet. */
  readonly aks?: AksPool;
}

/** An AKS agent pool's outbound settings: what its cluster's network profile and its own profile say (read-aks.ts). */
export interface AksPool {
  /** The cluster's deployed name and graph key. */
  readonly cluster: string;
  readonly clusterKey: string;
  /** networkProfile.outboundType as written ('loadBalancer' when unset), or why it is known only at deployment. */
  readonly outboundType: string | Unknown;
  /** networkProfile.loadBalancerSku as written ('standard' when unset). */
  readonly loadBalancerSku: string | Unknown;
  /** No vnetSubnetID: the nodes are in the VNet AKS creates, whose subnet is a graph node read-aks.ts adds. */
  readonly managedVnet: boolean;
  /** With podSubnetID naming another subnet: the path of the pods' own addresses. */
  readonly pods: { readonly nic: Nic; readonly ipc: IpConfig } | undefined;
  /** Why the files decide nothing about the pool (its cluster is outside them, or may not be the one deployed). */
  readonly undecided: string | undefined;
  /** Where the outbound type is declared (else the network profile, else the cluster). */
  readonly at: Location;
  /** Where the network profile is declared (else the cluster). */
  readonly networkAt: Location;
}

export interface FirewallIpConfig {
  readonly name: string;
  readonly subnet: Ref | undefined;
  readonly publicIp: Ref | undefined;
  /** Assigned by Azure: known only for a firewall read from an inventory file. */
  readonly privateIp: string | Unknown | undefined;
  readonly at: Location;
}

export interface Firewall extends NodeBase {
  readonly kind: 'firewall';
  readonly skuName: string | Unknown;
  readonly ipConfigs: FirewallIpConfig[];
  readonly management: FirewallIpConfig | undefined;
  /** The Virtual WAN hub of a firewall of SKU AZFW_Hub. */
  readonly virtualHub: Ref | undefined;
  /** `hubIPAddresses.publicIPs` of a firewall in a Virtual WAN hub: Azure assigns these addresses. */
  readonly hubIps: FirewallHubIps;
}

export type GraphNode = PublicIp | PublicIpPrefix | NatGateway | RouteTable | Subnet | LoadBalancer | Nic | Vm | Firewall | VirtualHub | NetworkVirtualAppliance | VnetGateway | LocalGateway;

/** The graph: nodes by lower-case id, plus sub-resource indexes (frontends, pools, ipconfigs). */
export class NetworkGraph {
  readonly nodes = new Map<string, GraphNode>();
  readonly frontends = new Map<string, Frontend>();
  readonly pools = new Map<string, Pool>();
  readonly ipConfigs = new Map<string, IpConfig>();
  readonly vms: Vm[] = [];
  /** Lower-case resource keys of every resource in the deployment (any type), to tell "missing" from "not modelled". */
  readonly allKeys = new Set<string>();
  /** Keys of the resources read from inventory files: already deployed, outside the templates. */
  readonly inventoryKeys = new Set<string>();
  /**
   * By lower-case type: why a copy loop of that type has an unknown count (its one stand-in instance is all the
   * files show), so a reference to an instance it would create is "known only at deployment", not "missing".
   */
  readonly unknownCopies = new Map<string, string>();
  /** Virtual WAN connections, gateways and peerings: where a subnet may learn a route from (routing-facts.ts). */
  readonly routing = new RoutingFacts();
  readonly deployment: ResourceSet;
  /** Values the readers found written with the wrong JSON type (read-typed.ts), reported as template-invalid. */
  readonly problems: RawFinding[] = [];
  readonly problemPlaces = new Set<string>();

  /** Key → first resource and first deployed one, built on first use (a scan per reference is quadratic); private: not sent to other threads, dies with the graph. */
  #declared: { any: Map<string, SourceResource>; deployed: Map<string, SourceResource> } | undefined;

  constructor(deployment: ResourceSet) {
    this.deployment = deployment;
  }

  /** The first resource of the deployment with this key (only among deployed ones with `deployed`), in document order. */
  declaredResource(key: string, deployed = false): SourceResource | undefined {
    let index = this.#declared;
    if (!index) {
      index = { any: new Map(), deployed: new Map() };
      for (const r of this.deployment.resources) {
        if (!index.any.has(r.key)) index.any.set(r.key, r);
        if (!r.existing && !index.deployed.has(r.key)) index.deployed.set(r.key, r);
      }
      this.#declared = index;
    }
    return (deployed ? index.deployed : index.any).get(key);
  }

  get<K extends GraphNode['kind']>(ref: Ref | undefined, kind: K): Extract<GraphNode, { kind: K }> | undefined {
    if (!ref || ref.kind !== 'found') return undefined;
    const n = this.nodes.get(ref.key);
    return n && n.kind === kind ? (n as Extract<GraphNode, { kind: K }>) : undefined;
  }

  /** The resource ids from templates use the deployment scope; match them case-insensitively. */
  ref(v: Value | undefined): Ref | undefined {
    if (v === undefined || v === null) return undefined;
    let id: Value | undefined = v;
    if (isObject(v)) id = getProp(v, 'id');
    if (id === undefined) return undefined;
    if (id instanceof Unknown) return this.childIdFromReference(id) ?? { kind: 'unknown', value: id };
    // A reference whose id is written but is not a string ({ "id": 12 }, { "id": null }) is not "no reference": what
    // Azure makes of it is not documented, so the path it decides is unknown, never decided as if it were absent.
    if (typeof id !== 'string') return { kind: 'unknown', value: new Unknown('error', `the id is ${id === null ? 'null' : `a ${Array.isArray(id) ? 'array' : typeof id}`}, not a resource id`) };
    return { kind: 'found', key: normaliseId(id) };
  }

  /**
   * `reference(vnet).subnets[0].id` (what Bicep writes for `vnet.properties.subnets[0].id`): Azure fills the id in at
   * deployment, but it is the parent's id plus the child's name, which the template declares.
   */
  private childIdFromReference(u: Unknown): Ref | undefined {
    const m = u.source && /^properties\.(subnets|frontendIPConfigurations|backendAddressPools|ipConfigurations|routes)\[(\d+)\]\.id$/i.exec(u.source.path);
    if (!m || !u.source) return undefined;
    const parentKey = normaliseId(u.source.id);
    const parent = this.declaredResource(parentKey, true);
    const name = prop(list(prop(parent?.body, 'properties', m[1]))[Number(m[2])], 'name');
    return typeof name === 'string' ? { kind: 'found', key: `${parentKey}/${m[1].toLowerCase()}/${name.toLowerCase()}` } : undefined;
  }

  /** After building: turns 'found' refs whose key has no node into 'missing'. */
  check(ref: Ref | undefined): Ref | undefined {
    if (!ref || ref.kind !== 'found') return ref;
    if (this.nodes.has(ref.key) || this.frontends.has(ref.key) || this.pools.has(ref.key) || this.ipConfigs.has(ref.key)) return ref;
    return { kind: 'missing', id: ref.key };
  }
}

/** The key of the parent of a child resource (`…/virtualNetworks/v/subnets/s` → `…/virtualNetworks/v`), if any. */
function parentKey(key: string): string | undefined {
  const i = key.lastIndexOf('/providers/');
  const tail = i < 0 ? [] : key.slice(i + '/providers/'.length).split('/');
  return tail.length > 3 ? key.slice(0, key.lastIndexOf('/', key.lastIndexOf('/') - 1)) : undefined;
}

/**
 * The template's resources plus the inventory's: an inventory resource is left out when a template deploys it
 * or its parent (a VNet deployed with its subnets defines them), and a template's `existing` declaration is left
 * out when the inventory has that resource (or the VNet it is an inline subnet of), whose properties are known.
 */
function withInventory(g: NetworkGraph, resources: readonly SourceResource[], inventory: readonly SourceResource[]): SourceResource[] {
  const deployed = new Set<string>();
  for (const r of resources) if (!r.existing) deployed.add(keyOf(r));
  const covered = (key: string): boolean => {
    for (let k: string | undefined = key; k !== undefined; k = parentKey(k)) if (deployed.has(k)) return true;
    return false;
  };
  const provided = new Set<string>();
  const extra: SourceResource[] = [];
  for (const r of inventory) {
    const key = keyOf(r);
    if (provided.has(key) || covered(key)) continue;
    provided.add(key);
    extra.push(r);
    g.inventoryKeys.add(key);
    if (r.type.toLowerCase() === GRAPH_TYPES.vnet)
      for (const s of list(prop(r.body, 'properties', 'subnets'))) {
        const name = prop(s, 'name');
        if (typeof name === 'string') provided.add(`${key}/subnets/${name.toLowerCase()}`);
      }
  }
  return [...resources.filter((r) => !(r.existing && provided.has(keyOf(r)))), ...extra];
}

/** How the graph uses an inventory. */
export interface GraphOptions {
  /** The scope parts the run was not given: their stand-in values in the templates' ids match any inventory value. */
  readonly standIns?: StandInScope;
  /** The inventory looked up by id, type and name, when the caller built it once for many documents. */
  readonly lookup?: ResourceLookup;
}

/**
 * Builds the network graph of a deployment. Inline children and child resources land on the same node.
 * `inventory` holds resources already deployed (read from inventory files): they fill what the templates only
 * reference, replace the templates' `existing` declarations of the same id, and never override what a
 * template deploys (itself or its parent), whose addresses alone they give (inventory-addresses.ts).
 */
export function buildGraph(deployment: ResourceSet, inventory: readonly SourceResource[] = [], options: GraphOptions = {}): NetworkGraph {
  const g = new NetworkGraph(deployment);
  const vnets = new Map<string, SourceResource>();
  // Keys some template deploys: an `existing` declaration of the same resource (a module reading back what it
  // created, as Azure Verified Modules do) must not hide the deployed one.
  const deployed = new Set<string>();
  const resources = inventory.length === 0 ? deployment.resources : withInventory(g, deployment.resources, inventory);
  for (const r of resources) {
    g.allKeys.add(r.key);
    if (r.condition instanceof Unknown && r.copyIndex === undefined && /^the copy count of /.test(r.condition.origin) && !g.unknownCopies.has(r.type.toLowerCase()))
      g.unknownCopies.set(r.type.toLowerCase(), r.condition.origin);
    if (!r.existing) deployed.add(keyOf(r));
    if (r.type.toLowerCase() === GRAPH_TYPES.vnet && !(r.existing && vnets.has(keyOf(r)))) vnets.set(keyOf(r), r);
  }
  const routeChildren: SourceResource[] = [];
  const poolChildren: SourceResource[] = [];
  const subnetChildren: SourceResource[] = [];
  const aks = new AksReader(g, resources, deployed);
  for (const r of resources) {
    const t = r.type.toLowerCase();
    const key = keyOf(r);
    if (r.existing && deployed.has(key)) continue;
    if (SKU_CHECKED.has(t)) checkSku(g, r.body, r.at, 'sku');
    switch (t) {
      case GRAPH_TYPES.publicIp:
        g.nodes.set(key, readPublicIp(g, r));
        break;
      case GRAPH_TYPES.publicIpPrefix:
        g.nodes.set(key, readPrefix(g, r));
        break;
      case GRAPH_TYPES.natGateway:
        g.nodes.set(key, readNat(g, r));
        break;
      case GRAPH_TYPES.routeTable:
        g.nodes.set(key, readRouteTable(g, r));
        break;
      case GRAPH_TYPES.route:
        routeChildren.push(r);
        break;
      case GRAPH_TYPES.vnet: {
        const subnetList = entries(arrayAt(g, r.body, r.at, 'properties', 'subnets'));
        for (let i = 0; i < subnetList.length; i++) {
          const s = subnetList[i];
          const name = str(typed(g, 'string', s, locationIn(r, 'properties', 'subnets', i), 'name'), '');
          const skey = `${key}/subnets/${name.toLowerCase()}`;
          g.nodes.set(skey, readSubnet(g, key, skey, name, s, locationIn(r, 'properties', 'subnets', i), r, r));
        }
        readInlinePeerings(g, r, key);
        break;
      }
      case GRAPH_TYPES.subnet:
        subnetChildren.push(r);
        break;
      case GRAPH_TYPES.loadBalancer:
        g.nodes.set(key, readLb(g, r));
        break;
      case GRAPH_TYPES.backendPool:
        poolChildren.push(r);
        break;
      case GRAPH_TYPES.nic:
        g.nodes.set(key, readNic(g, r));
        break;
      case GRAPH_TYPES.vm:
      case GRAPH_TYPES.vmss: {
        const vm = readVm(g, r);
        g.nodes.set(key, vm);
        // An `existing` VM is only referenced (e.g. as the parent of an extension): nothing here deploys it. A Flexible
        // scale set without a virtualMachineProfile has no instances of its own; its members are VMs that join it.
        const container = vm.scaleSet && vm.orchestrationMode?.toLowerCase() === 'flexible' && prop(r.body, 'properties', 'virtualMachineProfile') === undefined;
        // A VM from an inventory file is already deployed: not one the templates are linted for.
        if (!vm.existing && !container && !g.inventoryKeys.has(key)) g.vms.push(vm);
        break;
      }
      case GRAPH_TYPES.firewall:
        g.nodes.set(key, readFirewall(g, r));
        break;
      case GRAPH_TYPES.managedCluster:
        aks.cluster(r);
        break;
      case GRAPH_TYPES.agentPool:
        aks.childPool(r);
        break;
      default:
        // Virtual WAN, gateways and peerings: what a subnet may learn routes from.
        if (!readVirtualWan(g, r, t, key)) readGateways(g, r, t, key);
        break;
    }
  }
  // A subnet declared both inline and as a child resource: the child resource is deployed after the VNet (it
  // depends on it) and its PUT replaces the inline properties, so it wins whatever the document order.
  for (const r of subnetChildren) {
    const key = keyOf(r);
    const vnetKey = key.slice(0, key.lastIndexOf('/subnets/'));
    g.nodes.set(key, readSubnet(g, vnetKey, key, lastSegment(r.name), r.body, r.at, r, vnets.get(vnetKey)));
  }
  for (const r of routeChildren) {
    const key = keyOf(r);
    const rtKey = key.slice(0, key.lastIndexOf('/routes/'));
    const rt = g.nodes.get(rtKey);
    const route = readRoute(g, r.body, r.at, lastSegment(r.name));
    if (rt && rt.kind === 'routeTable' && route) {
      const i = rt.routes.findIndex((x) => x.name.toLowerCase() === route.name.toLowerCase());
      if (i >= 0) rt.routes[i] = route;
      else rt.routes.push(route);
    }
  }
  for (const r of poolChildren) {
    const key = keyOf(r);
    const lbKey = key.slice(0, key.lastIndexOf('/backendaddresspools/'));
    const lb = g.nodes.get(lbKey);
    if (lb && lb.kind === 'loadBalancer') addPool(g, lb, { name: lastSegment(r.name), properties: getProp(r.body, 'properties') ?? null }, r.at);
  }
  if (inventory.length > 0) fillAddresses(g, options.lookup ?? resourceLookup(inventory), options.standIns ?? {});
  return g;
}
