// Markdown for pull-request comments and $GITHUB_STEP_SUMMARY: a one-line summary, then per template a table of
// its VMs, a Mermaid flowchart (VM → NIC → NAT gateway / load balancer / firewall → public IP → Internet) and a
// table of its findings. Text from templates is escaped, so a resource name cannot inject Markdown, HTML or
// Mermaid syntax. Same input, byte-identical output.
// Findings are folded in <details>; what matters comes first and the whole keeps within a size (markdown-budget.ts).
import { describeChange, normaliseId, showPlaceholders } from '../../engine/index.js';
import type { EgressComparison, EgressEntry, Finding, Frontend, IpConfig, LintResult, NetworkGraph, PathReport, PathResult, Ref, Route, Verdict, VmReport } from '../../engine/index.js';
import type { FormatContext } from './index.js';
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

// ---- the Mermaid chart ------------------------------------------------------------------------------------------

/** A Mermaid label inside double quotes: quotes, angle brackets and '#' become Mermaid entity codes. */
function label(text: string): string {
  return `"${text.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\r?\n/g, ' ')}"`;
}

interface ChartNode {
  readonly id: string;
  readonly decl: string;
}

/** Builds one flowchart; node ids are sanitised and allocated in traversal order, so they are stable. */
class Chart {
  private readonly nodes = new Map<string, ChartNode>();
  private readonly used = new Set<string>();
  private readonly edges: string[] = [];
  private readonly edgeSet = new Set<string>();

  /** `key` identifies the thing, `name` makes the id readable, `text` is the label; `shape` is the pair of brackets: ['[', ']'], ['(', ')'], ['{{', '}}'], ['([', '])'], ['((', '))']. */
  node(key: string, prefix: string, name: string, text: string, shape: readonly [string, string]): string {
    const known = this.nodes.get(key);
    if (known) return known.id;
    const clean = name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toLowerCase();
    const base = clean ? `${prefix}_${clean}` : prefix;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    this.nodes.set(key, { id, decl: `  ${id}${shape[0]}${label(text)}${shape[1]}` });
    return id;
  }

  edge(from: string, to: string, dotted = false, text?: string): void {
    const arrow = dotted ? '-.->' : '-->';
    const line = `  ${from} ${arrow}${text ? `|${label(text)}|` : ''} ${to}`;
    if (this.edgeSet.has(line)) return;
    this.edgeSet.add(line);
    this.edges.push(line);
  }

  render(): string[] {
    const lines = [...[...this.nodes.values()].map((n) => n.decl), ...this.edges];
    // GitHub's Mermaid refuses charts over 500 edges or 50,000 characters; say so instead of a broken block.
    if (this.edges.length > MAX_EDGES || lines.join('\n').length > MAX_CHART_CHARS)
      return [`*(No chart: ${this.nodes.size} nodes and ${this.edges.length} edges are more than GitHub's Mermaid renders; the table above has every path.)*`];
    return ['```mermaid', 'flowchart LR', ...lines, '```'];
  }
}

/** Below Mermaid's defaults (maxEdges 500, maxTextSize 50,000), with room for the fences. */
const MAX_EDGES = 450;
const MAX_CHART_CHARS = 45_000;

const RECT: readonly [string, string] = ['[', ']'];
const ROUND: readonly [string, string] = ['(', ')'];
const HEX: readonly [string, string] = ['{{', '}}'];
const STADIUM: readonly [string, string] = ['([', '])'];
const CIRCLE: readonly [string, string] = ['((', '))'];

interface Hop {
  readonly key: string;
  readonly prefix: string;
  readonly text: string;
  /** What the node id is made of (the resource name). */
  readonly id: string;
}

const keyOf = (r: Ref | undefined): string | undefined => (r?.kind === 'found' ? r.key : undefined);

/** What the chart needs from the network graph: who holds each public IP, and which appliance a route points at. */
class Topology {
  /** Public IP / prefix key → the NAT gateway, load balancer or firewall that uses it. */
  private readonly owners = new Map<string, Hop>();
  /** NAT gateway key → the firewall whose subnet it serves. */
  private readonly natFirewall = new Map<string, Hop>();
  /** The name (as reports show it) of a public IP AKS creates → its owner: the report has no id for it. */
  private readonly createdOwners = new Map<string, Hop>();

  constructor(private readonly g: NetworkGraph) {
    for (const n of g.nodes.values()) {
      if (n.kind === 'natGateway') {
        const hop = { key: n.key, prefix: 'nat', text: `NAT gateway ${n.name}`, id: n.name };
        for (const r of [...n.publicIps, ...n.publicIpPrefixes, ...n.publicIpsV6, ...n.publicIpPrefixesV6]) this.own(keyOf(r), hop);
      } else if (n.kind === 'loadBalancer') {
        const hop = { key: n.key, prefix: 'lb', text: `load balancer ${n.name}`, id: n.name };
        for (const fe of n.frontends) {
          this.own(keyOf(fe.publicIp), hop);
          this.own(keyOf(fe.publicIpPrefix), hop);
        }
      } else if (n.kind === 'firewall') {
        const hop = { key: n.key, prefix: 'fw', text: `firewall ${n.name}`, id: n.name };
        for (const c of n.ipConfigs) this.own(keyOf(c.publicIp), hop);
        const subnet = g.get(g.check(n.ipConfigs[0]?.subnet), 'subnet');
        const nat = keyOf(subnet?.natGateway);
        if (nat && !this.natFirewall.has(nat)) this.natFirewall.set(nat, hop);
      }
    }
  }

  private indexes: { routes: Map<string, Route>; ipConfigs: Map<string, IpConfig>; frontends: Map<string, Frontend> } | undefined;

  /** Routes by declaration, ipconfigs and frontends by private address (the first in graph order), built once: a scan per path is quadratic. */
  private lookups(): NonNullable<Topology['indexes']> {
    if (this.indexes) return this.indexes;
    const routes = new Map<string, Route>();
    for (const n of this.g.nodes.values()) if (n.kind === 'routeTable') for (const r of n.routes) if (!routes.has(`${r.at.file}\u0000${r.at.pointer}`)) routes.set(`${r.at.file}\u0000${r.at.pointer}`, r);
    const ipConfigs = new Map<string, IpConfig>();
    for (const c of this.g.ipConfigs.values()) if (typeof c.privateIp === 'string' && !ipConfigs.has(c.privateIp)) ipConfigs.set(c.privateIp, c);
    const frontends = new Map<string, Frontend>();
    for (const f of this.g.frontends.values()) if (typeof f.privateIp === 'string' && !frontends.has(f.privateIp)) frontends.set(f.privateIp, f);
    this.indexes = { routes, ipConfigs, frontends };
    return this.indexes;
  }

  private own(key: string | undefined, hop: Hop): void {
    if (key && !this.owners.has(key)) this.owners.set(key, hop);
    const pip = key ? this.g.nodes.get(key) : undefined;
    if (pip?.kind === 'publicIp' && pip.created && !this.createdOwners.has(showPlaceholders(pip.name))) this.createdOwners.set(showPlaceholders(pip.name), hop);
  }

  owner(e: EgressEntry): Hop | undefined {
    return e.id === null ? this.createdOwners.get(e.name) : this.owners.get(normaliseId(e.id));
  }

  firewallOfNat(nat: Hop): Hop | undefined {
    return this.natFirewall.get(nat.key);
  }

  /** The appliance a route sends an 'appliance' path to: the NIC or internal load balancer at its next-hop address. */
  appliance(p: PathResult): Hop {
    const route = this.lookups().routes.get(`${p.decidedAt.file}\u0000${p.decidedAt.pointer}`);
    const ip = typeof route?.nextHopIpAddress === 'string' ? route.nextHopIpAddress : undefined;
    if (ip !== undefined) {
      const ipc = this.lookups().ipConfigs.get(ip);
      const nic = ipc ? this.g.nodes.get(ipc.nicKey) : undefined;
      if (nic) return { key: nic.key, prefix: 'nva', text: `appliance ${nic.name} (${ip})`, id: nic.name };
      const fe = this.lookups().frontends.get(ip);
      const lb = fe ? this.g.nodes.get(fe.lbKey) : undefined;
      if (lb) return { key: lb.key, prefix: 'lb', text: `load balancer ${lb.name} (${ip})`, id: lb.name };
      return { key: `appliance:${ip}`, prefix: 'nva', text: `appliance ${ip}`, id: ip };
    }
    return { key: `appliance:${p.decidedAt.file}#${p.decidedAt.pointer}`, prefix: 'nva', text: 'appliance', id: 'appliance' };
  }
}

function pathChain(chart: Chart, topo: Topology | undefined, from: string, p: PathReport, resolved: PathResult | undefined, edgeText: string): void {
  const internet = () => chart.node('internet', 'internet', '', 'Internet', CIRCLE);
  if (p.method === 'default-outbound-access') {
    const platform = chart.node('platform', 'platform', '', 'platform-assigned IP (default outbound access)', STADIUM);
    chart.edge(from, platform, true, edgeText);
    chart.edge(platform, internet(), true);
    return;
  }
  if (p.egress.length === 0) {
    const end = p.verdict === 'unknown' ? chart.node('unknown', 'unknown', '', 'unknown egress', RECT) : chart.node('noegress', 'noegress', '', 'no Internet egress', RECT);
    chart.edge(from, end, false, edgeText);
    return;
  }
  // Each step: an edge from the previous node; only the first edge out of the NIC carries the method.
  const step = (at: string, hop: Hop): string => {
    const id = chart.node(hop.key, hop.prefix, hop.id, hop.text, HEX);
    chart.edge(at, id, false, at === from ? edgeText : undefined);
    return id;
  };
  let start = from;
  const appliance = topo && resolved && p.method === 'appliance' ? topo.appliance(resolved) : undefined;
  if (appliance) start = step(start, appliance);
  for (const e of p.egress) {
    let at = start;
    const owner = topo?.owner(e);
    if (owner && owner.key !== appliance?.key) {
      // A NAT gateway on AzureFirewallSubnet carries the firewall's traffic: the firewall comes first.
      const fw = p.method === 'firewall' && owner.prefix === 'nat' ? topo?.firewallOfNat(owner) : undefined;
      if (fw) at = step(at, fw);
      at = step(at, owner);
    }
    const ip = chart.node(e.id === null ? `created:${e.name}` : normaliseId(e.id), e.type.toLowerCase().endsWith('publicipprefixes') ? 'prefix' : 'pip', e.name, entryText(e), STADIUM);
    chart.edge(at, ip, !e.static, at === from ? edgeText : undefined);
    chart.edge(ip, internet(), !e.static);
  }
}

function chartFor(r: LintResult): string[] {
  // The chart names NAT gateways, load balancers, firewalls and appliances, which the report does not carry:
  // it reads them from the graph and resolved paths the lint run kept.
  const topo = r.graph ? new Topology(r.graph) : undefined;
  const resolved: (readonly PathResult[])[] | undefined = r.resolved?.map((v) => v.paths);
  const chart = new Chart();
  r.vms.forEach((vm, i) => {
    const vmId = chart.node(`vm:${i}`, 'vm', vm.name, `${vm.name} (${vm.verdict})`, RECT);
    const perNic = new Map<string, number>();
    for (const p of vm.paths) perNic.set(p.nic, (perNic.get(p.nic) ?? 0) + 1);
    vm.paths.forEach((p, j) => {
      const nicId = chart.node(`nic:${i}:${p.nic}`, 'nic', p.nic, p.nic, ROUND);
      const carriesPrimary = vm.paths.some((q) => q.nic === p.nic && q.primary);
      chart.edge(vmId, nicId, !carriesPrimary, carriesPrimary ? 'primary' : undefined);
      const text = (perNic.get(p.nic) ?? 0) > 1 ? `${p.ipConfiguration}: ${p.method}` : p.method;
      pathChain(chart, topo, nicId, p, resolved?.[i]?.[j], text);
    });
  });
  return chart.render();
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
