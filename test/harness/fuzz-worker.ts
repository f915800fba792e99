// The long fuzz run's runner: each CLI run in a worker thread with a heap cap, stopped when it passes the time
// bound (a hang inside one synchronous evaluation cannot be interrupted in-process). A stopped worker is replaced
// by a fresh one for the next case. In the worker, this file answers run requests with the in-process runner.
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import type { RunResult, Runner } from './fuzz-oracle.js';

if (!isMainThread && parentPort) {
  const port = parentPort;
  const { inProcessRunner } = await import('./fuzz-oracle.js');
  const run = inProcessRunner();
  port.postMessage('ready');
  port.on('message', (text: string) => {
    void run(text).then((r) => port.postMessage(r));
  });
}

/** A runner whose runs take at most `boundMs` and `heapMiB` of old-generation heap; `close()` ends the worker. */
export function workerRunner(boundMs: number, heapMiB: number): Runner & { close(): Promise<void> } {
  let worker: Promise<Worker> | undefined;
  /** A worker that has loaded the engine (startup is not a case's time). */
  const start = (): Promise<Worker> => {
    // A worker does not inherit tsx's module hooks (Node 20): register them from a bootstrap, then load this file
    // (as cli/parallel.ts does).
    const api = import.meta.resolve('tsx/esm/api');
    const boot = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); });`;
    const w = new Worker(boot, { eval: true, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: heapMiB } });
    w.unref();
    return new Promise((resolve, reject) => {
      w.once('message', () => resolve(w));
      w.once('error', reject);
    });
  };
  const run = async (text: string): Promise<RunResult> => {
    const w = await (worker ??= start());
    return new Promise((resolve) => {
      const t0 = performance.now();
      let done = false;
      const finish = (r: RunResult, kill: boolean): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (kill) {
          worker = undefined;
          void w.terminate();
        }
        resolve(r);
      };
      const stopped = (why: 'time' | 'memory'): RunResult => ({ code: -1, out: '', err: '', ms: performance.now() - t0, stopped: why });
      const onMessage = (r: RunResult): void => finish(r, false);
      const onError = (e: Error & { code?: string }): void =>
        finish(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? stopped('memory') : { code: -1, out: '', err: `worker error: ${e.stack ?? String(e)}`, ms: performance.now() - t0 }, true);
      const onExit = (code: number): void => finish({ code: -1, out: '', err: `the worker exited (${code})`, ms: performance.now() - t0 }, true);
      const timer = setTimeout(() => finish(stopped('time'), true), boundMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage(text);
    });
  };
  return Object.assign(run, {
    close: async (): Promise<void> => {
      if (worker) await (await worker).terminate();
      worker = undefined;
    },
  });
}
