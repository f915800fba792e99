// Linting on several threads (cli/parallel.ts + cli/worker.ts) gives byte for byte the report of linting on one,
// in every format, in the same order, with broken templates still reported; and the thread count rules.
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../cli/main.js';
import { MIN_BYTES, MIN_TARGETS, lintTargetsParallel, threadCount } from '../cli/parallel.js';
import { discover } from '../api/discover.js';
import { FORMATTERS } from '../api/formatters/index.js';
import { lintFiles } from '../api/run.js';
import { NetworkGraph, Unknown, slimResult } from '../engine/index.js';
import type { LintResult } from '../engine/index.js';
import { reviveCloned } from '../cli/transfer.js';
import type { TargetOptions } from '../cli/plan.js';
import { rules } from '../rules/index.js';
import { capture, scratchDir } from './harness/io.js';

const root = new URL('..', import.meta.url).pathname;
const test = suite('parallel');

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const FORMATS = ['json', 'sarif', 'stylish', 'markdown', 'csv', 'allowlist'] as const;

/** The examples, every egress fixture, and a broken template made the largest file (so a worker gets it first). */
function corpus(): string {
  const dir = scratchDir({}, true);
  cpSync(join(root, 'examples'), join(dir, 'examples'), { recursive: true });
  cpSync(join(root, 'fixtures', 'egress'), join(dir, 'egress'), { recursive: true });
  writeFileSync(join(dir, 'broken.json'), `{\n  "$schema": "${SCHEMA}",\n  "contentVersion": "1.0.0.0",\n  "resources": [\n${' '.repeat(400_000)}\n`);
  return dir;
}

const dir = corpus();

/** Runs the CLI in-process with all six formats: the first on stdout, the others through --report. */
async function allFormats(workers: string, formats: readonly string[] = FORMATS): Promise<{ code: number; err: string; out: Record<string, string> }> {
  const c = capture(dir, { EGRESS_LINT_WORKERS: workers });
  const [first, ...rest] = formats;
  const args = ['.', '--format', first, ...rest.flatMap((f) => ['--report', `${f}=out-${workers}.${f}`])];
  const code = await main(args, c.io);
  const out: Record<string, string> = { [first]: c.out() };
  for (const f of rest) out[f] = readFileSync(join(dir, `out-${workers}.${f}`), 'utf8');
  return { code, err: c.err(), out };
}

test('the folder has enough templates to be worth threads', () => {
  const files = readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.json'));
  assert.ok(files.length >= 10, `${files.length} files`);
});

test('two threads give byte-identical reports to one, in every format (with the Markdown graph kept)', async () => {
  const one = await allFormats('1');
  const two = await allFormats('2');
  assert.is(one.code, 1, 'the broken template is an error');
  assert.is(two.code, one.code);
  assert.is(two.err, one.err);
  for (const f of FORMATS) assert.fixture(two.out[f], one.out[f], f);
  // Not vacuous: the reports hold VMs, charts and the broken template's finding.
  assert.match(one.out.json, /"verdict": "deterministic"/);
  assert.match(one.out.markdown, /```mermaid/);
  assert.match(one.out.stylish, /broken\.json/);
});

/** Every format of a set of results, as the CLI would print them. */
function formatted(results: readonly LintResult[], formats: readonly string[] = FORMATS): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of formats) out[f] = FORMATTERS[f](results, { version: '0.0.0', color: false, cwd: dir, rules });
  return out;
}

test('results linted by workers alone format byte for byte as sequential ones, with and without the graph', async () => {
  const found = await discover(['.'], dir, []);
  const sequential = formatted(lintFiles(found.targets, { cwd: dir, rules }));
  const threads = new Set<number>();
  const options = { cwd: dir, rules, env: { EGRESS_LINT_WORKERS: '3' }, mainThread: false, onLinted: (_: number, t: number) => threads.add(t) };
  const all = formatted(await lintTargetsParallel(found.targets, { ...options, formatters: FORMATS.map((f) => FORMATTERS[f]) }));
  for (const f of FORMATS) assert.fixture(all[f], sequential[f], f);
  const graphless = ['json', 'sarif', 'stylish', 'csv'];
  const slim = formatted(await lintTargetsParallel(found.targets, { ...options, formatters: graphless.map((f) => FORMATTERS[f]) }), graphless);
  for (const f of graphless) assert.fixture(slim[f], sequential[f], f);
  assert.equal([...threads].sort(), [1, 2], 'only the two workers linted');
});

test('workers lint a share of the targets, the broken one included, and the order is the sequential order', async () => {
  const found = await discover(['.'], dir, []);
  const linted: number[] = [];
  const byThread = new Map<number, number>();
  const progress: number[] = [];
  const results = await lintTargetsParallel(found.targets, {
    cwd: dir,
    rules,
    env: { EGRESS_LINT_WORKERS: '2' },
    onLinted: (i, thread) => {
      linted.push(i);
      byThread.set(i, thread);
    },
    onProgress: (done) => progress.push(done),
  });
  const sequential = lintFiles(found.targets, { cwd: dir, rules });
  assert.equal(results.map((r) => r.file), sequential.map((r) => r.file));
  assert.equal([...linted].sort((a, b) => a - b), found.targets.map((_, i) => i), 'every target once');
  assert.ok([...byThread.values()].some((t) => t !== 0), 'a worker linted some');
  assert.ok([...byThread.values()].some((t) => t === 0), 'the main thread linted some');
  const broken = found.targets.findIndex((t) => t.template === 'broken.json');
  assert.is.not(byThread.get(broken), 0, 'the broken template went to a worker');
  const finding = results[broken].findings[0];
  assert.is(finding.ruleId, 'template-invalid');
  assert.equal(finding, sequential[broken].findings[0]);
  assert.equal(progress, found.targets.map((_, i) => i), 'progress counts every target once, in order');
});

test('a result survives structured clone: graph methods, Unknown values, shared VMs; no template text', () => {
  const template = {
    $schema: SCHEMA,
    contentVersion: '1.0.0.0',
    parameters: { sku: { type: 'string' } },
    resources: [{ type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2023-09-01', name: 'pip', location: 'westeurope', sku: { name: "[parameters('sku')]" }, properties: {} }],
  };
  const d = scratchDir({ 'main.json': JSON.stringify(template) });
  const [r] = lintFiles([{ template: 'main.json' }], { cwd: d, rules });
  const key = [...r.graph!.nodes.keys()][0];
  assert.instance((r.graph!.nodes.get(key) as { sku: unknown }).sku, Unknown);
  const back = reviveCloned(structuredClone(slimResult(r, true)));
  assert.instance(back.graph, NetworkGraph);
  assert.instance((back.graph!.nodes.get(key) as { sku: unknown }).sku, Unknown);
  assert.is(back.graph!.get({ kind: 'found', key }, 'publicIp')?.name, 'pip');
  assert.equal(back.findings, r.findings);
  assert.is(back.deployment.docs.size, 0, 'the template text stays in the worker');
  assert.is(back.deployment.resources[0].id, r.deployment.resources[0].id);
  assert.is(slimResult(r, false).graph, undefined);
});

test('EGRESS_LINT_WORKERS must be a positive integer', async () => {
  for (const bad of ['0', 'two', '-1']) {
    const c = capture(dir, { EGRESS_LINT_WORKERS: bad });
    const code = await main(['.'], c.io);
    assert.is(code, 2);
    assert.match(c.err(), new RegExp(`EGRESS_LINT_WORKERS expects a positive integer, got '${bad}'`));
  }
});

test('threads only when there are enough targets, bytes and CPUs', () => {
  const big = scratchDir({ 'a.json': ' '.repeat(Math.ceil(MIN_BYTES / MIN_TARGETS)) });
  const many = (n: number, file = 'a.json') => Array.from({ length: n }, () => ({ template: file }));
  assert.is(threadCount(many(MIN_TARGETS), big, {}, 4), 4, 'enough of everything');
  assert.is(threadCount(many(MIN_TARGETS * 2), big, {}, 2), 2);
  assert.is(threadCount(many(MIN_TARGETS - 1), big, {}, 4), 1, 'few targets');
  assert.is(threadCount(many(MIN_TARGETS), big, {}, 1), 1, 'one CPU');
  assert.is(threadCount(many(MIN_TARGETS, 'missing.json'), big, {}, 4), 1, 'few bytes');
  assert.is(threadCount(many(3), big, { EGRESS_LINT_WORKERS: '2' }, 1), 2, 'forced');
  assert.is(threadCount(many(3), big, { EGRESS_LINT_WORKERS: '8' }, 4), 3, 'never more threads than targets');
  assert.is(threadCount(many(MIN_TARGETS), big, { EGRESS_LINT_WORKERS: '1' }, 4), 1);
});

test('each target is linted with its own variant of the session options, by the workers too', async () => {
  const vm = readFileSync(join(root, 'fixtures/config/vm.json'), 'utf8');
  const basic = readFileSync(join(root, 'fixtures/config/basic.parameters.json'), 'utf8');
  const files: Record<string, string> = {};
  for (let i = 0; i < 4; i++) Object.assign(files, { [`a${i}.json`]: vm, [`a${i}.parameters.json`]: basic, [`b${i}.json`]: vm, [`b${i}.parameters.json`]: basic });
  const d = scratchDir(files);
  const found = await discover(['.'], d, []);
  // a*: retired-sku off and resource group rg-a; b*: dynamic-public-ip a note, the default scope.
  const variants: TargetOptions[] = [{ levels: { 'retired-sku': 'off' }, scope: { resourceGroup: 'rg-a' } }, { levels: { 'dynamic-public-ip': 'note' } }];
  const variantOf = found.targets.map((t) => (t.template.startsWith('a') ? 0 : 1));
  const threads = new Set<number>();
  const results = await lintTargetsParallel(found.targets, { cwd: d, rules, env: { EGRESS_LINT_WORKERS: '3' }, mainThread: false, variants, variantOf, onLinted: (_, t) => threads.add(t) });
  assert.equal([...threads].sort(), [1, 2], 'only the workers linted');
  for (const r of results) {
    const own = r.file.startsWith('a') ? ['dynamic-public-ip error'] : ['retired-sku warning', 'dynamic-public-ip note'];
    assert.equal(r.findings.map((f) => `${f.ruleId} ${f.severity}`), own, r.file);
    assert.match(r.vms[0].id, r.file.startsWith('a') ? /\/resourceGroups\/rg-a\// : /\/resourceGroups\/resource-group\//);
  }
  const sequential = await lintTargetsParallel(found.targets, { cwd: d, rules, env: { EGRESS_LINT_WORKERS: '1' }, variants, variantOf });
  assert.equal(formatted(results, ['json']), formatted(sequential, ['json']));
});

test('a rule outside the registry keeps the run on one thread', async () => {
  const found = await discover(['.'], dir, []);
  const own = { ...rules[0] };
  const seen = new Set<number>();
  await lintTargetsParallel(found.targets, { cwd: dir, rules: [own], env: { EGRESS_LINT_WORKERS: '2' }, onLinted: (_, t) => seen.add(t) });
  assert.equal([...seen], [], 'the sequential path reports no threads');
});

test.run();
