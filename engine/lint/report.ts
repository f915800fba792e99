// The report model every output is made from: findings with positions, and each VM's verdict, egress and paths as
// the JSON report of egress-model.md has them. Plain data (what crosses to another thread), plus the helpers that
// place a Location in its document and fill message templates. Imports the engine's lower layers only.
import type { Location, Severity } from '../template/finding.js';
import type { TemplateDoc } from '../template/template.js';
import type { Deployment } from '../expansion/types.js';
import { NetworkGraph } from '../network/graph.js';
import type { EgressIp, PathResult, Verdict, VmResult } from '../network/results.js';
import type { ResourceSet } from '../resources/types.js';
import { showPlaceholders } from '../expressions/placeholder.js';

/** A finding as every formatter sees it: 1-based line and column, severity applied, message interpolated. */
export interface Finding {
  readonly ruleId: string;
  /** The rule's message id and the data it was filled with (what a rule test compares). */
  readonly messageId: string;
  readonly data?: Readonly<Record<string, string | number>>;
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

/**
 * One egress entry of the report: the resolver's identity without its internal fields. `addressNote` (where the address came from when an inventory gave it, or why an
 * inventory that has the resource did not) is for the formatters: the JSON report's entry has the contract's fields
 * only, and says the same in the path's `because`.
 */
export type EgressEntry = Pick<EgressIp, 'name' | 'type' | 'id' | 'via' | 'address' | 'prefix' | 'static'> & { readonly addressNote?: string };

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
  /** Where the VM is declared in `file` (not in the JSON report: findings about the VM point here). */
  readonly pointer: string;
  readonly verdict: Verdict;
  readonly egress: readonly EgressEntry[];
  readonly primaryEgress: readonly EgressEntry[];
  readonly paths: readonly PathReport[];
}

/** A suppression written in a resource's metadata: the rules it silences there, each with its reason. */
export interface Suppression {
  readonly file: string;
  readonly pointer: string;
  /** The deployed name of the resource that carries it. */
  readonly name: string;
  /** Reason by rule id. */
  readonly rules: ReadonlyMap<string, string>;
}

/** What linting one document gives. */
export interface LintResult {
  readonly file: string;
  /** The document was read and expanded, so `vms` is what it deploys (not set when it could not be read). */
  readonly expanded?: true;
  readonly vms: readonly VmReport[];
  readonly findings: readonly Finding[];
  /** The resources the front-end read (the ARM expansion's deployment); reduced to names and places by {@link slimResult}. */
  readonly deployment: Deployment;
  /** The files read through its links (linked templates), in the order read: the report shows them as part of it. */
  readonly linked?: readonly string[];
  /** The suppressions the document's resources declare (the session phase's findings honour them too). */
  readonly suppressions?: readonly Suppression[];
  /** The network graph and the resolved paths behind `vms` (absent when the file could not be read). */
  readonly graph?: NetworkGraph;
  readonly resolved?: readonly VmResult[];
}

type CompiledTemplate = readonly (string | readonly [string, string])[];
/** A message template split at its placeholders: text at even indexes, `[name, placeholder]` at odd ones. */
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
  // Compiled once per template rather than a regex replace with a callback per finding (bench/RESULTS.md).
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

/** A 1-based range: where a finding starts and ends. */
export interface Range {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** Maps a location to 1-based line/column ranges using the loaded documents (1:1 in a document not loaded). */
export function locate(docs: ReadonlyMap<string, TemplateDoc>, at: Location): Range {
  const doc = docs.get(at.file);
  if (!doc) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  const r = at.offset !== undefined ? { offset: at.offset, length: 0 } : doc.range(at.pointer);
  const s = doc.lineColumn(r.offset);
  const e = doc.lineColumn(r.offset + r.length);
  return { line: s.line + 1, column: s.column + 1, endLine: e.line + 1, endColumn: e.column + 1 };
}

/** Where a location is written: a front-end that translated the resource (Terraform) places it back in its source. */
export function placed(docs: ReadonlyMap<string, TemplateDoc>, at: Location): Location {
  const doc = docs.get(at.file);
  return (doc?.place && at.offset === undefined ? doc.place(at.pointer) : undefined) ?? at;
}

/** 1-based line and column where a location starts (no end: for strict JSON that saves scanning the value). */
export function locateStart(docs: ReadonlyMap<string, TemplateDoc>, at: Location): { line: number; column: number } {
  const doc = docs.get(at.file);
  if (!doc) return { line: 1, column: 1 };
  const s = doc.lineColumn(at.offset ?? doc.start(at.pointer));
  return { line: s.line + 1, column: s.column + 1 };
}

/** An egress entry as the report has it, placeholders shown as `{name}`. */
export function egressEntry(e: EgressIp): EgressEntry {
  const entry: EgressEntry = { name: showPlaceholders(e.name), type: e.type, id: e.id === null ? null : showPlaceholders(e.id), via: e.via, address: e.address, prefix: e.prefix, static: e.static };
  return e.addressNote === undefined ? entry : Object.assign(entry, { addressNote: showPlaceholders(e.addressNote) });
}

function shownAll(list: readonly string[]): readonly string[] {
  let out: string[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const s = showPlaceholders(list[i]);
    if (s !== list[i]) (out ??= list.slice())[i] = s;
  }
  return out ?? list;
}

/** A path's reasons in the words of the VM's source (Terraform attributes for a translated VM), placeholders shown. */
function reasons(list: readonly string[], doc: TemplateDoc | undefined, pointer: string): readonly string[] {
  if (doc?.reword === undefined) return shownAll(list);
  const out: string[] = [];
  for (const s of list) out.push(showPlaceholders(doc.reword(pointer, s)));
  return out;
}

/** A resolved VM as the report has it. */
export function vmReport(v: VmResult, docs: ReadonlyMap<string, TemplateDoc>): VmReport {
  const source = v.vm.at.offset === undefined ? docs.get(v.vm.at.file) : undefined;
  const at = placed(docs, v.vm.at);
  const pos = locateStart(docs, at);
  return {
    name: showPlaceholders(v.vm.name),
    type: v.vm.type,
    id: showPlaceholders(v.vm.id),
    file: at.file,
    line: pos.line,
    column: pos.column,
    pointer: at.pointer,
    verdict: v.verdict,
    egress: v.egress.map(egressEntry),
    primaryEgress: v.primaryEgress.map(egressEntry),
    paths: v.paths.map((p) => ({
      nic: showPlaceholders(p.nic),
      ipConfiguration: showPlaceholders(p.ipConfiguration),
      primary: p.primary,
      method: p.method,
      verdict: p.verdict,
      egress: p.egress.map(egressEntry),
      because: reasons(p.because, source, v.vm.at.pointer),
    })),
  };
}

/** Findings in a stable order: file, line, column, rule id, message. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** The resources of a deployment reduced to what formatters and the lock read: identity, place, copy and nesting. */
function slimDeployment(d: Deployment): Deployment {
  const resources = d.resources.map((r) => ({ id: showPlaceholders(r.id), key: r.key, type: r.type, name: showPlaceholders(r.name), at: r.at, existing: r.existing, deployments: r.deployments, ...(r.copyIndex !== undefined ? { copyIndex: r.copyIndex } : {}) }));
  return { file: d.file, resources, outputs: {}, findings: d.findings, unresolved: d.unresolved, stats: d.stats, docs: new Map(), scope: d.scope } as unknown as Deployment;
}

/**
 * A result reduced to the report: findings, VMs, suppressions and a slim deployment; with `keepGraph`, also the
 * graph and resolved paths (the Markdown chart and the allow-list read them). Template texts and evaluated bodies
 * stay behind, so a long run does not hold every template it linted, and a result sent to another thread is small.
 */
export function slimResult(r: LintResult, keepGraph: boolean): LintResult {
  const deployment = slimDeployment(r.deployment);
  const base: LintResult = { file: r.file, vms: r.vms, findings: r.findings, deployment, ...(r.expanded ? { expanded: true as const } : {}), ...(r.linked ? { linked: r.linked } : {}), ...(r.suppressions ? { suppressions: r.suppressions } : {}) };
  if (!keepGraph || !r.graph) return base;
  // Every field of the graph but its deployment (the slim one takes its place).
  const graph = Object.assign(Object.create(NetworkGraph.prototype) as NetworkGraph, r.graph, { deployment });
  return Object.assign(base, { graph }, r.resolved ? { resolved: r.resolved } : {});
}

/**
 * The results without those of templates that another linted template links to: such a template is analysed as
 * part of the deployment that links it (its parameters, its scope), and on its own it would report the same VMs
 * again, most of them unknown for want of what the linking template passes. A template linked only from templates
 * that are themselves linked is dropped too (the outermost one reads it); templates that only link each other in a
 * cycle are all kept.
 */
export function withoutLinkedTemplates<R extends { readonly file: string; readonly linked?: readonly string[] }>(results: readonly R[]): R[] {
  const linkedBy = new Map<string, Set<string>>();
  for (const r of results) for (const f of r.linked ?? []) if (f !== r.file) (linkedBy.get(f) ?? linkedBy.set(f, new Set()).get(f)!).add(r.file);
  if (linkedBy.size === 0) return [...results];
  const dropped = new Set<string>();
  for (const r of results) {
    if (linkedBy.has(r.file)) continue;
    for (const f of r.linked ?? []) if (f !== r.file) dropped.add(f);
  }
  return results.filter((r) => !dropped.has(r.file));
}

/** An empty resource set for a document that could not be read (no graph is built from it). */
export function emptyDeployment(file: string, docs: ReadonlyMap<string, TemplateDoc> = new Map()): Deployment {
  return { file, resources: [], outputs: {}, findings: [], unresolved: [], stats: { evaluated: 0, unknown: {} }, docs, scope: {} } as unknown as Deployment;
}

export type { ResourceSet };
