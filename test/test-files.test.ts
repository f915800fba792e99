// The test files themselves: what uvu would drop without a word.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const dir = new URL('.', import.meta.url).pathname;

/**
 * The tests of each suite a test file registers after the suite's run(): uvu runs what was registered by then, so a
 * test added later never runs and is never reported (graph-types.test.ts had one).
 */
function registeredAfterRun(text: string): string[] {
  const names = ['test', ...[...text.matchAll(/\bconst\s+([A-Za-z_$][\w$]*)\s*=\s*suite\(/g)].map((m) => m[1])];
  const out: string[] = [];
  for (const name of names) {
    const run = text.indexOf(`${name}.run()`);
    if (run < 0) continue;
    const after = text.slice(run + name.length + 6);
    const late = new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?:\\.(?:skip|only|before|after)(?:\\.each)?)?\\(`).exec(after);
    if (late) out.push(`${name}: ${after.slice(late.index, late.index + 60).split('\n')[0]}`);
  }
  return out;
}

test('every test file registers its tests before it runs their suite', () => {
  // Written in pieces, so that this file's own text does not declare a suite named s.
  const sample = ['const s', ' = suite', "('x');\ns('a', () => {});\ns.run();\ns('late', () => {});\n"].join('');
  assert.equal(registeredAfterRun(sample), ["s: s('late', () => {});"]);
  assert.equal(registeredAfterRun("test('a', () => {});\ntest.run();\n"), []);
  const late = readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .flatMap((f) => registeredAfterRun(readFileSync(join(dir, f), 'utf8')).map((l) => `test/${f}: ${l}`));
  assert.equal(late, []);
});

test.run();
