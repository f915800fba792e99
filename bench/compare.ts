// Benchmark: the corpus lint cost of this checkout against another checkout's, in one process. On a shared machine
// the load of other processes moves `npm run bench:corpus`'s ratio by more than a change of a few per cent; here both
// engines run in the same process, their passes interleaved (this, other, this...), each pair seconds apart under the
// same load, and the median of the per-pair ratios is what is printed. Usage, after `npx tsc -p tsconfig.bench.json`
// in the other checkout (a `git worktree add --detach ../base <rev>` with node_modules linked):
//   npm run bench:compare -- ../base [corpus folder]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { clearParseCache, lintDocument } from '../engine/index.js';
import type { DocumentInput } from '../engine/index.js';
import { diskHost } from '../api/files.js';
import { rules } from '../rules/index.js';
import { corpusEntries, cpuMs, documentOf, parseOnly } from './corpus-files.js';
import { median } from './measure.js';

const other = process.argv[2];
const dir = process.argv[3] ?? '../shared/corpus';
const pairs = Number(process.env.BENCH_PAIRS ?? 41);
if (!other) {
  console.log('usage: npm run bench:compare -- <other checkout, its .bench-build built> [corpus folder]');
  process.exit(2);
}
let entries;
try {
  entries = corpusEntries(dir);
} catch {
  console.log(`${dir} not found: comparison skipped`);
  process.exit(0);
}

type Lint = typeof lintDocument;
interface Engine {
  readonly lint: Lint;
  readonly clear: () => void;
  readonly host: ReturnType<typeof diskHost>;
  readonly rules: typeof rules;
}
const built = resolve(other, '.bench-build');
const load = async (path: string): Promise<Record<string, unknown>> => (await import(pathToFileURL(resolve(built, path)).href)) as Record<string, unknown>;
const [otherEngine, otherFiles, otherRules] = await Promise.all([load('engine/index.js'), load('api/files.js'), load('rules/index.js')]);
const engines: Record<'this' | 'other', Engine> = {
  this: { lint: lintDocument, clear: clearParseCache, host: diskHost(process.cwd(), { root: dir }), rules },
  other: {
    lint: otherEngine.lintDocument as Lint,
    clear: otherEngine.clearParseCache as () => void,
    host: (otherFiles.diskHost as typeof diskHost)(process.cwd(), { root: dir }),
    rules: otherRules.rules as typeof rules,
  },
};

const docs: DocumentInput[] = entries.map(documentOf);

function lintAll(engine: Engine): number {
  engine.clear();
  let n = 0;
  for (const d of docs) n += engine.lint(d, { rules: engine.rules, host: engine.host }).findings.length;
  return n;
}

function timed(f: () => unknown): number {
  const t0 = cpuMs();
  f();
  return cpuMs() - t0;
}

// Warm-up: both engines' code optimised before anything is measured.
for (let i = 0; i < 3; i++) {
  parseOnly(entries);
  lintAll(engines.this);
  lintAll(engines.other);
}
const ratioThis: number[] = [];
const ratioOther: number[] = [];
const perPair: number[] = [];
for (let i = 0; i < pairs; i++) {
  // The order alternates, so neither engine always runs first after the baseline.
  const order = i % 2 === 0 ? (['this', 'other'] as const) : (['other', 'this'] as const);
  const p1 = timed(() => parseOnly(entries!));
  const t: Record<string, number> = {};
  for (const name of order) t[name] = timed(() => lintAll(engines[name]));
  const p = (p1 + timed(() => parseOnly(entries!))) / 2;
  ratioThis.push(t.this / p);
  ratioOther.push(t.other / p);
  perPair.push(t.this / t.other);
}
console.log(`corpus: ${entries.length} templates, ${pairs} pairs; process CPU time`);
console.log(`lint, this checkout:  ${median(ratioThis).toFixed(2)}x baseline (median)`);
console.log(`lint, ${other}:  ${median(ratioOther).toFixed(2)}x baseline (median)`);
console.log(`this / other, median of per-pair ratios: ${median(perPair).toFixed(3)} (pairs ran ${Math.min(...perPair).toFixed(3)}-${Math.max(...perPair).toFixed(3)})`);
