// Benchmark: the corpus lint cost of this checkout against another checkout's, in one process. On a shared machine
// the load of other processes moves `npm run bench:corpus`'s ratio by more than a change of a few per cent; here both
// engines run in the same process, their passes interleaved (this, other, this...), each pair seconds apart under the
// same load, and the median of the per-pair ratios is what is printed. Usage, after `npx tsc -p tsconfig.bench.json`
// in the other checkout (a `git worktree add --detach ../base <rev>` with node_modules linked):
//   npm run bench:compare -- ../base [corpus folder]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { clearParseCache, lintDocument } from '../engine/index.js';
import type { DocumentInput } from '../engine/index.js';
import { diskHost } from '../api/files.js';
import { rules } from '../rules/index.js';
import { corpusEntries } from './corpus-files.js';

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

const docs: DocumentInput[] = entries.map((e) => {
  const text = readFileSync(e.template, 'utf8');
  return e.parameters ? { file: e.template, text, parameters: { file: e.parameters, text: readFileSync(e.parameters, 'utf8') } } : { file: e.template, text };
});

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The baseline of bench:corpus: every file read and JSON.parse'd. */
function parseOnly(): number {
  let n = 0;
  for (const e of entries!) {
    for (const file of e.parameters ? [e.template, e.parameters] : [e.template]) {
      const text = readFileSync(file, 'utf8');
      try {
        n += Object.keys(JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as object).length;
      } catch {
        n++;
      }
    }
  }
  return n;
}

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

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

// Warm-up: both engines' code optimised before anything is measured.
for (let i = 0; i < 3; i++) {
  parseOnly();
  lintAll(engines.this);
  lintAll(engines.other);
}
const ratioThis: number[] = [];
const ratioOther: number[] = [];
const perPair: number[] = [];
for (let i = 0; i < pairs; i++) {
  // The order alternates, so neither engine always runs first after the baseline.
  const order = i % 2 === 0 ? (['this', 'other'] as const) : (['other', 'this'] as const);
  const p1 = timed(parseOnly);
  const t: Record<string, number> = {};
  for (const name of order) t[name] = timed(() => lintAll(engines[name]));
  const p = (p1 + timed(parseOnly)) / 2;
  ratioThis.push(t.this / p);
  ratioOther.push(t.other / p);
  perPair.push(t.this / t.other);
}
console.log(`corpus: ${entries.length} templates, ${pairs} pairs; process CPU time`);
console.log(`lint, this checkout:  ${median(ratioThis).toFixed(2)}x baseline (median)`);
console.log(`lint, ${other}:  ${median(ratioOther).toFixed(2)}x baseline (median)`);
console.log(`this / other, median of per-pair ratios: ${median(perPair).toFixed(3)} (pairs ran ${Math.min(...perPair).toFixed(3)}-${Math.max(...perPair).toFixed(3)})`);
