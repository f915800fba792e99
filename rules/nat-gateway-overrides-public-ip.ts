import { defineRule } from '../engine/index.js';
import { ipConfigOf, publicIpLocation, publicIpName, subnetName } from './helpers.js';

export default defineRule({
  id: 'nat-gateway-overrides-public-ip',
  severity: 'warning',
  kind: 'egress',
  description: "An IP configuration's own public IP should not be shadowed for outbound traffic by the subnet's NAT gateway.",
  messages: {
    natOverrides:
      "'{{vm}}' does not send outbound traffic from '{{nic}}/{{ipconfig}}' through its public IP '{{ip}}', because NAT gateway '{{nat}}' on subnet '{{subnet}}' takes precedence.",
  },
  help: "Allow-list the NAT gateway's public IPs rather than '{{ip}}' (which still serves inbound connections), or move the VM to a subnet without a NAT gateway.",
  check(ctx) {
    for (const v of ctx.vms) {
      for (const path of v.paths) {
        if (!path.notes.some((n) => n.kind === 'nat-overrides-public-ip')) continue;
        const ipc = ipConfigOf(ctx.graph, path);
        // A public IP known only at deployment cannot be named: stay silent.
        const ip = ipc ? publicIpName(ctx.graph, ipc) : undefined;
        if (!ipc || ip === undefined) continue;
        const subnet = ctx.graph.get(ctx.graph.check(ipc.subnet), 'subnet');
        const nat = ctx.graph.get(ctx.graph.check(subnet?.natGateway), 'natGateway');
        const data = { vm: v.vm.name, nic: path.nic, ipconfig: path.ipConfiguration, ip, nat: nat?.name ?? '?', subnet: subnetName(ctx.graph, ipc) };
        ctx.report({ messageId: 'natOverrides', data, at: publicIpLocation(ipc), resource: v.vm.name });
      }
    }
  },
});
