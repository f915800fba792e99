// A rule tester like ESLint's RuleTester: `ruleTester.run(id, { valid, invalid })` over short template snippets,
// each linted through the pipeline the CLI runs (lintDocument, then the session phase for a lock) with only that
// rule on, and checked by messageId and data rather than by message text. Each case is one uvu test.
import { isDeepStrictEqual } from 'node:util';
import { suite } from 'uvu';
import { lintDocument, parseAllowList, parseLock } from '../../engine/index.js';
import type { Finding, LintResult, Rule, RuleSettings, SessionOptions } from '../../engine/index.js';
import { lockComparison, withComparison } from '../../cli/compare.js';
import { ruleById } from '../../rules/index.js';

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

/** A template: its resources alone (wrapped in a template with the usual header), or a whole template object. */
export type Snippet = readonly unknown[] | Readonly<Record<string, unknown>>;

export interface ValidCase {
  /** What the case shows (the test's name); defaults to the snippet's position in the list. */
  readonly name?: string;
  readonly code: Snippet;
  /** Parameter values by name, as a parameter file would give them. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** The configuration's allow-list (egress-not-allowed). */
  readonly allow?: readonly string[];
  /** A lock file's content to compare with (egress-changed); its template path is the snippet's, `snippet.json`. */
  readonly lock?: unknown;
}

export interface ExpectedError {
  readonly messageId: string;
  /** When given, the report's data exactly. */
  readonly data?: Readonly<Record<string, string | number>>;
  /** When given, the JSON pointer the finding is at. */
  readonly at?: string;
  /** When given, the resource the finding names. */
  readonly resource?: string;
  /** When given, what the finding's help must say (and, with `notHelp`, must not). */
  readonly help?: RegExp;
  readonly notHelp?: RegExp;
}

export interface InvalidCase extends ValidCase {
  /** Every finding the rule reports, in report order (file, line, column): no more, no fewer. */
  readonly errors: readonly ExpectedError[];
}

const FILE = 'snippet.json';

/** The snippet as template text (pretty-printed, so positions are lines apart). */
export function templateText(code: Snippet): string {
  const template = Array.isArray(code) ? { $schema: SCHEMA, contentVersion: '1.0.0.0', resources: code } : code;
  return JSON.stringify(template, null, 2);
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** Lints a case with one rule through the CLI's pipeline; a lock goes through the CLI's comparison and the session phase. */
export function lintCase(rule: Rule, c: ValidCase): LintResult[] {
  const settings: { -readonly [K in keyof RuleSettings]: RuleSettings[K] } = {};
  if (c.allow) {
    const parsed = parseAllowList(c.allow);
    if (parsed.errors.length) throw new Error(`allow: ${parsed.errors.join('; ')}`);
    settings.allow = parsed.list;
  }
  const session: SessionOptions = { rules: [rule], settings };
  const result = lintDocument({ file: FILE, text: templateText(c.code), ...(c.parameters ? { parameters: { values: c.parameters } } : {}) }, session);
  if (c.lock === undefined) return [result];
  const text = JSON.stringify(c.lock, null, 2);
  const parsed = parseLock(text);
  if ('errors' in parsed) throw new Error(`lock: ${parsed.errors.join('; ')}`);
  const cwd = process.cwd();
  return withComparison([result], lockComparison([result], parsed.lock, `${cwd}/egress.lock.json`, cwd), session, { file: 'egress.lock.json', text });
}

function describe(f: Finding): string {
  return `${f.messageId} ${JSON.stringify(f.data ?? {})} at ${f.file}#${f.pointer}: ${f.message}`;
}

/** Why a case's findings do not meet its expectations; empty when they do. */
function mismatches(expected: readonly ExpectedError[], actual: readonly Finding[]): string[] {
  const out: string[] = [];
  if (expected.length !== actual.length) out.push(`expected ${expected.length} finding(s), got ${actual.length}:\n${actual.map((f) => `    ${describe(f)}`).join('\n') || '    (none)'}`);
  const n = Math.min(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e.messageId !== a.messageId) out.push(`finding ${i}: messageId ${a.messageId}, expected ${e.messageId} (${describe(a)})`);
    if (e.data !== undefined && !isDeepStrictEqual({ ...e.data }, { ...(a.data ?? {}) })) out.push(`finding ${i}: data ${JSON.stringify(a.data ?? {})}, expected ${JSON.stringify(e.data)}`);
    if (e.at !== undefined && e.at !== a.pointer) out.push(`finding ${i}: at ${a.pointer}, expected ${e.at}`);
    if (e.resource !== undefined && e.resource !== a.resource) out.push(`finding ${i}: resource ${a.resource ?? '(none)'}, expected ${e.resource}`);
    if (e.help !== undefined && !e.help.test(a.help)) out.push(`finding ${i}: help '${a.help}', expected ${String(e.help)}`);
    if (e.notHelp !== undefined && e.notHelp.test(a.help)) out.push(`finding ${i}: help '${a.help}' matches ${String(e.notHelp)}`);
  }
  return out;
}

function fail(lines: readonly string[]): never {
  const e = new Error(lines.join('\n'));
  e.stack = 'Error';
  throw e;
}

export const ruleTester = {
  /** Registers one uvu suite for the rule: one test per case. */
  run(id: string, cases: { readonly valid: readonly ValidCase[]; readonly invalid: readonly InvalidCase[] }): void {
    const rule = ruleById.get(id);
    if (!rule) throw new Error(`ruleTester.run: no rule '${id}' in the registry.`);
    deepFreeze(cases);
    const seen = new Set<string>();
    const s = suite(`rule ${id}`);
    const all: { kind: 'valid' | 'invalid'; c: ValidCase | InvalidCase; index: number }[] = [...cases.valid.map((c, index) => ({ kind: 'valid' as const, c, index })), ...cases.invalid.map((c, index) => ({ kind: 'invalid' as const, c, index }))];
    for (const { kind, c, index } of all) {
      const key = JSON.stringify([c.code, c.parameters, c.allow, c.lock]);
      if (seen.has(key)) throw new Error(`ruleTester.run(${id}): a ${kind} case repeats another: ${c.name ?? index}`);
      seen.add(key);
      const errors = kind === 'invalid' ? (c as InvalidCase).errors : [];
      if (kind === 'invalid' && errors.length === 0) throw new Error(`ruleTester.run(${id}): invalid case ${c.name ?? index} expects no error; make it a valid case.`);
      for (const e of errors) if (!(e.messageId in rule.messages)) throw new Error(`ruleTester.run(${id}): case ${c.name ?? index} expects messageId '${e.messageId}', which the rule does not have (${Object.keys(rule.messages).join(', ')}).`);
      s(`${kind} ${c.name ?? index}`, () => {
        const results = lintCase(rule, c);
        const findings = results.flatMap((r) => r.findings);
        // A snippet with template problems would hide them behind the one rule that runs: only a diagnostic's own test may have them.
        if (rule.phase !== 'engine') {
          const problems = results.flatMap((r) => r.deployment.findings);
          if (problems.length) fail([`the snippet itself has problems:`, ...problems.map((p) => `    ${p.ruleId} at ${p.at.pointer}: ${p.message}`)]);
        }
        const wrong = mismatches(errors, findings);
        if (wrong.length) fail([`${id}, ${kind} case ${c.name ?? index}:`, ...wrong.map((w) => `  ${w}`), `  template:\n${templateText(c.code).split('\n').map((l, i) => `    ${String(i + 1).padStart(3)} | ${l}`).join('\n')}`]);
      });
    }
    s.run();
  },
};
