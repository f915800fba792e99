// --format github: workflow commands as the Actions runner reads them (escaping as actions/toolkit's command.ts),
// most severe first, at most 10 of each kind with a line that says what was left out, paths relative to the
// workspace, columns only on one-line ranges. The action's use of it is in test/action.test.ts.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Finding, LintResult } from '../engine/index.js';
import { rules } from '../rules/index.js';
import { discover } from '../api/discover.js';
import { lintFiles } from '../api/run.js';
import type { FormatContext } from '../api/formatters/index.js';
import { ANNOTATIONS_PER_KIND, annotation, escapeData, escapeProperty, formatGithub } from '../api/formatters/github.js';
import { annotations } from './harness/runner.js';
import { capture, runCli } from './harness/io.js';
import { main } from '../cli/main.js';

const root = new URL('..', import.meta.url).pathname;
const ctx = (extra: Partial<FormatContext> = {}): FormatContext => ({ version: '0.0.0-test', color: false, cwd: root, rules, ...extra });

async function lint(paths: string[]): Promise<LintResult[]> {
  const { targets } = await discover(paths, root);
  return lintFiles(targets, { cwd: root, rules });
}

test('escaping: %, CR and LF in messages; also : and , in properties; the runner reads back what was written', () => {
  assert.is(escapeData('100% a:b,c\r\nnext'), '100%25 a:b,c%0D%0Anext');
  assert.is(escapeProperty('100% a:b,c\r\nnext'), '100%25 a%3Ab%2Cc%0D%0Anext');
  assert.is(escapeData('%0A'), '%250A', 'an escape-looking text stays text');
  const f = { ruleId: 'retired-sku', severity: 'warning', message: "Odd '%0A' name, with: colons\nand a break.", help: 'Fix it: now.', file: 'a,b:c%.json', line: 3, column: 4, endLine: 3, endColumn: 9 } as Finding;
  const [read] = annotations(annotation(f, ctx()));
  assert.is(read.command, 'warning');
  assert.equal(read.properties, { file: 'a,b:c%.json', line: '3', endLine: '3', col: '4', endColumn: '9', title: 'egress-lint (retired-sku)' });
  assert.is(read.message, "Odd '%0A' name, with: colons\nand a break.\nhelp: Fix it: now.\nhttps://github.com/egress-lint/egress-lint/blob/main/rules/retired-sku.md");
  assert.not.match(annotation(f, ctx()), /[\r\n]/, 'one line');
});

test('a range over several lines has no columns (the toolkit: they "cannot be sent when startLine and endLine are different")', () => {
  const f = { ruleId: 'default-outbound-access', severity: 'error', message: 'm.', help: '', file: 'x.json', line: 3, column: 4, endLine: 9, endColumn: 2 } as Finding;
  assert.equal(annotations(annotation(f, ctx()))[0].properties, { file: 'x.json', line: '3', endLine: '9', title: 'egress-lint (default-outbound-access)' });
});

test('every finding once, errors then warnings then notices; suppressed ones never; paths relative to the workspace', async () => {
  const results = await lint(['examples', 'fixtures/formatters/multi-nic-suppressed/input.json']);
  const all = results.flatMap((r) => r.findings);
  const active = all.filter((f) => !f.suppression);
  assert.ok(all.length > active.length, 'some are suppressed');
  const text = formatGithub(results, ctx());
  const found = annotations(text);
  assert.is(found.length, active.length);
  assert.is(text.split('\n').filter(Boolean).length, found.length, 'nothing else when nothing is left out');
  const order = found.map((a) => ['error', 'warning', 'notice'].indexOf(a.command));
  assert.equal(order, [...order].sort((a, b) => a - b));
  for (const f of active) assert.ok(found.some((a) => a.properties.file === f.file && a.properties.line === String(f.line) && a.message.startsWith(f.message)), f.message);
  // In a workflow the working directory may be a folder of the workspace: paths still start at the workspace.
  const up = annotations(formatGithub(results, ctx({ workspace: join(root, '..') })));
  for (const a of up) assert.ok(a.properties.file.startsWith(`${root.split('/').filter(Boolean).pop()}/`), a.properties.file);
  // A file outside the workspace keeps its absolute path.
  const out = annotations(formatGithub(results, ctx({ workspace: join(root, 'fixtures') })));
  assert.ok(out.some((a) => a.properties.file === join(root, 'examples/legacy-vm/azuredeploy.json')));
});

test(`at most ${ANNOTATIONS_PER_KIND} of each kind, the first in document order, then a line counting the rest`, async () => {
  const [one] = await lint(['fixtures/formatters/multi-nic-suppressed/input.json']);
  const f = one.findings.find((x) => !x.suppression && x.severity === 'error')!;
  const many: LintResult = { ...one, findings: Array.from({ length: 25 }, (_, i) => ({ ...f, line: i + 1, endLine: i + 1 })) };
  const text = formatGithub([many], ctx());
  const found = annotations(text);
  assert.equal(found.map((a) => a.properties.line), ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  assert.is(text.trimEnd().split('\n').pop(), 'egress-lint: 15 of 25 errors are not annotated (GitHub shows 10 of each kind per step); every finding is in the SARIF and JSON reports and the Markdown summary.');
  assert.is(formatGithub([{ ...one, findings: [] }], ctx()), '', 'no findings, no output');
});

test('the CLI: --format github, with paths relative to GITHUB_WORKSPACE when it is set', async () => {
  const r = await runCli(['examples', '--format', 'github'], root);
  assert.is(r.code, 1);
  assert.ok(annotations(r.out).length > 3);
  assert.ok(annotations(r.out).every((a) => a.properties.file.startsWith('examples/')));
  const c = capture(join(root, 'examples'), { GITHUB_WORKSPACE: root });
  assert.is(await main(['.', '--format', 'github'], c.io), 1);
  assert.equal(annotations(c.out()).map((a) => a.properties.file), annotations(r.out).map((a) => a.properties.file));
});

test.run();
