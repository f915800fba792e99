// The hostile inputs of issue 21 (test/harness/hostile/) run as users run them: each in its own `node
// dist/cli/bin.js` process (built by `npm run bench:hostile`), timed, its peak memory read from the child itself.
// Prints every input that misses its expectation or the bounds (10 s, 1 GiB), then the slowest ten. Exit 1 on any.
// HOSTILE_KILL_MS ends a child that runs longer (default 120,000), so a hang is reported rather than waited on.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HOSTILE_INPUTS } from '../test/harness/hostile/index.js';
import { materialise, unmet } from '../test/harness/hostile/run.js';

const BIN = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const BOUND_MS = 10_000;
const BOUND_KB = 1024 * 1024;
const killMs = Number(process.env.HOSTILE_KILL_MS ?? 120_000);
// The child writes its peak resident set (KiB, from process.resourceUsage) to fd 3 as it exits.
const PEAK = 'data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>{try{writeSync(3,String(process.resourceUsage().maxRSS))}catch{}})';

try {
  readFileSync(BIN);
} catch {
  console.error('bench:hostile: dist/cli/bin.js is missing; run it as `npm run bench:hostile` (it builds first).');
  process.exit(2);
}

interface Row {
  readonly name: string;
  readonly ms: number;
  readonly kb: number | undefined;
  readonly problem: string | undefined;
}

const rows: Row[] = [];
for (const input of HOSTILE_INPUTS) {
  const { dir, args } = materialise(input);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', PEAK, BIN, ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe', 'pipe'], timeout: killMs, maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const checked = input.check?.(dir);
  rmSync(dir, { recursive: true, force: true });
  const peak = Number(r.output[3]);
  const kb = Number.isFinite(peak) && peak > 0 ? peak : undefined;
  let problem: string | undefined;
  if (r.error || r.status === null) problem = `ended by ${r.signal ?? r.error?.message ?? 'unknown'} after ${Math.round(ms)} ms`;
  else problem = unmet(input, { code: r.status, out: `${r.stdout}${r.stderr}`, ...(checked !== undefined ? { checked } : {}) });
  if (problem === undefined && ms > BOUND_MS) problem = `took ${Math.round(ms)} ms, over ${BOUND_MS}`;
  if (problem === undefined && kb !== undefined && kb > BOUND_KB) problem = `peaked at ${Math.round(kb / 1024)} MiB, over 1 GiB`;
  rows.push({ name: input.name, ms, kb, problem });
}

const failed = rows.filter((r) => r.problem !== undefined);
for (const r of failed) console.log(`FAIL  ${r.name}: ${r.problem}`);
console.log(`hostile: ${rows.length} inputs, ${failed.length} failed; Node ${process.version}. Slowest ten (wall ms, peak MiB):`);
for (const r of [...rows].sort((a, b) => b.ms - a.ms).slice(0, 10))
  console.log(`${String(Math.round(r.ms)).padStart(8)} ms ${r.kb === undefined ? '      ?' : String(Math.round(r.kb / 1024)).padStart(7)} MiB  ${r.name}`);
process.exitCode = failed.length > 0 ? 1 : 0;
