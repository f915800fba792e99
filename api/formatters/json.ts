// The JSON report of egress-model.md: files, vms (with paths and egress) and findings, in a stable order.
import type { LintResult, VmReport } from '../../engine/index.js';
import type { FormatContext } from './index.js';

/** A VM as the contract's report has it (the report model also carries where the VM is declared). */
function vmOf(v: VmReport) {
  return { name: v.name, type: v.type, id: v.id, file: v.file, line: v.line, column: v.column, verdict: v.verdict, egress: v.egress, primaryEgress: v.primaryEgress, paths: v.paths };
}

export function formatJson(results: readonly LintResult[], ctx: FormatContext): string {
  const report = {
    version: 1,
    tool: { name: 'egress-lint', version: ctx.version },
    files: results.map((r) => ({ path: r.file, templates: 1 })),
    vms: results.flatMap((r) => r.vms.map(vmOf)),
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
