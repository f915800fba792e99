import { defineRule } from '../engine/index.js';
import type { NetworkGraph, PathNote, Route } from '../engine/index.js';
import { ipConfigOf, publicIpLocation, publicIpName, sameLocation } from './helpers.js';

export default defineRule({
  id: 'route-overrides-public-ip',
  severity: 'warning',
  kind: 'egress',
  description: "An IP configuration's own public IP should not be shadowed for outbound traffic by a default route to an appliance or gateway.",
  messages: {
    routeOverrides: "'{{vm}}' does not send outbound traffic from '{{nic}}/{{ipconfig}}' through its public IP '{{ip}}', because route '{{route}}' sends {{prefix}} to {{nextHop}}.",
    learnedOverrides: "'{{vm}}' does not send outbound traffic from '{{nic}}/{{ipconfig}}' through its public IP '{{ip}}', because {{source}} sends {{prefix}} to {{nextHop}}, and the subnet learns that route.",
  },
  help: "Allow-list the egress of the route's next hop rather than '{{ip}}' (which still serves inbound connections), or remove the public IP if the appliance is meant to carry all traffic.",
  check(ctx) {
    for (const v of ctx.vms) {
      for (const path of v.paths) {
        const note = path.notes.find((n) => n.kind === 'route-overrides-public-ip');
        if (!note) continue;
        const ipc = ipConfigOf(ctx.graph, path);
        // A public IP known only at deployment cannot be named: stay silent.
        const ip = ipc ? publicIpName(ctx.graph, ipc) : undefined;
        if (!ipc || ip === undefined) continue;
        // A route the subnet learns from a virtual hub or a gateway: the note says who sends it where.
        if (note.learned) {
          const data = { vm: v.vm.name, nic: path.nic, ipconfig: path.ipConfiguration, ip, source: note.learned.source, prefix: note.learned.prefix, nextHop: note.learned.nextHop };
          ctx.report({ messageId: 'learnedOverrides', data, at: publicIpLocation(ipc), resource: v.vm.name });
          continue;
        }
        const route = findRoute(ctx.graph, note);
        const hop = route ? String(route.nextHopType) : '?';
        const nextHop = route && typeof route.nextHopIpAddress === 'string' ? `${hop} ${route.nextHopIpAddress}` : hop;
        const data = { vm: v.vm.name, nic: path.nic, ipconfig: path.ipConfiguration, ip, route: route?.name ?? '?', prefix: route ? String(route.addressPrefix) : '?', nextHop };
        ctx.report({ messageId: 'routeOverrides', data, at: publicIpLocation(ipc), resource: v.vm.name });
      }
    }
  },
});

function findRoute(graph: NetworkGraph, note: PathNote): Route | undefined {
  for (const node of graph.nodes.values()) {
    if (node.kind !== 'routeTable') continue;
    const route = node.routes.find((r) => sameLocation(r.at, note.at));
    if (route) return route;
  }
  return undefined;
}
