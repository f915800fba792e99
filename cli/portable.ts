// What a lint result carries between threads: the report, the findings, a slim deployment and, when a formatter
// reads them, the graph and resolved paths; shared by cli/parallel.ts and its worker (cli/worker.ts).
import { NetworkGraph, Unknown } from '../engine/index.js';
import type { Deployment, LintResult } from '../engine/index.js';
import type { Target } from './discover.js';

/** What a worker needs besides the targets: the options as plain data, rules by id. */
export interface WorkerSetup {
  readonly options: Record<string, unknown>;
  readonly ruleIds: readonly string[];
  readonly keepGraph: boolean;
}

export type ToWorker = { readonly index: number; readonly target: Target };
export type FromWorker = { readonly index: number; readonly result: LintResult } | { readonly index: number; readonly error: string };

/** A deployment reduced to what formatters read of it (SARIF names resources by id and declaration). */
function slimDeployment(d: Deployment): Deployment {
  const resources = d.resources.map((r) => ({ id: r.id, key: r.key, type: r.type, name: r.name, at: r.at, existing: r.existing, deployments: r.deployments, ...(r.copyIndex !== undefined ? { copyIndex: r.copyIndex } : {}) }));
  return { file: d.file, resources, outputs: {}, findings: d.findings, unresolved: d.unresolved, stats: d.stats, docs: new Map(), scope: d.scope } as unknown as Deployment;
}

/**
 * A result as a worker sends it: report, findings and a slim deployment; with `keepGraph`, also the graph and
 * resolved paths (one message, so the VMs they share stay shared). Template texts and evaluated bodies stay behind.
 */
export function portable(r: LintResult, keepGraph: boolean): LintResult {
  const deployment = slimDeployment(r.deployment);
  const base = { file: r.file, vms: r.vms, findings: r.findings, deployment };
  if (!keepGraph || !r.graph) return base;
  // Every field of the graph but its deployment (the slim one takes its place on arrival).
  const { deployment: _deployment, ...fields } = r.graph;
  return { ...base, graph: fields as unknown as NetworkGraph, ...(r.resolved ? { resolved: r.resolved } : {}) };
}

/**
 * Gives a result its classes back: the graph's methods and, for one that came through structured clone
 * (`cloned`), Unknown for the values that were unknown (a clone keeps fields, not prototypes).
 */
export function revive(r: LintResult, cloned: boolean): LintResult {
  if (!r.graph) return r;
  const graph = Object.assign(Object.create(NetworkGraph.prototype) as NetworkGraph, r.graph, { deployment: r.deployment });
  if (!cloned) return { ...r, graph };
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (v instanceof Map) for (const x of v.values()) walk(x);
    else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (!(v instanceof Set)) {
      const keys = Object.keys(v);
      // Unknown's own fields: cause and origin, and optionally candidates and source.
      if (keys.includes('cause') && keys.includes('origin') && keys.every((k) => k === 'cause' || k === 'origin' || k === 'candidates' || k === 'source')) Object.setPrototypeOf(v, Unknown.prototype);
      for (const k of keys) walk((v as Record<string, unknown>)[k]);
    }
  };
  walk(graph);
  walk(r.resolved);
  return { ...r, graph };
}
