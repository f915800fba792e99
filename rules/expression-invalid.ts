import { defineRule } from '../engine/index.js';

export default defineRule({
  id: 'expression-invalid',
  severity: 'error',
  kind: 'template',
  description: 'Every template expression should be valid and evaluable by Azure Resource Manager.',
  messages: {
    default: '{{message}}',
  },
  help: 'Fix the expression (function name, argument count and types); its value is treated as unknown, so the egress that depends on it cannot be decided.',
  check(ctx) {
    for (const f of ctx.deployment.findings) {
      if (f.ruleId !== 'expression-invalid') continue;
      ctx.report({ messageId: 'default', data: { message: f.message }, at: f.at, ...(f.resource !== undefined ? { resource: f.resource } : {}) });
    }
  },
});
