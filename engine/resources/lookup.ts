// Resources by id, by type, and by type and name: what a reader of many resources (an inventory, matched against
// every template of a run) looks them up by. Built once per set of resources, plain data (maps), so it travels to
// worker threads with the set. Imports resources/ (types) only.
import type { SourceResource } from './types.js';

export interface ResourceLookup {
  /** By lower-case id; for an id listed twice, the first. */
  readonly byKey: ReadonlyMap<string, SourceResource>;
  /** By lower-case type, in order. */
  readonly byType: ReadonlyMap<string, readonly SourceResource[]>;
  /** By lower-case type, a newline and the last segment of the lower-case id, in order. */
  readonly byName: ReadonlyMap<string, readonly SourceResource[]>;
}

/** The key of {@link ResourceLookup.byName}. */
export function nameKey(type: string, key: string): string {
  return `${type.toLowerCase()}\n${key.slice(key.lastIndexOf('/') + 1)}`;
}

function push(map: Map<string, SourceResource[]>, key: string, r: SourceResource): void {
  const list = map.get(key);
  if (list) list.push(r);
  else map.set(key, [r]);
}

export function resourceLookup(resources: readonly SourceResource[]): ResourceLookup {
  const byKey = new Map<string, SourceResource>();
  const byType = new Map<string, SourceResource[]>();
  const byName = new Map<string, SourceResource[]>();
  for (const r of resources) {
    if (!byKey.has(r.key)) byKey.set(r.key, r);
    push(byType, r.type.toLowerCase(), r);
    push(byName, nameKey(r.type, r.key), r);
  }
  return { byKey, byType, byName };
}
