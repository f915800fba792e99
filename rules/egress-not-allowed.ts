import { allowedBy, defineRule } from '../engine/index.js';
import type { PathResult } from '../engine/index.js';
import { clause, pathLabel } from './helpers.js';

/** Why a path's egress cannot be allow-listed: what it depends on (unknown), or its last reason and what changes. */
function reasonOf(p: PathResult): string {
  const last = clause(p.unknownReason ?? p.because[p.because.length - 1] ?? p.method);
  const moving = p.egress.filter((e) => !e.unresolved && (e.changes || !e.static)).map((e) => `'${e.name}' is not static`);
  const label = pathLabel(p);
  return `${label ? `${label}: ` : ''}${[last, ...moving].join('; ')}`;
}

export default defineRule({
  id: 'egress-not-allowed',
  severity: 'error',
  kind: 'egress',
  needs: 'allow',
  description: "Every egress IP of a VM should be in the allow-list configured for the receiving firewall.",
  messages: {
    notAllowed: "'{{vm}}' sends Internet traffic from {{egress}} via {{via}}, which is not in the allow-list.",
    cannotSatisfy: "'{{vm}}' cannot satisfy the allow-list because its egress is {{verdict}} ({{reason}}).",
  },
  help: "Have the firewall admit the address and add it (its public IP name, resource id or CIDR block) to 'allow' in egress-lint.config.json, or change the template so the VM leaves through an allowed, static public IP or prefix.",
  check(ctx) {
    const allow = ctx.settings.allow;
    if (!allow) return;
    for (const v of ctx.vms) {
      if (v.verdict === 'non-deterministic' || v.verdict === 'unknown') {
        // One finding per VM: an address that can change, or that cannot be known, fits no allow-list.
        const paths = v.paths.filter((p) => p.verdict === v.verdict);
        const reasons = paths.slice(0, 1).map(reasonOf);
        if (paths.length > 1) reasons.push(`and ${paths.length - 1} more path${paths.length > 2 ? 's' : ''}`);
        ctx.report({ messageId: 'cannotSatisfy', data: { vm: v.vm.name, verdict: v.verdict, reason: reasons.join('; ') || v.verdict }, at: v.vm.at, resource: v.vm.name });
        continue;
      }
      const seen = new Set<string>();
      for (const path of v.paths) {
        for (const e of path.egress) {
          if (seen.has(e.key)) continue;
          seen.add(e.key);
          if (allowedBy(allow, e)) continue;
          const isPrefix = e.type.toLowerCase().endsWith('publicipprefixes');
          const known = e.address ?? (e.prefix === null ? '' : isPrefix ? e.prefix : `from prefix ${e.prefix}`);
          ctx.report({ messageId: 'notAllowed', data: { vm: v.vm.name, egress: `'${e.name}'${known ? ` (${known})` : ''}`, via: e.via }, at: path.decidedAt, resource: v.vm.name });
        }
      }
    }
  },
});
