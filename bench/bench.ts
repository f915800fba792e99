// Benchmark: expansion and full lint of every corpus template against a parse-only baseline (the same files read
// and JSON.parse'd in the same process). Medians of several runs; ratios are what to compare across machines.
import { cpus, loadavg, totalmem } from 'node:os';
import { clearParseCache, expandDocument, lintDocument } from '../engine/index.js';
import { diskHost } from '../api/files.js';
import { rules } from '../rules/index.js';
import { corpusEntries, cpuMs, documentOf, parseOnly } from './corpus-files.js';

const dir = process.argv[2] ?? '../shared/corpus';
const runs = Number(process.env.BENCH_RUNS ?? 9);
// Three warm-up passes, not one: V8 is still compiling lint's code after the first. Optimised compilations per lint
// pass of the corpus (node --trace-opt): 342, 110, 96, 42, 32, 26, 12; the compiler threads' CPU time counts in
// process CPU time, so with one warm-up pass the median still carried about a tenth of JIT work. The first (cold)
// pass is reported on its own line.
const warmups = Math.max(1, Number(process.env.BENCH_WARMUP ?? 3));
let entries;
try {
  entries = corpusEntries(dir);
} catch {
  console.log(`${dir} not found: corpus benchmark skipped`);
  process.exit(0);
}
const host = diskHost(process.cwd(), { root: dir });

function expandAll(): number {
  clearParseCache();
  let n = 0;
  for (const e of entries!) {
    const { deployment } = expandDocument(documentOf(e), { host });
    n += deployment.resources.length;
  }
  return n;
}

function lintAll(): number {
  clearParseCache();
  let n = 0;
  for (const e of entries!) {
    const r = lintDocument(documentOf(e), { rules, host });
    n += r.vms.length + r.findings.length;
  }
  return n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const jobs = [
  ['parse', () => parseOnly(entries!)],
  ['expand', expandAll],
  ['lint', lintAll],
] as const;
const times: Record<string, number[]> = { parse: [], expand: [], lint: [] };
const cold: Record<string, number> = {};
// The first warm-up pass runs lint before expand, so its lint time is a cold process's (what one CLI run pays).
for (let i = 0; i < warmups; i++) {
  for (const [name, fn] of i === 0 ? [jobs[0], jobs[2], jobs[1]] : jobs) {
    const t0 = cpuMs();
    fn();
    if (i === 0) cold[name] = cpuMs() - t0;
  }
}
// Interleaved measured runs, so drift hits all three alike. Each run's ratios are taken against the baseline pass
// run just before it (seconds apart, under the same load from other processes); the median of those per-run
// ratios is steadier on a shared machine than the ratio of the medians, which is printed too.
const ratios: Record<string, number[]> = { expand: [], lint: [] };
for (let i = 0; i < runs; i++) {
  for (const [name, fn] of jobs) {
    const t0 = cpuMs();
    fn();
    times[name].push(cpuMs() - t0);
  }
  for (const name of ['expand', 'lint']) ratios[name].push(times[name][i] / times.parse[i]);
}
const p = median(times.parse);
const line = (name: 'expand' | 'lint'): string => {
  const t = median(times[name]);
  // The spread of the per-run ratios is printed too: on a shared machine it is often as wide as a change being measured.
  const r = ratios[name];
  return `${t.toFixed(1)} ms  = ${median(r).toFixed(2)}x baseline (median of per-run ratios, which ran ${Math.min(...r).toFixed(2)}x-${Math.max(...r).toFixed(2)}x; ratio of medians ${(t / p).toFixed(2)}x)`;
};
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${loadavg()[0].toFixed(1)}`);
console.log(`corpus: ${entries.length} templates; ${warmups} warm-up pass(es), then ${runs} runs each; medians of process CPU time`);
console.log(`parse-only baseline (read + JSON.parse): ${p.toFixed(1)} ms`);
console.log(`expand (load + parameters + expansion):  ${line('expand')}`);
console.log(`lint (expand + graph + egress + rules):  ${line('lint')}`);
console.log(`first (cold) pass, JIT warm-up included: baseline ${cold.parse.toFixed(0)} ms, lint ${cold.lint.toFixed(0)} ms = ${(cold.lint / cold.parse).toFixed(2)}x`);
