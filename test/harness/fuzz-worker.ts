// The long fuzz run's runner: each CLI run in a child process with a heap cap (--max-old-space-size), stopped when
// it passes the time bound in CPU time, or three times it in wall-clock time (a hang inside one synchronous evaluation cannot be interrupted in-process). A child
// process rather than a worker thread: a worker's resourceLimits do not catch every out-of-memory (a large
// allocation aborts the whole process, the run with it), a child's abort ends only the child. A stopped child is
// replaced by a fresh one for the next case. Run as the child (FUZZ_CHILD=1), this file answers run requests.
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

/** How many times the time bound a run may take in wall-clock time, whatever CPU time it spent. */
const WALL_CAP = 3;

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** The CPU time (user + system) process `pid` has spent, from /proc; undefined where there is no /proc. */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name (in parentheses, may hold spaces): state, then utime and stime are the 12th and 13th.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(rest[11]) + Number(rest[12])) * 1000) / USER_HZ;
  } catch {
    return undefined;
  }
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
      const stopped = (why: 'time' | 'memory'): RunResult => ({ code: -1, out: '', err: '', ms: performance.now() - t0, ...(used === undefined ? {} : { cpuMs: used }), stopped: why });
      const onMessage = (r: RunResult): void => finish(r, false);
      const onExit = (code: number | null, signal: string | null): void =>
        finish(/heap out of memory|Allocation failed/.test(stderr()) ? stopped('memory') : { code: -1, out: '', err: `the fuzz child exited (${code ?? signal}): ${stderr().slice(-1500)}`, ms: performance.now() - t0 }, true);
      // The bound is CPU time (fuzz-oracle.ts RunResult.cpuMs): at each check, a child that has spent less than the
      // bound gets the rest of it, up to WALL_CAP times the bound in wall-clock time (a run blocked without spending CPU).
      const cpu0 = cpuMsOf(p.pid);
      let used: number | undefined;
      const check = (): void => {
        const now = cpuMsOf(p.pid);
        used = cpu0 === undefined || now === undefined ? undefined : now - cpu0;
        if (used === undefined || used >= boundMs || performance.now() - t0 >= boundMs * WALL_CAP) finish(stopped('time'), true);
        else timer = setTimeout(check, Math.max(100, boundMs - used));
      };
      let timer = setTimeout(check, boundMs);
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
