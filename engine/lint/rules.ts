// The rule model and the two phases that run rules: per document, over its network graph and resolved egress
// (runDocumentRules), and once per run, over every document's report (runSessionRules: the comparisons with a lock
// file or a git base). The engine's own diagnostics are rules that never run: they name what the front-end found.
// Rules arrive as an argument; this module never imports rules/ (they import the engine, not the reverse).
import type { Location, RawFinding, Severity } from '../template/finding.js';
import type { TemplateDoc } from '../template/template.js';
import type { NetworkGraph } from '../network/graph.js';
import type { VmResult } from '../network/results.js';
import type { ResourceSet } from '../resources/types.js';
import { getProp, isObject } from '../expressions/value.js';
import { hasPlaceholder, showPlaceholders } from '../expressions/placeholder.js';
import type { AllowList } from '../egress/allow.js';
import type { EgressComparison } from '../egress/lock.js';
import type { Inventory } from '../inventory/inventory.js';
import { compareFindings, emptyDeployment, interpolate, locate, placed } from './report.js';
import type { Finding, LintResult, Range, Suppression, VmReport } from './report.js';

export type { Severity } from '../template/finding.js';
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
  /** The whole run's egress compared with a lock file or a git base (egress-changed, in the session phase). */
  readonly egressChanges?: EgressComparison;
}

/** What a document rule sees: the resources, their network graph, the resolved VMs, the settings. */
export interface RuleContext {
  readonly resources: ResourceSet;
  readonly graph: NetworkGraph;
  readonly vms: readonly VmResult[];
  readonly settings: RuleSettings;
  /** Reports a finding. A method: call it as `ctx.report(...)`, not detached from the context. */
  report(r: Report): void;
}

/** What a session rule says: about a VM of the report, or a place in a file (the lock file). */
export interface SessionReport {
  readonly messageId: string;
  readonly data?: Readonly<Record<string, string | number>>;
  /** The VM the finding is about: the finding sits where the VM is declared. */
  readonly vm?: VmReport;
  /** Otherwise, where: a file of the run or one of the session's own documents (a lock file). */
  readonly at?: Location;
  readonly resource?: string;
}

/** What a session rule sees: every document's report, once every document is linted. */
export interface SessionContext {
  readonly results: readonly LintResult[];
  readonly settings: RuleSettings;
  report(r: SessionReport): void;
}

interface RuleMeta {
  /** Stable kebab-case id; the file name under rules/ and the page rules/<id>.md. */
  readonly id: string;
  readonly severity: Severity;
  /** One sentence, capitalised, ending in '.', saying what should be true. */
  readonly description: string;
  /** Message templates by id; `{{name}}` is filled from the report's data. */
  readonly messages: Readonly<Record<string, string>>;
  /** How to fix it, shown under the message by stylish and in SARIF. */
  readonly help: string;
  /** A message's own help where the rule's would mislead (a Basic load balancer is not fixed like a public IP). */
  readonly helps?: Readonly<Record<string, string>>;
  /** Problems in the template itself (parse errors, bad expressions, limits) rather than egress. */
  readonly kind?: 'template' | 'egress';
  /** The project setting the rule compares with (an allow-list, a lock file or git base): without it, it is silent. */
  readonly needs?: keyof RuleSettings;
}

/** A rule that runs once per document, over its graph and resolved egress. */
export interface DocumentRule extends RuleMeta {
  readonly phase?: 'document';
  check(ctx: RuleContext): void;
}

/** A rule that runs once per run, over every document's report (cross-file comparisons). */
export interface SessionRule extends RuleMeta {
  readonly phase: 'session';
  check(ctx: SessionContext): void;
}

/**
 * A problem the front-end found reading a document (unreadable JSON, a bad expression, an ARM limit): no check of
 * its own, the engine reports what the front-end found under this id, with the rule's level and help.
 */
export interface Diagnostic extends RuleMeta {
  readonly phase: 'engine';
}

export type Rule = DocumentRule | SessionRule | Diagnostic;

/** Identity function that types a rule module's default export. */
export function defineRule<R extends DocumentRule | SessionRule>(rule: R): R {
  return rule;
}

/** One of the engine's diagnostics: its message is the front-end's own. */
export function defineDiagnostic(d: Pick<Diagnostic, 'id' | 'severity' | 'description' | 'help'>): Diagnostic {
  return Object.assign({ phase: 'engine' as const, kind: 'template' as const, messages: { default: '{{message}}' } }, d);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Suppressions written in a resource's metadata (JSON has no comments):
 * `"metadata": { "egress-lint": { "suppress": [ { "rule": "<id>", "reason": "<why>" } ] } }`.
 * A suppression without a reason does not suppress; it is reported instead.
 */
export function readSuppressions(resources: ResourceSet, invalid: RawFinding[]): Suppression[] {
  const out: Suppression[] = [];
  for (const r of resources.resources) {
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
      const help = 'Give every suppression a rule id and a reason.';
      if (typeof rule !== 'string') invalid.push({ ruleId: 'template-invalid', message: `A suppression in the metadata of '${r.name}' needs a 'rule'.`, at, help });
      else if (typeof reason !== 'string' || reason.trim() === '') invalid.push({ ruleId: 'template-invalid', message: `The suppression of '${rule}' on '${r.name}' needs a 'reason'.`, at, help });
      else rules.set(rule, reason.trim());
    }
    if (rules.size) out.push({ file: r.at.file, pointer: r.at.pointer, name: showPlaceholders(r.name), rules });
  }
  return out;
}

function suppressionFor(list: readonly Suppression[], ruleId: string, at: { file: string; pointer: string }, resource: string | undefined): string | undefined {
  for (const s of list) {
    const reason = s.rules.get(ruleId);
    if (reason === undefined) continue;
    if (s.file === at.file && (at.pointer === s.pointer || at.pointer.startsWith(s.pointer + '/'))) return reason;
    if (resource !== undefined && showPlaceholders(resource) === s.name) return reason;
  }
  return undefined;
}

/** What every rule of one run over a document shares: the findings so far and how to place and suppress them. */
interface RunState {
  readonly docs: ReadonlyMap<string, TemplateDoc>;
  readonly findings: Finding[];
  readonly seen: Set<string>;
  readonly suppressions: readonly Suppression[];
  readonly inventory: Inventory | undefined;
  readonly vmNames: ReadonlySet<string>;
}

/** The message a rule's report gives; an id the rule does not have is a bug in the rule. */
function messageOf(rule: Rule, messageId: string, data: Readonly<Record<string, string | number>> | undefined): string {
  const template = rule.messages[messageId];
  if (template === undefined) throw new Error(`Rule ${rule.id} reported unknown messageId '${messageId}'.`);
  return interpolate(template, data);
}

/** A report's data with placeholders shown as `{name}` (the same object when there is none). */
function shownData(data: Readonly<Record<string, string | number>>): Readonly<Record<string, string | number>> {
  let out: Record<string, string | number> | undefined;
  for (const k in data) {
    const v = data[k];
    if (typeof v === 'string' && hasPlaceholder(v)) (out ??= Object.assign({}, data))[k] = showPlaceholders(v);
  }
  return out ?? data;
}

/** The help of a finding: the front-end's own, else the message's or the rule's, filled. */
function helpOf(rule: Rule, r: { messageId: string; data?: Readonly<Record<string, string | number>> }, help: string | undefined): string {
  return help ?? interpolate(rule.helps?.[r.messageId] ?? rule.help, r.data);
}

/** Builds a finding from a rule's report: message and help filled, severity applied, suppression looked up. */
function findingOf(rule: Rule, level: Severity, r: { messageId: string; data?: Readonly<Record<string, string | number>>; resource?: string }, message: string, at: { file: string; pointer: string }, pos: Range, suppressions: readonly Suppression[], help?: string): Finding {
  const finding: Mutable<Finding> = {
    ruleId: rule.id,
    messageId: r.messageId,
    severity: level,
    message: showPlaceholders(message),
    help: showPlaceholders(helpOf(rule, r, help)),
    file: at.file,
    pointer: at.pointer,
    line: pos.line,
    column: pos.column,
    endLine: pos.endLine,
    endColumn: pos.endColumn,
  };
  if (r.data !== undefined) finding.data = shownData(r.data);
  if (r.resource !== undefined) finding.resource = showPlaceholders(r.resource);
  const justification = suppressions.length ? suppressionFor(suppressions, rule.id, at, r.resource) : undefined;
  if (justification !== undefined) finding.suppression = { justification };
  return finding;
}

/**
 * One rule's context over one document. `report` is a method of this class rather than a closure made per rule and
 * document: V8 keeps a closure's optimised code only while a closure of it is alive (bench/RESULTS.md, fifth session).
 */
class RuleRun implements RuleContext {
  constructor(
    private readonly rule: Rule,
    private readonly level: Severity,
    private readonly run: RunState,
    readonly resources: ResourceSet,
    readonly graph: NetworkGraph,
    readonly vms: readonly VmResult[],
    readonly settings: RuleSettings,
  ) {}

  report(r: Report, help?: string): void {
    const rule = this.rule;
    const run = this.run;
    const message = messageOf(rule, r.messageId, r.data);
    const key = `${rule.id}\u0000${r.at.file}\u0000${r.at.pointer}\u0000${r.at.offset ?? ''}\u0000${message}`;
    if (run.seen.has(key)) return;
    run.seen.add(key);
    // The inventory is reference data, not linted: a finding located in it counts only when it is about a VM of the
    // templates (a path decided by an inventory NAT gateway), not about an inventory resource on its own.
    if (run.inventory?.docs.has(r.at.file) && !(r.resource !== undefined && run.vmNames.has(r.resource))) return;
    const at = placed(run.docs, r.at);
    // A translated resource's finding is worded as its source writes it (Terraform attributes, not ARM properties).
    const doc = r.at.offset === undefined ? run.docs.get(r.at.file) : undefined;
    if (doc?.reword !== undefined) {
      const words = doc.reword(r.at.pointer, message);
      run.findings.push(findingOf(rule, this.level, r, words, at, locate(run.docs, at), run.suppressions, doc.reword(r.at.pointer, helpOf(rule, r, help))));
      return;
    }
    run.findings.push(findingOf(rule, this.level, r, message, at, locate(run.docs, at), run.suppressions, help));
  }
}

/** The level a rule runs at: the configured one, else its default. */
export function levelOf(rule: Rule, levels: Readonly<Record<string, RuleLevel>>): RuleLevel {
  return levels[rule.id] ?? rule.severity;
}

export interface DocumentRun {
  readonly resources: ResourceSet;
  readonly graph: NetworkGraph;
  readonly vms: readonly VmResult[];
  /** The documents positions are read from (the resource set's, the parameter file, the inventory files). */
  readonly docs: ReadonlyMap<string, TemplateDoc>;
  /** Problems found before the rules ran (the front-end's, the parameter file's): reported by the engine's diagnostics. */
  readonly problems: readonly RawFinding[];
  readonly inventory?: Inventory;
}

/** Runs the document rules and reports the diagnostics of one document; findings sorted, suppressions returned. */
export function runDocumentRules(run: DocumentRun, rules: readonly Rule[], levels: Readonly<Record<string, RuleLevel>> = {}, settings: RuleSettings = {}): { findings: Finding[]; suppressions: Suppression[] } {
  const invalid: RawFinding[] = [];
  const suppressions = readSuppressions(run.resources, invalid);
  const vmNames = new Set<string>();
  for (const v of run.graph.vms) vmNames.add(v.name);
  const state: RunState = { docs: run.docs, findings: [], seen: new Set(), suppressions, inventory: run.inventory, vmNames };
  for (const rule of rules) {
    const level = levelOf(rule, levels);
    if (level === 'off' || rule.phase === 'session') continue;
    const ctx = new RuleRun(rule, level, state, run.resources, run.graph, run.vms, settings);
    if (rule.phase === 'engine') {
      for (const list of [run.problems, run.resources.findings, run.graph.problems]) {
        for (const f of list) {
          if (f.ruleId === rule.id) ctx.report({ messageId: 'default', data: { message: f.message }, at: f.at, ...(f.resource !== undefined ? { resource: f.resource } : {}) }, f.help);
        }
      }
    } else rule.check(ctx);
  }
  // A malformed suppression is a template problem even when template-invalid is turned off: it would silently not suppress.
  const templateInvalid = rules.find((r) => r.id === 'template-invalid');
  for (const f of invalid) {
    const level = levels['template-invalid'];
    const severity: Severity = level === undefined || level === 'off' ? 'error' : level;
    state.findings.push({ ruleId: 'template-invalid', messageId: 'default', data: { message: f.message }, severity, message: f.message, help: f.help ?? templateInvalid?.help ?? '', file: f.at.file, pointer: f.at.pointer, ...locate(run.docs, f.at) });
  }
  state.findings.sort(compareFindings);
  return { findings: state.findings, suppressions };
}

/**
 * The session phase: every session rule once over all the documents' reports. A finding about a VM goes to the
 * document that declares it; one elsewhere (an entry of the lock file whose template is gone) to a result of its
 * own for that file, positioned in `docs` (the session's own documents) when it is there.
 */
export function runSessionRules(results: readonly LintResult[], rules: readonly Rule[], levels: Readonly<Record<string, RuleLevel>> = {}, settings: RuleSettings = {}, docs: ReadonlyMap<string, TemplateDoc> = new Map()): LintResult[] {
  const added = new Map<string, Finding[]>();
  const byFile = new Map<string, LintResult>();
  for (const r of results) if (!byFile.has(r.file)) byFile.set(r.file, r);
  for (const rule of rules) {
    if (rule.phase !== 'session') continue;
    const level = levelOf(rule, levels);
    if (level === 'off') continue;
    const seen = new Set<string>();
    rule.check({
      results,
      settings,
      report(r: SessionReport) {
        const at = r.vm ? { file: r.vm.file, pointer: r.vm.pointer } : (r.at ?? { file: '', pointer: '' });
        const pos: Range = r.vm ? { line: r.vm.line, column: r.vm.column, endLine: r.vm.line, endColumn: r.vm.column } : locate(docs, at);
        const message = messageOf(rule, r.messageId, r.data);
        const key = `${rule.id}\u0000${at.file}\u0000${at.pointer}\u0000${message}`;
        if (seen.has(key)) return;
        seen.add(key);
        const finding = findingOf(rule, level, r, message, at, pos, byFile.get(at.file)?.suppressions ?? []);
        const list = added.get(at.file);
        if (list) list.push(finding);
        else added.set(at.file, [finding]);
      },
    });
  }
  if (added.size === 0) return [...results];
  const out = results.map((r) => {
    const extra = added.get(r.file);
    return extra ? Object.assign({}, r, { findings: [...r.findings, ...extra].sort(compareFindings) }) : r;
  });
  for (const file of [...added.keys()].sort()) {
    if (byFile.has(file)) continue;
    out.push({ file, vms: [], findings: added.get(file)!.sort(compareFindings), deployment: emptyDeployment(file) });
  }
  return out;
}
