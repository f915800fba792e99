// Start-up benchmark: bare `node -e 0` against `egress-lint --version` and a one-file lint of a small example
// (what a pre-commit hook runs on every commit), each a fresh process; medians of interleaved runs.
import { join } from 'node:path';
import { howMeasured, load, machine, measure, median, repoRoot } from './measure.js';
import type { Sample } from './measure.js';

const root = repoRoot();
const bin = join(root, 'dist', 'cli', 'bin.js');
const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 21);
const example = 'examples/multi-nic/main.json';

const JOBS: readonly { readonly name: string; readonly args: readonly string[]; readonly codes: readonly number[] }[] = [
  { name: 'node -e 0', args: ['-e', '0'], codes: [0] },
  { name: 'egress-lint --version', args: [bin, '--version'], codes: [0] },
  // 0 or 1 (the example has findings on purpose); 2 would mean it could not lint.
  { name: `egress-lint ${example}`, args: [bin, example], codes: [0, 1] },
];

const samples = new Map<string, Sample[]>(JOBS.map((j) => [j.name, []]));
for (const j of JOBS) measure(j.args, root); // warm the file cache
for (let i = 0; i < runs; i++) {
  for (const j of JOBS) {
    const s = measure(j.args, root);
    if (!j.codes.includes(s.code)) throw new Error(`${j.name} exited ${s.code}: ${s.stderr.trim()}`);
    samples.get(j.name)!.push(s);
  }
}

console.log(`machine: ${machine()}; ${load()}`);
console.log(`measured with ${howMeasured()}; medians of ${runs} interleaved runs\n`);
console.log('| command | wall (median) | CPU (median) | over bare Node, wall | over bare Node, CPU | peak MB |');
console.log('|---|---:|---:|---:|---:|---:|');
const bare = samples.get(JOBS[0].name)!;
const bareWall = median(bare.map((s) => s.wallMs));
const bareCpu = median(bare.map((s) => s.cpuMs));
for (const j of JOBS) {
  const xs = samples.get(j.name)!;
  const wall = median(xs.map((s) => s.wallMs));
  const cpu = median(xs.map((s) => s.cpuMs));
  const over = j === JOBS[0] ? '' : `+${(wall - bareWall).toFixed(0)} ms`;
  const overCpu = j === JOBS[0] ? '' : `+${(cpu - bareCpu).toFixed(0)} ms`;
  console.log(`| \`${j.name}\` | ${wall.toFixed(0)} ms | ${cpu.toFixed(0)} ms | ${over} | ${overCpu} | ${median(xs.map((s) => s.peakMb)).toFixed(0)} |`);
}
const lint = median(samples.get(JOBS[2].name)!.map((s) => s.wallMs)) - bareWall;
console.log(`\none-file lint: ${lint.toFixed(0)} ms over bare Node: ${lint <= 100 ? 'within' : 'NOT within'} the 100 ms target`);
