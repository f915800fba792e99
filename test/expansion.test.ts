// Runs every fixtures/expansion/<feature>/main.json through the expansion stage and checks the answer kept in its
// root metadata.fixture block: resources (exact ordered list), outputs, unresolved deployments, findings (exact set).
import { showPlaceholders } from '../engine/expressions/placeholder.js';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileLinkResolver } from '../api/files.js';
import { expand } from '../engine/expansion/expand.js';
import { readParameterFile } from '../engine/expansion/parameters.js';
import type { Limits, SafetyCaps } from '../engine/expansion/types.js';
import type { Scope } from '../engine/expressions/scope.js';
import type { Value } from '../engine/expressions/value.js';
import { Lambda, Unknown, getProp, isObject } from '../engine/expressions/value.js';
import type { RawFinding } from '../engine/template/finding.js';
import { loadTemplate, pointerSegments } from '../engine/template/template.js';

interface ExpectedResource {
  name: string;
  type: string;
  id?: string;
  condition?: 'maybe';
  existing?: true;
  deployments?: string[];
  properties?: unknown;
}

interface ExpectedFinding {
  rule: string;
  at: string;
  file?: string;
  message?: string;
}

interface FixtureBlock {
  case: string;
  parameters?: Record<string, Value>;
  scope?: Partial<Scope>;
  limits?: Partial<Limits>;
  caps?: Partial<SafetyCaps>;
  resources: ExpectedResource[];
  outputs?: Record<string, unknown>;
  unresolved?: string[];
  findings: ExpectedFinding[];
}

const ROOT = new URL('../fixtures/expansion/', import.meta.url).pathname;
const MAIN = 'main.json';
const PARAMS = 'main.parameters.json';

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
const validateBlock = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'fixture.schema.json'), 'utf8')) as object);

/** A plain-JSON view of a value (ordinary objects, Unknown as {"$unknown": cause}), for deep comparison and diffs. */
function plain(v: Value | undefined): unknown {
  if (v === undefined) return '<missing>';
  if (v instanceof Unknown) return { $unknown: v.cause };
  if (v instanceof Lambda) return '<lambda>';
  // A placeholder (a value known only at deployment that names things) as outputs show it: `{name}`.
  if (typeof v === 'string') return showPlaceholders(v);
  if (Array.isArray(v)) return v.map((x: Value) => plain(x));
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = plain(v[k]);
    return out;
  }
  return v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The actual value cut to the shape of the expected one: only the object keys the fixture names (looked up
 * case-insensitively, as ARM does), arrays element by element with their real length. Comparing the result
 * with the expected value gives a readable diff.
 */
function project(actual: Value | undefined, expected: unknown): unknown {
  if (actual === undefined) return '<missing>';
  if (actual instanceof Unknown || (isRecord(expected) && '$unknown' in expected)) return plain(actual);
  if (Array.isArray(expected) && Array.isArray(actual))
    return actual.map((a: Value, i: number) => (i < expected.length ? project(a, expected[i]) : plain(a)));
  if (isRecord(expected) && isObject(actual)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(expected)) out[k] = project(getProp(actual, k), expected[k]);
    return out;
  }
  return plain(actual);
}

/** True when an RFC 6901 pointer names an existing place in a parsed document. */
function resolves(doc: unknown, pointer: string): boolean {
  let node = doc;
  for (const seg of pointerSegments(pointer)) {
    if (Array.isArray(node) && /^\d+$/.test(seg) && Number(seg) < node.length) node = node[Number(seg)];
    else if (isRecord(node) && Object.prototype.hasOwnProperty.call(node, seg)) node = node[seg];
    else return false;
  }
  return true;
}

function matchesMessage(actual: string, want: string): boolean {
  return want.length > 1 && want.startsWith('/') && want.endsWith('/') ? new RegExp(want.slice(1, -1)).test(actual) : actual === want;
}

function findingKey(f: { rule: string; at: string; file?: string }): string {
  return `${f.file ?? MAIN}\u0000${f.at}\u0000${f.rule}`;
}

const folders = readdirSync(ROOT)
  .filter((f) => statSync(join(ROOT, f)).isDirectory())
  .sort();

const expansion = suite('expansion');

for (const folder of folders) {
  expansion(folder, () => {
    const dir = join(ROOT, folder);
    const doc = loadTemplate(MAIN, readFileSync(join(dir, MAIN), 'utf8'));
    assert.equal(doc.problems, [], `${folder}/${MAIN} does not parse`);
    const metadata = isRecord(doc.value) ? getProp(doc.value as never, 'metadata') : undefined;
    const rawBlock = isObject(metadata) ? getProp(metadata, 'fixture') : undefined;
    const block = JSON.parse(JSON.stringify(rawBlock ?? null)) as FixtureBlock;
    if (!validateBlock(block)) assert.unreachable(`${folder}: metadata.fixture is invalid: ${ajv.errorsText(validateBlock.errors)}`);
    const keys = Object.keys(doc.value as object);
    assert.is(keys.indexOf('metadata'), keys.indexOf('contentVersion') + 1, `${folder}: metadata must come right after contentVersion`);

    // Parameters: a sibling parameter file takes precedence over inline values (style.md §d.7).
    let parameters: Record<string, Value> | undefined = block.parameters;
    let parametersFile: string | undefined;
    const paramFindings: RawFinding[] = [];
    if (existsSync(join(dir, PARAMS))) {
      const read = readParameterFile(loadTemplate(PARAMS, readFileSync(join(dir, PARAMS), 'utf8')));
      parameters = read.values;
      parametersFile = PARAMS;
      paramFindings.push(...read.findings);
    }
    const d = expand(doc, {
      parameters,
      parametersFile,
      links: fileLinkResolver(dir, { root: dir, git: false }),
      limits: block.limits,
      caps: block.caps,
      scope: block.scope,
    });

    // Resources: the exact ordered list; ids, conditions, flags and properties where the fixture gives them.
    const actualResources = d.resources.map((r, i) => {
      const want: ExpectedResource | undefined = block.resources[i];
      const out: Record<string, unknown> = { name: showPlaceholders(r.name), type: r.type };
      if (want?.id !== undefined) out.id = showPlaceholders(r.id);
      if (r.condition instanceof Unknown) out.condition = 'maybe';
      if (r.existing) out.existing = true;
      if (want?.deployments !== undefined) out.deployments = [...r.deployments];
      if (want?.properties !== undefined) out.properties = project(r.properties, want.properties);
      return out;
    });
    assert.equal(actualResources, block.resources, `${folder}: resources differ`);

    if (block.outputs) {
      const actualOutputs: Record<string, unknown> = {};
      for (const k of Object.keys(block.outputs)) {
        const entry = getProp(d.outputs, k);
        actualOutputs[k] = isObject(entry) ? project(getProp(entry, 'value'), block.outputs[k]) : '<missing>';
      }
      assert.equal(actualOutputs, block.outputs, `${folder}: outputs differ`);
    }

    assert.equal(d.unresolved.map((u) => u.name).sort(), [...(block.unresolved ?? [])].sort(), `${folder}: unresolved deployments differ`);

    // Findings: the exact set; a message is checked where the fixture gives one.
    const all = [...paramFindings, ...d.findings];
    const expected = [...block.findings].sort((a, b) => findingKey(a).localeCompare(findingKey(b)));
    const pool = new Map<string, ExpectedFinding[]>();
    for (const f of expected) pool.set(findingKey(f), [...(pool.get(findingKey(f)) ?? []), f]);
    const actual = all
      .map((f) => {
        const out: ExpectedFinding = { rule: f.ruleId, at: f.at.pointer };
        if (f.at.file !== MAIN) out.file = f.at.file;
        const want = pool.get(findingKey(out))?.shift();
        if (want?.message !== undefined) out.message = matchesMessage(f.message, want.message) ? want.message : f.message;
        return out;
      })
      .sort((a, b) => findingKey(a).localeCompare(findingKey(b)));
    const listing = all.map((f) => `  ${f.at.file}#${f.at.pointer} [${f.ruleId}] ${f.message}`).join('\n');
    assert.equal(actual, expected, `${folder}: findings differ; actual findings:\n${listing || '  (none)'}`);

    // Every expected pointer names a real place in its file, so a typo in `at` fails here rather than passing by luck.
    for (const f of block.findings) {
      const file = f.file ?? MAIN;
      const target = file === MAIN ? doc.value : loadTemplate(file, readFileSync(join(dir, file), 'utf8')).value;
      assert.ok(resolves(target, f.at), `${folder}: finding pointer ${file}#${f.at} does not resolve`);
    }
  });
}

expansion.run();
