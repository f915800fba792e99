// The JSON report of egress-model.md: files, vms (with paths and egress) and findings, in a stable order.
import type { LintResult } from '../../engine/index.js';
import type { FormatContext } from './index.js';

export function formatJson(results: readonly LintResult[], ctx: FormatContext): string {
  const report = {
    version: 1,
    tool: { name: 'egress-lint', version: ctx.version },
    files: results.map((r) => ({ path: r.file, templates: 1 })),
    vms: results.flatMap((r) => r.vms),
    findings: results.flatMap((r) =>
      r.findings.filter((f) => !f.suppression).map((f) => ({
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
        file: f.file,
        line: f.line,
        column: f.column,
        ...(f.resource !== undefined ? { resource: f.resource } : {}),
      })),
    ),
  };
  return JSON.stringify(report, null, 2) + '\n';
}
