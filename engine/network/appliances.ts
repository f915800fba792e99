// Step 1 of egress-model.md continued: where a route's virtual appliance sends traffic on (an Azure Firewall, an
// appliance VM's NIC, an internal load balancer frontend). Imports expressions/ only, besides engine/network/.
import { ipv4ToString, parseIpv4 } from '../expressions/functions/cidr.js';
import { Unknown } from '../expressions/value.js';
import type { Firewall, Frontend, IpConfig, LoadBalancer, NetworkGraph, Nic, Ref, Subnet, Vm } from './graph.js';
import { normaliseId } from './ids.js';
import { refEntries } from './egress-ips.js';
import { natEgress } from './nat-and-instance-ip.js';
import { internetRoutes } from './route-table.js';
import { isLearned, learnedReason, mayNotBeLearned } from './learned-routes.js';
import { hubFirewallEgress } from './virtual-wan.js';
import type { EgressIp, Method, Outcome, PathResult } from './results.js';
import { dedupe, describeRef, mayNotBeDeployed, missingSubnet, outcomeVerdict, setVerdict, unknownOutcome, worstVerdict } from './results.js';

const MAX_APPLIANCE_DEPTH = 4;

/** The first address Azure leaves for you in a subnet: .0-.3 are reserved, so .4 (https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq). */
export function firstUsableAddress(cidr: string): string | undefined {
  const [addr, len] = cidr.split('/');
  const a = parseIpv4((addr ?? '').trim());
  const l = Number(len);
  if (a === undefined || !Number.isInteger(l) || l < 0 || l > 29) return undefined;
  const mask = l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0;
  return ipv4ToString(((a & mask) >>> 0) + 4);
}

/** What an appliance VM's own egress is resolved with: the resolver's path and VM levels. */
export interface PathSource {
  primaryNicIndex(vm: Vm): number | undefined;
  vmPaths(vm: Vm, primaryNic: number | undefined, depth: number, visited: Set<string>): PathResult[];
  resolvePath(vm: Vm, nic: Nic, ipc: IpConfig, nicPrimary: boolean, ipcPrimary: boolean, depth: number, visited: Set<string>): PathResult;
}

/** Appliance resolution for the paths of one graph, with the address indexes it builds on first use. */
export class Appliances {
  private readonly vmOfNic = new Map<string, Vm>();
  // Built on first use: a Map access per lookup, not a scan of the graph per path (quadratic); first match in graph order, as the scan had.
  private membersByPool: Map<string, IpConfig[]> | undefined;
  private ipConfigOrder: Map<IpConfig, number> | undefined;
  private firewallsByAddress: Map<string, { fw: Firewall; subnet: Subnet }> | undefined;
  private hopsByAddress: Map<string, { nic: Nic; ipc: IpConfig } | { lb: LoadBalancer; fe: Frontend }> | undefined;

  constructor(
    private readonly g: NetworkGraph,
    private readonly resolver: PathSource,
  ) {
    for (const vm of g.vms) for (const n of vm.nics) if (n.nic.kind === 'found') this.vmOfNic.set(n.nic.key, vm);
  }

  /** The outcome of a route to a virtual appliance at `next`, `depth` appliances deep along the `visited` ones. */
  resolve(next: string | Unknown | undefined, because: string[], depth: number, visited: Set<string>): Outcome {
    if (depth >= MAX_APPLIANCE_DEPTH) return unknownOutcome(because, 'appliances chain deeper than 4 hops', undefined, 'appliance');
    if (next === undefined) return unknownOutcome(because, 'the route has no next hop address', undefined, 'appliance');
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
      return unknownOutcome(because, `the next hop address: ${next.origin}`, undefined, 'appliance');
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
    return unknownOutcome(because, `next hop ${ip} is not an address of anything in the analysed files`, undefined, 'appliance');
  }

  /** The egress of a firewall that a route (or a virtual hub) sends Internet traffic to. */
  firewall(fw: Firewall, because: string[]): Outcome {
    if (fw.existing) return unknownOutcome(because, `firewall '${fw.name}' is an existing resource outside the analysed files`, fw.at, 'firewall');
    // A firewall in a Virtual WAN hub has no subnet of its own: Azure gives it the public IPs hubIPAddresses asks for.
    const inHub = typeof fw.skuName === 'string' ? fw.skuName.toLowerCase() === 'azfw_hub' : fw.virtualHub !== undefined;
    const out = inHub ? hubFirewallEgress(this.g, fw, because) : this.firewallEgress(fw, because);
    // A firewall that may not be deployed leaves the route's next hop to nothing: the files cannot tell which.
    if (fw.maybe && outcomeVerdict(out) !== 'unknown') return unknownOutcome(because, mayNotBeDeployed('firewall', fw), fw.at, 'firewall', out.egress);
    return out;
  }

  /** The egress of a firewall in the files: its subnet's forced tunnelling or NAT gateway, else its own public IPs. */
  private firewallEgress(fw: Firewall, because: string[]): Outcome {
    // The subnet is named by the first ipconfig; the others carry only public IPs.
    const sref = this.g.check(fw.ipConfigs.find((c) => c.subnet !== undefined)?.subnet);
    const fsubnet = this.g.get(sref, 'subnet');
    // What the firewall's own subnet holds decides its egress: a NAT gateway there takes all its outbound traffic
    // (https://learn.microsoft.com/azure/firewall/integrate-with-nat-gateway), a 0.0.0.0/0 route there tunnels it
    // (https://learn.microsoft.com/azure/firewall/forced-tunneling). A subnet outside the files may hold either.
    if (sref && (!fsubnet || fsubnet.existing)) {
      const why = fsubnet ? `subnet '${fsubnet.name}' is an existing resource outside the analysed files` : missingSubnet(this.g, sref);
      return unknownOutcome(because, `the subnet of firewall '${fw.name}', where a NAT gateway or a forced-tunnelling route would change its egress: ${why}`, fw.at, 'firewall', this.ownIps(fw).egress);
    }
    if (fsubnet) {
      const decision = internetRoutes(this.g, fsubnet, false, []);
      if (decision.unknown) return unknownOutcome(because, decision.unknown, decision.at, 'firewall');
      const tunnel = (decision.branches ?? []).find((r) => r && String(r.nextHopType).toLowerCase() !== 'internet');
      // Forced tunnelling sends the firewall's own Internet traffic to the next hop (https://learn.microsoft.com/azure/firewall/forced-tunneling);
      // so does a default route its subnet learns over BGP, unless a 0.0.0.0/0 route to Internet overrides it
      // (https://learn.microsoft.com/azure/firewall/firewall-faq, "Is forced tunneling/chaining to a Network Virtual Appliance supported?").
      if (tunnel && isLearned(tunnel))
        return unknownOutcome(because, `the Internet traffic of firewall '${fw.name}' itself: ${learnedReason(this.g, tunnel)}`, tunnel.at, 'firewall', mayNotBeLearned(tunnel) ? this.ownIps(fw).egress : []);
      if (tunnel) return unknownOutcome(because, `firewall '${fw.name}' is force-tunnelled (route '${tunnel.name}' → ${String(tunnel.nextHopType)})`, tunnel.at, 'firewall');
      if (fsubnet.natGateway) {
        const nref = this.g.check(fsubnet.natGateway)!;
        const nat = this.g.get(nref, 'natGateway');
        if (!nat) return unknownOutcome(because, `the NAT gateway of '${fsubnet.name}': ${describeRef(nref)}`, fsubnet.at, 'firewall');
        // With a NAT gateway on AzureFirewallSubnet all outbound traffic uses the NAT gateway's IPs
        // (https://learn.microsoft.com/azure/firewall/integrate-with-nat-gateway).
        const out = natEgress(this.g, nat, false, 'firewall', because);
        if (out && out.verdict !== 'unknown') because.push(`firewall '${fw.name}' hands outbound traffic to NAT gateway '${nat.name}' on its subnet`);
        if (out) return Object.assign({}, out, { decidedAt: out.verdict === 'unknown' ? out.decidedAt : fw.at });
      }
    }
    const own = this.ownIps(fw);
    if (own.count === 0) return unknownOutcome(because, `firewall '${fw.name}' has no public IP in the analysed files`, fw.at, 'firewall');
    if (own.unknown) return unknownOutcome(because, `a public IP of firewall '${fw.name}': ${own.unknown}`, fw.at, 'firewall', own.egress);
    because.push(`firewall '${fw.name}' SNATs outbound traffic to its public IP${own.count > 1 ? 's, chosen at random per connection' : ''} (never the management IP)`);
    return { method: 'firewall', egress: own.egress, decidedAt: fw.at };
  }

  /** The firewall's own public IPs (of `ipConfigurations`, never `managementIpConfiguration`). */
  private ownIps(fw: Firewall): { egress: EgressIp[]; unknown: string | undefined; count: number } {
    const refs: Ref[] = [];
    for (const c of fw.ipConfigs) if (c.publicIp !== undefined) refs.push(c.publicIp);
    const { egress, unknown } = refEntries(this.g, refs, 'firewall');
    return { egress, unknown, count: refs.length };
  }

  /**
   * The egress of an appliance reached at one of its NIC addresses: the appliance VM's own egress. Forwarded
   * traffic leaves through whichever of its interfaces has an outbound method, not necessarily the one it
   * arrived on (a two-armed NVA receives on its trusted NIC and sends from its untrusted one).
   */
  private nva(nic: Nic, ipc: IpConfig, because: string[], depth: number, visited: Set<string>): Outcome {
    const vm = this.vmOfNic.get(nic.key);
    const loopKey = vm ? vm.key : ipc.key;
    if (visited.has(loopKey)) return unknownOutcome(because, `routes loop back to appliance '${vm?.name ?? nic.name}'`, ipc.at, 'appliance');
    const inner = new Set(visited).add(loopKey);
    because.push(`the appliance is NIC '${nic.name}'${vm ? ` of VM '${vm.name}'` : ''}: its own egress applies`);
    let paths: PathResult[];
    if (vm) {
      const all = this.resolver.vmPaths(vm, this.resolver.primaryNicIndex(vm), depth + 1, inner);
      const carrying = all.filter((p) => p.method !== 'none' && p.method !== 'default-outbound-access');
      const primary = all.filter((p) => p.primary);
      paths = carrying.length > 0 ? carrying : primary.length > 0 ? primary : all.filter((p) => p.ipConfigKey === ipc.key);
    } else paths = [this.resolver.resolvePath({ key: nic.key, id: nic.id, name: nic.name, nics: [], scaleSet: false } as unknown as Vm, nic, ipc, true, true, depth + 1, inner)];
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
    if (members.length === 0) return unknownOutcome(because, `internal load balancer '${lb.name}' has no pool members in the analysed files`, fe.at, 'appliance');
    const results = members.map((m) => this.nva(this.g.nodes.get(m.nicKey) as Nic, m, [], depth, visited));
    const egress = results.flatMap((r) => r.egress);
    const verdict = worstVerdict(results.map((r) => ({ verdict: outcomeVerdict(r) })));
    const first = results.find((r) => outcomeVerdict(r) === verdict);
    const out: Outcome = { method: 'appliance', egress, unknownReason: first?.unknownReason, decidedAt: fe.at };
    if (verdict) out.verdict = verdict;
    return out;
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
}
