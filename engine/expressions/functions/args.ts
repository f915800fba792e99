// Argument checks shared by the function families: each throws an ExpressionError naming the function.
import type { Value, ValueObject } from '../value.js';
import { ExpressionError, isObject, typeName } from '../value.js';

export function fail(message: string): never {
  throw new ExpressionError(message);
}

function wrongType(fname: string, i: number, want: string, v: Value): never {
  throw new ExpressionError(`The template function '${fname}' expects argument ${i + 1} to be ${want}, got ${typeName(v)}.`);
}

export function str(v: Value, fname: string, i: number): string {
  if (typeof v !== 'string') wrongType(fname, i, 'a String', v);
  return v;
}

export function num(v: Value, fname: string, i: number): number {
  if (typeof v !== 'number') wrongType(fname, i, 'a number', v);
  return v;
}

export function int(v: Value, fname: string, i: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) wrongType(fname, i, 'an Integer', v);
  return v;
}

export function bool(v: Value, fname: string, i: number): boolean {
  if (typeof v !== 'boolean') wrongType(fname, i, 'a Boolean', v);
  return v;
}

export function arr(v: Value, fname: string, i: number): readonly Value[] {
  if (!Array.isArray(v)) wrongType(fname, i, 'an Array', v);
  return v;
}

export function obj(v: Value, fname: string, i: number): ValueObject {
  if (!isObject(v)) wrongType(fname, i, 'an Object', v);
  return v;
}
