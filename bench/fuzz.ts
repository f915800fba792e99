// The long fuzz run (`npm run fuzz`): FUZZ_CASES cases in all (default 100,000), three quarters mutated templates
// (the bundled ones and ../shared/corpus when present) and one quarter generated expressions, from FUZZ_SEED
// (default: random, printed). Cases run in batches of 5,000 with seeds FUZZ_SEED, FUZZ_SEED+1, … so one failure
// does not end the run; each failure is printed with its shrunk counterexample. FUZZ_BOUND_MS bounds one input
// (default 120,000: a guard against hangs. An input that reaches the safety caps, 100,000 resources or copies,
// takes 5-10 s alone and several times that on a loaded machine). Shrinking stops after 20 minutes per batch, as
// each attempt of a slow case costs as much as the case. FUZZ_EXPRESSIONS sets the number of expression cases, and
// FUZZ_CASES then counts templates only: an expression costs about 25 µs against 6-10 ms for a template, so millions
// run in minutes (FUZZ_CASES=0 FUZZ_EXPRESSIONS=10000000: expressions only). Exit 1 on any failure.
// FUZZ_STRUCTURE sets the number of structure-aware cases (test/harness/fuzz-structure.ts: retype, delete, duplicate
// keys, deepen, share, resource shapes; default 0), each run through the CLI's main() in a child process with a heap
// cap of FUZZ_HEAP_MIB (default 1024) and stopped after FUZZ_STRUCT_BOUND_MS (default 10,000: issue 21's bound) of CPU
// time, or three times that in wall-clock time (test/harness/fuzz-worker.ts), with
// the oracle of test/harness/fuzz-oracle.ts (FUZZ_ORACLE=0 turns it off). FUZZ_SHARE caps the doubling count of the
// share mutation (default 60), FUZZ_SHRINK_MS the time spent shrinking one failure (default 600,000).
// FUZZ_STRUCTURE_ONLY=1 skips the other jobs.
import fc from 'fast-check';
import type { TemplateCase } from '../test/harness/fuzz.js';
import { assertNoPollution, caseParameters, caseText, loadSeeds, properties } from '../test/harness/fuzz.js';
import { structJob } from './fuzz-structure.js';

const structureOnly = process.env.FUZZ_STRUCTURE_ONLY === '1';
const total = structureOnly ? 0 : Number(process.env.FUZZ_CASES ?? 100_000);
// Without FUZZ_EXPRESSIONS, FUZZ_CASES is split: three quarters templates, the rest expressions.
const templateCases = process.env.FUZZ_EXPRESSIONS === undefined ? Math.round(total * 0.75) : total;
const expressionCases = process.env.FUZZ_EXPRESSIONS === undefined ? total - templateCases : Number(process.env.FUZZ_EXPRESSIONS);
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const boundMs = Number(process.env.FUZZ_BOUND_MS ?? 120_000);
const BATCH = 5000;
if (!Number.isSafeInteger(total) || total < 0 || !Number.isSafeInteger(expressionCases) || expressionCases < 0 || (templateCases + expressionCases < 1 && !structureOnly) || !Number.isSafeInteger(seed) || !(boundMs > 0)) {
  console.error('fuzz: FUZZ_CASES, FUZZ_EXPRESSIONS and FUZZ_SEED must be integers (FUZZ_CASES and FUZZ_EXPRESSIONS ≥ 0, not both 0), FUZZ_BOUND_MS a positive number.');
  process.exit(2);
}

const { seeds, notes } = loadSeeds({ corpus: true });
// The slowest passing case of each kind (a failing one is reported as a failure), and how many took over a second.
const slowest = { templates: 0, expressions: 0 };
const slowestInput: { templates?: TemplateCase | string; expressions?: TemplateCase | string } = {};
const overSecond = { templates: 0, expressions: 0 };
const props = properties(seeds, {
  boundMs,
  hugeCounts: true,
  observe: (kind, ms, input) => {
    if (ms > slowest[kind]) {
      slowest[kind] = ms;
      slowestInput[kind] = input;
    }
    if (ms > 1000) overSecond[kind]++;
  },
});
console.log(`fuzz: ${templateCases + expressionCases} cases (${templateCases} templates, ${expressionCases} expressions), seed ${seed}, bound ${boundMs} ms per input, Node ${process.version}`);
for (const n of notes) console.log(`fuzz: ${n}`);

/** One batch of one property, its details in one shape for both. */
function check(name: 'templates' | 'expressions', batchSeed: number, numRuns: number) {
  const params = { seed: batchSeed, numRuns, skipAllAfterTimeLimit: 20 * 60_000 };
  const d = name === 'templates' ? fc.check(props.templates, params) : fc.check(props.expressions, params);
  return { failed: d.failed, numRuns: d.numRuns, numShrinks: d.numShrinks, path: d.counterexamplePath, example: d.counterexample?.[0] as unknown, error: d.errorInstance };
}

const started = performance.now();
let failures = 0;
let run = 0;
let batch = 0;
const jobs: { name: 'templates' | 'expressions'; cases: number }[] = [
  { name: 'templates', cases: templateCases },
  { name: 'expressions', cases: expressionCases },
];
for (const job of jobs) {
  const t0 = performance.now();
  let done = 0;
  while (done < job.cases) {
    const n = Math.min(BATCH, job.cases - done);
    const batchSeed = seed + batch++;
    const details = check(job.name, batchSeed, n);
    done += n;
    run += details.numRuns;
    if (details.failed) {
      failures++;
      const error = details.error instanceof Error ? details.error.message : String(details.error);
      console.log(`\nFAILURE in ${job.name} (batch seed ${batchSeed}, path ${details.path}, after ${details.numRuns} cases, ${details.numShrinks} shrinks)`);
      console.log(`  error: ${error.split('\n').slice(0, 12).join('\n         ')}`);
      const example = details.example;
      console.log(`  counterexample: ${JSON.stringify(example)}`);
      if (job.name === 'templates' && example) {
        const c = example as TemplateCase;
        const text = caseText(seeds, c);
        console.log(`  seed template: ${seeds[c.seed % seeds.length].name}`);
        console.log(`  text (${text.length} chars): ${JSON.stringify(text.length > 600 ? `${text.slice(0, 300)} … ${text.slice(-300)}` : text)}`);
        const parameters = caseParameters(seeds, c);
        if (parameters !== undefined) console.log(`  parameters: ${JSON.stringify(parameters)}`);
      }
    }
    console.log(`fuzz: ${job.name}: ${done}/${job.cases} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
}
failures += await structJob(seeds, seed + batch);
assertNoPollution('the fuzz run');
for (const kind of structureOnly ? [] : (['templates', 'expressions'] as const)) {
  console.log(`fuzz: ${kind}: slowest passing input ${slowest[kind].toFixed(0)} ms per run; ${overSecond[kind]} over 1 s (cases run again while shrinking count too)`);
  const input = slowestInput[kind];
  if (typeof input === 'string') console.log(`  slowest: ${input.slice(0, 300)}`);
  else if (input) console.log(`  slowest: ${seeds[input.seed % seeds.length].name} ${JSON.stringify(input).slice(0, 600)}`);
}
const seconds = (performance.now() - started) / 1000;
// Structure cases are counted by their own job's lines above; this line counts the template and expression cases.
console.log(`\nfuzz: ${run} template and expression cases run${structureOnly ? ' (structure cases only: see above)' : ''}, seed ${seed}, ${failures} failure${failures === 1 ? '' : 's'}, ${seconds.toFixed(0)} s${run > 0 ? ` (${((seconds * 1000) / run).toFixed(2)} ms per case)` : ''}`);
process.exitCode = failures > 0 ? 1 : 0;
