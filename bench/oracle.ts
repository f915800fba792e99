// The differential check: every corpus template through Azure's own template engine (the Bicep CLI's snapshot)
// and through egress-lint's expansion, with the same parameter values, and the resources compared (compare.ts).
//
//   npm run oracle -- <corpus> [--sample N] [--only <regex>] [--jobs N] [--all] [--list <kind or cause>]
//                              [--json <file>] [--expect <file>] [--write-expect <file> [--keep N]]
//
// --sample N takes every k-th template of the sorted list (k = the count / N), a fixed rule. --write-expect writes
// what the run found as an expectations file; with --keep N only the fixed sample of N plus the first template of
// each cause (so a check of the file exercises every explanation). --expect checks a run against such a file
// (bench/oracle-expected.json), over the templates it lists unless --sample or --only says otherwise: a difference
// it does not list, one it lists that is gone, or an unexplained one fails the run. Needs `bicep` on PATH (0.41 or
// later, for snapshots).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { corpusEntries } from './corpus-files.js';
import type { CorpusEntry } from './corpus-files.js';
import { compare } from './oracle/compare.js';
import type { Difference } from './oracle/compare.js';
import { CAUSES, FAILURE_CAUSES, causeOf, failureCauseOf } from './oracle/causes.js';
import { evaluate } from './oracle/run.js';
import { SnapshotPool, findBicep } from './oracle/snapshot.js';
import { sampleOf } from './oracle/sample.js';

interface Args {
  corpus: string;
  sample?: number;
  only?: RegExp;
  jobs: number;
  all: boolean;
  list?: string;
  json?: string;
  expect?: string;
  writeExpect?: string;
  keep?: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { corpus: '', jobs: Math.max(1, availableParallelism()), all: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    const next = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${v} needs a value`);
      return x;
    };
    if (v === '--sample') a.sample = Number(next());
    else if (v === '--only') a.only = new RegExp(next());
    else if (v === '--jobs') a.jobs = Number(next());
    else if (v === '--all') a.all = true;
    else if (v === '--list') a.list = next();
    else if (v === '--json') a.json = next();
    else if (v === '--expect') a.expect = next();
    else if (v === '--write-expect') a.writeExpect = next();
    else if (v === '--keep') a.keep = Number(next());
    else if (!a.corpus) a.corpus = v;
    else throw new Error(`unexpected argument ${v}`);
  }
  if (!a.corpus) throw new Error('usage: npm run oracle -- <corpus> [--sample N] [--only <regex>] [--jobs N] [--all] [--json <file>] [--expect <file>]');
  return a;
}

/** One template's outcome. */
interface Outcome {
  readonly template: string;
  readonly failed?: string;
  /** Why the snapshot failed (FAILURE_CAUSES), when a cause explains it. */
  readonly failureCause?: string;
  readonly azureResources?: number;
  readonly ourResources?: number;
  readonly matched?: number;
  readonly agreements?: number;
  readonly differences: (Difference & { cause?: string })[];
  readonly crashed?: string;
  /** egress-lint's resources in nested deployments the snapshot did not expand, by reason. */
  readonly notExpanded?: Record<string, number>;
  /** When the snapshot failed: egress-lint's own problems with the same inputs (rule id: message). */
  readonly ourProblems?: string[];
  /** How many parameter values came from where (params.ts Origin). */
  readonly inputs?: Readonly<Record<string, number>>;
}

/** A value of a difference, cut for a line of the report. */
function short(s: string | undefined): string {
  if (s === undefined) return '-';
  return s.length > 200 ? s.slice(0, 199) + '…' : s;
}

/** A difference as the expectations file keys it. */
function keyOf(d: Difference): string {
  return `${d.kind} | ${d.resource} | ${d.path}`;
}

/** The group a failed snapshot's reason falls in (the reasons carry names and line numbers). */
function failureGroup(reason: string): string {
  return reason
    .replace(/'[^']*'/g, "'…'")
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d+/g, 'N')
    .slice(0, 200);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const bicep = findBicep();
  if (!bicep) {
    console.error('oracle: no bicep on PATH (install it with scripts/ci/install-bicep.sh and put .tools/bin on PATH)');
    process.exit(2);
  }
  let entries: CorpusEntry[] = corpusEntries(args.corpus);
  if (args.only) entries = entries.filter((e) => args.only!.test(e.template));
  if (args.sample) entries = sampleOf(entries, args.sample);
  if (args.expect && !args.only && !args.sample) {
    const listed = new Set(Object.keys((JSON.parse(readFileSync(args.expect, 'utf8')) as Expectations).templates));
    entries = entries.filter((e) => listed.has(relative(args.corpus, e.template)));
  }
  const pool = new SnapshotPool(bicep, args.jobs, join(process.cwd(), '.oracle-cache'));
  const version = await pool.start();
  const work = mkdtempSync(join(tmpdir(), 'egress-lint-oracle-'));
  const started = Date.now();
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= entries.length) return;
      const e = await evaluate(args.corpus, entries[i], work, pool);
      if ('failed' in e.azure) {
        const failureCause = failureCauseOf(e.azure.failed, e);
        outcomes[i] = { template: e.template, failed: e.azure.failed, ...(failureCause ? { failureCause } : {}), differences: [], ourProblems: e.problems.map((p) => `${p.ruleId}: ${p.message}`), inputs: e.inputs };
        continue;
      }
      const crash = e.problems.find((p) => p.ruleId === 'crash');
      if (!e.ours || crash) {
        outcomes[i] = { template: e.template, crashed: crash?.message ?? 'no expansion', differences: [] };
        continue;
      }
      const c = compare(e.azure.snapshot.predictedResources, e.ours.resources, e.azure.snapshot.diagnostics, args.all);
      const differences = c.differences.map((d) => {
        const cause = causeOf(d, e);
        return cause ? { ...d, cause } : d;
      });
      outcomes[i] = { template: e.template, azureResources: c.azureResources, ourResources: c.ourResources, matched: c.matched, agreements: c.agreements, differences, notExpanded: c.notExpanded, inputs: e.inputs };
      if ((i + 1) % 50 === 0) console.error(`oracle: ${i + 1}/${entries.length}`);
    }
  };
  const workers: Promise<void>[] = [];
  // Twice the processes: one task expands with egress-lint while the other waits for its snapshot.
  for (let j = 0; j < args.jobs * 2; j++) workers.push(worker());
  await Promise.all(workers);
  pool.stop();
  rmSync(work, { recursive: true, force: true });
  const seconds = (Date.now() - started) / 1000;
  report(args, outcomes, version, seconds, pool);
  if (args.json) writeFileSync(args.json, JSON.stringify({ bicep: version, outcomes }, null, 1) + '\n');
  if (args.writeExpect) writeFileSync(args.writeExpect, JSON.stringify(expectationsOf(args, outcomes), null, 1) + '\n');
  if (args.expect) process.exitCode = checkExpectations(args.expect, outcomes) ? 0 : 1;
  if (outcomes.some((o) => o.crashed)) process.exitCode = 1;
}

function report(args: Args, outcomes: readonly Outcome[], version: string, seconds: number, pool: SnapshotPool): void {
  const evaluated = outcomes.filter((o) => !o.failed && !o.crashed);
  const agree = evaluated.filter((o) => o.differences.length === 0);
  console.log(`oracle: Bicep ${version}, ${outcomes.length} templates${args.sample ? ` (sample of ${args.sample})` : ''}, ${seconds.toFixed(0)} s, snapshot cache ${pool.hits} hits / ${pool.misses} evaluated`);
  console.log(`snapshot evaluated: ${evaluated.length}; failed: ${outcomes.filter((o) => o.failed).length}; egress-lint crashed: ${outcomes.filter((o) => o.crashed).length}`);
  console.log(`agree on every compared resource: ${agree.length} of ${evaluated.length}`);
  const res = evaluated.reduce((s, o) => [s[0] + (o.azureResources ?? 0), s[1] + (o.ourResources ?? 0), s[2] + (o.matched ?? 0), s[3] + (o.agreements ?? 0)], [0, 0, 0, 0]);
  console.log(`resources: Azure ${res[0]}, egress-lint ${res[1]}, paired ${res[2]}; values both leave for deployment: ${res[3]}`);
  const inputs: Record<string, number> = {};
  for (const o of outcomes) for (const [k, n] of Object.entries(o.inputs ?? {})) inputs[k] = (inputs[k] ?? 0) + n;
  console.log(`parameter values given to both engines: ${Object.entries(inputs).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  const notExpanded = new Map<string, { n: number; templates: number }>();
  for (const o of evaluated) {
    for (const [k, n] of Object.entries(o.notExpanded ?? {})) {
      const x = notExpanded.get(k) ?? { n: 0, templates: 0 };
      x.n += n;
      x.templates++;
      notExpanded.set(k, x);
    }
  }
  console.log('not compared: egress-lint resources in nested deployments the snapshot did not expand, by the reason it gave:');
  for (const [k, v] of notExpanded) console.log(`  ${k}: ${v.n} resources in ${v.templates} templates`);
  const failed = outcomes.filter((o) => o.failed);
  const byFailure = new Map<string, string[]>();
  for (const o of failed) {
    const k = o.failureCause ?? 'unexplained';
    byFailure.set(k, [...(byFailure.get(k) ?? []), o.template]);
  }
  console.log(`snapshot failed: ${failed.length}, by cause:`);
  for (const [k, v] of [...byFailure].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`  ${k}: ${v.length}${FAILURE_CAUSES[k] ? `: ${FAILURE_CAUSES[k]}` : ''}`);
    if (k === 'unexplained' || args.list === k) for (const t of v) console.log(`      ${t}: ${failed.find((o) => o.template === t)?.failed}`);
  }
  const groups = new Map<string, string[]>();
  for (const o of failed) groups.set(failureGroup(o.failed!), [...(groups.get(failureGroup(o.failed!)) ?? []), o.template]);
  console.log("snapshot failures by Azure's message:");
  for (const [k, v] of [...groups].sort((a, b) => b[1].length - a[1].length)) console.log(`  ${v.length}: ${k}\n      e.g. ${v[0]}`);
  for (const o of outcomes) if (o.crashed) console.log(`crash: ${o.template}: ${o.crashed.split('\n').slice(0, 3).join(' ')}`);
  const byKind = new Map<string, { n: number; templates: Set<string>; examples: string[] }>();
  const byCause = new Map<string, { n: number; templates: Set<string> }>();
  for (const o of evaluated) {
    for (const d of o.differences) {
      const k = byKind.get(d.kind) ?? { n: 0, templates: new Set<string>(), examples: [] };
      k.n++;
      k.templates.add(o.template);
      if (k.examples.length < 3) k.examples.push(`${o.template}: ${d.resource} ${d.path}: Azure ${short(d.azure)}; egress-lint ${short(d.ours)}`);
      byKind.set(d.kind, k);
      const cause = d.cause ?? 'unexplained';
      const c = byCause.get(cause) ?? { n: 0, templates: new Set<string>() };
      c.n++;
      c.templates.add(o.template);
      byCause.set(cause, c);
    }
  }
  console.log('differences by kind (differences, templates):');
  for (const [k, v] of [...byKind].sort((a, b) => b[1].n - a[1].n)) {
    console.log(`  ${k}: ${v.n} in ${v.templates.size}`);
    for (const e of v.examples) console.log(`      e.g. ${e}`);
  }
  console.log('differences by cause (differences, templates):');
  for (const [k, v] of [...byCause].sort((a, b) => b[1].n - a[1].n)) console.log(`  ${k}: ${v.n} in ${v.templates.size}${CAUSES[k] ? `: ${CAUSES[k]}` : ''}`);
  for (const o of evaluated) for (const d of o.differences) if (!d.cause) console.log(`unexplained: ${o.template}: [${d.kind}] ${d.resource} ${d.path}: Azure ${short(d.azure)}; egress-lint ${short(d.ours)}`);
  if (args.list) {
    for (const o of evaluated) for (const d of o.differences) if ((d.cause ?? 'unexplained') === args.list || d.kind === args.list) console.log(`${o.template}: [${d.kind}] ${d.resource} ${d.path}: Azure ${short(d.azure)}; egress-lint ${short(d.ours)}`);
  }
}

interface Expectations {
  readonly rule: string;
  readonly templates: Record<string, { readonly snapshot?: string; readonly differences: readonly string[] }>;
}

function expectationsOf(args: Args, outcomes: readonly Outcome[]): Expectations {
  let kept: readonly Outcome[] = outcomes;
  let rule = args.sample ? `every k-th template of the sorted corpus, k = count / ${args.sample}` : 'every template';
  if (args.keep) {
    // The fixed sample, and the first template of each cause, so that checking the file exercises every explanation.
    const chosen = new Set(sampleOf(outcomes, args.keep));
    const causes = new Set<string>();
    for (const o of outcomes) {
      const mine = [...(o.failed ? [`failure ${o.failureCause ?? 'unexplained'}`] : []), ...o.differences.map((d) => d.cause ?? 'unexplained')];
      if (mine.some((c) => !causes.has(c))) chosen.add(o);
      for (const c of mine) causes.add(c);
    }
    kept = outcomes.filter((o) => chosen.has(o));
    rule = `every k-th template of the sorted corpus (k = count / ${args.keep}), and the first template of each cause of a difference or a failed snapshot`;
  }
  const templates: Record<string, { snapshot?: string; differences: string[] }> = {};
  for (const o of kept) {
    templates[o.template] = {
      ...(o.failed ? { snapshot: `failed (${o.failureCause ?? 'unexplained'})` } : {}),
      differences: o.differences.map((d) => `${keyOf(d)} | ${d.cause ?? 'unexplained'}`).sort(),
    };
  }
  return { rule, templates };
}

/** True when the run shows exactly the expected differences (and snapshot failures); prints what changed. */
function checkExpectations(file: string, outcomes: readonly Outcome[]): boolean {
  const expected = JSON.parse(readFileSync(file, 'utf8')) as Expectations;
  let ok = true;
  const seen = new Set<string>();
  for (const o of outcomes) {
    seen.add(o.template);
    const e = expected.templates[o.template];
    if (!e) {
      console.log(`oracle: ${o.template} is not in ${file}`);
      ok = false;
      continue;
    }
    const failed = o.failed ? `failed (${o.failureCause ?? 'unexplained'})` : undefined;
    if (o.failed && !o.failureCause) {
      console.log(`oracle: unexplained snapshot failure of ${o.template}: ${o.failed}`);
      ok = false;
    }
    if (failed !== e.snapshot) {
      console.log(`oracle: ${o.template}: snapshot ${failed ?? 'evaluated'}, expected ${e.snapshot ?? 'evaluated'}`);
      ok = false;
    }
    const now = o.differences.map((d) => `${keyOf(d)} | ${d.cause ?? 'unexplained'}`);
    const before = new Set(e.differences);
    const problems: string[] = [];
    for (const d of now) if (!before.has(d)) problems.push(`NEW difference in ${o.template}: ${d}`);
    const after = new Set(now);
    for (const d of e.differences) if (!after.has(d)) problems.push(`GONE (update ${file}): ${o.template}: ${d}`);
    for (const d of o.differences) if (!d.cause) problems.push(`unexplained difference in ${o.template}: ${keyOf(d)}`);
    for (const p of problems) console.log(`oracle: ${p}`);
    if (problems.length > 0) ok = false;
  }
  for (const t of Object.keys(expected.templates)) {
    if (seen.has(t)) continue;
    console.log(`oracle: ${t} is expected but was not checked`);
    ok = false;
  }
  console.log(ok ? `oracle: matches ${file}` : `oracle: differs from ${file}`);
  return ok;
}

await main();
