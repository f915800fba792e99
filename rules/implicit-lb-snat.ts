import { defineRule } from '../engine/index.js';
import type { LbRule, LoadBalancer, Location, NetworkGraph } from '../engine/index.js';
import { egressNames, sameLocation } from './helpers.js';

export default defineRule({
  id: 'implicit-lb-snat',
  severity: 'warning',
  kind: 'egress',
  description: "Load-balanced VMs should leave through an outbound rule rather than a load-balancing rule's implicit SNAT.",
  messages: {
    implicitSnat:
      "'{{vm}}' sends Internet traffic from '{{nic}}/{{ipconfig}}' through the implicit SNAT of load-balancing rule '{{rule}}' on '{{lb}}' ({{egress}}) rather than an outbound rule.",
  },
  help: "Add an outbound rule for the backend pool on '{{lb}}' and set disableOutboundSnat: true on '{{rule}}', so the SNAT frontends and port allocation are explicit.",
  check(ctx) {
    for (const v of ctx.vms) {
      for (const path of v.paths) {
        // With no frontend (disableOutboundSnat known only at deployment) the SNAT itself is uncertain: unresolved-egress says so.
        if (path.method !== 'lb-rule-snat' || path.egress.length === 0) continue;
        const found = findLbRule(ctx.graph, path.decidedAt);
        const data = { vm: v.vm.name, nic: path.nic, ipconfig: path.ipConfiguration, rule: found?.rule.name ?? '?', lb: found?.lb.name ?? '?', egress: egressNames(path.egress) };
        ctx.report({ messageId: 'implicitSnat', data, at: path.decidedAt, resource: v.vm.name });
      }
    }
  },
});

function findLbRule(graph: NetworkGraph, at: Location): { lb: LoadBalancer; rule: LbRule } | undefined {
  for (const node of graph.nodes.values()) {
    if (node.kind !== 'loadBalancer') continue;
    const rule = node.lbRules.find((r) => sameLocation(r.at, at));
    if (rule) return { lb: node, rule };
  }
  return undefined;
}
