// Nested and linked deployments: a deployment resource's template (inline, or read by relativePath through the link
// resolver) becomes a TemplateRun of its own, with its expression scope, target scope and parameters. Must not
// import expansion.ts at run time.
import type { TemplateDoc } from '../template/template.js';
import { pointerJoin } from '../template/template.js';
import type { Scope } from '../expressions/scope.js';
import type { Value, ValueObject } from '../expressions/value.js';
import { Unknown, getProp, isObject, newObject } from '../expressions/value.js';
import type { Expansion } from './expansion.js';
import type { DeclaredResource } from './resource-declarations.js';
import { registerResources } from './resource-declarations.js';
import { TemplateRun } from './template-run.js';

/** Expands the template of a nested deployment resource (inline or linked by relativePath) once. */
export function expandNested(expansion: Expansion, res: DeclaredResource): void {
  if (res.nestedDone) return;
  res.nestedDone = true;
  const run = res.host.run;
  const props = getProp(res.decl, 'properties');
  if (!isObject(props)) return;
  if (run.depth + 1 > expansion.caps.nestingDepth) {
    expansion.report('limit-exceeded', `Nested deployments go deeper than ${expansion.caps.nestingDepth} levels; the rest was not analysed.`, res.at, res.name);
    expansion.unresolved.push({ name: res.name, at: res.at, reason: 'nesting too deep' });
    return;
  }
  const scope = expressionScopeOf(props);
  let doc = run.doc;
  let base = pointerJoin(pointerJoin(res.at.pointer, 'properties'), 'template');
  let template = getProp(props, 'template');
  const link = getProp(props, 'templateLink');
  if (!isObject(template) && isObject(link)) {
    const linked = linkedTemplate(expansion, res, link);
    if (linked === undefined) return;
    doc = linked;
    base = '';
    template = linked.value as ValueObject;
  }
  if (!isObject(template)) {
    if (template !== undefined) expansion.report('template-invalid', 'A nested deployment template must be an object.', res.at, res.name);
    else expansion.unresolved.push({ name: res.name, at: res.at, reason: 'the deployment has no template' });
    return;
  }
  // The deployment's resourceGroup / subscriptionId retarget the resources inside it.
  const body = expansion.body(res);
  const rg = getProp(body, 'resourceGroup');
  const sub = getProp(body, 'subscriptionId');
  const target: Scope = Object.assign({}, run.targetScope, {
    resourceGroup: typeof rg === 'string' ? rg : run.targetScope.resourceGroup,
    subscriptionId: typeof sub === 'string' ? sub : run.targetScope.subscriptionId,
  });
  // With inner scope the deployment's body holds the parameter entries already evaluated in the parent.
  const provided = new Map<string, Value>();
  const bodyProps = getProp(body, 'properties');
  const params = scope === 'inner' && isObject(bodyProps) ? getProp(bodyProps, 'parameters') : undefined;
  if (isObject(params)) for (const k of Object.keys(params)) provided.set(k.toLowerCase(), parameterEntry(params[k], (v) => v));
  const nested = new TemplateRun(expansion, doc, base, template, target, provided, res.name, [...res.deployments, res.name], run.depth + 1, scope === 'outer' ? res.host : undefined, [...res.order]);
  nested.baseCondition = res.condition;
  nested.repeats = res.host.repeats;
  const paramsLink = getProp(props, 'parametersLink');
  if (scope === 'inner' && isObject(paramsLink)) {
    const uri = getProp(paramsLink, 'uri');
    nested.parametersUnknown = new Unknown('external', `the parameter file ${typeof uri === 'string' ? `'${uri}' ` : ''}is fetched at deployment`);
  } else if (params instanceof Unknown) nested.parametersUnknown = params;
  res.nested = nested;
  expansion.runs.push(nested);
  registerResources(nested);
}

/**
 * The template a `templateLink` names, read through the link resolver; undefined (the deployment recorded as
 * unresolved) when it cannot be read, is no template, or is a URL, which egress-lint never fetches.
 */
function linkedTemplate(expansion: Expansion, res: DeclaredResource, link: ValueObject): TemplateDoc | undefined {
  const run = res.host.run;
  const relPointer = pointerJoin(pointerJoin(pointerJoin(res.at.pointer, 'properties'), 'templateLink'), 'relativePath');
  const rel = getProp(link, 'relativePath');
  const relV = typeof rel === 'string' ? run.evalAt(rel, res.host, relPointer) : undefined;
  if (typeof relV === 'string' && expansion.options.resolveLink) {
    const loaded = expansion.options.resolveLink(relV, run.doc.file);
    if ('error' in loaded) {
      expansion.report('template-invalid', `The linked template '${relV}' cannot be read: ${loaded.error}.`, run.at(relPointer), res.name);
      expansion.unresolved.push({ name: res.name, at: res.at, reason: loaded.error });
      return undefined;
    }
    for (const p of loaded.problems) expansion.report('template-invalid', p.message, { file: loaded.file, pointer: '', offset: p.offset });
    if (!isObject(loaded.value as Value)) {
      if (loaded.problems.length === 0)
        expansion.report('template-invalid', 'The file is not an ARM template: its top level must be an object.', { file: loaded.file, pointer: '' });
      expansion.unresolved.push({ name: res.name, at: res.at, reason: `the linked template '${relV}' is not a template` });
      return undefined;
    }
    expansion.docs.set(loaded.file, loaded);
    return loaded;
  }
  const uri = getProp(link, 'uri') ?? getProp(link, 'id');
  const what = typeof relV === 'string' ? `the linked template '${relV}' (no file access here)` : `the linked template ${typeof uri === 'string' ? `'${uri}'` : ''} is fetched by URL at deployment, which egress-lint never does`;
  expansion.unresolved.push({ name: res.name, at: res.at, reason: what });
  return undefined;
}

/** A deployment's properties, without evaluating the inner template in the outer context. */
export function deploymentProperties(res: DeclaredResource, run: TemplateRun): Value {
  const props = getProp(res.decl, 'properties');
  if (!isObject(props)) return props ?? null;
  const out = newObject();
  for (const k of Object.keys(props)) {
    const lower = k.toLowerCase();
    const pointer = pointerJoin(pointerJoin(res.at.pointer, 'properties'), k);
    if (lower === 'template') out[k] = '(template)';
    else if (lower === 'parameters' && expressionScopeOf(props) === 'outer') out[k] = props[k];
    else out[k] = run.evalDeep(props[k], res.host, pointer);
  }
  return out;
}

/** The expression scope of a nested template; a linked template (templateLink) always has inner scope. */
function expressionScopeOf(props: ValueObject): 'inner' | 'outer' {
  if (!isObject(getProp(props, 'template')) && isObject(getProp(props, 'templateLink'))) return 'inner';
  const eo = getProp(props, 'expressionEvaluationOptions');
  const s = isObject(eo) ? getProp(eo, 'scope') : undefined;
  return typeof s === 'string' && s.toLowerCase() === 'inner' ? 'inner' : 'outer';
}

/** A parameter entry `{ "value": v }` or a Key Vault `{ "reference": {...} }` (unknown offline). */
export function parameterEntry(p: Value, evaluate: (v: Value, key: string) => Value): Value {
  if (!isObject(p)) {
    // Bicep writes a whole entry as one expression: "[if(c, createObject('value', a), createObject('value', b))]".
    const whole = evaluate(p, '');
    if (whole instanceof Unknown) return whole;
    if (!isObject(whole)) return whole;
    return parameterEntry(whole, (v) => v);
  }
  const value = getProp(p, 'value');
  if (value !== undefined) return evaluate(value, 'value');
  const ref = getProp(p, 'reference');
  if (isObject(ref)) {
    const secret = getProp(ref, 'secretName');
    return new Unknown('external', `a Key Vault secret${typeof secret === 'string' ? ` '${secret}'` : ''} read at deployment`);
  }
  return new Unknown('parameter', 'a parameter entry without a value');
}
