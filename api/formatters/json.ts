// The JSON report of egress-model.md: files, vms (with paths and egress) and findings, in a stable order.
import type { EgressEntry, LintResult, VmReport } from '../../engine/index.js';
import type { FormatContext } from './index.js';

/** An egress entry with the contract's fields (the report model also carries a note on where its address came from). */
function entryOf(e: EgressEntry) {
  return { name: e.name, type: e.type, id: e.id, via: e.via, address: e.address, prefix: e.prefix, static: e.static };
}

/** A VM as the contract's report has it (the report model also carries where the VM is declared). */
function vmOf(v: VmReport) {
  return {
    name: v.name,
    type: v.type,
    id: v.id,
    file: v.file,
    line: v.line,
    column: v.column,
    verdict: v.verdict,
    egress: v.egress.map(entryOf),
    primaryEgress: v.primaryEgress.map(entryOf),
    paths: v.paths.map((p) => ({ nic: p.nic, ipConfiguration: p.ipConfiguration, primary: p.primary, method: p.method, verdict: p.verdict, egress: p.egress.map(entryOf), because: p.because })),
  };
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
