// Lambda functions: lambda, lambdaVariables, and the functions that take lambdas (filter, map, reduce, sort,
// toObject, groupBy, mapValues). https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-lambda
import type { CallContext, FnDef } from '../evaluator.js';
import type { Value, ValueObject } from '../value.js';
import { Lambda, Unknown, newObject, typeName } from '../value.js';
import { arr, fail, obj } from './args.js';

/** The lambda argument of a function, checked for its parameter count (ARM allows an optional index parameter). */
function lambdaArg(v: Value, fname: string, i: number, minParams: number, maxParams: number): Lambda {
  if (!(v instanceof Lambda)) fail(`The template function '${fname}' expects argument ${i + 1} to be a lambda, got ${typeName(v)}.`);
  const n = v.params.length;
  if (n < minParams || n > maxParams) {
    const want = minParams === maxParams ? `${minParams}` : `${minParams} or ${maxParams}`;
    fail(`The lambda given to '${fname}' takes ${n} parameter(s), but it needs ${want}.`);
  }
  return v;
}

/** Calls a lambda with as many of `args` as it declares parameters. */
function call(ctx: CallContext, fn: Lambda, args: readonly Value[], fname: string): Value {
  return ctx.apply(fn, args.slice(0, fn.params.length), fname);
}

function unknownOf(u: Unknown): Unknown {
  return new Unknown(u.cause, u.origin);
}

/** An object key produced by a lambda: strings only. Returns the Unknown when the key is not known. */
function keyOf(v: Value, fname: string): string | Unknown {
  if (v instanceof Unknown) return v;
  if (typeof v !== 'string') fail(`The key lambda given to '${fname}' must return a String, got ${typeName(v)}.`);
  return v;
}

/** The existing spelling of a key in an object built here (ARM object keys ignore case), or the key itself. */
function existingKey(keys: Map<string, string>, key: string): string {
  const lower = key.toLowerCase();
  const found = keys.get(lower);
  if (found !== undefined) return found;
  keys.set(lower, key);
  return key;
}

export const lambda: Record<string, FnDef> = {
  // lambda('a', 'b', body) captures its body unevaluated; the parameter names must be string literals.
  lambda: {
    min: 2,
    max: Infinity,
    lazy: (args, ctx, f) => {
      const params: string[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < args.length - 1; i++) {
        const a = args[i];
        if (a.k !== 'str' || a.v === '') fail(`The template function '${f}' expects argument ${i + 1} to be a parameter name in quotes.`);
        if (seen.has(a.v.toLowerCase())) fail(`The template function '${f}' declares the parameter '${a.v}' twice.`);
        seen.add(a.v.toLowerCase());
        params.push(a.v);
      }
      return new Lambda(params, args[args.length - 1], ctx.lambdaEnv);
    },
  },
  lambdavariables: {
    reads: true,
    min: 1,
    max: 1,
    fn: ([n], ctx, f) => {
      if (typeof n !== 'string') fail(`The template function '${f}' expects argument 1 to be a String, got ${typeName(n)}.`);
      const v = ctx.lambdaEnv?.get(n.toLowerCase());
      if (v === undefined) fail(`The lambda variable '${n}' is not defined here; '${f}' only reads parameters of an enclosing lambda.`);
      return v;
    },
  },
  filter: {
    min: 2,
    max: 2,
    fn: ([a, l], ctx, f) => {
      const items = arr(a, f, 0);
      const fn = lambdaArg(l, f, 1, 1, 2);
      const out: Value[] = [];
      let unknown: Unknown | undefined;
      for (let i = 0; i < items.length; i++) {
        const keep = call(ctx, fn, [items[i], i], f);
        // One unknown verdict makes the membership of the whole result unknown; keep checking the rest for errors.
        if (keep instanceof Unknown) unknown ??= keep;
        else if (typeof keep !== 'boolean') fail(`The lambda given to '${f}' must return a Boolean, got ${typeName(keep)}.`);
        else if (keep) out.push(items[i]);
      }
      return unknown ? unknownOf(unknown) : out;
    },
  },
  map: {
    min: 2,
    max: 2,
    fn: ([a, l], ctx, f) => {
      const items = arr(a, f, 0);
      const fn = lambdaArg(l, f, 1, 1, 2);
      return items.map((x, i) => call(ctx, fn, [x, i], f));
    },
  },
  reduce: {
    min: 3,
    max: 3,
    unknownAware: true,
    fn: ([a, initial, l], ctx, f) => {
      // Only an unknown array stops reduce: an unknown initial value or element flows through the lambda.
      if (a instanceof Unknown) return unknownOf(a);
      const items = arr(a, f, 0);
      const fn = lambdaArg(l, f, 2, 2, 3);
      let acc = initial;
      for (let i = 0; i < items.length; i++) acc = call(ctx, fn, [acc, items[i], i], f);
      return acc;
    },
  },
  // sort's lambda says whether its first argument belongs before its second; a stable merge sort asks it once per comparison.
  sort: {
    min: 2,
    max: 2,
    fn: ([a, l], ctx, f) => {
      const items = arr(a, f, 0);
      const fn = lambdaArg(l, f, 1, 2, 2);
      let unknown: Unknown | undefined;
      const before = (x: Value, y: Value): boolean => {
        const r = call(ctx, fn, [x, y], f);
        if (r instanceof Unknown) {
          unknown ??= r;
          return false;
        }
        if (typeof r !== 'boolean') fail(`The lambda given to '${f}' must return a Boolean, got ${typeName(r)}.`);
        return r;
      };
      const sorted = (xs: readonly Value[]): Value[] => {
        if (xs.length < 2) return [...xs];
        const mid = xs.length >> 1;
        const left = sorted(xs.slice(0, mid));
        const right = sorted(xs.slice(mid));
        const out: Value[] = [];
        let i = 0;
        let j = 0;
        while (i < left.length && j < right.length) out.push(before(right[j], left[i]) ? right[j++] : left[i++]);
        return out.concat(left.slice(i), right.slice(j));
      };
      const out = sorted(items);
      return unknown ? unknownOf(unknown) : out;
    },
  },
  toobject: {
    min: 2,
    max: 3,
    fn: (args, ctx, f) => {
      const items = arr(args[0], f, 0);
      const keyFn = lambdaArg(args[1], f, 1, 1, 1);
      const valueFn = args.length === 3 ? lambdaArg(args[2], f, 2, 1, 1) : undefined;
      const out = newObject();
      const keys = new Map<string, string>();
      for (const item of items) {
        const key = keyOf(call(ctx, keyFn, [item], f), f);
        if (key instanceof Unknown) return unknownOf(key);
        out[existingKey(keys, key)] = valueFn ? call(ctx, valueFn, [item], f) : item;
      }
      return out;
    },
  },
  groupby: {
    min: 2,
    max: 2,
    fn: ([a, l], ctx, f) => {
      const items = arr(a, f, 0);
      const fn = lambdaArg(l, f, 1, 1, 1);
      const groups = new Map<string, Value[]>();
      const keys = new Map<string, string>();
      for (const item of items) {
        const key = keyOf(call(ctx, fn, [item], f), f);
        if (key instanceof Unknown) return unknownOf(key);
        const k = existingKey(keys, key);
        const group = groups.get(k);
        if (group) group.push(item);
        else groups.set(k, [item]);
      }
      const out = newObject();
      for (const [k, group] of groups) out[k] = group;
      return out;
    },
  },
  mapvalues: {
    min: 2,
    max: 2,
    fn: ([o, l], ctx, f) => {
      const input: ValueObject = obj(o, f, 0);
      const fn = lambdaArg(l, f, 1, 1, 1);
      const out = newObject();
      for (const k of Object.keys(input)) out[k] = call(ctx, fn, [input[k]], f);
      return out;
    },
  },
};
