// The expression tables (fixtures/expressions/*.json) through Azure's own template engine: each row becomes a small
// template whose one resource carries the expression as a property, evaluated by `bicep snapshot` (snapshot.ts) and by
// egress-lint's expansion; the two answers are compared. A row the snapshot cannot take as written is counted, by why.
//
//   npm run oracle:expressions [-- --only <regex>] [--verbose] [--expect <file>] [--write-expect <file>]
//
// --expect fails the run on a difference the file does not list, a listed one that is gone, or one whose reason has
// no explanation (bench/oracle-expressions-expected.json: explanations by id, and each known difference's id).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Unknown, expandDocument, getProp, hasPlaceholder, isObject, showPlaceholders } from '../engine/index.js';
import type { Value } from '../engine/index.js';
import { isExpression } from './oracle/compare.js';
import { metadataFor } from './oracle/run.js';
import { SnapshotPool, findBicep } from './oracle/snapshot.js';

interface Row {
  expr: string;
  params?: Record<string, unknown>;
  vars?: Record<string, unknown>;
  scope?: Record<string, string>;
  copyIndex?: number;
  inParameterDefault?: boolean;
  placeholders?: string[];
  labelled?: string[];
  value?: unknown;
  unknown?: string;
  error?: string;
}

/** What one engine made of a row: a value, an error, or a value left for deployment time. */
type Answer = { readonly value: unknown } | { readonly error: string } | { readonly deferred: string };

/** A literal for a template: a string that starts with '[' is escaped as '[[', so it is not read as an expression. */
function literal(v: unknown): unknown {
  if (typeof v === 'string') return v.startsWith('[') ? `[${v}` : v;
  if (Array.isArray(v)) return v.map(literal);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = literal(x);
    return out;
  }
  return v;
}

function typeOf(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/**
 * The template of a row, or why the row cannot be written as one: its parameters as defaults, its variables, the
 * expression as the `value` of a probe resource's properties (a property has no declared type, an output has). A row
 * evaluated as a parameter default (utcNow, newGuid) is the default of a parameter the property reads. newGuid() and
 * utcNow() elsewhere, which the tables use as a value known only at deployment, are read from such a parameter too
 * (Azure's engine refuses them anywhere else).
 */
/** Rows Azure's engine does not answer in time: left out, by why. */
const TOO_SLOW: Record<string, string> = {
  "[cidrSubnet('fd00::/8', 128, 1)]": "Azure's engine does not answer within two minutes (an IPv6 /8 cut into /128 subnets)",
};

function templateOf(row: Row): { template: Record<string, unknown>; scope: string } | { skip: string } {
  if (TOO_SLOW[row.expr]) return { skip: TOO_SLOW[row.expr] };
  if (row.copyIndex !== undefined) return { skip: 'copyIndex() outside a template copy loop' };
  if (row.placeholders || row.labelled) return { skip: "egress-lint's placeholders (no ARM counterpart)" };
  const parameters: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row.params ?? {})) parameters[k] = { type: typeOf(v), defaultValue: literal(v) };
  let expr = row.expr;
  if (!row.inParameterDefault) {
    if (/newGuid\(\)/i.test(expr)) {
      parameters.oracleGuid = { type: 'string', defaultValue: '[newGuid()]' };
      expr = expr.replace(/newGuid\(\)/gi, "parameters('oracleGuid')");
    }
    if (/utcNow\(\)/i.test(expr)) {
      parameters.oracleNow = { type: 'string', defaultValue: '[utcNow()]' };
      expr = expr.replace(/utcNow\(\)/gi, "parameters('oracleNow')");
    }
  }
  let value: unknown = expr;
  if (row.inParameterDefault) {
    parameters.oracleValue = { type: 'string', defaultValue: expr };
    value = "[parameters('oracleValue')]";
  }
  const level = row.scope?.level ?? 'resourceGroup';
  const schema =
    level === 'subscription'
      ? 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#'
      : level === 'managementGroup'
        ? 'https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#'
        : level === 'tenant'
          ? 'https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#'
          : 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
  return {
    template: {
      $schema: schema,
      contentVersion: '1.0.0.0',
      parameters,
      variables: literal(row.vars ?? {}),
      resources: [{ type: 'Oracle.Probe/values', apiVersion: '2020-01-01', name: 'probe', properties: { value } }],
    },
    scope: level,
  };
}

/** A value as text for comparing and printing: an Unknown as its origin, placeholders in braces. */
function shown(v: Value | undefined): string {
  return showPlaceholders(JSON.stringify(v) ?? 'undefined');
}

function deferredInside(v: Value | undefined): boolean {
  if (v instanceof Unknown) return true;
  if (typeof v === 'string') return hasPlaceholder(v);
  if (Array.isArray(v)) return v.some((x) => deferredInside(x));
  if (isObject(v)) return Object.values(v).some((x) => deferredInside(x));
  return false;
}

function ours(template: Record<string, unknown>, scope: Record<string, string> | undefined): Answer {
  const text = JSON.stringify(template);
  const s: Record<string, string> = {};
  for (const [k, v] of Object.entries(scope ?? {})) if (k !== 'level') s[k] = v;
  const { deployment, problems } = expandDocument({ file: 'template.json', text }, { scope: s });
  const errors = problems.filter((p) => p.ruleId === 'expression-invalid' || p.ruleId === 'template-invalid');
  if (errors.length > 0) return { error: errors.map((p) => p.message).join('; ') };
  const probe = deployment.resources.find((r) => r.name === 'probe');
  const props = probe?.properties;
  const v = isObject(props) ? getProp(props, 'value') : undefined;
  if (deferredInside(v)) return { deferred: shown(v) };
  return { value: JSON.parse(JSON.stringify(v ?? null)) as unknown };
}

/** Deep equality of JSON values; numbers by value (Azure's engine prints 1.0 as 1). */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The committed expectations: each known difference by row key, and why (an id of `explanations`). */
interface Expectations {
  readonly explanations: Record<string, string>;
  readonly differ: Record<string, string>;
}

function differ_(outcomes: readonly Outcome[]): Outcome[] {
  return outcomes.filter((o) => o.result === 'differ');
}

interface Outcome {
  /** The row by file and expression (a repeated expression gets its occurrence: ' (2)'), stable when rows are added. */
  readonly key: string;
  readonly file: string;
  readonly index: number;
  readonly expr: string;
  readonly result: 'agree' | 'both reject' | 'both leave it for deployment' | 'differ' | 'skipped';
  readonly why?: string;
  readonly azure?: string;
  readonly ours?: string;
}

function answerText(a: Answer): string {
  return 'error' in a ? `error: ${a.error}` : 'deferred' in a ? `for deployment: ${a.deferred}` : JSON.stringify(a.value);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const bicep = findBicep();
  if (!bicep) {
    console.error('oracle: no bicep on PATH (install it with scripts/ci/install-bicep.sh and put .tools/bin on PATH)');
    process.exit(2);
  }
  const only = opt('--only') ? new RegExp(opt('--only')!) : undefined;
  const dir = join(process.cwd(), 'fixtures/expressions');
  const pool = new SnapshotPool(bicep, Math.max(1, availableParallelism()), join(process.cwd(), '.oracle-cache'), 30_000);
  const version = await pool.start();
  const work = mkdtempSync(join(tmpdir(), 'egress-lint-oracle-expr-'));
  const jobs: Promise<Outcome>[] = [];
  const seenKeys = new Map<string, number>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const rows = (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { rows: Row[] }).rows;
    rows.forEach((row, index) => {
      if (only && !only.test(`${file} ${row.expr}`)) return;
      const plainKey = `${file} ${row.expr}`;
      const nth = (seenKeys.get(plainKey) ?? 0) + 1;
      seenKeys.set(plainKey, nth);
      const key = nth > 1 ? `${plainKey} (${nth})` : plainKey;
      jobs.push(
        (async (): Promise<Outcome> => {
          const base = { key, file, index, expr: row.expr };
          const t = templateOf(row);
          if ('skip' in t) return { ...base, result: 'skipped', why: t.skip };
          const text = JSON.stringify(t.template, null, 1);
          const param = "using './template.json'\n";
          const metadata = { ...metadataFor(t.scope), ...(row.scope ?? {}) };
          delete (metadata as Record<string, unknown>).level;
          const hash = pool.key({ 'template.json': text, 'main.bicepparam': param }, metadata);
          const d = join(work, hash.slice(0, 16));
          mkdirSync(d, { recursive: true });
          writeFileSync(join(d, 'template.json'), text);
          writeFileSync(join(d, 'main.bicepparam'), param);
          const r = await pool.snapshot(join(d, 'main.bicepparam'), hash, metadata);
          let azure: Answer;
          if ('failed' in r) azure = { error: r.failed };
          else {
            const probe = r.snapshot.predictedResources.find((x) => x.name === 'probe') as { properties?: { value?: unknown } } | undefined;
            const v = probe?.properties?.value;
            azure = isExpression(v) ? { deferred: v } : { value: v ?? null };
          }
          const mine = ours(t.template, row.scope);
          // A string value that looks like an expression ('[   ab]', a JSON array's text) is a value, not one left for deployment.
          if ('deferred' in azure && 'value' in mine && typeof mine.value === 'string' && mine.value === azure.deferred) azure = { value: azure.deferred };
          const result =
            'error' in azure && 'error' in mine
              ? 'both reject'
              : 'deferred' in azure && 'deferred' in mine
                ? 'both leave it for deployment'
                : 'value' in azure && 'value' in mine && same(azure.value, mine.value)
                  ? 'agree'
                  : 'differ';
          return { ...base, result, azure: answerText(azure).slice(0, 300), ours: answerText(mine).slice(0, 300) };
        })(),
      );
    });
  }
  const outcomes = await Promise.all(jobs);
  pool.stop();
  rmSync(work, { recursive: true, force: true });
  const count = new Map<string, number>();
  for (const o of outcomes) count.set(o.result, (count.get(o.result) ?? 0) + 1);
  console.log(`oracle expressions: Bicep ${version}, ${outcomes.length} rows of fixtures/expressions; snapshot cache ${pool.hits} hits / ${pool.misses} evaluated`);
  for (const [k, v] of [...count].sort((a, b) => b[1] - a[1])) console.log(`  ${k}: ${v}`);
  const skipped = new Map<string, number>();
  for (const o of outcomes) if (o.result === 'skipped') skipped.set(o.why!, (skipped.get(o.why!) ?? 0) + 1);
  for (const [k, v] of skipped) console.log(`  skipped, ${k}: ${v}`);
  const differ = outcomes.filter((o) => o.result === 'differ');
  if (argv.includes('--verbose')) for (const o of differ) console.log(`DIFF ${o.key}\n   Azure:       ${o.azure}\n   egress-lint: ${o.ours}`);
  const write = opt('--write-expect');
  const expect = opt('--expect');
  const previous = expect ? (JSON.parse(readFileSync(expect, 'utf8')) as Expectations) : undefined;
  if (write) {
    const differ: Record<string, string> = {};
    for (const o of differ_(outcomes)) differ[o.key] = previous?.differ[o.key] ?? 'unexplained';
    writeFileSync(write, JSON.stringify({ explanations: previous?.explanations ?? {}, differ }, null, 1) + '\n');
  }
  if (previous && expect) {
    const now = new Map(differ_(outcomes).map((o) => [o.key, o]));
    const problems: string[] = [];
    for (const [k, o] of now) {
      const why = previous.differ[k];
      if (why === undefined) problems.push(`NEW difference: ${k}\n   Azure:       ${o.azure}\n   egress-lint: ${o.ours}`);
      else if (!previous.explanations[why]) problems.push(`unexplained difference (${why}): ${k}`);
    }
    const checked = new Set(outcomes.filter((o) => o.result !== 'skipped').map((o) => o.key));
    for (const k of Object.keys(previous.differ)) if (checked.has(k) && !now.has(k)) problems.push(`GONE (update ${expect}): ${k}`);
    for (const p of problems) console.log(`oracle expressions: ${p}`);
    process.exitCode = problems.length > 0 ? 1 : 0;
    const byWhy = new Map<string, number>();
    for (const k of now.keys()) byWhy.set(previous.differ[k] ?? 'new', (byWhy.get(previous.differ[k] ?? 'new') ?? 0) + 1);
    for (const [k, v] of [...byWhy].sort((a, b) => b[1] - a[1])) console.log(`  differ, ${k}: ${v}${previous.explanations[k] ? `: ${previous.explanations[k]}` : ''}`);
    console.log(process.exitCode ? `oracle expressions: differs from ${expect}` : `oracle expressions: matches ${expect}`);
  }
}

await main();
