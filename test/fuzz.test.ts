// The short fuzz run inside npm test: a few hundred seeded cases of mutated bundled templates and generated
// expressions (test/harness/fuzz.ts); the long run is `npm run fuzz` (bench/fuzz.ts).
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { caseText, checkExpression, checkTemplate, loadSeeds, properties } from './harness/fuzz.js';

// Seeded, so a failure here repeats on every machine; the bundled templates only, so the cases do not depend on
// whether the corpus is present. The bound is generous: it catches hangs, not slowness.
const SEED = 20261125;
const BOUND_MS = 3000;
const { seeds } = loadSeeds({ corpus: false });
const props = properties(seeds, { boundMs: BOUND_MS });

test('the harness finds the bundled templates', () => {
  assert.ok(seeds.length >= 50, `only ${seeds.length} bundled templates`);
});

test('mutated templates: no exception, bounded time, same JSON twice, unreadable text reported', () => {
  fc.assert(props.templates, { seed: SEED, numRuns: 250 });
});

test('generated expressions: a value or an ExpressionError, bounded time, same result twice', () => {
  fc.assert(props.expressions, { seed: SEED, numRuns: 400 });
});

test('the checks and mutations do what they say', () => {
  // Not a template: the check passes because a template-invalid error is reported for it.
  checkTemplate('[1, 2', BOUND_MS);
  // A bound no run can meet fails the check.
  assert.throws(() => checkExpression("concat('a')", -1), /took/);
  assert.throws(() => checkTemplate('{}', -1), /took/);
  // A mutation changes the text.
  assert.is.not(caseText(seeds, { seed: 0, mutations: [{ k: 'drop', at: 1 }] }), JSON.stringify(seeds[0].value, null, 2));
});

test.run();
