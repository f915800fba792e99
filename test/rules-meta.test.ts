// Keeps the rule registry, the rule files, their pages and their fixtures consistent (style.md §c and §e.1),
// as ESLint's checkRuleFiles and Bicep's BicepConfigSchemaTests do for theirs.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Rule, Severity } from '../engine/index.js';
import { interpolate } from '../engine/index.js';
import { ruleById, rules } from '../rules/index.js';
import { FIXTURES, discoverFixtures, loadFixture, runFixture } from './harness/fixtures.js';

const RULES_DIR = fileURLToPath(new URL('../rules/', import.meta.url));
/** Modules in rules/ that are not rules. */
const NOT_RULES = new Set(['index.ts', 'helpers.ts']);
const HEADINGS = ['## Why it matters', '## Examples', '## How to fix', '## Unknown values', '## Options'];

/** The rules table of egress-model.md (the contract), plus the template problem ids it names in prose. */
const CONTRACT: Readonly<Record<string, Severity>> = {
  'default-outbound-access': 'error',
  'ambiguous-primary-nic': 'error',
  'dynamic-public-ip': 'error',
  'unbounded-egress': 'error',
  'invalid-outbound-configuration': 'error',
  'secondary-nic-egress-differs': 'warning',
  'nat-gateway-overrides-public-ip': 'warning',
  'route-overrides-public-ip': 'warning',
  'implicit-lb-snat': 'warning',
  'unresolved-egress': 'warning',
  'no-internet-egress': 'warning',
  'retired-sku': 'warning',
  'multiple-egress-ips': 'note',
  'egress-not-allowed': 'error',
  'egress-changed': 'error',
};
const TEMPLATE_RULES: Readonly<Record<string, Severity>> = { 'template-invalid': 'error', 'expression-invalid': 'error', 'limit-exceeded': 'error' };
/** Ids of the table that live outside the rule registry for now (none: every id has its rule). */
const NOT_YET_RULES = new Set<string>();

const registry = suite('rule registry');

registry('is sorted by id, without duplicates', () => {
  const ids = rules.map((r) => r.id);
  assert.equal(ids, [...ids].sort());
  assert.is(new Set(ids).size, ids.length);
  assert.is(ruleById.size, ids.length);
});

registry('every module in rules/ is a registered rule whose id is its file name', async () => {
  const files = readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts') && !NOT_RULES.has(f));
  for (const f of files) {
    const mod = (await import(new URL(`../rules/${f}`, import.meta.url).href)) as { default?: Rule };
    assert.ok(mod.default, `rules/${f} has no default export`);
    assert.is(mod.default.id, f.replace(/\.ts$/, ''), `rules/${f} exports rule '${mod.default.id}'`);
    assert.is(ruleById.get(mod.default.id), mod.default, `rules/${f} is not the registered rule '${mod.default.id}'`);
  }
  assert.is(files.length, rules.length, 'the registry lists a rule without a file in rules/');
});

registry('ids and severities match the egress-model.md table', () => {
  for (const r of rules) {
    const want = CONTRACT[r.id] ?? TEMPLATE_RULES[r.id];
    assert.ok(want !== undefined, `${r.id} is not an id of egress-model.md`);
    assert.is(r.severity, want, `${r.id}: default severity`);
    assert.is(r.kind === 'template', r.id in TEMPLATE_RULES, `${r.id}: kind 'template' is for template problems only`);
  }
  for (const id of [...Object.keys(CONTRACT), ...Object.keys(TEMPLATE_RULES)]) if (!NOT_YET_RULES.has(id)) assert.ok(ruleById.has(id), `${id} has no rule`);
});

registry('the contract above is egress-model.md’s table (when the design docs are checked out beside the repository)', () => {
  const doc = [new URL('../docs/egress-model.md', import.meta.url), new URL('../../shared/design/egress-model.md', import.meta.url)].map((u) => fileURLToPath(u)).find((p) => existsSync(p));
  if (!doc) return;
  const table: Record<string, string> = {};
  for (const m of readFileSync(doc, 'utf8').matchAll(/^\|\s*`([a-z0-9-]+)`\s*\|\s*(error|warning|note)\s*\|/gm)) table[m[1]] = m[2];
  assert.equal(table, { ...CONTRACT });
  const text = readFileSync(doc, 'utf8');
  for (const id of Object.keys(TEMPLATE_RULES)) assert.ok(text.includes(`\`${id}\``), `egress-model.md does not name ${id}`);
});

registry('messages fill their placeholders; a missing or inherited name stays visible', () => {
  assert.is(interpolate("'{{vm}}' leaves through '{{ ip }}'.", { vm: 'vm1', ip: 'pip1' }), "'vm1' leaves through 'pip1'.");
  assert.is(interpolate('{{n}} of {{n}} paths', { n: 2 }), '2 of 2 paths');
  assert.is(interpolate('no placeholders', { a: 1 }), 'no placeholders');
  assert.is(interpolate('{{missing}} and {{toString}}', { a: 1 }), '{{missing}} and {{toString}}');
  assert.is(interpolate('{{a}}', undefined), '{{a}}');
  assert.is(interpolate('{{a}}{{b}}', { a: '{{b}}', b: 'x' }), '{{b}}x');
});

registry.run();

const each = suite('each rule');

for (const rule of rules) {
  each(`${rule.id}: id, description, messages and help`, () => {
    assert.match(rule.id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'kebab-case id');
    assert.ok(rule.id.length <= 40, 'id of at most 40 characters');
    const d = rule.description;
    assert.match(d, /^[A-Z]/, 'description starts with a capital');
    assert.ok(d.endsWith('.'), 'description ends with "."');
    assert.not.match(d.slice(0, -1), /[.!?]\s/, 'description is one sentence');
    assert.match(d, /\bshould\b/, 'description says "should"');
    assert.not.match(d, /\bdon't\b|\bdo not\b/i, 'description avoids "don\'t"');
    const ids = Object.keys(rule.messages);
    assert.ok(ids.length > 0, 'at least one message');
    for (const id of ids) {
      const m = rule.messages[id];
      if (rule.kind === 'template') {
        assert.is(m, '{{message}}', `${id}: template rules pass the engine's message through`);
        continue;
      }
      assert.ok(m.endsWith('.'), `${id}: message ends with "."`);
      assert.not.match(m.slice(0, -1), /[.!?]\s+[A-Z]/, `${id}: message is one sentence`);
      assert.match(m, /\{\{\w+\}\}/, `${id}: message quotes the offending values through placeholders`);
    }
    assert.ok(rule.help.trim().length > 0, 'help text');
    assert.ok(!ids.some((id) => rule.messages[id] === rule.help), 'help is separate from the messages');
    for (const [id, help] of Object.entries(rule.helps ?? {})) {
      assert.ok(ids.includes(id), `helps.${id} belongs to a message of the rule`);
      assert.ok(help.trim().length > 0 && help !== rule.messages[id], `helps.${id} is a help text of its own`);
    }
  });

  each(`${rule.id}: rules/${rule.id}.md has the headings in order and the description as its quote`, () => {
    const path = `${RULES_DIR}${rule.id}.md`;
    assert.ok(existsSync(path), `rules/${rule.id}.md exists`);
    const text = readFileSync(path, 'utf8');
    const lines = text.split(/\r?\n/);
    let fenced = false;
    const headings: string[] = [];
    for (const line of lines) {
      if (/^\s*```/.test(line)) fenced = !fenced;
      else if (!fenced && /^#{1,6}\s/.test(line)) headings.push(line.trim());
    }
    assert.equal(headings, [`# ${rule.id}`, ...HEADINGS]);
    const afterTitle = lines.slice(lines.indexOf(`# ${rule.id}`) + 1).find((l) => l.trim() !== '');
    assert.is(afterTitle, `> ${rule.description}`);
    const section = (h: string): string => {
      const i = lines.indexOf(h);
      const next = lines.findIndex((l, j) => j > i && /^## /.test(l));
      return lines.slice(i + 1, next < 0 ? undefined : next).join('\n');
    };
    assert.match(section('## Why it matters'), /https:\/\/learn\.microsoft\.com\//, 'Why it matters links to Microsoft Learn');
    assert.ok((section('## Examples').match(/```/g) ?? []).length >= 4, 'Examples shows a failing and a passing excerpt');
    const fix = section('## How to fix');
    if (rule.kind !== 'template') {
      assert.match(fix, /```jsonc?\n/, 'How to fix has an ARM snippet');
      assert.match(fix, /```bicep\n/, 'How to fix has a Bicep snippet');
    }
    assert.ok(section('## Unknown values').trim().length > 0, 'Unknown values states the policy');
    assert.ok(section('## Options').trim().length > 0, 'Options says "None." when there are none');
  });
}

each.run();

const fixtures = suite('rule fixtures');
const cases = discoverFixtures();

fixtures('every rule has a pass-* and a fail-* fixture', () => {
  for (const rule of rules) {
    const mine = cases.filter((c) => c.ruleId === rule.id);
    assert.ok(mine.some((c) => c.expect === 'pass'), `fixtures/rules/${rule.id}/pass-*.json`);
    assert.ok(mine.some((c) => c.expect === 'fail'), `fixtures/rules/${rule.id}/fail-*.json`);
  }
  assert.ok(existsSync(`${FIXTURES}/fixture.schema.json`));
});

/** A message template as a regex: placeholders match anything. */
function templateRegex(template: string): RegExp {
  const parts = template.split(/\{\{\s*\w+\s*\}\}/);
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')}$`);
}

fixtures('every messageId is exercised by some fixture, and every message matches its template', () => {
  const fired = new Set<string>();
  const problems: string[] = [];
  for (const c of cases) {
    let run;
    try {
      const rule = c.ruleId !== undefined ? ruleById.get(c.ruleId) : undefined;
      if (c.kind === 'rules' && !rule) continue;
      run = runFixture(c, loadFixture(c.path, c.answer), rule ? [rule] : rules);
    } catch {
      continue; // fixtures.test.ts reports broken fixtures
    }
    for (const f of run.findings) {
      fired.add(`${f.rule}/${f.finding.messageId}`);
      const rule = ruleById.get(f.rule);
      // A plan's messages are in Terraform's words: its templates are read through the plan's own rewording.
      const doc = run.deployment.docs.get(f.finding.file) ?? run.deployment.docs.get(run.deployment.file);
      const words = (t: string): string => (doc?.reword ? doc.reword('', t) : t);
      if (rule && !Object.values(rule.messages).some((t) => templateRegex(words(t)).test(f.message))) problems.push(`${c.name}: "${f.message}" matches no message of ${f.rule}`);
    }
  }
  for (const rule of rules) for (const id of Object.keys(rule.messages)) if (!fired.has(`${rule.id}/${id}`)) problems.push(`${rule.id}: no fixture exercises messageId '${id}'`);
  assert.equal(problems, []);
});

fixtures.run();
