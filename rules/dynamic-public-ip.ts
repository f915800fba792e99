import { defineRule } from '../engine/index.js';

export default defineRule({
  id: 'dynamic-public-ip',
  severity: 'error',
  kind: 'egress',
  description: 'Egress public IPs should use Static allocation, so their address never changes.',
  messages: {
    dynamic: "'{{vm}}' sends Internet traffic through public IP '{{ip}}', whose allocation is Dynamic, so its address changes whenever it is deallocated.",
  },
  help: "Use a Standard SKU public IP (Standard is always Static), or set publicIPAllocationMethod to 'Static' and allow-list its address.",
  check(ctx) {
    for (const v of ctx.vms) {
      const seen = new Set<string>();
      for (const path of v.paths) {
        // Scale-set instance IPs without a prefix are unbounded-egress's finding, not this one.
        if (path.notes.some((n) => n.kind === 'per-instance-ips')) continue;
        for (const e of path.egress) {
          // Reported where the path picks the IP up (the ipconfig, NAT gateway or load balancer rule), once per VM.
          // A Basic *Static* IP keeps its address (retired-sku reports its SKU), so only Dynamic allocation counts.
          if (seen.has(e.key) || e.unresolved || !e.changes) continue;
          seen.add(e.key);
          ctx.report({ messageId: 'dynamic', data: { vm: v.vm.name, ip: e.name }, at: path.decidedAt, resource: v.vm.name });
        }
      }
    }
  },
});
