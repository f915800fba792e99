// Runs a command in a child process and measures its wall time, CPU time and peak memory: /usr/bin/time when
// the machine has it, else a preload that reports the child's own process.resourceUsage() at exit.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

export interface Sample {
  readonly code: number;
  readonly wallMs: number;
  /** User + system CPU time of the child (all its threads). */
  readonly cpuMs: number;
  readonly peakMb: number;
  readonly stderr: string;
}

const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);
// Without /usr/bin/time: a preload writes the child's resource usage to the file named in EGRESS_BENCH_USAGE.
const PROBE = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => { const u = process.resourceUsage(); writeFileSync(process.env.EGRESS_BENCH_USAGE, JSON.stringify({ user: u.userCPUTime, system: u.systemCPUTime, maxRSS: u.maxRSS })); });",
)}`;

export function howMeasured(): string {
  return hasTime ? `${TIME} (wall time measured around the child)` : 'process.resourceUsage() of the child (wall time measured around it)';
}

/** Runs `node <args>` in `cwd` with `env` added; stdout is discarded. */
export function measure(args: readonly string[], cwd: string, env: Readonly<Record<string, string>> = {}): Sample {
  const scratch = mkdtempSync(join(tmpdir(), 'egress-lint-measure-'));
  try {
    const usageFile = join(scratch, 'usage.json');
    const childEnv = { ...process.env, ...env, EGRESS_BENCH_USAGE: usageFile };
    const argv = hasTime ? ['-f', '%U %S %M', '-o', join(scratch, 'time.txt'), process.execPath, ...args] : ['--import', PROBE, ...args];
    const t0 = performance.now();
    const r = spawnSync(hasTime ? TIME : process.execPath, argv, { cwd, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    const wallMs = performance.now() - t0;
    let cpuMs: number;
    let peakMb: number;
    if (hasTime) {
      const [u, s, m] = readFileSync(join(scratch, 'time.txt'), 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      cpuMs = (u + s) * 1000;
      peakMb = m / 1024;
    } else {
      const u = JSON.parse(readFileSync(usageFile, 'utf8')) as { user: number; system: number; maxRSS: number };
      cpuMs = (u.user + u.system) / 1000;
      peakMb = u.maxRSS / 1024;
    }
    return { code: r.status ?? -1, wallMs, cpuMs, peakMb, stderr: r.stderr.toString() };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, ${process.platform}`;
}

/** The 1-minute load average: other processes' share of the CPUs, which inflates wall times. */
export function load(): string {
  return `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs`;
}

/** The repository root, from bench/ under tsx or .bench-build/bench/ compiled. */
export function repoRoot(): string {
  const here = new URL('.', import.meta.url).pathname;
  for (const up of ['..', '../..']) {
    const dir = join(here, up);
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'cli'))) return dir;
  }
  throw new Error('Cannot find the repository root from bench/.');
}
