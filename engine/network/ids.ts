// Resource ids as graph keys: ARM compares ids case-insensitively, so every node is keyed by its lower-cased id.
// Imports resources/ (types) only.
import type { SourceResource } from '../resources/types.js';

/** The last '/'-separated segment of a resource id or name. */
export function lastSegment(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/** True when an id's ends need trimming (white space, a trailing slash) before it is a key. */
function untidy(id: string): boolean {
  const last = id.charCodeAt(id.length - 1);
  return last === 47 || last <= 32 || id.charCodeAt(0) <= 32;
}

/** Lower-cased id without a trailing slash. */
export function normaliseId(id: string): string {
  // Most ids need only lower-casing; trim and the trailing-slash loop run only when the ends say so.
  if (untidy(id)) {
    // A loop, not /\/+$/: that regex retries at every slash of an inner run, quadratic on an id such as 'a////…/b '.
    const t = id.trim();
    let end = t.length;
    while (end > 0 && t.charCodeAt(end - 1) === 47) end--;
    return t.slice(0, end).toLowerCase();
  }
  return id.toLowerCase();
}

/** A resource's graph key: its lower-case id (computed by the expansion) unless the id needs trimming. */
export function keyOf(r: SourceResource): string {
  return untidy(r.id) ? normaliseId(r.id) : r.key;
}
