import { defineRule } from '../engine/index.js';
import { egressNames } from './helpers.js';

export default defineRule({
  id: 'multiple-egress-ips',
  severity: 'note',
  kind: 'egress',
  description: "Every member of a VM's egress set should be allow-listed, because any of them can carry a connection.",
  messages: {
    azurePicks: "'{{vm}}' leaves through a set of egress identities ({{egress}}) from which Azure picks per connection.",
    guestPicks: "'{{vm}}' leaves through a set of egress identities ({{egress}}), one per path, and the guest OS decides which path a connection takes.",
    nodesAndPods: "Node pool '{{vm}}' leaves through a set of egress identities ({{egress}}): its nodes through {{nodes}}, and its pods, whose addresses come from their own subnet, through {{pods}}.",
  },
  help: 'Allow-list every listed public IP and every address of each listed public IP prefix on the receiving firewall.',
  check(ctx) {
    for (const v of ctx.vms) {
      if (v.verdict !== 'deterministic-set') continue;
      // An AKS pool with a pod subnet: both paths carry traffic, the pods' and the nodes' own.
      const pods = v.vm.aks?.pods ? v.paths.find((p) => p.ipConfigKey === v.vm.aks!.pods!.ipc.key) : undefined;
      const nodes = pods ? v.paths.find((p) => p !== pods) : undefined;
      if (pods && nodes && egressNames(pods.egress) !== egressNames(nodes.egress)) {
        ctx.report({ messageId: 'nodesAndPods', data: { vm: v.vm.name, egress: egressNames(v.egress), nodes: egressNames(nodes.egress), pods: egressNames(pods.egress) }, at: v.vm.at, resource: v.vm.name });
        continue;
      }
      // A path with several IPs, or a prefix, is a set Azure chooses from; otherwise the set is the union of paths.
      const platform = v.paths.some((p) => p.egress.length > 1 || p.egress.some((e) => e.type.toLowerCase().endsWith('publicipprefixes')));
      ctx.report({ messageId: platform ? 'azurePicks' : 'guestPicks', data: { vm: v.vm.name, egress: egressNames(v.egress) }, at: v.vm.at, resource: v.vm.name });
    }
  },
});
