// ARM reads member names case-insensitively: a template that writes `"Properties"` (or any member in another case)
// still gets its findings at the line of the value, not at the resource's `{` (the graph readers build pointers with
// the keys as written: read-typed.ts `placeOf`, read-values.ts `locationIn`).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintText } from '../api/index.js';
import { vmTemplate } from './harness/hostile/graph-types.js';
import { templateText } from './harness/hostile/types.js';

type Json = Record<string, unknown>;

/** `obj` with member `from` renamed `to`, in place and in the same order. */
function rename(obj: Json, from: string, to: string): void {
  const entries = Object.entries(obj);
  for (const [k] of entries) delete obj[k];
  for (const [k, v] of entries) obj[k === from ? to : k] = v;
}

const RT = 0;
const VNET = 1;
const NIC = 3;

function ipconfigProps(t: { resources: Json[] }): Json {
  const configs = (t.resources[NIC].Properties as Json).ipConfigurations as Json[];
  return configs[0].properties as Json;
}

/** The 1-based line of the first line of `text` that `line` matches. */
function lineOf(text: string, line: RegExp): number {
  const n = text.split('\n').findIndex((l) => line.test(l)) + 1;
  assert.ok(n > 0, `no line matches ${line}`);
  return n;
}

const CASES: readonly { name: string; rule: string; line: RegExp; mutate: (t: { resources: Json[] }) => void }[] = [
  {
    name: "a NIC's publicIPAddress written as a string under \"Properties\" (readNic, locationIn)",
    rule: 'template-invalid',
    line: /"publicIPAddress": "pip"/,
    mutate: (t) => {
      rename(t.resources[NIC], 'properties', 'Properties');
      ipconfigProps(t).publicIPAddress = 'pip';
    },
  },
  {
    name: 'a route whose properties is a string, in a route table under "Properties" (readRouteTable, locationIn)',
    rule: 'template-invalid',
    line: /"properties": "0\.0\.0\.0\/0 Internet"/,
    mutate: (t) => {
      rename(t.resources[RT], 'properties', 'Properties');
      (t.resources[RT].Properties as Json).routes = [{ name: 'r', properties: '0.0.0.0/0 Internet' }];
    },
  },
  {
    name: 'a number among the addressPrefixes of a subnet under "Properties" of a VNet under "Properties" (readSubnet)',
    rule: 'template-invalid',
    line: /^\s*12345$/,
    mutate: (t) => {
      rename(t.resources[VNET], 'properties', 'Properties');
      const subnet = ((t.resources[VNET].Properties as Json).subnets as Json[])[0];
      rename(subnet, 'properties', 'Properties');
      (subnet.Properties as Json).addressPrefixes = [12345];
    },
  },
  {
    name: 'the public IP a route overrides, on a NIC under "Properties" (readIpConfigs)',
    rule: 'route-overrides-public-ip',
    line: /"publicIPAddress": \{/,
    mutate: (t) => {
      rename(t.resources[NIC], 'properties', 'Properties');
      (t.resources[RT].properties as Json).routes = [{ name: 'all', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.2.4' } }];
    },
  },
];

for (const c of CASES) {
  test(`member names in another case: ${c.name} is reported at its line`, () => {
    const t = vmTemplate();
    c.mutate(t);
    const text = templateText({ resources: t.resources });
    const report = lintText(text);
    const found = report.findings.filter((f) => f.ruleId === c.rule);
    assert.is(found.length, 1, JSON.stringify(report.findings));
    assert.is(found[0].line, lineOf(text, c.line), found[0].message);
  });
}

test.run();
