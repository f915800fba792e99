// The state of one whole expansion, which every template instance (root, nested, linked) shares: the resources and
// their index, findings, caps, bodies evaluated on demand, reference() views, the result. Only expand.ts imports it.
import type { Location, RawFinding } from '../template/finding.js';
import type { TemplateDoc } from '../template/template.js';
import { pointerJoin } from '../template/template.js';
import { markRuntime } from '../expressions/evaluator.js';
import type { Value, ValueObject } from '../expressions/value.js';
import { ExpressionError, Unknown, getProp, isObject, newObject } from '../expressions/value.js';
import type { BodySelection, Deployment, ExpandOptions, SourceResource, ExpansionStats, Limits, SafetyCaps, UnresolvedDeployment } from './types.js';
import { ARM_LIMITS, SAFETY_CAPS } from './types.js';
import { CapReached } from './limits.js';
import { WorkBudget } from '../expressions/budget.js';
import { deploymentProperties, expandNested } from './nested-deployments.js';
import type { DeclaredResource } from './resource-declarations.js';
import { STRUCTURAL } from './resource-declarations.js';
import { evaluateSelection, partialBody, partialProperties } from './selective-evaluation.js';
import type { TemplateRun } from './template-run.js';
import type { VariableGraph } from './variable-graph.js';

/** The whole expansion: every template instance shares one index of resources and one findings list. */
export class Expansion {
  readonly findings: RawFinding[] = [];
  readonly resources: DeclaredResource[] = [];
  readonly byKey = new Map<string, DeclaredResource[]>();
  readonly unresolved: UnresolvedDeployment[] = [];
  readonly stats: ExpansionStats = { evaluated: 0, unknown: {} };
  readonly docs = new Map<string, TemplateDoc>();
  readonly limits: Limits;
  readonly caps: SafetyCaps;
  /** The evaluation work every template instance of this expansion shares (expressions/budget.ts). */
  readonly budget: WorkBudget;
  /** Deployment resources registered and not yet expanded: they expand after their template registered everything. */
  readonly pendingDeployments: DeclaredResource[] = [];
  private reported = new Set<string>();
  private copyItems = 0;
  /** Every template instance, root first, in the order they were created. */
  readonly runs: TemplateRun[] = [];
  /** The variable graph of each template (variable-graph.ts): every instance of a template shares it. */
  readonly variableGraphs = new Map<ValueObject, VariableGraph>();

  /** The bodies a selective evaluation evaluates (lint's); undefined: every body ('all', what `expand` shows). */
  readonly selection: BodySelection | undefined;

  constructor(readonly options: ExpandOptions) {
    this.limits = { ...ARM_LIMITS, ...options.limits };
    this.caps = { ...SAFETY_CAPS, ...options.caps };
    this.budget = new WorkBudget(this.caps.work);
    this.selection = options.evaluate === undefined || options.evaluate === 'all' ? undefined : options.evaluate;
  }

  report(ruleId: string, message: string, at: Location, resource?: string): void {
    const key = `${ruleId}\u0000${at.file}\u0000${at.pointer}\u0000${at.offset ?? ''}\u0000${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.findings.push(resource === undefined ? { ruleId, message, at } : { ruleId, message, at, resource });
  }

  register(res: DeclaredResource): void {
    if (this.resources.length >= this.caps.totalResources) {
      this.report('limit-exceeded', `Expansion stopped after ${this.caps.totalResources} resources (a safety cap).`, res.at);
      throw new CapReached();
    }
    this.resources.push(res);
    const key = res.key;
    const list = this.byKey.get(key);
    if (list) list.push(res);
    else this.byKey.set(key, [res]);
  }

  /** Counts one property, variable or output copy item against the safety cap; stops all work past it. */
  countCopyItem(at: Location): void {
    if (++this.copyItems <= this.caps.copyItems) return;
    this.report('limit-exceeded', `Expansion stopped after ${this.caps.copyItems} copy items (a safety cap).`, at);
    throw new CapReached();
  }

  countEvaluated(v: Value): void {
    this.stats.evaluated++;
    if (v instanceof Unknown) this.stats.unknown[v.cause] = (this.stats.unknown[v.cause] ?? 0) + 1;
  }

  /** A resource's body, evaluated on first use (reference() may ask for it before its turn). */
  body(res: DeclaredResource): ValueObject {
    if (res.body) return res.body;
    if (res.evaluating) throw new ExpressionError(`The resource '${res.name}' refers to itself through reference().`);
    res.evaluating = true;
    try {
      const run = res.host.run;
      const out = newObject();
      const isDeployment = res.typeKey === 'microsoft.resources/deployments';
      let partial: ReadonlyMap<string, true | ReadonlySet<string>> | undefined;
      for (const k of Object.keys(res.decl)) {
        const lower = k.toLowerCase();
        if (STRUCTURAL.has(lower)) continue;
        if (lower === 'name') out[k] = res.name;
        else if (lower === 'type') out[k] = res.type;
        else if (lower === 'apiversion') out[k] = res.apiVersion;
        else if (isDeployment && lower === 'properties') out[k] = deploymentProperties(res, run);
        else if (lower === 'properties' && (partial = this.selection?.partialProperties.get(res.typeKey)) !== undefined) out[k] = partialProperties(res, run, k, partial);
        else out[k] = run.evalDeep(res.decl[k], res.host, pointerJoin(res.at.pointer, k));
      }
      res.body = out;
      // The template syntax writes `properties` as an object of resource-specific settings
      // (https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax#resources); read as absent, a
      // number or string there would pass for the schema defaults.
      const props = getProp(out, 'properties');
      if (props !== undefined && props !== null && !(props instanceof Unknown) && !isObject(props)) {
        const key = Object.keys(out).find((k) => k.toLowerCase() === 'properties') ?? 'properties';
        this.report('template-invalid', `The properties of '${res.name}' must be an object, not ${Array.isArray(props) ? 'an array' : `a ${typeof props}`}.`, { file: res.at.file, pointer: pointerJoin(res.at.pointer, key) }, res.name);
      }
      return out;
    } finally {
      res.evaluating = false;
    }
  }

  /** The body with every member evaluated (what reference() shows): a VM's skipped settings are evaluated now. */
  private completeBody(res: DeclaredResource): ValueObject {
    const body = this.body(res);
    const skipped = res.skipped;
    if (skipped) {
      res.skipped = undefined;
      for (const m of skipped) m.into[m.key] = res.host.run.evalDeep(m.decl, res.host, m.pointer);
    }
    return body;
  }

  referenceOf(res: DeclaredResource, full: boolean): Value {
    if (res.existing)
      return new Unknown('reference', `reference('${res.symbolicName ?? res.name}') is an existing resource outside the analysed files`);
    const isDeployment = res.typeKey === 'microsoft.resources/deployments';
    if (isDeployment) {
      expandNested(this, res);
      if (!res.nested) return new Unknown('external', `the template of deployment '${res.name}' was not analysed`);
      const outputs = res.nested.outputs();
      const props = newObject();
      props.outputs = outputs;
      props.provisioningState = 'Succeeded';
      return markRuntime(full ? ({ properties: props, id: res.id, name: res.name, type: res.type } as ValueObject) : props, `reference('${res.name}')`, res.id, full ? '' : 'properties');
    }
    // ARM leaves properties set to null out of the request, so the deployed resource does not have them: the
    // reference() view drops them, and reading one is the runtime value (e.g. `contains(reference(x), 'p')` is false).
    res.view ??= withoutNulls(this.completeBody(res), 0) as ValueObject;
    const body = res.view;
    const origin = `reference('${res.symbolicName ?? res.name}')`;
    if (full) {
      const o = newObject();
      for (const k of Object.keys(body)) o[k] = body[k];
      o.id = res.id;
      o.name = res.name;
      o.type = res.type;
      o.apiVersion = res.apiVersion;
      return markRuntime(o, origin, res.id, '');
    }
    const props = getProp(body, 'properties');
    if (props instanceof Unknown) return new Unknown(props.cause, `${origin}: ${props.origin}`);
    return markRuntime(isObject(props) ? props : newObject(), origin, res.id, 'properties');
  }

  finish(root: TemplateRun): Deployment {
    // Nested deployments expand after their parent registered everything, so outer reference()s resolve.
    for (let i = 0; i < this.pendingDeployments.length; i++) expandNested(this, this.pendingDeployments[i]);
    if (this.selection !== undefined) {
      evaluateSelection(this, this.selection);
      return this.result(root, newObject());
    }
    for (const r of this.resources) if (!r.existing) this.body(r);
    for (let i = 0; i < this.runs.length; i++) this.runs[i].evaluateDeclarations();
    return this.result(root, root.outputs());
  }

  /** The deployment as far as it was expanded (all of it, unless a safety cap stopped the work). */
  result(root: TemplateRun, outputs: ValueObject): Deployment {
    // Loops, not sort/map callbacks: closures made per call lose their optimised code (see TemplateRun.declares).
    const ordered = [...this.resources].sort(byDeclarationOrder);
    const resources: SourceResource[] = [];
    for (const r of ordered) {
      const partial = !r.body && !r.existing;
      const body = r.body ?? (partial ? partialBody(this, r) : newObject());
      const out: { -readonly [K in keyof SourceResource]: SourceResource[K] } = {
        id: r.id,
        key: r.key,
        type: r.type,
        name: r.name,
        apiVersion: r.apiVersion,
        condition: r.condition,
        existing: r.existing,
        body,
        properties: getProp(body, 'properties') ?? null,
        at: r.at,
        deployments: r.deployments,
      };
      if (r.symbolicName !== undefined) out.symbolicName = r.symbolicName;
      if (r.copyIndex !== undefined) out.copyIndex = r.copyIndex;
      if (partial) out.partial = true;
      resources.push(out);
    }
    return {
      file: root.file,
      resources,
      outputs,
      findings: this.findings,
      unresolved: this.unresolved,
      stats: this.stats,
      docs: this.docs,
      scope: root.targetScope,
    };
  }
}

/** A copy of a value without the object properties whose value is null (arrays keep their length). */
function withoutNulls(v: Value, depth: number): Value {
  if (depth > 64) return v;
  if (Array.isArray(v)) {
    const out = v.slice();
    for (let i = 0; i < out.length; i++) out[i] = withoutNulls(out[i], depth + 1);
    return out;
  }
  if (!isObject(v)) return v;
  const out = newObject();
  for (const k of Object.keys(v)) if (v[k] !== null) out[k] = withoutNulls(v[k], depth + 1);
  return out;
}

function byDeclarationOrder(a: DeclaredResource, b: DeclaredResource): number {
  return compareOrder(a.order, b.order);
}

function compareOrder(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
