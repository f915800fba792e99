// Unit tests of the template loader (engine/template/template.ts) and of parameter files (engine/expansion/parameters.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expand, utf8Length } from '../engine/expansion/expand.js';
import { isParameterFile, isTemplate, readParameterFile } from '../engine/expansion/parameters.js';
import type { Value } from '../engine/expressions/value.js';
import { Unknown, getProp, isObject } from '../engine/expressions/value.js';
import { loadTemplate, pointerJoin, pointerSegments } from '../engine/template/template.js';

const TEMPLATE_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const PARAMS_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';

/** A JSON round trip: plain objects for deep comparison, whatever prototype the loader gave them. */
function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v)) as unknown;
}

function record(v: unknown): Record<string, Value> {
  assert.ok(isObject(v as Value), 'expected an object');
  return v as Record<string, Value>;
}

const loader = suite('template loader');

loader('strict JSON takes the fast path with no problems', () => {
  const doc = loadTemplate('a.json', '{"$schema": "x", "resources": [{"name": "vnet1"}]}');
  assert.equal(doc.problems, []);
  assert.equal(plain(doc.value), { $schema: 'x', resources: [{ name: 'vnet1' }] });
  assert.is(doc.file, 'a.json');
});

loader('JSONC: line and block comments and trailing commas are accepted without problems', () => {
  const text = '// header\n{\n  /* block */ "a": 1, // trailing\n  "b": [1, 2,],\n  "c": {"d": true,},\n}\n';
  const doc = loadTemplate('a.jsonc', text);
  assert.equal(doc.problems, []);
  assert.equal(plain(doc.value), { a: 1, b: [1, 2], c: { d: true } });
});

loader('JSONC: comment marks and commas inside strings stay, and positions match the tolerant parser', () => {
  const text = '{\n  // "x": 0,\n  "url": "https://a/b,//c", /* "y": 1, */ "s": "a /* b */ c",\n  "list": [\n    1, // one\n    2,\n  ],\n  "o": {"k": "v",\n  },\n}\n';
  const doc = loadTemplate('a.jsonc', text);
  assert.equal(doc.problems, []);
  assert.equal(plain(doc.value), { url: 'https://a/b,//c', s: 'a /* b */ c', list: [1, 2], o: { k: 'v' } });
  // The same text with an unterminated block comment goes to jsonc-parser, whose positions are the reference.
  const tolerant = loadTemplate('b.jsonc', `${text}/* open`);
  assert.ok(tolerant.problems.length > 0);
  for (const pointer of ['/url', '/s', '/list/1', '/o/k', '/o', '/list']) assert.equal(doc.range(pointer), tolerant.range(pointer), pointer);
  // An escaped quote does not end a string; a comma before a closing bracket inside a string is kept.
  const escaped = loadTemplate('c.jsonc', '{"a": "x\\",]", // c\n"b": [1,],}');
  assert.equal(escaped.problems, []);
  assert.equal(plain(escaped.value), { a: 'x",]', b: [1] });
});

loader('a byte order mark is dropped, and positions count from the text after it', () => {
  const doc = loadTemplate('bom.json', '\uFEFF{"a": {"b": 1}}');
  assert.equal(doc.problems, []);
  assert.equal(plain(doc.value), { a: { b: 1 } });
  assert.is(doc.text.charCodeAt(0), 123);
  assert.equal(doc.range('/a/b'), { offset: 7, length: 6 });
  const commented = loadTemplate('bom.jsonc', '\uFEFF// c\n{"a": 1}');
  assert.equal(commented.problems, []);
  assert.equal(plain(commented.value), { a: 1 });
});

loader('raw control characters inside strings are kept as characters, and later positions stay right', () => {
  const text = '{"script": "line1\nline2\tend", "after": "x"}';
  const doc = loadTemplate('raw.json', text);
  assert.equal(doc.problems, []);
  assert.equal(plain(doc.value), { script: 'line1\nline2\tend', after: 'x' });
  const r = doc.range('/after');
  assert.is(text.slice(r.offset, r.offset + r.length), '"after": "x"');
  assert.equal(doc.lineColumn(r.offset), { line: 1, column: 12 });
});

loader('raw control characters with comments and trailing commas: read by JSON.parse, with jsonc-parser\'s values and positions', () => {
  const text = '{\n  // a comment\n  "script": "line1\nline2\tend", /* "x": 1 */\n  "list": ["a\tb", 2,],\n  "after": {"k": "v",},\n}\n';
  const doc = loadTemplate('raw.jsonc', text);
  assert.equal(doc.problems, []);
  assert.equal(plain(doc.value), { script: 'line1\nline2\tend', list: ['a\tb', 2], after: { k: 'v' } });
  // The same text with an unterminated comment at the end goes to jsonc-parser, whose positions are the reference.
  const tolerant = loadTemplate('raw2.jsonc', `${text}/* open`);
  assert.ok(tolerant.problems.length > 0);
  assert.equal(plain(tolerant.value), plain(doc.value));
  for (const pointer of ['/script', '/list', '/list/0', '/list/1', '/after', '/after/k', '']) {
    if (pointer !== '') assert.equal(doc.range(pointer), tolerant.range(pointer), pointer);
    assert.equal(doc.start(pointer), doc.range(pointer).offset, pointer);
  }
  // The positions above came from the lean locator over JSON.parse's reading: no syntax tree was built for it
  // (jsonc-parser's reading carries one; without this check the test would pass on jsonc-parser alone).
  const treeOf = (d: unknown) => (d as { tree: unknown }).tree;
  assert.is(treeOf(doc), null);
  assert.ok(treeOf(tolerant));
  // A raw control character outside a string is not something ARM reads: still the tolerant parser's problem.
  assert.ok(loadTemplate('bad.json', '{"a":\u0001 1}').problems.length > 0);
});

loader('truncated JSON is a problem at the end of the text, with the value read so far', () => {
  const text = '{\n  "resources": [\n    {"name": "x"';
  const doc = loadTemplate('cut.json', text);
  assert.ok(doc.problems.length > 0);
  assert.is(doc.problems[0].offset, text.length);
  assert.is(doc.problems[0].message, 'Expected "}".');
  assert.equal(plain(doc.value), { resources: [{ name: 'x' }] });
});

loader('an unterminated string is a problem at the string', () => {
  const doc = loadTemplate('s.json', '{"a": "abc');
  assert.equal(doc.problems[0], { message: 'Unterminated string.', offset: 6, length: 4 });
});

loader('text after the value, an empty file and nothing but a comment are problems', () => {
  assert.equal(loadTemplate('t.json', '{"a": 1} xyz').problems, [{ message: 'Unexpected character.', offset: 9, length: 3 }]);
  const empty = loadTemplate('e.json', '');
  assert.is(empty.value, undefined);
  assert.equal(empty.problems, [{ message: 'The file is empty.', offset: 0, length: 0 }]);
  assert.equal(loadTemplate('c.json', '  // only a comment\n').problems, [{ message: 'The file is empty.', offset: 0, length: 0 }]);
});

loader('every syntax error is worded as a sentence, not as a parser code', () => {
  const cases: [string, string][] = [
    ['{"a": 1, }x', 'Unexpected character.'],
    ['{"a": 1, 2: 3}', 'Expected a property name in double quotes.'],
    ['{"a": }', 'Expected a value.'],
    ['{"a": 1.}', 'Invalid number.'],
    ['{"a": "\\u12"}', 'Invalid \\u escape in a string (four hexadecimal digits expected).'],
    ['{"a": "\\q"}', 'Invalid escape sequence in a string.'],
  ];
  for (const [text, message] of cases) {
    const doc = loadTemplate('bad.json', text);
    assert.ok(doc.problems.length > 0, text);
    assert.is(doc.problems[0].message, message, text);
  }
  // The containers left open at the end of the text after a mistake are not each a problem of their own; two
  // mistakes in two places are; a file cut short has its one problem at the end.
  assert.equal(loadTemplate('c.json', '{"resources": [{"a": 1,\n  ]\n').problems.map((p) => p.message), ['Expected a property name in double quotes.']);
  assert.equal(loadTemplate('c.json', '{"a": [1 2], "b": [3 4]}').problems.map((p) => [p.message, p.offset]), [['Expected a comma.', 9], ['Expected a comma.', 21]]);
  assert.equal(loadTemplate('c.json', '{"a": [1, 2]').problems.map((p) => p.message), ['Expected "}".']);
  // No message is a bare jsonc-parser code name (such as 'PropertyNameExpected.').
  for (const text of ['{"a" 1}', '{"a": [1 2]}', '{,}', '[1,,2]', '{"a": 1e}', '/* x', '{"a": -}', '{"a": "\\uZZZZ"}']) {
    for (const p of loadTemplate('bad.json', text).problems) assert.not.match(p.message, /^[A-Z][a-z]+[A-Z]\w*\.$/, `${text}: ${p.message}`);
  }
});

loader('deep nesting never throws', () => {
  const deep = `// comment forces the tolerant parser\n${'['.repeat(200_000)}${']'.repeat(200_000)}`;
  const doc = loadTemplate('deep.json', deep);
  assert.ok(doc.problems.length === 0 || /nested too deeply/.test(doc.problems[0].message));
  const d = expand(loadTemplate('deep2.json', `{"resources": [{"type": "A.B/c", "name": "n", "properties": {"x": ${'['.repeat(5000)}${']'.repeat(5000)}}}]}`));
  assert.ok(d.findings.some((f) => f.ruleId === 'limit-exceeded'));
});

loader('a top-level array or string loads, and expansion reports template-invalid', () => {
  for (const text of ['[1, 2]', '"hello"', '42', 'null']) {
    const doc = loadTemplate('x.json', text);
    assert.equal(doc.problems, [], text);
    const d = expand(doc);
    assert.equal(d.resources, []);
    assert.equal(
      d.findings.map((f) => [f.ruleId, f.at.pointer, f.message]),
      [['template-invalid', '', 'The file is not an ARM template: its top level must be an object.']],
      text,
    );
  }
  const broken = expand(loadTemplate('y.json', '{"resources": ['));
  assert.ok(broken.findings.every((f) => f.ruleId === 'template-invalid'));
  assert.ok(broken.findings.length > 0);
});

loader('__proto__ keys are own keys on both parsing paths and pollute nothing, through expansion too', () => {
  const body = '{"__proto__": {"polluted": true}, "a": {"__proto__": {"x": 1}, "constructor": {"prototype": {"polluted": true}}}}';
  for (const text of [body, `// jsonc\n${body}`]) {
    const doc = loadTemplate('p.json', text);
    assert.equal(doc.problems, []);
    const v = record(doc.value);
    assert.ok(Object.prototype.hasOwnProperty.call(v, '__proto__'));
    assert.equal(plain(getProp(v, '__proto__')), { polluted: true });
    assert.equal(plain(getProp(record(getProp(v, 'a')), '__proto__')), { x: 1 });
  }
  const template = `{
    "$schema": "${TEMPLATE_SCHEMA}",
    "parameters": {"__proto__": {"type": "object", "defaultValue": {"polluted": true}}},
    "variables": {"__proto__": {"polluted": true}, "constructor": "c"},
    "resources": [{"type": "Microsoft.Network/virtualNetworks", "name": "vnet1",
      "properties": {"__proto__": {"polluted": true}, "fromVariable": "[variables('__proto__')]", "ctor": "[variables('constructor')]",
                     "fromParameter": "[parameters('__proto__')]", "copy": [{"name": "__proto__", "count": 1, "input": {"polluted": true}}]}}]
  }`;
  const d = expand(loadTemplate('t.json', template));
  assert.equal(d.findings, []);
  const props = record(d.resources[0].properties);
  assert.ok(Object.prototype.hasOwnProperty.call(props, '__proto__'));
  assert.equal(plain(props.fromVariable), { polluted: true });
  assert.equal(plain(props.fromParameter), { polluted: true });
  assert.is(props.ctor, 'c');
  assert.is(({} as Record<string, unknown>).polluted, undefined);
  assert.is((Object.prototype as Record<string, unknown>).polluted, undefined);
  // Names of Object.prototype members are not variables or parameters unless declared.
  const missing = expand(loadTemplate('m.json', '{"resources": [{"type": "A.B/c", "name": "[variables(\'toString\')]"}]}'));
  assert.equal(missing.findings.map((f) => f.message), ["The template variable 'toString' is not found."]);
});

loader('range() points at the key of a property, and at the nearest existing ancestor for a generated place', () => {
  const text = '{\n  "resources": [\n    {"name": "vnet1", "properties": {}}\n  ]\n}';
  const doc = loadTemplate('r.json', text);
  const name = doc.range('/resources/0/name');
  assert.is(text.slice(name.offset, name.offset + name.length), '"name": "vnet1"');
  assert.equal(doc.lineColumn(name.offset), { line: 2, column: 5 });
  const generated = doc.range('/resources/0/properties/subnets/3/name');
  assert.is(text.slice(generated.offset, generated.offset + generated.length), '"properties": {}');
  assert.equal(doc.range(''), { offset: 0, length: text.length });
  assert.equal(loadTemplate('e.json', '').range('/a'), { offset: 0, length: 0 });
});

loader('lineColumn() counts LF, CRLF and CR line ends', () => {
  const doc = loadTemplate('l.json', '{\r\n"a": 1,\r"b": 2,\n"c": 3}');
  assert.equal(doc.lineColumn(0), { line: 0, column: 0 });
  assert.equal(doc.lineColumn(3), { line: 1, column: 0 });
  assert.equal(doc.lineColumn(11), { line: 2, column: 0 });
  assert.equal(doc.lineColumn(19), { line: 3, column: 0 });
});

loader('pointers escape "~" and "/" as RFC 6901 says', () => {
  assert.is(pointerJoin('/a', 'x/y~z'), '/a/x~1y~0z');
  assert.equal(pointerSegments('/a/x~1y~0z/0'), ['a', 'x/y~z', '0']);
  assert.equal(pointerSegments(''), []);
  const doc = loadTemplate('k.json', '{"x/y~z": {"b": 1}}');
  const r = doc.range(pointerJoin('', 'x/y~z'));
  assert.is(r.offset, 1);
});

loader('a key written twice is found where other keys are written with whitespace before their colon, which must not cancel it out', () => {
  // One key spaced (`"sku" :`) and one written twice with a string value: counting only `":` pairs found as many keys
  // in the text as in the parsed value, and the duplicate passed silently.
  const text = `{\n  "resources": [\n    {\n      "type": "Microsoft.Network/publicIPAddresses",\n      "name": "pip1",\n      "location": "northeurope",\n      "sku" : { "name": "Standard" },\n      "location": "westeurope"\n    }\n  ]\n}`;
  const doc = loadTemplate('t.json', text);
  assert.equal(doc.duplicates?.map((d) => [d.message, text.slice(d.offset, d.offset + d.length)]), [["The key 'location' is written twice in one object: Azure Resource Manager reads the last one and the other is ignored.", '"location"']]);
  assert.ok(doc.duplicates![0].offset > text.indexOf('westeurope') - 20);
  // Whitespace of every kind before a colon, and colons inside strings (escaped quotes, a string that starts with one), without a duplicate: none.
  const clean = '{ "a" :1, "b"\t:\n2, "c"\r\n: "x\\" : y", "d": " :z", "e\\\\": 3 }';
  assert.equal(loadTemplate('t.json', clean).duplicates ?? [], []);
  assert.equal(Object.keys(JSON.parse(clean) as object), ['a', 'b', 'c', 'd', 'e\\']);
});

loader.run();

const params = suite('parameter files');

function paramFile(parameters: string, schema = PARAMS_SCHEMA): ReturnType<typeof readParameterFile> {
  return readParameterFile(loadTemplate('main.parameters.json', `{"$schema": "${schema}", "contentVersion": "1.0.0.0", "parameters": ${parameters}}`));
}

params('isParameterFile() and isTemplate() go by $schema, case-insensitively', () => {
  assert.ok(isParameterFile({ $schema: PARAMS_SCHEMA }));
  assert.ok(isParameterFile({ $SCHEMA: PARAMS_SCHEMA.toUpperCase() }));
  assert.not.ok(isParameterFile({ $schema: TEMPLATE_SCHEMA }));
  assert.ok(isTemplate({ $schema: TEMPLATE_SCHEMA }));
  assert.ok(isTemplate({ $schema: 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#' }));
  assert.not.ok(isTemplate({ $schema: PARAMS_SCHEMA }));
  for (const v of [null, [], 'x', 1, {}]) {
    assert.not.ok(isParameterFile(v));
    assert.not.ok(isTemplate(v));
  }
});

params('values are read as written, expressions included (ARM does not evaluate a parameter file)', () => {
  const r = paramFile('{"name": {"value": "vnet1"}, "count": {"value": 3}, "tags": {"value": {"env": "prod"}}, "list": {"value": [1, "a"]}, "none": {"value": null}, "expr": {"value": "[concat(\'a\', \'b\')]"}}');
  assert.equal(r.findings, []);
  assert.equal(plain(r.values), { name: 'vnet1', count: 3, tags: { env: 'prod' }, list: [1, 'a'], none: null, expr: "[concat('a', 'b')]" });
});

params('a Key Vault reference is unknown with cause external, naming the secret', () => {
  const r = paramFile('{"password": {"reference": {"keyVault": {"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv"}, "secretName": "adminPassword"}}}');
  assert.equal(r.findings, []);
  const v = r.values.password;
  assert.instance(v, Unknown);
  assert.is((v as Unknown).cause, 'external');
  assert.match((v as Unknown).origin, /'adminPassword'/);
});

params('an entry without a value is unknown with cause parameter; an entry that is not an object is a finding', () => {
  const r = paramFile('{"empty": {}, "bad": "vnet1", "ok": {"value": 1}}');
  assert.is((r.values.empty as Unknown).cause, 'parameter');
  assert.not.ok('bad' in r.values);
  assert.is(r.values.ok, 1);
  assert.equal(
    r.findings.map((f) => [f.ruleId, f.at.file, f.at.pointer, f.message]),
    [['template-invalid', 'main.parameters.json', '/parameters/bad', "The parameter 'bad' must be an object with a 'value'."]],
  );
});

params('a file without a parameters object, or that does not parse, is template-invalid', () => {
  const none = readParameterFile(loadTemplate('p.json', `{"$schema": "${PARAMS_SCHEMA}"}`));
  assert.equal(none.values, Object.create(null));
  assert.equal(none.findings.map((f) => f.message), ["The parameter file has no 'parameters' object."]);
  const broken = readParameterFile(loadTemplate('p.json', '{"parameters": {"a": {"value": 1}'));
  assert.ok(broken.findings.length > 0);
  assert.ok(broken.findings.every((f) => f.ruleId === 'template-invalid' && f.at.file === 'p.json'));
  const notObject = readParameterFile(loadTemplate('p.json', '[1]'));
  assert.equal(notObject.findings.map((f) => f.message), ["The parameter file has no 'parameters' object."]);
});

params('a parameter file above 4 MB is one limit-exceeded finding, and its values are still read', () => {
  const big = `{"parameters": {"a": {"value": 1}, "pad": {"value": "${'x'.repeat(4 * 1024 * 1024)}"}}}`;
  const r = readParameterFile(loadTemplate('big.parameters.json', big));
  assert.equal(r.findings.map((f) => [f.ruleId, f.at.pointer, f.message]), [['limit-exceeded', '', `The parameter file is ${big.length} bytes; ARM accepts at most 4 MB.`]]);
  assert.is(r.values.a, 1);
  assert.equal(utf8Length('aé€😀'), 1 + 2 + 3 + 4);
});

params('parameter names keep their case and the values object has no prototype to pollute', () => {
  const r = paramFile('{"VnetName": {"value": "a"}, "__proto__": {"value": {"polluted": true}}}');
  assert.equal(Object.keys(r.values), ['VnetName', '__proto__']);
  // No Object.prototype anywhere in its prototype chain: nothing inherited, nothing a key can reach.
  assert.not.ok(r.values instanceof Object);
  assert.not.ok('toString' in r.values);
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

params('values from a parameter file reach the template case-insensitively; undeclared ones are findings', () => {
  const r = paramFile('{"VNETNAME": {"value": "from-file"}, "extra": {"value": 1}}');
  const doc = loadTemplate(
    'main.json',
    `{"$schema": "${TEMPLATE_SCHEMA}", "parameters": {"vnetName": {"type": "string", "defaultValue": "default"}},
      "resources": [{"type": "Microsoft.Network/virtualNetworks", "name": "[parameters('vnetName')]"}]}`,
  );
  const d = expand(doc, { parameters: r.values, parametersFile: 'main.parameters.json' });
  assert.equal(d.resources.map((x) => x.name), ['from-file']);
  assert.equal(
    d.findings.map((f) => [f.at.file, f.at.pointer, f.message]),
    [['main.parameters.json', '/parameters/extra', "The parameter file sets 'extra', which the template does not declare."]],
  );
});

params.run();
