import { defineRule } from '../engine/index.js';
import type { PathResult, RuleContext, VmResult } from '../engine/index.js';
import { clause, isStandard } from './helpers.js';

export default defineRule({
  id: 'no-internet-egress',
  severity: 'warning',
  kind: 'egress',
  description: 'Every VM should have a path to the Internet unless it is meant to be isolated.',
  messages: {
    noEgress: "'{{vm}}' has no Internet egress: {{causes}}.",
  },
  help: 'If the VM needs the Internet (Windows activation, updates, package mirrors), attach a NAT gateway to its subnet or add a load balancer outbound rule; if it is meant to be isolated, turn this rule off for it.',
  check(ctx) {
    for (const v of ctx.vms) {
      if (v.verdict !== 'no-egress') continue;
      const causes = [...new Set(v.paths.map((p) => clause(causeOf(ctx, v, p))))];
      ctx.report({ messageId: 'noEgress', data: { vm: v.vm.name, causes: causes.join('; ') }, at: v.vm.at, resource: v.vm.name });
    }
  },
});

function causeOf(ctx: RuleContext, v: VmResult, path: PathResult): string {
  if (path.cause === 'group') return groupCause(ctx, v);
  return path.cause ?? path.because[path.because.length - 1] ?? 'no outbound method applies';
}

/** The resolver says only "group": name the Standard load balancer that switched default outbound access off. */
function groupCause(ctx: RuleContext, v: VmResult): string {
  for (const entry of v.vm.nics) {
    const nic = ctx.graph.get(ctx.graph.check(entry.nic), 'nic');
    for (const ipc of nic?.ipConfigs ?? []) {
      for (const ref of ipc.pools) {
        const pool = ref.kind === 'found' ? ctx.graph.pools.get(ref.key) : undefined;
        const lb = pool ? ctx.graph.get({ kind: 'found', key: pool.lbKey }, 'loadBalancer') : undefined;
        if (!pool || !lb || !isStandard(lb.sku)) continue;
        const rules = lb.lbRules.filter((r) => r.pools.some((p) => p.kind === 'found' && p.key === pool.key));
        const disabled = rules.find((r) => r.disableOutboundSnat === true);
        if (disabled) return `load-balancing rule '${disabled.name}' of '${lb.name}' sets disableOutboundSnat: true and no outbound rule covers pool '${pool.name}'`;
        const isPublic = lb.frontends.some((f) => f.publicIp !== undefined || f.publicIpPrefix !== undefined);
        if (!isPublic) return `it is in pool '${pool.name}' of internal Standard load balancer '${lb.name}', which gives no outbound access and turns default outbound access off`;
        return `it is in pool '${pool.name}' of Standard load balancer '${lb.name}', which has no outbound or load-balancing rule for it and turns default outbound access off`;
      }
    }
  }
  return 'it is tied to a Standard SKU public IP or load balancer (directly or through its availability set), which turns default outbound access off';
}
