// Table-driven tests of every ARM template function: fixtures/expressions/<family>.json, one row per case.
import { readFileSync, readdirSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluateString } from '../engine/expressions/evaluator.js';
import { FUNCTIONS } from '../engine/expressions/functions/index.js';
import { DEFAULT_SCOPE } from '../engine/expressions/scope.js';
import type { Value } from '../engine/expressions/value.js';
import { ExpressionError, Unknown } from '../engine/expressions/value.js';
import { TableHost } from './harness/expr-host.js';

interface Row {
  expr: string;
  params?: Record<string, Value>;
  vars?: Record<string, Value>;
  scope?: Record<string, string>;
  copyIndex?: number;
  inParameterDefault?: boolean;
  value?: Value;
  unknown?: string;
  error?: string;
  note?: string;
}

const dir = new URL('../fixtures/expressions/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const seen = new Set<string>();

/** Plain JSON view of a value: Unknown → {"$unknown": cause}, null-prototype objects → ordinary objects. */
function plain(v: Value): unknown {
  if (v instanceof Unknown) return { $unknown: v.cause };
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x instanceof Unknown ? { $unknown: x.cause } : x)));
}

for (const file of files) {
  const rows = (JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { rows: Row[] }).rows;
  const s = suite(`expressions/${file}`);
  rows.forEach((row, i) => {
    for (const m of row.expr.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)) seen.add(m[1].toLowerCase());
    s(`${i}: ${row.expr}`, () => {
      const host = new TableHost(row.params, row.vars, { ...DEFAULT_SCOPE, ...row.scope }, row.copyIndex, row.inParameterDefault);
      let got: Value;
      try {
        got = evaluateString(row.expr, host);
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        const want = row.error;
        if (want === undefined) return assert.unreachable(`unexpected error: ${e.message}`);
        if (want.startsWith('/')) assert.match(e.message, new RegExp(want.slice(1, -1)));
        else assert.is(e.message, want);
        return;
      }
      if (row.error !== undefined) assert.unreachable(`expected an error matching ${row.error}, got ${JSON.stringify(plain(got))}`);
      if (row.unknown !== undefined) {
        assert.instance(got, Unknown, `expected an unknown (${row.unknown})`);
        assert.is((got as Unknown).cause, row.unknown);
        return;
      }
      assert.equal(plain(got), row.value);
    });
  });
  s.run();
}

const coverage = suite('expressions/coverage');
coverage('every registered function has at least one table row', () => {
  const missing = Object.keys(FUNCTIONS).filter((f) => !seen.has(f));
  assert.equal(missing, [], `functions without a row: ${missing.join(', ')}`);
});
coverage.run();
