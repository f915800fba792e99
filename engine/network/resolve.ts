// The egress resolver of egress-model.md: walks the resolution order for each path (NIC ipconfig) of every VM and
// scale set, and combines a VM's paths. Imports template/ and expressions/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import { Unknown } from '../expressions/value.js';
import type { IpConfig, NetworkGraph, Nic, Route, Subnet, Vm } from './graph.js';
import { lastSegment } from './ids.js';
import type { EgressIp, Outcome, PathNote, PathResult, VmResult } from './results.js';
import type { UnresolvedDeployment } from '../resources/types.js';
import { GRAPH_TYPES } from './reads.js';
import { addressNotes, dedupe, describeRef, missingSubnet, outcomeVerdict, setVerdict, unknownOutcome, worstVerdict } from './results.js';
import { internetRoutes } from './route-table.js';
import { isLearned, learnedOutcome } from './learned-routes.js';
import { Appliances } from './appliances.js';
import type { PathSource } from './appliances.js';
import { instanceIp, natEgress } from './nat-and-instance-ip.js';
import { LoadBalancerSnat } from './load-balancer-snat.js';
import { DefaultOutbound } from './default-outbound.js';
import { ipFamily, primaryIpConfigIndex } from './ip-configs.js';
import { AksOutbound } from './aks-outbound.js';

/** The resolver of one graph: the step modules keep the indexes they build on first use for all its paths. */
class Resolver implements PathSource {
  private readonly appliances: Appliances;
  private readonly loadBalancerSnat: LoadBalancerSnat;
  private readonly defaultOutbound: DefaultOutbound;
  private readonly aks: AksOutbound;

  constructor(readonly g: NetworkGraph) {
    this.appliances = new Appliances(g, this);
    this.loadBalancerSnat = new LoadBalancerSnat(g);
    this.defaultOutbound = new DefaultOutbound(g);
    this.aks = new AksOutbound(g, this.defaultOutbound);
  }

  /** egress-model.md, units: a VM's egress is the union over its paths, its primary egress the primary path's set. */
  resolveVm(vm: Vm): VmResult {
    const primaryNic = this.primaryNicIndex(vm);
    const visited = new Set([vm.key]);
    const paths = this.vmPaths(vm, primaryNic, 0, visited);
    // An AKS pool's pods, in a subnet of their own, are a second path that carries traffic as the nodes' does.
    const pods = vm.aks?.pods;
    if (pods) {
      this.aks.nodes = paths[0];
      paths.push(this.resolvePath(vm, pods.nic, pods.ipc, true, true, 0, visited));
    }
    const egress = dedupe(paths.flatMap((p) => p.egress));
    const primary = paths.filter((p) => p.primary);
    const primaryEgress = dedupe(primary.flatMap((p) => p.egress));
    const verdict = worstVerdict(paths) ?? (egress.length === 0 ? 'no-egress' : setVerdict(egress));
    return { vm, verdict, egress, primaryEgress, paths, primaryNic };
  }

  vmPaths(vm: Vm, primaryNic: number | undefined, depth: number, visited: Set<string>): PathResult[] {
    const paths: PathResult[] = [];
    for (let i = 0; i < vm.nics.length; i++) {
      const entry = vm.nics[i];
      const nic = this.g.get(entry.nic, 'nic');
      if (!nic) {
        const loop = this.g.unknownCopies.get(GRAPH_TYPES.nic);
        const why = entry.nic.kind === 'unknown' ? `the NIC id (${entry.nic.value.origin})` : loop !== undefined ? `NIC '${lastSegment(entry.nic.kind === 'found' ? entry.nic.key : describeRef(entry.nic))}' may be one a copy loop creates, and ${loop}` : `NIC ${describeRef(this.g.check(entry.nic) ?? entry.nic)}`;
        paths.push(this.unknownPath(entry.nic.kind === 'found' ? lastSegment(entry.nic.key) : lastSegment(describeRef(entry.nic)), entry.at, i === primaryNic, why));
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

  /** A single NIC is primary even without the flag (egress-model.md, units); several need exactly one flagged. */
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
      if (p.primary) continue;
      const group = p.method === 'none' && p.cause === 'group';
      // The files do not decide the group rule (a SKU known only at deployment): under Basic rules this path has
      // default outbound access, under Standard rules it is a bare secondary path. Non-deterministic either way.
      const undecided = p.method === 'unknown' && p.cause === 'group-undecided';
      if (!group && !undecided) continue;
      if (!paths.some((o, j) => j !== i && o.egress.length > 0)) continue;
      // A path in the pool of an internal load balancer that may be a Standard one is not bare: a Standard one
      // gives it no egress, otherwise it is a bare secondary path. Unknown, not non-deterministic either way.
      const ipc = this.g.ipConfigs.get(p.ipConfigKey);
      const own = ipc ? this.defaultOutbound.internalLoadBalancer(ipc) : undefined;
      if (own?.undecided !== undefined) {
        paths[i] = Object.assign({}, p, { method: 'unknown' as const, verdict: 'unknown' as const, cause: undefined, unknownReason: own.undecided, because: [...p.because, `unknown: ${own.undecided}`] });
        continue;
      }
      const sameNic = paths.some((o, j) => j !== i && o.nicKey === p.nicKey && o.egress.length > 0);
      const bare = `${sameNic ? 'another ipconfig of this NIC' : `another NIC of ${vm.name}`} has an outbound method, so Azure documents no outbound for this one; in practice such a path was seen leaving through a platform-assigned IP and later through the other NIC's egress, depending on the guest OS routes`;
      paths[i] = Object.assign({}, p, {
        method: 'default-outbound-access' as const,
        verdict: 'non-deterministic',
        cause: undefined,
        unknownReason: undefined,
        because: [...p.because, undecided ? `either way it leaves through a platform-assigned IP: default outbound access under Basic rules; under Standard rules ${bare}` : bare],
        notes: undecided ? p.notes : [...p.notes, { kind: 'bare-secondary' as const, message: 'bare secondary path', at: p.at }],
      });
    }
  }

  // ----- path level -----

  resolvePath(vm: Vm, nic: Nic, ipc: IpConfig, nicPrimary: boolean, ipcPrimary: boolean, depth: number, visited: Set<string>): PathResult {
    const because: string[] = [];
    const notes: PathNote[] = [];
    const primary = nicPrimary && ipcPrimary;
    // An IPv6 ipconfig is never primary, yet the primary NIC's one carries its IPv6 traffic without any guest OS route.
    if (!primary && nicPrimary && ipFamily(ipc) === 'IPv6') because.push("the primary NIC's IPv6 ipconfig (an IPv6 ipconfig is never primary): carries the VM's IPv6 traffic");
    else if (!primary) because.push(`${nicPrimary ? 'a secondary ipconfig' : 'a secondary NIC'}: carries traffic only when the guest OS routes or binds to it`);
    const out = this.decide(vm, nic, ipc, ipcPrimary, because, notes, depth, visited);
    const egress = dedupe(out.egress);
    let verdict = outcomeVerdict(out);
    let unknownReason = out.unknownReason;
    const link = this.unreadLinkOver(nic, ipc, egress);
    if (link !== undefined && verdict !== 'unknown') {
      // Contract, "Linked templates": a deployment that is not read may redeclare the subnet (a NAT gateway, a
      // route table), the NIC or the public IP: no answer that it could overturn is given as decided.
      unknownReason = link.what !== undefined ? `${link.what} could change it: ${link.reason}` : `deployment '${link.name}' could change it and is not read: ${link.reason}`;
      because.push(`unknown: ${unknownReason}`);
      verdict = 'unknown';
    } else if (link !== undefined && link.what === undefined && unknownReason !== undefined && / is not in the analysed files$/.test(unknownReason)) {
      // What the files lack may be what the unread deployment creates: say where to look.
      unknownReason = `${unknownReason}, and deployment '${link.name}', which may create it, is not read: ${link.reason}`;
      because.push(`unknown: ${unknownReason}`);
    }
    if (verdict === 'unknown' && unknownReason === undefined) {
      // An identity whose nature is unknown (a SKU from a parameter with no value) says which and why.
      const open = egress.find((e) => e.unresolved && e.why !== undefined);
      if (open?.why !== undefined) because.push(`unknown: ${open.why}`);
      unknownReason = open?.why ?? because[because.length - 1];
    }
    addressNotes(egress, because);
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
      // A deployment that is not read may change the path whatever the group rule says: no bare-secondary answer.
      cause: link !== undefined ? undefined : out.cause,
      unknownReason,
      decidedAt: out.decidedAt ?? ipc.at,
      at: ipc.at,
    };
  }

  /**
   * A deployment that was not read (a URL, a template spec, a missing file) whose resources would land where this
   * path's NIC, subnet or egress resources are (the same resource group; anywhere when its target is unknown).
   */
  private unreadLinkOver(nic: Nic, ipc: IpConfig, egress: readonly EgressIp[]): UnresolvedDeployment | undefined {
    const unread = this.g.deployment.unresolved;
    if (unread.length === 0) return undefined;
    const keys = [nic.key, ...(ipc.subnet?.kind === 'found' ? [ipc.subnet.key] : []), ...egress.map((e) => e.key)];
    for (const u of unread) {
      if (u.scopeKey === undefined) return u;
      const prefix = `${u.scopeKey}/`;
      for (const k of keys) if (k.startsWith(prefix)) return u;
    }
    return undefined;
  }

  private decide(vm: Vm, nic: Nic, ipc: IpConfig, ipcPrimary: boolean, because: string[], notes: PathNote[], depth: number, visited: Set<string>): Outcome {
    // An AKS pool's outbound type may decide the path before its subnet does (aks-outbound.ts).
    const aks = vm.aks ? this.aks.before(vm, ipc, because, notes) : undefined;
    if (aks) return aks;
    // The path's family decides every step (no default outbound access and no NAT gateway for IPv6 in Standard).
    if (ipc.undecidedVersion) return unknownOutcome(because, `the IP version of ipconfig '${ipc.name}': ${ipc.undecidedVersion.origin}`, ipc.at);
    const v6 = ipc.version.toLowerCase() === 'ipv6';
    // The subnet decides routes, NAT gateway and default outbound access.
    if (!ipc.subnet) return unknownOutcome(because, `ipconfig '${ipc.name}' names no subnet`, ipc.at);
    const sref = this.g.check(ipc.subnet)!;
    const subnet = this.g.get(sref, 'subnet');
    if (!subnet) return unknownOutcome(because, missingSubnet(this.g, sref), ipc.at);
    if (subnet.existing) return unknownOutcome(because, `subnet '${subnet.name}' is an existing resource outside the analysed files`, subnet.at);

    // 1. Route table: longest prefix covering the Internet.
    const decision = internetRoutes(this.g, subnet, v6, because);
    if (decision.unknown) return unknownOutcome(because, decision.unknown, decision.at ?? subnet.at, 'route-table');
    const branches = decision.branches ?? [undefined];
    if (branches.length === 1) return this.branch(branches[0], vm, nic, ipc, ipcPrimary, subnet, v6, because, notes, depth, visited);

    // Part of the Internet goes one way and part another (e.g. only 0.0.0.0/1 to an appliance): the path's egress
    // depends on the destination, so every branch's IPs must be allow-listed.
    const names = branches.map((r) => (isLearned(r) ? r.name : r ? `'${r.name}' (${String(r.addressPrefix)} → ${String(r.nextHopType)})` : 'the system route to the Internet')).join(', ');
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
    // A route the subnet learns from a gateway or a virtual hub, where its route table leaves the system route (one it
    // only may learn is weighed against steps 2-5 without it).
    if (isLearned(route)) return learnedOutcome(this.g, this.appliances, route, pip !== undefined, because, notes, (b) => this.branch(undefined, vm, nic, ipc, ipcPrimary, subnet, v6, b, notes, depth, visited));
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
        const out = this.appliances.resolve(r.nextHopIpAddress, because, depth, visited);
        return Object.assign({}, out, { decidedAt: r.at });
      }
      if (hop !== 'internet') return unknownOutcome(because, `route '${r.name}' has next hop type '${String(r.nextHopType)}'`, r.at, 'route-table');
      because.push(`route '${r.name}' sends ${String(r.addressPrefix)} to the Internet: the subnet's outbound method applies`);
    }

    // 2. NAT gateway on the subnet.
    if (subnet.natGateway) {
      const nref = this.g.check(subnet.natGateway)!;
      const nat = this.g.get(nref, 'natGateway');
      if (!nat) return unknownOutcome(because, `the NAT gateway of subnet '${subnet.name}': ${describeRef(nref)}`, subnet.at, 'nat-gateway');
      const out = natEgress(this.g, nat, v6, 'nat-gateway', because);
      // It overrides the ipconfig's public IP only for a family it serves: a Standard NAT gateway serves IPv4 only,
      // a StandardV2 one IPv6 too through its IPv6 addresses (https://learn.microsoft.com/azure/nat-gateway/nat-sku).
      if (out && pip !== undefined) notes.push({ kind: 'nat-overrides-public-ip', message: `NAT gateway '${nat.name}'`, at: subnet.at });
      if (out) {
        if (out.verdict !== 'unknown') because.push(`subnet '${subnet.name}' has NAT gateway '${nat.name}', which takes precedence over public IPs and load balancers for outbound`);
        return out;
      }
      because.push(`NAT gateway '${nat.name}' has no IPv6 addresses`);
    }

    // 3. Instance public IP on the ipconfig.
    if (pip instanceof Unknown) return unknownOutcome(because, `the public IP of ipconfig '${ipc.name}': ${pip.origin}`, ipc.at, 'instance-public-ip');
    if (pip) {
      const res = instanceIp(this.g, vm, ipc, pip, v6, because, notes);
      if (res) return res;
    }

    // 4. Load balancers holding the ipconfig.
    const lbOut = this.loadBalancerSnat.resolve(ipc, ipcPrimary, v6, because, notes);
    if (lbOut) return lbOut;

    // 5. Default outbound access (for an AKS pool, what its outbound type leaves: aks-outbound.ts).
    if (vm.aks) return this.aks.last(vm, ipc, subnet, v6, because);
    return this.defaultOutbound.resolve(vm, ipc, subnet, v6, because);
  }
}

/** Resolves every VM and scale set of the graph, in document order. */
export function resolveEgress(g: NetworkGraph): VmResult[] {
  const r = new Resolver(g);
  return g.vms.map((vm) => r.resolveVm(vm));
}
