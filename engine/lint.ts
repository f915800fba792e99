// Rules, findings and the lint pipeline: template → expansion → network graph → egress → rules → report.
// Rules arrive as an argument; this module never imports rules/ (they import the engine, not the reverse).
import type { Location, Severity } from './template/finding.js';
import type { TemplateDoc } from './template/template.js';
import { expand } from './expansion/expand.js';
import type { Deployment, ExpandOptions } from './expansion/types.js';
import { buildGraph } from './network/graph.js';
import { GRAPH_READS } from './network/reads.js';
import type { NetworkGraph } from './network/graph.js';
import { resolveEgress } from './network/resolve.js';
import type { EgressIp, PathResult, Verdict, VmResult } from './network/resolve.js';
import { getProp, isObject } from './expressions/value.js';
import type { AllowList } from './egress/allow.js';
import type { EgressComparison } from './egress/lock.js';
import type { Inventory } from './inventory/inventory.js';

export type { Severity } from './template/finding.js';
export type RuleLevel = Severity | 'off';

/** What a rule says about one place: a message id, its data, and where. */
export interface Report {
  readonly messageId: string;
  readonly data?: Readonly<Record<string, string | number>>;
  readonly at: Location;
  /** The deployed name of the resource the finding is about. */
  readonly resource?: string;
}

/** What the user configured for rules that need more than the template (an allow-list, a lock to compare with). */
export interface RuleSettings {
  /** The configuration's `allow` entries, parsed (egress-not-allowed). */
  readonly allow?: AllowList;
  /** The whole run's egress compared with a lock file or a git base (egress-changed); set by a second pass. */
  readonly egressChanges?: EgressComparison;
}

export interface RuleContext {
  readonly deployment: Deployment;
  readonly graph: NetworkGraph;
  readonly vms: readonly VmResult[];
  readonly settings: RuleSettings;
  /** Reports a finding. A method: call it as `ctx.report(...)`, not detached from the context. */
  report(r: Report): void;
}

export interface Rule {
  /** Stable kebab-case id; the file name under rules/ and the page rules/<id>.md. */
  readonly id: string;
  readonly severity: Severity;
  /** One sentence, capitalised, ending in '.', saying what should be true. */
  readonly description: string;
  /** Message templates by id; `{{name}}` is filled from the report's data. */
  readonly messages: Readonly<Record<string, string>>;
  /** How to fix it, shown under the message by stylish and in SARIF. */
  readonly help: string;
  /** Problems in the template itself (parse errors, bad expressions, limits) rather than egress. */
  readonly kind?: 'template' | 'egress';
  /** The project setting the rule compares with (an allow-list, a lock file or git base): without it, it is silent. */
  readonly needs?: keyof RuleSettings;
  check(ctx: RuleContext): void;
}

/** Identity function that types a rule module's default export. */
export function defineRule(rule: Rule): Rule {
  return rule;
}

/** A finding as every formatter sees it: 1-based line and column, severity applied, message interpolated. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly help: string;
  readonly file: string;
  readonly pointer: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly resource?: string;
  /** Set when the template suppresses this finding in the resource's metadata; the reason is required. */
  readonly suppression?: { readonly justification: string };
}

/** One egress entry of the JSON report: the resolver's identity without its internal fields. */
export type EgressEntry = Pick<EgressIp, 'name' | 'type' | 'id' | 'via' | 'address' | 'prefix' | 'static'>;

/** One path of the JSON report: the resolver's path without its internal fields. */
export type PathReport = Pick<PathResult, 'nic' | 'ipConfiguration' | 'primary' | 'method' | 'verdict' | 'because'> & {
  readonly egress: readonly EgressEntry[];
};

export interface VmReport {
  readonly name: string;
  readonly type: string;
  readonly id: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly verdict: Verdict;
  readonly egress: readonly EgressEntry[];
  readonly primaryEgress: readonly EgressEntry[];
  readonly paths: readonly PathReport[];
}

export interface LintResult {
  readonly file: string;
  readonly vms: readonly VmReport[];
  readonly findings: readonly Finding[];
  readonly deployment: Deployment;
  /** The network graph and the resolved paths behind `vms` (absent when the file could not be read). */
  readonly graph?: NetworkGraph;
  readonly resolved?: readonly VmResult[];
}

export interface LintOptions extends ExpandOptions {
  readonly rules: readonly Rule[];
  /** Per-rule level overrides ('off' disables a rule). */
  readonly levels?: Readonly<Record<string, RuleLevel>>;
  readonly settings?: RuleSettings;
  /** Resources already deployed, read from inventory files: they resolve what the templates only reference. */
  readonly inventory?: Inventory;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A message template split at its placeholders: text at even indexes, `[name, placeholder]` at odd ones. */
type CompiledTemplate = readonly (string | readonly [string, string])[];
const compiled = new Map<string, CompiledTemplate>();

function compile(template: string): CompiledTemplate {
  let hit = compiled.get(template);
  if (hit === undefined) {
    const parts: (string | readonly [string, string])[] = [];
    const re = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
    let last = 0;
    for (let m = re.exec(template); m !== null; m = re.exec(template)) {
      parts.push(template.slice(last, m.index), [m[1], m[0]]);
      last = m.index + m[0].length;
    }
    parts.push(template.slice(last));
    hit = parts;
    // Rules' messages and help texts are a fixed set; the bound only guards a caller that builds templates.
    if (compiled.size > 1000) compiled.clear();
    compiled.set(template, hit);
  }
  return hit;
}

/** Fills `{{name}}` placeholders; a missing one stays visible rather than silently empty. */
export function interpolate(template: string, data: Readonly<Record<string, string | number>> | undefined): string {
  // Compiled once per template: a regex replace with a callback per finding was a tenth of reporting it.
  const parts = compile(template);
  if (parts.length === 1) return template;
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (typeof p === 'string') out += p;
    else out += data !== undefined && Object.prototype.hasOwnProperty.call(data, p[0]) ? String(data[p[0]]) : p[1];
  }
  return out;
}

/** Maps a location to 1-based line/column ranges using the loaded documents. */
export function locate(docs: ReadonlyMap<string, TemplateDoc>, at: Location): { line: number; column: number; endLine: number; endColumn: number } {
  const doc = docs.get(at.file);
  if (!doc) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  const r = at.offset !== undefined ? { offset: at.offset, length: 0 } : doc.range(at.pointer);
  const s = doc.lineColumn(r.offset);
  const e = doc.lineColumn(r.offset + r.length);
  return { line: s.line + 1, column: s.column + 1, endLine: e.line + 1, endColumn: e.column + 1 };
}

export function egressEntry(e: EgressIp): EgressEntry {
  return { name: e.name, type: e.type, id: e.id, via: e.via, address: e.address, prefix: e.prefix, static: e.static };
}

/** 1-based line and column where a location starts (no end: for strict JSON that saves scanning the value). */
export function locateStart(docs: ReadonlyMap<string, TemplateDoc>, at: Location): { line: number; column: number } {
  const doc = docs.get(at.file);
  if (!doc) return { line: 1, column: 1 };
  const s = doc.lineColumn(at.offset ?? doc.start(at.pointer));
  return { line: s.line + 1, column: s.column + 1 };
}

function vmReport(v: VmResult, docs: ReadonlyMap<string, TemplateDoc>): VmReport {
  const pos = locateStart(docs, v.vm.at);
  return {
    name: v.vm.name,
    type: v.vm.type,
    id: v.vm.id,
    file: v.vm.at.file,
    line: pos.line,
    column: pos.column,
    verdict: v.verdict,
    egress: v.egress.map(egressEntry),
    primaryEgress: v.primaryEgress.map(egressEntry),
    paths: v.paths.map((p) => ({
      nic: p.nic,
      ipConfiguration: p.ipConfiguration,
      primary: p.primary,
      method: p.method,
      verdict: p.verdict,
      egress: p.egress.map(egressEntry),
      because: p.because,
    })),
  };
}

interface Suppressions {
  readonly file: string;
  readonly pointer: string;
  readonly name: string;
  readonly rules: ReadonlyMap<string, string>;
}

/**
 * Suppressions written in a resource's metadata (JSON has no comments):
 * `"metadata": { "egress-lint": { "suppress": [ { "rule": "<id>", "reason": "<why>" } ] } }`.
 * A suppression without a reason does not suppress; it is reported instead.
 */
function readSuppressions(deployment: Deployment, invalid: (at: Location, message: string) => void): Suppressions[] {
  const out: Suppressions[] = [];
  for (const r of deployment.resources) {
    const meta = getProp(r.body, 'metadata');
    const own = isObject(meta) ? getProp(meta, 'egress-lint') : undefined;
    const list = isObject(own) ? getProp(own, 'suppress') : undefined;
    if (!Array.isArray(list)) continue;
    const rules = new Map<string, string>();
    for (let i = 0; i < list.length; i++) {
      const entry = list[i];
      const rule = isObject(entry) ? getProp(entry, 'rule') : undefined;
      const reason = isObject(entry) ? getProp(entry, 'reason') : undefined;
      const at = { file: r.at.file, pointer: `${r.at.pointer}/metadata/egress-lint/suppress/${i}` };
      if (typeof rule !== 'string') invalid(at, `A suppression in the metadata of '${r.name}' needs a 'rule'.`);
      else if (typeof reason !== 'string' || reason.trim() === '') invalid(at, `The suppression of '${rule}' on '${r.name}' needs a 'reason'.`);
      else rules.set(rule, reason.trim());
    }
    if (rules.size) out.push({ file: r.at.file, pointer: r.at.pointer, name: r.name, rules });
  }
  return out;
}

function suppressionFor(list: readonly Suppressions[], ruleId: string, at: Location, resource: string | undefined): string | undefined {
  for (const s of list) {
    const reason = s.rules.get(ruleId);
    if (reason === undefined) continue;
    if (s.file === at.file && (at.pointer === s.pointer || at.pointer.startsWith(s.pointer + '/'))) return reason;
    if (resource !== undefined && resource === s.name) return reason;
  }
  return undefined;
}

/** What every rule of one runRules() call shares: the findings so far and how to place and suppress them. */
interface RunState {
  readonly docs: ReadonlyMap<string, TemplateDoc>;
  readonly findings: Finding[];
  readonly seen: Set<string>;
  readonly suppressions: readonly Suppressions[];
  readonly inventory: Inventory | undefined;
  readonly vmNames: ReadonlySet<string>;
}

/**
 * One rule's context. `report` is a method of this class rather than a closure made per rule and template: V8 holds
 * a closure's optimised code only while a closure of it is alive, so a closure made per call was compiled again
 * and again over a long run (node --trace-opt: 10–17 ms of TurboFan work each time for this one).
 */
class RuleRun implements RuleContext {
  constructor(
    private readonly rule: Rule,
    private readonly level: Severity,
    private readonly run: RunState,
    readonly deployment: Deployment,
    readonly graph: NetworkGraph,
    readonly vms: readonly VmResult[],
    readonly settings: RuleSettings,
  ) {}

  report(r: Report): void {
    const rule = this.rule;
    const run = this.run;
    const template = rule.messages[r.messageId];
    if (template === undefined) throw new Error(`Rule ${rule.id} reported unknown messageId '${r.messageId}'.`);
    const message = interpolate(template, r.data);
    const key = `${rule.id}\u0000${r.at.file}\u0000${r.at.pointer}\u0000${r.at.offset ?? ''}\u0000${message}`;
    if (run.seen.has(key)) return;
    run.seen.add(key);
    if (run.inventory?.docs.has(r.at.file) && !(r.resource !== undefined && run.vmNames.has(r.resource))) return;
    const pos = locate(run.docs, r.at);
    const justification = run.suppressions.length ? suppressionFor(run.suppressions, rule.id, r.at, r.resource) : undefined;
    const finding: Mutable<Finding> = {
      ruleId: rule.id,
      severity: this.level,
      message,
      help: interpolate(rule.help, r.data),
      file: r.at.file,
      pointer: r.at.pointer,
      line: pos.line,
      column: pos.column,
      endLine: pos.endLine,
      endColumn: pos.endColumn,
    };
    if (r.resource !== undefined) finding.resource = r.resource;
    if (justification !== undefined) finding.suppression = { justification };
    run.findings.push(finding);
  }
}

/** Runs the rules over an expanded deployment and its resolved egress. */
export function runRules(deployment: Deployment, rules: readonly Rule[], levels: Readonly<Record<string, RuleLevel>> = {}, settings: RuleSettings = {}, inventory?: Inventory): { findings: Finding[]; vms: VmResult[]; graph: NetworkGraph } {
  const graph = buildGraph(deployment, inventory?.resources);
  const docs = inventory && inventory.docs.size > 0 ? new Map([...deployment.docs, ...inventory.docs]) : deployment.docs;
  // The inventory is reference data, not linted: a finding located in it counts only when it is about a VM of
  // the templates (a path decided by an inventory NAT gateway), not about an inventory resource on its own.
  const vmNames = new Set(graph.vms.map((v) => v.name));
  const vms = resolveEgress(graph);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const suppressions = readSuppressions(deployment, (at, message) => {
    findings.push({ ruleId: 'template-invalid', severity: levels['template-invalid'] === 'off' ? 'error' : ((levels['template-invalid'] as Severity | undefined) ?? 'error'), message, help: 'Give every suppression a rule id and a reason.', file: at.file, pointer: at.pointer, ...locate(deployment.docs, at) });
  });
  const run: RunState = { docs, findings, seen, suppressions, inventory, vmNames };
  for (const rule of rules) {
    const level = levels[rule.id] ?? rule.severity;
    if (level === 'off') continue;
    rule.check(new RuleRun(rule, level, run, deployment, graph, vms, settings));
  }
  findings.sort(compareFindings);
  return { findings, vms, graph };
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** Lints one loaded template: expansion, graph, egress and rules. Never throws for template content. */
export function lintTemplate(doc: TemplateDoc, options: LintOptions): LintResult {
  const deployment = expand(doc, Object.assign({}, options, { evaluate: options.evaluate ?? GRAPH_READS }));
  const { findings, vms, graph } = runRules(deployment, options.rules, options.levels, options.settings, options.inventory);
  return { file: doc.file, vms: vms.map((v) => vmReport(v, deployment.docs)), findings, deployment, graph, resolved: vms };
}
