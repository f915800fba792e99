// The Bicep reader and the placing of compiled-JSON pointers in Bicep source (api/bicep-syntax.ts,
// api/bicep-positions.ts), without a Bicep CLI: the compiled templates here are the real CLI's output recorded in
// fixtures/bicep/cli-output, or small templates shaped as Bicep writes them. test/bicep-cli.test.ts checks the same
// placing against the real compiler on the fixtures of fixtures/bicep/real.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBicep } from '../api/bicep-syntax.js';
import type { BicepDecl, BicepValue } from '../api/bicep-syntax.js';
import { BicepPositions } from '../api/bicep-positions.js';
import type { SourceHost } from '../engine/index.js';

const root = new URL('..', import.meta.url).pathname;

function host(files: Record<string, string>): SourceHost {
  return { readText: (f) => (Object.hasOwn(files, f) ? files[f] : { error: 'not found' }) };
}

function props(v: BicepValue | undefined): string[] {
  if (!v) return [];
  if (v.kind === 'object') return v.props.map((p) => `${p.key}@${p.at.line}:${p.at.column}:${p.value.kind}`);
  if (v.kind === 'for' || v.kind === 'if') return [`${v.kind}@${v.at.line}:${v.at.column}`, ...props(v.body)];
  return [v.kind];
}

const syntax = suite('bicep reader');

syntax('declarations with decorators over several lines, comments, and strings that hold braces and quotes', () => {
  const text = [
    "@description('''A long",
    'description { with a brace',
    "''')",
    '@allowed([',
    "  'a' // a comment with { a brace",
    "  'b'",
    '])',
    "param sku string = 'a'",
    '/* a block comment',
    "resource nope 'x@1' = {} */",
    "var name = '${sku}-${'}'}\\'s'",
    "resource pip 'Microsoft.Network/publicIPAddresses@2024-05-01' = {",
    "  name: '${name}-{pip}'",
    "  'cost-center': { a: 1, b: '}' }",
    "  sku: { name: sku, tier: 'Regional' }",
    '}',
    "output id string = pip.id",
  ].join('\n');
  const p = parseBicep(text);
  assert.equal(p.decls.map((d) => `${d.keyword} ${d.name} ${d.at.line}:${d.at.column}-${d.at.endLine}:${d.at.endColumn}`), [
    'param sku 8:1-8:10',
    'var name 11:1-11:9',
    'resource pip 12:1-12:13',
    'output id 17:1-17:10',
  ]);
  const pip = p.decls[2];
  assert.is(pip.target, 'Microsoft.Network/publicIPAddresses@2024-05-01');
  assert.equal(props(pip.value), ['name@13:3:expr', 'cost-center@14:3:object', 'sku@15:3:object']);
  const sku = pip.value?.kind === 'object' ? pip.value.props[2].value : undefined;
  assert.equal(props(sku), ['name@15:10:expr', 'tier@15:21:expr']);
});

syntax('loops, conditions, nested and existing resources, and values that are expressions', () => {
  const text = [
    "resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' existing = {",
    "  name: 'hub'",
    "  resource shared 'subnets' existing = {",
    "    name: 'shared'",
    '  }',
    '}',
    "resource nics 'Microsoft.Network/networkInterfaces@2024-05-01' = [for (n, i) in (flag ? names : []): if (n != 'x') {",
    "  name: n",
    '  properties: {',
    '    ipConfigurations: [for j in range(0, 2): {',
    "      name: 'ip${j}'",
    '      properties: union({',
    '        primary: j == 0',
    "      }, j == 0 ? { publicIPAddress: { id: 'x' } } : {})",
    '    }]',
    '    dnsSettings: flag',
    '      ? { dnsServers: [] }',
    '      : null',
    '  }',
    '}]',
    "module m './m.bicep' = if (a && (b || c)) {",
    "  name: 'm'",
    '}',
  ].join('\n');
  const p = parseBicep(text);
  assert.equal(p.decls.map((d) => `${d.keyword} ${d.name} ${d.at.line}${d.existing ? ' existing' : ''}`), ['resource vnet 1 existing', 'resource nics 7', 'module m 21']);
  const vnet = p.decls[0].value;
  assert.equal(vnet?.kind === 'object' ? vnet.nested.map((d: BicepDecl) => `${d.name} ${d.target} ${d.at.line}${d.existing ? ' existing' : ''}`) : [], ['shared subnets 3 existing']);
  assert.equal(props(p.decls[1].value), ['for@7:67', 'if@7:102', 'name@8:3:expr', 'properties@9:3:object']);
  const body = p.decls[1].value?.kind === 'for' && p.decls[1].value.body.kind === 'if' ? p.decls[1].value.body.body : undefined;
  const properties = body?.kind === 'object' ? body.props[1].value : undefined;
  // A multi-line conditional is an expression: it ends where its brackets close, not at the first line break.
  assert.equal(props(properties), ['ipConfigurations@10:5:for', 'dnsSettings@16:5:expr']);
  const loop = properties?.kind === 'object' ? properties.props[0].value : undefined;
  assert.equal(props(loop), ['for@10:24', 'name@11:7:expr', 'properties@12:7:expr']);
  assert.equal(props(p.decls[2].value), ['if@21:24', 'name@22:3:expr']);
});

syntax('never throws and never loops on text that is not Bicep', () => {
  for (const text of ['', '{', '}}}]])', "resource x 'y' = {", "'unterminated", "resource x 'y' = [for", '@', 'param', "module a 'b' = if (", '/*', "x: '${", '\u0000\uFFFF']) {
    parseBicep(text);
    parseBicep(text.repeat(3));
  }
});

syntax.run();

const place = suite('bicep positions');

const MAIN = readFileSync(join(root, 'fixtures/bicep/main.bicep'), 'utf8');
const COMPILED = readFileSync(join(root, 'fixtures/bicep/cli-output/main.bicep.build.stdout'), 'utf8');

function at(p: BicepPositions, pointer: string): string {
  const l = p.locate(pointer);
  return `${l.place.line}:${l.place.column}${l.inner ? ` ${l.inner.file}:${l.inner.place.line}` : ''}${l.unmatched ? ' unmatched' : ''}`;
}

place('the real CLI output of fixtures/bicep/main.bicep: resources, properties, array items, parameters', () => {
  const p = new BicepPositions('infra/main.bicep', 'bicep', COMPILED, host({ 'infra/main.bicep': MAIN }));
  const line = (n: number) => MAIN.split('\n')[n - 1].trim();
  assert.is(at(p, ''), '1:1');
  assert.is(at(p, '/resources/3'), '63:1');
  assert.match(line(63), /^resource vm /);
  assert.is(at(p, '/resources/1/sku'), '35:3');
  assert.is(at(p, '/resources/1/sku/name'), '36:5');
  // An array item is placed at its name; a pointer below what the source spells out stops at the deepest property.
  assert.is(at(p, '/resources/2/properties/ipConfigurations/0'), '49:9');
  assert.match(line(49), /^name: 'ipconfig1'/);
  assert.is(at(p, '/resources/2/properties/ipConfigurations/0/properties/publicIPAddress/id'), '55:13');
  assert.is(at(p, '/resources/2/properties/ipConfigurations/0/properties/publicIPAddress/id/x/y'), '55:13');
  assert.is(at(p, '/resources/2/dependsOn/0'), '43:1');
  assert.is(at(p, '/parameters/publicIpSku'), '8:1');
  assert.is(at(p, '/parameters/location/defaultValue'), '10:1');
  assert.is(at(p, '/resources/9'), '1:1 unmatched');
  assert.match(p.note('/resources/9', p.locate('/resources/9')) ?? '', /no Bicep declaration for \/resources\/9 of the compiled JSON \(`bicep build infra\/main\.bicep --stdout` prints it\)/);
});

/** A compiled template as Bicep writes it: resources as given, the rest empty. */
function template(resources: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', ...extra, resources });
}

place('nested resources come first, then top-level ones, then modules; `existing` ones are not written', () => {
  const src = [
    "resource a 'Microsoft.Network/publicIPAddresses@2024-05-01' = { name: 'a' }",
    "resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {",
    "  name: 'v'",
    "  resource s1 'subnets' = {",
    "    name: 's1'",
    "    resource x 'Microsoft.Network/virtualNetworks/subnets/fake@2024-05-01' = { name: 'x' }",
    '  }',
    "  resource s2 'subnets@2023-01-01' = { name: 's2' }",
    '}',
    "resource old 'Microsoft.Network/natGateways@2024-05-01' existing = { name: 'n' }",
    "module m './m.bicep' = { name: 'm' }",
  ].join('\n');
  const types = ['Microsoft.Network/virtualNetworks/subnets/fake', 'Microsoft.Network/virtualNetworks/subnets', 'Microsoft.Network/virtualNetworks/subnets', 'Microsoft.Network/publicIPAddresses', 'Microsoft.Network/virtualNetworks', 'Microsoft.Resources/deployments'];
  const p = new BicepPositions('main.bicep', 'bicep', template(types.map((type) => ({ type }))), host({ 'main.bicep': src }));
  assert.equal([0, 1, 2, 3, 4, 5].map((i) => at(p, `/resources/${i}`)), ['6:5', '4:3', '8:3', '1:1', '2:1', '11:1']);
  // When the order is not the one expected (here: the pip last), each compiled resource takes the next declaration of its type.
  const moved = [types[0], types[1], types[2], types[4], types[3], types[5]];
  const q = new BicepPositions('main.bicep', 'bicep', template(moved.map((type) => ({ type }))), host({ 'main.bicep': src }));
  assert.equal([0, 1, 2, 3, 4, 5].map((i) => at(q, `/resources/${i}`)), ['6:5', '4:3', '8:3', '2:1', '1:1', '11:1']);
});

place('symbolic names (languageVersion 2.0): `parent::child`, existing resources, modules', () => {
  const src = [
    "resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' existing = {",
    "  name: 'v'",
    "  resource s 'subnets' existing = { name: 's' }",
    '}',
    "module net 'net.bicep' = { name: 'net' }",
  ].join('\n');
  const compiled = template({ 'vnet::s': { existing: true, type: 'Microsoft.Network/virtualNetworks/subnets' }, vnet: { existing: true, type: 'Microsoft.Network/virtualNetworks' }, net: { type: 'Microsoft.Resources/deployments' } }, { languageVersion: '2.0' });
  const p = new BicepPositions('main.bicep', 'bicep', compiled, host({ 'main.bicep': src }));
  assert.equal(['vnet::s', 'vnet', 'net', 'nope'].map((k) => at(p, `/resources/${k}`)), ['3:3', '1:1', '5:1', '1:1 unmatched']);
});

place("a module: its parameters on their lines, its template's resources on the module line with their own place", () => {
  const src = ["module app './modules/vm.bicep' = [for i in range(0, 2): {", "  name: 'app${i}'", '  params: {', "    sku: 'Basic'", '  }', '}]', "module reg 'br/public:avm/res/network/nat-gateway:1.0.0' = { name: 'reg' }"].join('\n');
  const mod = ["param sku string", "resource pip 'Microsoft.Network/publicIPAddresses@2024-05-01' = {", "  name: 'p'", '  sku: { name: sku }', '}'].join('\n');
  const compiled = template([
    { type: 'Microsoft.Resources/deployments', copy: { name: 'app', count: 2 }, properties: { parameters: { sku: { value: 'Basic' } }, template: JSON.parse(template([{ type: 'Microsoft.Network/publicIPAddresses' }])) } },
    { type: 'Microsoft.Resources/deployments', properties: { template: JSON.parse(template([{ type: 'Microsoft.Network/natGateways' }])) } },
  ]);
  const p = new BicepPositions('infra/main.bicep', 'bicep', compiled, host({ 'infra/main.bicep': src, 'infra/modules/vm.bicep': mod }));
  assert.is(at(p, '/resources/0'), '1:1');
  assert.is(at(p, '/resources/0/copy'), '1:36');
  assert.is(at(p, '/resources/0/properties/parameters/sku/value'), '4:5');
  assert.is(at(p, '/resources/0/properties/template/resources/0/sku/name'), '1:1 infra/modules/vm.bicep:4');
  assert.match(p.note('/resources/0/properties/template/resources/0/sku', p.locate('/resources/0/properties/template/resources/0/sku')) ?? '', /^It is declared at infra\/modules\/vm\.bicep:4:3, which the module on this line compiles into this file\.$/);
  // A registry module's source is not here: the module line, and no note.
  assert.is(at(p, '/resources/1/properties/template/resources/0'), '7:1');
  assert.is(p.note('/resources/1/properties/template/resources/0', p.locate('/resources/1/properties/template/resources/0')), undefined);
});

place('a .bicepparam: its own param lines, else its `using` line, naming the place in the template', () => {
  const params = "// prod\nusing './main.bicep'\n\nparam publicIpSku = 'Basic'\n";
  const compiled = JSON.parse(readFileSync(join(root, 'fixtures/bicep/cli-output/prod.bicepparam.build-params.stdout'), 'utf8')) as { templateJson: string };
  const p = new BicepPositions('infra/prod.bicepparam', 'bicepparam', compiled.templateJson, host({ 'infra/prod.bicepparam': params, 'infra/main.bicep': MAIN }));
  assert.is(at(p, '/parameters/publicIpSku'), '4:1');
  assert.is(at(p, '/parameters/location'), '2:1 infra/main.bicep:10');
  assert.is(at(p, '/resources/1/sku'), '2:1 infra/main.bicep:35');
  assert.match(p.note('/resources/1/sku', p.locate('/resources/1/sku')) ?? '', /^It is declared at infra\/main\.bicep:35:3, in the template that 'using' names\.$/);
  // The template cannot be read: the `using` line alone.
  const q = new BicepPositions('infra/prod.bicepparam', 'bicepparam', compiled.templateJson, host({ 'infra/prod.bicepparam': params }));
  assert.is(at(q, '/resources/1/sku'), '2:1');
});

place.run();
