// The ESLint plugin (`egress-lint/eslint-plugin`, on @eslint/json): one ESLint rule per egress-lint rule, all
// reading one shared analysis per file, so editors running ESLint show egress findings where they are.
//
// Why one ESLint rule per egress-lint rule rather than a single `egress` rule: ESLint's severity and on/off
// switches are per rule, so users keep egress-lint's own error/warning split and can silence one rule in
// their config; editors show the rule id with a link to its page (meta.docs.url). The template is still
// analysed once per file: the first rule to run caches the findings on the file's SourceCode object.
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import json from '@eslint/json';
import type { JSONRuleDefinition, JSONSourceCode } from '@eslint/json';
import type { ESLint, Linter } from 'eslint';
import type { Finding, Rule, SourceHost } from '../api/index.js';
import { parameterFileFor } from '../api/discover.js';
import { diskHost } from '../api/files.js';
import { checkScope, lintSource } from '../api/source.js';
import { version } from '../api/version.js';
import { ruleDocUrl, rules } from '../rules/index.js';

/** What `settings['egress-lint']` in an ESLint config may hold (shared by every egress-lint rule of a file). */
export interface EgressLintSettings {
  /** The deployment scope that `resourceGroup()`, `subscription()` and `uniqueString()` see. */
  readonly scope?: { readonly subscriptionId?: string; readonly resourceGroup?: string; readonly location?: string; readonly tenantId?: string; readonly deploymentName?: string };
  /**
   * A parameter file (relative to ESLint's cwd) for the files this config block matches. Default:
   * `<name>.parameters.json` beside the template when it exists.
   */
  readonly parameters?: string;
}

/** A finding, marked when it lies in another file than the one ESLint is linting. */
type Located = Finding & { readonly foreign?: true };

/** The part of ESLint's rule context the analysis reads. */
type Context = Parameters<JSONRuleDefinition['create']>[0];

/** The shape of the few JSON AST nodes looked at here (@humanwhocodes/momoa). */
interface JsonNode {
  readonly type: string;
  readonly value?: unknown;
  readonly name?: unknown;
  readonly members?: readonly { readonly name: JsonNode; readonly value: JsonNode }[];
}

const TEMPLATE_SCHEMA = /deploymentTemplate\.json/i;

/** Only ARM deployment templates are linted: a top-level `$schema` naming a deploymentTemplate schema. */
function isTemplate(sourceCode: JSONSourceCode): boolean {
  const body = (sourceCode.ast as unknown as { body: JsonNode }).body;
  if (body.type !== 'Object') return false;
  const schema = body.members?.find((m) => (m.name.type === 'String' ? m.name.value : m.name.name) === '$schema');
  return schema?.value.type === 'String' && typeof schema.value.value === 'string' && TEMPLATE_SCHEMA.test(schema.value.value);
}

function settingsOf(context: Context): EgressLintSettings {
  const s = (context.settings as Record<string, unknown>)['egress-lint'];
  if (s === undefined) return {};
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new Error("egress-lint: settings['egress-lint'] must be an object.");
  const given = s as Record<string, unknown>;
  for (const k of Object.keys(given)) if (k !== 'scope' && k !== 'parameters') throw new Error(`egress-lint: unknown setting '${k}' in settings['egress-lint']; use scope or parameters.`);
  if (given.parameters !== undefined && (typeof given.parameters !== 'string' || given.parameters === '')) throw new Error("egress-lint: settings['egress-lint'].parameters must be a file path.");
  return given as EgressLintSettings;
}

function readText(file: string): string | { error: string } {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code ?? 'error' };
  }
}

/** Runs egress-lint on the text ESLint holds (an editor's unsaved buffer included) and returns every unsuppressed finding. */
function analyse(context: Context): readonly Located[] {
  const sourceCode = context.sourceCode;
  if (!isTemplate(sourceCode)) return [];
  const settings = settingsOf(context);
  const scope = checkScope(settings.scope, "settings['egress-lint'].scope");
  const cwd = context.cwd;
  const physical = context.physicalFilename;
  const onDisk = isAbsolute(physical);
  // File names relative to ESLint's cwd, like the CLI's, so linked templates resolve below it.
  const file = onDisk ? relative(cwd, physical).split(sep).join('/') || physical : physical;
  let parameters: string | undefined;
  let parametersFile: string | undefined;
  if (settings.parameters !== undefined) {
    const text = readText(resolve(cwd, settings.parameters));
    if (typeof text !== 'string') throw new Error(`egress-lint: cannot read the parameter file '${settings.parameters}' set in settings['egress-lint'].parameters (${text.error}).`);
    parameters = text;
    parametersFile = settings.parameters.split(sep).join('/');
  } else if (onDisk) {
    const beside = parameterFileFor(physical);
    const text = readText(beside);
    if (typeof text === 'string') {
      parameters = text;
      parametersFile = relative(cwd, beside).split(sep).join('/');
    }
  }
  let host: SourceHost | undefined;
  try {
    host = diskHost(cwd);
  } catch {
    host = undefined; // the cwd is gone: linked templates stay unresolved
  }
  const result = lintSource(sourceCode.text, {
    file,
    rules,
    scope,
    ...(parameters !== undefined ? { parameters, ...(parametersFile !== undefined ? { parametersFile } : {}) } : {}),
    ...(host ? { host } : {}),
  });
  return result.findings.filter((f) => !f.suppression).map((f): Located => (f.file === file ? f : { ...f, foreign: true }));
}

/** Findings by the SourceCode object of the file ESLint is linting: every rule of one file shares one analysis. */
const cache = new WeakMap<object, readonly Located[]>();

function findingsFor(context: Context): readonly Located[] {
  let hit = cache.get(context.sourceCode);
  if (!hit) {
    hit = analyse(context);
    cache.set(context.sourceCode, hit);
  }
  return hit;
}

/**
 * ESLint positions for the JSON language are 1-based lines and columns (`columnStart: 1`), like egress-lint's, so
 * they carry over as they are. A range over several lines (a whole resource) is cut to its first line, so the
 * editor underlines where it starts, not a screenful. A finding in another file (a linked template, the parameter
 * file) is shown at the top of this one, with its own file and position in the message.
 */
function toReport(f: Located, lines: readonly string[]): { message: string; loc: { start: { line: number; column: number }; end: { line: number; column: number } } } {
  if (f.foreign) return { message: `${f.message} (in ${f.file}:${f.line}:${f.column})`, loc: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } };
  const start = { line: f.line, column: f.column };
  const end = f.endLine > f.line ? { line: f.line, column: Math.max(f.column, (lines[f.line - 1] ?? '').trimEnd().length + 1) } : { line: f.endLine, column: f.endColumn };
  return { message: f.message, loc: { start, end } };
}

function eslintRule(rule: Rule): JSONRuleDefinition {
  return {
    meta: {
      type: 'problem',
      docs: { description: rule.description, url: ruleDocUrl(rule.id), recommended: true },
      schema: [],
      languages: ['json/json', 'json/jsonc', 'json/json5'],
    },
    create(context) {
      return {
        Document() {
          const lines = context.sourceCode.lines;
          for (const f of findingsFor(context)) if (f.ruleId === rule.id) context.report(toReport(f, lines));
        },
      };
    },
  };
}

/** ESLint severities for egress-lint's: ESLint has no 'note', so notes show as warnings. */
const SEVERITY = { error: 'error', warning: 'warn', note: 'warn' } as const;

/** The plugin's configs (a type alias, not an interface, so it fits ESLint's index-signature type). */
type Configs = {
  /** Every egress-lint rule at its default severity, on `*.json` and `*.jsonc` parsed as JSONC (ARM accepts comments and trailing commas). */
  recommended: Linter.Config[];
};

/**
 * The rules an editor can run on one file: not those that compare with a project setting (the allow-list, the lock
 * file, a git base), which the CLI reads from egress-lint.config.json for the whole run.
 */
const editorRules = rules.filter((r) => r.needs === undefined);

/** The flat-config plugin: `rules` holds one rule per egress-lint rule id, `configs.recommended` turns them all on. */
const plugin = {
  meta: { name: 'egress-lint', version: version(), namespace: 'egress-lint' },
  rules: Object.fromEntries(editorRules.map((r) => [r.id, eslintRule(r)])) as Record<string, JSONRuleDefinition>,
  configs: {} as Configs,
} satisfies ESLint.Plugin;

plugin.configs.recommended = [
  {
    name: 'egress-lint/recommended',
    files: ['**/*.json', '**/*.jsonc'],
    plugins: { json, 'egress-lint': plugin },
    language: 'json/jsonc',
    languageOptions: { allowTrailingCommas: true },
    rules: Object.fromEntries(editorRules.map((r) => [`egress-lint/${r.id}`, SEVERITY[r.severity]])),
  },
];

export default plugin;
