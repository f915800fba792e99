// Numeric functions of the ARM expression language: add, sub, mul, div, mod, int, float (min/max live in collection.ts).
// ARM integers are 64-bit; a result this tool cannot hold exactly (beyond ±2^53) is an error, not a rounded value.
// See https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-numeric
import type { FnDef } from '../evaluator.js';
import type { Value } from '../value.js';
import { typeName } from '../value.js';
import { fail, int } from './args.js';

/** `+ 0` turns -0 (from -6 % 3 or a truncated -0.5) into 0, so it prints as ARM prints it. */
function exact(r: number, n: string): number {
  if (!Number.isSafeInteger(r)) fail(`The result of the template function '${n}' is beyond the integer range this tool evaluates exactly (±2^53).`);
  return r + 0;
}

function operands(args: readonly Value[], n: string): [number, number] {
  return [int(args[0], n, 0), int(args[1], n, 1)];
}

function divisor(v: Value, n: string): number {
  const d = int(v, n, 1);
  if (d === 0) fail(`The template function '${n}' cannot divide by zero.`);
  return d;
}

// .NET number syntax for long.Parse / double.Parse with the invariant culture: surrounding white space, a sign.
const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;
const FLOAT_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

export const numeric: Record<string, FnDef> = {
  add: { min: 2, max: 2, fn: (args, _c, n) => { const [a, b] = operands(args, n); return exact(a + b, n); } },
  sub: { min: 2, max: 2, fn: (args, _c, n) => { const [a, b] = operands(args, n); return exact(a - b, n); } },
  mul: { min: 2, max: 2, fn: (args, _c, n) => { const [a, b] = operands(args, n); return exact(a * b, n); } },
  // Integer division truncates toward zero, as C#'s long division does: div(-7, 2) is -3.
  div: {
    min: 2,
    max: 2,
    fn: ([a, b], _c, n) => {
      const x = int(a, n, 0);
      const d = divisor(b, n);
      return exact((x - (x % d)) / d, n);
    },
  },
  // The remainder takes the sign of the dividend (C#'s %): mod(-7, 3) is -1.
  mod: { min: 2, max: 2, fn: ([a, b], _c, n) => exact(int(a, n, 0) % divisor(b, n), n) },
  int: {
    min: 1,
    max: 1,
    fn: ([v], _c, n) => {
      if (typeof v === 'number') return exact(Math.trunc(v), n);
      if (typeof v === 'string' && INTEGER_TEXT.test(v)) return exact(Number(v.trim()), n);
      if (typeof v === 'string') return fail(`The template function '${n}' cannot convert '${v}' to an Integer.`);
      return fail(`The template function '${n}' expects argument 1 to be a String or an Integer, got ${typeName(v)}.`);
    },
  },
  // Floats only matter for properties handed to other services, such as Logic App parameters (template-functions-numeric#float).
  float: {
    min: 1,
    max: 1,
    fn: ([v], _c, n) => {
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && FLOAT_TEXT.test(v) && Number.isFinite(Number(v.trim()))) return Number(v.trim()) + 0;
      if (typeof v === 'string') return fail(`The template function '${n}' cannot convert '${v}' to a floating point number.`);
      return fail(`The template function '${n}' expects argument 1 to be a String or an Integer, got ${typeName(v)}.`);
    },
  },
};
