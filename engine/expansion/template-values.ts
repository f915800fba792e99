// How the expansion reads template values: as text, as values evaluation cannot change, and the pointer of a member.
// The bottom of this folder: it must not import any other expansion module.
import { pointerJoin } from '../template/template.js';
import type { Value } from '../expressions/value.js';

/**
 * A string, number or boolean as text, else `fallback`. Never String(v) on template values: objects from the JSONC
 * reader and the evaluator have no prototype, so String() throws on them (a TypeError, not a finding).
 */
export function scalarText(v: Value | undefined, fallback: string): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback;
}

/** The pointer of member `key` under `pointer` (the pointer itself without a key). */
export function joined(pointer: string, key: string | number | undefined): string {
  return key === undefined ? pointer : pointerJoin(pointer, key);
}

/** A value that evaluation cannot change: a number, boolean, null, or a string that is not an expression. */
export function isPlain(v: Value): boolean {
  return typeof v === 'string' ? !(v.length > 1 && v.charCodeAt(0) === 91) : v === null || typeof v !== 'object';
}
