// Markdown for pull-request comments and $GITHUB_STEP_SUMMARY: a one-line summary, then per template a table of
// its VMs, a Mermaid flowchart (VM → NIC → NAT gateway / load balancer / firewall → public IP → Internet) and a
// table of its findings. Text from templates is escaped, so a resource name cannot inject Markdown, HTML or
// Mermaid syntax. Same input, byte-identical output.
// Findings are folded in <details>; what matters comes first and the whole keeps within a size (markdown-budget.ts).
import { describeChange } from '../../engine/index.js';
import type { EgressComparison, EgressEntry, Finding, LintResult, Verdict, VmReport } from '../../engine/index.js';
import type { FormatContext } from './index.js';
import { chartFor } from './mermaid.js';
import { summarise } from './summary.js';
import { ruleDocUrl } from '../../rules/index.js';
import { layOut, MARKDOWN_MAX_BYTES } from './markdown-budget.js';
import type { Section } from './markdown-budget.js';

const VERDICT_MARK: Record<Verdict, string> = {
  deterministic: '✅',
  'deterministic-set': '✅',
  'non-deterministic': '❌',
  'no-egress': '⛔',
  unknown: '❔',
};

/** Escapes text for a Markdown table cell: no HTML, no links or emphasis, no column breaks. */
export function md(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function entryText(e: EgressEntry): string {
  const where = e.address ?? e.prefix;
  return `${e.name}${where ? ` (${where})` : ''}${e.static ? '' : ' (not static)'}`;
}

function entriesText(list: readonly EgressEntry[]): string {
  return list.length === 0 ? '(none)' : list.map(entryText).join(', ');
}

function verdictCell(v: Verdict): string {
  return `${VERDICT_MARK[v]} ${v}`;
}

/** What an unknown VM depends on: the reason its first unknown path gives. */
function unknownReason(vm: VmReport): string | undefined {
  for (const p of vm.paths) {
    if (p.verdict !== 'unknown') continue;
    for (let i = p.because.length - 1; i >= 0; i--) if (p.because[i].startsWith('unknown: ')) return p.because[i].slice('unknown: '.length);
  }
  return undefined;
}

function vmTable(vms: readonly VmReport[]): string[] {
  const out = ['| VM | verdict | primary egress | other paths |', '|---|---|---|---|'];
  for (const vm of vms) {
    const primary = vm.paths.find((p) => p.primary);
    // The primary path's own egress (a VM's primary egress; an AKS pool's pods path is listed beside it).
    const primaryCell = primary ? `${md(entriesText(primary.egress))} via ${md(primary.method)}` : '(no primary path)';
    // An AKS pool's pods path is primary too (it carries traffic as the nodes' does): listed beside the first.
    const others = vm.paths
      .filter((p) => p !== primary)
      .map((p) => `${md(`${p.nic}/${p.ipConfiguration}`)}: ${md(entriesText(p.egress))} via ${md(p.method)} (${p.verdict})`);
    // An unknown VM says what decides it (the parameter, link or resource), not just that it is unknown.
    const why = vm.verdict === 'unknown' ? unknownReason(vm) : undefined;
    out.push(`| ${md(vm.name)} | ${verdictCell(vm.verdict)}${why ? `<br>${md(why)}` : ''} | ${primaryCell} | ${others.length ? others.join('<br>') : '—'} |`);
  }
  return out;
}

function findingsTable(findings: readonly Finding[]): string[] {
  const out = ['| severity | rule | message | location |', '|---|---|---|---|'];
  for (const f of findings) {
    // A reference link: the rule's page is defined once at the end of the report (ruleLinks), not on every row.
    out.push(`| ${f.severity} | [${md(f.ruleId)}] | ${md(f.message)} | ${md(`${f.file}:${f.line}:${f.column}`)} |`);
  }
  return out;
}

/** The link reference definitions of the rules the findings name, one per rule, sorted. */
function ruleLinks(findings: readonly Finding[]): string[] {
  const ids = [...new Set(findings.map((f) => f.ruleId))].sort();
  return ids.length ? [ids.map((id) => `[${md(id)}]: ${ruleDocUrl(id)}`).join('\n')] : [];
}

// ---- the report -------------------------------------------------------------------------------------------------

/** What a pull request changes: a heading and a line, then one item per VM whose egress differs from the base or lock. */
function changesSection(cmp: EgressComparison): { head: string[]; items: string[] } {
  const head = `## Egress changes against ${md(cmp.against)}`;
  if (cmp.changes.length === 0) return { head: [head, `No VM's egress differs from ${md(cmp.against)}.`], items: [] };
  const n = cmp.changes.length;
  return {
    head: [head, `${n} VM${n === 1 ? '' : 's'} with other egress than ${md(cmp.against)}: tell the firewall team before merging.`],
    items: cmp.changes.map((c) => `- **${md(c.name)}**: ${md(describeChange(c))} (${md(c.file)})`),
  };
}

type Severity = Finding['severity'];
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'note'];

/**
 * What comes first, in the report and in a template's table: 0 a VM whose egress changed, 1 one with an error,
 * 2 a warning, 3 a note or unknown egress, 4 the rest.
 */
const RANK: Record<Severity, number> = { error: 1, warning: 2, note: 3 };

/** The VMs of a template whose egress changed: an egress-changed finding about them, or the comparison shown. */
function changedVms(r: LintResult, findings: readonly Finding[], cmp: EgressComparison | undefined): Set<VmReport> {
  const out = new Set<VmReport>();
  const named = new Set(findings.filter((f) => f.ruleId === 'egress-changed' && f.resource !== undefined).map((f) => f.resource));
  // A change's key is the VM's lower-case id, with '#<file>' when several templates deploy that id (engine/egress/lock.ts).
  const ids = new Set((cmp?.changes ?? []).filter((c) => c.kind !== 'disappeared' && (!c.key.includes('#') || c.file === r.file)).map((c) => c.key.split('#')[0]));
  for (const vm of r.vms) if (named.has(vm.name) || ids.has(vm.id.toLowerCase())) out.add(vm);
  return out;
}

function countText(findings: readonly Finding[]): string {
  const words: Record<Severity, [string, string]> = { error: ['error', 'errors'], warning: ['warning', 'warnings'], note: ['note', 'notes'] };
  const parts: string[] = [];
  for (const sev of SEVERITIES) {
    const n = findings.filter((f) => f.severity === sev).length;
    if (n) parts.push(`${n} ${words[sev][n === 1 ? 0 : 1]}`);
  }
  return parts.join(', ');
}

/** One template's section, and how soon it comes. */
function templateSection(r: LintResult, findings: readonly Finding[], cmp: EgressComparison | undefined): { rank: number; section: Section } {
  const changed = changedVms(r, findings, cmp);
  const worst = new Map<string, number>();
  for (const f of findings) if (f.resource !== undefined) worst.set(f.resource, Math.min(worst.get(f.resource) ?? 4, RANK[f.severity]));
  const rankOf = (vm: VmReport): number => (changed.has(vm) ? 0 : Math.min(worst.get(vm.name) ?? 4, vm.verdict === 'unknown' ? 3 : 4));
  const ranked = r.vms.map((vm, i) => ({ vm, i, rank: rankOf(vm) })).sort((a, b) => a.rank - b.rank || a.i - b.i);
  const bySeverity = SEVERITIES.flatMap((sev) => findings.filter((f) => f.severity === sev));
  let rank = Math.min(4, ...ranked.map((x) => x.rank), ...findings.map((f) => RANK[f.severity]));
  if (changed.size) rank = 0;
  const table = (lines: string[]) => ({ head: lines.slice(0, 2), rows: lines.slice(2) });
  const section: Section = {
    heading: `## ${md(r.file)}`,
    ...(r.vms.length ? { vms: table(vmTable(ranked.map((x) => x.vm))), chart: chartFor(r) } : {}),
    ...(findings.length ? { findings: { summary: `Findings: ${countText(findings)}`, table: table(findingsTable(bySeverity)) } } : {}),
  };
  return { rank, section };
}

/**
 * The report: the summary line, the egress changes, then per template its VMs (changed, with errors, with warnings
 * first), its chart and its findings in a <details> element; templates whose VMs changed come first, then those with
 * errors, then the rest. Within `ctx.maxBytes` (default MARKDOWN_MAX_BYTES, 0 for no limit): see markdown-budget.ts.
 */
export function formatMarkdown(results: readonly LintResult[], ctx?: Partial<FormatContext>): string {
  const sections: { rank: number; i: number; section: Section }[] = [];
  const shown: Finding[] = [];
  results.forEach((r, i) => {
    const findings = r.findings.filter((f) => !f.suppression);
    if (r.vms.length === 0 && findings.length === 0) return;
    shown.push(...findings);
    sections.push({ ...templateSection(r, findings, ctx?.egress), i });
  });
  sections.sort((a, b) => a.rank - b.rank || a.i - b.i);
  const { errors, warnings, text } = summarise(results);
  const mark = errors ? '✖' : warnings ? '⚠' : '✔';
  const max = ctx?.maxBytes ?? MARKDOWN_MAX_BYTES;
  return layOut({
    head: ['# egress-lint', `**${mark} ${text}**`],
    ...(ctx?.egress ? { changes: changesSection(ctx.egress) } : {}),
    sections: sections.map((s) => s.section),
    tail: ruleLinks(shown),
    maxBytes: max === 0 ? Infinity : max,
  });
}
