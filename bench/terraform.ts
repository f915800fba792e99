// Terraform benchmark (issue 22): the real CLI (dist/cli/bin.js) on a generated `terraform show -json` plan of about
// 5,000 azurerm resources, against a baseline measured in the same run: a fresh Node process that reads the same
// file and JSON.parses it (start-up plus JSON.parse). The target: lint in under twice the baseline. Medians of
// interleaved runs; every run's report is checked to hold every VM, deterministic, with the method the plan built.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateTerraformPlan } from './terraform-plan.js';
import { howMeasured, load, machine, measure, median, repoRoot } from './measure.js';
import type { Sample } from './measure.js';

const root = repoRoot();
const bin = join(root, 'dist', 'cli', 'bin.js');
const size = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 5000);
const runs = Number(process.env.BENCH_RUNS ?? 7);
const BASELINE = `const fs = require('node:fs'); const v = JSON.parse(fs.readFileSync('plan.json', 'utf8')); if (!v.format_version) process.exit(3);`;

interface Report {
  readonly vms: readonly { readonly verdict: string; readonly paths: readonly { readonly primary: boolean; readonly method: string }[] }[];
  readonly findings: readonly { readonly severity: string; readonly ruleId: string }[];
}

const plan = generateTerraformPlan(size);
const reportFile = join(plan.dir, 'report.json');

/** Why a run's report is not what the plan builds, or undefined. */
function check(s: Sample): string | undefined {
  if (s.code !== 0) return `exit code ${s.code}: ${s.stderr.trim().split('\n')[0] ?? ''}`;
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
  if (report.vms.length !== plan.vms) return `${report.vms.length} of ${plan.vms} VMs in the report`;
  const methods: Record<string, number> = {};
  for (const vm of report.vms) {
    if (vm.verdict !== 'deterministic') return `a VM is ${vm.verdict}`;
    const m = vm.paths.find((p) => p.primary)?.method ?? 'none';
    methods[m] = (methods[m] ?? 0) + 1;
  }
  for (const [m, n] of Object.entries(plan.methods)) if (methods[m] !== n) return `${methods[m] ?? 0} VMs via ${m}, expected ${n}`;
  const errors = report.findings.filter((f) => f.severity === 'error');
  return errors.length ? `error findings: ${errors.map((f) => f.ruleId).join(', ')}` : undefined;
}

const jobs: readonly { readonly name: string; readonly args: readonly string[] }[] = [
  { name: 'node -e 0 (bare start-up)', args: ['-e', '0'] },
  { name: 'egress-lint --version (start-up)', args: [bin, '--version'] },
  { name: 'baseline: start-up + read + JSON.parse', args: ['-e', BASELINE] },
  { name: 'egress-lint plan.json --format json', args: [bin, 'plan.json', '--format', 'json', '--output', 'report.json'] },
];
const samples = new Map<string, Sample[]>(jobs.map((j) => [j.name, []]));
let problem: string | undefined;
for (const j of jobs) measure(j.args, plan.dir); // warm the file cache
for (let i = 0; i < runs; i++) {
  for (const j of jobs) {
    const s = measure(j.args, plan.dir);
    samples.get(j.name)!.push(s);
    if (j === jobs[3]) problem ??= check(s);
    else if (s.code !== 0) problem ??= `${j.name} exited ${s.code}`;
  }
}
rmSync(plan.dir, { recursive: true, force: true });

console.log(`machine: ${machine()}; ${load()}`);
console.log(`measured with ${howMeasured()}; medians of ${runs} interleaved runs`);
console.log(`plan: ${plan.resources} resources, ${plan.vms} VMs (${Object.entries(plan.methods).map(([m, n]) => `${n} ${m}`).join(', ')}), ${(plan.bytes / 1048576).toFixed(1)} MB on one line\n`);
console.log('| job | wall (median) | CPU (median) | peak MB |');
console.log('|---|---:|---:|---:|');
const stat = (name: string) => {
  const xs = samples.get(name)!;
  return { wall: median(xs.map((s) => s.wallMs)), cpu: median(xs.map((s) => s.cpuMs)), peak: median(xs.map((s) => s.peakMb)) };
};
for (const j of jobs) {
  const s = stat(j.name);
  console.log(`| ${j.name} | ${s.wall.toFixed(0)} ms | ${s.cpu.toFixed(0)} ms | ${s.peak.toFixed(0)} |`);
}
const base = stat(jobs[2].name);
const lint = stat(jobs[3].name);
const ratio = lint.wall / base.wall;
console.log(`\nlint / baseline: ${ratio.toFixed(2)}x wall, ${(lint.cpu / base.cpu).toFixed(2)}x CPU: ${ratio < 2 ? 'within' : 'NOT within'} the target (under 2x)`);
console.log(`check: ${problem ?? 'ok (every VM in the report, deterministic, with the method the plan built)'}`);
console.log(`at the end: ${load()}`);
if (problem) process.exitCode = 1;
