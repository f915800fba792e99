// The Mermaid flowchart of the Markdown report: per template, VM → NIC → NAT gateway / load balancer / firewall /
// appliance → public IP → Internet. Text from templates is escaped, so a resource name cannot inject Mermaid
// syntax. Same input, byte-identical output.
import { normaliseId, showPlaceholders } from '../../engine/index.js';
import type { EgressEntry, Frontend, IpConfig, LintResult, NetworkGraph, PathReport, PathResult, Ref, Route, Verdict } from '../../engine/index.js';

/** An egress entry as the chart labels it (the same text as the report's tables). */
function entryText(e: EgressEntry): string {
  const where = e.address ?? e.prefix;
  return `${shown(e.name)}${where ? ` (${where})` : ''}${e.static ? '' : ' (not static)'}`;
}

/**
 * What Mermaid would read as syntax inside a quoted label, written as entity codes (`#35;`, `#quot;`), which it
 * turns back into the character (https://mermaid.js.org/syntax/flowchart.html#entity-codes-to-escape-characters):
 * `"` ends the label; `#` starts an entity code; `&` starts an HTML entity (labels are HTML); `<` `>` make tags;
 * `%` makes `%%{init: …}%%` directives, which Mermaid finds anywhere in the text; `$$…$$` is KaTeX; a backtick
 * starts a Markdown string; `\n` is a line break; a colon not followed by a space makes `fa:fa-…` icons and
 * lets `style …:…#…;` lose its last character (Mermaid strips it from any line that looks like a style).
 */
const ENTITY: Readonly<Record<string, string>> = {
  '"': '#quot;',
  '#': '#35;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  '%': '#37;',
  $: '#36;',
  '`': '#96;',
  '\\': '#92;',
  ':': '#58;',
};

const ENTITY_CHARS = /["#&<>%$`\\]|:(?! )/g;
/**
 * Mermaid marks entity codes with `ﬂ°` and `¶ß` while it parses and turns any such pair into `&` and `;` (after
 * entity codes are decoded, so no code escapes them): a word joiner, which shows as nothing, keeps a name's pair apart.
 */
const MARKERS = /(\uFB02)(\u00B0)|(\u00B6)(\u00DF)/g;
/** Line breaks, other control characters and Unicode's line and paragraph separators: shown as a space. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** What a label shows when the text is empty: Mermaid refuses `""`. */
const NO_TEXT = '(no name)';

/** Names longer than this are cut (with an ellipsis) so the chart stays readable; the tables have them whole. */
const MAX_NAME = 64;

/** A name as the chart shows it: placeholders in braces, cut to MAX_NAME characters (code points: no emoji is split). */
function shown(name: string): string {
  const text = showPlaceholders(name);
  const chars = Array.from(text);
  return chars.length > MAX_NAME ? `${chars.slice(0, MAX_NAME - 1).join('')}…` : text;
}

/** A Mermaid label in double quotes: never empty, one line, nothing in it that Mermaid reads as syntax. */
export function mermaidLabel(text: string): string {
  // Runs of white space show as one space in an HTML label anyway; Mermaid trims the ends.
  const flat = text.replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
  return `"${(flat === '' ? NO_TEXT : flat).replace(ENTITY_CHARS, (c) => ENTITY[c]).replace(MARKERS, '$1$3\u2060$2$4')}"`;
}

/**
 * The colour classes: one per verdict (the two deterministic verdicts share one), light fills with dark text and a
 * strong border, so a node reads on GitHub's light and dark themes alike; edges take the border colour. Unknown has
 * a dashed border too, so it does not rest on colour alone (the VM's label names its verdict as well).
 */
type Paint = 'det' | 'nondet' | 'unk' | 'none';

const PAINT_OF: Readonly<Record<Verdict, Paint>> = {
  deterministic: 'det',
  'deterministic-set': 'det',
  'non-deterministic': 'nondet',
  unknown: 'unk',
  'no-egress': 'none',
};

/** Where two paths of different verdicts meet (a shared edge or end node), the more alarming colour wins. */
const PAINT_RANK: Readonly<Record<Paint, number>> = { det: 0, none: 1, unk: 2, nondet: 3 };

/** In the order they are written: class, node style, edge colour (GitHub's Primer palette). No `;`: Mermaid would take `#…;` for an entity code. */
const PAINTS: readonly (readonly [Paint, string, string])[] = [
  ['det', 'fill:#dafbe1,stroke:#1a7f37,color:#1f2328', '#1a7f37'],
  ['nondet', 'fill:#ffebe9,stroke:#cf222e,color:#1f2328', '#cf222e'],
  ['unk', 'fill:#fff8c5,stroke:#9a6700,color:#1f2328,stroke-dasharray:4 3', '#9a6700'],
  ['none', 'fill:#eaeef2,stroke:#6e7781,color:#1f2328', '#6e7781'],
];

function worse(a: Paint | undefined, b: Paint | undefined): Paint | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return PAINT_RANK[b] > PAINT_RANK[a] ? b : a;
}

interface ChartNode {
  readonly id: string;
  /** The declaration without its class: `id("label")`. */
  readonly decl: string;
  paint: Paint | undefined;
}

interface ChartEdge {
  readonly line: string;
  paint: Paint | undefined;
}

/** Builds one flowchart; node ids are sanitised and allocated in traversal order, so they are stable. */
class Chart {
  private readonly nodes = new Map<string, ChartNode>();
  private readonly used = new Set<string>();
  private readonly edges = new Map<string, ChartEdge>();

  /**
   * `key` identifies the thing, `name` makes the id readable, `text` is the label; `shape` is the pair of brackets:
   * ['[', ']'], ['(', ')'], ['{{', '}}'], ['([', '])'], ['((', '))']; `verdict` colours the node (the more alarming wins).
   */
  node(key: string, prefix: string, name: string, text: string, shape: readonly [string, string], verdict?: Verdict): string {
    const paint = verdict === undefined ? undefined : PAINT_OF[verdict];
    const known = this.nodes.get(key);
    if (known) {
      known.paint = worse(known.paint, paint);
      return known.id;
    }
    // Letters, digits and '_' only, after a prefix: never a Mermaid keyword (`end`, `class`), never an arrow's `o`/`x`.
    const clean = name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, MAX_ID).replace(/_+$/, '').toLowerCase();
    const base = clean ? `${prefix}_${clean}` : prefix;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    this.nodes.set(key, { id, decl: `  ${id}${shape[0]}${mermaidLabel(text)}${shape[1]}`, paint });
    return id;
  }

  /** An edge of a path with `verdict` (of the paths that share it, the more alarming verdict colours it). */
  edge(from: string, to: string, verdict: Verdict, dotted = false, text?: string): void {
    const arrow = dotted ? '-.->' : '-->';
    const line = `  ${from} ${arrow}${text ? `|${mermaidLabel(text)}|` : ''} ${to}`;
    const known = this.edges.get(line);
    if (known) known.paint = worse(known.paint, PAINT_OF[verdict]);
    else this.edges.set(line, { line, paint: PAINT_OF[verdict] });
  }

  render(): string[] {
    const lines: string[] = [];
    const used = new Set<Paint>();
    for (const n of this.nodes.values()) {
      lines.push(n.paint ? `${n.decl}:::${n.paint}` : n.decl);
      if (n.paint) used.add(n.paint);
    }
    // linkStyle addresses edges by their order in the chart (Mermaid's only way that every version reads).
    const edgesOf = new Map<Paint, number[]>();
    let i = 0;
    for (const e of this.edges.values()) {
      lines.push(e.line);
      if (e.paint) {
        used.add(e.paint);
        const list = edgesOf.get(e.paint);
        if (list) list.push(i);
        else edgesOf.set(e.paint, [i]);
      }
      i++;
    }
    for (const [paint, style] of PAINTS) if (used.has(paint)) lines.push(`  classDef ${paint} ${style}`);
    for (const [paint, , stroke] of PAINTS) {
      const list = edgesOf.get(paint);
      if (list) lines.push(`  linkStyle ${list.join(',')} stroke:${stroke},stroke-width:2px`);
    }
    // GitHub's Mermaid refuses charts over 500 edges or 50,000 characters; say so instead of a broken block.
    if (this.edges.size > MAX_EDGES || lines.join('\n').length > MAX_CHART_CHARS)
      return [`*(No chart: ${this.nodes.size} nodes and ${this.edges.size} edges are more than GitHub's Mermaid renders; the table above has every path.)*`];
    return ['```mermaid', 'flowchart LR', ...lines, '```'];
  }
}

/** Below Mermaid's defaults (maxEdges 500, maxTextSize 50,000), with room for the fences. */
const MAX_EDGES = 450;
/** The readable part of a node id (the rest of the name is in its label). */
const MAX_ID = 64;
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
        const hop = { key: n.key, prefix: 'nat', text: `NAT gateway ${shown(n.name)}`, id: showPlaceholders(n.name) };
        for (const r of [...n.publicIps, ...n.publicIpPrefixes, ...n.publicIpsV6, ...n.publicIpPrefixesV6]) this.own(keyOf(r), hop);
      } else if (n.kind === 'loadBalancer') {
        const hop = { key: n.key, prefix: 'lb', text: `load balancer ${shown(n.name)}`, id: showPlaceholders(n.name) };
        for (const fe of n.frontends) {
          this.own(keyOf(fe.publicIp), hop);
          this.own(keyOf(fe.publicIpPrefix), hop);
        }
      } else if (n.kind === 'firewall') {
        const hop = { key: n.key, prefix: 'fw', text: `firewall ${shown(n.name)}`, id: showPlaceholders(n.name) };
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
      if (nic) return { key: nic.key, prefix: 'nva', text: `appliance ${shown(nic.name)} (${ip})`, id: showPlaceholders(nic.name) };
      const fe = this.lookups().frontends.get(ip);
      const lb = fe ? this.g.nodes.get(fe.lbKey) : undefined;
      if (lb) return { key: lb.key, prefix: 'lb', text: `load balancer ${shown(lb.name)} (${ip})`, id: showPlaceholders(lb.name) };
      return { key: `appliance:${ip}`, prefix: 'nva', text: `appliance ${ip}`, id: ip };
    }
    return { key: `appliance:${p.decidedAt.file}#${p.decidedAt.pointer}`, prefix: 'nva', text: 'appliance', id: 'appliance' };
  }
}

function pathChain(chart: Chart, topo: Topology | undefined, from: string, p: PathReport, resolved: PathResult | undefined, edgeText: string): void {
  const internet = () => chart.node('internet', 'internet', '', 'Internet', CIRCLE);
  const v = p.verdict;
  if (p.method === 'default-outbound-access') {
    const platform = chart.node('platform', 'platform', '', 'platform-assigned IP (default outbound access)', STADIUM, v);
    chart.edge(from, platform, v, true, edgeText);
    chart.edge(platform, internet(), v, true);
    return;
  }
  if (p.egress.length === 0) {
    const end = p.verdict === 'unknown' ? chart.node('unknown', 'unknown', '', 'unknown egress', RECT, v) : chart.node('noegress', 'noegress', '', 'no Internet egress', RECT, v);
    chart.edge(from, end, v, false, edgeText);
    return;
  }
  // Each step: an edge from the previous node; only the first edge out of the NIC carries the method.
  const step = (at: string, hop: Hop): string => {
    const id = chart.node(hop.key, hop.prefix, hop.id, hop.text, HEX);
    chart.edge(at, id, v, false, at === from ? edgeText : undefined);
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
    const ip = chart.node(e.id === null ? `created:${e.name}` : normaliseId(e.id), e.type.toLowerCase().endsWith('publicipprefixes') ? 'prefix' : 'pip', e.name, entryText(e), STADIUM, v);
    chart.edge(at, ip, v, !e.static, at === from ? edgeText : undefined);
    chart.edge(ip, internet(), v, !e.static);
  }
}

export function chartFor(r: LintResult): string[] {
  // The chart names NAT gateways, load balancers, firewalls and appliances, which the report does not carry:
  // it reads them from the graph and resolved paths the lint run kept.
  const topo = r.graph ? new Topology(r.graph) : undefined;
  const resolved: (readonly PathResult[])[] | undefined = r.resolved?.map((v) => v.paths);
  const chart = new Chart();
  r.vms.forEach((vm, i) => {
    const vmId = chart.node(`vm:${i}`, 'vm', vm.name, `${shown(vm.name)} (${vm.verdict})`, RECT, vm.verdict);
    const perNic = new Map<string, number>();
    for (const p of vm.paths) perNic.set(p.nic, (perNic.get(p.nic) ?? 0) + 1);
    vm.paths.forEach((p, j) => {
      // A NIC the files do not name (a network profile from a parameter with no value) still gets a label.
      const nicId = chart.node(`nic:${i}:${p.nic}`, 'nic', p.nic, p.nic === '' ? 'NIC (not known)' : shown(p.nic), ROUND, p.verdict);
      const carriesPrimary = vm.paths.some((q) => q.nic === p.nic && q.primary);
      chart.edge(vmId, nicId, p.verdict, !carriesPrimary, carriesPrimary ? 'primary' : undefined);
      const text = (perNic.get(p.nic) ?? 0) > 1 && p.ipConfiguration !== '' ? `${shown(p.ipConfiguration)}: ${p.method}` : p.method;
      pathChain(chart, topo, nicId, p, resolved?.[i]?.[j], text);
    });
  });
  return chart.render();
}
