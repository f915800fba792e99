// Small readers of evaluated ARM values (a property path, a string or boolean that may be unknown, a list of
// references) shared by the graph's resource readers. Imports template/, expressions/ and resources/ only.
import type { Location } from '../template/finding.js';
import { pointerJoin } from '../template/template.js';
import type { SourceResource } from '../resources/types.js';
import type { Value } from '../expressions/value.js';
import { Unknown, getProp, isObject } from '../expressions/value.js';
import { hasPlaceholder, showPlaceholders } from '../expressions/placeholder.js';
import type { NetworkGraph, NodeBase, Ref } from './graph.js';
import { keyOf } from './ids.js';
import { placeOf, typed } from './read-typed.js';

export function prop(o: Value | undefined, ...path: string[]): Value | undefined {
  let cur: Value | undefined = o;
  for (const p of path) {
    // A member of an unknown object is unknown, not absent: absent would read as a schema default.
    if (cur instanceof Unknown) return cur;
    if (!isObject(cur)) return undefined;
    cur = getProp(cur, p);
  }
  return cur;
}

/**
 * A value that decides egress (a SKU, an allocation method, a route's prefix or next hop, a flag): a placeholder
 * there is unknown, not a string that happens to match nothing. Names and ids keep their placeholders: they only
 * name, and two built the same way still link (contract: "Values known only at deployment").
 */
export function decisive(v: Value | undefined): Value | undefined {
  return typeof v === 'string' && hasPlaceholder(v) ? new Unknown('parameter', `'${showPlaceholders(v)}' is known only at deployment`) : v;
}

/**
 * Why an IP version or tier that decides a path's family or whether an IP carries outbound traffic is not known:
 * the first of the written values that is unknown or a placeholder (the reader then takes the schema default for the
 * rest of the node, and the resolver the unknown for the decision).
 */
export function undecidedOf(...written: (Value | undefined)[]): Unknown | undefined {
  for (const v of written) {
    const d = decisive(v);
    if (d instanceof Unknown) return d;
  }
  return undefined;
}

export function strOrUnknown(v: Value | undefined): string | Unknown | undefined {
  const d = decisive(v);
  if (d instanceof Unknown || typeof d === 'string') return d;
  return undefined;
}

export function boolOrUnknown(v: Value | undefined): boolean | Unknown | undefined {
  const d = decisive(v);
  if (d instanceof Unknown || typeof d === 'boolean') return d;
  if (typeof d === 'string' && /^(true|false)$/i.test(d)) return d.toLowerCase() === 'true';
  return undefined;
}

/** A string property with a default; an Unknown or a non-string gives the default. */
export function str(v: Value | undefined, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}

/** A SKU name as written, unknown, or the resource type's default SKU when unset. */
export function skuOr(v: Value | undefined, fallback: string): string | Unknown {
  const d = decisive(v);
  return d instanceof Unknown ? d : typeof d === 'string' ? d : fallback;
}

export function list(v: Value | undefined): readonly Value[] {
  return Array.isArray(v) ? v : [];
}

/** The references of a list property, or the unknown that stands for the whole list. */
export function refList(g: NetworkGraph, v: Value | undefined): { refs: Ref[]; unknown: Unknown | undefined } {
  if (v instanceof Unknown) return { refs: [], unknown: v };
  const refs: Ref[] = [];
  for (const x of list(v)) {
    const r = g.ref(x);
    if (r) refs.push(r);
  }
  return { refs, unknown: undefined };
}

/** Pointer into the declaration for a value inside `properties` (the body mirrors the declaration). */
export function locationIn(r: SourceResource, ...segments: (string | number)[]): Location {
  return placeOf(r.body, r.at, ...segments);
}

/** What an unknown condition depends on (its origin without the 'condition: ' label), or undefined when it is known. */
export function maybeWhy(condition: SourceResource['condition']): string | undefined {
  return condition instanceof Unknown ? condition.origin.replace(/^condition: /, '') : undefined;
}

/** The fields every node takes from the resource it is read from. */
export function nodeBase(r: SourceResource): NodeBase {
  return { key: keyOf(r), id: r.id, name: r.name, type: r.type, at: r.at, maybe: r.condition instanceof Unknown, maybeWhy: maybeWhy(r.condition), existing: r.existing };
}

/**
 * A reference member checked to be an object (read-typed.ts): its Ref, or an unknown one when it is of another type,
 * when its id is not a string, or when it is an object with members but no id (`{ "value": { "id": … } }`): Azure
 * finds the resource by the id alone, so such an object names nothing it can find, and read as absent it would
 * decide the path as if nothing were referred to. An empty object stays absent, as Azure's default; an object with
 * a name but no id is a sub-resource whose id Azure assigns (unknown, not a finding).
 */
export function refAt(g: NetworkGraph, base: Value | undefined, at: Location, ...path: string[]): Ref | undefined {
  const v = typed(g, 'object', base, at, ...path);
  if (!isObject(v)) return g.ref(v);
  // An id that is not a string ({ "id": 12 }) is unknown in ref(), and a finding at its line here.
  const id = typed(g, 'string', base, at, ...path, 'id');
  if (id === undefined && getProp(v, 'id') === undefined && Object.keys(v).length > 0) {
    // A sub-resource read back through reference() of a resource the files declare (`reference(lb).backendAddressPools[0]`)
    // has its name and properties but not the id Azure assigns it: known only at deployment, not a wrong template.
    const name = getProp(v, 'name');
    if (typeof name === 'string') return { kind: 'unknown', value: new Unknown('runtime', `the id of '${name}' is assigned by Azure at deployment`) };
    return { kind: 'unknown', value: noId(g, placeOf(base, at, ...path), path[path.length - 1]) };
  }
  return g.ref(v);
}

/** Reports a reference object without an id at `place`, and returns the Unknown that stands for it. */
function noId(g: NetworkGraph, place: Location, name: string | undefined): Unknown {
  const label = name ?? place.pointer.slice(place.pointer.lastIndexOf('/', place.pointer.lastIndexOf('/') - 1) + 1);
  const key = `${place.file}\u0000${place.pointer}`;
  if (!g.problemPlaces.has(key)) {
    g.problemPlaces.add(key);
    g.problems.push({
      ruleId: 'template-invalid',
      message: `'${label}' is a reference without an 'id': Azure finds the resource it refers to by its id, so egress-lint does not decide what depends on it.`,
      at: place,
    });
  }
  return new Unknown('error', `'${label}' is a reference without an 'id'`);
}

/** A list of references checked to be an array (read-typed.ts), each entry a reference object (`refAt`) at its own line. */
export function refListAt(g: NetworkGraph, base: Value | undefined, at: Location, ...path: string[]): { refs: Ref[]; unknown: Unknown | undefined } {
  const v = typed(g, 'array', base, at, ...path);
  if (v instanceof Unknown) return { refs: [], unknown: v };
  const refs: Ref[] = [];
  if (!Array.isArray(v)) return { refs, unknown: undefined };
  const listAt = placeOf(base, at, ...path);
  for (let i = 0; i < v.length; i++) {
    const r = refAt(g, v[i], { file: listAt.file, pointer: pointerJoin(listAt.pointer, i) });
    if (r) refs.push(r);
  }
  return { refs, unknown: undefined };
}
