// What crosses between the main thread and a worker (cli/parallel.ts, cli/worker.ts): the worker's setup as plain
// data, the messages, and the fix-up of a result that came through structured clone (which keeps fields, not classes).
import { NetworkGraph, Unknown } from '../engine/index.js';
import type { LintResult, SessionOptions } from '../engine/index.js';
import { sessionOf } from '../api/run.js';
import type { FileLintOptions } from '../api/run.js';
import type { Target } from '../api/discover.js';
import type { TargetOptions } from './plan.js';

/** What a worker needs besides the targets: the lint options as plain data, rules by id. */
export interface WorkerSetup {
  readonly options: Omit<FileLintOptions, 'rules'>;
  readonly ruleIds: readonly string[];
  readonly keepGraph: boolean;
  /** The session options that differ from target to target (cli/plan.ts), over `options`. */
  readonly variants: readonly TargetOptions[];
}

/** A target to lint, with the variant of the session options it is linted with. */
export type ToWorker = { readonly index: number; readonly target: Target; readonly variant?: number };
export type FromWorker = { readonly index: number; readonly result: LintResult } | { readonly index: number; readonly error: string };

/** Gives a cloned result its classes back: the graph's methods, and Unknown for the values that were unknown. */
export function reviveCloned(r: LintResult): LintResult {
  if (!r.graph) return r;
  const graph = Object.assign(Object.create(NetworkGraph.prototype) as NetworkGraph, r.graph, { deployment: r.deployment });
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (v instanceof Map) for (const x of v.values()) walk(x);
    else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (!(v instanceof Set)) {
      const keys = Object.keys(v);
      // Unknown's own fields: cause and origin, and optionally candidates, source and label.
      if (keys.includes('cause') && keys.includes('origin') && keys.every((k) => k === 'cause' || k === 'origin' || k === 'candidates' || k === 'source' || k === 'label')) Object.setPrototypeOf(v, Unknown.prototype);
      for (const k of keys) walk((v as Record<string, unknown>)[k]);
    }
  };
  walk(graph);
  walk(r.resolved);
  return Object.assign({}, r, { graph });
}

/** The session of each variant (made when first needed), or of the options alone: what target i is linted with. */
export function sessionsOf(options: FileLintOptions, variants: readonly TargetOptions[]): (variant: number | undefined) => SessionOptions {
  const base = sessionOf(options);
  const made: SessionOptions[] = [];
  return (variant) => {
    if (variant === undefined || variants[variant] === undefined) return base;
    return (made[variant] ??= sessionOf({ ...options, ...variants[variant] }));
  };
}
