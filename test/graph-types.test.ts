// Issue 21, item 3: wrong types inside what the graph reads. Each hostile input of test/harness/hostile/graph-types.ts
// runs through the CLI in-process and must exit 1 with its template-invalid message; through the library, the line of
// the finding and the VM's verdict are checked: a wrong type never leaves the VM decided as if the value were absent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintText } from '../api/index.js';
import { aksTemplate, aksTypeInputs, graphTypeInputs, vmTemplate } from './harness/hostile/graph-types.js';
import { runHostile, unmet } from './harness/hostile/run.js';
import { templateText } from './harness/hostile/types.js';

for (const input of [...graphTypeInputs, ...aksTypeInputs]) {
  test(`hostile: ${input.name}`, async () => {
    const why = unmet(input, await runHostile(input));
    assert.is(why, undefined, why);
  });
}

/** The text of the input's one template, and its lines. */
function textOf(name: string): string {
  const input = graphTypeInputs.find((i) => i.name === name);
  if (!input) throw new Error(`no hostile input '${name}'`);
  return input.files()['main.json'] as string;
}

test('the VM template the inputs start from is decided through its own public IP, with no finding', () => {
  const report = lintText(templateText(vmTemplate()));
  assert.equal(report.findings, []);
  assert.is(report.vms[0].verdict, 'deterministic');
});

// Wrong types on the VM's path: the finding is at the line of the wrong value, and the path is unknown.
const ON_PATH: readonly [string, RegExp][] = [
  ['ipConfigurations as a string', /"ipConfigurations": "ipconfig1"/],
  ['networkProfile.networkInterfaces as a string', /"networkInterfaces": "\[resourceId/],
  ['routes as a string', /"routes": "0\.0\.0\.0\/0/],
  ["a NAT gateway's publicIpAddresses as an object", /"publicIpAddresses": \{/],
  ['sku.name as a number', /"name": 1$/],
  ["a subnet's properties as an array", /"properties": \[/],
  ['publicIPAddress as a string id', /"publicIPAddress": "\[resourceId/],
  ["a route's properties as a string", /"properties": "0\.0\.0\.0\/0 Internet"/],
];

for (const [name, line] of ON_PATH) {
  test(`on the path: ${name} is template-invalid at its line and the VM's egress is unknown`, () => {
    const text = textOf(name);
    const report = lintText(text);
    const invalid = report.findings.filter((f) => f.ruleId === 'template-invalid');
    assert.is(invalid.length, 1, JSON.stringify(report.findings));
    const expected = text.split('\n').findIndex((l) => line.test(l)) + 1;
    assert.ok(expected > 0, 'the wrong value is in the text');
    assert.is(invalid[0].line, expected);
    assert.is(report.vms.length, 1);
    assert.is(report.vms[0].verdict, 'unknown');
  });
}

test("a VM whose second 'type' key makes it an availability set is not lost silently: the duplicate is at its line", () => {
  const text = textOf("a VM with two 'type' keys");
  const report = lintText(text);
  const dup = report.findings.find((f) => /written twice/.test(f.message));
  assert.ok(dup);
  assert.is(dup.line, text.split('\n').findIndex((l) => l.includes('"Microsoft.Compute/availabilitySets"')) + 1);
});

test('a strict JSON template without duplicate keys has none reported, comments and trailing commas included', () => {
  const jsonc = templateText(vmTemplate()).replace('"resources": [', '// the resources\n  "resources": [ /* : "x": */').replace(/\}\n\s*\]\n\s*\}/, '},\n  ]\n}');
  assert.equal(lintText(jsonc).findings, []);
});

test('AKS: the cluster the inputs start from is decided through its outbound IP; each wrong type on the path makes the pool unknown', () => {
  const clean = lintText(templateText(aksTemplate()));
  assert.equal(clean.findings, []);
  assert.is(clean.vms[0].verdict, 'deterministic');
  for (const input of aksTypeInputs) {
    const report = lintText(input.files()['main.json'] as string);
    assert.ok(report.findings.some((f) => f.ruleId === 'template-invalid' && input.expect.output!.test(f.message)), input.name);
    // The node count, and a profile of another outbound type, decide no address: a finding, and the pool stays decided.
    if (/count|not read/.test(input.name)) continue;
    assert.ok(report.vms.length > 0 && report.vms.every((v) => v.verdict === 'unknown'), `${input.name}: ${report.vms.map((v) => `${v.name} ${v.verdict}`).join(', ')}`);
  }
});

test.run();
