// The GitHub Action on the whole test corpus (787 real templates, ../shared/corpus, read-only), on the simulated
// runner of test/harness/runner.ts with the corpus as the workspace: the comment stays under a pull-request
// comment's 65,536 characters, the job summary under 1 MiB, both with every Markdown construct whole; the
// annotations are capped as GitHub shows them, most severe first; the count outputs agree with the SARIF file.
// Skipped, by name, when ../shared/corpus is absent (it is not shipped).
import { existsSync, mkdtempSync, readFileSync, symlinkSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { builtPackage } from './harness/package.js';
import { annotations, brokenMarkdown, readYaml, runSteps } from './harness/runner.js';
import type { Action } from './harness/runner.js';

const root = new URL('..', import.meta.url).pathname;
const CORPUS = join(dirname(new URL(import.meta.url).pathname), '../../shared/corpus');

test('corpus: the comment under 65,536 characters, the summary under 1 MiB, annotations capped, counts as in the SARIF file', () => {
  if (!existsSync(CORPUS)) {
    console.log('  skipped: ../shared/corpus not found (the action on the whole corpus: comment and summary sizes, annotations, counts)');
    return;
  }
  const action = readYaml(readFileSync(join(root, 'action.yml'), 'utf8')) as unknown as Action;
  const checkout = mkdtempSync(join(tmpdir(), 'egress-lint-action-'));
  symlinkSync(join(root, 'scripts'), join(checkout, 'scripts'), 'dir');
  symlinkSync(join(builtPackage(), 'dist'), join(checkout, 'dist'), 'dir');
  symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'), 'dir');
  for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(root, f), join(checkout, f));
  const o = runSteps(action, { checkout, workspace: CORPUS, inputs: { 'fail-level': 'never' } });
  assert.is(o.code, 0, o.log.slice(-2000));
  console.log(`  the lint step on the corpus: ${o.seconds.lint.toFixed(1)} s`);

  const comment = readFileSync(o.outputs.comment, 'utf8');
  assert.ok(comment.length <= 65_536, `the comment has ${comment.length} characters`);
  assert.ok(Buffer.byteLength(comment) <= 65_536, `the comment has ${Buffer.byteLength(comment)} bytes`);
  assert.ok(comment.startsWith('<!-- egress-lint -->\n'));
  // The corpus holds far more than a comment: the budget cut it, and the comment says so.
  assert.match(comment, /\n\*\*Left out to keep this report under [\d,]+ bytes:\*\* \d+ templates \(\d+ VMs, [\d,]+ findings\)/);
  assert.equal(brokenMarkdown(comment), []);
  assert.ok(Buffer.byteLength(o.summary) <= 1_048_576, `the summary has ${Buffer.byteLength(o.summary)} bytes`);
  assert.ok(Buffer.byteLength(o.summary) > 500_000, 'the summary uses its room');
  assert.equal(brokenMarkdown(o.summary), []);
  assert.ok(comment.split('\n## ').length < o.summary.split('\n## ').length, 'the summary shows more templates than the comment');

  // Counts from the SARIF file, which the outputs are not computed from.
  const sarif = JSON.parse(readFileSync(o.outputs.sarif, 'utf8'));
  const active = sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => !r.suppressions?.length);
  const level = (l: string) => active.filter((r: { level: string }) => r.level === l).length;
  const unknown = sarif.runs[0].properties.egress.filter((v: { verdict: string }) => v.verdict === 'unknown').length;
  assert.equal(
    [o.outputs.errors, o.outputs.warnings, o.outputs['unknown-vms'], o.outputs['changed-vms']],
    [String(level('error')), String(level('warning')), String(unknown), '0'],
  );
  assert.ok(level('error') > 10 && level('warning') > 10 && unknown > 0);

  const found = annotations(o.log);
  const shown = (l: string) => Math.min(10, level(l));
  assert.equal(found.map((a) => a.command), [...Array(shown('error')).fill('error'), ...Array(shown('warning')).fill('warning'), ...Array(shown('note')).fill('notice')]);
  for (const a of found) assert.ok(existsSync(join(CORPUS, a.properties.file)), `a path relative to the workspace: ${a.properties.file}`);
  const words: Record<string, string> = { error: 'errors', warning: 'warnings', note: 'notes' };
  const left = ['error', 'warning', 'note'].filter((l) => level(l) > 10).map((l) => `${level(l) - 10} of ${level(l)} ${words[l]}`);
  assert.ok(o.log.split('\n').includes(`egress-lint: ${left.join(', ')} are not annotated (GitHub shows 10 of each kind per step); every finding is in the SARIF and JSON reports and the Markdown summary.`));
});

test.run();
