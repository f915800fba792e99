// Typed readers of what the graph reads: a property that is written but is not of the JSON type the resource's
// schema gives it (`ipConfigurations: "x"`, `sku.name: 12`, a subnet whose `properties` is an array) is neither the
// value nor absent. Read as absent it would take the schema default and decide a path on it, so it is reported
// (template-invalid at its own line) and read as an Unknown that names it, which the resolver turns into an unknown
// path wherever the value decides one. Absent and null stay absent (the schema default). Imports template/ and
// expressions/ only, besides engine/network/.
import type { Location, RawFinding } from '../template/finding.js';
import { pointerJoin } from '../template/template.js';
import type { Value } from '../expressions/value.js';
import { Lambda, Unknown, getProp, isObject } from '../expressions/value.js';

/** The JSON types the graph reads a property as. */
export type Shape = 'array' | 'object' | 'string' | 'boolean' | 'number';

/** Where wrong types are reported: the network graph's problems, once per place. */
export interface ShapeSink {
  readonly problems: RawFinding[];
  readonly problemPlaces: Set<string>;
}

const ARTICLE: Readonly<Record<Shape, string>> = { array: 'an array', object: 'an object', string: 'a string', boolean: 'a Boolean', number: 'a number' };

/** What a value is, for messages ("a string", "an array", "null"). */
export function jsonTypeOf(v: Value | undefined): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Lambda) return 'a lambda';
  switch (typeof v) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a Boolean';
    case 'object':
      return 'an object';
    default:
      return 'nothing';
  }
}

function fits(v: Value, shape: Shape): boolean {
  switch (shape) {
    case 'array':
      return Array.isArray(v);
    case 'object':
      return isObject(v);
    case 'string':
      return typeof v === 'string';
    case 'number':
      // A count or length written as a string of digits is what Azure's own readers convert.
      return typeof v === 'number' || (typeof v === 'string' && /^\s*\d+\s*$/.test(v));
    case 'boolean':
      // 'true' and 'false' as strings are converted by the resource providers' JSON readers (boolOrUnknown reads them).
      return typeof v === 'boolean' || (typeof v === 'string' && /^(true|false)$/i.test(v));
  }
}

/** The key of `obj` that `key` reads (getProp matches case-insensitively), for the pointer of a finding. */
function keyIn(obj: Value | undefined, key: string): string {
  if (!isObject(obj) || Object.prototype.hasOwnProperty.call(obj, key)) return key;
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return k;
  return key;
}

/** Reports `v` at `path[0..depth)` under `at` as not of `shape`, and returns the Unknown that stands for it. */
function wrongType(sink: ShapeSink, base: Value | undefined, at: Location, path: readonly string[], depth: number, shape: Shape, v: Value): Unknown {
  let pointer = at.pointer;
  let cur = base;
  const names: string[] = [];
  for (let i = 0; i < depth; i++) {
    const k = keyIn(cur, path[i]);
    pointer = pointerJoin(pointer, k);
    names.push(k);
    cur = isObject(cur) ? getProp(cur, path[i]) : undefined;
  }
  // The value itself (an entry of a list that is not an object): named by its place in the list.
  const name = depth === 0 ? at.pointer.slice(at.pointer.lastIndexOf('/', at.pointer.lastIndexOf('/') - 1) + 1) : names.join('.');
  const what = `'${name}' is ${jsonTypeOf(v)}, not ${ARTICLE[shape]}`;
  const place = `${at.file}\u0000${pointer}`;
  if (!sink.problemPlaces.has(place)) {
    sink.problemPlaces.add(place);
    sink.problems.push({
      ruleId: 'template-invalid',
      message: `'${name}' must be ${ARTICLE[shape]}, not ${jsonTypeOf(v)}: Azure does not read it as absent, so egress-lint does not decide what depends on it.`,
      at: { file: at.file, pointer },
    });
  }
  return new Unknown('error', what);
}

/** Another key of `obj` that reads as `key` (the same name in another case), after the one getProp reads; else undefined. */
function caseTwin(obj: Readonly<Record<string, Value>>, key: string): string | undefined {
  const n = key.length;
  let lower: string | undefined;
  let first: string | undefined;
  for (const k in obj) {
    if (k.length !== n) continue;
    if (k !== key) {
      lower ??= key.toLowerCase();
      if (k.toLowerCase() !== lower) continue;
    }
    if (first === undefined) first = k;
    else return k;
  }
  return undefined;
}

/**
 * Two keys of one object that differ only in case (`"natgateway"` and `"natGateway"`): Azure matches member names
 * case-insensitively and does not document which one it keeps, so the member is reported at the later key and read
 * as an Unknown naming both.
 */
function caseConflict(sink: ShapeSink, base: Value | undefined, at: Location, path: readonly string[], depth: number, obj: Readonly<Record<string, Value>>, later: string): Unknown {
  const place = placeOf(base, at, ...path.slice(0, depth));
  let first = path[depth];
  for (const k in obj) {
    if (k !== later && k.toLowerCase() === later.toLowerCase()) {
      first = k;
      break;
    }
  }
  const pointer = pointerJoin(place.pointer, later);
  const key = `${at.file}\u0000${pointer}`;
  if (!sink.problemPlaces.has(key)) {
    sink.problemPlaces.add(key);
    sink.problems.push({
      ruleId: 'template-invalid',
      message: `'${first}' and '${later}' are both written: Azure reads member names case-insensitively and does not document which one it keeps, so egress-lint does not decide what depends on it.`,
      at: { file: at.file, pointer },
    });
  }
  return new Unknown('error', `'${first}' and '${later}' are both written (member names that differ only in case)`);
}

/**
 * The member at `path` under `base` (written at `at`), checked to be of `shape`: the value when it is, undefined
 * when it (or an object on the way) is absent or null, the Unknown when it (or an object on the way) is unknown,
 * and otherwise a reported Unknown naming what is wrong. Every object on the way must be an object.
 */
export function typed(sink: ShapeSink, shape: Shape, base: Value | undefined, at: Location, ...path: string[]): Value | undefined {
  let cur: Value | undefined = base;
  for (let i = 0; i < path.length; i++) {
    if (cur === undefined || cur === null) return undefined;
    if (cur instanceof Unknown) return cur;
    if (!isObject(cur)) return wrongType(sink, base, at, path, i, 'object', cur);
    const twin = caseTwin(cur, path[i]);
    if (twin !== undefined) return caseConflict(sink, base, at, path, i, cur, twin);
    cur = getProp(cur, path[i]);
  }
  if (cur === undefined || cur === null || cur instanceof Unknown) return cur ?? undefined;
  return fits(cur, shape) ? cur : wrongType(sink, base, at, path, path.length, shape, cur);
}

/**
 * Where the member at `path` under `base` (written at `at`) is written, keys spelled as the template spells them (ARM
 * reads member names case-insensitively, so `"Properties"` is `properties`); a number is an index in an array.
 */
export function placeOf(base: Value | undefined, at: Location, ...path: (string | number)[]): Location {
  let pointer = at.pointer;
  let cur = base;
  for (const p of path) {
    if (typeof p === 'number') {
      pointer = pointerJoin(pointer, p);
      cur = Array.isArray(cur) ? (cur as readonly Value[])[p] : undefined;
      continue;
    }
    pointer = pointerJoin(pointer, keyIn(cur, p));
    cur = isObject(cur) ? getProp(cur, p) : undefined;
  }
  return { file: at.file, pointer };
}

/** An array member (see `typed`): its entries, or the Unknown that stands for the whole list. */
export function arrayAt(sink: ShapeSink, base: Value | undefined, at: Location, ...path: string[]): readonly Value[] | Unknown {
  const v = typed(sink, 'array', base, at, ...path);
  return v instanceof Unknown ? v : Array.isArray(v) ? v : [];
}

/** The entries of what `arrayAt` read (none for an unknown list: the caller keeps the Unknown for the path). */
export function entries(v: readonly Value[] | Unknown): readonly Value[] {
  return v instanceof Unknown ? [] : v;
}

/** The list's Unknown, if it is one. */
export function unknownOf(v: readonly Value[] | Unknown | Value | undefined): Unknown | undefined {
  return v instanceof Unknown ? v : undefined;
}

/**
 * The resource-level `sku` of a resource the graph reads (`at` the resource), and the `properties.sku` object some
 * types write instead (a firewall, a virtual network gateway): ARM's template schema gives every resource a `sku`
 * object of strings (`name`, `tier`, `size`, `family`, `model`) and an integer `capacity`
 * (https://learn.microsoft.com/javascript/api/@azure/arm-resources/sku), and the resource providers
 * refuse another JSON type there, read or not by the graph. Each wrong type is a finding; the members the graph
 * decides with (a SKU's name or tier) are read again where they decide, as the Unknown this reports.
 */
export function checkSku(sink: ShapeSink, base: Value | undefined, at: Location, ...path: string[]): void {
  if (!isObject(typed(sink, 'object', base, at, ...path))) return;
  typed(sink, 'string', base, at, ...path, 'name');
  typed(sink, 'string', base, at, ...path, 'tier');
  typed(sink, 'string', base, at, ...path, 'size');
  typed(sink, 'string', base, at, ...path, 'family');
  typed(sink, 'string', base, at, ...path, 'model');
  typed(sink, 'number', base, at, ...path, 'capacity');
}
