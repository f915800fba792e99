// Issue 21, item 1: one work budget per expansion. Each hostile input of test/harness/hostile/budget.ts (values that
// share structure, nested lambdas, builders past their limit) runs through the CLI in-process and must stop with a
// finding that names the expression and its line; large but legitimate evaluations must still finish without one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { budgetInputs } from './harness/hostile/budget.js';
import { runHostile, unmet } from './harness/hostile/run.js';
import type { HostileInput } from './harness/hostile/types.js';
import { templateText } from './harness/hostile/types.js';
import { BudgetSpent, INDEX, WorkBudget } from '../engine/expressions/budget.js';
import type { Value } from '../engine/expressions/value.js';
import type { Finding } from '../engine/lint/report.js';

/** Issue 21's bound on one hostile input (bench/hostile.ts measures it in a process of its own). */
const BOUND_MS = 10_000;

/** A finding as the JSON report prints it (api/formatters/json.ts copies these fields of the engine's Finding). */
type JsonFinding = Pick<Finding, 'ruleId' | 'severity' | 'message' | 'file' | 'line'>;

/** The findings of a lint run in --format json (stdout first in the captured text). */
function findingsOf(out: string): JsonFinding[] {
  const report = JSON.parse(out.slice(0, out.lastIndexOf('}') + 1)) as { findings: JsonFinding[] };
  return report.findings;
}

// Lint runs in JSON, so the finding is checked too: an error at the line of the expression it quotes.
for (const input of budgetInputs) {
  test(`budget: ${input.name}`, async () => {
    const started = performance.now();
    if (input.args[0] === 'expand') {
      assert.is(unmet(input, await runHostile(input)), undefined);
      assert.ok(performance.now() - started < BOUND_MS, `${(performance.now() - started).toFixed(0)} ms`);
      return;
    }
    const text = input.files()['main.json'] as string;
    const r = await runHostile({ ...input, args: [...input.args, '--format', 'json'] });
    assert.ok(performance.now() - started < BOUND_MS, `${(performance.now() - started).toFixed(0)} ms`);
    assert.is(unmet(input, r), undefined);
    const findings = findingsOf(r.out);
    if (input.expect.exit[0] === 0) {
      assert.equal(findings, []);
      return;
    }
    const limit = findings.filter((f) => f.ruleId === 'limit-exceeded' || f.ruleId === 'expression-invalid');
    assert.is(limit.length, 1, JSON.stringify(findings));
    const f = limit[0];
    assert.is(f.severity, 'error');
    assert.is(f.file, 'main.json');
    if (f.ruleId === 'expression-invalid') {
      assert.match(f.message, /'padLeft' expects a total length of at most 1000000, got 2000000000/);
      assert.match(text.split('\n')[f.line - 1], /padLeft\('x', 2000000000\)/);
      return;
    }
    const quoted = /^Evaluation of '(\[.{20})/.exec(f.message);
    assert.ok(quoted, f.message);
    assert.match(f.message, /budget of 20000000 units/);
    assert.ok(text.split('\n')[f.line - 1].includes(quoted[1]), `line ${f.line} does not hold ${quoted[1]}`);
  });
}

/** A template evaluating `name` as its public IP's name, with these variables. */
function legit(name: string, variables: object): HostileInput {
  return {
    name,
    files: () => ({
      'main.json': templateText({
        variables,
        resources: [{ type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2023-09-01', name, location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } }],
      }),
    }),
    args: ['main.json', '--format', 'json'],
    expect: { exit: [0] },
  };
}

const LEGIT: readonly HostileInput[] = [
  legit("[concat('ip-', string(length(variables('m'))))]", { m: "[map(range(0, 10000), lambda('i', string(lambdaVariables('i'))))]" }),
  legit("[concat('ip-', string(length(padLeft('x', 1000000, 'y'))))]", {}),
  // A shared array of 2^21 leaves printed once: four million characters, a large but real amount of work.
  legit("[concat('ip-', string(length(string(variables('row')))))]", { row: "[reduce(range(0, 20), createArray(1), lambda('a', 'i', createArray(lambdaVariables('a'), lambdaVariables('a'))))]" }),
  legit("[concat('ip-', string(length(sort(range(0, 10000), lambda('a', 'b', greater(lambdaVariables('a'), lambdaVariables('b')))))))]", {}),
];

for (const input of LEGIT) {
  test(`budget: a large but legitimate evaluation has no finding: ${input.name}`, async () => {
    const r = await runHostile(input);
    assert.is(unmet(input, r), undefined);
    assert.equal(findingsOf(r.out), []);
  });
}

test('budget: the tree size of a shared value is counted on its graph, and stops the walk past the budget', () => {
  let v: Value = [1];
  for (let i = 0; i < 60; i++) v = [v, v];
  const budget = new WorkBudget(1_000_000);
  const t0 = Date.now();
  assert.throws(() => budget.chargeTree(v, 'string'), (e: unknown) => e instanceof BudgetSpent && e.at === 'string');
  assert.ok(Date.now() - t0 < 1000);
  // A small tree is counted exactly: three arrays, two numbers, and 'abc'.
  const small = new WorkBudget(100);
  small.chargeTree([[1, 2], ['abc']], 'string');
  assert.is(small.spent, 6);
});

test('budget: running out in an index says so in words, not as a function named []', () => {
  const b = new WorkBudget(10);
  assert.throws(() => b.chargeTree(Array.from({ length: 100 }, (_, i) => i), INDEX), (e: unknown) => e instanceof BudgetSpent && /ran out in an index \[\.\.\.\]\)$/.test(e.message));
});

test('budget: a value nested 100,000 deep is counted without a stack overflow', () => {
  let v: Value = [];
  for (let i = 0; i < 100_000; i++) v = [v];
  const budget = new WorkBudget(1_000_000);
  budget.chargeTree(v, 'string');
  assert.is(budget.spent, 100_001);
});

test.run();
