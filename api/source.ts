// Lints one template held in memory (its text, optional parameters, optional host for linked templates): what
// lintText() and the ESLint plugin share, both getting their text from somewhere other than disk; and the checks
// of the options a caller gives (rule levels, scope, allow-list).
import { lintDocument, parseAllowList } from '../engine/index.js';
import type { LintResult, Rule, RuleLevel, RuleSettings, Scope, SourceHost } from '../engine/index.js';
import { rules as registry } from '../rules/index.js';
import { UsageError } from './errors.js';
import { MAX_ENTRIES, checkCount } from './limits.js';

export interface SourceOptions {
  /** The name findings carry (relative, forward slashes); linked templates resolve from its folder. */
  readonly file: string;
  readonly rules: readonly Rule[];
  readonly levels?: Readonly<Record<string, RuleLevel>>;
  readonly scope?: Partial<Scope>;
  /** A parameter file's text, or parameter values by name. */
  readonly parameters?: string | Readonly<Record<string, unknown>>;
  /** The name findings in a parameter file's text carry. Default: `<file>` with `.parameters.json`. */
  readonly parametersFile?: string;
  /** Reads linked templates; without it they stay unresolved. */
  readonly host?: SourceHost;
  readonly settings?: RuleSettings;
}

/** The `allow` option as rule settings (egress-not-allowed); a bad entry throws a UsageError naming it. */
export function allowSettings(allow: unknown, where: string): RuleSettings {
  if (allow === undefined) return {};
  if (!Array.isArray(allow)) throw new UsageError(`${where} must be an array of strings.`);
  checkCount(where, allow.length, MAX_ENTRIES.allow);
  if (!allow.every((a) => typeof a === 'string')) throw new UsageError(`${where} must be an array of strings.`);
  const { list, errors } = parseAllowList(allow as string[]);
  if (errors.length) throw new UsageError(`${errors.map((e) => e.replace(/^allow/, where)).join('; ')}.`);
  return { allow: list };
}

/** Lints template text; never throws for template content (problems are findings). */
export function lintSource(text: string, options: SourceOptions): LintResult {
  const given = options.parameters;
  const parameters =
    given === undefined ? undefined : typeof given === 'string' ? { file: options.parametersFile ?? options.file.replace(/(\.jsonc?)?$/i, '.parameters.json'), text: given } : { values: given };
  return lintDocument(
    { file: options.file, text, ...(parameters ? { parameters } : {}) },
    {
      rules: options.rules,
      ...(options.levels ? { levels: options.levels } : {}),
      ...(options.scope ? { scope: options.scope } : {}),
      ...(options.settings ? { settings: options.settings } : {}),
      ...(options.host ? { host: options.host } : {}),
    },
  );
}

const LEVELS = new Set<string>(['error', 'warning', 'note', 'off']);
/** The scope fields a caller may set (the rest follow from the template's $schema). */
export const SCOPE_KEYS: readonly string[] = ['subscriptionId', 'resourceGroup', 'location', 'tenantId', 'deploymentName'];

/** Checks rule levels given by a caller (`where` names the option in messages). */
export function checkLevels(levels: unknown, where: string): Record<string, RuleLevel> {
  const out = Object.create(null) as Record<string, RuleLevel>;
  if (levels === undefined) return out;
  if (typeof levels !== 'object' || levels === null || Array.isArray(levels)) throw new UsageError(`${where} must be an object of rule levels by rule id.`);
  for (const [id, level] of Object.entries(levels)) {
    if (!registry.some((r) => r.id === id)) throw new UsageError(`Unknown rule '${id}' in ${where}; see the rule table in the README.`);
    if (typeof level !== 'string' || !LEVELS.has(level)) throw new UsageError(`Unknown level '${String(level)}' for rule ${id} in ${where}; use error, warning, note or off.`);
    out[id] = level as RuleLevel;
  }
  return out;
}

/** Checks a deployment scope given by a caller (`where` names the option in messages). */
export function checkScope(scope: unknown, where: string): Partial<Scope> {
  const out = Object.create(null) as Record<string, string>;
  if (scope === undefined) return out;
  if (typeof scope !== 'object' || scope === null || Array.isArray(scope)) throw new UsageError(`${where} must be an object.`);
  for (const [k, v] of Object.entries(scope)) {
    if (!SCOPE_KEYS.includes(k)) throw new UsageError(`Unknown field '${k}' in ${where}; use ${SCOPE_KEYS.join(', ')}.`);
    if (typeof v !== 'string' || v === '') throw new UsageError(`${where}.${k} must be a non-empty string.`);
    out[k] = v;
  }
  return out;
}
