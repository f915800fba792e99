// Array and object functions, and the ones ARM shares between strings and arrays (concat, contains, first, take...).
// Behaviour follows https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-array
// and template-functions-object; objects built here are null-prototype so input keys cannot pollute anything.
import type { FnDef } from '../evaluator.js';
import { MAX_VALUE_LENGTH, runtimeMember } from '../evaluator.js';
import type { Value, ValueObject } from '../value.js';
import { Lambda, Unknown, deepEqual, findUnknown, getProp, isObject, newObject, typeName } from '../value.js';
import { arr, fail, int, obj, str } from './args.js';
import type { WorkBudget } from '../budget.js';

/** A fresh Unknown with the same cause and origin (candidates do not survive a function call). */
const again = (u: Unknown): Unknown => new Unknown(u.cause, u.origin);

function firstUnknown(values: readonly Value[]): Unknown | undefined {
  for (const v of values) {
    const u = findUnknown(v);
    if (u) return u;
  }
  return undefined;
}

function isInteger(v: Value | undefined): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function primitiveKey(v: Value): string | undefined {
  if (v === null) return 'null';
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'number') return `n${v}`;
  if (typeof v === 'boolean') return `b${v}`;
  return undefined;
}

/** Membership by deepEqual, with a Set for primitives so union() and intersection() of long lists stay fast. */
class ValueSet {
  private readonly primitives = new Set<string>();
  private readonly composites: Value[] = [];
  constructor(
    private readonly budget: WorkBudget,
    private readonly fname: string,
    values: readonly Value[] = [],
  ) {
    for (const v of values) this.add(v);
  }
  has(v: Value): boolean {
    const key = primitiveKey(v);
    if (key !== undefined) return this.primitives.has(key);
    // Arrays and objects are compared with each one kept: the comparisons are the work, charged before.
    const list = this.composites;
    this.budget.charge(list.length, this.fname);
    for (let i = 0; i < list.length; i++) if (deepEqual(list[i], v)) return true;
    return false;
  }
  add(v: Value): void {
    const key = primitiveKey(v);
    if (key !== undefined) this.primitives.add(key);
    else this.composites.push(v);
  }
}

/** Case-insensitive ordering with ties kept in input order: items() and objectKeys() list keys alphabetically. */
function sortedKeys(o: ValueObject): string[] {
  return Object.keys(o).sort((a, b) => {
    const la = a.toLowerCase();
    const lb = b.toLowerCase();
    return la < lb ? -1 : la > lb ? 1 : 0;
  });
}

/** One UTF-16 unit folded to upper case the way .NET's ordinal-ignore-case compare does (one unit in, one out). */
function fold(c: string): string {
  const u = c.toUpperCase();
  return u.length === 1 ? u : c;
}

/** A string with each unit folded (one unit in, one out, so indexes stay): ASCII at once, the rest unit by unit. */
function foldAll(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s.toUpperCase();
  let out = '';
  for (let i = 0; i < s.length; i++) out += fold(s[i]);
  return out;
}

/** indexOf / lastIndexOf ignoring case, on the folded strings: native search, never a comparison at every position. */
function foldedIndexOf(hay: string, needle: string, last: boolean): number {
  const h = foldAll(hay);
  const n = foldAll(needle);
  return last ? h.lastIndexOf(n) : h.indexOf(n);
}

/**
 * indexOf / lastIndexOf. On strings the comparison ignores case (template-functions-string#indexof); on arrays it is
 * deep equality, case-sensitive for strings (template-functions-array#indexof). An unknown element met before a
 * match makes the answer unknown, since it might be the item.
 */
function indexOf(container: Value, item: Value, last: boolean, n: string): Value {
  if (container instanceof Unknown) return again(container);
  if (typeof container === 'string' && item instanceof Unknown) return again(item);
  if (typeof container === 'string') return foldedIndexOf(container, str(item, n, 1), last);
  if (!Array.isArray(container)) return fail(`The template function '${n}' expects argument 1 to be an Array or a String, got ${typeName(container)}.`);
  const iu = findUnknown(item);
  if (iu) return container.length === 0 ? -1 : again(iu);
  const len = container.length;
  for (let k = 0; k < len; k++) {
    const i = last ? len - 1 - k : k;
    const eu = findUnknown(container[i]);
    if (eu) return again(eu);
    if (deepEqual(container[i], item)) return i;
  }
  return -1;
}

/**
 * The text concat() and contains() use for a scalar: strings as they are, integers in decimal, booleans as .NET
 * prints them ('True'/'False'): quickstart templates concat boolean parameters into scripts and deploy fine.
 */
function scalarText(v: Value, n: string, i: number): string {
  if (typeof v === 'string') return v;
  if (isInteger(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return fail(`The template function '${n}' expects argument ${i + 1} to be a String or an Integer, got ${typeName(v)}.`);
}

function minMax(args: readonly Value[], n: string, pick: (a: number, b: number) => number): Value {
  let result: number | undefined;
  const take = (v: Value, i: number): void => {
    if (!isInteger(v)) fail(`The template function '${n}' expects integers or arrays of integers; argument ${i + 1} holds a value of type ${typeName(v)}.`);
    result = result === undefined ? v : pick(result, v);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (Array.isArray(a)) for (const x of a) take(x, i);
    else take(a, i);
  }
  if (result === undefined) return fail(`The template function '${n}' needs at least one integer.`);
  return result;
}

/** The index a tryGet/tryIndexFromEnd key selects in an array: an integer, or {value, fromEnd} as Bicep emits for `[^n]`. */
function arrayIndex(list: readonly Value[], key: Value, n: string, i: number): number {
  if (isInteger(key)) return key;
  if (isObject(key)) {
    const value = getProp(key, 'value');
    const fromEnd = getProp(key, 'fromEnd');
    if (isInteger(value) && (fromEnd === undefined || typeof fromEnd === 'boolean')) return fromEnd ? list.length - value : value;
  }
  return fail(`The template function '${n}' expects argument ${i + 1} to be an Integer index for an array, got ${typeName(key)}.`);
}

/**
 * Walks `keys` from `base` as tryGet does in Azure's engine (checked with bicep snapshot; Bicep's `a.?b.c`): only
 * the first key is tried, so a first key that is missing, out of range or of the wrong kind gives null; the keys
 * after it are read as a property access is, so a missing one is an error. A null met on the way is the answer.
 * Under a reference()-backed value a missing member is assigned at deployment and so is unknown.
 */
function walk(base: Value, keys: readonly Value[], firstKeyIndex: number, n: string): Value {
  let cur = base;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    const argIndex = firstKeyIndex + k;
    const tried = k === 0;
    if (cur === null) return null;
    if (cur instanceof Unknown) return again(cur);
    if (key instanceof Unknown) return again(key);
    let next: Value | undefined;
    let path: string;
    if (isObject(cur)) {
      if (tried && typeof key !== 'string') return null;
      const name = str(key, n, argIndex);
      next = getProp(cur, name);
      path = `.${name}`;
    } else if (Array.isArray(cur)) {
      if (tried && !isInteger(key) && !isObject(key)) return null;
      const i = arrayIndex(cur, key, n, argIndex);
      next = i >= 0 && i < cur.length ? cur[i] : undefined;
      path = `[${i}]`;
    } else {
      if (tried) return null;
      return fail(`The template function '${n}' cannot look up a key in a value of type ${typeName(cur)}.`);
    }
    next = runtimeMember(cur, next, path);
    if (next === undefined) {
      if (tried) return null;
      return fail(`The template function '${n}' found no ${path.startsWith('[') ? `index ${path.slice(1, -1)} in an array of length ${(cur as readonly Value[]).length}` : `key '${path.slice(1)}'`} (only its first key may be missing).`);
    }
    cur = next;
  }
  return cur;
}

/**
 * Adds `src` to `out` with union() semantics (`deep`): later values win, nested objects merge, keys match
 * case-insensitively and take the later spelling in the earlier one's place, and a later null leaves an object as it
 * is (Azure's engine, checked with bicep snapshot). shallowMerge() (`deep` false) keeps the first spelling and lets a
 * null replace.
 */
function mergeObject(out: Record<string, Value>, src: ValueObject, deep: boolean): void {
  const names = new Map<string, string>();
  for (const k of Object.keys(out)) names.set(k.toLowerCase(), k);
  for (const k of Object.keys(src)) {
    const next = src[k];
    const existing = names.get(k.toLowerCase());
    if (existing === undefined) {
      out[k] = next;
      names.set(k.toLowerCase(), k);
      continue;
    }
    const prev = out[existing];
    let value: Value;
    if (deep && isObject(next) && isObject(prev)) {
      const merged = newObject();
      mergeObject(merged, prev, true);
      mergeObject(merged, next, true);
      value = merged;
    } else if (deep && isObject(next) && prev instanceof Unknown) {
      // Whether the earlier value was an object to merge into is unknown.
      value = again(prev);
    } else if (deep && next === null && isObject(prev)) {
      value = prev;
    } else {
      value = next;
    }
    if (deep && existing !== k) {
      renameKey(out, existing, k, value);
      names.set(k.toLowerCase(), k);
    } else out[existing] = value;
  }
}

/** Replaces key `from` by `to` with `value`, keeping the key's place among the others. */
function renameKey(out: Record<string, Value>, from: string, to: string, value: Value): void {
  const keys = Object.keys(out);
  const values: Value[] = [];
  for (const k of keys) values.push(out[k]);
  for (const k of keys) delete out[k];
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] === from) out[to] = value;
    else out[keys[i]] = values[i];
  }
}

/** union(): arrays keep the first occurrence of each value; objects merge, recursing into nested objects (not arrays). */
function union(args: readonly Value[], n: string, budget: WorkBudget): Value {
  for (const a of args) if (a instanceof Unknown) return again(a);
  // A null argument is refused, as Azure's engine refuses it (bicep snapshot).
  if (args.every((a) => Array.isArray(a))) {
    const u = firstUnknown(args);
    if (u) return again(u);
    const out: Value[] = [];
    const seen = new ValueSet(budget, n);
    for (const list of args as readonly (readonly Value[])[]) {
      for (const x of list) {
        if (seen.has(x)) continue;
        seen.add(x);
        out.push(x);
      }
    }
    return out;
  }
  if (args.every((a) => isObject(a))) {
    const out = newObject();
    for (const o of args as readonly ValueObject[]) mergeObject(out, o, true);
    return out;
  }
  return fail(`The template function '${n}' expects all its arguments to be arrays or all to be objects.`);
}

function intersection(args: readonly Value[], n: string, budget: WorkBudget): Value {
  const u = firstUnknown(args);
  if (u) return again(u);
  if (args.every((a) => Array.isArray(a))) {
    const [head, ...rest] = args as readonly (readonly Value[])[];
    const others: ValueSet[] = [];
    for (const list of rest) others.push(new ValueSet(budget, n, list));
    const out: Value[] = [];
    const seen = new ValueSet(budget, n);
    for (const x of head) {
      if (seen.has(x) || !others.every((set) => set.has(x))) continue;
      seen.add(x);
      out.push(x);
    }
    return out;
  }
  if (args.every((a) => isObject(a))) {
    const [head, ...rest] = args as ValueObject[];
    const out = newObject();
    for (const k of Object.keys(head)) {
      // A key is common only with the same case, as in Azure's engine.
      if (rest.every((o) => Object.prototype.hasOwnProperty.call(o, k) && deepEqual(head[k], o[k]))) out[k] = head[k];
    }
    return out;
  }
  return fail(`The template function '${n}' expects all its arguments to be arrays or all to be objects.`);
}

export const collection: Record<string, FnDef> = {
  array: {
    placeholders: 'carry',
    min: 1,
    max: 1,
    fn: ([v], _c, n) => {
      if (v instanceof Lambda) return fail(`The template function '${n}' cannot convert a lambda to an array.`);
      return Array.isArray(v) ? v : [v];
    },
  },
  // Strings or arrays, never both (template-functions-array#concat). Integers join strings: concat('vm', copyIndex()).
  concat: {
    placeholders: 'build',
    min: 1,
    max: Infinity,
    unknownAware: true,
    fn: (args, c, n) => {
      let arrays = 0;
      let scalars = 0;
      let unknown: Unknown | undefined;
      for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a instanceof Unknown) unknown ??= a;
        else if (Array.isArray(a)) arrays++;
        else {
          scalarText(a, n, i);
          scalars++;
        }
      }
      if (arrays > 0 && scalars > 0) fail(`The template function '${n}' expects all its arguments to be arrays or all to be strings.`);
      if (unknown) return again(unknown);
      if (arrays > 0) {
        // Counted before copying: concat() of a long array with itself, again and again, doubles it each time.
        let total = 0;
        for (const a of args as (readonly Value[])[]) total += a.length;
        if (total > MAX_VALUE_LENGTH) fail(`The result of '${n}' would hold ${total} elements, more than ${MAX_VALUE_LENGTH}; evaluation stopped.`);
        c.budget.charge(total, n);
        // A loop, not push(...a): spreading a long array overflows the call stack.
        const out: Value[] = new Array<Value>(total);
        let k = 0;
        for (const a of args as (readonly Value[])[]) for (let i = 0; i < a.length; i++) out[k++] = a[i];
        return out;
      }
      return args.map((a, i) => scalarText(a, n, i)).join('');
    },
  },
  // Strings: case-sensitive substring; objects: key, case-insensitive; arrays: deep equality (template-functions-array#contains).
  contains: {
    walks: true,
    placeholders: 'content',
    min: 2,
    max: 2,
    unknownAware: true,
    fn: ([container, item], _c, n) => {
      if (container instanceof Unknown) return again(container);
      if (typeof container === 'string' || isObject(container)) {
        if (item instanceof Unknown) return again(item);
        const text = scalarText(item, n, 1);
        return typeof container === 'string' ? container.includes(text) : getProp(container, text) !== undefined;
      }
      if (!Array.isArray(container))
        return fail(`The template function '${n}' expects argument 1 to be an Array, an Object or a String, got ${typeName(container)}.`);
      const iu = findUnknown(item);
      if (iu) return container.length === 0 ? false : again(iu);
      let maybe: Unknown | undefined;
      for (const x of container) {
        const xu = findUnknown(x);
        if (xu) maybe ??= xu;
        else if (deepEqual(x, item)) return true;
      }
      return maybe ? again(maybe) : false;
    },
  },
  createarray: { placeholders: 'carry', min: 0, max: Infinity, unknownAware: true, fn: (args) => [...args] },
  createobject: {
    placeholders: 'carry',
    min: 0,
    max: Infinity,
    unknownAware: true,
    fn: (args, _c, n) => {
      if (args.length % 2 !== 0) fail(`The template function '${n}' expects key and value pairs, got ${args.length} argument(s).`);
      const out = newObject();
      for (let i = 0; i < args.length; i += 2) {
        const key = args[i];
        if (key instanceof Unknown) return again(key);
        const name = str(key, n, i);
        if (Object.prototype.hasOwnProperty.call(out, name)) fail(`The template function '${n}' got the key '${name}' twice.`);
        out[name] = args[i + 1];
      }
      return out;
    },
  },
  empty: {
    min: 1,
    max: 1,
    fn: ([v], _c, n) => {
      if (v === null) return true;
      if (typeof v === 'string' || Array.isArray(v)) return v.length === 0;
      if (isObject(v)) return Object.keys(v).length === 0;
      return fail(`The template function '${n}' expects argument 1 to be an Array, an Object or a String, got ${typeName(v)}.`);
    },
  },
  first: {
    placeholders: 'opaque-if-string',
    min: 1,
    max: 1,
    fn: ([v], _c, n) => {
      if (typeof v === 'string') return v.slice(0, 1);
      const list = arr(v, n, 0);
      return list.length > 0 ? list[0] : null;
    },
  },
  last: {
    placeholders: 'opaque-if-string',
    min: 1,
    max: 1,
    fn: ([v], _c, n) => {
      if (typeof v === 'string') return v.slice(-1);
      const list = arr(v, n, 0);
      return list.length > 0 ? list[list.length - 1] : null;
    },
  },
  // Only one level: subarrays are not flattened recursively (bicep-functions-array#flatten).
  flatten: {
    min: 1,
    max: 1,
    fn: ([v], c, n) => {
      const out: Value[] = [];
      const lists = arr(v, n, 0);
      let total = 0;
      for (const x of lists) if (Array.isArray(x)) total += (x as readonly Value[]).length;
      if (total > MAX_VALUE_LENGTH) fail(`The result of '${n}' would hold ${total} elements, more than ${MAX_VALUE_LENGTH}; evaluation stopped.`);
      c.budget.charge(total, n);
      for (const x of lists) {
        if (x instanceof Unknown) return again(x);
        if (!Array.isArray(x)) return fail(`The template function '${n}' expects an array of arrays; it holds a value of type ${typeName(x)}.`);
        for (let i = 0; i < x.length; i++) out.push(x[i]);
      }
      return out;
    },
  },
  indexof: { placeholders: 'content', walks: true, min: 2, max: 2, unknownAware: true, fn: ([c, item], _x, n) => indexOf(c, item, false, n) },
  lastindexof: { placeholders: 'content', walks: true, min: 2, max: 2, unknownAware: true, fn: ([c, item], _x, n) => indexOf(c, item, true, n) },
  intersection: { placeholders: 'content', walks: true, min: 2, max: Infinity, fn: (args, c, n) => intersection(args, n, c.budget) },
  union: { placeholders: 'carry', walks: true, min: 2, max: Infinity, unknownAware: true, fn: (args, c, n) => union(args, n, c.budget) },
  // Keys come out in alphabetical order (the Learn note on JSON object ordering, template-functions-object#items).
  items: {
    placeholders: 'carry',
    min: 1,
    max: 1,
    fn: ([v], _c, n) => {
      const o = obj(v, n, 0);
      return sortedKeys(o).map((k) => {
        const entry = newObject();
        entry.key = k;
        entry.value = o[k];
        return entry;
      });
    },
  },
  objectkeys: { placeholders: 'carry', min: 1, max: 1, fn: ([v], _c, n) => sortedKeys(obj(v, n, 0)) },
  length: {
    min: 1,
    max: 1,
    fn: ([v], _c, n) => {
      if (typeof v === 'string' || Array.isArray(v)) return v.length;
      if (isObject(v)) return Object.keys(v).length;
      return fail(`The template function '${n}' expects argument 1 to be an Array, an Object or a String, got ${typeName(v)}.`);
    },
  },
  max: {
    walks: true,
    min: 1,
    max: Infinity,
    fn: (args, _c, n) => {
      const u = firstUnknown(args);
      return u ? again(u) : minMax(args, n, Math.max);
    },
  },
  min: {
    walks: true,
    min: 1,
    max: Infinity,
    fn: (args, _c, n) => {
      const u = firstUnknown(args);
      return u ? again(u) : minMax(args, n, Math.min);
    },
  },
  // count: 0..10000, and startIndex + count at most 2147483647 (template-functions-array#range).
  range: {
    min: 2,
    max: 2,
    fn: ([s, c], _x, n) => {
      const start = int(s, n, 0);
      const count = int(c, n, 1);
      if (count < 0 || count > 10000) fail(`The template function '${n}' expects a count from 0 to 10000, got ${count}.`);
      if (start + count > 2147483647) fail(`The template function '${n}' expects startIndex + count to be at most 2147483647, got ${start + count}.`);
      const out: number[] = [];
      for (let i = 0; i < count; i++) out.push(start + i);
      return out;
    },
  },
  // A count of 0 or less skips nothing / takes nothing; past the end gives all / nothing (template-functions-array#skip).
  skip: {
    placeholders: 'opaque-if-string',
    min: 2,
    max: 2,
    fn: ([v, c], _x, n) => {
      const count = Math.max(0, int(c, n, 1));
      if (typeof v === 'string') return v.slice(count);
      return arr(v, n, 0).slice(count);
    },
  },
  take: {
    placeholders: 'opaque-if-string',
    min: 2,
    max: 2,
    fn: ([v, c], _x, n) => {
      const count = Math.max(0, int(c, n, 1));
      if (typeof v === 'string') return v.slice(0, count);
      return arr(v, n, 0).slice(0, count);
    },
  },
  // Merges the objects of an array, top level only; later keys win.
  shallowmerge: {
    walks: true,
    placeholders: 'carry',
    min: 1,
    max: 1,
    fn: ([v], _c, n) => {
      const out = newObject();
      for (const x of arr(v, n, 0)) {
        if (x instanceof Unknown) return again(x);
        if (x === null) continue;
        if (!isObject(x)) return fail(`The template function '${n}' expects an array of objects; it holds a value of type ${typeName(x)}.`);
        mergeObject(out, x, false);
      }
      return out;
    },
  },
  // tryGet(value, key1, key2, ...): null instead of an error when a key or index is missing.
  tryget: {
    min: 2,
    max: Infinity,
    unknownAware: true,
    fn: ([base, ...keys], _c, n) => walk(base, keys, 1, n),
  },
  // indexFromEnd(array, 1) is the last element (Bicep's arr[^1]).
  indexfromend: {
    min: 2,
    max: 2,
    fn: ([v, r], _c, n) => {
      const list = arr(v, n, 0);
      const back = int(r, n, 1);
      if (back < 1 || back > list.length)
        fail(`The template function '${n}' got the index ${back} from the end of an array of length ${list.length}.`);
      return list[list.length - back];
    },
  },
  // tryIndexFromEnd(array, n, key...): Bicep's arr[?^n], optionally followed by a tryGet path.
  tryindexfromend: {
    min: 2,
    max: Infinity,
    unknownAware: true,
    fn: ([v, r, ...keys], _c, n) => {
      if (v instanceof Unknown) return again(v);
      if (v === null) return null;
      if (r instanceof Unknown) return again(r);
      const list = arr(v, n, 0);
      const back = int(r, n, 1);
      if (back < 1 || back > list.length) return runtimeMember(list, undefined, `[^${back}]`) ?? null;
      return walk(v, [list.length - back, ...keys], 1, n);
    },
  },
};
