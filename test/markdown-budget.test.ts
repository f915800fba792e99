// The Markdown report within a size budget (api/formatters/markdown-budget.ts, --max-bytes): never over it, never
// a construct cut in half, what matters first (changed VMs, then errors, then the rest), and a last line whose
// counts add up with what is shown to everything there is. The whole corpus goes through the action in
// test/action-corpus.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import type { EgressComparison, LintResult } from '../engine/index.js';
import { rules } from '../rules/index.js';
import { discover } from '../api/discover.js';
import { lintFiles } from '../api/run.js';
import { formatMarkdown } from '../api/formatters/markdown.js';
import { MARKDOWN_MAX_BYTES, MARKDOWN_MIN_BYTES, utf8Bytes } from '../api/formatters/markdown-budget.js';
import { brokenMarkdown } from './harness/runner.js';
import { runCli, scratchDir } from './harness/io.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const ctx = { version: '0.0.0-test', color: false, cwd: root, rules };

async function lint(paths: string[]): Promise<LintResult[]> {
  const { targets } = await discover(paths, root);
  return lintFiles(targets, { cwd: root, rules });
}

const CASES = ['examples', 'fixtures/formatters', 'fixtures/egress'];

/** VM rows, finding rows, sections and charts of a report. */
function shape(text: string) {
  const lines = text.split('\n');
  return {
    vmRows: lines.filter((l) => /^\| (?!VM \||---|severity \|)/.test(l) && !/^\| (error|warning|note) \| \[/.test(l)).length,
    findingRows: lines.filter((l) => /^\| (error|warning|note) \| \[/.test(l)).length,
    sections: lines.filter((l) => l.startsWith('## ') && !l.startsWith('## Egress changes')),
    charts: lines.filter((l) => l === '```mermaid').length,
    changes: lines.filter((l) => /^- \*\*/.test(l)).length,
  };
}

const num = (s: string | undefined) => Number((s ?? '0').replace(/,/g, ''));

/** The counts of the closing line. */
function leftOut(text: string) {
  const line = /\*\*Left out to keep this report under ([\d,]+) bytes:\*\* (.*)\. The JSON and SARIF reports/.exec(text);
  if (!line) return undefined;
  const t = /([\d,]+) templates? \(([\d,]+) VMs?, ([\d,]+) findings?\)/.exec(line[2]);
  const cut = /(?:([\d,]+) VMs?)?(?: and )?(?:([\d,]+) findings?)? of the last template shown/.exec(line[2]);
  return {
    budget: num(line[1]),
    changes: num(/([\d,]+) egress changes?/.exec(line[2])?.[1]),
    templates: num(t?.[1]),
    vms: num(t?.[2]) + num(cut?.[1]),
    findings: num(t?.[3]) + num(cut?.[2]),
    charts: num(/the diagrams? of ([\d,]+) templates? shown/.exec(line[2])?.[1]),
  };
}

test('utf8Bytes is the UTF-8 length, lone surrogates included', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => utf8Bytes(s) === Buffer.byteLength(s, 'utf8')));
  assert.is(utf8Bytes('✅ é 😀'), Buffer.byteLength('✅ é 😀'));
});

test('under every budget: within it, whole, in the full report\'s order, and the left-out line adds up', async () => {
  const results = await lint(CASES);
  const full = formatMarkdown(results, { ...ctx, maxBytes: 0 });
  const all = shape(full);
  assert.ok(utf8Bytes(full) > 40_000 && all.sections.length > 40, 'enough to cut');
  assert.is(formatMarkdown(results, ctx), full, 'the default budget holds all of it');
  assert.is(MARKDOWN_MAX_BYTES, 1_000_000);
  let cuts = 0;
  // Every size from the smallest to past the whole, closer together where little fits.
  const budgets: number[] = [];
  for (let b = MARKDOWN_MIN_BYTES; b < utf8Bytes(full) + 2000; b = Math.ceil(b * 1.04) + 97) budgets.push(b);
  for (const budget of budgets) {
    const text = formatMarkdown(results, { ...ctx, maxBytes: budget });
    assert.ok(utf8Bytes(text) <= budget, `${utf8Bytes(text)} bytes over ${budget}`);
    assert.equal(brokenMarkdown(text), [], `budget ${budget}`);
    const got = shape(text);
    const left = leftOut(text);
    if (text === full) {
      assert.is(left, undefined);
      continue;
    }
    cuts++;
    assert.ok(left, `budget ${budget}: a cut report says what it left out`);
    assert.is(left!.budget, budget);
    assert.is(got.sections.length + left!.templates, all.sections.length, `budget ${budget}: templates`);
    assert.equal(got.sections, all.sections.slice(0, got.sections.length), 'the first templates, in order');
    assert.is(got.vmRows + left!.vms, all.vmRows, `budget ${budget}: VMs`);
    assert.is(got.findingRows + left!.findings, all.findingRows, `budget ${budget}: findings`);
    assert.ok(got.charts + left!.charts >= all.charts - left!.templates && got.charts <= all.charts);
    // Every block shown is a block of the full report: nothing is rewritten to fit.
    for (const block of text.split('\n\n').slice(0, -2)) assert.ok(full.includes(block), block.slice(0, 200));
  }
  assert.ok(cuts > 20);
});

test('what matters first: the template of a changed VM, then templates with errors, then warnings, then the rest', async () => {
  const results = await lint(['examples', 'fixtures/formatters']);
  // A comparison that says the last template's first VM changed.
  const last = results.filter((r) => r.vms.length).at(-1)!;
  const vm = last.vms[last.vms.length - 1];
  const egress: EgressComparison = { against: 'base main', changes: [{ key: vm.id.toLowerCase(), kind: 'changed', name: vm.name, type: vm.type, file: last.file, added: ['x'], removed: [], verdictBefore: 'deterministic', verdictAfter: vm.verdict }] };
  const text = formatMarkdown(results, { ...ctx, egress, maxBytes: 0 });
  const sections = shape(text).sections;
  assert.is(sections[0], `## ${last.file}`, 'the changed VM\'s template first');
  const table = text.slice(text.indexOf(`## ${last.file}`)).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| VM |'));
  assert.ok(table[0].startsWith(`| ${vm.name} |`), 'and the changed VM first in its table');
  const rank = (file: string) => {
    const r = results.find((x) => `## ${x.file}` === file)!;
    const sev = r.findings.filter((f) => !f.suppression).map((f) => f.severity);
    return file === `## ${last.file}` ? 0 : sev.includes('error') ? 1 : sev.includes('warning') ? 2 : sev.length || r.vms.some((v) => v.verdict === 'unknown') ? 3 : 4;
  };
  const ranks = sections.map(rank);
  assert.equal(ranks, [...ranks].sort((a, b) => a - b));
  assert.ok(new Set(ranks).size >= 3);
  // Findings by severity inside their <details>.
  for (const block of text.split('<details>').slice(1)) {
    const sev = block.split('</details>')[0].split('\n').filter((l) => /^\| (error|warning|note) \|/.test(l)).map((l) => ['error', 'warning', 'note'].indexOf(l.split(' | ')[0].slice(2)));
    assert.equal(sev, [...sev].sort((a, b) => a - b));
  }
  // A small budget keeps the changes and the changed VM's template.
  const small = formatMarkdown(results, { ...ctx, egress, maxBytes: MARKDOWN_MIN_BYTES });
  assert.match(small, /## Egress changes against base main\n\n1 VM with other egress than base main/);
  assert.match(small, new RegExp(`\\| ${vm.name} \\|`));
});

test('the CLI: --max-bytes for -f markdown, markdown:<bytes>= for one report, and what it refuses', async () => {
  const dir = scratchDir({});
  const r = await runCli(['examples', '-f', 'markdown', '--max-bytes', '5000', '--report', `markdown=${join(dir, 'same.md')}`, '--report', `markdown:0=${join(dir, 'full.md')}`], root);
  assert.is(r.code, 1, r.err);
  assert.ok(utf8Bytes(r.out) <= 5000);
  assert.match(r.out, /Left out to keep this report under 5,000 bytes/);
  assert.is(readFileSync(join(dir, 'same.md'), 'utf8'), r.out, 'a report without its own budget takes --max-bytes');
  assert.is(readFileSync(join(dir, 'full.md'), 'utf8'), (await runCli(['examples', '-f', 'markdown'], root)).out);
  for (const [args, message] of [
    [['--max-bytes', '100', '-f', 'markdown'], /--max-bytes expects a number of bytes of at least 4096, or 0 for no limit; got '100'/],
    [['--max-bytes', 'lots', '-f', 'markdown'], /--max-bytes expects a number of bytes/],
    [['--max-bytes', '65000'], /--max-bytes sizes the Markdown report: use it with --format markdown or --report markdown=<file>/],
    [['--report', 'sarif:65000=x.sarif'], /only a markdown report takes a size/],
    [['--report', 'markdown:12=x.md'], /--report markdown:12 expects a number of bytes of at least 4096/],
  ] as const) {
    const bad = await runCli(['examples', ...args], root);
    assert.is(bad.code, 2, args.join(' '));
    assert.match(bad.err, message);
  }
});

test.run();
