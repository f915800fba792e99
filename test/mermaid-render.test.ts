// Mermaid itself reads the Markdown report's charts (issue 19, item 5: GitHub shows an error box instead of a chart
// that does not parse). The pinned Mermaid 11 (what GitHub renders with) runs in Debian's Chromium through
// playwright-core: it parses every chart of the examples' and fixtures' report and of the corpus report (as
// `egress-lint ../shared/corpus -f markdown` writes it), and renders the hostile names' chart and a sample of the
// corpus charts, reading back each label's text and each colour. A failure prints the chart. Without Chromium,
// playwright-core or the corpus, each test that needs one says it is skipped, by name; the rest runs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LintResult } from '../engine/index.js';
import { rules } from '../rules/index.js';
import { discover } from '../api/discover.js';
import { lintFiles } from '../api/run.js';
import { FORMATTERS } from '../api/formatters/index.js';
import type { FormatContext } from '../api/formatters/index.js';
import { chartFor } from '../api/formatters/mermaid.js';
import { lintHostile } from './harness/hostile-names.js';
import { openMermaid } from './harness/mermaid-browser.js';
import type { MermaidBrowser } from './harness/mermaid-browser.js';
import { chartsOf, readChart } from './harness/mermaid-text.js';
import { runCli } from './harness/io.js';
import { ROOT } from './harness/package.js';

const CORPUS = join(ROOT, '..', 'shared', 'corpus');
const ctx: FormatContext = { version: '0.0.0-test', color: false, cwd: ROOT, rules };

/** The report of files named relative to the repository, through the library (Bicep files left out: they need the Bicep CLI). */
async function reportOf(paths: string[]): Promise<string> {
  const { targets } = await discover(paths, ROOT);
  const results: LintResult[] = lintFiles(targets, { cwd: ROOT, rules });
  return FORMATTERS.markdown(results, ctx);
}

let opened: Promise<MermaidBrowser | { skipped: string }> | undefined;
/** The browser with Mermaid, or undefined after saying that `name` is skipped. */
async function mermaidFor(name: string): Promise<MermaidBrowser | undefined> {
  opened ??= openMermaid();
  const m = await opened;
  if ('skipped' in m) {
    console.log(`  skipped: ${name}: ${m.skipped}`);
    return undefined;
  }
  return m;
}

function corpusPresent(name: string): boolean {
  if (existsSync(CORPUS)) return true;
  console.log(`  skipped: ${name}: ../shared/corpus not found`);
  return false;
}

let fixtureCharts: string[] | undefined;
async function fixturesReport(): Promise<string[]> {
  fixtureCharts ??= chartsOf(await reportOf(['examples', 'fixtures']));
  return fixtureCharts;
}

let corpusCharts: string[] | undefined;
/** The corpus report as the CLI writes it (linked templates read with the template that links them). */
async function corpusReport(): Promise<string[]> {
  if (!corpusCharts) {
    // No size budget: every chart, not only those that fit in a job summary.
    const run = await runCli(['../shared/corpus', '--format', 'markdown', '--max-bytes', '0'], ROOT);
    assert.ok(run.out.startsWith('# egress-lint'), `the CLI wrote no report (exit ${run.code}): ${run.err}`);
    corpusCharts = chartsOf(run.out);
  }
  return corpusCharts;
}

/** Every chart that Mermaid does not parse, with Mermaid's message and the chart. */
async function parseFailures(m: MermaidBrowser, charts: readonly string[]): Promise<string[]> {
  const failures = await m.parse(charts);
  return failures.map((f) => `chart ${f.index}: ${f.error}\n${charts[f.index]}`);
}

/** Renders a chart and compares what Mermaid drew with what the chart says: labels, node classes, edge colours. */
async function renderProblems(m: MermaidBrowser, chart: string): Promise<string[]> {
  const info = readChart(chart);
  if (info.problems.length) return [...info.problems];
  let drawn;
  try {
    drawn = await m.render(chart);
  } catch (e) {
    return [`render: ${e instanceof Error ? e.message : String(e)}\n${chart}`];
  }
  const problems: string[] = [];
  const sorted = (xs: readonly string[]) => [...xs].sort().join('\n');
  if (sorted(drawn.nodeTexts) !== sorted(info.nodes.map((n) => n.text))) problems.push(`node labels drawn:\n${sorted(drawn.nodeTexts)}\nwritten:\n${sorted(info.nodes.map((n) => n.text))}`);
  const edgeTexts = info.edges.flatMap((e) => (e.text === undefined ? [] : [e.text]));
  if (sorted(drawn.edgeTexts) !== sorted(edgeTexts)) problems.push(`edge labels drawn:\n${sorted(drawn.edgeTexts)}\nwritten:\n${sorted(edgeTexts)}`);
  for (const n of info.nodes) if ((drawn.nodeClasses[n.id] ?? '') !== n.paint) problems.push(`node ${n.id}: class '${drawn.nodeClasses[n.id] ?? ''}', written '${n.paint}'`);
  const strokeOf = (paint: string) => /stroke:(#[0-9a-f]{6})/.exec(info.classDefs[paint] ?? '')?.[1] ?? '';
  const written = info.edges.map((e) => (e.paint === '' ? '' : strokeOf(e.paint)));
  if (sorted(drawn.edgeStrokes) !== sorted(written)) problems.push(`edge colours drawn:\n${sorted(drawn.edgeStrokes)}\nwritten:\n${sorted(written)}`);
  return problems.length ? [...problems, chart] : [];
}

test.after(async () => {
  const m = opened ? await opened : undefined;
  if (m && !('skipped' in m)) await m.close();
});

test('every chart of the examples\' and fixtures\' report stays in the chart grammar', async () => {
  const charts = await fixturesReport();
  assert.ok(charts.length >= 200, `${charts.length} charts`);
  assert.equal(charts.flatMap((c, i) => readChart(c).problems.map((p) => `chart ${i}: ${p}`)), []);
});

test('every chart of the corpus report stays in the chart grammar', async () => {
  if (!corpusPresent('corpus charts in the grammar')) return;
  const charts = await corpusReport();
  // 460 charts when this was written.
  assert.ok(charts.length >= 400, `${charts.length} charts`);
  assert.equal(charts.flatMap((c, i) => readChart(c).problems.map((p) => `chart ${i}: ${p}`)), []);
});

test('Mermaid parses every chart of the examples\' and fixtures\' report', async () => {
  const m = await mermaidFor('Mermaid parses the fixtures\' charts');
  if (!m) return;
  const charts = await fixturesReport();
  assert.equal(await parseFailures(m, charts), []);
});

test('Mermaid parses every chart of the corpus report', async () => {
  if (!corpusPresent('Mermaid parses the corpus charts')) return;
  const m = await mermaidFor('Mermaid parses the corpus charts');
  if (!m) return;
  const charts = await corpusReport();
  assert.equal(await parseFailures(m, charts), []);
  console.log(`  Mermaid ${m.version} parsed ${charts.length} corpus charts`);
});

test('Mermaid draws the hostile names as they are, each node and edge in its verdict\'s colour', async () => {
  const m = await mermaidFor('Mermaid draws the hostile names');
  if (!m) return;
  const lines = chartFor(await lintHostile());
  const chart = lines.slice(1, -1).join('\n');
  assert.equal(await parseFailures(m, [chart]), []);
  assert.equal(await renderProblems(m, chart), []);
});

test('Mermaid draws a sample of the corpus charts with the labels and colours they are written with', async () => {
  if (!corpusPresent('Mermaid draws corpus charts')) return;
  const m = await mermaidFor('Mermaid draws corpus charts');
  if (!m) return;
  const charts = await corpusReport();
  // The charts with entity codes or text outside ASCII, the largest, and every 25th: drawing all takes half a minute.
  const largest = charts.reduce((a, c, i) => (c.length > charts[a].length ? i : a), 0);
  const sample = charts.filter((c, i) => i === largest || i % 25 === 0 || /#\w+;|[^\x00-\x7f]/.test(c));
  const problems: string[] = [];
  for (const c of sample) problems.push(...(await renderProblems(m, c)));
  assert.equal(problems, []);
  assert.equal(m.requests, [], 'the page fetched nothing');
  console.log(`  Mermaid ${m.version} drew ${sample.length} of ${charts.length} corpus charts`);
});

test.run();
