import { defineRule } from '../engine/index.js';

export default defineRule({
  id: 'template-invalid',
  severity: 'error',
  kind: 'template',
  description: 'Every template and parameter file should be readable JSON with the shape ARM expects.',
  messages: {
    default: '{{message}}',
  },
  help: 'Fix the file so Azure Resource Manager can read it; egress-lint analyses only what it can read, so the rest of the egress report may be incomplete.',
  check(ctx) {
    for (const f of ctx.deployment.findings) {
      if (f.ruleId !== 'template-invalid') continue;
      ctx.report({ messageId: 'default', data: { message: f.message }, at: f.at, ...(f.resource !== undefined ? { resource: f.resource } : {}) });
    }
  },
});
