// Table-driven tests of every ARM template function: fixtures/expressions/<family>.json, one row per case.
import { readFileSync, readdirSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkString, checkTree, evaluateString } from '../engine/expressions/evaluator.js';
import type { CheckHost } from '../engine/expressions/evaluator.js';
import { loadSeeds } from './harness/fuzz.js';
import { parseTemplateString, placeDependentCall, simpleReference, simpleReferenceName } from '../engine/expressions/ast.js';
import type { Expr } from '../engine/expressions/ast.js';
import { expand } from '../engine/expansion/expand.js';
import { literalReferences } from '../engine/expansion/variable-graph.js';
import { loadTemplate } from '../engine/template/template.js';
import { FUNCTIONS } from '../engine/expressions/functions/index.js';
import { DEFAULT_SCOPE } from '../engine/expressions/scope.js';
import type { Value } from '../engine/expressions/value.js';
import { ExpressionError, Unknown, isObject } from '../engine/expressions/value.js';
import { TableHost } from './harness/expr-host.js';
import { placeholder, showPlaceholdersIn } from '../engine/expressions/placeholder.js';

interface Row {
  expr: string;
  params?: Record<string, Value>;
  vars?: Record<string, Value>;
  scope?: Record<string, string>;
  copyIndex?: number;
  inParameterDefault?: boolean;
  /** Parameters with no value that are strings: each is the placeholder of its name. */
  placeholders?: string[];
  /** Parameters with no value of another type: each an Unknown labelled with its name. */
  labelled?: string[];
  value?: Value;
  unknown?: string;
  error?: string;
  note?: string;
}

const dir = new URL('../fixtures/expressions/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const seen = new Set<string>();

/** Plain JSON view of a value: Unknown → {"$unknown": cause}, null-prototype objects → ordinary objects. */
function plain(v: Value): unknown {
  if (v instanceof Unknown) return { $unknown: v.cause };
  // A walk, not a JSON.stringify replacer: Unknown.toJSON() runs before a replacer sees the value.
  if (Array.isArray(v)) return v.map(plain);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).map((k) => [k, plain(v[k])]));
  return v;
}

for (const file of files) {
  const rows = (JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { rows: Row[] }).rows;
  const s = suite(`expressions/${file}`);
  rows.forEach((row, i) => {
    for (const m of row.expr.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)) seen.add(m[1].toLowerCase());
    s(`${i}: ${row.expr}`, () => {
      const params: Record<string, Value> = { ...row.params };
      for (const p of row.placeholders ?? []) params[p] = placeholder(p);
      for (const p of row.labelled ?? []) params[p] = new Unknown('parameter', `parameter '${p}' has no value`, undefined, undefined, p);
      const host = new TableHost(params, row.vars, { ...DEFAULT_SCOPE, ...row.scope }, row.copyIndex, row.inParameterDefault);
      let got: Value;
      try {
        got = evaluateString(row.expr, host);
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        const want = row.error;
        if (want === undefined) return assert.unreachable(`unexpected error: ${e.message}`);
        if (want.startsWith('/')) assert.match(e.message, new RegExp(want.slice(1, -1)));
        else assert.is(e.message, want);
        return;
      }
      if (row.error !== undefined) assert.unreachable(`expected an error matching ${row.error}, got ${JSON.stringify(plain(got))}`);
      if (row.unknown !== undefined) {
        assert.instance(got, Unknown, `expected an unknown (${row.unknown})`);
        assert.is((got as Unknown).cause, row.unknown);
        return;
      }
      // Placeholders as outputs show them: `{name}`.
      assert.equal(showPlaceholdersIn(plain(got)), row.value);
    });
  });
  s.run();
}

const coverage = suite('expressions/coverage');

let seedStrings: readonly string[] | undefined;
/**
 * Every string that starts with '[' among the keys and values of the bundled examples and fixtures, and of the corpus
 * when ../shared is present: read once for the tests below that hold two ways of reading expressions to each other.
 */
function seedExpressions(): readonly string[] {
  if (seedStrings === undefined) {
    const out = new Set<string>();
    const collect = (v: unknown): void => {
      if (typeof v === 'string') {
        if (v.startsWith('[')) out.add(v);
      } else if (Array.isArray(v)) v.forEach(collect);
      else if (v !== null && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          if (k.startsWith('[')) out.add(k);
          collect(x);
        }
    };
    for (const seed of loadSeeds({ corpus: true }).seeds) collect(seed.value);
    seedStrings = [...out];
  }
  return seedStrings;
}
coverage('every registered function has at least one table row', () => {
  const missing = Object.keys(FUNCTIONS).filter((f) => !seen.has(f));
  assert.equal(missing, [], `functions without a row: ${missing.join(', ')}`);
});

// Every function Microsoft documents (peers-and-functions.md §3.1 and the newer table) must be registered.
const DOCUMENTED = `array concat contains createArray empty first indexOf intersection last lastIndexOf length max min range skip take union
parseCidr cidrSubnet cidrHost coalesce equals greater greaterOrEquals less lessOrEquals dateTimeAdd dateTimeFromEpoch dateTimeToEpoch utcNow
deployment environment parameters variables filter map reduce sort toObject and bool false if not or true add copyIndex div float int mod mul sub
createObject items json null extensionResourceId listKeys listSecrets listAccountSas pickZones providers reference references resourceId
subscriptionResourceId tenantResourceId managementGroup resourceGroup subscription tenant base64 base64ToJson base64ToString dataUri
dataUriToString endsWith format guid join newGuid padLeft replace split startsWith string substring toLower toUpper trim uniqueString uri
uriComponent uriComponentToString managementGroupResourceId flatten tryGet lambda lambdaVariables objectKeys shallowMerge groupBy mapValues
deployer listOutputsWithSecureValues toLogicalZone toPhysicalZone indexFromEnd tryIndexFromEnd`.split(/\s+/);

coverage('every documented ARM function is registered', async () => {
  const { lookupFunction } = await import('../engine/expressions/functions/index.js');
  const missing = DOCUMENTED.filter((f) => !lookupFunction(f.toLowerCase()));
  assert.equal(missing, [], `documented functions missing from the registry: ${missing.join(', ')}`);
});
coverage('the parse cache keeps a tree only when asked to, and an uncached parse gives the same tree and errors', () => {
  const text = "[concat(parameters('a'), '-', copyIndex())]";
  assert.is(parseTemplateString(text), parseTemplateString(text), 'cached: the same tree twice');
  const fresh = parseTemplateString(text, false);
  assert.is.not(fresh, parseTemplateString(text, false), 'uncached: a new tree each time');
  assert.equal(fresh, parseTemplateString(text));
  for (const cache of [true, false]) {
    assert.throws(() => parseTemplateString("[concat('a']", cache), /Expected ',' or '\)'/);
    assert.equal(parseTemplateString('[[literal]', cache), { literal: '[literal]' });
  }
});
coverage('the check without a syntax tree accepts and rejects exactly what the check of the parsed tree does', () => {
  // Names with an even length are declared; ns.f takes one argument: both answers of every check get exercised.
  const host: CheckHost = {
    declares: (_kind, name) => name.length % 2 === 0,
    userFunction: (name) => (name === 'ns.f' ? { params: ['x'], output: null } : undefined),
  };
  const crafted = [
    "[parameters('ab')]", "[parameters('abc')]", "[variables('x''y')]", "[variables('x''yz')]", "[parameters('ab', 'c')]",
    "[parameters(concat('a'))]", "[parameters('abc').x]", "[parameters('abc')[0]]", "[parameters('ab').x[parameters('abc')]]",
    "[ns.f(1)]", "[ns.f(1, 2)]", "[ns.g(1)]", "[nope()]", "[concat()]", "[concat('a', 'b')]", "[if(true, 1)]",
    "[concat('a'", "[concat('a')", "[concat('a']", "[concat('a'))]", "[concat('a').]", "[concat('a')['b']]", "[ concat ( 'a' , 1.5 , -2 ) ]",
    "[createObject('a', 1).a]", "[json('{}').x.y]", "[string(parameters('abcd'))]", "[string(variables('odd'))]", "['a''b']", '[1]',
    "[[not an expression]", 'plain', "[parameters('ab')]]", '[]', "[resourceGroup().location]", "[map(range(0, 2), x => x)]",
  ];
  const strings = new Set([...crafted, ...seedExpressions()]);
  const outcome = (s: string, check: typeof checkString): string => {
    try {
      check(s, host);
      return 'ok';
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      return e.message;
    }
  };
  const differ = [...strings].filter((s) => outcome(s, checkString) !== outcome(s, checkTree));
  assert.equal(differ, [], `${differ.length} of ${strings.size} strings`);
  assert.ok(strings.size > crafted.length);
});

coverage('[parameters(\'x\')] and [variables(\'x\')] are recognised without the parser exactly when the parser reads them so', () => {
  const yes: [string, 'parameter' | 'variable', string][] = [
    ["[parameters('location')]", 'parameter', 'location'],
    ["[PARAMETERS('a b')]", 'parameter', 'a b'],
    ["[Variables('x)]')]", 'variable', 'x)]'],
    ["[variables('')]", 'variable', ''],
  ];
  for (const [s, kind, name] of yes) {
    assert.is(simpleReference(s), kind, s);
    assert.is(simpleReferenceName(s, kind), name, s);
  }
  const no = ["[parameters('a''b')]", "[parameters( 'a')]", "[parameters('a') ]", "[parameters('a').b]", "[parameters('a')[0]]", "[parametersx('a')]",
    "[paramete('a')]", "[[parameters('a')]", "[parameters(\b'a')]", "[parameters('a', 'b')]", "[concat(parameters('a'))]", "[variables(1)]", "parameters('a')", "[varIables('a'"];
  for (const s of no) assert.is(simpleReference(s), undefined, s);
  // Against the parser, on every expression of the examples, fixtures and corpus.
  const strings = new Set<string>([...yes.map((y) => y[0]), ...no, ...seedExpressions()]);
  let simple = 0;
  for (const s of strings) {
    let expr: Expr | undefined;
    try {
      const parsed = parseTemplateString(s, false);
      if ('expr' in parsed) expr = parsed.expr;
    } catch {
      // not an expression the parser reads
    }
    const plain = expr?.k === 'call' && (expr.name === 'parameters' || expr.name === 'variables') && expr.args.length === 1 && expr.args[0].k === 'str';
    const kind = simpleReference(s);
    if (kind === undefined) continue;
    simple++;
    assert.ok(plain, `${s} is not a plain reference for the parser`);
    if (expr?.k === 'call' && expr.args[0].k === 'str') {
      assert.is(kind, expr.name === 'parameters' ? 'parameter' : 'variable', s);
      assert.is(simpleReferenceName(s, kind), expr.args[0].v, s);
    }
  }
  assert.ok(simple > 10, `${simple} simple references`);
});

coverage('variables(\'x\') calls are found without the parser exactly where the parser finds them', () => {
  const crafted = [
    "[concat('variables(''x'')', variables('y'))]", "[lambdaVariables('x')]", "[ns.variables('x')]", "[variables ('x')]", "[VARIABLES( 'x' ).y]",
    "[variables(concat('a'))]", "[variables('a', 'b')]", "[concat(variables('a'), '''', variables('b'))]", "[format('{0}', 'variables(''')]",
    "[if(true(), variables('a'), variables('A'))]", "[variables('x')[variables('i')]]", "[myvariables('x')]", "[variables(\n'x'\t)]",
  ];
  const treeNames = (e: Expr, out: string[]): string[] => {
    if (e.k === 'call') {
      if (e.name === 'variables' && e.args.length === 1 && e.args[0].k === 'str') out.push(String(e.args[0].v));
      for (const a of e.args) treeNames(a, out);
    } else if (e.k === 'prop') treeNames(e.obj, out);
    else if (e.k === 'idx') {
      treeNames(e.obj, out);
      treeNames(e.index, out);
    }
    return out;
  };
  let found = 0;
  const differ: string[] = [];
  for (const s of new Set([...crafted, ...seedExpressions()])) {
    let expr: Expr | undefined;
    try {
      const parsed = parseTemplateString(s, false);
      if ('expr' in parsed) expr = parsed.expr;
    } catch {
      continue;
    }
    if (expr === undefined) continue;
    const want = treeNames(expr, []).sort();
    const got = [...(literalReferences(s, undefined) ?? [])].sort();
    found += got.length;
    if (JSON.stringify(want) !== JSON.stringify(got)) differ.push(`${s}: ${JSON.stringify(got)}, the parser ${JSON.stringify(want)}`);
  }
  assert.equal(differ, []);
  assert.ok(found > 20, `${found} references`);
});

coverage('a simple reference evaluates as the evaluator does it, errors included', () => {
  const template = (pad: string) =>
    JSON.stringify({
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      parameters: { p: { type: 'string', defaultValue: "[concat('a', 'b')]" }, q: { type: 'string', defaultValue: `[${pad}parameters('q')${pad}]` } },
      variables: { v: `[${pad}parameters('p')${pad}]`, loop: `[${pad}variables('loop')${pad}]`, w: `[${pad}Variables('v')${pad}]` },
      resources: [],
      outputs: Object.fromEntries(
        ["parameters('p')", "variables('w')", "parameters('missing')", "variables('loop')", "variables('nope')", "parameters('q')"].map((e, i) => [`o${i}`, { type: 'string', value: `[${pad}${e}${pad}]` }]),
      ),
    });
  // Padded with spaces, each reference goes through the parser and the evaluator: the same values and findings.
  const fast = expand(loadTemplate('t.json', template('')));
  const parsed = expand(loadTemplate('t.json', template(' ')));
  assert.ok(simpleReference("[parameters('p')]") !== undefined && simpleReference("[ parameters('p') ]") === undefined);
  assert.equal(JSON.parse(JSON.stringify(fast.outputs)), JSON.parse(JSON.stringify(parsed.outputs)));
  const findings = (d: typeof fast) => d.findings.map((f) => `${f.ruleId} ${f.at.pointer} ${f.message}`);
  assert.equal(findings(fast), findings(parsed));
  assert.is((fast.outputs.o1 as Record<string, unknown>).value, 'ab');
  assert.ok(findings(fast).some((m) => m.includes("/outputs/o2/value The template parameter 'missing' is not found.")), findings(fast).join('\n'));
  assert.ok(findings(fast).some((m) => m.includes('cycle')), findings(fast).join('\n'));
  assert.is(fast.stats.evaluated, parsed.stats.evaluated);
});

/**
 * The definition Parsed.fixed must meet, as a walk of the tree: an expression has one value everywhere in a template
 * instance when it calls only functions of its parameters, variables, scope and literals.
 */
function isPlaceIndependent(e: Expr): boolean {
  switch (e.k) {
    case 'str':
    case 'num':
      return true;
    case 'prop':
      return isPlaceIndependent(e.obj);
    case 'idx':
      return isPlaceIndependent(e.obj) && isPlaceIndependent(e.index);
    case 'call':
      return !placeDependentCall(e.name) && e.args.every(isPlaceIndependent);
  }
}

coverage('the parser tells place-independent expressions as the tree walk does, on the same strings', () => {
  const crafted = ["[copyIndex()]", "[concat('a', copyIndex(1))]", "[listKeys('x', '1').keys[0]]", "[ns.f(1)]", "[reference('a').b]", "[utcNow()]", "[parameters('a')[variables('b')]]", "[createObject('list', 1).list]", "[resourceId('a/b', 'c')]", "[deployment().name]"];
  const strings = new Set([...crafted, ...seedExpressions()]);
  let fixed = 0;
  let dependent = 0;
  for (const s of strings) {
    let parsed;
    try {
      parsed = parseTemplateString(s, false);
    } catch {
      continue;
    }
    if (!('expr' in parsed)) continue;
    assert.is(parsed.fixed, isPlaceIndependent(parsed.expr), s);
    if (parsed.fixed) fixed++;
    else dependent++;
  }
  assert.ok(fixed > 5 && dependent > 5, `${fixed} fixed, ${dependent} place-dependent`);
});

coverage.run();
