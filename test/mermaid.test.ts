// The Markdown report's Mermaid chart without a browser (issue 19, item 5): labels that Mermaid reads as text
// whatever the name (quotes, entity codes, directives, KaTeX, icons, Markdown strings, control characters, an
// empty name), safe and unique node ids, and every verdict coloured. test/mermaid-render.test.ts renders the same
// charts with Mermaid itself.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LintResult, Verdict } from '../engine/index.js';
import { chartFor, mermaidLabel } from '../api/formatters/mermaid.js';
import { HOSTILE_LB, HOSTILE_NAMES, HOSTILE_NAT, lintHostile } from './harness/hostile-names.js';
import { decodeLabel, isLabelBody, readChart } from './harness/mermaid-text.js';

/** What a label should show for a name: one line, white space as one space, never empty, Mermaid's entity markers (ﬂ°, ¶ß) kept apart by a word joiner. */
function expectedText(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\s+/g, ' ').trim();
  return (flat === '' ? '(no name)' : flat).replace(/\uFB02\u00B0/g, '\uFB02\u2060\u00B0').replace(/\u00B6\u00DF/g, '\u00B6\u2060\u00DF');
}

/** A name as the chart shows it: cut to 64 characters with an ellipsis. */
function clipped(name: string): string {
  const chars = Array.from(name);
  return chars.length > 64 ? `${chars.slice(0, 63).join('')}…` : name;
}

const PAINT: Record<Verdict, string> = { deterministic: 'det', 'deterministic-set': 'det', 'non-deterministic': 'nondet', unknown: 'unk', 'no-egress': 'none' };

let hostile: LintResult | undefined;
async function hostileResult(): Promise<LintResult> {
  hostile ??= await lintHostile();
  return hostile;
}

test('a label holds nothing Mermaid reads as syntax, and decodes to the name, whatever the name', () => {
  const extra = ['', ' ', '\n', '\u0000', 'a\u0085b', 'ends with a colon:', 'a: b', 'a:b', '#', '##35;', '&#35;', '"', '""', 'x"]:::det\n  y["'];
  for (const name of [...HOSTILE_NAMES, HOSTILE_NAT, HOSTILE_LB, ...extra]) {
    const label = mermaidLabel(name);
    assert.ok(label.startsWith('"') && label.endsWith('"'), label);
    const body = label.slice(1, -1);
    assert.ok(isLabelBody(body), `Mermaid reads syntax in ${JSON.stringify(name)}: ${label}`);
    assert.is(decodeLabel(body), expectedText(name), `${JSON.stringify(name)} shows as ${JSON.stringify(decodeLabel(body))}`);
  }
});

test('the hostile template: every chart line in the grammar, ids safe and unique, every name shown as it is', async () => {
  const r = await hostileResult();
  const lines = chartFor(r);
  assert.is(lines[0], '```mermaid', lines[0]);
  assert.is(lines[lines.length - 1], '```');
  const chart = readChart(lines.slice(1, -1).join('\n'));
  assert.equal(chart.problems, []);
  const texts = new Set(chart.nodes.map((n) => n.text));
  for (const vm of r.vms) assert.ok(texts.has(`${expectedText(clipped(vm.name))} (${vm.verdict})`), `VM ${JSON.stringify(vm.name)}`);
  // One VM per name (its NIC and public IP carry the name too); names ARM reads as two segments are left out.
  let shown = 0;
  for (const name of HOSTILE_NAMES) {
    if (!r.vms.some((v) => v.name === name)) continue;
    shown++;
    assert.ok(texts.has(expectedText(clipped(name))), `NIC or public IP ${JSON.stringify(name)}`);
  }
  assert.ok(shown >= HOSTILE_NAMES.length - 1, `${shown} of ${HOSTILE_NAMES.length} names linted as VMs`);
  assert.ok(texts.has(`NAT gateway ${expectedText(HOSTILE_NAT)}`), 'the NAT gateway');
  assert.ok(texts.has(`load balancer ${expectedText(HOSTILE_LB)}`), 'the load balancer');
  assert.ok(texts.has('NIC (not known)'), 'a NIC the files do not name has a label, not ""');
  assert.ok(texts.has('{vmName} (unknown)'), 'a placeholder name in braces');
  assert.ok(
    chart.edges.some((e) => e.text === 'first: "a": nat-gateway'),
    'an ipconfig name on its path',
  );
  // Node ids: letters, digits and '_' (the grammar), each declared once; names that clean to the same id get a number.
  const ids = chart.nodes.map((n) => n.id);
  assert.is(new Set(ids).size, ids.length);
  assert.ok(ids.includes('vm_a_b') && ids.includes('vm_a_b_2'), ids.join(' '));
});

test('colours: each VM, NIC and path end has its verdict\'s class, each edge the worst verdict of the paths through it', async () => {
  const r = await hostileResult();
  const chart = readChart(chartFor(r).slice(1, -1).join('\n'));
  assert.equal(chart.problems, []);
  assert.equal(Object.keys(chart.classDefs).sort(), ['det', 'nondet', 'none', 'unk'], 'all four verdict classes in the hostile chart');
  const byText = new Map(chart.nodes.map((n) => [n.text, n]));
  for (const vm of r.vms) assert.is(byText.get(`${expectedText(clipped(vm.name))} (${vm.verdict})`)?.paint, PAINT[vm.verdict], vm.name);
  assert.is(byText.get('unknown egress')?.paint, 'unk');
  assert.is(byText.get('no Internet egress')?.paint, 'none');
  // Every edge of the hostile chart is on a path: each has a colour, from linkStyle (checked once per edge by readChart).
  assert.equal(chart.edges.filter((e) => e.paint === ''), []);
  // A NIC with a deterministic path (NAT gateway) and a non-deterministic one (default outbound access): the NIC
  // takes the worse colour, the NAT gateway's edge stays deterministic, the hops themselves are not coloured.
  const nat = chart.nodes.find((n) => n.text.startsWith('NAT gateway '));
  assert.ok(nat);
  assert.is(nat.paint, '');
  assert.is(chart.edges.find((e) => e.to === nat.id)?.paint, 'det');
  assert.is(chart.nodes.find((n) => n.text === 'two ipconfigs')?.paint, 'nondet');
  // Colours that read on light and dark backgrounds: dark text on a light fill, and a border.
  for (const css of Object.values(chart.classDefs)) assert.match(css, /^fill:#[0-9a-f]{6},stroke:#[0-9a-f]{6},color:#1f2328/);
});

test.run();
