// The fuzzer's arbitraries and invariants, shared by the short seeded run inside npm test (test/fuzz.test.ts) and
// the long run (bench/fuzz.ts, `npm run fuzz`): real templates mutated, and ARM expressions generated from the
// grammar with the function names of the registry. Test-only code: it reads files and may import anything.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { lintText } from '../../api/index.js';
import { corpusEntries } from '../../bench/corpus-files.js';
import { evaluateString, loadTemplate } from '../../engine/index.js';
import type { Value } from '../../engine/index.js';
import { FUNCTIONS } from '../../engine/expressions/functions/index.js';
import { ExpressionError, toJsonText } from '../../engine/expressions/value.js';
import { TableHost } from './expr-host.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The shared corpus of real templates, beside the repository when the machine has it. */
export const CORPUS = join(REPO, '..', 'shared', 'corpus');

// ---- seed templates ---------------------------------------------------------------------------------------------

type Path = readonly (string | number)[];

export interface SeedTemplate {
  /** Path relative to the repository (or the corpus folder), for counterexamples. */
  readonly name: string;
  readonly value: Record<string, unknown>;
}

export interface Seeds {
  readonly seeds: readonly SeedTemplate[];
  /** What was loaded or skipped, one line each, for the run's log. */
  readonly notes: readonly string[];
}

/** A template read as the engine reads it (comments, trailing commas and raw control characters in strings allowed). */
function readSeed(file: string, name: string): SeedTemplate | undefined {
  const doc = loadTemplate(name, readFileSync(file, 'utf8'));
  const value = doc.value;
  if (doc.problems.length || value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return { name, value: value as Record<string, unknown> };
}

/**
 * The templates to mutate: the bundled examples and fixtures (always present) and, with `corpus`, every template of
 * ../shared/corpus (skipped, with a note, when the folder is absent).
 */
export function loadSeeds(options: { corpus: boolean }): Seeds {
  const notes: string[] = [];
  const seeds: SeedTemplate[] = [];
  for (const dir of ['examples', 'fixtures']) {
    for (const e of corpusEntries(join(REPO, dir))) {
      const s = readSeed(e.template, relative(REPO, e.template));
      if (s) seeds.push(s);
    }
  }
  notes.push(`${seeds.length} bundled templates (examples/, fixtures/)`);
  if (options.corpus) {
    if (existsSync(CORPUS)) {
      const before = seeds.length;
      for (const e of corpusEntries(CORPUS)) {
        const s = readSeed(e.template, `corpus/${relative(CORPUS, e.template)}`);
        if (s) seeds.push(s);
      }
      notes.push(`${seeds.length - before} corpus templates (${CORPUS})`);
    } else notes.push(`corpus skipped: ${CORPUS} does not exist`);
  }
  return { seeds, notes };
}

/** Every node of a value, depth-first, as paths (at most `limit`: big corpus templates are sampled from the top). */
const nodeCache = new WeakMap<object, Path[]>();
function nodesOf(root: unknown, limit = 20_000): Path[] {
  if (root === null || typeof root !== 'object') return [[]];
  const hit = nodeCache.get(root);
  if (hit) return hit;
  const out: Path[] = [];
  const stack: { v: unknown; p: Path }[] = [{ v: root, p: [] }];
  while (stack.length && out.length < limit) {
    const { v, p } = stack.pop()!;
    out.push(p);
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], p: [...p, i] });
    else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) stack.push({ v: (v as Record<string, unknown>)[keys[i]], p: [...p, keys[i]] });
    }
  }
  nodeCache.set(root, out);
  return out;
}

function getAt(root: unknown, path: Path): unknown {
  let cur = root;
  for (const seg of path) cur = (cur as Record<string | number, unknown>)[seg];
  return cur;
}

/** A shallow copy that keeps `__proto__` an ordinary key (a null prototype: assignment never reaches Object.prototype). */
export function copyOf(v: unknown): unknown {
  if (Array.isArray(v)) return [...v];
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(v as object)) out[k] = (v as Record<string, unknown>)[k];
  return out;
}

/** `root` with the node at `path` replaced by `f(node)`, copying only the containers on the way. */
function editAt(root: unknown, path: Path, f: (node: unknown) => unknown): unknown {
  if (path.length === 0) return f(root);
  const out = copyOf(root) as Record<string | number, unknown>;
  out[path[0]] = editAt(out[path[0]], path.slice(1), f);
  return out;
}

// ---- ARM expressions from the grammar ---------------------------------------------------------------------------

/** Function names of the registry, plus names that must fail cleanly. */
export const FUNCTION_NAMES: readonly string[] = [...Object.keys(FUNCTIONS).sort(), 'listKeys', 'noSuchFunction', 'ns.fn', 'toString', 'constructor', '__proto__'];

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

const stringLiteral = fc
  .oneof(
    fc.constantFrom(
      '',
      'a',
      'abc',
      ' padded ',
      '__proto__',
      'constructor',
      'prototype',
      'polluted',
      "it's",
      '[',
      '[[x]',
      '{0}',
      '{0:N2}',
      '{1}{0}',
      '10.0.0.0/16',
      '10.0.0.4',
      '2023-01-01T00:00:00Z',
      'yyyy-MM-dd',
      'Microsoft.Network/virtualNetworks',
      'Microsoft.Network/virtualNetworks/subnets',
      '/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/publicIPAddresses/p',
      '{"a": 1, "__proto__": {"polluted": 1}}',
      '[1, [2, [3]]]',
      'true',
      'x'.repeat(200),
    ),
    fc.string({ maxLength: 12 }),
  )
  .map(quote);

const numberLiteral = fc.oneof(fc.integer({ min: -3, max: 12 }), fc.constantFrom(2147483647, 2147483648, -2147483649, 9007199254740993, 100000000)).map(String);

/** Leaves that read the evaluation host (TableHost has parameters s, n, a, o and variables v, deep). */
const hostLeaf = fc.constantFrom(
  "parameters('s')",
  "parameters('n')",
  "parameters('a')",
  "parameters('o')",
  "parameters('missing')",
  "variables('v')",
  "variables('deep')",
  "lambdaVariables('x')",
  'copyIndex()',
  'resourceGroup()',
  'subscription()',
  'deployment()',
  'utcNow()',
  'newGuid()',
);

const memberName = fc.constantFrom('a', 'name', 'id', 'value', 'length', 'properties', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty');
const indexText = fc.oneof(fc.constantFrom('0', '1', '-1', '1000000', "'a'", "'__proto__'", "'constructor'", "'length'"), numberLiteral);

/** An ARM expression (the text inside `[...]`): nested calls, literals, properties and indexes, up to `maxDepth` deep. */
export function expressionArb(maxDepth = 4): fc.Arbitrary<string> {
  const { expr } = fc.letrec<{ expr: string; call: string; access: string; lambda: string }>((tie) => ({
    expr: fc.oneof({ maxDepth, depthIdentifier: 'expr', withCrossShrink: true }, stringLiteral, numberLiteral, hostLeaf, tie('call'), tie('call'), tie('access'), tie('lambda')),
    // Mostly as many arguments as the registry says the function takes (so calls get past the count check), sometimes any.
    call: fc
      .tuple(fc.constantFrom(...FUNCTION_NAMES), fc.boolean())
      .chain(([name, fits]) => {
        const def = FUNCTIONS[name.toLowerCase()];
        const [min, max] = def && fits ? [def.min, Math.min(def.max, def.min + 2)] : [0, 4];
        return fc.array(tie('expr'), { minLength: min, maxLength: max }).map((args) => `${name}(${args.join(', ')})`);
      }),
    access: fc
      .tuple(tie('expr'), fc.oneof(memberName.map((m) => `.${m}`), indexText.map((i) => `[${i}]`)))
      .map(([e, a]) => `${e}${a}`),
    lambda: fc
      .tuple(fc.constantFrom('map', 'filter', 'sort', 'reduce', 'toObject', 'groupBy', 'mapValues'), tie('expr'), tie('expr'))
      .map(([fn, input, body]) => `${fn}(${input}, lambda('x', ${body}))`),
  }));
  return expr;
}

// ---- mutations of a template ------------------------------------------------------------------------------------

/** A value of some other type than the node it replaces, including prototype-pollution payloads. */
function wrongValueArb(expr: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 2147483648, 1e308, '', 'x', '[', ']', '[]', '[[x]', '[concat(', [], [null], {}),
    fc.constantFrom(
      () => JSON.parse('{"__proto__": {"polluted": "template"}, "a": 1}') as unknown,
      () => JSON.parse('{"constructor": {"prototype": {"polluted": "template"}}}') as unknown,
      () => JSON.parse('[{"__proto__": {"polluted": "array"}}]') as unknown,
    ).map((f) => f()),
    expr.map((e) => `[${e}]`),
  );
}

/**
 * Copy counts: small ones, bad types and expressions; with `huge`, also ARM's limit and one past it, and (rarely:
 * each costs seconds) counts past the safety caps.
 */
function countArb(huge: boolean): fc.Arbitrary<unknown> {
  const ordinary = fc.constantFrom<unknown>(0, 1, 2, 3, -1, 2.5, '3', 'x', null, true, [], "[parameters('missing')]", "[length(variables('nothing'))]", '[int(2)]', '[copyIndex()]');
  if (!huge) return ordinary;
  return fc.oneof({ arbitrary: ordinary, weight: 200 }, { arbitrary: fc.constantFrom<unknown>(800, 801), weight: 20 }, { arbitrary: fc.constantFrom<unknown>(5000, 1000000000), weight: 1 });
}

export type Mutation =
  | { readonly k: 'drop'; readonly at: number }
  | { readonly k: 'swap'; readonly at: number; readonly to: unknown }
  | { readonly k: 'rename'; readonly at: number; readonly to: string }
  | { readonly k: 'caseDup'; readonly at: number }
  | { readonly k: 'count'; readonly at: number; readonly to: unknown }
  | { readonly k: 'expr'; readonly at: number; readonly expr: string }
  /** An array element twice (the same resource, NIC or ipconfig declared again). */
  | { readonly k: 'dupElement'; readonly at: number }
  /** A subtree of another template in place of this node (a resource, a properties object, an id from elsewhere). */
  | { readonly k: 'graft'; readonly at: number; readonly from: number; readonly fromAt: number };

export type TextMutation =
  | { readonly k: 'truncate'; readonly at: number }
  | { readonly k: 'garbage'; readonly at: number; readonly text: string }
  | { readonly k: 'dupLine'; readonly at: number };

export interface TemplateCase {
  readonly seed: number;
  readonly mutations: readonly Mutation[];
  readonly text?: TextMutation;
  /** Parameter values passed as lintText's `parameters` object: `at` picks a parameter the seed declares (or __proto__, constructor). */
  readonly parameters?: readonly { readonly at: number; readonly value: unknown }[];
  /** Pass them as a parameter file's text (cut at `cut` when set) instead of an object. */
  readonly asFile?: { readonly cut?: number };
}

const garbageArb = fc.oneof(
  fc.constantFrom('\u0000', '\uFEFF', '\uD800', '{', '}', '[', ']', '"', ',', ':', '//', '/*', '\\', '\r', '\u2028', 'NaN', '"__proto__": {}', '"a": 1, "a": 2,'),
  fc.string({ maxLength: 8, unit: 'binary' }),
);

export function templateCaseArb(seedCount: number, options: { hugeCounts?: boolean } = {}): fc.Arbitrary<TemplateCase> {
  const expr = expressionArb(3);
  const at = fc.nat();
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    at.map((a) => ({ k: 'drop' as const, at: a })),
    fc.record({ k: fc.constant('swap' as const), at, to: wrongValueArb(expr) }),
    fc.record({ k: fc.constant('rename' as const), at, to: fc.constantFrom('__proto__', 'constructor', 'prototype', '', '[concat(1)]', "[parameters('missing')]", 'PROPERTIES', 'copy', 'resources') }),
    at.map((a) => ({ k: 'caseDup' as const, at: a })),
    fc.record({ k: fc.constant('count' as const), at, to: countArb(options.hugeCounts === true) }),
    fc.record({ k: fc.constant('expr' as const), at, expr }),
    at.map((a) => ({ k: 'dupElement' as const, at: a })),
    fc.record({ k: fc.constant('graft' as const), at, from: fc.nat(), fromAt: fc.nat() }),
  );
  const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
    at.map((a) => ({ k: 'truncate' as const, at: a })),
    fc.record({ k: fc.constant('garbage' as const), at, text: garbageArb }),
    at.map((a) => ({ k: 'dupLine' as const, at: a })),
  );
  const parameters = fc.array(fc.record({ at: fc.nat(), value: wrongValueArb(expr) }), { minLength: 1, maxLength: 3 });
  return fc.record({
    seed: fc.nat({ max: Math.max(0, seedCount - 1) }),
    mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
    text: fc.option(textMutation, { freq: 4, nil: undefined }),
    parameters: fc.option(parameters, { freq: 4, nil: undefined }),
    asFile: fc.option(fc.record({ cut: fc.option(fc.nat(), { freq: 3, nil: undefined }) }), { freq: 2, nil: undefined }),
  });
}

function applyMutation(root: unknown, m: Mutation, seeds: readonly SeedTemplate[]): unknown {
  const nodes = nodesOf(root);
  const path = nodes[m.at % nodes.length];
  switch (m.k) {
    case 'dupElement': {
      // The nearest array on the path gets its element there twice.
      const i = path.findLastIndex((seg) => typeof seg === 'number');
      if (i < 0) return root;
      return editAt(root, path.slice(0, i), (arr) => {
        const out = [...(arr as unknown[])];
        out.splice(path[i] as number, 0, out[path[i] as number]);
        return out;
      });
    }
    case 'graft': {
      const donor = seeds[m.from % seeds.length].value;
      const donorNodes = nodesOf(donor);
      return editAt(root, path, () => getAt(donor, donorNodes[m.fromAt % donorNodes.length]));
    }
    case 'drop':
      if (path.length === 0) return root;
      return editAt(root, path.slice(0, -1), (parent) => {
        const out = copyOf(parent) as Record<string | number, unknown>;
        if (Array.isArray(out)) out.splice(path[path.length - 1] as number, 1);
        else delete out[path[path.length - 1]];
        return out;
      });
    case 'swap':
      return editAt(root, path, () => m.to);
    case 'expr':
      return editAt(root, path, (node) => (typeof node === 'string' || node === null || typeof node !== 'object' ? `[${m.expr}]` : node));
    case 'rename':
    case 'caseDup': {
      const key = path[path.length - 1];
      if (typeof key !== 'string') return root;
      return editAt(root, path.slice(0, -1), (parent) => {
        const out = copyOf(parent) as Record<string, unknown>;
        const value = out[key];
        const other = m.k === 'rename' ? m.to : key === key.toUpperCase() ? key.toLowerCase() : key.toUpperCase();
        if (m.k === 'rename') delete out[key];
        out[other] = value;
        return out;
      });
    }
    case 'count': {
      // The nearest object on the path gets a copy loop (or its existing one a new count).
      const node = getAt(root, path);
      const target = node !== null && typeof node === 'object' && !Array.isArray(node) ? path : path.slice(0, -1);
      return editAt(root, target, (obj) => {
        if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return obj;
        const out = copyOf(obj) as Record<string, unknown>;
        const copy = out.copy;
        if (Array.isArray(copy) && copy.length > 0 && copy[0] !== null && typeof copy[0] === 'object') {
          const first = copyOf(copy[0]) as Record<string, unknown>;
          first.count = m.to;
          out.copy = [first, ...copy.slice(1)];
        } else out.copy = { name: 'fuzz', count: m.to };
        return out;
      });
    }
  }
}

function applyText(text: string, m: TextMutation): string {
  switch (m.k) {
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'garbage': {
      const i = m.at % (text.length + 1);
      return text.slice(0, i) + m.text + text.slice(i);
    }
    case 'dupLine': {
      const lines = text.split('\n');
      const i = m.at % lines.length;
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
  }
}

/** The parameter values of a case, by the names its seed template declares (a prototype-less object: keys stay keys). */
export function caseParameters(seeds: readonly SeedTemplate[], c: TemplateCase): Record<string, unknown> | string | undefined {
  if (!c.parameters) return undefined;
  const declared = seeds[c.seed % seeds.length].value.parameters;
  const names = [...(declared !== null && typeof declared === 'object' ? Object.keys(declared) : []), '__proto__', 'constructor'];
  const out = Object.create(null) as Record<string, unknown>;
  for (const p of c.parameters) out[names[p.at % names.length]] = p.value;
  if (!c.asFile) return out;
  const entries = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(out)) entries[k] = { value: out[k] };
  const text = JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', contentVersion: '1.0.0.0', parameters: entries }, null, 2);
  return c.asFile.cut === undefined ? text : text.slice(0, c.asFile.cut % (text.length + 1));
}

/** The template text of a case: its seed with the value mutations, serialised, then the text mutation. */
export function caseText(seeds: readonly SeedTemplate[], c: TemplateCase): string {
  let value: unknown = seeds[c.seed % seeds.length].value;
  for (const m of c.mutations) value = applyMutation(value, m, seeds);
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return c.text ? applyText(text, c.text) : text;
}

// ---- invariants -------------------------------------------------------------------------------------------------

/** Words that mean an exception escaped into output instead of becoming a finding. */
const CRASH_TEXT = /internal error|TypeError|ReferenceError|RangeError|Maximum call stack|\n {4}at /;

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).join(',');
const ARRAY_PROTO_NAMES = Object.getOwnPropertyNames(Array.prototype).join(',');

/** Throws when a payload reached Object.prototype or Array.prototype. */
export function assertNoPollution(what: string): void {
  const probe = {} as Record<string, unknown>;
  if (probe.polluted !== undefined || Object.getOwnPropertyNames(Object.prototype).join(',') !== PROTO_NAMES || Object.getOwnPropertyNames(Array.prototype).join(',') !== ARRAY_PROTO_NAMES)
    throw new Error(`${what} changed Object.prototype or Array.prototype.`);
}

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

/**
 * The invariants for one template: lintText neither throws nor prints crash text, finishes within `boundMs`, gives
 * byte-identical JSON twice, reports a template-invalid error when the text cannot be read as a template object,
 * and leaves the prototypes alone. Throws an Error naming the broken invariant; returns the slower run's time.
 */
export function checkTemplate(text: string, boundMs: number, parameters?: Readonly<Record<string, unknown>> | string): number {
  let slowest = 0;
  const run = (): string => {
    let out: { value: string; ms: number };
    try {
      out = timed(() => JSON.stringify(lintText(text, { file: 'fuzz.json', ...(parameters ? { parameters } : {}) })));
    } catch (e) {
      throw new Error(`lintText threw ${(e as Error).stack ?? String(e)}`);
    }
    if (out.ms > boundMs) throw new Error(`lintText took ${out.ms.toFixed(0)} ms (bound ${boundMs} ms).`);
    slowest = Math.max(slowest, out.ms);
    return out.value;
  };
  const first = run();
  assertNoPollution('lintText');
  const second = run();
  if (first !== second) throw new Error('Two runs on the same input gave different JSON reports.');
  if (CRASH_TEXT.test(first)) throw new Error(`The report holds crash text: ${CRASH_TEXT.exec(first)![0]}.`);
  const doc = loadTemplate('fuzz.json', text);
  const value = doc.value;
  if (doc.problems.length > 0 || value === null || typeof value !== 'object' || Array.isArray(value)) {
    const report = JSON.parse(first) as { findings: { ruleId: string; severity: string }[] };
    if (!report.findings.some((f) => f.ruleId === 'template-invalid' && f.severity === 'error')) throw new Error('A text that is not a template object gave no template-invalid error.');
  }
  return slowest;
}

/** Parameters and variables the generated expressions read (TableHost: case-insensitive, null-prototype safe). */
function host(): TableHost {
  const o = JSON.parse('{"a": 1, "name": "n", "__proto__": {"polluted": "parameter"}, "properties": {"id": "x"}}') as Record<string, Value>;
  let deep: Value = 'bottom';
  for (let i = 0; i < 40; i++) deep = [deep];
  return new TableHost({ s: 'abc', n: 3, a: [1, 'two', [3]], o }, { v: 'variable', deep });
}

/**
 * The invariants for one expression: evaluation ends in a value or an ExpressionError (nothing else escapes), within
 * `boundMs`, with the same serialised result twice, and without touching the prototypes. Returns the slower run's time.
 */
export function checkExpression(expr: string, boundMs: number): number {
  let slowest = 0;
  const run = (): string => {
    let out: { value: string; ms: number };
    try {
      out = timed(() => {
        try {
          return toJsonText(evaluateString(`[${expr}]`, host()) ?? null) ?? 'undefined';
        } catch (e) {
          if (e instanceof ExpressionError) return `error: ${e.message}`;
          throw e;
        }
      });
    } catch (e) {
      throw new Error(`evaluate threw ${(e as Error).stack ?? String(e)}`);
    }
    if (out.ms > boundMs) throw new Error(`evaluate took ${out.ms.toFixed(0)} ms (bound ${boundMs} ms).`);
    slowest = Math.max(slowest, out.ms);
    return out.value;
  };
  const first = run();
  assertNoPollution('evaluate');
  // utcNow() and newGuid() are unknowns outside parameter defaults, so even they must repeat.
  if (run() !== first) throw new Error('Two evaluations of the same expression differ.');
  return slowest;
}

export interface PropertyOptions {
  readonly boundMs: number;
  readonly hugeCounts?: boolean;
  /** Told the slower run's time of every case that passed, and the case (the long run reports the slowest). */
  readonly observe?: (kind: 'templates' | 'expressions', ms: number, input: TemplateCase | string) => void;
}

/** One property over mutated templates and one over generated expressions, for fc.check / fc.assert. */
export function properties(seeds: readonly SeedTemplate[], options: PropertyOptions) {
  return {
    templates: fc.property(templateCaseArb(seeds.length, options), (c) => {
      options.observe?.('templates', checkTemplate(caseText(seeds, c), options.boundMs, caseParameters(seeds, c)), c);
    }),
    expressions: fc.property(expressionArb(5), (e) => {
      options.observe?.('expressions', checkExpression(e, options.boundMs), e);
    }),
  };
}
