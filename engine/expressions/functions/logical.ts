// Logical and comparison functions: and, or, not, if, bool, true, false, coalesce, equals, greater, less...
import type { CallContext, FnDef } from '../evaluator.js';
import type { Expr } from '../ast.js';
import type { Value } from '../value.js';
import { ExpressionError, Unknown, deepEqual, findUnknown, typeName } from '../value.js';
import { bool, fail } from './args.js';

/** Builds the "a or b" unknown that if() returns when its condition is unknown. */
export function choice(cond: Unknown, a: Value, b: Value): Value {
  if (deepEqual(a, b)) return a;
  return new Unknown('condition', cond.origin, [a, b]);
}

/** One branch of if() under an unknown condition: a branch that fails is unknown, not an error. */
function tryBranch(ctx: CallContext, e: Expr, cond: Unknown): Value {
  try {
    return ctx.evaluate(e);
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    return new Unknown('condition', cond.origin);
  }
}

function compare(fname: string, a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return fail(`The template function '${fname}' expects two integers or two strings.`);
}

function toBool(v: Value, fname: string): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (v.toLowerCase() === 'true') return true;
    if (v.toLowerCase() === 'false') return false;
  }
  if (typeof v === 'number' && Number.isInteger(v)) return v !== 0;
  // Objects and arrays are named by their type: String() of a prototype-less object (createObject()) throws.
  const shown = typeof v === 'string' || typeof v === 'number' ? `'${v}'` : `a value of type ${typeName(v)}`;
  return fail(`The template function '${fname}' cannot convert ${shown} to a Boolean.`);
}

export const logical: Record<string, FnDef> = {
  true: { min: 0, max: 0, fn: () => true },
  false: { min: 0, max: 0, fn: () => false },
  null: { min: 0, max: 0, fn: () => null },
  bool: { min: 1, max: 1, fn: ([v], _c, n) => toBool(v, n) },
  // Bicep's fail() compiles to this function: Azure Verified Modules guard invalid parameter combinations with it
  // inside if() (corpus: Azure+bicep-registry-modules/avm/res/compute/disk-encryption-set/main.json, compiled by
  // Bicep and deployed by its own tests). Not on Learn's ARM function pages; what it does is inferred from its
  // Bicep name: the branch that calls it must never be taken.
  fail: {
    min: 1,
    max: 1,
    unknownAware: true,
    fn: ([m], _c, n) => fail(typeof m === 'string' ? `The template function '${n}' stopped the deployment: ${m}` : `The template function '${n}' stopped the deployment.`),
  },
  not: { min: 1, max: 1, fn: ([v], _c, n) => !bool(v, n, 0) },
  // and/or short-circuit on a known decisive operand even when another operand is unknown.
  and: {
    min: 2,
    max: Infinity,
    lazy: (args, ctx, n) => {
      let unknown: Unknown | undefined;
      for (let i = 0; i < args.length; i++) {
        const v = ctx.evaluate(args[i]);
        if (v instanceof Unknown) unknown ??= v;
        else if (!bool(v, n, i)) return false;
      }
      return unknown ? new Unknown(unknown.cause, unknown.origin) : true;
    },
  },
  or: {
    min: 2,
    max: Infinity,
    lazy: (args, ctx, n) => {
      let unknown: Unknown | undefined;
      for (let i = 0; i < args.length; i++) {
        const v = ctx.evaluate(args[i]);
        if (v instanceof Unknown) unknown ??= v;
        else if (bool(v, n, i)) return true;
      }
      return unknown ? new Unknown(unknown.cause, unknown.origin) : false;
    },
  },
  // if() evaluates only the branch it takes, as the ARM engine does and templates rely on to avoid errors
  // (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-logical#if).
  // With an unknown condition both branches are tried; a branch that fails is unknown, not an error.
  if: {
    min: 3,
    max: 3,
    lazy: ([c, a, b], ctx, n) => {
      const cond = ctx.evaluate(c);
      if (cond instanceof Unknown) {
        const yes = tryBranch(ctx, a, cond);
        const no = tryBranch(ctx, b, cond);
        // choice() compares the two branches.
        ctx.budget.chargeTree(yes, n);
        ctx.budget.chargeTree(no, n);
        return choice(cond, yes, no);
      }
      return bool(cond, n, 0) ? ctx.evaluate(a) : ctx.evaluate(b);
    },
  },
  coalesce: {
    min: 1,
    max: Infinity,
    lazy: (args, ctx) => {
      for (const a of args) {
        const v = ctx.evaluate(a);
        if (v instanceof Unknown) return v;
        if (v !== null) return v;
      }
      return null;
    },
  },
  equals: {
    walks: true,
    placeholders: 'compare',
    min: 2,
    max: 2,
    unknownAware: true,
    fn: ([a, b]) => {
      const u = findUnknown(a) ?? findUnknown(b);
      if (u) return new Unknown(u.cause, u.origin);
      return deepEqual(a, b);
    },
  },
  greater: { min: 2, max: 2, fn: ([a, b], _c, n) => compare(n, a, b) > 0 },
  greaterorequals: { min: 2, max: 2, fn: ([a, b], _c, n) => compare(n, a, b) >= 0 },
  less: { min: 2, max: 2, fn: ([a, b], _c, n) => compare(n, a, b) < 0 },
  lessorequals: { min: 2, max: 2, fn: ([a, b], _c, n) => compare(n, a, b) <= 0 },
};
