import { defineRule } from '../engine/index.js';
import { ipConfigOf, subnetName } from './helpers.js';

export default defineRule({
  id: 'default-outbound-access',
  severity: 'error',
  kind: 'egress',
  description: "Every VM path should leave through an explicit outbound method, not Azure's default outbound access.",
  messages: {
    platformIp:
      "'{{vm}}' sends Internet traffic from '{{nic}}/{{ipconfig}}' through a platform-assigned IP that can change, because no route, NAT gateway, public IP or load balancer gives it outbound access.",
    bareSecondary:
      "'{{vm}}' has no outbound method on secondary path '{{nic}}/{{ipconfig}}', so its traffic leaves through a platform-assigned IP or another NIC's egress depending on the guest OS.",
    mayPlatformIp:
      "'{{vm}}' may send Internet traffic from '{{nic}}/{{ipconfig}}' through a platform-assigned IP, because whether subnet '{{subnet}}' allows default outbound access is known only at deployment.",
  },
  help: "Attach a NAT gateway to subnet '{{subnet}}', or give the path a Standard public IP or an outbound rule on a Standard public load balancer; then set defaultOutboundAccess: false on the subnet.",
  check(ctx) {
    for (const v of ctx.vms) {
      for (const path of v.paths) {
        if (path.method !== 'default-outbound-access') continue;
        const data = { vm: v.vm.name, nic: path.nic, ipconfig: path.ipConfiguration, subnet: subnetName(ctx.graph, ipConfigOf(ctx.graph, path)) };
        let messageId: string | undefined;
        if (path.verdict === 'unknown') messageId = 'mayPlatformIp';
        else if (path.verdict === 'non-deterministic') messageId = path.notes.some((n) => n.kind === 'bare-secondary') ? 'bareSecondary' : 'platformIp';
        if (messageId) ctx.report({ messageId, data, at: path.at, resource: v.vm.name });
      }
    }
  },
});
