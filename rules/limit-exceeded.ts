import { defineRule } from '../engine/index.js';

export default defineRule({
  id: 'limit-exceeded',
  severity: 'error',
  kind: 'template',
  description: "Templates should stay within Azure Resource Manager's documented limits.",
  messages: {
    default: '{{message}}',
  },
  help: 'Split the template into linked or nested templates, or reduce the copy count; Azure rejects templates over its limits (https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits).',
  check(ctx) {
    for (const f of ctx.deployment.findings) {
      if (f.ruleId !== 'limit-exceeded') continue;
      ctx.report({ messageId: 'default', data: { message: f.message }, at: f.at, ...(f.resource !== undefined ? { resource: f.resource } : {}) });
    }
  },
});
