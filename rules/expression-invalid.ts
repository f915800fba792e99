import { defineDiagnostic } from '../engine/index.js';

export default defineDiagnostic({
  id: 'expression-invalid',
  severity: 'error',
  description: 'Every template expression should be valid and evaluable by Azure Resource Manager.',
  help: 'Fix the expression (function name, argument count and types); its value is treated as unknown, so the egress that depends on it cannot be decided.',
});
