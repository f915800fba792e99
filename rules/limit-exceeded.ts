import { defineDiagnostic } from '../engine/index.js';

export default defineDiagnostic({
  id: 'limit-exceeded',
  severity: 'error',
  description: "Templates should stay within Azure Resource Manager's documented limits.",
  help: 'Split the template into linked or nested templates, or reduce the copy count; Azure rejects templates over its limits (https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits).',
});
