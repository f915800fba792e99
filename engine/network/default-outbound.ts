// Step 5 of egress-model.md: whether a path with no explicit method gets default outbound access, including the
// "group" rule (a VM or availability set under Standard rules). Imports expressions/ only, besides engine/network/.
import { Unknown } from '../expressions/value.js';
import type { IpConfig, LoadBalancer, NetworkGraph, Subnet, Vm } from './graph.js';
import type { Outcome } from './results.js';
import { describeRef, unknownOutcome } from './results.js';

/** A member's ipconfig that puts its group under Standard rules: its Standard public IP, or a Standard LB's pool. */
interface GroupEntry {
  readonly member: Vm;
  readonly ipcKey: string;
  readonly pip: boolean;
  /** The load balancer's name (pool entries). */
  readonly lb: string;
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
   * any member), listed once per availability set: listing it per VM was quadratic. `pip` entries name the ipconfig
   * that carries the IP, so a path is not blocked by its own (Global-tier or other-family) public IP.
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
}
