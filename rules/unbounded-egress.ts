import { Unknown, defineRule } from '../engine/index.js';
import { ipConfigOf } from './helpers.js';

export default defineRule({
  id: 'unbounded-egress',
  severity: 'error',
  kind: 'egress',
  description: 'Scale-set instance public IPs and AKS node public IPs should come from a public IP prefix, so the egress set is known in advance.',
  messages: {
    perInstanceIps:
      "Scale set '{{vm}}' gives every instance its own public IP through '{{config}}' on '{{nic}}/{{ipconfig}}' without a public IP prefix, so its egress set grows with each instance and cannot be allow-listed in advance.",
    perNodeIps:
      "Node pool '{{vm}}' gives every node its own public IP (enableNodePublicIP) without a public IP prefix (nodePublicIPPrefixID), so its egress set grows with each node and cannot be allow-listed in advance.",
  },
  help: "Set properties.publicIPPrefix on the publicIPAddressConfiguration (for an AKS node pool, nodePublicIPPrefixID) so the IPs come from a known prefix, or drop the per-instance IPs and use a NAT gateway or a load balancer outbound rule (the cluster's outbound type).",
  check(ctx) {
    for (const v of ctx.vms) {
      for (const path of v.paths) {
        const note = path.notes.find((n) => n.kind === 'per-instance-ips');
        if (!note) continue;
        const pip = ipConfigOf(ctx.graph, path)?.publicIp;
        const config = pip && !(pip instanceof Unknown) && pip.kind === 'managed' ? pip.name : note.message;
        if (v.vm.aks) {
          ctx.report({ messageId: 'perNodeIps', data: { vm: v.vm.name }, at: note.at, resource: v.vm.name });
          continue;
        }
        ctx.report({ messageId: 'perInstanceIps', data: { vm: v.vm.name, config, nic: path.nic, ipconfig: path.ipConfiguration }, at: note.at, resource: v.vm.name });
      }
    }
  },
});
