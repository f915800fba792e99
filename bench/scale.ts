// Scaling benchmark: the real CLI (dist/cli/bin.js) on generated deployments of 100 to 50,000 VMs, as many files
// of at most 800 resources (on one thread and on every CPU, EGRESS_LINT_WORKERS) and as one oversized template,
// against a baseline measured in the same run (a child process that reads and JSON.parses the same files).
// Medians of repeated runs; every run's report is checked to hold every VM with the method the generator built.
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPECTED_METHOD, generate } from './generate.js';
import type { Generated, Shape } from './generate.js';
import { howMeasured, load, machine, measure, median, repoRoot } from './measure.js';
import type { Sample } from './measure.js';

const root = repoRoot();
const bin = join(root, 'dist', 'cli', 'bin.js');
const args = process.argv.slice(2);
const sizes = (args.find((a) => /^\d[\d,]*$/.test(a)) ?? '100,1000,10000,50000').split(',').map(Number);
const baseRuns = Number(process.env.BENCH_RUNS ?? 5);
const runsFor = (n: number): number => (n >= 50_000 ? Math.max(1, Math.ceil(baseRuns / 2)) : baseRuns);

interface Variant {
  readonly name: string;
  readonly shape: Shape;
  readonly env: Readonly<Record<string, string>>;
}
// Files on one thread and on every CPU (forced either way: by default threads start at 16 MB, cli/parallel.ts).
const VARIANTS: readonly Variant[] = [
  { name: 'files, 1 thread', shape: 'files', env: { EGRESS_LINT_WORKERS: '1' } },
  { name: `files, ${availableParallelism()} threads`, shape: 'files', env: { EGRESS_LINT_WORKERS: String(availableParallelism()) } },
  { name: 'one template', shape: 'one', env: {} },
];

// The baseline: the same files read and JSON.parse'd by a fresh Node process.
const BASELINE = `const fs = require('node:fs'); let n = 0; for (const f of fs.readdirSync('.')) if (f.endsWith('.json') && f !== 'report.json') n += Object.keys(JSON.parse(fs.readFileSync(f, 'utf8'))).length; if (!n) process.exit(3);`;

interface Report {
  readonly vms: readonly { readonly verdict: string; readonly paths: readonly { readonly primary: boolean; readonly method: string }[] }[];
  readonly findings: readonly { readonly ruleId: string; readonly severity: string; readonly message: string }[];
}

/** Checks one run's report: every VM present, with the method and verdict the generator built. Returns why not. */
function check(g: Generated, shape: Shape, s: Sample, reportFile: string): string | undefined {
  const oversized = shape === 'one' && g.resources > 800;
  const expectedCode = oversized ? 1 : 0;
  if (s.code !== expectedCode) return `exit code ${s.code}, expected ${expectedCode}: ${s.stderr.trim().split('\n')[0] ?? ''}`;
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
  const cap = report.findings.find((f) => /safety cap/.test(f.message));
  if (report.vms.length !== g.vms || cap) return `${report.vms.length} of ${g.vms} VMs in the report${cap ? ` (${cap.message})` : ''}`;
  const methods: Record<string, number> = {};
  const verdicts: Record<string, number> = {};
  for (const vm of report.vms) {
    verdicts[vm.verdict] = (verdicts[vm.verdict] ?? 0) + 1;
    const m = vm.paths.find((p) => p.primary)?.method ?? 'none';
    methods[m] = (methods[m] ?? 0) + 1;
  }
  if (verdicts.deterministic !== g.vms) return `verdicts ${JSON.stringify(verdicts)}, expected every VM deterministic`;
  for (const [m, n] of Object.entries(g.methods)) if (methods[m] !== n) return `${methods[m] ?? 0} VMs via ${m}, expected ${n}`;
  const errors = report.findings.filter((f) => f.severity === 'error');
  if (oversized ? !errors.some((f) => f.ruleId === 'limit-exceeded') : errors.length > 0) return `unexpected error findings: ${errors.map((f) => f.ruleId).join(', ') || 'no limit-exceeded'}`;
  return undefined;
}

interface Row {
  readonly n: number;
  readonly variant: string;
  readonly files: number;
  readonly resources: number;
  readonly mb: number;
  readonly baseline: { wall: number; cpu: number; peak: number };
  readonly lint: { wall: number; cpu: number; peak: number };
  readonly problem: string | undefined;
}

const rows: Row[] = [];
console.log(`machine: ${machine()}; ${availableParallelism()} threads available; at the start: ${load()}`);
console.log(`measured with ${howMeasured()}; medians of ${baseRuns} runs (${Math.max(1, Math.ceil(baseRuns / 2))} at 50,000 VMs), baseline and lint interleaved`);
console.log(`VM mix: ${Object.values(EXPECTED_METHOD).join(', ')} in equal parts; half in copy loops, half flat; files of at most 800 resources\n`);

for (const n of sizes) {
  const generated = new Map<Shape, Generated>();
  for (const v of VARIANTS) if (!generated.has(v.shape)) generated.set(v.shape, generate(n, v.shape));
  const samples = new Map<string, { base: Sample[]; lint: Sample[]; problem?: string }>(VARIANTS.map((v) => [v.name, { base: [], lint: [] }]));
  for (let run = 0; run < runsFor(n); run++) {
    for (const v of VARIANTS) {
      const g = generated.get(v.shape)!;
      const s = samples.get(v.name)!;
      s.base.push(measure(['-e', BASELINE], g.dir));
      const reportFile = join(g.dir, 'report.json');
      const lint = measure([bin, '.', '--format', 'json', '--output', reportFile], g.dir, v.env);
      s.lint.push(lint);
      s.problem ??= check(g, v.shape, lint, reportFile);
      rmSync(reportFile, { force: true });
    }
  }
  for (const v of VARIANTS) {
    const g = generated.get(v.shape)!;
    const s = samples.get(v.name)!;
    const stat = (xs: Sample[]) => ({ wall: median(xs.map((x) => x.wallMs)), cpu: median(xs.map((x) => x.cpuMs)), peak: median(xs.map((x) => x.peakMb)) });
    if (s.base.some((b) => b.code !== 0)) s.problem ??= 'the baseline failed';
    rows.push({ n, variant: v.name, files: g.files.length, resources: g.resources, mb: g.bytes / 1048576, baseline: stat(s.base), lint: stat(s.lint), problem: s.problem });
  }
  for (const g of generated.values()) rmSync(g.dir, { recursive: true, force: true });
  const last = rows.slice(-VARIANTS.length);
  for (const r of last) console.log(`${r.n} VMs, ${r.variant}: lint ${(r.lint.wall / 1000).toFixed(2)} s, ${r.lint.peak.toFixed(0)} MB${r.problem ? `  PROBLEM: ${r.problem}` : ''}`);
}

const pad = (s: string, w: number) => s.padStart(w);
console.log('\n| VMs | input | files | resources | MB | baseline wall | lint wall | × baseline | lint CPU | ms / 1000 VMs | marginal ms / 1000 VMs | peak MB | marginal MB / 1000 VMs | check |');
console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of rows) {
  const prev = [...rows].reverse().find((p) => p.variant === r.variant && p.n < r.n);
  const marginal = (a: number, b: number) => (prev ? ((a - b) / (r.n - prev.n)) * 1000 : NaN);
  const dt = marginal(r.lint.wall, prev?.lint.wall ?? 0);
  const dm = marginal(r.lint.peak, prev?.lint.peak ?? 0);
  console.log(
    `| ${r.n} | ${r.variant} | ${r.files} | ${r.resources} | ${r.mb.toFixed(1)} | ${(r.baseline.wall / 1000).toFixed(2)} s | ${(r.lint.wall / 1000).toFixed(2)} s | ${(r.lint.wall / r.baseline.wall).toFixed(1)} | ${(r.lint.cpu / 1000).toFixed(2)} s | ${pad(((r.lint.wall / r.n) * 1000).toFixed(0), 5)} | ${Number.isNaN(dt) ? '' : dt.toFixed(0)} | ${r.lint.peak.toFixed(0)} | ${Number.isNaN(dm) ? '' : dm.toFixed(1)} | ${r.problem ? `**${r.problem}**` : 'ok'} |`,
  );
}
for (const r of rows.filter((x) => x.n === 10_000)) {
  const ok = r.lint.wall <= 2000 && r.lint.peak <= 512;
  console.log(`10,000 VMs, ${r.variant}: ${(r.lint.wall / 1000).toFixed(2)} s and ${r.lint.peak.toFixed(0)} MB: ${ok ? 'within' : 'NOT within'} 2 s and 512 MB`);
}
console.log(`at the end: ${load()}`);
const leftovers = readdirSync(tmpdir()).filter((f) => f.startsWith('egress-lint-scale-'));
if (leftovers.length) console.log(`(left in ${tmpdir()}: ${leftovers.length} generated folders from interrupted runs)`);
if (rows.some((r) => r.problem)) process.exitCode = 1;
