// Compares the resources Azure's engine predicts (a Bicep snapshot) with egress-lint's full expansion of the same
// template and parameters: which resources exist (conditions, copies, nested deployments), their ids, names and
// types, and for the types the network graph reads the members it reads (GRAPH_READS) and the SKU. Every
// difference gets a kind; the kinds where both engines leave a value for deployment time are agreements.
import { GRAPH_READS, Unknown, hasPlaceholder, isObject, showPlaceholders } from '../../engine/index.js';
import type { SourceResource, Value } from '../../engine/index.js';

/** The kinds of difference: stable words, counted in bench/RESULTS.md and keyed in the expectations file. */
export type Kind =
  | 'resource only in Azure'
  | 'resource only in egress-lint'
  | 'egress-lint condition unknown where Azure decides'
  | 'name differs'
  | 'type differs'
  | 'egress-lint unknown where Azure knows'
  | 'egress-lint placeholder where Azure knows'
  | 'egress-lint concrete where Azure leaves it for deployment'
  | 'different value'
  | 'property only in Azure'
  | 'property only in egress-lint'
  | 'array length differs';

/** Agreements in spirit: both engines leave the value for deployment time (Azure an expression, egress-lint an unknown or a placeholder). */
export type Agreement = 'both leave it for deployment';

export interface Difference {
  readonly kind: Kind;
  /** The resource: `type name` (ids are long; a copy's name tells it apart). */
  readonly resource: string;
  /** Where in the resource: `name`, `condition`, or a path under the body (`properties.ipConfigurations[0]...`). */
  readonly path: string;
  readonly azure?: string;
  readonly ours?: string;
}

export interface Comparison {
  readonly azureResources: number;
  readonly ourResources: number;
  readonly matched: number;
  readonly differences: Difference[];
  readonly agreements: number;
  /** egress-lint's resources in nested deployments Azure's engine did not expand (not compared), by the reason it gave. */
  readonly notExpanded: Record<string, number>;
}

/** A nested deployment Azure's engine left unexpanded (its diagnostic NestedDeploymentShortCircuited), and why. */
export interface ShortCircuit {
  readonly name: string;
  readonly reason: string;
}

/** The nested deployments a snapshot's diagnostics say were not expanded, with the reason in a few words. */
export function shortCircuits(diagnostics: readonly string[]): ShortCircuit[] {
  const out: ShortCircuit[] = [];
  for (const d of diagnostics) {
    const m = /^(\S+) Warning NestedDeploymentShortCircuited: .*could not be expanded because (.*)$/s.exec(d);
    if (!m) continue;
    const why = m[2];
    const reason = /template or parameters link|failed to download/.test(why)
      ? 'a linked template (neither engine reads links here)'
      : /outer-mode evaluation and its template contains expressions that could not be evaluated/.test(why)
        ? 'an outer-scope nested template with expressions Azure leaves for deployment'
        : /inner-mode|parameters .*could not be evaluated|could not be evaluated/.test(why)
          ? 'its name, scope or parameters hold expressions Azure leaves for deployment'
          : why.slice(0, 120);
    out.push({ name: m[1].split('/').pop() ?? m[1], reason });
  }
  return out;
}

/** True for a string Azure's engine left unevaluated for deployment time: a whole-string expression. */
export function isExpression(s: unknown): s is string {
  return typeof s === 'string' && s.startsWith('[') && !s.startsWith('[[') && s.endsWith(']');
}

/** True when an egress-lint value holds something known only at deployment: an Unknown or a placeholder. */
function deferred(v: Value | undefined): boolean {
  if (v instanceof Unknown) return true;
  if (typeof v === 'string') return hasPlaceholder(v);
  if (Array.isArray(v)) return v.some((x) => deferred(x));
  if (isObject(v)) return Object.values(v).some((x) => deferred(x));
  return false;
}

const MAX_SHOWN = 4000;

function cut(s: string): string {
  return s.length > MAX_SHOWN ? s.slice(0, MAX_SHOWN - 1) + '…' : s;
}

/** An egress-lint value as text: unknowns as {"$unknown": why}, placeholders in braces. */
export function showOurs(v: Value | undefined): string {
  if (v === undefined) return '(absent)';
  return cut(showPlaceholders(JSON.stringify(v) ?? String(v)));
}

function showAzure(v: unknown): string {
  if (v === undefined) return '(absent)';
  return cut(JSON.stringify(v) ?? String(v));
}

/** True for strings both engines write as resource ids, which compare without case. */
function looksLikeId(s: string): boolean {
  return /^\/(subscriptions|providers|tenants)\//i.test(s);
}

/** The members of `obj` by lower-case key (ARM property names ignore case). */
function byLowerKey(obj: Record<string, unknown>): Map<string, [string, unknown]> {
  const m = new Map<string, [string, unknown]>();
  for (const [k, v] of Object.entries(obj)) m.set(k.toLowerCase(), [k, v]);
  return m;
}

interface Walk {
  readonly resource: string;
  readonly out: Difference[];
  agreements: number;
}

/** Compares one value of Azure's snapshot with egress-lint's at `path`, recording each difference. */
function compareValue(w: Walk, path: string, azure: unknown, ours: Value | undefined): void {
  const add = (kind: Kind): void => {
    w.out.push({ kind, resource: w.resource, path, azure: showAzure(azure), ours: showOurs(ours) });
  };
  if (isExpression(azure)) {
    if (deferred(ours)) w.agreements++;
    else add('egress-lint concrete where Azure leaves it for deployment');
    return;
  }
  if (ours instanceof Unknown) {
    add('egress-lint unknown where Azure knows');
    return;
  }
  if (typeof ours === 'string' && hasPlaceholder(ours)) {
    if (typeof azure === 'string' && /\[|\(/.test(azure)) w.agreements++;
    else add('egress-lint placeholder where Azure knows');
    return;
  }
  if (Array.isArray(azure) && Array.isArray(ours)) {
    if (azure.length !== ours.length) {
      add('array length differs');
      return;
    }
    for (let i = 0; i < azure.length; i++) compareValue(w, `${path}[${i}]`, azure[i], ours[i]);
    return;
  }
  if (azure !== null && typeof azure === 'object' && !Array.isArray(azure) && isObject(ours)) {
    const a = byLowerKey(azure as Record<string, unknown>);
    const o = byLowerKey(ours as Record<string, unknown>);
    for (const [k, [name, av]] of a) {
      const ov = o.get(k);
      const p = path ? `${path}.${name}` : name;
      if (!ov) w.out.push({ kind: 'property only in Azure', resource: w.resource, path: p, azure: showAzure(av) });
      else compareValue(w, p, av, ov[1] as Value);
    }
    for (const [k, [name, ov]] of o) {
      if (!a.has(k)) w.out.push({ kind: 'property only in egress-lint', resource: w.resource, path: path ? `${path}.${name}` : name, ours: showOurs(ov as Value) });
    }
    return;
  }
  if (typeof azure === 'string' && typeof ours === 'string') {
    if (azure === ours || (looksLikeId(azure) && azure.toLowerCase() === ours.toLowerCase())) return;
    add('different value');
    return;
  }
  if (azure === ours) return;
  add('different value');
}

/** Of a value, only the members a selection names (GRAPH_READS' partial properties of a VM, scale set or cluster). */
function select(v: unknown, members: ReadonlyMap<string, true | ReadonlySet<string>> | ReadonlySet<string> | undefined): unknown {
  if (!members || v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Unknown) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const lower = k.toLowerCase();
    if (members instanceof Map) {
      const m = members.get(lower);
      if (m === true) out[k] = x;
      else if (m) out[k] = select(x, m);
    } else if ((members as ReadonlySet<string>).has(lower)) out[k] = x;
  }
  return out;
}

/** The part of a body the comparison reads: for a graph type, its SKU and the properties the graph reads; else nothing. */
function readPart(type: string, body: Record<string, unknown>): Record<string, unknown> | undefined {
  const t = type.toLowerCase();
  if (!GRAPH_READS.types.has(t)) return undefined;
  const out: Record<string, unknown> = {};
  const b = byLowerKey(body);
  const sku = b.get('sku');
  // A null SKU is left out of a predicted resource (see pick).
  if (sku && sku[1] !== null) out[sku[0]] = sku[1];
  const props = b.get('properties');
  if (props) out[props[0]] = select(props[1], GRAPH_READS.partialProperties.get(t));
  return out;
}

/** An Azure resource as the comparison sees it. */
interface AzureResource {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly body: Record<string, unknown>;
}

function label(type: string, name: string): string {
  const s = `${type} ${showPlaceholders(name)}`;
  return s.length > 160 ? s.slice(0, 159) + '…' : s;
}

/** The differences between one Azure resource and one of ours with the same id. */
function compareResource(a: AzureResource, o: SourceResource, all: boolean): { differences: Difference[]; agreements: number } {
  const w: Walk = { resource: label(a.type, a.name), out: [], agreements: 0 };
  if (a.name !== o.name && !isExpression(a.name)) w.out.push({ kind: 'name differs', resource: w.resource, path: 'name', azure: a.name, ours: showOurs(o.name) });
  if (a.type !== o.type) w.out.push({ kind: 'type differs', resource: w.resource, path: 'type', azure: a.type, ours: o.type });
  const azureCondition = a.body.condition;
  if (isExpression(azureCondition)) {
    // Azure's engine lists a resource whose condition it cannot evaluate, with the condition left as an expression.
    if (o.condition instanceof Unknown) w.agreements++;
    else w.out.push({ kind: 'egress-lint concrete where Azure leaves it for deployment', resource: w.resource, path: 'condition', azure: azureCondition, ours: 'deployed' });
  } else if (o.condition instanceof Unknown) w.out.push({ kind: 'egress-lint condition unknown where Azure decides', resource: w.resource, path: 'condition', azure: 'deployed', ours: showOurs(o.condition) });
  const ap = all ? pick(a.body) : readPart(a.type, a.body);
  const op = all ? pick(o.body as Record<string, unknown>) : readPart(o.type, o.body as Record<string, unknown>);
  if (ap && op) compareValue(w, '', ap, op as Value);
  return { differences: w.out, agreements: w.agreements };
}

/**
 * A whole body without the members that are not the resource's content (what `--all` compares), and without
 * top-level members that are null: Azure's engine leaves those out of a predicted resource (a `zones` or `plan`
 * that evaluates to null), and so does a deployment.
 */
function pick(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (/^(id|type|name|apiversion|dependson|comments|metadata|condition|copy|existing|scope)$/i.test(k) || v === null) continue;
    out[k] = v;
  }
  return out;
}

/** egress-lint's resources that Azure's snapshot would list: deployed ones, without the nested deployments themselves. */
export function comparedOurs(resources: readonly SourceResource[]): SourceResource[] {
  return resources.filter((r) => !r.existing && r.type.toLowerCase() !== 'microsoft.resources/deployments');
}

/**
 * True when a name or id of ours holds something known only at deployment: a placeholder, or the `{why}` the
 * expansion writes for a name it could not evaluate (a guid() of a principal id Azure assigns).
 */
function deferredName(r: SourceResource): boolean {
  return deferred(r.name) || deferred(r.id) || /\{[^{}]*\}/.test(r.name);
}

/**
 * Compares a snapshot's predicted resources with egress-lint's. Resources pair by id (without case); an id listed
 * more than once (a resource a later nested deployment updates) pairs each Azure entry with the egress-lint entry
 * of the same id that differs least. A resource whose id Azure's engine left as an expression (a name built from
 * utcNow(), a secure parameter, environment(), a reference()) pairs, in order and by type, with one of ours whose
 * name holds a placeholder or an unknown, or failing that with one of ours of that type that nothing else paired.
 * egress-lint's resources inside a nested deployment the snapshot did not expand are counted, not compared. `all`
 * compares whole bodies instead of what the graph reads.
 */
export function compare(predicted: readonly Record<string, unknown>[], ours: readonly SourceResource[], diagnostics: readonly string[] = [], all = false): Comparison {
  const azure: AzureResource[] = predicted.map((p) => ({ id: String(p.id ?? ''), type: String(p.type ?? ''), name: String(p.name ?? ''), body: p }));
  const skipped = new Map<string, string>();
  for (const c of shortCircuits(diagnostics)) skipped.set(c.name.toLowerCase(), c.reason);
  const notExpanded: Record<string, number> = {};
  const mine: SourceResource[] = [];
  for (const r of comparedOurs(ours)) {
    let reason: string | undefined;
    for (const d of r.deployments) reason ??= skipped.get(d.toLowerCase());
    if (reason) notExpanded[reason] = (notExpanded[reason] ?? 0) + 1;
    else mine.push(r);
  }
  const byKey = new Map<string, SourceResource[]>();
  for (const r of mine) {
    const k = r.key;
    const l = byKey.get(k);
    if (l) l.push(r);
    else byKey.set(k, [r]);
  }
  const differences: Difference[] = [];
  let agreements = 0;
  let matched = 0;
  const used = new Set<SourceResource>();
  const pair = (a: AzureResource, candidates: readonly SourceResource[]): void => {
    let best: { r: SourceResource; c: ReturnType<typeof compareResource> } | undefined;
    for (const r of candidates) {
      const c = compareResource(a, r, all);
      if (!best || c.differences.length < best.c.differences.length) best = { r, c };
      if (c.differences.length === 0) break;
    }
    used.add(best!.r);
    matched++;
    for (const d of best!.c.differences) differences.push(d);
    agreements += best!.c.agreements;
  };
  const unevaluated: AzureResource[] = [];
  for (const a of azure) {
    const candidates = (byKey.get(a.id.toLowerCase()) ?? []).filter((r) => !used.has(r));
    if (candidates.length > 0) pair(a, candidates);
    else if (isExpression(a.id)) unevaluated.push(a);
    else if (isExpression(a.body.condition)) {
      // Azure's engine may deploy it (the condition is left for deployment); egress-lint decided it is not deployed.
      differences.push({ kind: 'egress-lint concrete where Azure leaves it for deployment', resource: label(a.type, a.name), path: 'condition', azure: String(a.body.condition), ours: 'not deployed' });
    } else differences.push({ kind: 'resource only in Azure', resource: label(a.type, a.name), path: 'id', azure: a.id });
  }
  for (const a of unevaluated) {
    const t = a.type.toLowerCase();
    const free = mine.filter((r) => !used.has(r) && r.type.toLowerCase() === t);
    const deferredOnes = free.filter((r) => deferredName(r));
    const candidates = deferredOnes.length > 0 ? deferredOnes.slice(0, 1) : free.slice(0, 1);
    if (candidates.length === 0) {
      differences.push({ kind: 'resource only in Azure', resource: label(a.type, a.name), path: 'id', azure: a.id });
      continue;
    }
    const r = candidates[0];
    if (deferredName(r)) agreements++;
    else differences.push({ kind: 'egress-lint concrete where Azure leaves it for deployment', resource: label(a.type, a.name), path: 'name', azure: a.name, ours: showOurs(r.name) });
    pair(a, candidates);
  }
  for (const r of mine) {
    if (used.has(r)) continue;
    // A resource egress-lint may deploy (its condition unknown) that Azure's engine decided not to deploy.
    if (r.condition instanceof Unknown) differences.push({ kind: 'egress-lint condition unknown where Azure decides', resource: label(r.type, r.name), path: 'condition', azure: 'not deployed', ours: showOurs(r.condition) });
    else differences.push({ kind: 'resource only in egress-lint', resource: label(r.type, r.name), path: 'id', ours: showOurs(r.id) });
  }
  return { azureResources: azure.length, ourResources: mine.length, matched, differences, agreements, notExpanded };
}
