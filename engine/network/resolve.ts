// The egress resolver of egress-model.md: for every VM and scale set, the public IPs its Internet-bound traffic
// can carry, per path (NIC ipconfig), with the method, the verdict and the chain of reasons. Imports graph.ts.
import { ipv4ToString, parseIpv4 } from '../expressions/functions/cidr.js';
import type { Location } from '../template/finding.js';
import { Unknown } from '../expressions/value.js';
import { lastSegment, normaliseId } from './graph.js';
import type { Firewall, Frontend, IpConfig, LoadBalancer, NatGateway, NetworkGraph, Nic, Pool, PublicIp, PublicIpPrefix, Ref, Route, Subnet, Vm } from './graph.js';

export type Verdict = 'deterministic' | 'deterministic-set' | 'non-deterministic' | 'no-egress' | 'unknown';
export type Method =
  | 'route-table'
  | 'firewall'
  | 'appliance'
  | 'nat-gateway'
  | 'instance-public-ip'
  | 'lb-outbound-rule'
  | 'lb-rule-snat'
  | 'default-outbound-access'
  | 'none'
  | 'unknown';

/** One egress identity: a public IP, a prefix, or a platform-owned address. */
export interface EgressIp {
  readonly key: string;
  readonly name: string;
  readonly type: string;
  readonly id: string;
  readonly via: Method;
  readonly address: string | null;
  readonly prefix: string | null;
  readonly static: boolean;
  /** Basic SKU or Dynamic allocation: the address changes on deallocation. */
  readonly changes: boolean;
  readonly sku: string | null;
  /** Not in the analysed files (or its properties are not known): the identity is known, its nature is not. */
  readonly unresolved: boolean;
  readonly at: Location | undefined;
}

/** Something the resolver saw that a rule may report. */
export interface PathNote {
  readonly kind:
    | 'nat-overrides-public-ip'
    | 'route-overrides-public-ip'
    | 'ip-based-pool'
    | 'outbound-rule-secondary'
    | 'per-instance-ips'
    | 'global-public-ip'
    | 'bare-secondary'
    | 'destination-dependent';
  readonly message: string;
  readonly at: Location;
}

export interface PathResult {
  readonly nic: string;
  readonly nicKey: string;
  readonly ipConfiguration: string;
  readonly ipConfigKey: string;
  readonly primary: boolean;
  readonly method: Method;
  readonly verdict: Verdict;
  readonly egress: readonly EgressIp[];
  readonly because: readonly string[];
  readonly notes: readonly PathNote[];
  /** For no-egress paths: why (private subnet, route None, SNAT disabled...). */
  readonly cause: string | undefined;
  /** For unknown paths: what the path depends on. */
  readonly unknownReason: string | undefined;
  /** Where the deciding element is declared (the LB rule, the NAT gateway, the route...), for findings. */
  readonly decidedAt: Location;
  readonly at: Location;
}

export interface VmResult {
  readonly vm: Vm;
  readonly verdict: Verdict;
  readonly egress: readonly EgressIp[];
  readonly primaryEgress: readonly EgressIp[];
  readonly paths: readonly PathResult[];
  /** Index of the primary NIC in vm.nics, or undefined when it is ambiguous. */
  readonly primaryNic: number | undefined;
}

interface Outcome {
  method: Method;
  verdict?: Verdict;
  egress: EgressIp[];
  cause?: string;
  unknownReason?: string;
  decidedAt?: Location;
}

/** A member's ipconfig that puts its group under Standard rules: its Standard public IP, or a Standard LB's pool. */
interface GroupEntry {
  readonly member: Vm;
  readonly ipcKey: string;
  readonly pip: boolean;
  /** The load balancer's name (pool entries). */
  readonly lb: string;
}

const MAX_APPLIANCE_DEPTH = 4;

// ---- small helpers ----------------------------------------------------------------------------------------------

function describeRef(ref: Ref): string {
  if (ref.kind === 'unknown') return ref.value.origin;
  if (ref.kind === 'missing') return `'${ref.id}' is not in the analysed files`;
  return ref.key;
}

/** The first address Azure leaves for you in a subnet: .0-.3 are reserved, so .4 (https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq). */
export function firstUsableAddress(cidr: string): string | undefined {
  const [addr, len] = cidr.split('/');
  const a = parseIpv4((addr ?? '').trim());
  const l = Number(len);
  if (a === undefined || !Number.isInteger(l) || l < 0 || l > 29) return undefined;
  const mask = l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0;
  return ipv4ToString(((a & mask) >>> 0) + 4);
}

const isDefaultRoute = (p: string, v6: boolean): boolean => (v6 ? p.trim() === '::/0' : p.trim() === '0.0.0.0/0');

function worstVerdict(results: readonly { verdict: Verdict }[]): Verdict | undefined {
  if (results.some((r) => r.verdict === 'non-deterministic')) return 'non-deterministic';
  if (results.some((r) => r.verdict === 'unknown')) return 'unknown';
  return undefined;
}

/** The verdict of a set of egress identities when nothing else made it unknown. */
function setVerdict(egress: readonly EgressIp[]): Verdict {
  if (egress.length === 0) return 'no-egress';
  // egress-model.md: any non-deterministic member wins over an unknown one.
  if (egress.some((e) => !e.unresolved && (e.changes || !e.static))) return 'non-deterministic';
  if (egress.some((e) => e.unresolved)) return 'unknown';
  const unique = dedupe(egress);
  if (unique.length === 1 && unique[0].type.toLowerCase().endsWith('publicipaddresses')) return 'deterministic';
  return 'deterministic-set';
}

export function dedupe(egress: readonly EgressIp[]): EgressIp[] {
  const seen = new Map<string, EgressIp>();
  for (const e of egress) if (!seen.has(e.key)) seen.set(e.key, e);
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

// ---- the resolver -----------------------------------------------------------------------------------------------

/** The routes that decide where Internet-bound traffic goes: one, or several when it depends on the destination. */
interface RouteDecision {
  /** `undefined` stands for the system route to the Internet (or a user route that does the same). */
  readonly branches?: readonly (Route | undefined)[];
  readonly unknown?: string;
  readonly at?: Location;
}

/** The verdict of an outcome, as resolvePath computes it. */
function outcomeVerdict(out: Outcome): Verdict {
  return out.verdict ?? (out.method === 'none' ? 'no-egress' : out.method === 'unknown' ? 'unknown' : setVerdict(dedupe(out.egress)));
}

class Resolver {
  private readonly vmOfNic = new Map<string, Vm>();
  /** groupEntries by availability set key (or by the VM outside a set). */
  private readonly groupCache = new Map<string | Vm, GroupEntry[]>();
  // Indexes built on first use, so each lookup is one Map access rather than a scan of the whole graph (a scan
  // per path is quadratic: minutes for a template of 10,000 VMs). Each keeps the first match in graph order,
  // which is what the scans they replace returned.
  private vmsBySet: Map<string, Vm[]> | undefined;
  private membersByPool: Map<string, IpConfig[]> | undefined;
  private ipConfigOrder: Map<IpConfig, number> | undefined;
  private inGraph: Set<Vm> | undefined;
  private poolsByAddress: Map<string, Pool[]> | undefined;
  private firewallsByAddress: Map<string, { fw: Firewall; subnet: Subnet }> | undefined;
  private hopsByAddress: Map<string, { nic: Nic; ipc: IpConfig } | { lb: LoadBalancer; fe: Frontend }> | undefined;

  constructor(readonly g: NetworkGraph) {
    for (const vm of g.vms) for (const n of vm.nics) if (n.nic.kind === 'found') this.vmOfNic.set(n.nic.key, vm);
  }

  /** The VMs of the graph that share `vm`'s availability set (itself included), in graph order. */
  private groupMembers(vm: Vm): readonly Vm[] {
    if (!this.vmsBySet) {
      this.vmsBySet = new Map();
      this.inGraph = new Set(this.g.vms);
      for (const o of this.g.vms) {
        if (o.availabilitySet?.kind !== 'found') continue;
        const list = this.vmsBySet.get(o.availabilitySet.key);
        if (list) list.push(o);
        else this.vmsBySet.set(o.availabilitySet.key, [o]);
      }
    }
    if (vm.availabilitySet?.kind === 'found') return this.vmsBySet.get(vm.availabilitySet.key) ?? [];
    return this.inGraph!.has(vm) ? [vm] : [];
  }

  /** The pools that list `address` (IP-based pools), in graph order, each once. */
  private poolsListing(address: string): readonly Pool[] {
    if (!this.poolsByAddress) {
      this.poolsByAddress = new Map();
      for (const pool of this.g.pools.values()) {
        for (const a of new Set(pool.addresses)) {
          if (typeof a !== 'string') continue;
          const list = this.poolsByAddress.get(a);
          if (list) list.push(pool);
          else this.poolsByAddress.set(a, [pool]);
        }
      }
    }
    return this.poolsByAddress.get(address) ?? [];
  }

  /** The firewall whose subnet's first usable address is `ip`. */
  private firewallAt(ip: string): { fw: Firewall; subnet: Subnet } | undefined {
    if (!this.firewallsByAddress) {
      this.firewallsByAddress = new Map();
      for (const node of this.g.nodes.values()) {
        if (node.kind !== 'firewall') continue;
        for (const c of node.ipConfigs) {
          const s = this.g.get(this.g.check(c.subnet), 'subnet');
          const prefix = s?.addressPrefixes.find((p): p is string => typeof p === 'string');
          const first = prefix ? firstUsableAddress(prefix) : undefined;
          if (first !== undefined && !this.firewallsByAddress.has(first)) this.firewallsByAddress.set(first, { fw: node, subnet: s! });
        }
      }
    }
    return this.firewallsByAddress.get(ip);
  }

  /** The NIC ipconfig or internal load balancer frontend that has the private address `ip`. */
  private hopAt(ip: string): { nic: Nic; ipc: IpConfig } | { lb: LoadBalancer; fe: Frontend } | undefined {
    if (!this.hopsByAddress) {
      const index = new Map<string, { nic: Nic; ipc: IpConfig } | { lb: LoadBalancer; fe: Frontend }>();
      for (const node of this.g.nodes.values()) {
        if (node.kind === 'nic') {
          for (const ipc of node.ipConfigs) if (typeof ipc.privateIp === 'string' && !index.has(ipc.privateIp)) index.set(ipc.privateIp, { nic: node, ipc });
        } else if (node.kind === 'loadBalancer') {
          for (const fe of node.frontends) if (typeof fe.privateIp === 'string' && !index.has(fe.privateIp)) index.set(fe.privateIp, { lb: node, fe });
        }
      }
      this.hopsByAddress = index;
    }
    return this.hopsByAddress.get(ip);
  }

  // ----- egress identities -----

  /** The egress entry of a public IP or prefix reference; an id that is itself unknown has no entry (see refEntries). */
  pipEntry(ref: Ref, via: Method): EgressIp {
    const pip = this.g.get(ref, 'publicIp');
    if (pip) return this.fromPip(pip, via);
    const prefix = this.g.get(ref, 'publicIpPrefix');
    if (prefix) return this.fromPrefix(prefix, via);
    const id = ref.kind === 'found' ? ref.key : ref.kind === 'missing' ? ref.id : `{${ref.value.origin}}`;
    return {
      key: id.toLowerCase(),
      name: ref.kind === 'unknown' ? `{${ref.value.origin}}` : lastSegment(id),
      type: /publicipprefixes/i.test(id) ? 'Microsoft.Network/publicIPPrefixes' : 'Microsoft.Network/publicIPAddresses',
      id,
      via,
      address: null,
      prefix: null,
      static: false,
      changes: false,
      sku: null,
      unresolved: true,
      at: undefined,
    };
  }

  /**
   * Entries for a list of public IP / prefix references. A reference whose id is unknown offline (a parameter
   * without a value, a runtime value) gives no entry, only the reason the outcome is unknown.
   */
  private refEntries(refs: readonly Ref[], via: Method): { egress: EgressIp[]; unknown: string | undefined } {
    const egress: EgressIp[] = [];
    let unknown: string | undefined;
    for (const r of refs) {
      const c = this.g.check(r)!;
      if (c.kind === 'unknown') unknown ??= c.value.origin;
      else egress.push(this.pipEntry(c, via));
    }
    return { egress, unknown };
  }

  fromPip(pip: PublicIp, via: Method): EgressIp {
    const sku = typeof pip.sku === 'string' ? pip.sku : null;
    const alloc = typeof pip.allocation === 'string' ? pip.allocation.toLowerCase() : undefined;
    const prefix = this.g.get(pip.prefix, 'publicIpPrefix');
    return {
      key: pip.key,
      name: pip.name,
      type: 'Microsoft.Network/publicIPAddresses',
      id: pip.id,
      via,
      address: pip.address,
      prefix: prefix?.ipPrefix ?? null,
      static: alloc === 'static',
      changes: alloc === 'dynamic',
      sku,
      unresolved: pip.existing || sku === null || alloc === undefined,
      at: pip.at,
    };
  }

  fromPrefix(p: PublicIpPrefix, via: Method): EgressIp {
    return {
      key: p.key,
      name: p.name,
      type: 'Microsoft.Network/publicIPPrefixes',
      id: p.id,
      via,
      address: null,
      prefix: p.ipPrefix,
      static: true,
      changes: false,
      sku: typeof p.sku === 'string' ? p.sku : null,
      unresolved: p.existing,
      at: p.at,
    };
  }

  // ----- VM level -----

  resolveVm(vm: Vm): VmResult {
    const primaryNic = this.primaryNicIndex(vm);
    const paths = this.vmPaths(vm, primaryNic, 0, new Set([vm.key]));
    const egress = dedupe(paths.flatMap((p) => p.egress));
    const primary = paths.filter((p) => p.primary);
    const primaryEgress = dedupe(primary.flatMap((p) => p.egress));
    const verdict = worstVerdict(paths) ?? (egress.length === 0 ? 'no-egress' : setVerdict(egress));
    return { vm, verdict, egress, primaryEgress, paths, primaryNic };
  }

  private vmPaths(vm: Vm, primaryNic: number | undefined, depth: number, visited: Set<string>): PathResult[] {
    const paths: PathResult[] = [];
    for (let i = 0; i < vm.nics.length; i++) {
      const entry = vm.nics[i];
      const nic = this.g.get(entry.nic, 'nic');
      if (!nic) {
        paths.push(this.unknownPath(entry.nic.kind === 'found' ? lastSegment(entry.nic.key) : lastSegment(describeRef(entry.nic)), entry.at, i === primaryNic, entry.nic.kind === 'unknown' ? `the NIC id (${entry.nic.value.origin})` : `NIC ${describeRef(this.g.check(entry.nic) ?? entry.nic)}`));
        continue;
      }
      if (nic.existing) {
        paths.push(this.unknownPath(nic.name, entry.at, i === primaryNic, `NIC '${nic.name}', an existing resource outside the analysed files`));
        continue;
      }
      const primaryIpc = primaryIpConfigIndex(nic);
      if (nic.ipConfigs.length === 0) {
        paths.push(this.unknownPath(lastSegment(nic.name), nic.at, i === primaryNic, nic.unknownIpConfigs ? `the ipconfigs of NIC '${nic.name}': ${nic.unknownIpConfigs.origin}` : `NIC '${nic.name}' has no ipconfigs`));
        continue;
      }
      for (let j = 0; j < nic.ipConfigs.length; j++) paths.push(this.resolvePath(vm, nic, nic.ipConfigs[j], i === primaryNic, j === primaryIpc, depth, visited));
    }
    if (vm.nics.length === 0) {
      const why = vm.unknownNics ? `the network profile: ${vm.unknownNics.origin}` : 'the VM declares no network interfaces';
      paths.push(this.unknownPath('', vm.at, true, why));
    }
    this.applyBareSecondary(vm, paths);
    return paths;
  }

  primaryNicIndex(vm: Vm): number | undefined {
    if (vm.nics.length === 1) return 0;
    const flagged = vm.nics.map((n, i) => (n.primary === true ? i : -1)).filter((i) => i >= 0);
    return flagged.length === 1 ? flagged[0] : undefined;
  }

  unknownPath(nic: string, at: Location, primary: boolean, what: string): PathResult {
    return {
      nic,
      nicKey: '',
      ipConfiguration: '',
      ipConfigKey: '',
      primary,
      method: 'unknown',
      verdict: 'unknown',
      egress: [],
      because: [`depends on ${what}`],
      notes: [],
      cause: undefined,
      unknownReason: what,
      decidedAt: at,
      at,
    };
  }

  /**
   * A bare secondary path (no method of its own) on a VM whose other paths have one: Azure's documentation
   * says it gets no outbound access, but it was measured leaving first through a platform IP and later through
   * the other NIC's load balancer (egress-model.md, step 5): non-deterministic, never no-egress.
   */
  private applyBareSecondary(vm: Vm, paths: PathResult[]): void {
    for (let i = 0; i < paths.length; i++) {
      const p = paths[i];
      if (p.primary || p.method !== 'none' || p.cause !== 'group') continue;
      if (!paths.some((o, j) => j !== i && o.egress.length > 0)) continue;
      const sameNic = paths.some((o, j) => j !== i && o.nicKey === p.nicKey && o.egress.length > 0);
      paths[i] = Object.assign({}, p, {
        method: 'default-outbound-access' as const,
        verdict: 'non-deterministic',
        cause: undefined,
        because: [
          ...p.because,
          `${sameNic ? 'another ipconfig of this NIC' : `another NIC of ${vm.name}`} has an outbound method, so Azure documents no outbound for this one; in practice such a path was seen leaving through a platform-assigned IP and later through the other NIC's egress, depending on the guest OS routes`,
        ],
        notes: [...p.notes, { kind: 'bare-secondary' as const, message: 'bare secondary path', at: p.at }],
      });
    }
  }

  // ----- path level -----

  resolvePath(vm: Vm, nic: Nic, ipc: IpConfig, nicPrimary: boolean, ipcPrimary: boolean, depth: number, visited: Set<string>): PathResult {
    const because: string[] = [];
    const notes: PathNote[] = [];
    const primary = nicPrimary && ipcPrimary;
    if (!primary) because.push(`${nicPrimary ? 'a secondary ipconfig' : 'a secondary NIC'}: carries traffic only when the guest OS routes or binds to it`);
    const out = this.decide(vm, nic, ipc, ipcPrimary, because, notes, depth, visited);
    const egress = dedupe(out.egress);
    const verdict = outcomeVerdict(out);
    return {
      nic: nic.managed ? lastSegment(nic.name) : nic.name,
      nicKey: nic.key,
      ipConfiguration: ipc.name,
      ipConfigKey: ipc.key,
      primary,
      method: out.method,
      verdict,
      egress,
      because,
      notes,
      cause: out.cause,
      unknownReason: out.unknownReason ?? (verdict === 'unknown' ? because[because.length - 1] : undefined),
      decidedAt: out.decidedAt ?? ipc.at,
      at: ipc.at,
    };
  }

  private unknown(because: string[], reason: string, at?: Location, method: Method = 'unknown', egress: EgressIp[] = []): Outcome {
    because.push(`unknown: ${reason}`);
    return { method, verdict: 'unknown', egress, unknownReason: reason, decidedAt: at };
  }

  private decide(vm: Vm, nic: Nic, ipc: IpConfig, ipcPrimary: boolean, because: string[], notes: PathNote[], depth: number, visited: Set<string>): Outcome {
    const v6 = ipc.version.toLowerCase() === 'ipv6';
    // The subnet decides routes, NAT gateway and default outbound access.
    if (!ipc.subnet) return this.unknown(because, `ipconfig '${ipc.name}' names no subnet`, ipc.at);
    const sref = this.g.check(ipc.subnet)!;
    const subnet = this.g.get(sref, 'subnet');
    if (!subnet) return this.unknown(because, this.missingSubnet(sref), ipc.at);
    if (subnet.existing) return this.unknown(because, `subnet '${subnet.name}' is an existing resource outside the analysed files`, subnet.at);

    // 1. Route table: longest prefix covering the Internet.
    const decision = this.routeStep(subnet, v6, because);
    if (decision.unknown) return this.unknown(because, decision.unknown, decision.at ?? subnet.at, 'route-table');
    const branches = decision.branches ?? [undefined];
    if (branches.length === 1) return this.branch(branches[0], vm, nic, ipc, ipcPrimary, subnet, v6, because, notes, depth, visited);

    // Part of the Internet goes one way and part another (e.g. only 0.0.0.0/1 to an appliance): the path's egress
    // depends on the destination, so every branch's IPs must be allow-listed.
    const names = branches.map((r) => (r ? `'${r.name}' (${String(r.addressPrefix)} → ${String(r.nextHopType)})` : 'the system route to the Internet')).join(', ');
    because.push(`the route table splits the Internet between ${names}: the egress depends on the destination`);
    notes.push({ kind: 'destination-dependent', message: names, at: branches.find((r) => r)!.at });
    const outs = branches.map((r) => this.branch(r, vm, nic, ipc, ipcPrimary, subnet, v6, because, notes, depth, visited));
    const verdicts = outs.map((o) => ({ verdict: outcomeVerdict(o), o }));
    const egress = outs.flatMap((o) => o.egress);
    const worst = worstVerdict(verdicts);
    const decisive = verdicts.find((x) => x.verdict === worst)?.o;
    const same = outs.every((o) => o.method === outs[0].method);
    return {
      method: decisive?.method ?? (same ? outs[0].method : 'route-table'),
      verdict: worst ?? setVerdict(dedupe(egress)),
      egress,
      cause: outs.every((o) => outcomeVerdict(o) === 'no-egress') ? outs.map((o) => o.cause).filter((c) => c).join('; ') : undefined,
      unknownReason: decisive?.unknownReason,
      decidedAt: decisive?.decidedAt ?? branches.find((r) => r)!.at,
    };
  }

  /** Why a subnet reference has no node: an `existing` VNet, a VNet elsewhere, or an unknown id. */
  private missingSubnet(sref: Ref): string {
    if (sref.kind === 'unknown') return `the subnet id (${sref.value.origin})`;
    if (sref.kind !== 'missing') return `the subnet ${describeRef(sref)}`;
    const i = sref.id.lastIndexOf('/subnets/');
    const vnet = i > 0 ? this.g.nodes.get(sref.id.slice(0, i)) : undefined;
    const declared = i > 0 ? this.g.declaredResource(sref.id.slice(0, i)) : undefined;
    if (declared?.existing) return `subnet '${lastSegment(sref.id)}' of VNet '${declared.name}', an existing resource outside the analysed files`;
    if (declared && !vnet) return `subnet '${lastSegment(sref.id)}' is not declared in VNet '${declared.name}'`;
    return `the subnet '${sref.id}' is not in the analysed files`;
  }

  /** Steps 1 (route decided) to 5 for one route branch; `route` undefined means the system route to the Internet. */
  private branch(
    route: Route | undefined,
    vm: Vm,
    nic: Nic,
    ipc: IpConfig,
    ipcPrimary: boolean,
    subnet: Subnet,
    v6: boolean,
    because: string[],
    notes: PathNote[],
    depth: number,
    visited: Set<string>,
  ): Outcome {
    const pip = ipc.publicIp;
    if (route) {
      const r = route;
      const hop = String(r.nextHopType).toLowerCase();
      if (pip !== undefined && hop !== 'internet') notes.push({ kind: 'route-overrides-public-ip', message: `route '${r.name}' (${String(r.addressPrefix)} → ${String(r.nextHopType)})`, at: r.at });
      if (hop === 'none' || hop === 'vnetlocal') {
        because.push(`route '${r.name}' sends ${String(r.addressPrefix)} to ${String(r.nextHopType)}: traffic is dropped`);
        return { method: 'route-table', verdict: 'no-egress', egress: [], cause: `route '${r.name}' has next hop ${String(r.nextHopType)}`, decidedAt: r.at };
      }
      if (hop === 'virtualnetworkgateway') {
        because.push(`route '${r.name}' sends ${String(r.addressPrefix)} to the virtual network gateway (forced tunnelling): egress is on-premises`);
        return { method: 'route-table', verdict: 'unknown', egress: [], unknownReason: 'forced tunnelling through a virtual network gateway: the egress is decided on-premises', decidedAt: r.at };
      }
      if (hop === 'virtualappliance') {
        because.push(`route '${r.name}' sends ${String(r.addressPrefix)} to the virtual appliance ${typeof r.nextHopIpAddress === 'string' ? r.nextHopIpAddress : 'at an address known at deployment'}`);
        const out = this.appliance(r.nextHopIpAddress, because, depth, visited);
        return Object.assign({}, out, { decidedAt: r.at });
      }
      if (hop !== 'internet') return this.unknown(because, `route '${r.name}' has next hop type '${String(r.nextHopType)}'`, r.at, 'route-table');
      because.push(`route '${r.name}' sends ${String(r.addressPrefix)} to the Internet: the subnet's outbound method applies`);
    }

    // 2. NAT gateway on the subnet.
    if (subnet.natGateway) {
      const nref = this.g.check(subnet.natGateway)!;
      const nat = this.g.get(nref, 'natGateway');
      if (!nat) return this.unknown(because, `the NAT gateway of subnet '${subnet.name}': ${describeRef(nref)}`, subnet.at, 'nat-gateway');
      if (pip !== undefined) notes.push({ kind: 'nat-overrides-public-ip', message: `NAT gateway '${nat.name}'`, at: subnet.at });
      const out = this.natEgress(nat, v6, 'nat-gateway', because);
      if (out) {
        if (out.verdict !== 'unknown') because.push(`subnet '${subnet.name}' has NAT gateway '${nat.name}', which takes precedence over public IPs and load balancers for outbound`);
        return out;
      }
      because.push(`NAT gateway '${nat.name}' has no IPv6 addresses`);
    }

    // 3. Instance public IP on the ipconfig.
    if (pip instanceof Unknown) return this.unknown(because, `the public IP of ipconfig '${ipc.name}': ${pip.origin}`, ipc.at, 'instance-public-ip');
    if (pip) {
      const res = this.instanceIp(vm, ipc, pip, v6, because, notes);
      if (res) return res;
    }

    // 4. Load balancers holding the ipconfig.
    const lbOut = this.loadBalancers(vm, ipc, ipcPrimary, v6, because, notes);
    if (lbOut) return lbOut;

    // 5. Default outbound access.
    return this.defaultOutbound(vm, nic, ipc, subnet, v6, because);
  }

  /** A NAT gateway's egress for one IP family; undefined when it has no address of an IPv6 path's family. */
  private natEgress(nat: NatGateway, v6: boolean, via: Method, because: string[]): Outcome | undefined {
    if (nat.existing) return this.unknown(because, `NAT gateway '${nat.name}' is an existing resource outside the analysed files`, nat.at, via);
    if (nat.unknownIps) return this.unknown(because, `the public IPs of NAT gateway '${nat.name}': ${nat.unknownIps.origin}`, nat.at, via);
    const refs = v6 ? [...nat.publicIpsV6, ...nat.publicIpPrefixesV6] : [...nat.publicIps, ...nat.publicIpPrefixes];
    if (refs.length === 0) {
      if (v6) return undefined;
      // "A NAT gateway without a public IP address or prefix isn't operational" (https://learn.microsoft.com/azure/nat-gateway/faq).
      return this.unknown(because, `NAT gateway '${nat.name}' has no public IP or prefix, so it is not operational`, nat.at, via);
    }
    const { egress, unknown } = this.refEntries(refs, via);
    if (unknown) return this.unknown(because, `a public IP of NAT gateway '${nat.name}': ${unknown}`, nat.at, via, egress);
    if (nat.maybe) return this.unknown(because, `NAT gateway '${nat.name}' may not be deployed (its condition is unknown)`, nat.at, via, egress);
    return { method: via, egress, decidedAt: nat.at };
  }

  private routeStep(subnet: Subnet, v6: boolean, because: string[]): RouteDecision {
    if (!subnet.routeTable) return {};
    const rref = this.g.check(subnet.routeTable)!;
    const rt = this.g.get(rref, 'routeTable');
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
    if (branches.length === 1 && !branches[0]) {
      because.push(`route table '${rt.name}' has no route for ${v6 ? '::/0' : '0.0.0.0/0'}: the system route to the Internet applies`);
      return {};
    }
    for (const b of branches) if (b && b.nextHopType instanceof Unknown) return { unknown: `the next hop of route '${b.name}': ${b.nextHopType.origin}`, at: b.at };
    if (rt.maybe) return { unknown: `route table '${rt.name}' may not be deployed (its condition is unknown)`, at: rt.at };
    return { branches };
  }

  private instanceIp(vm: Vm, ipc: IpConfig, pip: NonNullable<IpConfig['publicIp']>, v6: boolean, because: string[], notes: PathNote[]): Outcome | undefined {
    if (pip instanceof Unknown) return undefined;
    if (pip.kind === 'managed') {
      if (pip.tier.toLowerCase() === 'global') {
        notes.push({ kind: 'global-public-ip', message: pip.name, at: pip.at });
        because.push(`public IP configuration '${pip.name}' is Global tier, which never carries outbound traffic`);
        return undefined;
      }
      if ((pip.version.toLowerCase() === 'ipv6') !== v6) return undefined;
      const sku = typeof pip.sku === 'string' ? pip.sku : null;
      const alloc = typeof pip.allocation === 'string' ? pip.allocation.toLowerCase() : undefined;
      if (vm.scaleSet) {
        const prefix = pip.prefix ? this.g.check(pip.prefix) : undefined;
        if (prefix) {
          if (prefix.kind === 'unknown') return this.unknown(because, `the public IP prefix of '${pip.name}': ${prefix.value.origin}`, pip.at, 'instance-public-ip');
          because.push(`each instance gets its own public IP from prefix ${prefix.kind === 'found' ? lastSegment(prefix.key) : describeRef(prefix)}`);
          return { method: 'instance-public-ip', egress: [this.pipEntry(prefix, 'instance-public-ip')], decidedAt: pip.at };
        }
        notes.push({ kind: 'per-instance-ips', message: pip.name, at: pip.at });
        because.push(`each instance gets its own public IP ('${pip.name}') with no prefix: the set grows with every instance`);
        // Each instance's address is as stable as its SKU and allocation; the set is what is unbounded.
        return {
          method: 'instance-public-ip',
          verdict: 'non-deterministic',
          egress: [{ key: `${ipc.key}/publicipaddressconfiguration`, name: pip.name, type: 'Microsoft.Network/publicIPAddresses', id: `${vm.id}/publicIPAddressConfiguration/${pip.name}`, via: 'instance-public-ip', address: null, prefix: null, static: alloc === 'static', changes: alloc === 'dynamic', sku, unresolved: false, at: pip.at }],
          decidedAt: pip.at,
        };
      }
      because.push(`ipconfig '${ipc.name}' has its own public IP ('${pip.name}', created with the VM)`);
      const entry: EgressIp = { key: `${ipc.key}/publicipaddressconfiguration`, name: pip.name, type: 'Microsoft.Network/publicIPAddresses', id: `${vm.id}/publicIPAddressConfiguration/${pip.name}`, via: 'instance-public-ip', address: null, prefix: null, static: alloc === 'static', changes: alloc === 'dynamic', sku, unresolved: alloc === undefined || sku === null, at: pip.at };
      return { method: 'instance-public-ip', egress: [entry], decidedAt: pip.at };
    }
    const ref = this.g.check(pip.ref)!;
    if (ref.kind === 'unknown') return this.unknown(because, `the public IP of ipconfig '${ipc.name}': ${ref.value.origin}`, pip.at, 'instance-public-ip');
    const node = this.g.get(ref, 'publicIp');
    if (node) {
      if (node.tier.toLowerCase() === 'global') {
        notes.push({ kind: 'global-public-ip', message: node.name, at: pip.at });
        because.push(`public IP '${node.name}' is Global tier, which never carries outbound traffic`);
        return undefined;
      }
      if ((node.version.toLowerCase() === 'ipv6') !== v6) return undefined;
      because.push(`ipconfig '${ipc.name}' has its own public IP '${node.name}'`);
      const entry = this.fromPip(node, 'instance-public-ip');
      if (node.maybe) return this.unknown(because, `public IP '${node.name}' may not be deployed (its condition is unknown)`, pip.at, 'instance-public-ip', [entry]);
      return { method: 'instance-public-ip', egress: [entry], decidedAt: pip.at };
    }
    return this.unknown(because, `the public IP of ipconfig '${ipc.name}': ${describeRef(ref)}`, pip.at, 'instance-public-ip', [this.pipEntry(ref, 'instance-public-ip')]);
  }

  private frontendEntries(fe: Frontend, via: Method, v6: boolean): { egress: EgressIp[]; unknown: string | undefined } {
    const refs: Ref[] = [];
    for (const ref of [fe.publicIp, fe.publicIpPrefix]) {
      if (!ref) continue;
      const pip = this.g.get(this.g.check(ref), 'publicIp');
      if (pip && ((pip.version.toLowerCase() === 'ipv6') !== v6 || pip.tier.toLowerCase() === 'global')) continue;
      refs.push(ref);
    }
    return this.refEntries(refs, via);
  }

  private isPublicFrontend(fe: Frontend | undefined): boolean {
    return !!fe && (fe.publicIp !== undefined || fe.publicIpPrefix !== undefined);
  }

  private loadBalancers(vm: Vm, ipc: IpConfig, ipcPrimary: boolean, v6: boolean, because: string[], notes: PathNote[]): Outcome | undefined {
    const outbound: EgressIp[] = [];
    const implicit: EgressIp[] = [];
    let decidedAt: Location | undefined;
    let unknown: string | undefined;
    for (const pref of ipc.pools) {
      const c = this.g.check(pref)!;
      if (c.kind !== 'found') return this.unknown(because, `the load balancer pool of ipconfig '${ipc.name}': ${describeRef(c)}`, ipc.at);
      const pool = this.g.pools.get(c.key);
      if (!pool) return this.unknown(because, `the load balancer pool '${c.key}' is not in the analysed files`, ipc.at);
      const lb = this.g.nodes.get(pool.lbKey) as LoadBalancer;
      if (lb.existing) return this.unknown(because, `load balancer '${lb.name}' is an existing resource outside the analysed files`, lb.at);
      for (const rule of lb.outboundRules) {
        if (!rule.pool || rule.pool.kind !== 'found' || rule.pool.key !== pool.key) continue;
        if (!ipcPrimary) {
          notes.push({ kind: 'outbound-rule-secondary', message: rule.name, at: rule.at });
          because.push(`outbound rule '${rule.name}' of '${lb.name}' applies only to primary ipconfigs`);
          continue;
        }
        for (const f of rule.frontends) {
          const fe = this.g.frontends.get(f.kind === 'found' ? f.key : '');
          const got = fe ? this.frontendEntries(fe, 'lb-outbound-rule', v6) : this.refEntries([f], 'lb-outbound-rule');
          outbound.push(...got.egress);
          unknown ??= got.unknown;
        }
        because.push(`outbound rule '${rule.name}' of load balancer '${lb.name}' translates pool '${pool.name}'`);
        decidedAt ??= rule.at;
      }
      for (const rule of lb.lbRules) {
        if (!rule.pools.some((p) => p.kind === 'found' && p.key === pool.key)) continue;
        const fe = rule.frontend && rule.frontend.kind === 'found' ? this.g.frontends.get(rule.frontend.key) : undefined;
        if (!this.isPublicFrontend(fe)) continue;
        // "Secondary IP configurations of a network interface don't provide outbound communication (unless a public
        // IP is associated to it) via a load balancer" (https://learn.microsoft.com/azure/load-balancer/load-balancer-outbound-connections#limitations).
        if (!ipcPrimary) {
          because.push(`load-balancing rule '${rule.name}' of '${lb.name}' gives no outbound SNAT to a secondary ipconfig`);
          continue;
        }
        if (rule.disableOutboundSnat instanceof Unknown) return this.unknown(because, `disableOutboundSnat of rule '${rule.name}': ${rule.disableOutboundSnat.origin}`, rule.at, 'lb-rule-snat');
        if (rule.disableOutboundSnat) {
          because.push(`load-balancing rule '${rule.name}' of '${lb.name}' sets disableOutboundSnat: no outbound through it`);
          continue;
        }
        const got = this.frontendEntries(fe!, 'lb-rule-snat', v6);
        implicit.push(...got.egress);
        unknown ??= got.unknown;
        because.push(`load-balancing rule '${rule.name}' of load balancer '${lb.name}' gives implicit outbound SNAT through frontend '${fe!.name}'`);
        decidedAt ??= rule.at;
      }
    }
    // IP-based pools give no load balancer SNAT (documented known issue): note it and fall through.
    if (typeof ipc.privateIp === 'string') {
      for (const pool of this.poolsListing(ipc.privateIp)) {
        notes.push({ kind: 'ip-based-pool', message: pool.name, at: pool.at });
        because.push(`pool '${pool.name}' lists this address (IP-based pool), which gives no outbound SNAT`);
      }
    }
    const method: Method = outbound.length > 0 ? 'lb-outbound-rule' : 'lb-rule-snat';
    if (unknown) return this.unknown(because, `a load balancer frontend IP: ${unknown}`, decidedAt, method, [...outbound, ...implicit]);
    if (outbound.length === 0 && implicit.length === 0) return undefined;
    return { method, egress: [...outbound, ...implicit], decidedAt };
  }

  /**
   * Why the VM's group (itself, its availability set) cannot use default outbound access: a Standard public IP on
   * some ipconfig, or an ipconfig in a NIC-based pool of a Standard load balancer. `pip` reasons name the ipconfig
   * that carries the IP, so a path is not blocked by its own (Global-tier or other-family) public IP.
   */
  /**
   * What puts a VM's group under Standard rules (a Standard public IP or a Standard load balancer pool on any NIC of
   * any member), listed once per availability set: listing it per VM was quadratic (6,000 VMs in one set: 5 s).
   */
  private groupEntries(vm: Vm): readonly GroupEntry[] {
    const key = vm.availabilitySet?.kind === 'found' ? vm.availabilitySet.key : vm;
    const cached = this.groupCache.get(key);
    if (cached) return cached;
    const out: GroupEntry[] = [];
    for (const member of this.groupMembers(vm)) {
      for (const n of member.nics) {
        const nic = this.g.get(n.nic, 'nic');
        if (!nic) continue;
        for (const ipc of nic.ipConfigs) {
          const p = ipc.publicIp;
          if (p && !(p instanceof Unknown)) {
            const node = p.kind === 'managed' ? p : this.g.get(this.g.check(p.ref), 'publicIp');
            if (node && typeof node.sku === 'string' && node.sku.toLowerCase().startsWith('standard') && node.tier.toLowerCase() !== 'global')
              out.push({ member, ipcKey: ipc.key, pip: true, lb: '' });
          }
          for (const pref of ipc.pools) {
            const pool = pref.kind === 'found' ? this.g.pools.get(pref.key) : undefined;
            const lb = pool ? (this.g.nodes.get(pool.lbKey) as LoadBalancer) : undefined;
            if (lb && typeof lb.sku === 'string' && lb.sku.toLowerCase() === 'standard') out.push({ member, ipcKey: ipc.key, pip: false, lb: lb.name });
          }
        }
      }
    }
    this.groupCache.set(key, out);
    return out;
  }

  /** Why the group rule denies this ipconfig default outbound access (its own public IP aside), or undefined. */
  private groupReason(vm: Vm, ipc: IpConfig): string | undefined {
    const e = this.groupEntries(vm).find((r) => !(r.pip && r.ipcKey === ipc.key));
    if (!e) return undefined;
    const self = e.member === vm;
    return e.pip
      ? `${self ? 'another NIC of this VM' : `VM '${e.member.name}' in the same availability set`} has a Standard public IP`
      : `${self ? 'the VM' : `VM '${e.member.name}' in the same availability set`} is in a pool of Standard load balancer '${e.lb}'`;
  }

  private defaultOutbound(vm: Vm, _nic: Nic, ipc: IpConfig, subnet: Subnet, v6: boolean, because: string[]): Outcome {
    const none = (cause: string, text: string): Outcome => {
      because.push(text);
      return { method: 'none', verdict: 'no-egress', egress: [], cause, decidedAt: subnet.at };
    };
    if (v6) return none('IPv6 has no default outbound access', 'no explicit outbound method, and IPv6 has no default outbound access');
    if (subnet.defaultOutboundAccess instanceof Unknown)
      return this.unknown(because, `defaultOutboundAccess of subnet '${subnet.name}': ${subnet.defaultOutboundAccess.origin}`, subnet.at, 'default-outbound-access');
    if (subnet.defaultOutboundAccess === false) return none(`subnet '${subnet.name}' is private (defaultOutboundAccess: false)`, `subnet '${subnet.name}' is private (defaultOutboundAccess: false) and nothing else gives outbound`);
    // VNets created with API 2025-07-01 or later are private by default
    // (https://techcommunity.microsoft.com/blog/azurenetworkingblog/private-subnets-by-default-in-azure-virtual-networks-what/4513778).
    if (subnet.defaultOutboundAccess === undefined && subnet.vnetCreatedHere && subnet.vnetApiVersion >= '2025-07-01')
      return none(`subnet '${subnet.name}' is private by default (VNet API version ${subnet.vnetApiVersion})`, `subnet '${subnet.name}' leaves defaultOutboundAccess unset in a VNet created with API version ${subnet.vnetApiVersion}, which makes it private`);
    const flexible = this.flexibleReason(vm);
    if (flexible) return none(flexible, `${flexible}: Flexible scale sets have no default outbound access`);
    const group = this.groupReason(vm, ipc);
    if (group) {
      because.push(`${group}, so the whole VM follows Standard rules and gets no default outbound access`);
      return { method: 'none', verdict: 'no-egress', egress: [], cause: 'group', decidedAt: subnet.at };
    }
    because.push(`no route, NAT gateway, public IP or load balancer gives outbound: Azure's default outbound access uses a platform-chosen IP that can change`);
    return { method: 'default-outbound-access', verdict: 'non-deterministic', egress: [], decidedAt: subnet.at };
  }

  private flexibleReason(vm: Vm): string | undefined {
    if (vm.scaleSet) return vm.orchestrationMode?.toLowerCase() === 'flexible' ? `scale set '${vm.name}' uses Flexible orchestration` : undefined;
    if (!vm.scaleSetRef) return undefined;
    // Only Flexible scale sets accept VMs by reference (virtualMachineScaleSet.id).
    const ss = this.g.get(this.g.check(vm.scaleSetRef), 'vm');
    return `VM '${vm.name}' is a member of Flexible scale set ${ss ? `'${ss.name}'` : describeRef(this.g.check(vm.scaleSetRef)!)}`;
  }

  // ----- appliances -----

  private appliance(next: string | Unknown | undefined, because: string[], depth: number, visited: Set<string>): Outcome {
    if (depth >= MAX_APPLIANCE_DEPTH) return this.unknown(because, 'appliances chain deeper than 4 hops', undefined, 'appliance');
    if (next === undefined) return this.unknown(because, 'the route has no next hop address', undefined, 'appliance');
    if (next instanceof Unknown) {
      if (next.source) {
        const node = this.g.nodes.get(normaliseId(next.source.id));
        if (node?.kind === 'firewall' && /privateipaddress/i.test(next.source.path)) {
          because.push(`the next hop is the private IP of firewall '${node.name}' (read with reference())`);
          return this.firewall(node, because);
        }
        if (node?.kind === 'nic') {
          const m = /ipconfigurations\[(\d+)\]/i.exec(next.source.path);
          const ipc = node.ipConfigs[m ? Number(m[1]) : 0];
          if (ipc) return this.nva(node, ipc, because, depth, visited);
        }
        if (node?.kind === 'loadBalancer') {
          const m = /frontendipconfigurations\[(\d+)\]/i.exec(next.source.path);
          const fe = node.frontends[m ? Number(m[1]) : 0];
          if (fe) return this.internalLb(node, fe, because, depth, visited);
        }
      }
      return this.unknown(because, `the next hop address: ${next.origin}`, undefined, 'appliance');
    }
    const ip = next.trim();
    // A firewall read from an inventory file has the private IP Azure gave it (a hub in another repository).
    for (const key of this.g.inventoryKeys) {
      const node = this.g.nodes.get(key);
      if (node?.kind === 'firewall' && node.ipConfigs.some((c) => c.privateIp === ip)) {
        because.push(`${ip} is the private IP of firewall '${node.name}' (recorded in ${node.at.file})`);
        return this.firewall(node, because);
      }
    }
    const fw = this.firewallAt(ip);
    if (fw) {
      because.push(`${ip} is the first usable address of '${fw.subnet.name}', where firewall '${fw.fw.name}' sits`);
      return this.firewall(fw.fw, because);
    }
    const hop = this.hopAt(ip);
    if (hop && 'nic' in hop) return this.nva(hop.nic, hop.ipc, because, depth, visited);
    if (hop) return this.internalLb(hop.lb, hop.fe, because, depth, visited);
    return this.unknown(because, `next hop ${ip} is not an address of anything in the analysed files`, undefined, 'appliance');
  }

  private firewall(fw: Firewall, because: string[]): Outcome {
    if (typeof fw.skuName === 'string' && fw.skuName.toLowerCase() === 'azfw_hub')
      return this.unknown(because, `firewall '${fw.name}' runs in a Virtual WAN hub, whose public IPs Azure assigns at deployment`, fw.at, 'firewall');
    if (fw.existing) return this.unknown(because, `firewall '${fw.name}' is an existing resource outside the analysed files`, fw.at, 'firewall');
    const fsubnet = this.g.get(this.g.check(fw.ipConfigs[0]?.subnet), 'subnet');
    if (fsubnet) {
      const decision = this.routeStep(fsubnet, false, []);
      if (decision.unknown) return this.unknown(because, decision.unknown, decision.at, 'firewall');
      const tunnel = (decision.branches ?? []).find((r) => r && String(r.nextHopType).toLowerCase() !== 'internet');
      // Forced tunnelling sends the firewall's own Internet traffic to the next hop (https://learn.microsoft.com/azure/firewall/forced-tunneling).
      if (tunnel) return this.unknown(because, `firewall '${fw.name}' is force-tunnelled (route '${tunnel.name}' → ${String(tunnel.nextHopType)})`, tunnel.at, 'firewall');
      if (fsubnet.natGateway) {
        const nref = this.g.check(fsubnet.natGateway)!;
        const nat = this.g.get(nref, 'natGateway');
        if (!nat) return this.unknown(because, `the NAT gateway of '${fsubnet.name}': ${describeRef(nref)}`, fsubnet.at, 'firewall');
        // With a NAT gateway on AzureFirewallSubnet all outbound traffic uses the NAT gateway's IPs
        // (https://learn.microsoft.com/azure/firewall/integrate-with-nat-gateway).
        const out = this.natEgress(nat, false, 'firewall', because);
        if (out && out.verdict !== 'unknown') because.push(`firewall '${fw.name}' hands outbound traffic to NAT gateway '${nat.name}' on its subnet`);
        if (out) return Object.assign({}, out, { decidedAt: out.verdict === 'unknown' ? out.decidedAt : fw.at });
      }
    }
    const refs = fw.ipConfigs.map((c) => c.publicIp).filter((r): r is Ref => r !== undefined);
    if (refs.length === 0) return this.unknown(because, `firewall '${fw.name}' has no public IP in the analysed files`, fw.at, 'firewall');
    const { egress, unknown } = this.refEntries(refs, 'firewall');
    if (unknown) return this.unknown(because, `a public IP of firewall '${fw.name}': ${unknown}`, fw.at, 'firewall', egress);
    because.push(`firewall '${fw.name}' SNATs outbound traffic to its public IP${refs.length > 1 ? 's, chosen at random per connection' : ''} (never the management IP)`);
    return { method: 'firewall', egress, decidedAt: fw.at };
  }

  /**
   * The egress of an appliance reached at one of its NIC addresses: the appliance VM's own egress. Forwarded
   * traffic leaves through whichever of its interfaces has an outbound method, not necessarily the one it
   * arrived on (a two-armed NVA receives on its trusted NIC and sends from its untrusted one).
   */
  private nva(nic: Nic, ipc: IpConfig, because: string[], depth: number, visited: Set<string>): Outcome {
    const vm = this.vmOfNic.get(nic.key);
    const loopKey = vm ? vm.key : ipc.key;
    if (visited.has(loopKey)) return this.unknown(because, `routes loop back to appliance '${vm?.name ?? nic.name}'`, ipc.at, 'appliance');
    const inner = new Set(visited).add(loopKey);
    because.push(`the appliance is NIC '${nic.name}'${vm ? ` of VM '${vm.name}'` : ''}: its own egress applies`);
    let paths: PathResult[];
    if (vm) {
      const all = this.vmPaths(vm, this.primaryNicIndex(vm), depth + 1, inner);
      const carrying = all.filter((p) => p.method !== 'none' && p.method !== 'default-outbound-access');
      const primary = all.filter((p) => p.primary);
      paths = carrying.length > 0 ? carrying : primary.length > 0 ? primary : all.filter((p) => p.ipConfigKey === ipc.key);
    } else paths = [this.resolvePath({ key: nic.key, id: nic.id, name: nic.name, nics: [], scaleSet: false } as unknown as Vm, nic, ipc, true, true, depth + 1, inner)];
    for (const p of paths) because.push(...p.because.map((b) => `  ${paths.length > 1 ? `${p.nic}/${p.ipConfiguration}: ` : ''}${b}`));
    const worst = worstVerdict(paths);
    const egress = paths.flatMap((p) => p.egress.map((e) => Object.assign({}, e, { via: 'appliance' as Method })));
    const verdict = worst ?? (egress.length === 0 ? 'no-egress' : setVerdict(dedupe(egress)));
    const first = paths.find((p) => p.verdict === verdict) ?? paths[0];
    return { method: 'appliance', verdict, egress, cause: first?.cause, unknownReason: first?.unknownReason, decidedAt: ipc.at };
  }

  /**
   * The ipconfigs in any of `pools`, in graph order, each once. From an index built on first use: a scan of every
   * ipconfig per path was quadratic when thousands of VMs route through an internal load balancer.
   */
  private poolMembers(pools: ReadonlySet<string>): IpConfig[] {
    if (!this.membersByPool) {
      this.membersByPool = new Map();
      this.ipConfigOrder = new Map();
      for (const c of this.g.ipConfigs.values()) {
        this.ipConfigOrder.set(c, this.ipConfigOrder.size);
        for (const key of new Set(c.pools.flatMap((p) => (p.kind === 'found' ? [p.key] : [])))) {
          const list = this.membersByPool.get(key);
          if (list) list.push(c);
          else this.membersByPool.set(key, [c]);
        }
      }
    }
    if (pools.size === 1) return [...(this.membersByPool.get(pools.values().next().value as string) ?? [])];
    const found = new Set<IpConfig>();
    for (const key of pools) for (const c of this.membersByPool.get(key) ?? []) found.add(c);
    const order = this.ipConfigOrder!;
    return [...found].sort((a, b) => order.get(a)! - order.get(b)!);
  }

  private internalLb(lb: LoadBalancer, fe: Frontend, because: string[], depth: number, visited: Set<string>): Outcome {
    because.push(`the appliance address is frontend '${fe.name}' of internal load balancer '${lb.name}': the union of its pool members' egress applies`);
    const pools = new Set(lb.lbRules.filter((r) => r.frontend?.kind === 'found' && r.frontend.key === fe.key).flatMap((r) => r.pools.filter((p) => p.kind === 'found').map((p) => (p as { key: string }).key)));
    const members = this.poolMembers(pools);
    if (members.length === 0) return this.unknown(because, `internal load balancer '${lb.name}' has no pool members in the analysed files`, fe.at, 'appliance');
    const results = members.map((m) => this.nva(this.g.nodes.get(m.nicKey) as Nic, m, [], depth, visited));
    const egress = results.flatMap((r) => r.egress);
    const verdict = worstVerdict(results.map((r) => ({ verdict: outcomeVerdict(r) })));
    const first = results.find((r) => outcomeVerdict(r) === verdict);
    const out: Outcome = { method: 'appliance', egress, unknownReason: first?.unknownReason, decidedAt: fe.at };
    if (verdict) out.verdict = verdict;
    return out;
  }
}

function sameHop(a: Route, b: Route): boolean {
  const ip = (r: Route): string | undefined => (r.nextHopIpAddress instanceof Unknown ? `?${r.nextHopIpAddress.origin}` : r.nextHopIpAddress?.trim());
  const hop = (r: Route): string => (r.nextHopType instanceof Unknown ? `?${r.nextHopType.origin}` : r.nextHopType.toLowerCase());
  return hop(a) === hop(b) && ip(a) === ip(b);
}

function primaryIpConfigIndex(nic: Nic): number | undefined {
  if (nic.ipConfigs.length === 1) return 0;
  const flagged = nic.ipConfigs.map((c, i) => (c.primary === true ? i : -1)).filter((i) => i >= 0);
  return flagged.length === 1 ? flagged[0] : undefined;
}

/** Resolves every VM and scale set of the graph, in document order. */
export function resolveEgress(g: NetworkGraph): VmResult[] {
  const r = new Resolver(g);
  return g.vms.map((vm) => r.resolveVm(vm));
}
