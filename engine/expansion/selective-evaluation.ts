// Lint's selective evaluation: only the bodies the network graph reads (and what they refer to) are evaluated, a
// VM's settings that do not decide egress wait until reference() asks, and the rest goes to the check-only pass.
// Must not import expansion.ts or nested-deployments.ts at run time.
import { pointerJoin } from '../template/template.js';
import type { Value, ValueObject } from '../expressions/value.js';
import { Unknown, isObject, newObject } from '../expressions/value.js';
import type { BodySelection } from './types.js';
import { checkBody, checkDeclarations, checkDeep } from './check-only.js';
import type { Expansion } from './expansion.js';
import { CapReached } from './limits.js';
import type { DeclaredResource } from './resource-declarations.js';
import type { TemplateRun } from './template-run.js';

/** A member of a VM's properties that lint left unevaluated: where it sits in the body, and its declaration. */
export interface SkippedMember {
  readonly into: Record<string, Value>;
  readonly key: string;
  readonly decl: Value;
  readonly pointer: string;
}

/** What stands in, in a selective evaluation, for a member of properties nothing reads (checked, not evaluated). */
const NOT_NEEDED = new Unknown('skipped', 'not evaluated by lint: this setting does not decide egress');

/** What stands in for the properties of a graph resource that expansion stopped before evaluating. */
const NOT_EVALUATED = new Unknown('limit', 'expansion stopped at a safety cap before this resource was evaluated');

/** Whether a selective evaluation evaluates this resource's body: a selected type, or a nested deployment (it holds more resources). */
export function isSelected(selection: BodySelection, r: DeclaredResource): boolean {
  return r.typeKey === 'microsoft.resources/deployments' || selection.types.has(r.typeKey);
}

/** Evaluates the selected bodies and checks everything else: parameters, variables and outputs of every template instance included. */
export function evaluateSelection(expansion: Expansion, selection: BodySelection): void {
  // Lint needs the bodies the network graph reads (and whatever they refer to, evaluated on demand); the
  // rest is checked without evaluation.
  for (const r of expansion.resources) if (!r.existing && isSelected(selection, r)) expansion.body(r);
  for (const r of expansion.resources) {
    if (r.existing || (r.copyIndex !== undefined && r.copyIndex > 0)) continue;
    if (!r.body) checkBody(r);
    else if (r.skipped) for (const m of r.skipped) checkDeep(r.host.run, m.decl, m.pointer);
  }
  for (let i = 0; i < expansion.runs.length; i++) checkDeclarations(expansion.runs[i]);
}

/**
 * A selective evaluation's `properties` of a type read in part (a VM's or scale set's: the network profile,
 * availability set, scale set, orchestration mode): the members not read (the OS, storage, diagnostics and hardware
 * profiles, none of which decides egress) are checked like bodies nothing reads, and evaluated only if reference()
 * asks for the resource.
 */
export function partialProperties(res: DeclaredResource, run: TemplateRun, key: string, members: ReadonlyMap<string, true | ReadonlySet<string>>): Value {
  const decl = res.decl[key];
  const pointer = pointerJoin(res.at.pointer, key);
  if (!isObject(decl) || hasGeneratedKeys(decl)) return run.evalDeep(decl, res.host, pointer);
  const skipped: SkippedMember[] = [];
  const out = selectMembers(res, run, decl, pointer, members, skipped);
  if (skipped.length > 0) res.skipped = skipped;
  return out;
}

/** partialProperties' walk (a function, not a closure made per resource: see TemplateRun.declares). */
function selectMembers(res: DeclaredResource, run: TemplateRun, from: ValueObject, at: string, members: ReadonlyMap<string, true | ReadonlySet<string>> | ReadonlySet<string>, skipped: SkippedMember[]): ValueObject {
  const out = newObject();
  for (const k in from) {
    const lower = k.toLowerCase();
    const v = from[k];
    const read = members instanceof Map ? members.get(lower) : members.has(lower) || undefined;
    if (read === true) out[k] = run.evalDeep(v, res.host, pointerJoin(at, k));
    else if (read !== undefined && isObject(v) && !hasGeneratedKeys(v)) out[k] = selectMembers(res, run, v, pointerJoin(at, k), read, skipped);
    else {
      out[k] = NOT_NEEDED;
      skipped.push({ into: out, key: k, decl: v, pointer: pointerJoin(at, k) });
    }
  }
  return out;
}

/** True when an object's members are generated (a property copy loop) or named by expressions: evaluate it whole. */
function hasGeneratedKeys(o: ValueObject): boolean {
  for (const k in o) if (k.charCodeAt(0) === 91 || (k.length === 4 && k.toLowerCase() === 'copy')) return true;
  return false;
}

/**
 * The body of a resource that was not evaluated: what identifies it, and its metadata (suppressions). A resource
 * the network graph reads gets unknown `properties` and `sku`: that happens only when a safety cap stopped the
 * expansion, and the graph must then say unknown rather than read schema defaults from an empty body.
 */
export function partialBody(expansion: Expansion, r: DeclaredResource): ValueObject {
  const out = newObject();
  out.name = r.name;
  out.type = r.type;
  out.apiVersion = r.apiVersion;
  if (expansion.selection === undefined || isSelected(expansion.selection, r)) {
    out.properties = NOT_EVALUATED;
    out.sku = NOT_EVALUATED;
  }
  const key = Object.keys(r.decl).find((k) => k.toLowerCase() === 'metadata');
  try {
    if (key !== undefined) out[key] = r.host.run.evalDeep(r.decl[key], r.host, pointerJoin(r.at.pointer, key));
  } catch (e) {
    if (!(e instanceof CapReached)) throw e;
  }
  return out;
}
