// Nested and linked deployments: a deployment resource's template (inline, or read by relativePath through the link
// resolver) becomes a TemplateRun of its own, with its expression scope, target scope and parameters. Must not
// import expansion.ts at run time.
import type { TemplateDoc } from '../template/template.js';
import { pointerJoin } from '../template/template.js';
import type { Scope } from '../expressions/scope.js';
import type { Value, ValueObject } from '../expressions/value.js';
import { Unknown, getProp, isObject, newObject } from '../expressions/value.js';
import { hasPlaceholder, showPlaceholders } from '../expressions/placeholder.js';
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
  // The deployment's resourceGroup / subscriptionId retarget the resources inside it.
  const body = expansion.body(res);
  const rg = getProp(body, 'resourceGroup');
  const sub = getProp(body, 'subscriptionId');
  const target: Scope = Object.assign({}, run.targetScope, {
    resourceGroup: typeof rg === 'string' ? rg : run.targetScope.resourceGroup,
    subscriptionId: typeof sub === 'string' ? sub : run.targetScope.subscriptionId,
  });
  const scopeKey = rg instanceof Unknown || sub instanceof Unknown ? undefined : scopeKeyOf(target, rg !== undefined);
  let doc = run.doc;
  let base = pointerJoin(pointerJoin(res.at.pointer, 'properties'), 'template');
  let template = getProp(props, 'template');
  const link = getProp(props, 'templateLink');
  if (!isObject(template) && isObject(link)) {
    const linked = linkedTemplate(expansion, res, link, scopeKey);
    if (linked === undefined) return;
    doc = linked;
    base = '';
    template = linked.value as ValueObject;
  }
  if (!isObject(template)) {
    if (template !== undefined) expansion.report('template-invalid', 'A nested deployment template must be an object.', res.at, res.name);
    else unresolved(expansion, res, 'the deployment has no template', scopeKey);
    return;
  }
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

/** Records a deployment whose resources cannot be read, with the scope they would be deployed to. */
function unresolved(expansion: Expansion, res: DeclaredResource, reason: string, scopeKey: string | undefined, link?: string): void {
  expansion.unresolved.push(Object.assign({ name: res.name, at: res.at, reason }, scopeKey !== undefined ? { scopeKey } : {}, link !== undefined ? { link } : {}));
}

/**
 * Where a deployment's resources go, as the lower-case start of their ids; undefined when that is not known (a
 * placeholder in it: two placeholders may be the same resource group) or is above a subscription.
 */
function scopeKeyOf(target: Scope, toResourceGroup: boolean): string | undefined {
  if (hasPlaceholder(target.subscriptionId) || hasPlaceholder(target.resourceGroup)) return undefined;
  if (target.level === 'resourceGroup' || toResourceGroup) return `/subscriptions/${target.subscriptionId}/resourcegroups/${target.resourceGroup}`.toLowerCase();
  if (target.level === 'subscription') return `/subscriptions/${target.subscriptionId}`.toLowerCase();
  return undefined;
}

/**
 * The template a `templateLink` names (`relativePath`, or a `uri` that names a local file: one built from
 * deployment().properties.templateLink.uri or `_artifactsLocation`, or one the configuration's `links` maps),
 * read through the link resolver. Undefined (the deployment recorded as unresolved, so every path it could change
 * is unknown) when it cannot be read: a URL, a template spec, a missing file, a link known only at deployment.
 */
function linkedTemplate(expansion: Expansion, res: DeclaredResource, link: ValueObject, scopeKey: string | undefined): TemplateDoc | undefined {
  const run = res.host.run;
  const linkPointer = pointerJoin(pointerJoin(res.at.pointer, 'properties'), 'templateLink');
  const specId = getProp(link, 'id');
  const key = getProp(link, 'relativePath') !== undefined ? 'relativePath' : getProp(link, 'uri') !== undefined ? 'uri' : undefined;
  if (key === undefined) {
    // A template spec version: stored in Azure, never read here.
    const id = typeof specId === 'string' ? run.evalAt(specId, res.host, pointerJoin(linkPointer, 'id')) : undefined;
    const shown = typeof id === 'string' ? showPlaceholders(id) : 'a template spec';
    unresolved(expansion, res, `the template spec ${typeof id === 'string' ? `'${shown}' ` : ''}is stored in Azure, which egress-lint never reads`, scopeKey, shown);
    return undefined;
  }
  const pointer = pointerJoin(linkPointer, key);
  const raw = getProp(link, key);
  const value = typeof raw === 'string' ? run.evalAt(raw, res.host, pointer) : raw;
  if (typeof value !== 'string' || hasPlaceholder(value)) {
    const why = value instanceof Unknown ? value.origin : typeof value === 'string' ? `'${showPlaceholders(value)}' is known only at deployment` : 'it is not a string';
    unresolved(expansion, res, `the link of deployment '${showPlaceholders(res.name)}' (${why})`, scopeKey, typeof value === 'string' ? showPlaceholders(value) : undefined);
    return undefined;
  }
  const links = expansion.options.links;
  const shown = links?.show?.(value) ?? value;
  if (!links) {
    unresolved(expansion, res, `the linked template '${shown}' (no file access here)`, scopeKey, shown);
    return undefined;
  }
  const loaded = links.read(key === 'uri' ? { uri: value } : { relativePath: value }, run.doc.file);
  if ('error' in loaded) {
    // A local file that is missing or outside the project would fail the deployment too; a URL is read at deployment.
    if (!loaded.remote) expansion.report('template-invalid', `The linked template '${shown}' cannot be read: ${loaded.error}.`, run.at(pointer), res.name);
    unresolved(expansion, res, `the linked template '${shown}' is not read (${loaded.error})`, scopeKey, shown);
    return undefined;
  }
  for (const p of loaded.problems) expansion.report('template-invalid', p.message, { file: loaded.file, pointer: '', offset: p.offset });
  for (const p of loaded.duplicates ?? []) expansion.report('template-invalid', p.message, { file: loaded.file, pointer: '', offset: p.offset });
  if (!isObject(loaded.value as Value)) {
    if (loaded.problems.length === 0) expansion.report('template-invalid', 'The file is not an ARM template: its top level must be an object.', { file: loaded.file, pointer: '' });
    unresolved(expansion, res, `the linked template '${shown}' is not a template`, scopeKey, shown);
    return undefined;
  }
  expansion.docs.set(loaded.file, loaded);
  return loaded;
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
