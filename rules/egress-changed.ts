import { defineRule, describeChange, identityLabel } from '../engine/index.js';

export default defineRule({
  id: 'egress-changed',
  severity: 'error',
  kind: 'egress',
  needs: 'egressChanges',
  description: "Every VM's egress should match the committed lock file, so the firewall allow-list changes before the traffic does.",
  messages: {
    changed: "The egress of '{{vm}}' differs from {{against}}: {{change}}.",
    appeared: "'{{vm}}' is not in {{against}}: a new VM whose egress is {{egress}} ({{verdict}}).",
    disappeared: "'{{vm}}' of {{against}} is no longer deployed by {{file}}; its egress was {{egress}} ({{verdict}}).",
  },
  help: "If the change is intended, tell the firewall team which addresses to add and remove, then run 'egress-lint lock' and commit egress.lock.json with the template; otherwise undo the template change.",
  phase: 'session',
  check(ctx) {
    const cmp = ctx.settings.egressChanges;
    if (!cmp) return;
    const list = (ids: readonly string[]): string => (ids.length ? ids.map(identityLabel).join(', ') : 'no public IP');
    for (const c of cmp.changes) {
      if (c.kind === 'disappeared') {
        const at = c.reportAt ?? { file: c.file, pointer: '' };
        ctx.report({ messageId: 'disappeared', data: { vm: c.name, against: cmp.against, file: c.file, egress: list(c.removed), verdict: c.verdictBefore ?? 'unknown' }, at, resource: c.name });
        continue;
      }
      // The lock key is the VM's lower-case id, with '#<file>' when several templates deploy that id.
      const id = c.key.split('#')[0];
      const vm = ctx.results.find((r) => r.file === c.file)?.vms.find((v) => v.id.toLowerCase() === id);
      const where = vm ? { vm } : { at: { file: c.file, pointer: '' } };
      if (c.kind === 'appeared') ctx.report({ messageId: 'appeared', data: { vm: c.name, against: cmp.against, egress: list(c.added), verdict: c.verdictAfter ?? 'unknown' }, ...where, resource: c.name });
      else ctx.report({ messageId: 'changed', data: { vm: c.name, against: cmp.against, change: describeChange(c) }, ...where, resource: c.name });
    }
  },
});
