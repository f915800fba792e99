// The differential check's own logic (bench/oracle/): the inputs written for both engines, the comparison of a
// snapshot's predicted resources with egress-lint's expansion, and the causes. One test runs the real Bicep CLI (its
// snapshot of an expansion fixture must agree with egress-lint); without a Bicep CLI on PATH it says it is skipped.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expandDocument } from '../engine/index.js';
import type { SourceResource } from '../engine/index.js';
import { bicepString, bicepValue, bicepparamText, fits, generate, parameterInputs, readMembers } from '../bench/oracle/params.js';
import { compare, isExpression, shortCircuits } from '../bench/oracle/compare.js';
import { causeOf, failureCauseOf } from '../bench/oracle/causes.js';
import { metadataFor } from '../bench/oracle/run.js';
import { SnapshotPool, findBicep } from '../bench/oracle/snapshot.js';
import { sampleOf } from '../bench/oracle/sample.js';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resource-group/providers';

/** egress-lint's resources for a template given as an object, with parameter values. */
function ours(template: object, values: Record<string, unknown> = {}): readonly SourceResource[] {
  return expandDocument({ file: 'main.json', text: JSON.stringify(template), parameters: { values } }, {}).deployment.resources;
}

const TEMPLATE = {
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  parameters: { prefix: { type: 'string' }, secret: { type: 'securestring' }, count: { type: 'int', defaultValue: 2 } },
  resources: [
    {
      type: 'Microsoft.Network/publicIPAddresses',
      apiVersion: '2024-05-01',
      name: "[format('{0}-pip{1}', parameters('prefix'), copyIndex())]",
      location: 'westeurope',
      sku: { name: 'Standard' },
      copy: { name: 'pips', count: "[parameters('count')]" },
      properties: { publicIPAllocationMethod: 'Static' },
    },
    {
      type: 'Microsoft.Network/connections',
      apiVersion: '2024-05-01',
      name: 'conn',
      location: 'westeurope',
      properties: { sharedKey: "[parameters('secret')]" },
    },
  ],
};

/** What a snapshot of TEMPLATE with prefix 'app' predicts (Azure keeps the secure parameter unevaluated). */
function predicted(): Record<string, unknown>[] {
  return [
    { id: `${SUB}/Microsoft.Network/publicIPAddresses/app-pip0`, type: 'Microsoft.Network/publicIPAddresses', name: 'app-pip0', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } },
    { id: `${SUB}/Microsoft.Network/publicIPAddresses/app-pip1`, type: 'Microsoft.Network/publicIPAddresses', name: 'app-pip1', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } },
    { id: `${SUB}/Microsoft.Network/connections/conn`, type: 'Microsoft.Network/connections', name: 'conn', properties: { sharedKey: "[parameters('secret')]" } },
  ];
}

const params = suite('oracle: inputs');

params('Bicep literals escape quotes, backslashes, interpolation and control characters; fractions go through json()', () => {
  assert.is(bicepString("it's ${x}\\n\n"), "'it\\'s \\${x}\\\\n\\n'");
  assert.is(bicepValue(1.5), "json('1.5')");
  assert.is(bicepValue(-3), '-3');
  assert.is(bicepValue({ a: [1, 'b'], 'c-d': null }), "{\n  'a': [\n    1\n    'b'\n  ]\n  'c-d': null\n}");
  assert.is(bicepparamText('./template.json', { x: 'v' }), "using './template.json'\nparam x = 'v'\n");
});

params('values: the parameter file first, replaced when it does not fit; a link folder for _artifactsLocation; nullable ones left out', () => {
  const template = {
    parameters: {
      name: { type: 'string', maxLength: 5 },
      size: { type: 'int' },
      fromFile: { type: 'string' },
      _artifactsLocation: { type: 'string', defaultValue: '[deployment().properties.templateLink.uri]' },
      optional: { type: 'string', nullable: true },
      kind: { type: 'string', allowedValues: ['Basic', 'Standard'] },
      settings: { type: 'object' },
      withDefault: { type: 'string', defaultValue: 'x' },
    },
  };
  const file = { parameters: { size: { value: 'GEN-UNIQUE' }, fromFile: { value: 'given' } } };
  const text = "[parameters('settings').network.subnets[0].name]";
  const r = parameterInputs(template, text, file, 'https://example.com/t/');
  assert.equal(r.values, {
    name: 'name',
    size: 1,
    fromFile: 'given',
    _artifactsLocation: 'https://example.com/t/',
    kind: 'Basic',
    settings: { network: { subnets: [{ name: 'name' }] } },
  });
  assert.equal(r.origin, { name: 'generated', size: 'replaced', fromFile: 'file', _artifactsLocation: 'link', kind: 'generated', settings: 'generated' });
});

params('generated values follow the declared type, definitions and required properties', () => {
  const defs = { sub: { type: 'object', properties: { id: { type: 'string' }, note: { type: 'string', nullable: true } } } };
  assert.equal(generate('p', { $ref: '#/definitions/sub' }, defs), { id: 'id' });
  assert.equal(generate('list', { type: 'array', minLength: 2, items: { type: 'int', minValue: 3 } }, {}), [3, 3]);
  assert.is(generate('flag', { type: 'bool' }, {}), false);
  assert.is(generate('VeryLongName', { type: 'string', maxLength: 4 }, {}), 'very');
  assert.ok(fits(null, { type: 'string', nullable: true }, {}));
  assert.not.ok(fits('toolong', { type: 'string', maxLength: 3 }, {}));
  assert.equal(readMembers("[parameters('o').a.b] [parameters('O')[1]]", 'o'), { a: { b: null } });
});

const cmp = suite('oracle: comparison');

cmp('the same resources agree; a value both leave for deployment is an agreement, not a difference', () => {
  const c = compare(predicted(), ours(TEMPLATE, { prefix: 'app', secret: 'k' }));
  // The secure parameter: Azure keeps it, egress-lint has the given value.
  assert.equal(
    c.differences.map((d) => [d.kind, d.resource, d.path]),
    [['egress-lint concrete where Azure leaves it for deployment', 'Microsoft.Network/connections conn', 'properties.sharedKey']],
  );
  assert.is(c.matched, 3);
  const placeholder = compare(
    predicted().map((p) => (p.name === 'conn' ? p : { ...p, properties: { publicIPAllocationMethod: "[parameters('x')]" } })),
    ours({ ...TEMPLATE, parameters: { ...TEMPLATE.parameters, alloc: { type: 'string' } }, resources: [{ ...TEMPLATE.resources[0], properties: { publicIPAllocationMethod: "[parameters('alloc')]" } }, TEMPLATE.resources[1]] }, { prefix: 'app', secret: "[parameters('secret')]" }),
  );
  assert.is(placeholder.agreements, 2);
});

cmp('a missing copy, an extra resource, a different value and an unknown where Azure knows are each a difference', () => {
  const azure = predicted();
  azure[1] = { ...azure[1], sku: { name: 'Basic' } };
  azure.push({ id: `${SUB}/Microsoft.Network/natGateways/nat`, type: 'Microsoft.Network/natGateways', name: 'nat', properties: {} });
  const mine = ours(TEMPLATE, { prefix: 'app', secret: "[parameters('secret')]", count: 3 });
  const kinds = compare(azure, mine).differences.map((d) => `${d.kind}: ${d.resource} ${d.path}`);
  assert.equal(kinds.sort(), [
    'different value: Microsoft.Network/publicIPAddresses app-pip1 sku.name',
    // A parameter value is a literal: egress-lint's is the text "[parameters('secret')]", Azure's an expression.
    'egress-lint concrete where Azure leaves it for deployment: Microsoft.Network/connections conn properties.sharedKey',
    'resource only in Azure: Microsoft.Network/natGateways nat id',
    'resource only in egress-lint: Microsoft.Network/publicIPAddresses app-pip2 id',
  ]);
  const unknownSku = ours({ ...TEMPLATE, resources: [{ ...TEMPLATE.resources[0], sku: { name: "[reference('x').sku]" } }] }, { prefix: 'app' });
  const d = compare(predicted().slice(0, 2), unknownSku).differences;
  assert.equal([...new Set(d.map((x) => x.kind))], ['egress-lint unknown where Azure knows']);
});

cmp("a condition egress-lint cannot decide is a difference where Azure decides, and an agreement where Azure's condition is an expression", () => {
  const template = {
    ...TEMPLATE,
    parameters: { on: { type: 'bool' } },
    resources: [{ condition: "[parameters('on')]", type: 'Microsoft.Network/natGateways', apiVersion: '2024-05-01', name: 'nat', location: 'westeurope', properties: {} }],
  };
  const mine = ours(template);
  assert.equal(compare([], mine).differences.map((d) => [d.kind, d.azure]), [['egress-lint condition unknown where Azure decides', 'not deployed']]);
  const azure = [{ id: `${SUB}/Microsoft.Network/natGateways/nat`, type: 'Microsoft.Network/natGateways', name: 'nat', condition: "[parameters('on')]", properties: {} }];
  const c = compare(azure, mine);
  assert.equal(c.differences, []);
  assert.is(c.agreements, 1);
});

cmp('resources of a nested deployment Azure did not expand are counted, not compared; an id Azure left as an expression pairs by type', () => {
  const diag = [
    "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Resources/deployments/inner Warning NestedDeploymentShortCircuited: The nested deployment 'x' could not be expanded because it uses outer-mode evaluation and its template contains expressions that could not be evaluated. Please see https://aka.ms/WhatIfEvalStopped",
  ];
  assert.equal(shortCircuits(diag), [{ name: 'inner', reason: 'an outer-scope nested template with expressions Azure leaves for deployment' }]);
  const nested = {
    ...TEMPLATE,
    parameters: {},
    resources: [
      {
        type: 'Microsoft.Resources/deployments',
        apiVersion: '2022-09-01',
        name: 'inner',
        properties: { mode: 'Incremental', template: { $schema: TEMPLATE.$schema, contentVersion: '1.0.0.0', resources: [{ type: 'Microsoft.Network/natGateways', apiVersion: '2024-05-01', name: 'nat', location: 'westeurope', properties: {} }] } },
      },
      { type: 'Microsoft.Network/routeTables', apiVersion: '2024-05-01', name: "[format('rt-{0}', utcNow())]", location: 'westeurope', properties: {} },
    ],
  };
  const withNow = { ...nested, parameters: { now: { type: 'string', defaultValue: '[utcNow()]' } }, resources: [nested.resources[0], { ...nested.resources[1], name: "[format('rt-{0}', parameters('now'))]" }] };
  const azure = [{ id: "[resourceId('Microsoft.Network/routeTables', format('rt-{0}', utcNow()))]", type: 'Microsoft.Network/routeTables', name: "[format('rt-{0}', utcNow())]", properties: {} }];
  const c = compare(azure, ours(withNow), diag);
  assert.equal(c.differences, []);
  assert.equal(c.notExpanded, { 'an outer-scope nested template with expressions Azure leaves for deployment': 1 });
  assert.ok(isExpression("[utcNow()]"));
  assert.not.ok(isExpression('[[literal]'));
});

const causes = suite('oracle: causes');

causes('each cause explains only its own kind of difference', () => {
  const ctx = { secure: ['secret'], problems: [] };
  const concrete = 'egress-lint concrete where Azure leaves it for deployment' as const;
  assert.is(causeOf({ kind: concrete, resource: 'r', path: 'name', azure: "[format('{0}', environment().name)]" }, ctx), 'environment');
  assert.is(causeOf({ kind: concrete, resource: 'r', path: 'p', azure: "[parameters('secret')]" }, ctx), 'secure-parameter');
  assert.is(causeOf({ kind: concrete, resource: 'r', path: 'p', azure: "[parameters('other')]" }, ctx), undefined);
  assert.is(causeOf({ kind: 'different value', resource: 'r', path: 'p', azure: "[environment().name]" }, ctx), undefined);
  assert.is(causeOf({ kind: 'resource only in Azure', resource: 'r', path: 'id' }, ctx), undefined);
  assert.is(failureCauseOf('anything', { secure: [], problems: [{ ruleId: 'expression-invalid', message: 'x' }] }), 'both-reject');
  assert.is(failureCauseOf('anything', { secure: [], problems: [] }), undefined);
});

causes('the fixed sample takes every k-th entry from the first', () => {
  assert.equal(sampleOf([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3), [0, 3, 6]);
  assert.equal(sampleOf([0, 1], 5), [0, 1]);
});

const real = suite('oracle: the real Bicep CLI');
const bicep = findBicep();

real("snapshot of fixtures/expansion/parameters-nullable agrees with egress-lint's expansion", async () => {
  if (!bicep) {
    console.log('  skipped: oracle: the real Bicep CLI: snapshot of fixtures/expansion/parameters-nullable (no Bicep CLI on PATH)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'egress-lint-oracle-test-'));
  const text = readFileSync(new URL('../fixtures/expansion/parameters-nullable/main.json', import.meta.url), 'utf8');
  writeFileSync(join(dir, 'template.json'), text);
  writeFileSync(join(dir, 'main.bicepparam'), bicepparamText('./template.json', { given: '10.1.0.0/24' }));
  const pool = new SnapshotPool(bicep, 1, join(dir, 'cache'));
  try {
    await pool.start();
    const r = await pool.snapshot(join(dir, 'main.bicepparam'), 'fixture', metadataFor('resourceGroup'));
    if ('failed' in r) assert.unreachable(`the snapshot failed: ${r.failed}`);
    else {
      const mine = expandDocument({ file: 'main.json', text, parameters: { values: { given: '10.1.0.0/24' } } }, {}).deployment.resources;
      const c = compare(r.snapshot.predictedResources, mine, r.snapshot.diagnostics, true);
      assert.equal(c.differences, []);
      assert.is(c.matched, 2);
    }
  } finally {
    pool.stop();
  }
});

params.run();
cmp.run();
causes.run();
real.run();
