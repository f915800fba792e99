// Following the `references` of a configuration expression to what they name: a resource instance's attribute
// (through input variables, module calls and their outputs), a root variable's value, or why it cannot be followed.
// The plan lists references as text ("Callers should only use string equality checks here"), each multi-step one
// followed by its shorter prefixes (json-format, expression representation); the longest of each chain says which
// attribute is read. Imports template/ only (through plan.ts).
import type { ConfigModule, Instance, Json, JsonObject, Model, ModuleCall } from './plan.js';
import { configOf, isJsonObject, keyText, member, moduleSteps, parentModule, readKey, resourceKey } from './plan.js';

export type Step = string | number;

/** A reference parsed: what it names at its root, and the steps after that. */
export interface Reference {
  readonly text: string;
  readonly root: 'resource' | 'data' | 'var' | 'local' | 'module' | 'helper';
  /** The resource type (resource and data roots). */
  readonly type: string;
  /** The resource, variable, local or module call name; for a helper, its whole text (`count.index`). */
  readonly name: string;
  /** The instance key written right after the resource or module call (`pip[0]`, `module.net["a"]`). */
  readonly key: number | string | undefined;
  readonly steps: readonly Step[];
}

/** What an expression leads to. */
export type Target =
  | { readonly kind: 'attr'; readonly inst: Instance; readonly path: readonly Step[]; readonly candidate?: true }
  | { readonly kind: 'value'; readonly value: Json; readonly from: string }
  | { readonly kind: 'none'; readonly why: string };

/** Where an expression is evaluated: a module instance, and the `count.index` / `each.key` of what holds it. */
export interface Scope {
  readonly module: string;
  readonly index: number | string | undefined;
  /** The `for_each` expression of what holds the expression, which `each.value` reads (in `module`). */
  readonly forEach?: JsonObject | undefined;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const HELPERS = new Set(['count', 'each', 'path', 'terraform', 'self']);

/** Parses a reference as the plan prints it (traversalStr: `.name`, `[0]`, `["key"]`); undefined when it is not one. */
export function parseReference(text: string): Reference | undefined {
  const parts: Step[] = [];
  const keyed: boolean[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '[') {
      const k = readKey(text, i);
      if (!k) return undefined;
      parts.push(k.key);
      keyed.push(true);
      i = k.end;
      continue;
    }
    if (parts.length > 0) {
      if (text[i] !== '.') return undefined;
      i++;
    }
    IDENT.lastIndex = i;
    const m = IDENT.exec(text);
    if (!m) return undefined;
    parts.push(m[0]);
    keyed.push(false);
    i += m[0].length;
  }
  const first = parts[0];
  if (typeof first !== 'string') return undefined;
  const named = (n: number): { name: string; key: number | string | undefined; rest: Step[] } | undefined => {
    const name = parts[n];
    if (typeof name !== 'string' || keyed[n]) return undefined;
    const hasKey = keyed[n + 1] === true;
    return { name, key: hasKey ? parts[n + 1] : undefined, rest: parts.slice(hasKey ? n + 2 : n + 1) };
  };
  if (HELPERS.has(first)) return { text, root: 'helper', type: '', name: text, key: undefined, steps: [] };
  if (first === 'var' || first === 'local') {
    const n = named(1);
    // A variable or local has no instance key: what follows in brackets indexes its value.
    return n ? { text, root: first, type: '', name: n.name, key: undefined, steps: parts.slice(2) } : undefined;
  }
  if (first === 'module') {
    const n = named(1);
    return n ? { text, root: 'module', type: '', name: n.name, key: n.key, steps: n.rest } : undefined;
  }
  if (first === 'data') {
    const type = parts[1];
    const n = named(2);
    return typeof type === 'string' && n ? { text, root: 'data', type, name: n.name, key: n.key, steps: n.rest } : undefined;
  }
  const n = named(1);
  return n ? { text, root: 'resource', type: first, name: n.name, key: n.key, steps: n.rest } : undefined;
}

/**
 * The references of an expression, one per use, in the order written. Terraform lists each use as a chain, longest
 * first, each following string a prefix of the one before (`a.b[0].id`, `a.b[0]`, `a.b`); a string that is not a
 * prefix of the one before starts the next use (`a.b`, `count.index` for `a.b[count.index]`).
 */
export function leafReferences(refs: readonly string[]): string[] {
  const out: string[] = [];
  let prev = '';
  for (const r of refs) {
    const continues = prev !== '' && r.length < prev.length && prev.startsWith(r) && (prev[r.length] === '.' || prev[r.length] === '[');
    if (!continues) out.push(r);
    prev = r;
  }
  return out;
}

/** A step path as Terraform writes it (`ip_configuration[0].subnet_id`). */
export function pathText(path: readonly Step[]): string {
  let out = '';
  for (const s of path) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
}

/** An expression's references, parsed: the uses to follow, the count/each helpers, the each.value uses. */
interface Uses {
  readonly parsed: readonly Reference[];
  readonly helpers: ReadonlySet<string>;
  readonly eachValue: readonly string[];
}

const MAX_DEPTH = 32;
const EACH_KEY: ReadonlySet<string> = new Set(['each.key']);

/** Follows references through one plan's configuration. */
export class References {
  /** Every module instance that holds an instance, itself or below it. */
  private readonly modules = new Set<string>();
  /** Each expression's parsed references (see usesOf); null for an expression without references. */
  private readonly uses = new Map<JsonObject, Uses | null>();
  private readonly configs = new Map<string, ConfigModule | undefined>();
  /** Module calls by module instance (see callOf). */
  private readonly calls = new Map<string, { last: { name: string; key: number | string | undefined }; parent: string; call: ModuleCall | undefined }>();
  /** Instances by key, per resource (see byKey). */
  private readonly keys = new Map<readonly Instance[], Map<number | string, Instance>>();

  constructor(private readonly model: Model) {
    for (const i of model.instances) {
      let m = i.module;
      while (m !== '' && !this.modules.has(m)) {
        this.modules.add(m);
        m = parentModule(m);
      }
    }
  }

  /** What a configuration expression leads to, one target per reference it uses (a constant: its value). */
  resolve(expr: Json | undefined, scope: Scope, depth = 0): Target[] {
    if (!isJsonObject(expr)) return [];
    if (Object.prototype.hasOwnProperty.call(expr, 'constant_value')) return [{ kind: 'value', value: member(expr, 'constant_value') ?? null, from: 'a constant' }];
    const uses = this.usesOf(expr);
    if (!uses) return [];
    const { parsed, helpers, eachValue } = uses;
    const out: Target[] = [];
    for (const p of parsed) for (const t of this.follow(p, helpers, scope, depth)) out.push(t);
    for (const text of eachValue) for (const t of this.eachValue(text, scope, depth)) out.push(t);
    return out;
  }

  /**
   * `each.value…`: the element of the holder's `for_each` collection with the holder's key. When the collection is
   * another resource or module (`for_each = azurerm_subnet.s`), that is its instance with the same key; when it is a
   * map built in the configuration, every resource it reads is a candidate (the caller keeps those of the type it
   * needs), since the plan does not say which key holds which.
   */
  private eachValue(text: string, scope: Scope, depth: number): Target[] {
    if (!scope.forEach) return [{ kind: 'none', why: `it reads ${text}, and what holds it has no for_each the plan's configuration describes` }];
    // The steps after each.value, read as a variable's (`var.x.nat_gateway.id` → nat_gateway, id).
    const steps = parseReference(`var.x${text.slice('each.value'.length)}`)?.steps ?? [];
    const refs = member(scope.forEach, 'references');
    const leaves = leafReferences(Array.isArray(refs) ? refs.filter((r): r is string => typeof r === 'string') : []);
    const only = leaves.length === 1 ? parseReference(leaves[0]) : undefined;
    if (only && (only.root === 'resource' || only.root === 'data') && only.key === undefined && only.steps.length === 0) return extend([this.instanceOf(only, EACH_KEY, scope)], steps);
    const out: Target[] = [];
    for (const t of this.resolve(scope.forEach, { module: scope.module, index: undefined }, depth + 1)) out.push(t.kind === 'attr' ? { kind: 'attr', inst: t.inst, path: t.path, candidate: true } : t);
    return out;
  }

  private follow(ref: Reference, helpers: ReadonlySet<string>, scope: Scope, depth: number): Target[] {
    if (depth > MAX_DEPTH) return [{ kind: 'none', why: `${ref.text} is followed through more than ${MAX_DEPTH} variables and outputs` }];
    switch (ref.root) {
      case 'resource':
      case 'data':
        return [this.instanceOf(ref, helpers, scope)];
      case 'var':
        return this.variable(ref, scope, depth);
      case 'module':
        return this.output(ref, helpers, scope, depth);
      default:
        return [{ kind: 'none', why: `it reads ${ref.text}, a local value, which the plan's configuration does not describe` }];
    }
  }

  /** The instance a resource reference names in `scope`. */
  private instanceOf(ref: Reference, helpers: ReadonlySet<string>, scope: Scope): Target {
    const local = ref.root === 'data' ? `data.${ref.type}.${ref.name}` : `${ref.type}.${ref.name}`;
    const list = this.model.byResource.get(resourceKey(scope.module, local));
    const where = scope.module === '' ? local : `${scope.module}.${local}`;
    if (!list || list.length === 0) return { kind: 'none', why: `it reads ${ref.text}, and ${where} has no instance in the plan` };
    let inst: Instance | undefined;
    if (ref.key !== undefined) inst = this.byKey(list, ref.key);
    else if (list.length === 1) inst = list[0];
    // `pip[count.index]` and `pip[each.key]` in a resource with as many instances: the plan shows the index only as
    // count.index / each.key among the references, so the instance with the referring one's own key is taken.
    else if (typeof scope.index === 'number' && helpers.has('count.index')) inst = this.byKey(list, scope.index);
    else if (typeof scope.index === 'string' && helpers.has('each.key')) inst = this.byKey(list, scope.index);
    if (!inst) return { kind: 'none', why: `it reads ${ref.text}, and the plan does not show which instance of ${where} (${list.map((x) => keyText(x.index) || 'no key').join(', ')}) it names` };
    return { kind: 'attr', inst, path: ref.steps };
  }

  /** `var.x` in a module instance: the argument of its module call, in the calling module; in the root, its value. */
  private variable(ref: Reference, scope: Scope, depth: number): Target[] {
    if (scope.module === '') {
      if (!this.model.variables.has(ref.name)) return [{ kind: 'none', why: `it reads ${ref.text}, which the plan gives no value` }];
      return [{ kind: 'value', value: walk(this.model.variables.get(ref.name) ?? null, ref.steps), from: ref.text }];
    }
    const { last, parent, call } = this.callOf(scope.module);
    const expr = call ? member(call.expressions, ref.name) : undefined;
    if (expr === undefined) {
      const def = call?.module.defaults.get(ref.name);
      return def === undefined ? [{ kind: 'none', why: `it reads ${ref.text}, which module call ${last.name} does not set` }] : [{ kind: 'value', value: walk(def, ref.steps), from: `the default of ${ref.text}` }];
    }
    return extend(this.resolve(expr, { module: parent, index: last.key, forEach: call?.forEach }, depth + 1), ref.steps);
  }

  /** `module.net.subnet_id`: the output's expression in the child module instance. */
  private output(ref: Reference, helpers: ReadonlySet<string>, scope: Scope, depth: number): Target[] {
    const outputName = ref.steps[0];
    if (typeof outputName !== 'string') return [{ kind: 'none', why: `it reads ${ref.text}, a whole module` }];
    const prefix = scope.module === '' ? '' : `${scope.module}.`;
    let key = ref.key;
    if (key === undefined) {
      if (typeof scope.index === 'number' && helpers.has('count.index') && this.hasModule(`${prefix}module.${ref.name}${keyText(scope.index)}`)) key = scope.index;
      else if (typeof scope.index === 'string' && helpers.has('each.key') && this.hasModule(`${prefix}module.${ref.name}${keyText(scope.index)}`)) key = scope.index;
    }
    const child = `${prefix}module.${ref.name}${keyText(key)}`;
    const module: ConfigModule | undefined = this.configOfModule(child);
    const expr = module?.outputs.get(outputName);
    if (!expr) return [{ kind: 'none', why: `it reads ${ref.text}, an output the plan's configuration does not have` }];
    if (!this.hasModule(child)) return [{ kind: 'none', why: `it reads ${ref.text}, and the plan does not show which instance of module ${ref.name} it names` }];
    const rest = ref.steps.slice(1);
    const keyed = this.keyedElement(expr, child, rest);
    if (keyed) return [keyed];
    return extend(this.resolve(expr, { module: child, index: undefined }, depth + 1), rest);
  }

  /**
   * An output that is a map over a resource with for_each or count (`{ for k, s in azurerm_subnet.s : k => s.id }`),
   * read at a key (`module.net.subnet_ids["app"]`): the instance with that key, a candidate (the plan does not show
   * what the map holds of it).
   */
  private keyedElement(expr: JsonObject, module: string, steps: readonly Step[]): Target | undefined {
    if (steps.length === 0) return undefined;
    const refs = member(expr, 'references');
    const leaves = leafReferences(Array.isArray(refs) ? refs.filter((r): r is string => typeof r === 'string') : []);
    const only = leaves.length === 1 ? parseReference(leaves[0]) : undefined;
    if (!only || (only.root !== 'resource' && only.root !== 'data') || only.key !== undefined || only.steps.length !== 0) return undefined;
    const local = only.root === 'data' ? `data.${only.type}.${only.name}` : `${only.type}.${only.name}`;
    const list = this.model.byResource.get(resourceKey(module, local));
    const key = steps[0];
    const inst = list ? this.byKey(list, key) : undefined;
    return inst ? { kind: 'attr', inst, path: steps.slice(1), candidate: true } : undefined;
  }

  /** The configuration of a module instance (looked up once). */
  private configOfModule(module: string): ConfigModule | undefined {
    if (this.configs.has(module)) return this.configs.get(module);
    const m = configOf(this.model.root, module);
    this.configs.set(module, m);
    return m;
  }

  /** The module call of a module instance: its last step, the calling module instance and the call (looked up once). */
  private callOf(module: string): { last: { name: string; key: number | string | undefined }; parent: string; call: ModuleCall | undefined } {
    let hit = this.calls.get(module);
    if (!hit) {
      const steps = moduleSteps(module);
      const last = steps[steps.length - 1];
      const parent = parentModule(module);
      hit = { last, parent, call: configOf(this.model.root, parent)?.calls.get(last.name) };
      this.calls.set(module, hit);
    }
    return hit;
  }

  /** An expression's references, parsed once (the instances of a resource with count or for_each share it). */
  private usesOf(expr: JsonObject): Uses | undefined {
    const hit = this.uses.get(expr);
    if (hit !== undefined) return hit ?? undefined;
    const refs = member(expr, 'references');
    if (!Array.isArray(refs)) {
      this.uses.set(expr, null);
      return undefined;
    }
    const texts: string[] = [];
    for (const r of refs) if (typeof r === 'string') texts.push(r);
    const parsed: Reference[] = [];
    const helpers = new Set<string>();
    const eachValue: string[] = [];
    for (const t of leafReferences(texts)) {
      const p = parseReference(t);
      if (!p) parsed.push({ text: t, root: 'local', type: '', name: t, key: undefined, steps: [] });
      else if (p.root === 'helper' && /^each\.value\b/.test(p.name)) eachValue.push(p.name);
      else if (p.root === 'helper') helpers.add(p.name);
      else parsed.push(p);
    }
    const out: Uses = { parsed, helpers, eachValue };
    this.uses.set(expr, out);
    return out;
  }

  /** The instance of a resource with this count index or for_each key (an index per resource, built on first use). */
  private byKey(list: readonly Instance[], key: number | string): Instance | undefined {
    if (list.length < 8) {
      for (const x of list) if (x.index === key) return x;
      return undefined;
    }
    let index = this.keys.get(list);
    if (!index) {
      index = new Map();
      for (const x of list) if (x.index !== undefined && !index.has(x.index)) index.set(x.index, x);
      this.keys.set(list, index);
    }
    return index.get(key);
  }

  /** True when some instance sits in this module instance or below it. */
  private hasModule(address: string): boolean {
    return this.modules.has(address);
  }
}

/** A value walked by steps (undefined steps give null). */
function walk(v: Json, steps: readonly Step[]): Json {
  let cur: Json | undefined = v;
  for (const s of steps) {
    if (typeof s === 'number') cur = Array.isArray(cur) ? (cur as readonly Json[])[s] : undefined;
    else cur = member(cur, s);
    if (cur === undefined) return null;
  }
  return cur;
}

/**
 * Targets with more steps: one target gets them all; of several (a list), a leading index picks one. A target that
 * already ends at a scalar (`azurerm_nat_gateway.x.id`) was put into an object or list the expression builds
 * (`{ id = azurerm_nat_gateway.x.id }`), which the plan does not break down: it stays as it is, a candidate.
 */
function extend(targets: Target[], steps: readonly Step[]): Target[] {
  if (steps.length === 0) return targets;
  if (targets.length > 1 && typeof steps[0] === 'number') {
    const t = targets[steps[0]];
    return t ? extend([t], steps.slice(1)) : [{ kind: 'none', why: `element ${steps[0]} of a list of ${targets.length}` }];
  }
  const out: Target[] = [];
  for (const t of targets) {
    if (t.kind === 'attr') {
      const last = t.path[t.path.length - 1];
      if (t.candidate || last === 'id' || last === 'name') out.push({ kind: 'attr', inst: t.inst, path: t.path, candidate: true });
      else out.push({ kind: 'attr', inst: t.inst, path: [...t.path, ...steps] });
    } else if (t.kind === 'value') out.push({ kind: 'value', value: walk(t.value, steps), from: t.from });
    else out.push(t);
  }
  return out;
}

export type { JsonObject };
