// Step 5 of egress-model.md: whether a path with no explicit method gets default outbound access, including the
// "group" rule (a VM or availability set under Standard rules). Imports expressions/ only, besides engine/network/.
import { Unknown } from '../expressions/value.js';
import type { IpConfig, LoadBalancer, NetworkGraph, Subnet, Vm } from './graph.js';
import type { Outcome } from './results.js';
import { describeRef, mayNotBeDeployed, unknownOutcome } from './results.js';

/**
 * A member's ipconfig that puts its group under Standard rules (its Standard public IP, or a Standard LB's pool), or
 * that may do so: `undecided` says what the files do not decide (a SKU known only at deployment, a public IP or load
 * balancer that may not be deployed or is outside the files).
 */
interface GroupEntry {
  readonly member: Vm;
  readonly nicKey: string;
  readonly ipcKey: string;
  readonly pip: boolean;
  /** The load balancer's name (pool entries). */
  readonly lb: string;
  readonly undecided: string | undefined;
}

/** An internal load balancer whose pool holds a path; `undecided` says why the files do not tell whether it is a deployed Standard one. */
export interface InternalLb {
  readonly lb: string;
  readonly pool: string;
  readonly undecided: string | undefined;
}

/** Why a path is or may be under Standard rules: the entry's words, and whether the files decide it. */
interface GroupReason {
  readonly text: string;
  readonly undecided: boolean;
}

function noEgress(because: string[], subnet: Subnet, cause: string, text: string): Outcome {
  because.push(text);
  return { method: 'none', verdict: 'no-egress', egress: [], cause, decidedAt: subnet.at };
}

/** Step 5 for the paths of one graph, with the group index it builds on first use. */
export class DefaultOutbound {
  /** groupEntries by availability set key (or by the VM outside a set). */
  private readonly groupCache = new Map<string | Vm, GroupEntry[]>();
  // Built on first use: a Map access per lookup, not a scan of every VM per path (quadratic); VMs in graph order, as the scan had.
  private vmsBySet: Map<string, Vm[]> | undefined;
  private inGraph: Set<Vm> | undefined;

  constructor(private readonly g: NetworkGraph) {}

  /** The outcome of a path that nothing before step 5 gave outbound: no egress, unknown, or default outbound access. */
  resolve(vm: Vm, ipc: IpConfig, subnet: Subnet, v6: boolean, because: string[]): Outcome {
    if (v6) return noEgress(because, subnet, 'IPv6 has no default outbound access', 'no explicit outbound method, and IPv6 has no default outbound access');
    if (subnet.defaultOutboundAccess instanceof Unknown)
      return unknownOutcome(because, `defaultOutboundAccess of subnet '${subnet.name}': ${subnet.defaultOutboundAccess.origin}`, subnet.at, 'default-outbound-access');
    if (subnet.defaultOutboundAccess === false) return noEgress(because, subnet, `subnet '${subnet.name}' is private (defaultOutboundAccess: false)`, `subnet '${subnet.name}' is private (defaultOutboundAccess: false) and nothing else gives outbound`);
    // VNets created with API 2025-07-01 or later are private by default
    // (https://techcommunity.microsoft.com/blog/azurenetworkingblog/private-subnets-by-default-in-azure-virtual-networks-what/4513778).
    if (subnet.defaultOutboundAccess === undefined && subnet.vnetCreatedHere && subnet.vnetApiVersion >= '2025-07-01')
      return noEgress(because, subnet, `subnet '${subnet.name}' is private by default (VNet API version ${subnet.vnetApiVersion})`, `subnet '${subnet.name}' leaves defaultOutboundAccess unset in a VNet created with API version ${subnet.vnetApiVersion}, which makes it private`);
    const flexible = this.flexibleReason(vm);
    if (flexible) return noEgress(because, subnet, flexible, `${flexible}: Flexible scale sets have no default outbound access`);
    // The path's own internal Standard load balancer gives it no outbound access: "Outbound connectivity isn't
    // available for an internal standard load balancer until it has been explicitly declared"
    // (https://learn.microsoft.com/azure/load-balancer/outbound-rules#scenario5out). That is the path's own
    // answer, not the group rule's, so a secondary path in its pool is no bare secondary path (resolve.ts).
    const own = this.internalLoadBalancer(ipc);
    if (own && own.undecided === undefined) {
      // The cause in the words no-internet-egress uses for the group rule, so a VM with both says it once.
      const cause = `it is in pool '${own.pool}' of internal Standard load balancer '${own.lb}', which gives no outbound access and turns default outbound access off`;
      return noEgress(because, subnet, cause, `ipconfig '${ipc.name}' is in pool '${own.pool}' of internal Standard load balancer '${own.lb}', which gives no outbound access (it must be declared explicitly)`);
    }
    const group = this.groupReason(vm, ipc);
    // A standalone VM, the VMs of an availability set and the instances of a scale set are a group: one member tied
    // to a Standard SKU public IP or load balancer puts every member under Standard rules, without default outbound
    // access (https://learn.microsoft.com/azure/load-balancer/load-balancer-faqs,
    // https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access). When the files cannot
    // tell whether it is Standard (or deployed at all), they cannot tell default outbound access from no egress.
    if (group?.undecided) {
      // Method 'unknown': whether the path has default outbound access at all is what is not known.
      const out = unknownOutcome(because, group.text, subnet.at);
      out.cause = 'group-undecided';
      return out;
    }
    if (group) {
      because.push(`${group.text}, so the whole VM follows Standard rules and gets no default outbound access`);
      return { method: 'none', verdict: 'no-egress', egress: [], cause: 'group', decidedAt: subnet.at };
    }
    because.push(`no route, NAT gateway, public IP or load balancer gives outbound: Azure's default outbound access uses a platform-chosen IP that can change`);
    return { method: 'default-outbound-access', verdict: 'non-deterministic', egress: [], decidedAt: subnet.at };
  }

  /**
   * The internal load balancer whose NIC-based pool holds `ipc`: a deployed Standard one (`undecided` undefined), or
   * one the files do not tell is (`undecided` says why: its SKU known only at deployment, or whether it is deployed);
   * undefined when no internal load balancer's pool holds it, or only a Basic one (which leaves default outbound access).
   */
  internalLoadBalancer(ipc: IpConfig): InternalLb | undefined {
    let undecided: InternalLb | undefined;
    for (const pref of ipc.pools) {
      const c = this.g.check(pref);
      const pool = c?.kind === 'found' ? this.g.pools.get(c.key) : undefined;
      const lb = pool ? (this.g.nodes.get(pool.lbKey) as LoadBalancer) : undefined;
      if (!pool || !lb || !isInternal(lb)) continue;
      const standard = loadBalancerStandard(lb);
      if (standard === true) return { lb: lb.name, pool: pool.name, undecided: undefined };
      if (typeof standard === 'string') undecided ??= { lb: lb.name, pool: pool.name, undecided: `whether internal load balancer '${lb.name}', whose pool '${pool.name}' holds ipconfig '${ipc.name}', takes its outbound access away (a deployed Standard one does): ${standard}` };
    }
    return undecided;
  }

  private flexibleReason(vm: Vm): string | undefined {
    if (vm.scaleSet) return vm.orchestrationMode?.toLowerCase() === 'flexible' ? `scale set '${vm.name}' uses Flexible orchestration` : undefined;
    if (!vm.scaleSetRef) return undefined;
    // Only Flexible scale sets accept VMs by reference (virtualMachineScaleSet.id).
    const ss = this.g.get(this.g.check(vm.scaleSetRef), 'vm');
    return `VM '${vm.name}' is a member of Flexible scale set ${ss ? `'${ss.name}'` : describeRef(this.g.check(vm.scaleSetRef)!)}`;
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

  /**
   * What puts a VM's group under Standard rules (a Standard public IP or a Standard load balancer pool on any NIC of
   * any member), or may (see GroupEntry), listed once per availability set: listing it per VM was quadratic. `pip`
   * entries name the ipconfig that carries the IP, so a path is not blocked by its own (Global-tier or other-family)
   * public IP.
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
          if (ipc.publicIp !== undefined) {
            const why = this.publicIpStandard(ipc);
            if (why !== false) out.push({ member, nicKey: nic.key, ipcKey: ipc.key, pip: true, lb: '', undecided: why === true ? undefined : why });
          }
          for (const pref of ipc.pools) {
            const c = this.g.check(pref)!;
            const pool = c.kind === 'found' ? this.g.pools.get(c.key) : undefined;
            const lb = pool ? (this.g.nodes.get(pool.lbKey) as LoadBalancer) : undefined;
            const why = lb ? loadBalancerStandard(lb) : `the load balancer pool of ipconfig '${ipc.name}' of NIC '${nic.name}': ${describeRef(c)}`;
            if (why !== false) out.push({ member, nicKey: nic.key, ipcKey: ipc.key, pip: false, lb: lb?.name ?? '', undecided: why === true ? undefined : why });
          }
        }
      }
    }
    this.groupCache.set(key, out);
    return out;
  }

  /** Whether the public IP of `ipc` is Standard: true, false, or why the files do not decide it. */
  private publicIpStandard(ipc: IpConfig): boolean | string {
    const p = ipc.publicIp;
    if (p === undefined) return false;
    if (p instanceof Unknown) return `the public IP of ipconfig '${ipc.name}': ${p.origin}`;
    if (p.kind === 'managed') {
      if (p.undecided) return `the tier of public IP configuration '${p.name}': ${p.undecided.origin}`;
      if (p.tier.toLowerCase() === 'global') return false;
      return p.sku instanceof Unknown ? `the SKU of public IP configuration '${p.name}': ${p.sku.origin}` : isStandardSku(p.sku);
    }
    const ref = this.g.check(p.ref)!;
    const node = this.g.get(ref, 'publicIp');
    if (!node) return `the public IP of ipconfig '${ipc.name}': ${describeRef(ref)}`;
    if (node.undecided) return `the tier of public IP '${node.name}': ${node.undecided.origin}`;
    if (node.tier.toLowerCase() === 'global') return false;
    if (node.existing) return `public IP '${node.name}' is an existing resource outside the analysed files`;
    if (node.sku instanceof Unknown) return `the SKU of public IP '${node.name}': ${node.sku.origin}`;
    if (!isStandardSku(node.sku)) return false;
    return node.maybe ? mayNotBeDeployed('public IP', node) : true;
  }

  /** Why the group rule denies this ipconfig default outbound access (its own public IP aside), or may; undefined when nothing does. */
  private groupReason(vm: Vm, ipc: IpConfig): GroupReason | undefined {
    const entries = this.groupEntries(vm);
    let undecided: GroupEntry | undefined;
    for (const e of entries) {
      if (e.pip && e.ipcKey === ipc.key) continue;
      if (e.undecided === undefined) return { text: groupSubject(e, vm, ipc, false), undecided: false };
      undecided ??= e;
    }
    if (!undecided) return undefined;
    const whole = undecided.member === vm ? 'the whole VM' : 'every VM of the availability set';
    return { text: `${groupSubject(undecided, vm, ipc, true)} (a Standard one takes default outbound access away from ${whole}): ${undecided.undecided!}`, undecided: true };
  }
}

/** Public IP SKUs: Basic, Standard, StandardV2 (https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses#sku). */
function isStandardSku(sku: string): boolean {
  return sku.toLowerCase().startsWith('standard');
}

/** An internal load balancer: its frontends are all private (none has a public IP or prefix). */
function isInternal(lb: LoadBalancer): boolean {
  if (lb.frontends.length === 0) return false;
  for (const f of lb.frontends) if (f.publicIp !== undefined || f.publicIpPrefix !== undefined) return false;
  return true;
}

/** Whether `lb` is a Standard load balancer: true, false, or why the files do not decide it. */
function loadBalancerStandard(lb: LoadBalancer): boolean | string {
  if (lb.existing) return `load balancer '${lb.name}' is an existing resource outside the analysed files`;
  if (lb.sku instanceof Unknown) return `the SKU of load balancer '${lb.name}': ${lb.sku.origin}`;
  if (lb.sku.toLowerCase() !== 'standard') return false;
  return lb.maybe ? mayNotBeDeployed('load balancer', lb) : true;
}

/** The group entry in words: what is (or, `whether`, may be) under Standard rules, seen from the path `ipc` of `vm`. */
function groupSubject(e: GroupEntry, vm: Vm, ipc: IpConfig, whether: boolean): string {
  const self = e.member === vm;
  if (e.pip) {
    const who = !self ? `VM '${e.member.name}' in the same availability set` : e.nicKey === ipc.nicKey ? 'another ipconfig of this NIC' : 'another NIC of this VM';
    return whether ? `whether ${who} has a Standard public IP` : `${who} has a Standard public IP`;
  }
  const who = self ? 'the VM' : `VM '${e.member.name}' in the same availability set`;
  return whether ? `whether ${who} is in a pool of a Standard load balancer` : `${who} is in a pool of Standard load balancer '${e.lb}'`;
}
