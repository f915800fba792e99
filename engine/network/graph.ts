// The typed network graph built from an expanded deployment: VMs, scale sets, NICs, ipconfigs, subnets, route
// tables, NAT gateways, load balancers, public IPs and prefixes, firewalls. Imports expansion/ and expressions/.
import type { Location } from '../template/finding.js';
import { pointerJoin } from '../template/template.js';
import type { ResourceSet, SourceResource } from '../resources/types.js';
import { GRAPH_TYPES } from './reads.js';
import type { Value, ValueObject } from '../expressions/value.js';
import { Unknown, getProp, isObject, newObject } from '../expressions/value.js';

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
  /** Declared `existing`: its properties are outside the analysed files. */
  readonly existing: boolean;
}

export interface PublicIp extends NodeBase {
  readonly kind: 'publicIp';
  readonly sku: string | Unknown;
  readonly tier: string;
  readonly allocation: string | Unknown;
  readonly version: string;
  readonly prefix: Ref | undefined;
  readonly address: string | null;
}

export interface PublicIpPrefix extends NodeBase {
  readonly kind: 'publicIpPrefix';
  readonly sku: string | Unknown;
  readonly version: string;
  readonly prefixLength: number | Unknown | undefined;
  readonly ipPrefix: string | null;
}

export interface NatGateway extends NodeBase {
  readonly kind: 'natGateway';
  readonly sku: string | Unknown;
  readonly publicIps: readonly Ref[];
  readonly publicIpPrefixes: readonly Ref[];
  readonly publicIpsV6: readonly Ref[];
  readonly publicIpPrefixesV6: readonly Ref[];
  /** Unknown when the IP lists themselves are not known. */
  readonly unknownIps: Unknown | undefined;
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
}

/** The public IP of an ipconfig: a reference to a public IP resource, or a VM-/scale-set-managed configuration. */
export type IpConfigPublicIp =
  | { readonly kind: 'ref'; readonly ref: Ref; readonly at: Location }
  | { readonly kind: 'managed'; readonly name: string; readonly sku: string | Unknown; readonly tier: string; readonly allocation: string | Unknown; readonly prefix: Ref | undefined; readonly version: string; readonly at: Location };

export interface IpConfig {
  readonly key: string;
  readonly name: string;
  readonly nicKey: string;
  readonly primary: boolean | Unknown | undefined;
  readonly subnet: Ref | undefined;
  readonly publicIp: IpConfigPublicIp | Unknown | undefined;
  readonly privateIp: string | Unknown | undefined;
  readonly version: string;
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
}

export type GraphNode = PublicIp | PublicIpPrefix | NatGateway | RouteTable | Subnet | LoadBalancer | Nic | Vm | Firewall;

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
  readonly deployment: ResourceSet;

  /**
   * Key → the deployment's first resource and its first deployed (not `existing`) one, built on first use: a lookup
   * per reference instead of a scan of every resource (quadratic when thousands of NICs name subnets through
   * reference()). A private field: a graph sent to another thread does not carry it, and unlike a module-level
   * WeakMap it dies with the graph (V8's young-generation collector holds WeakMap values strongly, so an index
   * there kept every template's resources alive until a full collection; measured on the corpus).
   */
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
    if (id === undefined || id === null) return undefined;
    if (id instanceof Unknown) return this.childIdFromReference(id) ?? { kind: 'unknown', value: id };
    if (typeof id !== 'string') return undefined;
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

/** The last '/'-separated segment of a resource id or name. */
export function lastSegment(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/** True when an id's ends need trimming (white space, a trailing slash) before it is a key. */
function untidy(id: string): boolean {
  const last = id.charCodeAt(id.length - 1);
  return last === 47 || last <= 32 || id.charCodeAt(0) <= 32;
}

/** Lower-cased id without a trailing slash. */
export function normaliseId(id: string): string {
  // Most ids need only lower-casing; trim and the trailing-slash loop run only when the ends say so.
  if (untidy(id)) {
    // A loop, not /\/+$/: that regex retries at every slash of an inner run, quadratic on an id such as 'a////…/b '.
    const t = id.trim();
    let end = t.length;
    while (end > 0 && t.charCodeAt(end - 1) === 47) end--;
    return t.slice(0, end).toLowerCase();
  }
  return id.toLowerCase();
}

/** A resource's graph key: its lower-case id (computed by the expansion) unless the id needs trimming. */
function keyOf(r: SourceResource): string {
  return untidy(r.id) ? normaliseId(r.id) : r.key;
}

// ---- helpers to read evaluated ARM values ---------------------------------------------------------------------

function prop(o: Value | undefined, ...path: string[]): Value | undefined {
  let cur: Value | undefined = o;
  for (const p of path) {
    // A member of an unknown object is unknown, not absent: absent would read as a schema default.
    if (cur instanceof Unknown) return cur;
    if (!isObject(cur)) return undefined;
    cur = getProp(cur, p);
  }
  return cur;
}

function strOrUnknown(v: Value | undefined): string | Unknown | undefined {
  if (v instanceof Unknown || typeof v === 'string') return v;
  return undefined;
}

function boolOrUnknown(v: Value | undefined): boolean | Unknown | undefined {
  if (v instanceof Unknown || typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  return undefined;
}

/** A string property with a default; an Unknown or a non-string gives the default. */
function str(v: Value | undefined, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}

function list(v: Value | undefined): readonly Value[] {
  return Array.isArray(v) ? v : [];
}

function at(r: SourceResource, ...segments: (string | number)[]): Location {
  let p = r.at.pointer;
  for (const s of segments) p = pointerJoin(p, s);
  return { file: r.at.file, pointer: p };
}

/** Pointer into the declaration for a value inside `properties` (the body mirrors the declaration). */
function base(r: SourceResource, r2: SourceResource | undefined = undefined): NodeBase {
  const x = r2 ?? r;
  return { key: keyOf(x), id: x.id, name: x.name, type: x.type, at: x.at, maybe: x.condition instanceof Unknown, existing: x.existing };
}

// ---- builders ---------------------------------------------------------------------------------------------------


function readPublicIp(g: NetworkGraph, r: SourceResource): PublicIp {
  const b = r.body;
  const sku = prop(b, 'sku', 'name');
  const alloc = prop(b, 'properties', 'publicIPAllocationMethod');
  const skuName = sku instanceof Unknown ? sku : typeof sku === 'string' ? sku : 'Basic';
  // Without an allocation method, Standard addresses are static and Basic ones dynamic (Microsoft.Network schema defaults).
  const allocation = alloc instanceof Unknown ? alloc : typeof alloc === 'string' ? alloc : typeof skuName === 'string' && skuName.toLowerCase() !== 'basic' ? 'Static' : 'Dynamic';
  const ip = prop(b, 'properties', 'ipAddress');
  return {
    kind: 'publicIp',
    sku: skuName,
    tier: str(prop(b, 'sku', 'tier'), 'Regional'),
    allocation,
    version: str(prop(b, 'properties', 'publicIPAddressVersion'), 'IPv4'),
    prefix: g.ref(prop(b, 'properties', 'publicIPPrefix')),
    address: typeof ip === 'string' ? ip : null,
    ...base(r),
  };
}

function readPrefix(r: SourceResource): PublicIpPrefix {
  const b = r.body;
  const len = prop(b, 'properties', 'prefixLength');
  const ipPrefix = prop(b, 'properties', 'ipPrefix');
  const sku = prop(b, 'sku', 'name');
  return {
    kind: 'publicIpPrefix',
    sku: sku instanceof Unknown ? sku : typeof sku === 'string' ? sku : 'Standard',
    version: str(prop(b, 'properties', 'publicIPAddressVersion'), 'IPv4'),
    prefixLength: typeof len === 'number' || len instanceof Unknown ? len : undefined,
    ipPrefix: typeof ipPrefix === 'string' ? ipPrefix : null,
    ...base(r),
  };
}

function refList(g: NetworkGraph, v: Value | undefined): { refs: Ref[]; unknown: Unknown | undefined } {
  if (v instanceof Unknown) return { refs: [], unknown: v };
  const refs: Ref[] = [];
  for (const x of list(v)) {
    const r = g.ref(x);
    if (r) refs.push(r);
  }
  return { refs, unknown: undefined };
}

function readNat(g: NetworkGraph, r: SourceResource): NatGateway {
  const p = prop(r.body, 'properties');
  const a = refList(g, prop(p, 'publicIpAddresses'));
  const b = refList(g, prop(p, 'publicIpPrefixes'));
  const c = refList(g, prop(p, 'publicIpAddressesV6'));
  const d = refList(g, prop(p, 'publicIpPrefixesV6'));
  const sku = prop(r.body, 'sku', 'name');
  return {
    kind: 'natGateway',
    sku: sku instanceof Unknown ? sku : typeof sku === 'string' ? sku : 'Standard',
    publicIps: a.refs,
    publicIpPrefixes: b.refs,
    publicIpsV6: c.refs,
    publicIpPrefixesV6: d.refs,
    unknownIps: a.unknown ?? b.unknown,
    ...base(r),
  };
}

function readRoute(v: Value, loc: Location, name?: string): Route | undefined {
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

function readRouteTable(r: SourceResource): RouteTable {
  const routes = prop(r.body, 'properties', 'routes');
  const out: Route[] = [];
  const routeList = list(routes);
  for (let i = 0; i < routeList.length; i++) {
    const x = routeList[i];
    const route = readRoute(x, at(r, 'properties', 'routes', i));
    if (route) out.push(route);
  }
  return { kind: 'routeTable', routes: out, unknownRoutes: routes instanceof Unknown ? routes : undefined, ...base(r) };
}

function subnetFrom(g: NetworkGraph, vnetKey: string, key: string, name: string, v: Value, loc: Location, r: SourceResource, vnet: SourceResource | undefined): Subnet {
  const p = prop(v, 'properties') ?? newEmpty();
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

function newEmpty(): ValueObject {
  return newObject();
}

function readLb(g: NetworkGraph, r: SourceResource): LoadBalancer {
  const key = keyOf(r);
  const p = prop(r.body, 'properties');
  const sku = prop(r.body, 'sku', 'name');
  const lb: LoadBalancer = {
    kind: 'loadBalancer',
    sku: sku instanceof Unknown ? sku : typeof sku === 'string' ? sku : 'Basic',
    frontends: [],
    pools: [],
    lbRules: [],
    outboundRules: [],
    ...base(r),
  };
  const frontendList = list(prop(p, 'frontendIPConfigurations'));
  for (let i = 0; i < frontendList.length; i++) {
    const f = frontendList[i];
    const fp = prop(f, 'properties');
    const name = str(prop(f, 'name'), '');
    const fe: Frontend = {
      key: `${key}/frontendipconfigurations/${name.toLowerCase()}`,
      name,
      lbKey: key,
      publicIp: g.ref(prop(fp, 'publicIPAddress')),
      publicIpPrefix: g.ref(prop(fp, 'publicIPPrefix')),
      subnet: g.ref(prop(fp, 'subnet')),
      privateIp: strOrUnknown(prop(fp, 'privateIPAddress')),
      at: at(r, 'properties', 'frontendIPConfigurations', i),
    };
    lb.frontends.push(fe);
    g.frontends.set(fe.key, fe);
  }
  const poolList = list(prop(p, 'backendAddressPools'));
  for (let i = 0; i < poolList.length; i++) addPool(g, lb, poolList[i], at(r, 'properties', 'backendAddressPools', i));
  const ruleList = list(prop(p, 'loadBalancingRules'));
  for (let i = 0; i < ruleList.length; i++) {
    const x = ruleList[i];
    const xp = prop(x, 'properties');
    const pools = [g.ref(prop(xp, 'backendAddressPool')), ...refList(g, prop(xp, 'backendAddressPools')).refs].filter((y): y is Ref => y !== undefined);
    const dis = boolOrUnknown(prop(xp, 'disableOutboundSnat'));
    lb.lbRules.push({
      name: str(prop(x, 'name'), ''),
      frontend: g.ref(prop(xp, 'frontendIPConfiguration')),
      pools,
      disableOutboundSnat: dis ?? false,
      at: at(r, 'properties', 'loadBalancingRules', i),
    });
  }
  const outboundList = list(prop(p, 'outboundRules'));
  for (let i = 0; i < outboundList.length; i++) {
    const x = outboundList[i];
    const xp = prop(x, 'properties');
    lb.outboundRules.push({
      name: str(prop(x, 'name'), ''),
      frontends: refList(g, prop(xp, 'frontendIPConfigurations')).refs,
      pool: g.ref(prop(xp, 'backendAddressPool')),
      at: at(r, 'properties', 'outboundRules', i),
    });
  }
  return lb;
}

function addPool(g: NetworkGraph, lb: LoadBalancer, b: Value, loc: Location): void {
  const name = str(prop(b, 'name'), '');
  const key = `${lb.key}/backendaddresspools/${name.toLowerCase()}`;
  const addresses: (string | Unknown)[] = [];
  for (const a of list(prop(b, 'properties', 'loadBalancerBackendAddresses'))) {
    const ip = strOrUnknown(prop(a, 'properties', 'ipAddress'));
    if (ip !== undefined) addresses.push(ip);
  }
  const existing = g.pools.get(key);
  const pool: Pool = { key, name, lbKey: lb.key, addresses: [...(existing?.addresses ?? []), ...addresses], at: existing?.at ?? loc };
  g.pools.set(key, pool);
  const i = lb.pools.findIndex((x) => x.key === key);
  if (i >= 0) lb.pools[i] = pool;
  else lb.pools.push(pool);
}

/** `declaredAt` is where the ipConfigurations array is declared (entry i is at its pointer + /i). */
function readIpConfigs(g: NetworkGraph, nicKey: string, v: Value | undefined, declaredAt: Location, managed: boolean): IpConfig[] {
  const out: IpConfig[] = [];
  const configList = list(v);
  for (let i = 0; i < configList.length; i++) {
    const c = configList[i];
    const p = prop(c, 'properties');
    const name = str(prop(c, 'name'), `ipconfig${i + 1}`);
    const l: Location = { file: declaredAt.file, pointer: pointerJoin(declaredAt.pointer, i) };
    let publicIp: IpConfig['publicIp'];
    if (managed) {
      const cfg = prop(p, 'publicIPAddressConfiguration');
      if (cfg instanceof Unknown) publicIp = cfg;
      else if (isObject(cfg)) {
        const sku = prop(cfg, 'sku', 'name');
        const alloc = prop(cfg, 'properties', 'publicIPAllocationMethod');
        publicIp = {
          kind: 'managed',
          name: str(prop(cfg, 'name'), ''),
          sku: sku instanceof Unknown ? sku : typeof sku === 'string' ? sku : 'Basic',
          tier: str(prop(cfg, 'sku', 'tier'), 'Regional'),
          allocation: alloc instanceof Unknown ? alloc : typeof alloc === 'string' ? alloc : typeof sku === 'string' && sku.toLowerCase() !== 'basic' ? 'Static' : 'Dynamic',
          prefix: g.ref(prop(cfg, 'properties', 'publicIPPrefix')),
          version: str(prop(cfg, 'properties', 'publicIPAddressVersion'), 'IPv4'),
          at: { file: l.file, pointer: pointerJoin(pointerJoin(l.pointer, 'properties'), 'publicIPAddressConfiguration') },
        };
      }
    } else {
      const pip = prop(p, 'publicIPAddress');
      if (pip instanceof Unknown) publicIp = pip;
      else {
        const ref = g.ref(pip);
        if (ref) publicIp = { kind: 'ref', ref, at: { file: l.file, pointer: pointerJoin(pointerJoin(l.pointer, 'properties'), 'publicIPAddress') } };
      }
    }
    const pools = refList(g, prop(p, 'loadBalancerBackendAddressPools')).refs;
    const ipc: IpConfig = {
      key: `${nicKey}/ipconfigurations/${name.toLowerCase()}`,
      name,
      nicKey,
      primary: boolOrUnknown(prop(p, 'primary')),
      subnet: g.ref(prop(p, 'subnet')),
      publicIp,
      privateIp: strOrUnknown(prop(p, 'privateIPAddress')),
      version: str(prop(p, 'privateIPAddressVersion'), 'IPv4'),
      pools,
      at: l,
    };
    out.push(ipc);
    g.ipConfigs.set(ipc.key, ipc);
  }
  return out;
}

function readNic(g: NetworkGraph, r: SourceResource): Nic {
  const key = keyOf(r);
  const v = prop(r.body, 'properties', 'ipConfigurations');
  return {
    kind: 'nic',
    ipConfigs: readIpConfigs(g, key, v, at(r, 'properties', 'ipConfigurations'), false),
    ipForwarding: prop(r.body, 'properties', 'enableIPForwarding') === true,
    managed: false,
    unknownIpConfigs: v instanceof Unknown ? v : undefined,
    ...base(r),
  };
}

/** NIC configurations owned by a VM or scale set become NIC nodes keyed under their owner. */
function readManagedNics(g: NetworkGraph, r: SourceResource, vm: Vm, configs: Value | undefined, pathToConfigs: (string | number)[]): void {
  if (configs instanceof Unknown) return;
  const configList = list(configs);
  for (let i = 0; i < configList.length; i++) {
    const c = configList[i];
    const name = str(prop(c, 'name'), `nic${i}`);
    const key = `${keyOf(r)}/networkinterfaceconfigurations/${name.toLowerCase()}`;
    const cloc = at(r, ...pathToConfigs, i);
    const ips = prop(c, 'properties', 'ipConfigurations');
    const nic: Nic = {
      key,
      id: key,
      name: `${r.name}/${name}`,
      type: 'Microsoft.Network/networkInterfaces',
      at: cloc,
      maybe: r.condition instanceof Unknown,
      existing: false,
      kind: 'nic',
      ipConfigs: readIpConfigs(g, key, ips, { file: cloc.file, pointer: pointerJoin(pointerJoin(cloc.pointer, 'properties'), 'ipConfigurations') }, true),
      ipForwarding: prop(c, 'properties', 'enableIPForwarding') === true,
      managed: true,
      unknownIpConfigs: ips instanceof Unknown ? ips : undefined,
    };
    g.nodes.set(key, nic);
    vm.nics.push({ nic: { kind: 'found', key }, primary: boolOrUnknown(prop(c, 'properties', 'primary')), at: cloc });
  }
}

function readVm(g: NetworkGraph, r: SourceResource): Vm {
  const scaleSet = r.type.toLowerCase() === GRAPH_TYPES.vmss;
  const profile = scaleSet ? prop(r.body, 'properties', 'virtualMachineProfile', 'networkProfile') : prop(r.body, 'properties', 'networkProfile');
  const mode = prop(r.body, 'properties', 'orchestrationMode');
  const vm: Vm = {
    kind: 'vm',
    scaleSet,
    orchestrationMode: typeof mode === 'string' ? mode : scaleSet ? 'Uniform' : undefined,
    nics: [],
    availabilitySet: g.ref(prop(r.body, 'properties', 'availabilitySet')),
    scaleSetRef: g.ref(prop(r.body, 'properties', 'virtualMachineScaleSet')),
    unknownNics: profile instanceof Unknown ? profile : undefined,
    ...base(r),
  };
  const nis = prop(profile, 'networkInterfaces');
  if (nis instanceof Unknown && !vm.unknownNics) (vm as { unknownNics: Unknown | undefined }).unknownNics = nis;
  const nicList = list(nis);
  for (let i = 0; i < nicList.length; i++) {
    const n = nicList[i];
    const ref = g.ref(n);
    const loc = at(r, 'properties', 'networkProfile', 'networkInterfaces', i);
    if (ref) vm.nics.push({ nic: ref, primary: boolOrUnknown(prop(n, 'properties', 'primary')), at: loc });
    else if (isObject(n) && getProp(n, 'id') instanceof Unknown) vm.nics.push({ nic: { kind: 'unknown', value: getProp(n, 'id') as Unknown }, primary: undefined, at: loc });
  }
  const configs = prop(profile, 'networkInterfaceConfigurations');
  if (configs instanceof Unknown && !vm.unknownNics) (vm as { unknownNics: Unknown | undefined }).unknownNics = configs;
  const path = scaleSet ? ['properties', 'virtualMachineProfile', 'networkProfile', 'networkInterfaceConfigurations'] : ['properties', 'networkProfile', 'networkInterfaceConfigurations'];
  readManagedNics(g, r, vm, configs, path);
  return vm;
}

function readFirewall(g: NetworkGraph, r: SourceResource): Firewall {
  const p = prop(r.body, 'properties');
  const cfg = (c: Value, loc: Location): FirewallIpConfig => ({
    name: str(prop(c, 'name'), ''),
    subnet: g.ref(prop(c, 'properties', 'subnet')),
    publicIp: g.ref(prop(c, 'properties', 'publicIPAddress')),
    privateIp: strOrUnknown(prop(c, 'properties', 'privateIPAddress')),
    at: loc,
  });
  const mgmt = prop(p, 'managementIpConfiguration');
  const sku = prop(p, 'sku', 'name');
  return {
    kind: 'firewall',
    skuName: sku instanceof Unknown ? sku : typeof sku === 'string' ? sku : 'AZFW_VNet',
    ipConfigs: list(prop(p, 'ipConfigurations')).map((c, i) => cfg(c, at(r, 'properties', 'ipConfigurations', i))),
    management: isObject(mgmt) ? cfg(mgmt, at(r, 'properties', 'managementIpConfiguration')) : undefined,
    ...base(r),
  };
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

/**
 * Builds the network graph of a deployment. Inline children and child resources land on the same node.
 * `inventory` holds resources already deployed (read from inventory files): they fill what the templates only
 * reference, replace the templates' `existing` declarations of the same id, and never override what a
 * template deploys (itself or its parent).
 */
export function buildGraph(d: ResourceSet, inventory: readonly SourceResource[] = []): NetworkGraph {
  const g = new NetworkGraph(d);
  const vnets = new Map<string, SourceResource>();
  // Keys some template deploys: an `existing` declaration of the same resource (a module reading back what it
  // created, as Azure Verified Modules do) must not hide the deployed one.
  const deployed = new Set<string>();
  const resources = inventory.length === 0 ? d.resources : withInventory(g, d.resources, inventory);
  for (const r of resources) {
    g.allKeys.add(r.key);
    if (!r.existing) deployed.add(keyOf(r));
    if (r.type.toLowerCase() === GRAPH_TYPES.vnet && !(r.existing && vnets.has(keyOf(r)))) vnets.set(keyOf(r), r);
  }
  const routeChildren: SourceResource[] = [];
  const poolChildren: SourceResource[] = [];
  const subnetChildren: SourceResource[] = [];
  for (const r of resources) {
    const t = r.type.toLowerCase();
    const key = keyOf(r);
    if (r.existing && deployed.has(key)) continue;
    switch (t) {
      case GRAPH_TYPES.publicIp:
        g.nodes.set(key, readPublicIp(g, r));
        break;
      case GRAPH_TYPES.publicIpPrefix:
        g.nodes.set(key, readPrefix(r));
        break;
      case GRAPH_TYPES.natGateway:
        g.nodes.set(key, readNat(g, r));
        break;
      case GRAPH_TYPES.routeTable:
        g.nodes.set(key, readRouteTable(r));
        break;
      case GRAPH_TYPES.route:
        routeChildren.push(r);
        break;
      case GRAPH_TYPES.vnet: {
        const subnetList = list(prop(r.body, 'properties', 'subnets'));
        for (let i = 0; i < subnetList.length; i++) {
          const s = subnetList[i];
          const name = str(prop(s, 'name'), '');
          const skey = `${key}/subnets/${name.toLowerCase()}`;
          g.nodes.set(skey, subnetFrom(g, key, skey, name, s, at(r, 'properties', 'subnets', i), r, r));
        }
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
      default:
        break;
    }
  }
  // A subnet declared both inline and as a child resource: the child resource is deployed after the VNet (it
  // depends on it) and its PUT replaces the inline properties, so it wins whatever the document order.
  for (const r of subnetChildren) {
    const key = keyOf(r);
    const vnetKey = key.slice(0, key.lastIndexOf('/subnets/'));
    g.nodes.set(key, subnetFrom(g, vnetKey, key, lastSegment(r.name), r.body, r.at, r, vnets.get(vnetKey)));
  }
  for (const r of routeChildren) {
    const key = keyOf(r);
    const rtKey = key.slice(0, key.lastIndexOf('/routes/'));
    const rt = g.nodes.get(rtKey);
    const route = readRoute(r.body, r.at, lastSegment(r.name));
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
  return g;
}
