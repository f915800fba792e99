// The long fuzz run's runner: each CLI run in a child process with a heap cap (--max-old-space-size), stopped when
// it passes the time bound (a hang inside one synchronous evaluation cannot be interrupted in-process). A child
// process rather than a worker thread: a worker's resourceLimits do not catch every out-of-memory (a large
// allocation aborts the whole process, the run with it), a child's abort ends only the child. A stopped child is
// replaced by a fresh one for the next case. Run as the child (FUZZ_CHILD=1), this file answers run requests.
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunResult, Runner } from './fuzz-oracle.js';

if (process.env.FUZZ_CHILD === '1' && process.send) {
  const { inProcessRunner } = await import('./fuzz-oracle.js');
  const run = inProcessRunner();
  process.on('message', (text: string) => {
    void run(text).then((r) => process.send!(r));
  });
  process.on('disconnect', () => process.exit(0));
  process.send('ready');
}

/** A runner whose runs take at most `boundMs` and `heapMiB` of old-generation heap; `close()` ends the child. */
export function workerRunner(boundMs: number, heapMiB: number): Runner & { close(): Promise<void> } {
  let child: Promise<{ p: ChildProcess; stderr: () => string }> | undefined;
  /** A child that has loaded the engine (startup is not a case's time). */
  const start = (): Promise<{ p: ChildProcess; stderr: () => string }> => {
    const p = fork(fileURLToPath(import.meta.url), [], {
      execArgv: ['--import', 'tsx', `--max-old-space-size=${heapMiB}`],
      env: { ...process.env, FUZZ_CHILD: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    // A child busy in a hang does not see the parent go: end it with the parent.
    const end = (): void => void p.kill('SIGKILL');
    process.once('exit', end);
    p.once('exit', () => process.off('exit', end));
    let err = '';
    p.stderr!.on('data', (d: Buffer) => {
      if (err.length < 4000) err += d.toString();
    });
    return new Promise((resolve, reject) => {
      p.once('message', () => resolve({ p, stderr: () => err }));
      p.once('exit', (code) => reject(new Error(`the fuzz child exited (${code}) before it was ready: ${err}`)));
    });
  };
  const run = async (text: string): Promise<RunResult> => {
    const { p, stderr } = await (child ??= start());
    return new Promise((resolve) => {
      const t0 = performance.now();
      let done = false;
      const finish = (r: RunResult, kill: boolean): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        p.off('message', onMessage);
        p.off('exit', onExit);
        if (kill) {
          child = undefined;
          p.kill('SIGKILL');
        }
        resolve(r);
      };
      const stopped = (why: 'time' | 'memory'): RunResult => ({ code: -1, out: '', err: '', ms: performance.now() - t0, stopped: why });
      const onMessage = (r: RunResult): void => finish(r, false);
      const onExit = (code: number | null, signal: string | null): void =>
        finish(/heap out of memory|Allocation failed/.test(stderr()) ? stopped('memory') : { code: -1, out: '', err: `the fuzz child exited (${code ?? signal}): ${stderr().slice(-1500)}`, ms: performance.now() - t0 }, true);
      const timer = setTimeout(() => finish(stopped('time'), true), boundMs);
      p.on('message', onMessage);
      p.on('exit', onExit);
      p.send(text);
    });
  };
  return Object.assign(run, {
    close: async (): Promise<void> => {
      if (child) (await child).p.kill('SIGKILL');
      child = undefined;
    },
  });
}
