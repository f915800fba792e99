// The fixture harness (style.md §d): finds fixtures/rules/<id>/{pass,fail}-*.json and fixtures/egress/<scenario>/main.json,
// lints each with its answer block hidden, compares findings and egress with root metadata.fixture, and rewrites
// the answers under UPDATE=1. Test-only code: it reads files and may import anything.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { Node } from 'jsonc-parser';
import { HclDoc, lintDocument, loadTemplate, parseAllowList, parseLock, pointerSegments, readParameterFile } from '../../engine/index.js';
import { lockComparison, withComparison } from '../../cli/compare.js';
import type { Deployment, Finding, LintResult, RawFinding, Rule, RuleSettings, SessionOptions, VmResult } from '../../engine/index.js';
import { diskHost } from '../../api/files.js';
import { showPlaceholders } from '../../engine/expressions/placeholder.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures', import.meta.url));
export const UPDATE = process.env.UPDATE === '1';

export interface FixtureFinding {
  rule: string;
  at: string;
  file?: string;
  copy?: number;
  message?: string;
}

export interface FixtureVm {
  verdict: string;
  egress: string[];
  primaryEgress: string[];
}

export interface FixtureBlock {
  case: string;
  vms?: Record<string, FixtureVm>;
  /** The configuration a rule needs: an allow-list, a lock file to compare with. */
  settings?: { allow?: string[]; lock?: unknown };
  findings: FixtureFinding[];
}

export interface FixtureCase {
  /** 'rules' runs one rule; 'egress' and 'terraform' (plan or state JSON with its answer beside it) run them all. */
  readonly kind: 'rules' | 'egress' | 'terraform';
  /** The suite: 'rules/<id>' or 'egress/<scenario>'. */
  readonly folder: string;
  /** The rule id for 'rules' fixtures. */
  readonly ruleId?: string;
  /** Absolute path of the fixture file. */
  readonly path: string;
  /** The path relative to the working directory (the test name, and the file name in findings). */
  readonly name: string;
  /** pass-* / fail-* (rules fixtures only). */
  readonly expect?: 'pass' | 'fail';
  /** The answer file of a Terraform fixture (fixture.json): the plan or state JSON stays as Terraform prints it. */
  readonly answer?: string;
}

/** A finding as the harness compares it. */
export interface ActualFinding {
  readonly rule: string;
  readonly at: string;
  /** Relative to the fixture's folder; undefined for the fixture file itself. */
  readonly file: string | undefined;
  readonly copy: number | undefined;
  readonly message: string;
  readonly finding: Finding;
}

export interface FixtureRun {
  readonly findings: ActualFinding[];
  readonly vms: Record<string, FixtureVm>;
  readonly vmResults: readonly VmResult[];
  readonly deployment: Deployment;
  /** Problems found by expansion (and the parameter file), whether or not a rule reports them. */
  readonly templateFindings: readonly RawFinding[];
}

// ---- discovery --------------------------------------------------------------------------------------------------

function dirs(path: string): string[] {
  if (!existsSync(path)) return [];
  return readdirSync(path)
    .filter((d) => statSync(join(path, d)).isDirectory())
    .sort();
}

/** Every fixture, grouped by folder, in a stable order. */
export function discoverFixtures(root = FIXTURES, cwd = process.cwd()): FixtureCase[] {
  const out: FixtureCase[] = [];
  for (const id of dirs(join(root, 'rules'))) {
    const folder = join(root, 'rules', id);
    for (const f of readdirSync(folder).sort()) {
      const m = /^(pass|fail)-.+\.json$/.exec(f);
      if (!m || f.endsWith('.parameters.json')) continue;
      const path = join(folder, f);
      out.push({ kind: 'rules', folder: `rules/${id}`, ruleId: id, path, name: toPosix(relative(cwd, path)), expect: m[1] as 'pass' | 'fail' });
    }
  }
  for (const scenario of dirs(join(root, 'egress'))) {
    const path = join(root, 'egress', scenario, 'main.json');
    if (!existsSync(path)) continue;
    out.push({ kind: 'egress', folder: `egress/${scenario}`, path, name: toPosix(relative(cwd, path)) });
  }
  for (const scenario of dirs(join(root, 'terraform'))) {
    const file = ['plan.json', 'state.json'].find((f) => existsSync(join(root, 'terraform', scenario, f)));
    if (!file) continue;
    const path = join(root, 'terraform', scenario, file);
    out.push({ kind: 'terraform', folder: `terraform/${scenario}`, path, name: toPosix(relative(cwd, path)), answer: join(root, 'terraform', scenario, 'fixture.json') });
  }
  return out;
}

/** Files under fixtures/rules/<id>/ that the harness would not run (a misnamed fixture must not pass silently). */
export function strayRuleFiles(root = FIXTURES): string[] {
  const out: string[] = [];
  for (const id of dirs(join(root, 'rules'))) {
    for (const f of readdirSync(join(root, 'rules', id))) {
      if (/^(pass|fail)-.+\.json$/.test(f)) continue;
      out.push(`rules/${id}/${f}`);
    }
  }
  return out.filter((f) => !/^rules\/[^/]+\/(pass|fail)-.+\.parameters\.json$/.test(f));
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

// ---- reading a fixture --------------------------------------------------------------------------------------------

const ajv = new Ajv({ allErrors: true, strict: true });
const validateBlock = ajv.compile<FixtureBlock>(JSON.parse(readFileSync(join(FIXTURES, 'fixture.schema.json'), 'utf8')) as object);

export interface LoadedFixture {
  readonly text: string;
  readonly tree: Node;
  readonly block: FixtureBlock;
  /** The text with the fixture block blanked out, same length and same line breaks. */
  readonly hidden: string;
  /** A Terraform fixture's answer file, which UPDATE=1 rewrites (the tree is its, the block at its root). */
  readonly answer?: { readonly path: string; readonly text: string };
}

function schemaErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `metadata.fixture${e.instancePath.replace(/\//g, '.')} ${e.message ?? ''}`.trim()).join('; ');
}

/** Reads a Terraform fixture: the plan or state JSON as it is, the answer from fixture.json beside it. */
function loadTerraformFixture(path: string, answer: string): LoadedFixture {
  const text = readFileSync(path, 'utf8');
  const answerText = readFileSync(answer, 'utf8');
  const tree = parseTree(answerText, [], { allowTrailingComma: true, disallowComments: false });
  if (!tree || tree.type !== 'object') throw new Error(`${answer}: the answer is not a JSON object.`);
  const block = JSON.parse(answerText) as unknown;
  if (!validateBlock(block)) throw new Error(`${answer}: the answer does not match fixtures/fixture.schema.json: ${schemaErrors(validateBlock.errors)}.`);
  return { text, tree, block, hidden: text, answer: { path: answer, text: answerText } };
}

/** Reads a fixture, checks its answer block against fixtures/fixture.schema.json, and hides the block from the rules. */
export function loadFixture(path: string, answer?: string): LoadedFixture {
  if (answer !== undefined) return loadTerraformFixture(path, answer);
  const text = readFileSync(path, 'utf8');
  const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!tree || tree.type !== 'object') throw new Error(`${path}: the fixture is not a JSON object.`);
  const node = findNodeAtLocation(tree, ['metadata', 'fixture']);
  if (!node) throw new Error(`${path}: the fixture has no root metadata.fixture block.`);
  const keys = (tree.children ?? []).map((p) => String(p.children?.[0]?.value));
  const cv = keys.indexOf('contentVersion');
  if (cv < 0 || keys[cv + 1] !== 'metadata') throw new Error(`${path}: root "metadata" (holding "fixture") must come right after "contentVersion".`);
  const block = JSON.parse(text.slice(node.offset, node.offset + node.length)) as unknown;
  if (!validateBlock(block)) throw new Error(`${path}: the fixture block does not match fixtures/fixture.schema.json: ${schemaErrors(validateBlock.errors)}.`);
  const inner = text.slice(node.offset + 1, node.offset + node.length - 1).replace(/[^\r\n]/g, ' ');
  const hidden = `${text.slice(0, node.offset)}{${inner}}${text.slice(node.offset + node.length)}`;
  return { text, tree, block, hidden };
}

// ---- running ------------------------------------------------------------------------------------------------------

/** The parameter file that goes with a fixture: main.parameters.json, or <name>.parameters.json beside a rule fixture. */
export function parameterFileOf(path: string): string | undefined {
  const p = path.replace(/\.json$/, '.parameters.json');
  return existsSync(p) ? p : undefined;
}

/**
 * Lints a fixture with the given rules through the pipeline the CLI runs (lintDocument, then the session phase when
 * the fixture compares with a lock): template, parameter file, linked files read below the fixture's folder.
 */
export function runFixture(c: FixtureCase, fixture: LoadedFixture, rules: readonly Rule[], cwd = process.cwd()): FixtureRun {
  const dir = dirname(c.path);
  const paramPath = parameterFileOf(c.path);
  const session: SessionOptions = { rules, host: diskHost(cwd, { root: dir }), settings: settingsOf(c, fixture.block) };
  const input = { file: c.name, text: fixture.hidden, ...(paramPath ? { parameters: { file: toPosix(relative(cwd, paramPath)) } } : {}) };
  const { result, elsewhere } = withLock(c, fixture.block, lintDocument(input, session), session, cwd);
  const deployment = result.deployment;
  const self = toPosix(relative(dir, resolve(cwd, c.name)));
  return {
    findings: [...result.findings, ...elsewhere].map((f) => {
      const file = toPosix(relative(dir, resolve(cwd, f.file)));
      return { rule: f.ruleId, at: f.pointer, file: file === self ? undefined : file, copy: copyOf(deployment, f), message: f.message, finding: f };
    }),
    vms: Object.fromEntries(result.vms.map((v) => [v.name, { verdict: v.verdict, egress: names(v.egress), primaryEgress: names(v.primaryEgress) }])),
    vmResults: result.resolved ?? [],
    deployment,
    templateFindings: templateProblems(result, paramPath, cwd),
  };
}

/** The template problems of a run, whether or not a rule reports them: the front-end's and the parameter file's. */
function templateProblems(result: LintResult, paramPath: string | undefined, cwd: string): RawFinding[] {
  const params = paramPath ? readParameterFile(loadTemplate(toPosix(relative(cwd, paramPath)), readFileSync(paramPath, 'utf8'))).findings : [];
  return [...params, ...result.deployment.findings];
}

/** The fixture's allow-list as rule settings. */
function settingsOf(c: FixtureCase, block: FixtureBlock): RuleSettings {
  if (!block.settings?.allow) return {};
  const allow = parseAllowList(block.settings.allow);
  if (allow.errors.length) throw new Error(`${c.name}: settings.allow: ${allow.errors.join('; ')}.`);
  return { allow: allow.list };
}

/**
 * The session phase against the fixture's lock, compared as the CLI compares (cli/compare.ts) with a lock file
 * egress.lock.json in the working directory (the fixture's paths are relative to it). A finding the comparison places
 * in another file (the lock file, for a template that is gone) is kept, so it shows as unexpected.
 */
function withLock(c: FixtureCase, block: FixtureBlock, result: LintResult, session: SessionOptions, cwd: string): { result: LintResult; elsewhere: Finding[] } {
  if (block.settings?.lock === undefined) return { result, elsewhere: [] };
  const text = JSON.stringify(block.settings.lock, null, 2);
  const parsed = parseLock(text);
  if ('errors' in parsed) throw new Error(`${c.name}: settings.lock: ${parsed.errors.join('; ')}.`);
  const [out, ...others] = withComparison([result], lockComparison([result], parsed.lock, resolve(cwd, 'egress.lock.json'), cwd), session, { file: 'egress.lock.json', text });
  return { result: out, elsewhere: others.flatMap((r) => r.findings) };
}

function names(egress: readonly { name: string }[]): string[] {
  return egress.map((e) => e.name).sort();
}

/**
 * The copy index of the resource instance a finding sits in: among the instances of the declaration that holds the
 * pointer, the one named as the finding's resource, else the only one whose name the message quotes ('nic0/...').
 */
function copyOf(d: Deployment, f: Finding): number | undefined {
  const instances = d.resources.filter((x) => x.copyIndex !== undefined && x.at.file === f.file && (f.pointer === x.at.pointer || f.pointer.startsWith(`${x.at.pointer}/`)));
  if (instances.length === 0) return undefined;
  const byName = instances.find((x) => x.name === f.resource);
  if (byName) return byName.copyIndex;
  const quoted = instances.filter((x) => {
    const short = x.name.slice(x.name.lastIndexOf('/') + 1);
    return f.message.includes(`'${short}'`) || f.message.includes(`'${short}/`);
  });
  return quoted.length === 1 ? quoted[0].copyIndex : undefined;
}

// ---- comparing ----------------------------------------------------------------------------------------------------

function messageMatches(want: string | undefined, got: string): boolean {
  if (want === undefined) return true;
  if (want.length > 1 && want.startsWith('/') && want.endsWith('/')) return new RegExp(want.slice(1, -1)).test(got);
  return want === got;
}

function matches(e: FixtureFinding, a: ActualFinding): boolean {
  return e.rule === a.rule && e.at === a.at && (e.file ?? undefined) === a.file && (e.copy === undefined || e.copy === a.copy) && messageMatches(e.message, a.message);
}

/** Pairs expected and actual findings; the most specific expectations choose first. */
export function pairFindings(expected: readonly FixtureFinding[], actual: readonly ActualFinding[]): { pairs: [FixtureFinding, ActualFinding][]; missing: FixtureFinding[]; unexpected: ActualFinding[] } {
  const specificity = (e: FixtureFinding): number => (e.message !== undefined ? 2 : 0) + (e.copy !== undefined ? 1 : 0);
  const order = [...expected].sort((a, b) => specificity(b) - specificity(a));
  const free = new Set(actual);
  const pairs: [FixtureFinding, ActualFinding][] = [];
  const missing: FixtureFinding[] = [];
  for (const e of order) {
    const a = [...free].find((x) => matches(e, x));
    if (a) {
      free.delete(a);
      pairs.push([e, a]);
    } else missing.push(e);
  }
  return { pairs, missing: expected.filter((e) => missing.includes(e)), unexpected: actual.filter((a) => free.has(a)) };
}

/** True when the RFC 6901 pointer names an existing value (not just its nearest ancestor). */
export function pointerResolves(value: unknown, pointer: string): boolean {
  let cur = value;
  for (const s of pointerSegments(pointer)) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(s) || Number(s) >= cur.length) return false;
      cur = cur[Number(s)];
    } else if (cur !== null && typeof cur === 'object') {
      if (!Object.prototype.hasOwnProperty.call(cur, s)) return false;
      cur = (cur as Record<string, unknown>)[s];
    } else return false;
  }
  return true;
}

/** A few lines of source around a pointer, oxc-style, so a reviewer sees the place without counting lines. */
export function codeFrame(file: string, text: string, pointer: string): string {
  // A Terraform fixture's findings may point into its .tf files (pointers follow their blocks).
  const doc = file.endsWith('.tf') ? new HclDoc(file, text) : loadTemplate(file, text);
  const r = doc.range(pointer);
  const { line, column } = doc.lineColumn(r.offset);
  const lines = text.split(/\r?\n/);
  const from = Math.max(0, line - 2);
  const to = Math.min(lines.length - 1, line + 2);
  const width = String(to + 1).length;
  const out = [`    ${file}:${line + 1}:${column + 1}`];
  for (let i = from; i <= to; i++) {
    const src = lines[i].length > 160 ? `${lines[i].slice(0, 157)}...` : lines[i];
    out.push(`  ${i === line ? '>' : ' '} ${String(i + 1).padStart(width)} | ${src}`);
    if (i === line) out.push(`    ${' '.repeat(width)} | ${' '.repeat(Math.min(column, 160))}^`);
  }
  return out.join('\n');
}

function describeExpected(e: FixtureFinding): string {
  const extra = [e.file ? `file ${e.file}` : '', e.copy !== undefined ? `copy ${e.copy}` : '', e.message !== undefined ? `message ${JSON.stringify(e.message)}` : ''].filter((x) => x !== '');
  return `${e.rule} at ${JSON.stringify(e.at)}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

function describeActual(a: ActualFinding): string {
  const extra = [a.file ? `file ${a.file}` : '', a.copy !== undefined ? `copy ${a.copy}` : ''].filter((x) => x !== '');
  return `${a.rule} at ${JSON.stringify(a.at)}${extra.length ? ` (${extra.join(', ')})` : ''}: ${a.message}`;
}

/** Text of the file a fixture finding points into, for frames and pointer checks. */
function textOf(c: FixtureCase, fixture: LoadedFixture, file: string | undefined): string | undefined {
  if (file === undefined) return fixture.text;
  const p = resolve(dirname(c.path), file);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

function frame(c: FixtureCase, fixture: LoadedFixture, file: string | undefined, pointer: string): string {
  const text = textOf(c, fixture, file);
  return text === undefined ? `    (file ${file ?? ''} not found)` : codeFrame(file ? toPosix(join(dirname(c.name), file)) : c.name, text, pointer);
}

/** Everything wrong with a fixture's answer, as readable lines; empty when it holds. */
export function checkFixture(c: FixtureCase, fixture: LoadedFixture, run: FixtureRun): string[] {
  const problems: string[] = [];
  const { block } = fixture;
  if (c.kind === 'rules') {
    if (c.expect === 'pass' && block.findings.length > 0) problems.push(`a pass-* fixture must expect no findings ("findings": []), it lists ${block.findings.length}.`);
    if (c.expect === 'fail' && block.findings.length === 0) problems.push('a fail-* fixture must expect at least one finding.');
    for (const f of block.findings) if (f.rule !== c.ruleId) problems.push(`only rule ${c.ruleId} runs here, but a finding expects ${f.rule}.`);
  }
  for (const f of block.findings) {
    const text = textOf(c, fixture, f.file);
    let value: unknown;
    try {
      value = text === undefined ? undefined : f.file?.endsWith('.tf') ? new HclDoc(f.file, text).value : JSON.parse(text);
    } catch {
      value = text === undefined ? undefined : loadTemplate(f.file ?? c.name, text).value;
    }
    if (text === undefined) problems.push(`finding ${describeExpected(f)}: file ${f.file ?? ''} does not exist.`);
    else if (!pointerResolves(value, f.at)) problems.push(`finding ${describeExpected(f)}: the pointer does not resolve in ${f.file ?? basename(c.path)}.`);
  }
  const { missing, unexpected } = pairFindings(block.findings, run.findings);
  if (missing.length > 0 || unexpected.length > 0) {
    problems.push(`too few or too many findings (${missing.length} missing, ${unexpected.length} unexpected):`);
    for (const e of missing) problems.push(`  - missing    ${describeExpected(e)}\n${frame(c, fixture, e.file, e.at)}`);
    for (const a of unexpected) problems.push(`  + unexpected ${describeActual(a)}\n${frame(c, fixture, a.file, a.at)}`);
    const near = run.findings.filter((a) => missing.some((e) => e.rule === a.rule && e.at === a.at));
    for (const a of near) problems.push(`  (actual at a missing pointer: ${describeActual(a)})`);
  }
  if (block.vms !== undefined) {
    const want = block.vms;
    const got = run.vms;
    for (const name of Object.keys(want)) {
      if (!(name in got)) problems.push(`vm ${name}: expected ${compact(want[name])}, but there is no such VM (VMs: ${Object.keys(got).join(', ') || 'none'}).`);
      else if (compact(want[name]) !== compact(got[name])) problems.push(`vm ${name}:\n  - expected ${compact(want[name])}\n  + actual   ${compact(got[name])}${because(run, name)}`);
    }
    for (const name of Object.keys(got)) if (!(name in want)) problems.push(`vm ${name}: not expected, actual ${compact(got[name])}.`);
  }
  return problems;
}

function because(run: FixtureRun, vm: string): string {
  const v = run.vmResults.find((x) => showPlaceholders(x.vm.name) === vm);
  if (!v) return '';
  return showPlaceholders(v.paths.map((p) => `\n    path ${p.nic}/${p.ipConfiguration}${p.primary ? ' (primary)' : ''}: ${p.method}, ${p.verdict}; ${p.because.join('; ')}`).join(''));
}

// ---- UPDATE=1 -----------------------------------------------------------------------------------------------------

/** One-line JSON object with spaces after braces and commas: { "a": 1, "b": ["x", "y"] }. */
function compact(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(compact).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${compact(x)}`).join(', ')} }`;
  }
  return JSON.stringify(v);
}

function indentAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

function renderFindings(findings: readonly FixtureFinding[], indent: string): string {
  if (findings.length === 0) return '[]';
  return `[\n${findings.map((f) => `${indent}  ${compact({ rule: f.rule, at: f.at, file: f.file, copy: f.copy, message: f.message })}`).join(',\n')}\n${indent}]`;
}

function renderVms(vms: Record<string, FixtureVm>, indent: string): string {
  const entries = Object.entries(vms);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${indent}  ${JSON.stringify(k)}: ${compact({ verdict: v.verdict, egress: v.egress, primaryEgress: v.primaryEgress })}`).join(',\n')}\n${indent}}`;
}

/**
 * The fixture text with `findings` (and `vms`, when the fixture has it) rewritten from the actual output: expectations
 * that still hold stay as written, stale ones go, new findings are appended (under fixtures/rules with their exact
 * message). Nothing is rewritten when nothing changed; everything outside the two values stays byte-identical.
 */
export function updatedText(c: FixtureCase, fixture: LoadedFixture, run: FixtureRun): string {
  const { block } = fixture;
  const { pairs, missing } = pairFindings(block.findings, run.findings);
  const matched = new Set(pairs.map(([, a]) => a));
  // Kept expectations stay as written and in their order; new findings follow in report order.
  const added: FixtureFinding[] = run.findings
    .filter((a) => !matched.has(a))
    .map((a) => ({ rule: a.rule, at: a.at, ...(a.file !== undefined ? { file: a.file } : {}), ...(a.copy !== undefined ? { copy: a.copy } : {}), ...(c.kind === 'rules' ? { message: a.message } : {}) }));
  const edits: { offset: number; length: number; text: string }[] = [];
  const at = fixture.answer ? [] : ['metadata', 'fixture'];
  const source = fixture.answer ? fixture.answer.text : fixture.text;
  const fnode = findNodeAtLocation(fixture.tree, [...at, 'findings']);
  if (fnode?.parent && (missing.length > 0 || added.length > 0)) {
    const findings = [...block.findings.filter((e) => !missing.includes(e)), ...added];
    edits.push({ offset: fnode.offset, length: fnode.length, text: renderFindings(findings, indentAt(source, fnode.parent.offset)) });
  }
  const vnode = findNodeAtLocation(fixture.tree, [...at, 'vms']);
  if (vnode?.parent && compact(block.vms) !== compact(run.vms))
    edits.push({ offset: vnode.offset, length: vnode.length, text: renderVms(run.vms, indentAt(source, vnode.parent.offset)) });
  let text = source;
  for (const e of edits.sort((a, b) => b.offset - a.offset)) text = text.slice(0, e.offset) + e.text + text.slice(e.offset + e.length);
  return text;
}

/** Writes the updated answer; returns true when the file changed. */
export function writeUpdate(c: FixtureCase, fixture: LoadedFixture, run: FixtureRun): boolean {
  const text = updatedText(c, fixture, run);
  const before = fixture.answer ? fixture.answer.text : fixture.text;
  if (text === before) return false;
  writeFileSync(fixture.answer ? fixture.answer.path : c.path, text);
  return true;
}
