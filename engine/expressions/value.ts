// Values flowing through the ARM expression evaluator: JSON, Unknown{cause, origin} and lambdas.
// Imports nothing from engine/ but its own folder.
import type { Expr } from './ast.js';
import { nullObject } from '../template/null-object.js';

/** Why a value could not be known offline. Stable words: the corpus sweep groups by them. */
export type UnknownCause =
  | 'parameter' // a parameter with no value (no default, not in the parameter file)
  | 'runtime' // assigned by Azure at deployment (an IP address, a provisioning state) or a list*() call
  | 'reference' // reference() to something outside the analysed files
  | 'nondeterministic' // newGuid(), utcNow() outside a parameter default
  | 'external' // a linked template by URL, a template spec, a Key Vault reference
  | 'condition' // a choice between values that depends on an unknown
  | 'error' // the expression could not be evaluated (reported as expression-invalid), or a variable is in a cycle (template-invalid)
  | 'limit' // a safety cap stopped the evaluation
  | 'skipped'; // lint did not evaluate it: a VM setting that does not decide egress (checked for mistakes instead)

/** A value known only at deployment. `candidates` holds the possible values when the choice alone is unknown. */
export class Unknown {
  constructor(
    readonly cause: UnknownCause,
    readonly origin: string,
    readonly candidates?: readonly Value[],
    /** For a property Azure assigns at deployment: the resource id and the property path it was read from. */
    readonly source?: { readonly id: string; readonly path: string },
    /**
     * For a value that may only name things (a parameter with no value that is not a string, or a member of one):
     * its placeholder label. Where a string is built from it (concat, format, resourceId) or a name is read from it,
     * it becomes that placeholder; anywhere else it stays unknown (placeholder.ts).
     */
    readonly label?: string,
  ) {}
  toJSON(): { $unknown: string } {
    return { $unknown: this.origin };
  }
}

/** A lambda value (only valid as an argument of filter, map, reduce, sort, toObject, groupBy, mapValues). */
export class Lambda {
  constructor(
    readonly params: readonly string[],
    readonly body: Expr,
    readonly env: ReadonlyMap<string, Value> | undefined,
  ) {}
}

export type Value = null | boolean | number | string | Unknown | Lambda | readonly Value[] | ValueObject;
export interface ValueObject {
  readonly [key: string]: Value;
}

/** An error in an expression: an unsupported function, wrong argument types, a missing property. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(message: string) {
    // Template errors are data, not bugs: skip the stack trace capture, which dominates the cost of a throw.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}


export function isObject(v: unknown): v is ValueObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown) && !(v instanceof Lambda);
}

export function isArray(v: unknown): v is readonly Value[] {
  return Array.isArray(v);
}

/** A new object that no key can turn into a prototype change. */
export function newObject(): Record<string, Value> {
  return nullObject<Value>();
}

/** An own property, looked up exactly first and then case-insensitively (ARM property names ignore case). */
export function getProp(obj: ValueObject, key: string): Value | undefined {
  if (Object.prototype.hasOwnProperty.call(obj, key)) return obj[key];
  // Lengths first: lower-casing every key of every object on each miss is most of the cost of a miss.
  const n = key.length;
  let lower: string | undefined;
  for (const k in obj) {
    if (k.length !== n) continue;
    lower ??= key.toLowerCase();
    if (k.toLowerCase() === lower && Object.prototype.hasOwnProperty.call(obj, k)) return obj[k];
  }
  return undefined;
}

/** The first Unknown found anywhere inside a value (depth-first), or undefined. */
export function findUnknown(v: Value, depth = 0): Unknown | undefined {
  if (v instanceof Unknown) return v;
  if (depth > 64) return undefined;
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = findUnknown(x, depth + 1);
      if (u) return u;
    }
  } else if (isObject(v)) {
    for (const k in v) {
      const u = findUnknown(v[k], depth + 1);
      if (u) return u;
    }
  }
  return undefined;
}

/** The ARM type name of a value, as used in error messages and by the type checks of functions. */
export function typeName(v: Value | undefined): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'Null';
  if (v instanceof Unknown) return 'Unknown';
  if (v instanceof Lambda) return 'Lambda';
  if (Array.isArray(v)) return 'Array';
  switch (typeof v) {
    case 'string':
      return 'String';
    case 'number':
      return Number.isInteger(v) ? 'Integer' : 'Float';
    case 'boolean':
      return 'Boolean';
    default:
      return 'Object';
  }
}

/** Deep equality with ARM semantics: strings compare case-sensitively, object keys case-insensitively. */
export function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    // Keys compare with their case, as Azure's engine compares objects (JToken equality; checked with bicep snapshot).
    for (const k of ka) {
      if (!Object.prototype.hasOwnProperty.call(b, k) || !deepEqual(a[k], b[k])) return false;
    }
    return true;
  }
  return false;
}

/** Serialises a value the way ARM's string() does (compact JSON); unknowns become their $unknown marker. */
export function toJsonText(v: Value): string {
  return JSON.stringify(v, lambdaAsText);
}

function lambdaAsText(_k: string, x: unknown): unknown {
  return x instanceof Lambda ? '<lambda>' : x;
}
