// The invariants of the structure-aware fuzz cases (fuzz-structure.ts), checked on the CLI as users run it
// (`egress-lint fuzz.json --format json` through main()): exit 0, 1 or 2; no stack trace or internal error text;
// bounded time and memory; and the oracle on damage to what the graph reads. Test-only.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../cli/main.js';
import type { SeedTemplate } from './fuzz.js';
import type { Applied, StructCase } from './fuzz-structure.js';
import { serialise, structText, withoutResource } from './fuzz-structure.js';
import { capture, scratchDir } from './io.js';

/** One CLI run: its exit code and output, or how it was stopped (the worker runner of the long run stops runs). */
export interface RunResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  readonly ms: number;
  /**
   * The CPU time (user + system, all threads) the process spent on the run, when measured: the time bound is checked
   * on it, so the load of other processes on a shared machine does not count (a hang spends CPU all the same; the
   * worker runner also stops a run at a wall-clock cap).
   */
  readonly cpuMs?: number;
  /** Heap growth over the run, in bytes (in-process runs), or the run was stopped over the memory cap. */
  readonly heapBytes?: number;
  readonly stopped?: 'time' | 'memory';
}

/** Runs the CLI on a template text. */
export type Runner = (text: string) => Promise<RunResult>;

export const ARGS = ['fuzz.json', '--format', 'json'];

/** A runner in this process: one scratch folder (with .git, so no configuration above it is found), the file rewritten each run. */
export function inProcessRunner(): Runner {
  const dir = scratchDir({}, true);
  return async (text) => {
    writeFileSync(join(dir, 'fuzz.json'), text);
    const c = capture(dir);
    const heap0 = process.memoryUsage().heapUsed;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const code = await main(ARGS, c.io);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { code, out: c.out(), err: c.err(), ms, cpuMs: (cpu.user + cpu.system) / 1000, heapBytes: process.memoryUsage().heapUsed - heap0 };
  };
}

// ---- reports ----------------------------------------------------------------------------------------------------

interface ReportVm {
  name: string;
  type: string;
  verdict: string;
  egress: unknown;
  primaryEgress: unknown;
}
interface Report {
  vms: ReportVm[];
  findings: { ruleId: string; severity: string; message: string }[];
}

function reportOf(r: RunResult): Report | undefined {
  try {
    const v = JSON.parse(r.out) as Report;
    return Array.isArray(v.vms) && Array.isArray(v.findings) ? v : undefined;
  } catch {
    return undefined;
  }
}

const vmKey = (v: ReportVm): string => `${v.type.toLowerCase()} ${v.name}`;
const outcome = (v: ReportVm): string => JSON.stringify([v.verdict, v.egress, v.primaryEgress]);
const findingKey = (f: Report['findings'][number]): string => `${f.ruleId}\u0000${f.severity}\u0000${f.message}`;

// ---- invariants -------------------------------------------------------------------------------------------------

/** Output that means an exception escaped: a stack frame or the CLI's internal-error text. */
const CRASH = /internal error|\n\s+at .*:\d+:\d+|TypeError|RangeError|Maximum call stack/;

export interface Bounds {
  readonly ms: number;
  /** Heap growth (in-process) or heap cap (worker runner), bytes. */
  readonly heapBytes: number;
}

/** Throws naming the broken invariant of one run (the oracle aside). */
export function checkRun(r: RunResult, bounds: Bounds): void {
  if (r.stopped === 'time') throw new Error(`The run did not end within ${bounds.ms} ms of CPU time (${r.cpuMs === undefined ? 'not measured' : `${r.cpuMs.toFixed(0)} ms spent`}, ${r.ms.toFixed(0)} ms wall clock).`);
  if (r.stopped === 'memory') throw new Error(`The run went over the ${Math.round(bounds.heapBytes / 2 ** 20)} MiB heap cap.`);
  if (r.code !== 0 && r.code !== 1 && r.code !== 2) throw new Error(`Exit ${r.code}, not 0, 1 or 2: ${(r.err || r.out).slice(0, 600)}`);
  const crash = CRASH.exec(r.out + r.err);
  if (crash) throw new Error(`Crash text in the output (${JSON.stringify(crash[0])}): ${(r.err || r.out).slice(0, 600)}`);
  const spent = r.cpuMs ?? r.ms;
  if (spent > bounds.ms) throw new Error(`The run took ${spent.toFixed(0)} ms${r.cpuMs === undefined ? '' : ' of CPU time'} (bound ${bounds.ms} ms).`);
  if (r.heapBytes !== undefined && r.heapBytes > bounds.heapBytes) throw new Error(`The heap grew by ${Math.round(r.heapBytes / 2 ** 20)} MiB (bound ${Math.round(bounds.heapBytes / 2 ** 20)} MiB).`);
}

/**
 * The oracle. Given the seed's report, the report without the damaged resource, and the mutated report: every VM
 * the seed decides (verdict not `unknown`) and whose result depends on the damaged resource must not come out of
 * the mutation decided and unchanged, nor vanish, unless the report has a finding the seed's did not.
 *
 * Why this is true by Azure's rules: the damage (fuzz-structure.ts `applyStruct`) is only a value ARM cannot read
 * as the seed meant it (a wrong JSON type, a key written twice with different values, `resources` as an object
 * outside languageVersion 2.0, a type with a trailing space, a number for an id), never a deletion (a deleted
 * optional property may mean Azure's default) nor null (read as absent). Such a template does not deploy as
 * written, or deploys otherwise than the seed; either way a report identical to the seed's with nothing said is a
 * wrong all clear (issue 21, item 3). "Depends on the resource" is tested, not guessed: the VM's result changes
 * when the resource is removed (a VM referring to a resource not in the files is unknown), so resources off the
 * VM's path (another VM's NIC, an unused IP) never make its unchanged result a failure.
 */
export function oracle(seed: Report, without: Report | undefined, mutated: Report, damage: NonNullable<Applied['damage']>): string | undefined {
  const before = new Map<string, number>();
  for (const f of seed.findings) before.set(findingKey(f), (before.get(findingKey(f)) ?? 0) + 1);
  for (const f of mutated.findings) {
    const n = before.get(findingKey(f)) ?? 0;
    if (n === 0) return undefined;
    before.set(findingKey(f), n - 1);
  }
  const withoutVms = new Map((without?.vms ?? []).map((v) => [vmKey(v), v] as const));
  const mutatedVms = new Map(mutated.vms.map((v) => [vmKey(v), v] as const));
  for (const v of seed.vms) {
    if (v.verdict === 'unknown') continue;
    const w = withoutVms.get(vmKey(v));
    const depends = damage.resource < 0 || !w || outcome(w) !== outcome(v);
    if (!depends) continue;
    const m = mutatedVms.get(vmKey(v));
    if (!m) return `VM ${v.name} (${v.verdict}) vanished without a finding after ${damage.why} at ${damage.path.join('/')}.`;
    if (outcome(m) === outcome(v)) return `VM ${v.name} stayed ${v.verdict} with the same egress and no new finding after ${damage.why} at ${damage.path.join('/')}.`;
  }
  return undefined;
}

// ---- one case ---------------------------------------------------------------------------------------------------

/** Per seed: its report; per seed and resource: the report without it (cached, as many cases share them). */
export class OracleCache {
  private readonly seedReports = new Map<number, Report | undefined>();
  private readonly withoutReports = new Map<string, Report | undefined>();
  constructor(
    private readonly seeds: readonly SeedTemplate[],
    private readonly run: Runner,
  ) {}

  async seed(i: number): Promise<Report | undefined> {
    if (!this.seedReports.has(i)) this.seedReports.set(i, reportOf(await this.run(serialise(this.seeds[i].value))));
    return this.seedReports.get(i);
  }

  async without(i: number, resource: number): Promise<Report | undefined> {
    const key = `${i}/${resource}`;
    if (!this.withoutReports.has(key)) this.withoutReports.set(key, reportOf(await this.run(serialise(withoutResource(this.seeds[i].value, resource)))));
    return this.withoutReports.get(key);
  }
}

export interface CaseResult {
  readonly text: string;
  readonly applied: Applied;
  readonly run: RunResult;
  /** The oracle compared the mutated report with the seed's (a damaging mutation, both reports read). */
  readonly judged: boolean;
}

/** Runs one structural case and throws naming the broken invariant (with what the mutation did). */
export async function checkStructCase(seeds: readonly SeedTemplate[], c: StructCase, run: Runner, cache: OracleCache, bounds: Bounds): Promise<CaseResult> {
  const i = c.seed % seeds.length;
  const { text, applied } = structText(seeds, c);
  const r = await run(text);
  const fail = (why: string): never => {
    throw new Error(`${why}\n  seed: ${seeds[i].name}\n  mutation: ${applied.note}`);
  };
  try {
    checkRun(r, bounds);
  } catch (e) {
    fail((e as Error).message);
  }
  let judged = false;
  if (applied.damage) {
    const mutated = reportOf(r);
    const seed = await cache.seed(i);
    if (!mutated) {
      // No report: only a refusal (exit 2) that says why on stderr is not silent (crash text is checked above).
      if (r.code !== 2 || r.err.trim() === '') fail(`Exit ${r.code} without a JSON report${r.err.trim() === '' ? ' and without a word on stderr' : ''}.`);
    } else if (seed) {
      // (A seed without a report has nothing to compare with: the case is not judged, and the tests count judged cases.)
      const without = applied.damage.resource < 0 ? undefined : await cache.without(i, applied.damage.resource);
      const broken = oracle(seed, without, mutated, applied.damage);
      if (broken) fail(`Oracle: ${broken}`);
      judged = true;
    }
  }
  return { text, applied, run: r, judged };
}
