// Structure-aware mutations of real templates for the fuzzer (issue 21, item 5): retype, delete, duplicate (a key
// written twice in the text), deepen, share (values that double themselves), and resource-shape damage, aimed with
// priority at the nodes the network graph reads. The oracle that judges their reports is fuzz-oracle.ts. Test-only.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { GRAPH_TYPES } from '../../engine/network/reads.js';
import type { SeedTemplate } from './fuzz.js';
import { REPO, copyOf } from './fuzz.js';

export type Path = readonly (string | number)[];

// ---- what the graph reads ---------------------------------------------------------------------------------------

/**
 * The property names the network readers read, taken from their source (every quoted name in a `prop(…)`,
 * `getProp(…)` or typed-reader call of engine/network/read-*.ts and graph.ts), so the set follows the readers as they
 * change; with, for the typed readers, the JSON types each name is read as (`typed(g, 'number', …, 'capacity')`:
 * capacity is a number; every name on the way to it an object; `arrayAt`/`refListAt` read an array, `refAt` an
 * object). `id` is read by every reference (graph.ts `ref`), `type` by the resource dispatch.
 */
function readKeysFromSource(): { keys: ReadonlySet<string>; shapes: ReadonlyMap<string, ReadonlySet<JsonType>> } {
  const dir = join(REPO, 'engine', 'network');
  const keys = new Set<string>(['type', 'id']);
  const shapes = new Map<string, Set<JsonType>>();
  const shape = (k: string, t: JsonType): void => {
    const set = shapes.get(k);
    if (set) set.add(t);
    else shapes.set(k, new Set([t]));
  };
  for (const f of readdirSync(dir)) {
    if (!/^(read-.*|graph)\.ts$/.test(f)) continue;
    const src = readFileSync(join(dir, f), 'utf8');
    // The typed readers (read-typed.ts `typed`, `arrayAt`; read-values.ts `refAt`, `refListAt`) name the path the same
    // way; `typed`'s first quoted word is the JSON shape it expects, not a property.
    for (const call of src.matchAll(/\b((?:get)?[pP]rop|typed|arrayAt|refAt|refListAt)\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g)) {
      const names = [...call[2].matchAll(/'([A-Za-z0-9_$]+)'/g)].map((k) => k[1]);
      const path = call[1] === 'typed' ? names.slice(1) : names;
      for (const k of path) keys.add(k);
      if (path.length === 0 || /prop/i.test(call[1])) continue;
      for (let i = 0; i < path.length - 1; i++) shape(path[i], 'object');
      const last = call[1] === 'typed' ? SHAPE_TYPES[names[0]] : call[1] === 'refAt' ? 'object' : 'array';
      if (last) shape(path[path.length - 1], last);
    }
  }
  return { keys, shapes };
}
const SHAPE_TYPES: Readonly<Record<string, JsonType | undefined>> = { array: 'array', object: 'object', string: 'string', boolean: 'bool', number: 'number' };
const READ = readKeysFromSource();
export const READ_KEYS: ReadonlySet<string> = READ.keys;
/** The JSON types the typed readers read each property name as (see readKeysFromSource); a name not here: any. */
export const READ_SHAPES: ReadonlyMap<string, ReadonlySet<JsonType>> = READ.shapes;
const GRAPH_TYPE_SET: ReadonlySet<string> = new Set(Object.values(GRAPH_TYPES));
/** The graph types whose `properties.sku` the readers check (read-firewalls.ts, read-gateways.ts `checkSku`). */
const PROPERTIES_SKU_TYPES: ReadonlySet<string> = new Set([GRAPH_TYPES.firewall, GRAPH_TYPES.vnetGateway]);
/**
 * Members of `properties` named as a member the readers read elsewhere, but not read for this type (READ_KEYS goes
 * by name), each found by the long run as a claimed damage that was none: a NIC's own `primary` (Azure sets it:
 * "Whether this is a primary network interface on a virtual machine", a read-only member in the SDKs generated from
 * the REST specification, learn.microsoft.com/dotnet/api/azure.resourcemanager.network.networkinterfacedata.primary; the VM's
 * networkInterfaces[].properties.primary is what the graph reads) and a hub's `addressPrefix` (its
 * own address space; a subnet's addressPrefix is what the graph reads).
 */
const NOT_READ: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  [GRAPH_TYPES.nic, new Set(['primary'])],
  [GRAPH_TYPES.virtualHub, new Set(['addressPrefix'])],
]);

// ---- a value whose text may hold a key twice -------------------------------------------------------------------

/** An object written with its entries in this order, keys possibly repeated (JSON.stringify cannot write that). */
export class Dup {
  constructor(readonly entries: readonly (readonly [string, unknown])[]) {}
}

/** Below this depth serialise writes compact JSON (deepened chains: no quadratic indentation, no deep recursion here). */
const PRETTY_DEPTH = 40;

/** Like JSON.stringify(v, null, 2), writing a Dup's entries as they are (Dups sit above PRETTY_DEPTH: targetsOf). */
export function serialise(v: unknown, indent = ''): string {
  if (indent.length > PRETTY_DEPTH * 2) return JSON.stringify(v) ?? 'null';
  if (v instanceof Dup || (v !== null && typeof v === 'object' && !Array.isArray(v))) {
    const entries = v instanceof Dup ? v.entries : Object.entries(v as object);
    if (entries.length === 0) return '{}';
    const inner = indent + '  ';
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${serialise(x, inner)}`).join(',\n')}\n${indent}}`;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const inner = indent + '  ';
    return `[\n${v.map((x) => `${inner}${serialise(x, inner)}`).join(',\n')}\n${indent}]`;
  }
  return JSON.stringify(v) ?? 'null';
}

// ---- where to mutate --------------------------------------------------------------------------------------------

/** One resource of a template: where it is, and its type as written. */
export interface ResourceAt {
  readonly path: Path;
  readonly type: string;
}

/** Every resource object of the template (top-level `resources`, array or 2.0 object, and nested child resources). */
export function resourcesOf(root: unknown): ResourceAt[] {
  const out: ResourceAt[] = [];
  const visit = (container: unknown, at: Path): void => {
    if (container === null || typeof container !== 'object') return;
    const keys = Array.isArray(container) ? container.map((_, i) => i) : Object.keys(container);
    for (const k of keys) {
      const r = (container as Record<string | number, unknown>)[k];
      if (r === null || typeof r !== 'object' || Array.isArray(r)) continue;
      const type = (r as Record<string, unknown>).type;
      out.push({ path: [...at, k], type: typeof type === 'string' ? type : '' });
      visit((r as Record<string, unknown>).resources, [...at, k, 'resources']);
    }
  };
  if (root !== null && typeof root === 'object') visit((root as Record<string, unknown>).resources, ['resources']);
  return out;
}

/** A node the graph reads: inside a resource of a graph type, every key on the way from the resource in READ_KEYS. */
export interface Target {
  readonly path: Path;
  /** Index into resourcesOf(root). */
  readonly resource: number;
}

/** The nodes the graph reads in a template (at most `limit`), depth-first within each resource of a graph type. */
export function targetsOf(root: unknown, limit = 5000): Target[] {
  const out: Target[] = [];
  const resources = resourcesOf(root);
  for (let ri = 0; ri < resources.length && out.length < limit; ri++) {
    const r = resources[ri];
    if (!GRAPH_TYPE_SET.has(r.type.toLowerCase())) continue;
    const readsPropertiesSku = PROPERTIES_SKU_TYPES.has(r.type.toLowerCase());
    const notRead = NOT_READ.get(r.type.toLowerCase());
    const walk = (v: unknown, at: Path): void => {
      if (out.length >= limit) return;
      if (at.length > PRETTY_DEPTH - 2) return;
      if (at.length > r.path.length) out.push({ path: at, resource: ri });
      if (Array.isArray(v)) for (let i = 0; i < v.length; i++) walk(v[i], [...at, i]);
      else if (v !== null && typeof v === 'object') {
        // `properties.sku` is read (checkSku) only where the type has one; elsewhere (an AKS cluster's, which its
        // schema does not have) it is not read, and the provider does not read it either.
        const inProperties = at.length === r.path.length + 1 && at[at.length - 1] === 'properties';
        for (const k of Object.keys(v)) {
          if (!READ_KEYS.has(k) || (inProperties && ((k === 'sku' && !readsPropertiesSku) || notRead?.has(k)))) continue;
          walk((v as Record<string, unknown>)[k], [...at, k]);
        }
      }
    };
    walk(getAt(root, r.path), r.path);
  }
  return out;
}

export function getAt(root: unknown, path: Path): unknown {
  let cur = root;
  for (const seg of path) cur = cur === null || typeof cur !== 'object' ? undefined : (cur as Record<string | number, unknown>)[seg];
  return cur;
}

/** `root` with the node at `path` replaced by `f(node)`, copying only the containers on the way. */
export function editAt(root: unknown, path: Path, f: (node: unknown) => unknown): unknown {
  if (path.length === 0) return f(root);
  if (root === null || typeof root !== 'object' || root instanceof Dup) return root;
  const out = copyOf(root) as Record<string | number, unknown>;
  out[path[0]] = editAt(out[path[0]], path.slice(1), f);
  return out;
}

// ---- the mutations ----------------------------------------------------------------------------------------------

export type JsonType = 'string' | 'number' | 'bool' | 'null' | 'array' | 'object';
export const JSON_TYPES: readonly JsonType[] = ['string', 'number', 'bool', 'null', 'array', 'object'];

export function typeOf(v: unknown): JsonType {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  return 'object';
}

/** A value of type `t` standing in for `was` (never one ARM could convert back to `was`: "x", not "true"). */
export function valueOfType(t: JsonType, was: unknown): unknown {
  switch (t) {
    case 'string':
      return 'x';
    case 'number':
      return 12;
    case 'bool':
      return true;
    case 'null':
      return null;
    case 'array':
      return [];
    case 'object':
      return typeOf(was) === 'string' ? { id: was } : {};
  }
}

/** Expressions whose value is small as a graph and huge as a tree (issue 21): a builder doubled n times, then a consumer. */
export const SHARE_BUILDERS: readonly string[] = [
  "reduce(range(0, N), createArray(1), lambda('a', 'i', createArray(lambdaVariables('a'), lambdaVariables('a'))))",
  "reduce(range(0, N), createObject('x', 1), lambda('a', 'i', createObject('l', lambdaVariables('a'), 'r', lambdaVariables('a'))))",
  "reduce(range(0, N), createArray(1), lambda('a', 'i', union(createArray(lambdaVariables('a')), createArray(createArray(lambdaVariables('a'))))))",
  "map(range(0, N), lambda('i', map(range(0, N), lambda('j', lambdaVariables('j')))))",
];
export const SHARE_CONSUMERS: readonly string[] = [
  'substring(string(B), 0, 8)',
  "if(equals(B, B), 'a', 'b')",
  "if(contains(B, 5), 'a', 'b')",
  'string(indexOf(B, 5))',
  'string(length(union(B, createArray(2))))',
  'string(length(intersection(B, B)))',
  "string(length(filter(B, lambda('x', equals(lambdaVariables('x'), 5)))))",
  'string(length(json(string(B))))',
];

export type StructMutation =
  /** The node replaced by a value of another JSON type. */
  | { readonly k: 'retype'; readonly at: number; readonly to: JsonType }
  | { readonly k: 'delete'; readonly at: number }
  /** The key written twice in its object: the original and `other` (another type, or the value of a like node elsewhere), `first` says which comes first. */
  | { readonly k: 'duplicate'; readonly at: number; readonly other: number; readonly first: boolean }
  /** The node wrapped `depth` times in arrays or in objects. */
  | { readonly k: 'deepen'; readonly at: number; readonly depth: number; readonly inArray: boolean }
  /** A string node (any node, `anywhere`) replaced by a self-doubling value fed to a structural function. */
  | { readonly k: 'share'; readonly at: number; readonly anywhere: boolean; readonly builder: number; readonly consumer: number; readonly n: number }
  /** Resource-shape damage: `resources` as an object, a type with a trailing space, a resource's id-bearing node as a number. */
  | { readonly k: 'shape'; readonly what: 'resourcesObject' | 'typeSpace' | 'idNumber'; readonly at: number };

export interface StructCase {
  readonly seed: number;
  readonly mutation: StructMutation;
}

export function structCaseArb(seedCount: number, options: { maxShare?: number } = {}): fc.Arbitrary<StructCase> {
  const at = fc.nat();
  const maxShare = options.maxShare ?? 60;
  const mutation = fc.oneof(
    { weight: 4, arbitrary: fc.record({ k: fc.constant('retype' as const), at, to: fc.constantFrom(...JSON_TYPES) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('delete' as const), at }) },
    { weight: 3, arbitrary: fc.record({ k: fc.constant('duplicate' as const), at, other: fc.nat(), first: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('deepen' as const), at, depth: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 3000 })), inArray: fc.boolean() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        k: fc.constant('share' as const),
        at,
        anywhere: fc.boolean(),
        builder: fc.nat({ max: SHARE_BUILDERS.length - 1 }),
        consumer: fc.nat({ max: SHARE_CONSUMERS.length - 1 }),
        n: fc.integer({ min: 1, max: maxShare }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('shape' as const), what: fc.constantFrom('resourcesObject' as const, 'typeSpace' as const, 'idNumber' as const), at }) },
  );
  return fc.record({ seed: fc.nat({ max: Math.max(0, seedCount - 1) }), mutation });
}

/** The expression of a share mutation: the builder doubled `n` times (nested map: over range(0, 3n²) twice: n = 60 is issue 21's 10,000 × 10,000), fed to the consumer. */
export function shareExpression(m: { builder: number; consumer: number; n: number }): string {
  const builder = SHARE_BUILDERS[m.builder % SHARE_BUILDERS.length];
  const n = builder.startsWith('map(') ? 3 * m.n * m.n : m.n;
  return `[${SHARE_CONSUMERS[m.consumer % SHARE_CONSUMERS.length].split('B').join(builder.split('N').join(String(n)))}]`;
}

/** Every string node of a value (at most `limit`). */
function stringNodes(root: unknown, limit = 5000): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, at: Path): void => {
    if (out.length >= limit) return;
    if (typeof v === 'string') out.push(at);
    else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) walk(v[i], [...at, i]);
    else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...at, k]);
  };
  walk(root, []);
  return out;
}

/** What one structural mutation did to a template: the new value, and for the oracle what it damaged. */
export interface Applied {
  readonly value: unknown;
  /** Set when the mutation damaged a node the graph reads in a way Azure would not deploy as meant (see fuzz-oracle.ts). */
  readonly damage?: { readonly resource: number; readonly path: Path; readonly why: string };
  /** What was done, for counterexamples. */
  readonly note: string;
}

/** Whether `v`, written literally, is of a type the readers accept for a name read as `shapes` (read-typed.ts `fits`). */
function fitsShapes(v: unknown, shapes: ReadonlySet<JsonType>): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string' && v.startsWith('[') && !v.startsWith('[[')) return true;
  const t = typeOf(v);
  if (shapes.has(t)) return true;
  if (typeof v === 'string' && shapes.has('number') && /^\s*\d+\s*$/.test(v)) return true;
  return typeof v === 'string' && shapes.has('bool') && /^(true|false)$/i.test(v);
}

/**
 * Whether the node at `path`, or a node on the way to it, is already of a type the readers do not accept in the seed
 * (a fixture of wrong types, reported as template-invalid): a mutation there changes what is already wrong (or fixes
 * it), so it claims no damage.
 */
function alreadyWrong(root: unknown, path: Path): boolean {
  let cur = root;
  for (const seg of path) {
    cur = cur === null || typeof cur !== 'object' ? undefined : (cur as Record<string | number, unknown>)[seg];
    const shapes = typeof seg === 'string' ? READ_SHAPES.get(seg) : undefined;
    if (shapes && !fitsShapes(cur, shapes)) return true;
  }
  return false;
}

const pathText = (p: Path): string => p.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');

/**
 * Applies `m` to `root`. Damage (for the oracle) is claimed only where the template as mutated is one Azure would
 * refuse or read otherwise than the seed: a value of an incompatible type (not null, which ARM reads as absent, and
 * not at a `name`, which only labels), a key written twice with two different values (ARM's parser keeps one of them;
 * which is not documented, so either reading can be wrong), a type that changes, `resources` as an object outside
 * languageVersion 2.0, a type with a trailing space, an id that is a number.
 */
export function applyStruct(root: unknown, m: StructMutation): Applied {
  const targets = targetsOf(root);
  const resources = resourcesOf(root);
  const pick = (at: number): Target | undefined => (targets.length ? targets[at % targets.length] : undefined);
  const named = (t: Target): boolean => t.path[t.path.length - 1] === 'name';
  switch (m.k) {
    case 'retype': {
      const t = pick(m.at);
      if (!t) return { value: root, note: 'retype: no target' };
      const was = getAt(root, t.path);
      const from = typeOf(was);
      const to = m.to === from ? JSON_TYPES[(JSON_TYPES.indexOf(m.to) + 1) % JSON_TYPES.length] : m.to;
      const value = editAt(root, t.path, () => valueOfType(to, was));
      // An expression replaced by a value of a type the readers read that name as is no damage
      // (`"capacity": "[parameters('n')]"` → 12): the expression may give that very type. A literal's own type is the
      // one Azure accepts there, so any other is damage.
      const key = t.path[t.path.length - 1];
      const expression = typeof was === 'string' && was.startsWith('[') && !was.startsWith('[[');
      const shapes = typeof key === 'string' ? READ_SHAPES.get(key) : undefined;
      // A value of the one type the readers read that name as is well typed, whatever the seed wrote there (the
      // string "false" → true): it may mean something else, but it is no wrong type, and the VM need not change.
      const wellTyped = shapes !== undefined && shapes.size === 1 && shapes.has(to);
      const accepted = (expression && shapes?.has(to) === true) || wellTyped;
      const damaging = to !== 'null' && !named(t) && !accepted && !alreadyWrong(root, t.path);
      return { value, note: `retype ${pathText(t.path)} ${from} → ${to}`, ...(damaging ? { damage: { resource: t.resource, path: t.path, why: `${from} retyped as ${to}` } } : {}) };
    }
    case 'delete': {
      const t = pick(m.at);
      if (!t) return { value: root, note: 'delete: no target' };
      const value = editAt(root, t.path.slice(0, -1), (parent) => {
        const out = copyOf(parent) as Record<string | number, unknown>;
        const key = t.path[t.path.length - 1];
        if (Array.isArray(out)) out.splice(key as number, 1);
        else delete out[key];
        return out;
      });
      // A deleted optional property may mean Azure's default: never damage for the oracle.
      return { value, note: `delete ${pathText(t.path)}` };
    }
    case 'duplicate': {
      // Only object keys (the last segment a string); the other value: a like node's value elsewhere, else a retype.
      const keyed = targets.filter((t) => typeof t.path[t.path.length - 1] === 'string');
      if (!keyed.length) return { value: root, note: 'duplicate: no target' };
      const picked = pick(m.at)!;
      const t = typeof picked.path[picked.path.length - 1] === 'string' ? picked : keyed[m.at % keyed.length];
      const key = t.path[t.path.length - 1] as string;
      const was = getAt(root, t.path);
      const like = keyed.filter((u) => u.path[u.path.length - 1] === key && JSON.stringify(getAt(root, u.path)) !== JSON.stringify(was));
      const other = like.length && m.other % 3 !== 0 ? getAt(root, like[m.other % like.length].path) : valueOfType(JSON_TYPES[(JSON_TYPES.indexOf(typeOf(was)) + 1 + (m.other % 5)) % JSON_TYPES.length], was);
      const value = editAt(root, t.path.slice(0, -1), (parent) => {
        const entries: [string, unknown][] = [];
        for (const [k, v] of Object.entries(parent as object)) {
          if (k !== key) entries.push([k, v]);
          else if (m.first) entries.push([k, v], [k, other]);
          else entries.push([k, other], [k, v]);
        }
        return new Dup(entries);
      });
      const differs = JSON.stringify(other) !== JSON.stringify(was);
      return {
        value,
        note: `duplicate ${pathText(t.path)}: ${m.first ? 'original then' : 'then original after'} ${JSON.stringify(other).slice(0, 80)}`,
        ...(differs && !named(t) && !alreadyWrong(root, t.path) ? { damage: { resource: t.resource, path: t.path, why: `key "${key}" written twice with different values` } } : {}),
      };
    }
    case 'deepen': {
      const t = pick(m.at);
      if (!t) return { value: root, note: 'deepen: no target' };
      const was = getAt(root, t.path);
      let v = was;
      for (let i = 0; i < m.depth; i++) v = m.inArray ? [v] : { value: v };
      const value = editAt(root, t.path, () => v);
      const damaging = typeOf(v) !== typeOf(was) && was !== null && !named(t) && !alreadyWrong(root, t.path);
      return { value, note: `deepen ${pathText(t.path)} ${m.depth} × ${m.inArray ? 'array' : 'object'}`, ...(damaging ? { damage: { resource: t.resource, path: t.path, why: `${typeOf(was)} wrapped in ${m.depth} ${m.inArray ? 'arrays' : 'objects'}` } } : {}) };
    }
    case 'share': {
      const strings = m.anywhere ? stringNodes(root) : targets.filter((t) => typeof getAt(root, t.path) === 'string').map((t) => t.path);
      if (!strings.length) return { value: root, note: 'share: no string' };
      const p = strings[m.at % strings.length];
      const expr = shareExpression(m);
      return { value: editAt(root, p, () => expr), note: `share ${pathText(p)} = ${expr}` };
    }
    case 'shape': {
      const lv = root !== null && typeof root === 'object' ? (root as Record<string, unknown>).languageVersion : undefined;
      if (m.what === 'resourcesObject') {
        const list = getAt(root, ['resources']);
        if (!Array.isArray(list) || list.length === 0 || lv !== undefined) return { value: root, note: 'resourcesObject: not applicable' };
        const obj = Object.create(null) as Record<string, unknown>;
        for (let i = 0; i < list.length; i++) obj[`r${i}`] = list[i];
        // Every resource is damaged: the oracle asks that no decided VM stays as it was without a finding.
        return { value: editAt(root, ['resources'], () => obj), note: 'resources written as an object', damage: { resource: -1, path: ['resources'], why: 'resources as an object outside languageVersion 2.0' } };
      }
      const graphResources = resources.map((r, i) => ({ r, i })).filter((x) => GRAPH_TYPE_SET.has(x.r.type.toLowerCase()));
      if (!graphResources.length) return { value: root, note: `${m.what}: no graph resource` };
      const { r, i } = graphResources[m.at % graphResources.length];
      if (m.what === 'typeSpace')
        return { value: editAt(root, [...r.path, 'type'], () => `${r.type} `), note: `type "${r.type} " at ${pathText(r.path)}`, damage: { resource: i, path: [...r.path, 'type'], why: 'a type with a trailing space' } };
      const ids = targets.filter((t) => t.resource === i && t.path[t.path.length - 1] === 'id');
      if (!ids.length) return { value: root, note: 'idNumber: no id' };
      const t = ids[m.at % ids.length];
      return { value: editAt(root, t.path, () => 12), note: `id ${pathText(t.path)} = 12`, damage: { resource: i, path: t.path, why: 'an id that is a number' } };
    }
  }
}

/** The seed with the mutation applied, as text (duplicate keys written out), and what it did. */
export function structText(seeds: readonly SeedTemplate[], c: StructCase): { text: string; applied: Applied } {
  const applied = applyStruct(seeds[c.seed % seeds.length].value, c.mutation);
  return { text: serialise(applied.value), applied };
}

/** The seed with resource `index` removed (and its children with it): for the oracle's relevance test. */
export function withoutResource(root: unknown, index: number): unknown {
  const r = resourcesOf(root)[index];
  if (!r) return root;
  return editAt(root, r.path.slice(0, -1), (parent) => {
    const out = copyOf(parent) as Record<string | number, unknown>;
    const key = r.path[r.path.length - 1];
    if (Array.isArray(out)) out.splice(key as number, 1);
    else delete out[key];
    return out;
  });
}
