// The structure-aware job of the long fuzz run (bench/fuzz.ts): FUZZ_STRUCTURE cases of test/harness/fuzz-structure.ts
// through the CLI in a worker thread (time bound and heap cap enforced by stopping the worker), with the oracle.
// Cases run in batches (seeds one apart) so one failure does not end the run; each failure is shrunk and printed
// with its smallest input, and failures are counted by kind at the end.
import fc from 'fast-check';
import type { SeedTemplate } from '../test/harness/fuzz.js';
import type { Bounds, Runner } from '../test/harness/fuzz-oracle.js';
import { OracleCache, checkStructCase } from '../test/harness/fuzz-oracle.js';
import type { StructCase } from '../test/harness/fuzz-structure.js';
import { structCaseArb, structText } from '../test/harness/fuzz-structure.js';
import { workerRunner } from '../test/harness/fuzz-worker.js';

const BATCH = 100;

/** A failure's kind: its first line without names, paths and numbers. */
function kindOf(message: string): string {
  return message
    .split('\n')[0]
    .replace(/VM \S+/g, 'VM')
    .replace(/ at \S+\.$/, '')
    .replace(/\d+/g, 'N')
    .replace(/"[^"]*"/g, (q) => (q.length > 20 ? '"…"' : q));
}

/** Runs the job; returns the number of failing cases. */
export async function structJob(seeds: readonly SeedTemplate[], firstSeed: number): Promise<number> {
  const cases = Number(process.env.FUZZ_STRUCTURE ?? 0);
  if (!(cases > 0)) return 0;
  const bounds: Bounds = { ms: Number(process.env.FUZZ_STRUCT_BOUND_MS ?? 10_000), heapBytes: Number(process.env.FUZZ_HEAP_MIB ?? 1024) * 2 ** 20 };
  const oracleOn = process.env.FUZZ_ORACLE !== '0';
  const maxShare = Number(process.env.FUZZ_SHARE ?? 60);
  // Shrinking a hang costs the bound and a fresh child per attempt: its time is capped.
  const shrinkMs = Number(process.env.FUZZ_SHRINK_MS ?? 10 * 60_000);
  const runner = workerRunner(bounds.ms, bounds.heapBytes / 2 ** 20);
  const run: Runner = runner;
  // Stopped from outside, end the child too (a child busy in a hang would outlive the run).
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      void runner.close().then(() => process.exit(signal === 'SIGTERM' ? 143 : 130));
    });
  const cache = new OracleCache(seeds, run);
  console.log(`fuzz: structure: ${cases} cases, bound ${bounds.ms} ms and ${bounds.heapBytes / 2 ** 20} MiB heap per run, oracle ${oracleOn ? 'on' : 'off'}, share up to ${maxShare}`);
  const kinds = new Map<string, number>();
  let failures = 0;
  let done = 0;
  let batch = 0;
  const t0 = performance.now();
  let judged = 0;
  let lastJudged = false;
  const check = async (c: StructCase): Promise<Error | undefined> => {
    const e = await checkStructCase(seeds, c, run, cache, bounds).then(
      (r) => {
        lastJudged = r.judged;
        return undefined;
      },
      (x: Error) => x,
    );
    return e && (oracleOn || !e.message.startsWith('Oracle:')) ? e : undefined;
  };
  const prop = fc.asyncProperty(structCaseArb(seeds.length, { maxShare }), async (c: StructCase) => {
    const e = await check(c);
    if (e) throw e;
  });
  while (done < cases) {
    const batchSeed = firstSeed + batch++;
    const sample = fc.sample(structCaseArb(seeds.length, { maxShare }), { seed: batchSeed, numRuns: Math.min(BATCH, cases - done) });
    for (const c of sample) {
      lastJudged = false;
      const e = await check(c);
      done++;
      if (lastJudged) judged++;
      if (!e) continue;
      failures++;
      const kind = kindOf(e.message);
      const seen = (kinds.get(kind) ?? 0) + 1;
      kinds.set(kind, seen);
      // The first two of each kind are shrunk and printed; the rest only counted.
      if (seen > 2) continue;
      const d = await fc.check(prop, { examples: [[c]], numRuns: 1, skipAllAfterTimeLimit: shrinkMs });
      const small = d.failed ? d.counterexample![0] : c;
      const message = d.failed && d.errorInstance instanceof Error ? d.errorInstance.message : e.message;
      const { text } = structText(seeds, small);
      console.log(`\nFAILURE in structure (batch seed ${batchSeed}, case ${done}, ${d.numShrinks} shrinks): ${kind}`);
      console.log(`  error: ${message.split('\n').slice(0, 8).join('\n         ')}`);
      if (d.failed) console.log(`  found as: ${e.message.split('\n').slice(1, 3).join(';').replace(/\s+/g, ' ').trim()}`);
      console.log(`  counterexample: ${JSON.stringify(small)}`);
      console.log(`  text (${text.length} chars): ${JSON.stringify(text.length > 1500 ? `${text.slice(0, 700)} … ${text.slice(-700)}` : text)}`);
    }
    console.log(`fuzz: structure: ${done}/${cases} (${((performance.now() - t0) / 1000).toFixed(1)} s, ${judged} judged by the oracle, ${failures} failing cases)`);
  }
  await runner.close();
  console.log(`fuzz: structure: ${failures} failing case${failures === 1 ? '' : 's'} in ${done}; by kind:`);
  for (const [k, n] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`  ${n} × ${k}`);
  return failures;
}
