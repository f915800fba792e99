// The terminal report: per file, each VM's verdict, primary egress and other paths, then the findings with
// line:column, and a summary line (modelled on ESLint's stylish formatter).
import type { EgressEntry, Finding, LintResult, Verdict, VmReport } from '../../engine/index.js';
import { COLOR, PLAIN } from './paint.js';
import type { Paint } from './paint.js';
import type { FormatContext } from './index.js';
import { summarise } from './summary.js';

function verdictText(v: Verdict, c: Paint): string {
  switch (v) {
    case 'deterministic':
    case 'deterministic-set':
      return c.green(v);
    case 'no-egress':
      return c.cyan(v);
    case 'unknown':
      return c.yellow(v);
    default:
      return c.red(v);
  }
}

function entries(e: readonly EgressEntry[]): string {
  return e.length === 0 ? '(none)' : e.map((x) => x.name + (x.address ? ` (${x.address})` : x.prefix ? ` (${x.prefix})` : '')).join(', ');
}

function vmBlock(vm: VmReport, c: Paint): string[] {
  const lines = [`  ${c.bold(vm.name)} ${c.dim(`(${vm.type.split('/').pop()}, line ${vm.line})`)}  ${verdictText(vm.verdict, c)}`];
  const primary = vm.paths.filter((p) => p.primary);
  const method = primary[0]?.method ?? 'none';
  // The first primary path's own egress: a VM's primary egress (an AKS pool's pods path is listed below it).
  lines.push(`    primary egress: ${entries(primary[0]?.egress ?? [])} ${c.dim(`via ${method}`)}`);
  for (const p of vm.paths) {
    // Only the first primary path is the primary egress line; an AKS pool's pods path is primary too and listed here.
    if (p === primary[0]) continue;
    lines.push(`    ${c.dim(`${p.nic}/${p.ipConfiguration}:`)} ${entries(p.egress)} ${c.dim(`via ${p.method}`)} ${verdictText(p.verdict, c)}`);
  }
  return lines;
}

/** The VMs a finding is about (by the name it gives as its resource), for --quiet. */
function withFindings(vms: readonly VmReport[], findings: readonly Finding[]): VmReport[] {
  const named = new Set<string>();
  for (const f of findings) if (f.resource !== undefined) named.add(f.resource);
  return vms.filter((vm) => named.has(vm.name));
}

export function formatStylish(results: readonly LintResult[], ctx: FormatContext): string {
  const c = ctx.color ? COLOR : PLAIN;
  const out: string[] = [];
  for (const all of results) {
    const r = { ...all, findings: all.findings.filter((f) => !f.suppression) };
    // Quiet: a VM without a finding is not listed, and a template with neither is left out.
    const vms = ctx.quiet ? withFindings(r.vms, r.findings) : r.vms;
    if (vms.length === 0 && r.findings.length === 0) continue;
    out.push(c.underline(r.file));
    for (const vm of vms) out.push(...vmBlock(vm, c));
    const width = Math.max(0, ...r.findings.map((f) => `${f.line}:${f.column}`.length));
    for (const f of r.findings) {
      const sev = f.severity === 'error' ? c.red('error  ') : f.severity === 'warning' ? c.yellow('warning') : c.cyan('note   ');
      const where = f.file !== r.file ? `${f.file}:` : '';
      out.push(`  ${c.dim(`${where}${f.line}:${f.column}`.padEnd(width))}  ${sev}  ${f.message}  ${c.dim(f.ruleId)}`);
      if (f.help) out.push(`  ${' '.repeat(width)}           ${c.dim(`help: ${f.help}`)}`);
    }
    out.push('');
  }
  const { errors, warnings, text } = summarise(results);
  out.push(errors ? c.red(c.bold(`✖ ${text}`)) : warnings ? c.yellow(c.bold(`⚠ ${text}`)) : c.green(c.bold(`✔ ${text}`)));
  return out.join('\n') + '\n';
}
