import { defineDiagnostic } from '../engine/index.js';

export default defineDiagnostic({
  id: 'template-invalid',
  severity: 'error',
  description: 'Every template and parameter file should be readable JSON with the shape ARM expects.',
  help: 'Fix the file so Azure Resource Manager can read it; egress-lint analyses only what it can read, so the rest of the egress report may be incomplete.',
});
