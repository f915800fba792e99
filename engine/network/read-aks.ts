// Readers of AKS clusters and their agent pools (egress-model.md, "Workloads beyond VMs"). Each agent pool, inline
// in the cluster's agentPoolProfiles or a child agentPools resource, becomes a workload in g.vms: a scale set with
// one NIC configuration ('nodes') in the pool's subnet, plus the pods' own subnet when podSubnetID names another
// one. What AKS creates for the outbound type (the 'kubernetes' load balancer with its outbound rule and public
// IPs, the managed NAT gateway, the AKS-managed VNet's subnet) is added to the graph as nodes with stand-in names,
// so the resolution order treats them as it treats declared ones; aks-outbound.ts decides what the outbound type
// changes in that order. Imports template/, expressions/ and resources/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import type { SourceResource } from '../resources/types.js';
import type { Value } from '../expressions/value.js';
import { Unknown } from '../expressions/value.js';
import type { AksPool, Frontend, IpConfig, IpConfigPublicIp, LoadBalancer, NatGateway, NetworkGraph, Nic, Ref, Subnet, Vm } from './graph.js';
import { GRAPH_TYPES } from './reads.js';
import { keyOf, lastSegment } from './ids.js';
import { boolOrUnknown, decisive, locationIn, maybeWhy, prop, refListAt, str, strOrUnknown } from './read-values.js';
import { arrayAt, entries, placeOf, typed, unknownOf } from './read-typed.js';

/** The type AKS gives agent pools, as reports show it. */
const POOL_TYPE = 'Microsoft.ContainerService/managedClusters/agentPools';

/** A cluster as its pools need it: its network profile read once, and the nodes AKS creates, added on first use. */
interface Cluster {
  readonly r: SourceResource;
  readonly key: string;
  readonly outboundType: string | Unknown;
  readonly loadBalancerSku: string | Unknown;
  /** Where the network profile (or, without one, the cluster) is declared. */
  readonly networkAt: Location;
  readonly outboundAt: Location;
  /** Inline agentPoolProfiles by lower-case name; undefined entries list stands for an unknown list. */
  readonly inline: Map<string, { readonly value: Value; readonly at: Location; readonly name: string }>;
  readonly unknownPools: Unknown | undefined;
  /** Keys of the nodes AKS creates for this cluster, once added. */
  managedSubnet?: string;
  outboundPool?: string;
}

/** A whole number that decides how many IPs AKS creates, or why it is not known. */
function countOf(v: Value | undefined, what: string, cluster: string): number | Unknown {
  const d = decisive(v);
  if (d === undefined || d === null) return 1;
  if (d instanceof Unknown) return new Unknown(d.cause, `${what} of cluster '${cluster}': ${d.origin}`);
  const n = typeof d === 'string' && /^\d+$/.test(d.trim()) ? Number(d) : d;
  // AKS accepts 1 to 100 managed outbound IPs on the load balancer and 1 to 16 on a NAT gateway.
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 100) return new Unknown('parameter', `${what} of cluster '${cluster}' is ${JSON.stringify(d)}, not a count AKS accepts`);
  return n;
}

/** Where member `key` of `parent` (written at `base`) is written when it is set, else `base`. */
function written(base: Location, parent: Value | undefined, value: Value | undefined, key: string): Location {
  if (value === undefined || value === null) return base;
  return placeOf(parent, base, key);
}

/** An id property that names a subnet or prefix: absent, null and '' all mean none. */
function idRef(g: NetworkGraph, v: Value | undefined): Ref | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return g.ref(v);
}

/** Reads AKS clusters and agent pools as buildGraph meets them, so pools keep the document order. */
export class AksReader {
  private readonly clusters = new Map<string, Cluster | null>();
  /** Child agentPools resources by cluster key, and each cluster's resource, found on first use. */
  private index: { children: Map<string, SourceResource[]>; clusters: Map<string, SourceResource> } | undefined;

  constructor(
    private readonly g: NetworkGraph,
    private readonly resources: readonly SourceResource[],
    private readonly deployed: ReadonlySet<string>,
  ) {}

  private lookups(): NonNullable<AksReader['index']> {
    if (this.index) return this.index;
    const children = new Map<string, SourceResource[]>();
    const clusters = new Map<string, SourceResource>();
    for (const r of this.resources) {
      const t = r.type.toLowerCase();
      if (t === GRAPH_TYPES.managedCluster) {
        const key = keyOf(r);
        // A template's `existing` declaration does not hide the cluster another template deploys (graph.ts).
        if (!clusters.has(key) || (clusters.get(key)!.existing && !r.existing)) clusters.set(key, r);
      } else if (t === GRAPH_TYPES.agentPool && !r.existing) {
        const key = keyOf(r);
        const ck = key.slice(0, key.lastIndexOf('/agentpools/'));
        const list = children.get(ck);
        if (list) list.push(r);
        else children.set(ck, [r]);
      }
    }
    this.index = { children, clusters };
    return this.index;
  }

  /** A cluster resource: its inline pools that no child resource replaces become workloads. */
  cluster(r: SourceResource): void {
    const key = keyOf(r);
    if (r.existing && this.deployed.has(key)) return;
    const c = this.clusterOf(key);
    if (!c || c.r !== r || r.existing || this.g.inventoryKeys.has(key)) return;
    const children = this.lookups().children.get(key) ?? [];
    if (c.unknownPools) this.addPool(c, `{agentPoolProfiles}`, undefined, c.networkAt, r, `the agent pools of cluster '${r.name}': ${c.unknownPools.origin}`);
    for (const [lower, entry] of c.inline) {
      // A child agentPools resource with the same name is deployed after the cluster and replaces the profile.
      // (One that may not be deployed leaves the pool undecided: childPool reports it.)
      if (children.some((ch) => lastSegment(ch.name).toLowerCase() === lower)) continue;
      this.addPool(c, entry.name, entry.value, entry.at, r, undefined);
    }
  }

  /** A child agentPools resource: a workload of its own, whose outbound settings are its cluster's. */
  childPool(r: SourceResource): void {
    const key = keyOf(r);
    // Only referenced, or read from an inventory file: already deployed, not a workload the templates are linted for.
    if (r.existing || this.g.inventoryKeys.has(key)) return;
    const ck = key.slice(0, key.lastIndexOf('/agentpools/'));
    const name = lastSegment(r.name);
    const c = this.clusterOf(ck);
    const clusterName = r.name.slice(0, r.name.length - name.length - 1);
    let undecided: string | undefined;
    const inline = c?.inline.get(name.toLowerCase());
    if (!c) undecided = `cluster '${clusterName}' is not in the analysed files`;
    else if (c.r.existing) undecided = `cluster '${c.r.name}' is an existing resource outside the analysed files`;
    else if (c.r.condition instanceof Unknown && maybeWhy(c.r.condition) !== maybeWhy(r.condition))
      // The pool joins whatever cluster of that name exists: one this template may not deploy.
      undecided = `cluster '${c.r.name}' may not be deployed (its condition is unknown: ${maybeWhy(c.r.condition)!}), and the pool then joins a cluster whose network profile is outside the analysed files`;
    else if (inline && r.condition instanceof Unknown)
      undecided = `agent pool resource '${r.name}' may not be deployed (its condition is unknown: ${maybeWhy(r.condition)!}), and the cluster's own profile '${inline.name}' then applies`;
    const body = prop(r.body, 'properties');
    this.checkPoolTypes(body, locationIn(r, 'properties'));
    if (!c) {
      this.addOrphan(ck, clusterName, name, r, undecided!);
      return;
    }
    this.addPool(c, name, body, r.at, r, undecided, locationIn(r, 'properties'));
  }

  private clusterOf(key: string): Cluster | undefined {
    const known = this.clusters.get(key);
    if (known !== undefined) return known ?? undefined;
    const r = this.lookups().clusters.get(key);
    const c = r ? this.readCluster(r) : null;
    this.clusters.set(key, c);
    return c ?? undefined;
  }

  /** What the cluster's network profile says; networkProfile and agentPoolProfiles are all reads.ts lets through. */
  private readCluster(r: SourceResource): Cluster {
    // A network profile or pool list of the wrong type is a finding and leaves the cluster undecided (read-typed.ts):
    // read as absent, it would pass for AKS's defaults.
    const npRead = typed(this.g, 'object', r.body, r.at, 'properties', 'networkProfile');
    const np = npRead instanceof Unknown ? undefined : npRead;
    const networkAt = np === undefined || np === null ? r.at : locationIn(r, 'properties', 'networkProfile');
    const ot = npRead instanceof Unknown ? npRead : typed(this.g, 'string', np, networkAt, 'outboundType');
    const sku = npRead instanceof Unknown ? npRead : typed(this.g, 'string', np, networkAt, 'loadBalancerSku');
    // The outbound profiles are objects in AKS's schema (https://learn.microsoft.com/azure/templates/
    // microsoft.containerservice/managedclusters), and Azure refuses another type whichever the outbound type is: a
    // finding, as for a SKU, though only the profile of the cluster's outbound type is read for its addresses.
    typed(this.g, 'object', r.body, r.at, 'properties', 'networkProfile', 'loadBalancerProfile');
    typed(this.g, 'object', r.body, r.at, 'properties', 'networkProfile', 'natGatewayProfile');
    const pools = arrayAt(this.g, r.body, r.at, 'properties', 'agentPoolProfiles');
    let unknownPools = unknownOf(pools);
    const inline = new Map<string, { value: Value; at: Location; name: string }>();
    const profiles = entries(pools);
    for (let i = 0; i < profiles.length; i++) {
      const at = locationIn(r, 'properties', 'agentPoolProfiles', i);
      const entry = typed(this.g, 'object', profiles[i], at);
      if (entry instanceof Unknown) unknownPools ??= entry;
      if (entry === undefined || entry instanceof Unknown) continue;
      this.checkPoolTypes(entry, at);
      const n = typed(this.g, 'string', entry, at, 'name');
      const name = typeof n === 'string' ? n : `{agentPoolProfiles[${i}].name}`;
      if (!inline.has(name.toLowerCase())) inline.set(name.toLowerCase(), { value: entry, at, name });
    }
    return {
      r,
      key: keyOf(r),
      // Defaults of the ContainerService API: outbound type loadBalancer, load balancer SKU standard
      // (https://learn.microsoft.com/azure/aks/egress-outboundtype).
      outboundType: strOrUnknown(ot) ?? 'loadBalancer',
      loadBalancerSku: strOrUnknown(sku) ?? 'standard',
      networkAt,
      outboundAt: written(networkAt, np, ot instanceof Unknown ? undefined : ot, 'outboundType'),
      inline,
      unknownPools,
    };
  }

  /**
   * AKS rejects a profile member of the wrong type: a finding, also for an inline profile a child resource replaces
   * (whose subnet or node IP settings then decide nothing, but the cluster does not deploy as written). The count and
   * pool type decide no address; the subnets and node IP settings are read again where they decide (addPool).
   */
  private checkPoolTypes(p: Value | undefined, at: Location): void {
    typed(this.g, 'number', p, at, 'count');
    typed(this.g, 'string', p, at, 'type');
    typed(this.g, 'string', p, at, 'vnetSubnetID');
    typed(this.g, 'string', p, at, 'podSubnetID');
    typed(this.g, 'boolean', p, at, 'enableNodePublicIP');
    typed(this.g, 'string', p, at, 'nodePublicIPPrefixID');
  }

  /** A pool whose cluster the files do not hold: a workload whose every path is unknown. */
  private addOrphan(clusterKey: string, clusterName: string, pool: string, r: SourceResource, undecided: string): void {
    const key = `${clusterKey}/agentpools/${pool.toLowerCase()}`;
    const nic = this.nic(key, `${clusterName}/${pool}`, r, r.at, undefined, undefined, undefined);
    const aks: AksPool = { cluster: clusterName, clusterKey, outboundType: 'loadBalancer', loadBalancerSku: 'standard', managedVnet: false, pods: undefined, undecided, at: r.at, networkAt: r.at };
    this.add(this.poolVm(key, r.id.slice(0, r.id.length - pool.length - '/agentPools/'.length), `${clusterName}/${pool}`, pool, r.at, r, aks), nic);
  }

  /** One agent pool of a cluster; `p` holds the profile fields (an inline entry, or a child resource's properties). */
  private addPool(c: Cluster, pool: string, p: Value | undefined, at: Location, r: SourceResource, undecided: string | undefined, pAt: Location = at): void {
    const key = `${c.key}/agentpools/${pool.toLowerCase()}`;
    const name = `${c.r.name}/${pool}`;
    // The subnets and the node IP flag decide: of the wrong type, they are unknown (and a finding).
    const subnetValue = typed(this.g, 'string', p, pAt, 'vnetSubnetID');
    const subnetRef = idRef(this.g, subnetValue);
    const podRef = idRef(this.g, typed(this.g, 'string', p, pAt, 'podSubnetID'));
    const managedVnet = subnetRef === undefined && !(subnetValue instanceof Unknown);
    const type = typeof c.outboundType === 'string' ? c.outboundType.toLowerCase() : '';
    const decided = typeof c.loadBalancerSku === 'string' && c.loadBalancerSku.toLowerCase() === 'standard';
    const subnet = managedVnet ? { kind: 'found' as const, key: this.managedSubnet(c, decided && (type === 'managednatgateway' || type === 'managednatgatewayv2')) } : subnetRef;
    const publicIp = this.nodePublicIp(p, at, pAt, `${c.r.name}-${pool}`);
    // Node public IPs carry the nodes' outbound traffic ahead of any load balancer
    // (https://learn.microsoft.com/azure/load-balancer/load-balancer-outbound-connections), and Azure refuses an
    // outbound rule for IP configurations with their own public IP: AKS leaves such nodes out of its outbound pool.
    const inPool = decided && type === 'loadbalancer' && publicIp === undefined;
    const nic = this.nic(key, name, r, at, subnet, publicIp, inPool ? this.outboundPool(c) : undefined);
    let pods: AksPool['pods'];
    const nodeKey = subnet?.kind === 'found' ? subnet.key : undefined;
    if (podRef && !(podRef.kind === 'found' && podRef.key === nodeKey)) {
      const ipc: IpConfig = { key: `${nic.key}/ipconfigurations/pods`, name: 'pods', nicKey: nic.key, primary: true, subnet: podRef, publicIp: undefined, privateIp: undefined, version: 'IPv4', pools: [], at: written(at, at === pAt ? p : undefined, prop(p, 'podSubnetID'), 'podSubnetID') };
      this.g.ipConfigs.set(ipc.key, ipc);
      pods = { nic, ipc };
    }
    const aks: AksPool = { cluster: c.r.name, clusterKey: c.key, outboundType: c.outboundType, loadBalancerSku: c.loadBalancerSku, managedVnet, pods, undecided, at: c.outboundAt, networkAt: c.networkAt };
    this.add(this.poolVm(key, c.r.id, name, pool, at, r, aks), nic);
  }

  private poolVm(key: string, clusterId: string, name: string, pool: string, at: Location, r: SourceResource, aks: AksPool): Vm {
    return {
      kind: 'vm',
      key,
      id: `${clusterId}/agentPools/${pool}`,
      name,
      type: POOL_TYPE,
      at,
      maybe: r.condition instanceof Unknown,
      maybeWhy: maybeWhy(r.condition),
      existing: false,
      // AKS node pools of type VirtualMachineScaleSets are Uniform scale sets.
      scaleSet: true,
      orchestrationMode: 'Uniform',
      nics: [],
      availabilitySet: undefined,
      scaleSetRef: undefined,
      unknownNics: undefined,
      aks,
    };
  }

  /** The pool's NIC configuration, with its one ipconfig 'nodes'; its label in reports is the pool's name. */
  private nic(poolKey: string, name: string, r: SourceResource, at: Location, subnet: Ref | undefined, publicIp: IpConfig['publicIp'], pool: string | undefined): Nic {
    const key = `${poolKey}/networkinterfaceconfigurations/nodes`;
    const ipc: IpConfig = { key: `${key}/ipconfigurations/nodes`, name: 'nodes', nicKey: key, primary: true, subnet, publicIp, privateIp: undefined, version: 'IPv4', pools: pool ? [{ kind: 'found', key: pool }] : [], at };
    this.g.ipConfigs.set(ipc.key, ipc);
    return { kind: 'nic', key, id: key, name, type: 'Microsoft.Network/networkInterfaces', at, maybe: r.condition instanceof Unknown, maybeWhy: maybeWhy(r.condition), existing: false, ipConfigs: [ipc], ipForwarding: false, managed: true, unknownIpConfigs: undefined };
  }

  private add(vm: Vm, nic: Nic): void {
    this.g.nodes.set(nic.key, nic);
    vm.nics.push({ nic: { kind: 'found', key: nic.key }, primary: true, at: vm.at });
    this.g.nodes.set(vm.key, vm);
    this.g.vms.push(vm);
  }

  /**
   * enableNodePublicIP: every node gets its own Standard public IP, from nodePublicIPPrefixID when it names a prefix
   * (https://learn.microsoft.com/azure/aks/use-node-public-ips).
   */
  private nodePublicIp(p: Value | undefined, at: Location, pAt: Location, pool: string): IpConfig['publicIp'] {
    const flag = typed(this.g, 'boolean', p, pAt, 'enableNodePublicIP');
    const on = boolOrUnknown(flag);
    if (on instanceof Unknown) return new Unknown(on.cause, `enableNodePublicIP: ${on.origin}`);
    if (on !== true) return undefined;
    const prefixValue = typed(this.g, 'string', p, pAt, 'nodePublicIPPrefixID');
    const prefix = prefixValue instanceof Unknown ? { kind: 'unknown' as const, value: prefixValue } : idRef(this.g, prefixValue);
    const cfg: IpConfigPublicIp = { kind: 'managed', name: `${pool}-node-public-ip`, sku: 'Standard', tier: 'Regional', allocation: 'Static', prefix, version: 'IPv4', at: written(at, at === pAt ? p : undefined, flag, 'enableNodePublicIP') };
    return cfg;
  }

  /** The subnet of the VNet AKS creates for a cluster without vnetSubnetID, with the managed NAT gateway when there is one. */
  private managedSubnet(c: Cluster, withNat: boolean): string {
    if (c.managedSubnet !== undefined) return c.managedSubnet;
    const vnetKey = `${c.key}/aks/virtualnetworks/aks-vnet`;
    const key = `${vnetKey}/subnets/aks-subnet`;
    const subnet: Subnet = {
      key,
      id: key,
      name: 'aks-subnet',
      type: 'Microsoft.Network/virtualNetworks/subnets',
      at: c.networkAt,
      maybe: false,
      maybeWhy: undefined,
      existing: false,
      kind: 'subnet',
      vnetKey,
      addressPrefixes: [],
      natGateway: withNat ? { kind: 'found', key: this.managedNat(c) } : undefined,
      routeTable: undefined,
      // Clusters created from 31 March 2026 get private subnets in the AKS-managed VNet
      // (https://learn.microsoft.com/azure/aks/egress-outboundtype, note on default outbound access).
      defaultOutboundAccess: false,
      apiVersion: c.r.apiVersion,
      vnetCreatedHere: true,
      vnetApiVersion: c.r.apiVersion,
    };
    this.g.nodes.set(key, subnet);
    c.managedSubnet = key;
    return key;
  }

  /** A public IP AKS creates: Standard and static, named `<cluster>-<what>-<n>` (egress-model.md). */
  private createdIp(c: Cluster, what: string, n: number, at: Location): Ref {
    const name = `${c.r.name}-${what}-${n}`;
    const key = `${c.key}/aks/publicipaddresses/${name.toLowerCase()}`;
    this.g.nodes.set(key, { kind: 'publicIp', key, id: key, name, type: 'Microsoft.Network/publicIPAddresses', at, maybe: false, maybeWhy: undefined, existing: false, sku: 'Standard', tier: 'Regional', allocation: 'Static', version: 'IPv4', prefix: undefined, address: null, created: true });
    return { kind: 'found', key };
  }

  /** The IPs of an outbound profile: the user's public IPs and prefixes, else `count` IPs AKS creates. */
  private outboundIps(c: Cluster, profile: Value | undefined, countAt: string[], what: string, at: Location): { ips: Ref[]; prefixes: Ref[]; unknown: Unknown | undefined } {
    // A profile of the wrong type (read-typed.ts reported it) leaves the outbound IPs unknown.
    if (profile instanceof Unknown) return { ips: [], prefixes: [], unknown: profile };
    const ips = refListAt(this.g, profile, at, 'outboundIPs', 'publicIPs');
    const prefixes = refListAt(this.g, profile, at, 'outboundIPPrefixes', 'publicIPPrefixes');
    const unknown = ips.unknown ?? prefixes.unknown;
    if (unknown || ips.refs.length + prefixes.refs.length > 0) return { ips: ips.refs, prefixes: prefixes.refs, unknown };
    const count = countOf(typed(this.g, 'number', profile, at, ...countAt), countAt.join('.'), c.r.name);
    if (count instanceof Unknown) return { ips: [], prefixes: [], unknown: count };
    const created: Ref[] = [];
    for (let n = 1; n <= count; n++) created.push(this.createdIp(c, what, n, at));
    return { ips: created, prefixes: [], unknown: undefined };
  }

  /**
   * The 'kubernetes' load balancer AKS creates for outbound type loadBalancer: outbound rule 'aksOutboundRule' from
   * pool 'aksOutboundBackendPool' to loadBalancerProfile's outboundIPs and outboundIPPrefixes, else to
   * managedOutboundIPs.count (default 1) IPs it creates (https://learn.microsoft.com/azure/aks/configure-load-balancer-standard).
   */
  private outboundPool(c: Cluster): string {
    if (c.outboundPool !== undefined) return c.outboundPool;
    const profile = typed(this.g, 'object', c.r.body, c.r.at, 'properties', 'networkProfile', 'loadBalancerProfile');
    const at = written(c.networkAt, prop(c.r.body, 'properties', 'networkProfile'), profile instanceof Unknown ? undefined : profile, 'loadBalancerProfile');
    const key = `${c.key}/aks/loadbalancers/kubernetes`;
    const { ips, prefixes, unknown } = this.outboundIps(c, profile, ['managedOutboundIPs', 'count'], 'managed-outbound', at);
    const frontends: Frontend[] = [];
    for (const ip of ips) frontends.push(this.frontend(key, ip, undefined, at, frontends.length));
    for (const prefix of prefixes) frontends.push(this.frontend(key, undefined, prefix, at, frontends.length));
    if (unknown) frontends.push(this.frontend(key, { kind: 'unknown', value: unknown }, undefined, at, frontends.length));
    const pool = { key: `${key}/backendaddresspools/aksoutboundbackendpool`, name: 'aksOutboundBackendPool', lbKey: key, addresses: [], at };
    const lb: LoadBalancer = {
      kind: 'loadBalancer',
      key,
      id: key,
      name: 'kubernetes',
      type: 'Microsoft.Network/loadBalancers',
      at,
      maybe: false,
      maybeWhy: undefined,
      existing: false,
      sku: 'Standard',
      frontends,
      pools: [pool],
      lbRules: [],
      outboundRules: [{ name: 'aksOutboundRule', frontends: frontends.map((f) => ({ kind: 'found' as const, key: f.key })), pool: { kind: 'found', key: pool.key }, at }],
    };
    this.g.nodes.set(key, lb);
    this.g.pools.set(pool.key, pool);
    c.outboundPool = pool.key;
    return pool.key;
  }

  /** A frontend of the 'kubernetes' load balancer, named after its IP or prefix. */
  private frontend(lbKey: string, ip: Ref | undefined, prefix: Ref | undefined, at: Location, i: number): Frontend {
    const ref = ip ?? prefix!;
    const name = ref.kind === 'unknown' ? `frontend${i + 1}` : lastSegment(ref.kind === 'found' ? ref.key : ref.id);
    const fe: Frontend = { key: `${lbKey}/frontendipconfigurations/${i}`, name, lbKey, publicIp: ip, publicIpPrefix: prefix, subnet: undefined, privateIp: undefined, at };
    this.g.frontends.set(fe.key, fe);
    return fe;
  }

  /**
   * The NAT gateway AKS creates for outbound type managedNATGateway (or managedNATGatewayV2): natGatewayProfile's
   * outboundIPs and outboundIPPrefixes, else managedOutboundIPProfile.count (default 1) IPs it creates
   * (https://learn.microsoft.com/azure/aks/nat-gateway).
   */
  private managedNat(c: Cluster): string {
    const np = prop(c.r.body, 'properties', 'networkProfile');
    const profile = typed(this.g, 'object', np, c.networkAt, 'natGatewayProfile');
    const at = written(c.networkAt, np, profile instanceof Unknown ? undefined : profile, 'natGatewayProfile');
    const key = `${c.key}/aks/natgateways/${c.r.name.toLowerCase()}-managed-nat-gateway`;
    const { ips, prefixes, unknown } = this.outboundIps(c, profile, ['managedOutboundIPProfile', 'count'], 'managed-nat', at);
    const v2 = typeof c.outboundType === 'string' && c.outboundType.toLowerCase() === 'managednatgatewayv2';
    const nat: NatGateway = {
      kind: 'natGateway',
      key,
      id: key,
      name: `${c.r.name}-managed-nat-gateway`,
      type: 'Microsoft.Network/natGateways',
      at,
      maybe: false,
      maybeWhy: undefined,
      existing: false,
      sku: str(prop(profile, 'sku'), v2 ? 'StandardV2' : 'Standard'),
      publicIps: ips,
      publicIpPrefixes: prefixes,
      publicIpsV6: [],
      publicIpPrefixesV6: [],
      unknownIps: unknown,
      unknownIpsV6: undefined,
    };
    this.g.nodes.set(key, nat);
    return key;
  }
}
