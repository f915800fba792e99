import { defineRule } from '../engine/index.js';
import { clause, pathLabel } from './helpers.js';

export default defineRule({
  id: 'unresolved-egress',
  severity: 'warning',
  kind: 'egress',
  description: "Every path's egress should be decidable from the analysed files.",
  messages: {
    unknownPath: "The egress of '{{path}}' on '{{vm}}' cannot be decided from the analysed files: {{reason}}.",
    unknownVm: "The egress of '{{vm}}' cannot be decided from the analysed files: {{reason}}.",
  },
  help: "Lint the files that declare the missing resources together (linked templates, parameter files), or replace values known only at deployment with literals or parameters that have values. A linked template is read from disk when it is linked by templateLink.relativePath, or by a uri built from deployment().properties.templateLink.uri or _artifactsLocation, or when 'links' in egress-lint.config.json maps its URL prefix to a local folder; a template spec or any other URL is never read.",
  check(ctx) {
    for (const v of ctx.vms) {
      for (const path of v.paths) {
        // A combination Azure rejects is invalid-outbound-configuration's finding: the egress is unknown because of it.
        if (path.verdict !== 'unknown' || path.notes.some((n) => n.kind === 'rejected')) continue;
        const reason = clause(path.unknownReason ?? path.because[path.because.length - 1] ?? 'a value known only at deployment');
        const label = pathLabel(path);
        if (label === '') ctx.report({ messageId: 'unknownVm', data: { vm: v.vm.name, reason }, at: path.at, resource: v.vm.name });
        else ctx.report({ messageId: 'unknownPath', data: { vm: v.vm.name, path: label, reason }, at: path.at, resource: v.vm.name });
      }
    }
  },
});
