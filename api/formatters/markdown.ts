// Markdown for pull-request comments and $GITHUB_STEP_SUMMARY: a one-line summary, then per template a table of
// its VMs, a Mermaid flowchart (VM → NIC → NAT gateway / load balancer / firewall → public IP → Internet) and a
// table of its findings. Text from templates is escaped, so a resource name cannot inject Markdown, HTML or
// Mermaid syntax. Same input, byte-identical output.
import { describeChange } from '../../engine/index.js';
import type { EgressComparison, EgressEntry, Finding, LintResult, Verdict, VmReport } from '../../engine/index.js';
import type { FormatContext } from './index.js';
import { chartFor } from './mermaid.js';
import { summarise } from './summary.js';
import { ruleDocUrl } from '../../rules/index.js';

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
    out.push(`| ${f.severity} | [${md(f.ruleId)}](${ruleDocUrl(f.ruleId)}) | ${md(f.message)} | ${md(`${f.file}:${f.line}:${f.column}`)} |`);
  }
  return out;
}

// ---- the report -------------------------------------------------------------------------------------------------

/** What a pull request changes: one line per VM whose egress differs from the base (or the lock file). */
function changesSection(cmp: EgressComparison): string[] {
  const head = `## Egress changes against ${md(cmp.against)}`;
  if (cmp.changes.length === 0) return [head, `No VM's egress differs from ${md(cmp.against)}.`];
  const lines = cmp.changes.map((c) => `- **${md(c.name)}**: ${md(describeChange(c))} (${md(c.file)})`);
  const n = cmp.changes.length;
  return [head, `${n} VM${n === 1 ? '' : 's'} with other egress than ${md(cmp.against)}: tell the firewall team before merging.`, lines.join('\n')];
}

export function formatMarkdown(results: readonly LintResult[], ctx?: Partial<FormatContext>): string {
  const sections: string[][] = [];
  for (const r of results) {
    const findings = r.findings.filter((f) => !f.suppression);
    if (r.vms.length === 0 && findings.length === 0) continue;
    const parts = [[`## ${md(r.file)}`]];
    if (r.vms.length) parts.push(vmTable(r.vms), chartFor(r));
    if (findings.length) parts.push(findingsTable(findings));
    sections.push(parts.map((x) => x.join('\n')));
  }
  const { errors, warnings, text } = summarise(results);
  const mark = errors ? '✖' : warnings ? '⚠' : '✔';
  const changes = ctx?.egress ? changesSection(ctx.egress) : [];
  return [`# egress-lint`, `**${mark} ${text}**`, ...changes, ...sections.flat()].join('\n\n') + '\n';
}
