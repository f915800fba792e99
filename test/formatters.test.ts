// The report formats as users consume them: golden files per case (fixtures/formatters/<case>/input.json plus
// expected.sarif / .md / .csv / .allowlist.txt / .github.txt; UPDATE=1 rewrites them), SARIF checked against the
// 2.1.0 schema and GitHub's expectations, fingerprints that survive moved lines, CSV that parses back, Mermaid that
// stays in its grammar, byte-identical repeated runs, and the README examples kept equal to the real output.
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LintResult } from '../engine/index.js';
import { rules } from '../rules/index.js';
import { main } from '../cli/main.js';
import { discover } from '../api/discover.js';
import { lintFiles } from '../api/run.js';
import { FORMATTERS } from '../api/formatters/index.js';
import type { FormatContext } from '../api/formatters/index.js';
import { CSV_HEADER, csvField } from '../api/formatters/csv.js';
import { md } from '../api/formatters/markdown.js';
import { FINGERPRINT_KEY, artifactLocation } from '../api/formatters/sarif.js';
import { RULE_DOC_BASE } from '../rules/index.js';
import { capture } from './harness/io.js';

const root = new URL('..', import.meta.url).pathname;
const CASES_DIR = join(root, 'fixtures', 'formatters');
const SCHEMA_FILE = join(root, '..', 'shared', 'schemas', 'sarif-schema-2.1.0.json');
const UPDATE = process.env.UPDATE === '1';

/** Golden file per format. */
const GOLDENS = { sarif: 'expected.sarif', markdown: 'expected.md', csv: 'expected.csv', allowlist: 'expected.allowlist.txt', github: 'expected.github.txt' } as const;
type Format = keyof typeof GOLDENS;
const FORMATS = Object.keys(GOLDENS) as Format[];

/** A fixed version keeps the goldens independent of releases. */
const ctxFor = (cwd: string): FormatContext => ({ version: '0.0.0-test', color: false, cwd, rules });

async function lintPaths(paths: string[], cwd = root): Promise<LintResult[]> {
  const { targets } = await discover(paths, cwd);
  return lintFiles(targets, { cwd, rules });
}

const cases = readdirSync(CASES_DIR)
  .filter((d) => statSync(join(CASES_DIR, d)).isDirectory())
  .sort();

interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: Array<{ id: string; name: string; helpUri: string; help: { text: string; markdown: string }; shortDescription: { text: string }; defaultConfiguration: { level: string } }> } };
    invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications?: Array<{ level: string; message: { text: string }; locations: unknown[]; associatedRule: { id: string; index: number } }> }>;
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      kind?: string;
      message: { text: string };
      locations: Array<{
        physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } };
        logicalLocations?: Array<{ name: string; fullyQualifiedName?: string; kind: string }>;
      }>;
      partialFingerprints: Record<string, string>;
      suppressions?: Array<{ kind: string; justification: string }>;
    }>;
    properties: { egress: Array<{ name: string; id: string; file: string; verdict: string; egress: unknown[] }> };
  }>;
}

test('stylish and markdown count the VMs whose egress is unknown in their summary line', async () => {
  const results = await lintPaths(['fixtures/formatters/unknown-and-no-egress/input.json']);
  const stylish = FORMATTERS.stylish(results, ctxFor(root)).trimEnd().split('\n').pop() ?? '';
  assert.match(stylish, /2 VMs in 1 template, 1 with unknown egress; /);
  assert.match(FORMATTERS.markdown(results, ctxFor(root)), /\*\*⚠ 2 VMs in 1 template, 1 with unknown egress; /);
  const decided = await lintPaths(['examples/legacy-vm/azuredeploy.json']);
  assert.not.match(FORMATTERS.stylish(decided, ctxFor(root)), /unknown egress/);
});

test('a public IP AKS creates has a null id in JSON, and the pods path of a node pool is listed by stylish', async () => {
  const results = await lintPaths(['fixtures/formatters/aks-node-pools/input.json']);
  const json = JSON.parse(FORMATTERS.json(results, ctxFor(root))) as { vms: { name: string; type: string; egress: { name: string; id: string | null; static: boolean }[]; paths: { nic: string; ipConfiguration: string; primary: boolean }[] }[] };
  const web = json.vms.find((v) => v.name === 'aks-web/system')!;
  assert.is(web.type, 'Microsoft.ContainerService/managedClusters/agentPools');
  assert.equal(web.egress.map((e) => [e.name, e.id === null, e.static]), [['aks-web-managed-outbound-1', true, true], ['aks-web-managed-outbound-2', true, true], ['pip-pods', false, true]]);
  assert.equal(web.paths.map((p) => [p.nic, p.ipConfiguration, p.primary]), [['system', 'nodes', true], ['system', 'pods', true]]);
  const stylish = FORMATTERS.stylish(results, ctxFor(root)).split('\n');
  const at = stylish.findIndex((l) => l.includes('aks-web/system'));
  assert.match(stylish[at + 1], /primary egress: aks-web-managed-outbound-1, aks-web-managed-outbound-2 via lb-outbound-rule$/);
  assert.match(stylish[at + 2], /system\/pods: pip-pods via nat-gateway deterministic$/);
});

// ---- goldens ----------------------------------------------------------------------------------------------------

test('fixtures/formatters has cases, each a template with every golden', () => {
  assert.ok(cases.length >= 4, 'expected at least four formatter cases');
  for (const c of cases) {
    assert.ok(existsSync(join(CASES_DIR, c, 'input.json')), `${c}/input.json`);
    if (!UPDATE) for (const f of FORMATS) assert.ok(existsSync(join(CASES_DIR, c, GOLDENS[f])), `${c}/${GOLDENS[f]} (run UPDATE=1 npm test to create it)`);
  }
});

for (const c of cases) {
  test(`golden ${c}`, async () => {
    const results = await lintPaths([`fixtures/formatters/${c}/input.json`]);
    for (const f of FORMATS) {
      const got = FORMATTERS[f](results, ctxFor(root));
      const file = join(CASES_DIR, c, GOLDENS[f]);
      const want = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      if (UPDATE && got !== want) writeFileSync(file, got);
      else assert.fixture(got, want ?? '', `${c}/${GOLDENS[f]} differs (review, then UPDATE=1 npm test)`);
    }
  });
}

test('every format is byte-identical across runs (examples and every case)', async () => {
  const paths = ['examples', ...cases.map((c) => `fixtures/formatters/${c}/input.json`)];
  const a = await lintPaths(paths);
  const b = await lintPaths(paths);
  for (const f of [...FORMATS, 'stylish', 'json']) assert.is(FORMATTERS[f](b, ctxFor(root)), FORMATTERS[f](a, ctxFor(root)), f);
});

test('the CLI offers every format and writes them with --output', async () => {
  for (const f of FORMATS) {
    const c = capture(root);
    const code = await main(['examples', '--format', f, '--no-color'], c.io);
    assert.is(code, 1, `${f}: the examples have errors`);
    assert.ok(c.out().length > 0, f);
  }
  const dir = mkdtempSync(join(tmpdir(), 'egress-lint-fmt-'));
  const c = capture(root);
  assert.is(await main(['examples', '--format', 'sarif', '--output', join(dir, 'out.sarif')], c.io), 1);
  assert.is(c.out(), '');
  assert.is((JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8')) as SarifLog).version, '2.1.0');
  const bad = capture(root);
  assert.is(await main(['examples', '--format', 'xml'], bad.io), 2);
  for (const f of FORMATS) assert.match(bad.err(), f);
});

// ---- SARIF ------------------------------------------------------------------------------------------------------

async function sarifOf(paths: string[], cwd = root): Promise<SarifLog> {
  return JSON.parse(FORMATTERS.sarif(await lintPaths(paths, cwd), ctxFor(cwd))) as SarifLog;
}

test('SARIF validates against the 2.1.0 schema (examples and every case)', async () => {
  if (!existsSync(SCHEMA_FILE)) {
    console.log('skipped: ../shared absent');
    return;
  }
  // The OASIS schema is draft-04 ("id", not "$id"); nothing in it depends on draft-04 semantics (no boolean
  // exclusiveMinimum), so Ajv's default draft-07 checks it the same way.
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(schema);
  for (const paths of [['examples'], ...cases.map((c) => [`fixtures/formatters/${c}/input.json`])]) {
    const log = await sarifOf(paths);
    const ok = validate(log);
    assert.ok(ok, `${paths.join(' ')}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
  }
  // The validator itself must be able to fail.
  const broken = await sarifOf(['examples']);
  (broken.runs[0].results[0] as unknown as Record<string, unknown>).level = 'fatal';
  assert.not.ok(validate(broken), 'a result level outside the enum must fail the schema');
});

test('SARIF: one run, every registry rule described, results point at their rule', async () => {
  const log = await sarifOf(['examples', ...cases.map((c) => `fixtures/formatters/${c}/input.json`)]);
  assert.is(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-schema-2\.1\.0\.json$/);
  assert.is(log.runs.length, 1);
  const run = log.runs[0];
  assert.is(run.tool.driver.name, 'egress-lint');
  assert.is(run.tool.driver.version, '0.0.0-test');
  const described = run.tool.driver.rules;
  assert.equal(described.map((r) => r.id).slice(0, rules.length), rules.map((r) => r.id));
  for (const [i, r] of rules.entries()) {
    const d = described[i];
    assert.match(d.name, /^[A-Z][A-Za-z0-9]*$/, `${r.id}: name is PascalCase`);
    assert.is(d.name.toLowerCase(), r.id.replace(/-/g, ''));
    assert.is(d.helpUri, `${RULE_DOC_BASE}${r.id}.md`);
    assert.ok(existsSync(join(root, 'rules', `${r.id}.md`)), `the helpUri of ${r.id} names a page that exists`);
    assert.is(d.shortDescription.text, r.description);
    assert.is(d.defaultConfiguration.level, r.severity);
    assert.ok(d.help.text.length > 0 && d.help.markdown.includes(d.helpUri), `${r.id}: help text and markdown with the page link`);
    assert.not.match(d.help.text, /\{\{/, `${r.id}: no raw placeholders in help`);
  }
  assert.ok(run.results.length > 0);
  for (const res of run.results) {
    assert.is(described[res.ruleIndex].id, res.ruleId);
    assert.ok(res.kind === undefined || res.kind === 'fail', 'never a pass result');
    assert.ok(['error', 'warning', 'note'].includes(res.level));
    const loc = res.locations[0].physicalLocation;
    assert.is(loc.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.not.match(loc.artifactLocation.uri, /^\/|\\|^[a-z]+:/i, 'relative, forward slashes');
    assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
    assert.ok(loc.region.endLine > loc.region.startLine || (loc.region.endLine === loc.region.startLine && loc.region.endColumn >= loc.region.startColumn));
    assert.match(res.partialFingerprints[FINGERPRINT_KEY], /^[0-9a-f]{32}$/);
  }
  const prints = run.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
  assert.is(new Set(prints).size, prints.length, 'fingerprints are unique within a run');
  const serialised = JSON.stringify(log);
  assert.not.ok(serialised.includes(root), 'no absolute paths');
});

test('SARIF: resources as logical locations, suppressions with their reason, the egress list in properties', async () => {
  const log = await sarifOf(['fixtures/formatters/multi-nic-suppressed/input.json']);
  const run = log.runs[0];
  const suppressed = run.results.filter((r) => r.suppressions);
  assert.is(suppressed.length, 2);
  for (const r of suppressed) {
    assert.is(r.ruleId, 'secondary-nic-egress-differs');
    assert.equal(r.suppressions, [{ kind: 'inSource', justification: 'nic2 only serves the backup agent; the guest routes nothing else through it (INFRA-42).' }]);
  }
  const withResource = run.results.filter((r) => r.locations[0].logicalLocations);
  assert.ok(withResource.length > 0);
  for (const r of withResource) {
    const l = r.locations[0].logicalLocations![0];
    assert.is(l.kind, 'resource');
    assert.match(l.fullyQualifiedName ?? '', /^\/subscriptions\/.+\/providers\/Microsoft\.[A-Za-z]+\/.+/);
  }
  assert.equal(run.invocations, [{ executionSuccessful: true }]);
  assert.equal(run.properties.egress.map((v) => [v.name, v.verdict]), [['vm1', 'non-deterministic']]);
  assert.is(run.properties.egress[0].egress.length, 2);
});

test('SARIF: an unreadable template is a result and an error notification; the run still succeeded', async () => {
  const log = await sarifOf(['fixtures/formatters/template-invalid/input.json']);
  const run = log.runs[0];
  assert.is(run.results.length, 1);
  assert.is(run.results[0].ruleId, 'template-invalid');
  const inv = run.invocations[0];
  assert.is(inv.executionSuccessful, true);
  assert.is(inv.toolExecutionNotifications?.length, 1);
  const n = inv.toolExecutionNotifications![0];
  assert.is(n.level, 'error');
  assert.is(n.message.text, run.results[0].message.text);
  assert.equal(n.locations, [{ physicalLocation: run.results[0].locations[0].physicalLocation }]);
  assert.equal(n.associatedRule, { id: 'template-invalid', index: run.results[0].ruleIndex });
});

test('SARIF: partialFingerprints survive moved lines, and change with the finding', async () => {
  const text = readFileSync(join(CASES_DIR, 'multi-nic-suppressed', 'input.json'), 'utf8');
  const dirs = [text, `\n\n\n\n\n${text}`, text.replace(/"nic3"/g, '"nic-three"')].map((t) => {
    const dir = mkdtempSync(join(tmpdir(), 'egress-lint-fp-'));
    writeFileSync(join(dir, 'main.json'), t);
    return dir;
  });
  const [before, moved, renamed] = await Promise.all(dirs.map((d) => sarifOf(['main.json'], d)));
  const key = (l: SarifLog) => l.runs[0].results.map((r) => `${r.ruleId} ${r.partialFingerprints[FINGERPRINT_KEY]}`);
  assert.ok(before.runs[0].results.length >= 3);
  assert.equal(key(moved), key(before));
  assert.equal(
    moved.runs[0].results.map((r) => r.locations[0].physicalLocation.region.startLine),
    before.runs[0].results.map((r) => r.locations[0].physicalLocation.region.startLine + 5),
    'the lines did move',
  );
  const changed = key(renamed).filter((k) => !key(before).includes(k));
  assert.ok(changed.length > 0, 'a finding about a renamed NIC is a different finding');
});

test('SARIF: artifact URIs are relative, percent-encoded, with forward slashes', () => {
  assert.equal(artifactLocation('infra/main.json', '/repo'), { uri: 'infra/main.json', uriBaseId: '%SRCROOT%' });
  assert.equal(artifactLocation('/repo/infra/my file#1.json', '/repo'), { uri: 'infra/my%20file%231.json', uriBaseId: '%SRCROOT%' });
  assert.equal(artifactLocation('/elsewhere/main.json', '/repo'), { uri: 'file:///elsewhere/main.json' });
});

// ---- CSV --------------------------------------------------------------------------------------------------------

/** A strict RFC 4180 reader (quoted fields, doubled quotes, embedded commas and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    i++;
    if (quoted) {
      if (ch === '"' && text[i] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') {
      if (field !== '') throw new Error(`a quote inside an unquoted field at ${i - 1}`);
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length) throw new Error('the last record lacks its line break');
  return rows;
}

test('csv: RFC 4180 quoting, and a formula never reaches a spreadsheet', () => {
  assert.is(csvField('plain'), 'plain');
  assert.is(csvField('a,b'), '"a,b"');
  assert.is(csvField('say "hi"'), '"say ""hi"""');
  assert.is(csvField('two\nlines'), '"two\nlines"');
  assert.is(csvField(null), '');
  assert.is(csvField(true), 'true');
  assert.is(csvField(42), '42');
  assert.is(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.is(csvField('@cmd'), "'@cmd");
});

test('csv: parses back to one row per path per egress entry under the fixed header', async () => {
  const results = await lintPaths(['examples', ...cases.map((c) => `fixtures/formatters/${c}/input.json`)]);
  const rows = parseCsv(FORMATTERS.csv(results, ctxFor(root)));
  assert.equal(rows[0], [...CSV_HEADER]);
  for (const r of rows) assert.is(r.length, CSV_HEADER.length);
  const expected = results.flatMap((r) => r.vms.flatMap((vm) => vm.paths.flatMap((p) => (p.egress.length ? p.egress.map((e) => [vm.name, p.nic, e.name]) : [[vm.name, p.nic, '']]))));
  const col = (name: string) => CSV_HEADER.indexOf(name as (typeof CSV_HEADER)[number]);
  assert.equal(rows.slice(1).map((r) => [r[col('vm')], r[col('nic')], r[col('egress_name')]]), expected);
  assert.ok(expected.some((e) => e[2] === 'pip-lb "edge", 1|<b>#'), 'the odd name survives the round trip');
});

// ---- allowlist --------------------------------------------------------------------------------------------------

test('allowlist: one line per known address, a comment line for each identity whose address is not known, and a reason for every VM that cannot be listed', async () => {
  const results = await lintPaths(['examples', ...cases.map((c) => `fixtures/formatters/${c}/input.json`)]);
  const lines = FORMATTERS.allowlist(results, ctxFor(root)).trimEnd().split('\n');
  const entries = lines.filter((l) => !l.startsWith('#'));
  const identities = entries.map((l) => l.split('  # ')[0]);
  assert.is(new Set(identities.map((x) => x.toLowerCase())).size, identities.length, 'unique');
  for (const l of entries) assert.match(l, /^[0-9a-f.:]+\/\d+ {2}# .+ via [a-z-]+(, [a-z-]+)*$/);
  assert.equal(identities, ['20.30.40.50/32', '20.30.41.0/30']);
  // Identities whose address is known after deployment: comment lines by name, with the VMs behind them and the id.
  const pending = lines.filter((l) => / address known after deployment; /.test(l));
  assert.ok(pending.length >= 4, pending.join('\n'));
  for (const l of pending) assert.match(l, /^# [^:]+: address known after deployment; .+ via [a-z-]+(, [a-z-]+)*; (\/subscriptions\/.+|created by AKS, no resource id before deployment)$/);
  assert.ok(pending.some((l) => l.startsWith('# aks-web-managed-outbound-1: address known after deployment; aks-web/system via lb-outbound-rule; created by AKS')), pending.join('\n'));
  const names = pending.map((l) => l.slice(2, l.indexOf(':')).toLowerCase());
  assert.equal(names, [...names].sort(), 'by name');
  const stuck = results.flatMap((r) => r.vms).filter((v) => !v.verdict.startsWith('deterministic'));
  assert.ok(stuck.length >= 4);
  for (const vm of stuck) assert.ok(lines.some((l) => l.startsWith(`# ${vm.name}: cannot be allow-listed: ${vm.verdict} (`)), vm.name);
  assert.not.ok(lines.some((x) => x.includes('/vm-legacy-pip')), 'a Dynamic IP is never listed');
});

// ---- Markdown ---------------------------------------------------------------------------------------------------

const NODE = /^ {2}[a-z][a-z0-9_]*(\["[^"<>]*"\]|\("[^"<>]*"\)|\{\{"[^"<>]*"\}\}|\(\["[^"<>]*"\]\)|\(\("[^"<>]*"\)\))(:::[a-z]+)?$/;
const EDGE = /^ {2}([a-z][a-z0-9_]*) (-->|-\.->)(\|"[^"<>]*"\|)? ([a-z][a-z0-9_]*)$/;

test('markdown: tables keep their columns, Mermaid stays in its grammar, names cannot inject markup', async () => {
  const results = await lintPaths(['examples', ...cases.map((c) => `fixtures/formatters/${c}/input.json`)]);
  const text = FORMATTERS.markdown(results, ctxFor(root));
  const lines = text.split('\n');
  let inChart = false;
  let charts = 0;
  let declared = new Set<string>();
  for (const line of lines) {
    if (line === '```mermaid') {
      inChart = true;
      charts++;
      declared = new Set();
      continue;
    }
    if (inChart && line === '```') {
      inChart = false;
      continue;
    }
    if (inChart) {
      if (line === 'flowchart LR' || /^ {2}(classDef|linkStyle) /.test(line)) continue; // colours: test/mermaid.test.ts
      const edge = EDGE.exec(line);
      if (edge) {
        assert.ok(declared.has(edge[1]) && declared.has(edge[4]), `edge between declared nodes: ${line}`);
        continue;
      }
      assert.match(line, NODE, 'a node declaration with a quoted label');
      const id = line.trim().split(/[[({]/)[0];
      assert.not.ok(declared.has(id), `declared once: ${id}`);
      declared.add(id);
      assert.not.ok(['end', 'graph', 'subgraph', 'style', 'class', 'click'].includes(id), 'not a Mermaid keyword');
    } else if (line.startsWith('|')) {
      const cells = line.replace(/\\\|/g, '').split('|').length - 2;
      assert.is(cells, 4, `four columns: ${line}`);
      assert.not.match(line.replace(/<br>/g, ''), /<(?!br>)/, 'no raw HTML from templates');
    }
  }
  assert.ok(charts >= 5);
  assert.match(text, /#quot;edge#quot;, 1\|#lt;b#gt;#35;/, 'the odd name is escaped inside the chart');
  assert.match(text, /pip-lb "edge", 1\\\|&lt;b&gt;#/, 'and inside the tables');
  assert.match(lines[2], /^\*\*✖ \d+ VMs in \d+ templates(, \d+ with unknown egress)?; \d+ problems \(\d+ errors?, \d+ warnings?, \d+ notes?\)/, 'a one-line summary');
  assert.is(md('a|b <i>*x*</i> [l](u)'), 'a\\|b &lt;i&gt;\\*x\\*&lt;/i&gt; \\[l\\](u)');
});

test('markdown: the chart names firewalls, NAT gateways, load balancers and appliances on the way out', () => {
  const md1 = readFileSync(join(CASES_DIR, 'firewall-nat-prefix', 'expected.md'), 'utf8');
  assert.match(md1, /nic_nic1 -->\|"firewall"\| fw_fw\n/);
  assert.match(md1, /fw_fw --> nat_nat_fw\n/);
  const md2 = readFileSync(join(CASES_DIR, 'route-nva', 'expected.md'), 'utf8');
  assert.match(md2, /nic_app_nic -->\|"appliance"\| nva_nva_nic\n/);
  const md3 = readFileSync(join(CASES_DIR, 'multi-nic-suppressed', 'expected.md'), 'utf8');
  assert.match(md3, /-->\|"lb-rule-snat"\| lb_lb\n/);
  assert.match(md3, /-\.->\|"default-outbound-access"\| platform\n/);
  assert.match(md3, /2 suppressed in templates/);
});

test('markdown: a chart too large for GitHub is replaced by a note, never a broken block', async () => {
  const [r] = await lintPaths(['fixtures/formatters/multi-nic-suppressed/input.json']);
  const vm = r.vms[0];
  const many: LintResult = { ...r, vms: Array.from({ length: 200 }, (_, i) => ({ ...vm, name: `${vm.name}-${i}`, id: `${vm.id}-${i}` })) };
  const text = FORMATTERS.markdown([many], ctxFor(root));
  assert.not.match(text, /```mermaid/);
  assert.match(text, /\*\(No chart: \d+ nodes and \d+ edges are more than GitHub's Mermaid renders; the table above has every path\.\)\*/);
  assert.is(text.split('\n').filter((l) => l.startsWith('| vm1-')).length, 200, 'the table still lists every VM');
  const few: LintResult = { ...many, vms: many.vms.slice(0, 20) };
  assert.match(FORMATTERS.markdown([few], ctxFor(root)), /```mermaid/);
});

// ---- README -----------------------------------------------------------------------------------------------------

/** The inventory of the bundled examples: the addresses of some of their public IPs (the README's csv and allowlist show them). */
const EXAMPLES_INVENTORY = ['--inventory', 'examples/inventory/public-ips.json'];

/** The README's format examples are real output of the bundled examples (UPDATE=1 refreshes them). */
async function readmeSnippets(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of FORMATS) {
    const c = capture(root);
    await main(['examples', '--format', f, ...(f === 'csv' || f === 'allowlist' ? EXAMPLES_INVENTORY : [])], c.io);
    out[f] = c.out();
  }
  const a = capture(root);
  const code = await main(['examples', ...EXAMPLES_INVENTORY, '--format', 'addresses'], a.io);
  const sarif = JSON.parse(out.sarif) as SarifLog;
  const result = sarif.runs[0].results.find((r) => r.ruleId === 'dynamic-public-ip') ?? sarif.runs[0].results[0];
  const csv = out.csv.split('\n');
  const mdText = out.markdown;
  const from = mdText.indexOf('## examples/multi-nic/main.json');
  // The VM table and the chart: the findings' <details> element and what follows it are left out whole.
  const multi = mdText.slice(from).split('\n').slice(2).join('\n').replace(/\n<details>[\s\S]*$/, '\n');
  return {
    sarif: `\`\`\`json\n${JSON.stringify(result, null, 2)}\n\`\`\`\n`,
    markdown: `${multi.trimEnd()}\n`,
    csv: `\`\`\`csv\n${[csv[0], ...csv.filter((l) => l.startsWith('vm-multi-nic,'))].join('\n')}\n\`\`\`\n`,
    allowlist: `\`\`\`text\n${out.allowlist}\`\`\`\n`,
    addresses: `\`\`\`console\n$ egress-lint examples ${EXAMPLES_INVENTORY.join(' ')} --format addresses\n${a.out()}${a.err()}\`\`\`\n(exit code ${code})\n`,
  };
}

test('the README format examples match the real output', async () => {
  const file = join(root, 'README.md');
  const before = readFileSync(file, 'utf8');
  let text = before;
  const snippets = await readmeSnippets();
  for (const [name, want] of Object.entries(snippets)) {
    const re = new RegExp(`<!-- formats:${name}:start -->\\n([\\s\\S]*?)<!-- formats:${name}:end -->`);
    const m = re.exec(text);
    assert.ok(m, `README.md needs <!-- formats:${name}:start --> and <!-- formats:${name}:end --> in the formats section`);
    if (UPDATE && m![1] !== want) text = text.replace(m![0], `<!-- formats:${name}:start -->\n${want}<!-- formats:${name}:end -->`);
    else assert.is(m![1], want, `the README ${name} example is stale: run UPDATE=1 npm test`);
  }
  if (UPDATE && text !== before) writeFileSync(file, text);
});

test.run();
