import { defineRule, ipFamily } from '../engine/index.js';
import type { EgressIp, NetworkGraph, VmResult } from '../engine/index.js';
import { egressNames } from './helpers.js';

export default defineRule({
  id: 'multiple-egress-ips',
  severity: 'note',
  kind: 'egress',
  description: "Every member of a VM's egress set should be allow-listed, because any of them can carry a connection.",
  messages: {
    azurePicks: "'{{vm}}' leaves through a set of egress identities ({{egress}}) from which Azure picks per connection.",
    guestPicks: "'{{vm}}' leaves through a set of egress identities ({{egress}}), one per path, and the guest OS decides which path a connection takes.",
    perFamily: "'{{vm}}' leaves through one egress identity per IP family: IPv4 connections through {{ipv4}} and IPv6 connections through {{ipv6}}.",
    nodesAndPods: "Node pool '{{vm}}' leaves through a set of egress identities ({{egress}}): its nodes through {{nodes}}, and its pods, whose addresses come from their own subnet, through {{pods}}.",
  },
  help: 'Allow-list every listed public IP and every address of each listed public IP prefix on the receiving firewall.',
  check(ctx) {
    for (const v of ctx.vms) {
      if (v.verdict !== 'deterministic-set') continue;
      // A dual-stack VM with one IP per family: the destination's family picks, neither Azure nor the guest OS.
      const families = byFamily(ctx.graph, v);
      if (families && families.ipv4.length === 1 && families.ipv6.length === 1 && !isPrefix(families.ipv4[0]) && !isPrefix(families.ipv6[0])) {
        ctx.report({ messageId: 'perFamily', data: { vm: v.vm.name, ipv4: egressNames(families.ipv4), ipv6: egressNames(families.ipv6) }, at: v.vm.at, resource: v.vm.name });
        continue;
      }
      // An AKS pool with a pod subnet: both paths carry traffic, the pods' and the nodes' own.
      const pods = v.vm.aks?.pods ? v.paths.find((p) => p.ipConfigKey === v.vm.aks!.pods!.ipc.key) : undefined;
      const nodes = pods ? v.paths.find((p) => p !== pods) : undefined;
      if (pods && nodes && egressNames(pods.egress) !== egressNames(nodes.egress)) {
        ctx.report({ messageId: 'nodesAndPods', data: { vm: v.vm.name, egress: egressNames(v.egress), nodes: egressNames(nodes.egress), pods: egressNames(pods.egress) }, at: v.vm.at, resource: v.vm.name });
        continue;
      }
      // A path with several IPs, or a prefix, is a set Azure chooses from; otherwise the set is the union of paths.
      const platform = v.paths.some((p) => p.egress.length > 1 || p.egress.some(isPrefix));
      ctx.report({ messageId: platform ? 'azurePicks' : 'guestPicks', data: { vm: v.vm.name, egress: egressNames(v.egress) }, at: v.vm.at, resource: v.vm.name });
    }
  },
});

function isPrefix(e: EgressIp): boolean {
  return e.type.toLowerCase().endsWith('publicipprefixes');
}

/** The VM's egress identities by the IP family of the paths that use them; undefined when a path's family is not known. */
function byFamily(graph: NetworkGraph, v: VmResult): { ipv4: EgressIp[]; ipv6: EgressIp[] } | undefined {
  const ipv4 = new Map<string, EgressIp>();
  const ipv6 = new Map<string, EgressIp>();
  for (const p of v.paths) {
    const ipc = p.ipConfigKey === '' ? undefined : graph.ipConfigs.get(p.ipConfigKey);
    const family = ipc ? ipFamily(ipc) : 'IPv4';
    if (family === undefined) return undefined;
    for (const e of p.egress) (family === 'IPv6' ? ipv6 : ipv4).set(e.key, e);
  }
  return { ipv4: [...ipv4.values()], ipv6: [...ipv6.values()] };
}
