// The resource declarations of one template instance: each becomes a DeclaredResource per copy (id, type, name,
// condition; the body stays lazy), which reference() finds by name or id. Must not import, at run time,
// template-run.ts or the modules above it.
import type { Location } from '../template/finding.js';
import { pointerJoin } from '../template/template.js';
import { providerPath } from '../expressions/functions/deployment.js';
import type { Value, ValueObject } from '../expressions/value.js';
import { ExpressionError, Unknown, getProp, isObject } from '../expressions/value.js';
import { hasPlaceholder, placeholder, showPlaceholders } from '../expressions/placeholder.js';
import { InstanceHost, copyCount } from './copy-loops.js';
import type { SkippedMember } from './selective-evaluation.js';
import type { TemplateRun } from './template-run.js';
import { scalarText } from './template-values.js';

/** Keys of a resource declaration that are structure, not deployed body. */
export const STRUCTURAL = new Set(['resources', 'copy', 'condition', 'dependson', 'comments', 'existing']);

/** What a child resource declared inside its parent takes from it. */
interface ParentRef {
  readonly type: string;
  readonly name: string;
  /** False when the parent's name depends on an unknown. */
  readonly known: boolean;
}

/** A registered resource while expansion runs; `body` is evaluated lazily because reference() may need it early. */
export class DeclaredResource {
  body: ValueObject | undefined;
  /** Lint's 'egress' mode: the VM settings not evaluated (they do not decide egress), until reference() needs them. */
  skipped: SkippedMember[] | undefined;
  /** The body as reference() shows it (null-valued properties dropped), built on first use. */
  view: ValueObject | undefined;
  evaluating = false;
  nested: TemplateRun | undefined;
  nestedDone = false;
  /** The id and the type in lower case (ARM compares both case-insensitively), computed once. */
  readonly key: string;
  readonly typeKey: string;
  constructor(
    readonly id: string,
    readonly type: string,
    readonly name: string,
    readonly symbolicName: string | undefined,
    readonly apiVersion: string,
    readonly condition: true | Unknown,
    readonly existing: boolean,
    readonly decl: ValueObject,
    readonly at: Location,
    readonly copyIndex: number | undefined,
    readonly order: readonly number[],
    readonly host: InstanceHost,
    readonly deployments: readonly string[],
  ) {
    this.key = id.toLowerCase();
    this.typeKey = type.toLowerCase();
  }
}

/** Registers every resource declaration of a template instance (names, types, conditions; bodies stay lazy). */
export function registerResources(run: TemplateRun): void {
  const resources = getProp(run.template, 'resources');
  const base = pointerJoin(run.base, 'resources');
  if (Array.isArray(resources)) {
    for (let i = 0; i < resources.length; i++) declareResource(run, resources[i], pointerJoin(base, i), undefined, undefined, new InstanceHost(run, []), [...run.order, i]);
  } else if (isObject(resources)) {
    // Resources as an object keyed by symbolic name need languageVersion 2.0
    // (https://learn.microsoft.com/azure/azure-resource-manager/templates/resource-declaration); without it ARM rejects
    // the template. They are still read, so the rest of the report stays useful, but the run fails.
    const lv = getProp(run.template, 'languageVersion');
    if (!(typeof lv === 'string' && /^2\./.test(lv)))
      run.expansion.report('template-invalid', "The template's 'resources' is an object (symbolic names), which needs \"languageVersion\": \"2.0\"; without it Azure rejects the template.", run.at(base));
    const symbols = Object.keys(resources);
    for (let i = 0; i < symbols.length; i++) declareResource(run, resources[symbols[i]], pointerJoin(base, symbols[i]), undefined, symbols[i], new InstanceHost(run, []), [...run.order, i]);
  } else if (resources !== undefined) {
    run.expansion.report('template-invalid', "The template's 'resources' must be an array (or an object with languageVersion 2.0).", run.at(base));
  }
}

function declareResource(run: TemplateRun, decl: Value, pointer: string, parent: ParentRef | undefined, symbolicName: string | undefined, host: InstanceHost, order: number[]): void {
  if (!isObject(decl)) {
    run.expansion.report('template-invalid', 'A resource must be an object.', run.at(pointer));
    return;
  }
  caseConflicts(run, decl, pointer);
  const copy = getProp(decl, 'copy');
  if (isObject(copy)) {
    const nameV = getProp(copy, 'name');
    const loopName = typeof nameV === 'string' ? nameV : '';
    if (loopName === '') run.expansion.report('template-invalid', 'A resource copy loop needs a name.', run.at(pointerJoin(pointer, 'copy')));
    const count = copyCount(run, getProp(copy, 'count') ?? null, host, pointerJoin(pointerJoin(pointer, 'copy'), 'count'));
    if (count instanceof Unknown) {
      const index = new Unknown(count.cause, `copy '${loopName}' index: ${count.origin}`);
      declareInstance(run, decl, pointer, parent, symbolicName, host.with({ name: loopName, index, kind: 'resource', count: 1 }), [...order, 0], undefined);
      return;
    }
    for (let i = 0; i < count; i++) declareInstance(run, decl, pointer, parent, symbolicName, host.with({ name: loopName, index: i, kind: 'resource', count }), [...order, i], i);
    return;
  }
  declareInstance(run, decl, pointer, parent, symbolicName, host, order, undefined);
}

/** One instance of a declaration (one copy of a resource loop), and the children declared inside it. */
function declareInstance(run: TemplateRun, decl: ValueObject, pointer: string, parent: ParentRef | undefined, symbolicName: string | undefined, host: InstanceHost, order: number[], copyIndex: number | undefined): void {
  const expansion = run.expansion;
  const children = getProp(decl, 'resources');
  const hasChildren = Array.isArray(children) && children.length > 0;
  const cond = getProp(decl, 'condition');
  let condition: boolean | Unknown = true;
  if (cond !== undefined) {
    const c = typeof cond === 'string' ? run.evalAt(cond, host, pointer, 'condition') : cond;
    if (c instanceof Unknown) condition = new Unknown(c.cause === 'error' ? 'error' : 'condition', `condition: ${c.origin}`);
    else if (typeof c === 'string' && hasPlaceholder(c)) condition = new Unknown('condition', `condition: '${showPlaceholders(c)}' is known only at deployment`);
    else if (c === false) condition = false;
    else if (c !== true) {
      expansion.report('template-invalid', `A resource condition must be a Boolean, got ${JSON.stringify(c)}.`, run.at(pointerJoin(pointer, 'condition')));
      condition = false;
    }
  }
  // A resource skipped by its condition still matters when it declares children: the condition does not
  // cascade to them (https://learn.microsoft.com/azure/azure-resource-manager/templates/conditional-resource-deployment).
  if (condition === false && !hasChildren) return;
  // Resources inside a nested deployment are deployed only if the deployment is.
  if (condition === true && run.baseCondition instanceof Unknown) condition = run.baseCondition;
  // A copy loop whose count is unknown may deploy no instance at all: its one stand-in is "maybe deployed".
  if (condition === true) {
    const loop = host.copies.find((f) => f.index instanceof Unknown);
    if (loop) condition = new Unknown('condition', `the copy count of '${loop.name}' is unknown (${(loop.index as Unknown).origin.replace(/^copy '[^']*' index: /, '')})`);
  }
  const typeV = run.evalAt(scalarText(getProp(decl, 'type'), ''), host, pointer, 'type');
  const nameRaw = getProp(decl, 'name');
  const nameV = typeof nameRaw === 'string' ? run.evalAt(nameRaw, host, pointer, 'name') : nameRaw;
  if (typeof typeV !== 'string' || typeV === '') {
    expansion.report('template-invalid', 'A resource needs a type.', run.at(pointer));
    return;
  }
  let type = typeV;
  // A labelled Unknown (a member of an object parameter with no value) names the resource by its placeholder.
  const named = nameV instanceof Unknown && nameV.label !== undefined ? placeholder(nameV.label) : nameV;
  let name = typeof named === 'string' ? named : named instanceof Unknown ? `{${named.origin}}` : '';
  const known = typeof named === 'string' && (parent?.known ?? true);
  if (parent) {
    // Child declared inside its parent: the type and name may be relative ("subnets", "subnet1") or full.
    const full = type.includes('/') && type.split('/')[0].includes('.');
    const written = type;
    if (!full) type = `${parent.type}/${type}`;
    const segments = name.split('/').length;
    // Inside its parent a child with the relative type names itself with one segment per segment of that type
    // ('subnets': 'subnet1'; 'blobServices/containers': 'default/logs'), and one with the full type gives the full
    // name: https://learn.microsoft.com/azure/azure-resource-manager/templates/child-resource-name-type.
    // Azure's engine rejects either mix (checked with `bicep snapshot`); the name is still completed to list it.
    const needs = full ? type.split('/').length - 1 : written.split('/').length;
    const original = name;
    if (segments < type.split('/').length - 1) name = `${parent.name}/${name}`;
    // A completed name of the wrong length is reported once, by the full type's check (resourceIdFor).
    if (segments !== needs && name.split('/').length === type.split('/').length - 1 && known && !hasPlaceholder(name))
      expansion.report('template-invalid', `The resource name '${original}' has ${segments} segment(s); a child declared inside its parent with the ${full ? 'full' : 'relative'} type '${written}' needs ${needs}.`, run.at(pointerJoin(pointer, 'name')));
  }
  // A type that is not a resource type ('Microsoft.Network/networkInterfaces ' with its trailing space) matches no
  // resource provider: ARM rejects it, and read as written it would silently match no graph node.
  if (!hasPlaceholder(type) && !validType(type) && !extensible(run, decl))
    expansion.report('template-invalid', `The resource type '${type}' is not a resource type ('Namespace.Provider/type[/childType…]', without spaces or empty segments).`, run.at(pointerJoin(pointer, keyOf(decl, 'type'))));
  if (!name && !(nameV instanceof Unknown)) {
    expansion.report('template-invalid', 'A resource needs a name.', run.at(pointer));
    return;
  }
  if (condition !== false) {
    const apiRaw = getProp(decl, 'apiVersion');
    const apiV = typeof apiRaw === 'string' ? run.evalAt(apiRaw, host, pointer, 'apiVersion') : '';
    const existing = getProp(decl, 'existing') === true;
    const id = resourceIdFor(run, decl, type, name, known, host, pointer);
    const res = new DeclaredResource(id, type, name, symbolicName, typeof apiV === 'string' ? apiV : '', condition, existing, decl, run.at(pointer), copyIndex, order, host, run.chain);
    // ARM rejects a template that deploys one resource twice (conditions that may be false excepted).
    if (condition === true && !existing && known) {
      if (run.deployedKeys.has(res.key)) expansion.report('template-invalid', `The resource '${name}' of type '${type}' is declared more than once.`, run.at(pointer));
      else run.deployedKeys.add(res.key);
    }
    expansion.register(res);
    if (symbolicName !== undefined) push(run.symbolic, symbolicName.toLowerCase(), res);
    push(run.byName, name.toLowerCase(), res);
    run.registered++;
    // ARM counts resources per template, copies included (https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits).
    if (run.registered === expansion.limits.resources + 1)
      expansion.report('limit-exceeded', `The template deploys more than ${expansion.limits.resources} resources (copies included); ARM accepts at most ${expansion.limits.resources}.`, run.at(pointer));
    if (res.typeKey === 'microsoft.resources/deployments' && !existing) expansion.pendingDeployments.push(res);
  }
  if (hasChildren) {
    const parentRef = { type, name, known };
    for (let i = 0; i < children.length; i++) declareResource(run, children[i], pointerJoin(pointerJoin(pointer, 'resources'), i), parentRef, undefined, host, [...order, 100000 + i]);
  }
}

// A provider namespace (letters, digits and dots, with at least one dot: 'Microsoft.Network') and one or more type
// segments: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-providers-and-types.
const RESOURCE_TYPE = /^[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9][A-Za-z0-9-]*)+(?:\/[A-Za-z0-9][A-Za-z0-9_.-]*)+$/;

/** Types already found valid: a template names a few types many times (copy loops), so each is tested once. */
const VALID_TYPES = new Set<string>();

function validType(type: string): boolean {
  if (VALID_TYPES.has(type)) return true;
  if (!RESOURCE_TYPE.test(type)) return false;
  if (VALID_TYPES.size >= 4096) VALID_TYPES.clear();
  VALID_TYPES.add(type);
  return true;
}

/** Resources of a Bicep extension (languageVersion 2.0 'imports'/'extensions') have types of their own form. */
function extensible(run: TemplateRun, decl: ValueObject): boolean {
  return getProp(decl, 'import') !== undefined || getProp(decl, 'extension') !== undefined || getProp(run.template, 'imports') !== undefined || getProp(run.template, 'extensions') !== undefined;
}

/**
 * Two members of a resource declaration whose names differ only in case ('type' and 'Type'): Azure Resource Manager
 * reads member names case-insensitively, so one hides the other, and which one it keeps is not documented.
 */
function caseConflicts(run: TemplateRun, decl: ValueObject, pointer: string): void {
  // Keys of one object are distinct, so when each is a member name spelt as ARM spells it, no two differ in case only.
  let spelt = true;
  for (const k in decl) {
    if (!RESOURCE_MEMBERS.has(k)) {
      spelt = false;
      break;
    }
  }
  if (spelt) return;
  const seen = new Map<string, string>();
  for (const k of Object.keys(decl)) {
    const lower = k.toLowerCase();
    const first = seen.get(lower);
    if (first === undefined) seen.set(lower, k);
    else run.expansion.report('template-invalid', `The resource declares '${first}' and '${k}': Azure reads member names case-insensitively, so one of them is ignored.`, run.at(pointerJoin(pointer, k)));
  }
}

/** A resource declaration's members as ARM's template reference spells them. */
const RESOURCE_MEMBERS: ReadonlySet<string> = new Set(['type', 'apiVersion', 'name', 'location', 'properties', 'dependsOn', 'sku', 'kind', 'tags', 'copy', 'condition', 'comments', 'zones', 'identity', 'plan', 'scope', 'resources', 'managedBy', 'extendedLocation', 'existing', 'import', 'metadata']);

/** The key of `obj` that getProp reads as `key` (they match case-insensitively), for a finding's pointer. */
function keyOf(obj: ValueObject, key: string): string {
  if (Object.prototype.hasOwnProperty.call(obj, key)) return key;
  for (const k of Object.keys(obj)) if (k.toLowerCase() === key) return k;
  return key;
}

/** The normalised id of a declared resource, honouring `scope` (extension resources) and deployment targets. */
function resourceIdFor(run: TemplateRun, decl: ValueObject, type: string, name: string, known: boolean, host: InstanceHost, pointer: string): string {
  let tail: string;
  try {
    tail = providerPath('resource', type, [name]);
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    const types = type.split('/').length - 1;
    // A placeholder may stand for several segments ('vnet1/subnet1'): only a name known in full is wrong.
    if (known && !hasPlaceholder(name))
      run.expansion.report('template-invalid', `The resource name '${name}' has ${name.split('/').length} segment(s); its type '${type}' needs ${types}.`, run.at(pointerJoin(pointer, 'name')));
    tail = `/providers/${type}/${name}`;
  }
  const scopeRaw = getProp(decl, 'scope');
  if (typeof scopeRaw === 'string') {
    const s = run.evalAt(scopeRaw, host, pointer, 'scope');
    if (typeof s === 'string') {
      if (s.startsWith('/')) return `${s}${tail}`;
      // A symbolic name, or a resource-group-relative id such as 'Microsoft.Network/virtualNetworks/vnet1'
      // (what Bicep writes for `scope: vnet` on an extension resource).
      const target = run.symbolic.get(s.toLowerCase());
      if (target?.[0]) return `${target[0].id}${tail}`;
      if (s.split('/')[0].includes('.')) return `/subscriptions/${run.targetScope.subscriptionId}/resourceGroups/${run.targetScope.resourceGroup}/providers/${s}${tail}`;
    }
  }
  const sub = stringProp(run, decl, 'subscriptionId', host, pointer) ?? run.targetScope.subscriptionId;
  const rg = stringProp(run, decl, 'resourceGroup', host, pointer) ?? run.targetScope.resourceGroup;
  const level = run.targetScope.level;
  // A resource group's id has no provider segment: /subscriptions/{sub}/resourceGroups/{name}.
  if (type.toLowerCase() === 'microsoft.resources/resourcegroups') return `/subscriptions/${sub}/resourceGroups/${name}`;
  if (level === 'resourceGroup' || getProp(decl, 'resourceGroup') !== undefined) return `/subscriptions/${sub}/resourceGroups/${rg}${tail}`;
  if (level === 'subscription') return `/subscriptions/${sub}${tail}`;
  if (level === 'managementGroup') return `/providers/Microsoft.Management/managementGroups/${run.targetScope.managementGroup}${tail}`;
  return tail;
}

function stringProp(run: TemplateRun, decl: ValueObject, key: string, host: InstanceHost, pointer: string): string | undefined {
  const raw = getProp(decl, key);
  if (typeof raw !== 'string') return undefined;
  const v = run.evalAt(raw, host, pointer, key);
  return typeof v === 'string' ? v : v instanceof Unknown ? (v.label !== undefined ? placeholder(v.label) : `{${v.origin}}`) : undefined;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** A resource group id written with a provider segment (…/providers/Microsoft.Resources/resourceGroups/{name}) names the group. */
const RG_WITH_PROVIDER = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.resources\/resourcegroups\/([^/]+)$/;

/**
 * The resource a reference() target names: a symbolic name (languageVersion 2.0), a resource id, a name
 * ('vnet1/subnet1'), or a type-qualified name ('Microsoft.Network/publicIPAddresses/pip1'), which older
 * templates pass. Looks in this template first, then (outer expression scope) in the templates around it.
 */
export function findResource(run: TemplateRun, target: string): DeclaredResource | undefined {
  const lower = target.toLowerCase().replace(RG_WITH_PROVIDER, '/subscriptions/$1/resourcegroups/$2');
  if (lower.startsWith('/')) return run.expansion.byKey.get(lower)?.[0];
  return findLocal(run, lower) ?? (run.outerHost ? findResource(run.outerHost.run, lower) : undefined);
}

function findLocal(run: TemplateRun, lower: string): DeclaredResource | undefined {
  if (run.symbolicMode) {
    const sym = run.symbolic.get(lower);
    if (sym && sym.length === 1) return sym[0];
    // One instance of a symbolic copy loop: Bicep writes reference(format('subnets[{0}]', i)).
    const m = /^(.*)\[(\d+)\]$/.exec(lower);
    const loop = m ? run.symbolic.get(m[1]) : undefined;
    if (loop) return loop.find((r) => r.copyIndex === Number(m![2]));
  }
  const named = run.byName.get(lower);
  if (named && named.length >= 1) return named[0];
  const parts = lower.split('/');
  if (parts.length >= 3 && parts[0].includes('.')) {
    // {namespace}/{type}[/{child type}]/{name}[/{child name}]: as many names as types.
    const types = Math.ceil((parts.length - 1) / 2);
    const type = parts.slice(0, 1 + types).join('/');
    const name = parts.slice(1 + types).join('/');
    const hit = run.byName.get(name)?.find((r) => r.typeKey === type);
    if (hit) return hit;
  }
  return undefined;
}
