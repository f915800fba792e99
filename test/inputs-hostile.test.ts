// Issue 21, items 2 and 4, through the CLI: every input of test/harness/hostile/inputs.ts meets its expectation
// (files other than templates bounded and typed, glob lists capped, discovery dropping nothing, reports never written
// over an input), each within the time a user would wait.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_INPUT_DEPTH, tooDeepAt } from '../api/input-files.js';
import { checkGitignore, globBacktracks, globExpansions } from '../api/limits.js';
import { inputsInputs } from './harness/hostile/inputs.js';
import { runHostile, unmet } from './harness/hostile/run.js';

for (const input of inputsInputs) {
  test(`hostile input: ${input.name}`, async () => {
    const t0 = performance.now();
    const r = await runHostile(input);
    const ms = performance.now() - t0;
    const why = unmet(input, r);
    assert.is(why, undefined, why);
    assert.ok(ms < 10_000, `took ${Math.round(ms)} ms`);
  });
}


// The house rule that keeps maps keyed by data prototype-free (eslint.config.js): a plain {} started as such a map
// is an error in every folder of the sources, and the prototype-free ways to start one are not.
const BAD_MAPS = [
  'const m: Record<string, string> = {};',
  'const m: { [key: string]: number } = {};',
  'const m = {} as Record<string, number>;',
  'const m = Object.fromEntries([["a", 1]]);',
  'class C { private readonly m: Record<string, number> = {}; }',
];
const GOOD_MAPS = ['const m = Object.create(null) as Record<string, string>;', 'const m = new Map<string, number>();', 'const m: Record<"a" | "b", number> = { a: 1, b: 2 };'];

test('eslint.config.js: a map keyed by data started as a plain {} is an error in cli/, api/ and engine/', async () => {
  const { ESLint } = await import('eslint');
  const eslint = new ESLint({ cwd: process.cwd() });
  for (const folder of ['cli', 'api', 'engine/network']) {
    for (const code of BAD_MAPS) {
      const [r] = await eslint.lintText(`export {};\n${code}\n`, { filePath: `${folder}/probe.ts` });
      assert.ok(
        r.messages.some((m) => m.ruleId === 'no-restricted-syntax' && /no prototype/.test(m.message)),
        `${folder}: ${code}: ${JSON.stringify(r.messages.map((m) => m.message))}`,
      );
    }
    for (const code of GOOD_MAPS) {
      const [r] = await eslint.lintText(`export {};\n${code}\n`, { filePath: `${folder}/probe.ts` });
      assert.not.ok(r.messages.some((m) => /no prototype/.test(m.message)), `${folder}: ${code}: ${JSON.stringify(r.messages.map((m) => m.message))}`);
    }
  }
});

test('a "__proto__" key of a configuration\'s parameters is an entry like any other, not a prototype', async () => {
  const { mergeOnto, NO_CONFIG } = await import('../cli/config-tree.js');
  const config = JSON.parse('{ "parameters": { "__proto__": "p.json" }, "links": { "https://a/": "x" } }') as never;
  const merged = mergeOnto(NO_CONFIG, { file: '/r/egress-lint.config.json', dir: '/r', config });
  assert.equal(merged.parameters.map((p) => p.key), ['__proto__']);
  assert.is(Object.getPrototypeOf(merged.links), null);
  assert.is((merged.links as Record<string, string>).constructor, undefined);
});


test('a folder search finds a template under any name the file system allows, or names it in a note', async () => {
  const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { main } = await import('../cli/main.js');
  const { capture } = await import('./harness/io.js');
  const { templateText } = await import('./harness/hostile/types.js');
  const dir = mkdtempSync(join(tmpdir(), 'egress-lint-names-'));
  try {
    const names = ['tab\there', '-dash', '#hash', '[br]', 'star*', 'q?', 'back\\slash', 'nl\nx', 'cr\rx', 'ls\u2028x', '{a,b}', '!bang', 'sp ace', 'x'.repeat(200)];
    for (const n of names) {
      mkdirSync(join(dir, n));
      writeFileSync(join(dir, n, 'main.json'), templateText({}));
      writeFileSync(join(dir, `${n}.json`), templateText({}));
    }
    // A name that is not valid UTF-8: Node cannot open it by name, so it is reported.
    const bad = Buffer.concat([Buffer.from(dir), Buffer.from('/bad\xff.json', 'latin1')]);
    writeFileSync(bad, templateText({}));
    // .gitignore still applies to such names.
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.gitignore'), 'sp ace/\n');
    const c = capture(dir);
    const code = await main(['.', '--format', 'json'], c.io);
    assert.is(code, 0, c.err());
    const files = (JSON.parse(c.out()) as { files: { path: string }[] }).files.map((f) => f.path).sort();
    const want = names.flatMap((n) => [`${n}.json`, ...(n === 'sp ace' ? [] : [`${n}/main.json`])]).sort();
    assert.equal(files, want);
    assert.match(c.err(), /"bad\uFFFD\.json": skipped: its name is not valid UTF-8/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the nesting check counts brackets outside strings and comments, and says where the first too deep one is', () => {
  const nest = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
  assert.is(tooDeepAt(nest(MAX_INPUT_DEPTH), MAX_INPUT_DEPTH), undefined);
  assert.is(tooDeepAt(nest(MAX_INPUT_DEPTH + 1), MAX_INPUT_DEPTH), MAX_INPUT_DEPTH);
  // Brackets in strings (an escaped quote does not end one) and in comments are not nesting.
  const text = `{"a": "${'['.repeat(50)}\\"${'{'.repeat(50)}", // ${'['.repeat(50)}\n /* ${'{'.repeat(50)} */ "b": [[1]]}`;
  assert.is(tooDeepAt(text, 3), undefined);
  assert.is(tooDeepAt(text, 2), text.indexOf('[[1') + 1);
  // An escaped backslash before a quote ends the string there.
  assert.is(tooDeepAt('["\\\\", [[]]]', 2), 8);
});

test('globs the matcher could backtrack on for minutes are told apart from the globs people write', () => {
  for (const g of ['**/*.json', 'infra/legacy/**', '*.test.*', '*-*-*.json', 'a**b*c*d', '**/a/**/b/**', '@(a|b).json', '!(legacy)/**', '*(1).json', 'main (1).json', '\\*\\*\\*\\*x'])
    assert.is(globBacktracks(g), undefined, g);
  assert.is(globBacktracks('*a*a*a*b'), `has 4 '*' wildcards in the path segment "*a*a*a*b"`);
  assert.is(globBacktracks('**/a/**/b/**/c/**/d'), "has 4 '**' segments");
  assert.match(globBacktracks('x+(ab|abab)') ?? '', /repeats a group of alternatives/);
  assert.match(globBacktracks('*(a|b)c') ?? '', /repeats a group of alternatives/);
});

test('a .gitignore is checked rule by rule: comments and blank lines are skipped, a negated rule is checked as its glob', () => {
  checkGitignore('.gitignore', '# *a*a*a*a*b\n\nnode_modules/\n*.log\n!keep.log\n**/dist/**\n');
  assert.throws(() => checkGitignore('infra/.gitignore', 'ok/\r\n!*a*a*a*a*b\r\n'), (e: Error) => /^infra\/\.gitignore:2: the \.gitignore rule "!\*a\*a\*a\*a\*b" has 5 '\*' wildcards/.test(e.message));
});

test('glob expansions are counted without expanding: alternatives add, groups multiply, ranges count, escapes and unclosed braces are literal', () => {
  assert.is(globExpansions('**/*.{json,bicep}'), 2);
  assert.is(globExpansions('{a,{b,c}}x{1..10}'), 30);
  assert.is(globExpansions('{a,b}{c,d}{e,f}'), 8);
  assert.is(globExpansions('{a..z}'), 26);
  assert.is(globExpansions('{0..100..10}'), 11);
  assert.is(globExpansions('\\{a,b}'), 1);
  assert.is(globExpansions('plain/**/*.json'), 1);
  // Saturates just past the cap, whatever the real count (4 million, 100,000).
  assert.is(globExpansions('{a,b}'.repeat(22)), 1001);
  assert.is(globExpansions('x{1..100000}'), 1001);
  assert.is(globExpansions('{a,b}'.repeat(9)), 512);
});

test.run();
