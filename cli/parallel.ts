// Lints many targets on several cores: worker threads (cli/worker.ts) each lint the targets handed to them while
// the main thread lints too, and the results come back in the original order, carrying what the formatters read.
// Few or small targets, one CPU, or EGRESS_LINT_WORKERS=1 lint on this thread, one target after the other.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { slimResult, withoutLinkedTemplates } from '../engine/index.js';
import type { LintResult } from '../engine/index.js';
import type { Target } from '../api/discover.js';
import { UsageError } from '../api/errors.js';
import { readsGraph } from '../api/formatters/index.js';
import type { Formatter } from '../api/formatters/index.js';
import { lintTarget } from '../api/run.js';
import type { FileLintOptions } from '../api/run.js';
import type { TargetOptions } from './plan.js';
import { rules as registry } from '../rules/index.js';
import { reviveCloned, sessionsOf } from './transfer.js';
import type { FromWorker, ToWorker, WorkerSetup } from './transfer.js';

/**
 * Below these a worker does not pay for itself: a worker costs CPU time before it lints at full speed (thread,
 * engine and rules loaded, code warmed up by the JIT), and one thread already keeps a second CPU partly busy (V8's
 * concurrent GC and compiler). Where the line lies was measured (bench/RESULTS.md, "Scaling").
 */
export const MIN_TARGETS = 8;
export const MIN_BYTES = 16 * 1024 * 1024;

/** Targets handed to a worker ahead of time, so it never waits for the main thread between two files. */
const PREFETCH = 2;

export interface ParallelOptions extends FileLintOptions {
  /** The environment: EGRESS_LINT_WORKERS=<n> sets the number of threads (1: sequential). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The formatters that will read the results: the graph stays in them only when one of these reads it. */
  readonly formatters?: readonly Formatter[];
  /** false: the main thread only hands out targets and collects results (it still lints if every worker fails). */
  readonly mainThread?: boolean;
  /** Called when target `index` is linted, with the thread that linted it (0: this one). */
  onLinted?(index: number, thread: number): void;
  /** Called before each target is linted (the CLI's progress line). */
  onProgress?(done: number, total: number, file: string): void;
  /**
   * Session options that differ from target to target (each template's own configuration, cli/plan.ts), over the
   * options above; `variantOf[i]` is target i's. Without them every target is linted with the options above.
   */
  readonly variants?: readonly TargetOptions[];
  readonly variantOf?: readonly number[];
}

/** Threads to lint on (the main thread counts as one); 1 means sequential. */
export function threadCount(targets: readonly Target[], cwd: string, env: Readonly<Record<string, string | undefined>>, cpus = availableParallelism()): number {
  const forced = env.EGRESS_LINT_WORKERS?.trim();
  if (forced) {
    if (!/^\d+$/.test(forced) || Number(forced) < 1) throw new UsageError(`EGRESS_LINT_WORKERS expects a positive integer, got '${forced}'.`);
    return Math.min(Number(forced), targets.length);
  }
  if (cpus < 2 || targets.length < MIN_TARGETS) return 1;
  const bytes = targets.reduce((n, t) => n + targetBytes(t, cwd), 0);
  return bytes < MIN_BYTES ? 1 : Math.min(cpus, targets.length);
}

function targetBytes(t: Target, cwd: string): number {
  if (t.compiled) return t.compiled.template.length;
  try {
    return statSync(resolve(cwd, t.template)).size;
  } catch {
    return 0;
  }
}

/**
 * True for data that structured clone copies faithfully: primitives, arrays, Maps, Sets and objects with
 * Object.prototype. Class instances (a TemplateDoc with methods) and null-prototype objects would arrive changed.
 */
function plainData(v: unknown, seen = new Set<unknown>()): boolean {
  if (v === null || typeof v !== 'object') return typeof v !== 'function' && typeof v !== 'symbol';
  if (seen.has(v)) return true;
  seen.add(v);
  if (Array.isArray(v)) return v.every((x) => plainData(x, seen));
  if (v instanceof Map) return [...v].every(([k, x]) => plainData(k, seen) && plainData(x, seen));
  if (v instanceof Set) return [...v].every((x) => plainData(x, seen));
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  return Object.values(v).every((x) => plainData(x, seen));
}

/** Whether results keep the graph and resolved paths: only the Markdown chart reads them (a third of a result's bytes). */
function keepGraphFor(options: ParallelOptions): boolean {
  return !options.formatters || options.formatters.some(readsGraph);
}

/** The worker's setup, or undefined when something in the options cannot be sent to a thread (a caller's own rule). */
function workerSetup(options: ParallelOptions, keepGraph: boolean): WorkerSetup | undefined {
  const byId = new Map(registry.map((r) => [r.id, r]));
  if (!options.rules.every((r) => byId.get(r.id) === r)) return undefined;
  const sent = Object.create(null) as Record<string, unknown>;
  for (const k of ['cwd', 'levels', 'scope', 'parameters', 'settings', 'inventory', 'links'] as const) {
    const v = options[k];
    if (v === undefined) continue;
    if (!plainData(v)) return undefined;
    sent[k] = v;
  }
  const variants = options.variants ?? [];
  if (!variants.every((v) => plainData(v))) return undefined;
  return { options: sent as unknown as WorkerSetup['options'], ruleIds: options.rules.map((r) => r.id), keepGraph, variants };
}


/** The worker's exception, with its stack, as the main thread's own (main.ts prints it as an internal error). */
function workerError(stack: string): Error {
  const e = new Error(stack.split('\n')[0].replace(/^\w*Error: /, ''));
  e.stack = stack;
  return e;
}

/** Starts a worker from dist/ (compiled JS) or, under tsx (the tests), from the TypeScript source. */
function startWorker(setup: WorkerSetup): Worker {
  const ts = import.meta.url.endsWith('.ts');
  const entry = new URL(ts ? './worker.ts' : './worker.js', import.meta.url);
  const workerData = setup;
  if (!ts) return new Worker(entry, { workerData });
  // A worker does not inherit tsx's module hooks (Node 20), and `--import tsx` in execArgv does not give them
  // either: register them from a bootstrap script, then load the entry.
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData, execArgv: [] });
}

/**
 * Lints every target (api/run.ts lintTarget), on several threads when it pays. A worker that fails to start or dies
 * hands its targets back to the main thread; an internal error in a worker stops the run as it would sequentially.
 */
export async function lintTargetsParallel(targets: readonly Target[], options: ParallelOptions): Promise<LintResult[]> {
  const threads = threadCount(targets, options.cwd, options.env ?? {});
  const keepGraph = keepGraphFor(options);
  const setup = threads > 1 ? workerSetup(options, keepGraph) : undefined;
  const sessionFor = sessionsOf(options, options.variants ?? []);
  const variantOf = (i: number): number | undefined => options.variantOf?.[i];
  // Each result is reduced as it comes (slimResult): the template texts and evaluated bodies of the first file need
  // not live until the thousandth is linted, and the main thread holds no more than the workers send.
  const lintHere = (i: number): LintResult => slimResult(lintTarget(targets[i], sessionFor(variantOf(i)), options.parameters), keepGraph);
  if (!setup) {
    // A template that another one links to is reported as part of the deployment that links it.
    return withoutLinkedTemplates(
      targets.map((t, i) => {
        options.onProgress?.(i, targets.length, t.template);
        return lintHere(i);
      }),
    );
  }

  // Largest first, so no thread is left with a big file at the end.
  const size = targets.map((t) => targetBytes(t, options.cwd));
  const queue = targets.map((_, i) => i).sort((a, b) => size[b] - size[a] || a - b);
  const results: (LintResult | undefined)[] = new Array(targets.length);
  let started = 0;
  let done = 0;
  let failure: Error | undefined;
  const take = (): number | undefined => {
    const i = queue.shift();
    if (i !== undefined) options.onProgress?.(started++, targets.length, targets[i].template);
    return i;
  };

  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };

  const feeders: (() => void)[] = [];
  let alive = threads - 1;
  const workers = Array.from({ length: threads - 1 }, (_, n) => {
    const w = startWorker(setup);
    const pending = new Set<number>();
    let up = true;
    const feed = (): void => {
      while (up && pending.size < PREFETCH && failure === undefined) {
        const i = take();
        if (i === undefined) return;
        pending.add(i);
        const variant = variantOf(i);
        w.postMessage({ index: i, target: targets[i], ...(variant !== undefined ? { variant } : {}) } satisfies ToWorker);
      }
    };
    // A worker that cannot start or dies gives its targets back to the others (and to this thread).
    const giveBack = (): void => {
      if (up) alive--;
      up = false;
      queue.unshift(...pending);
      started -= pending.size;
      pending.clear();
      for (const f of feeders) f();
      notify();
    };
    w.on('message', (m: FromWorker) => {
      pending.delete(m.index);
      if ('error' in m) failure ??= workerError(m.error);
      else {
        results[m.index] = reviveCloned(m.result);
        done++;
        options.onLinted?.(m.index, n + 1);
      }
      feed();
      notify();
    });
    w.on('error', giveBack);
    w.on('exit', giveBack);
    feeders.push(feed);
    feed();
    return w;
  });

  try {
    // The main thread lints too (unless told not to), one target at a time, letting the workers' messages in
    // between; it takes over everything when no worker is left.
    while (done < targets.length && failure === undefined) {
      const i = options.mainThread !== false || alive === 0 ? take() : undefined;
      if (i !== undefined) {
        results[i] = lintHere(i);
        done++;
        options.onLinted?.(i, 0);
        await new Promise<void>((r) => setImmediate(r));
      } else {
        await new Promise<void>((r) => (wake = r));
      }
    }
  } finally {
    for (const w of workers) w.removeAllListeners('exit');
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (failure) throw failure;
  return withoutLinkedTemplates(results as LintResult[]);
}
