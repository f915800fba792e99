// The configuration file egress-lint.config.json: one file read as JSONC, validated with ajv against a JSON Schema
// generated from the rule registry, explained in plain words. Which files apply to which template (the nearest ones
// above it, merged) is cli/config-tree.ts.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ParseError } from 'jsonc-parser';
import { jsonc } from '../engine/index.js';
import type { ErrorObject } from 'ajv';
import { lineColumnAt, loadTemplate, parseAllowList } from '../engine/index.js';
import type { Rule, RuleLevel } from '../engine/index.js';
import { UsageError } from '../api/errors.js';
import { displayPath } from '../api/files.js';
import { InputFileError, readInputFile } from '../api/input-files.js';
import { MAX_ENTRIES, checkGlob } from '../api/limits.js';

export const CONFIG_FILE = 'egress-lint.config.json';

/** Where the shipped schema lives inside the package (what a config's "$schema" points at). */
export const SCHEMA_PATH = 'cli/config/schema.json';

/** The scope fields a config (and the --subscription-id / --resource-group / --location flags) may set. */
export const SCOPE_FIELDS = ['subscriptionId', 'resourceGroup', 'location', 'tenantId', 'deploymentName'] as const;
export type ScopeField = (typeof SCOPE_FIELDS)[number];

/** The file's shape, after validation. Paths and globs in it are relative to the file's folder. */
export interface Config {
  readonly $schema?: string;
  /** true: configuration files in the folders above this one do not apply to the templates below it. */
  readonly root?: boolean;
  readonly rules?: Readonly<Record<string, RuleLevel>>;
  readonly ignore?: readonly string[];
  readonly scope?: Readonly<Partial<Record<ScopeField, string>>>;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly maxWarnings?: number;
  /** The egress lock file to compare with (egress-changed), relative to the file's folder. */
  readonly lock?: string;
  /** The allow-list (egress-not-allowed): public IP and prefix names, resource-id globs, CIDR blocks. */
  readonly allow?: readonly string[];
  /** Inventory files of resources already deployed (az CLI output, Resource Graph rows, exported templates). */
  readonly inventory?: readonly string[];
  /** Linked templates by URL prefix: the local folder (relative to the file's folder) that holds what the prefix names. */
  readonly links?: Readonly<Record<string, string>>;
}

export interface LoadedConfig {
  /** Absolute path of the file. */
  readonly file: string;
  /** Its folder: every path and glob in it is relative to it. */
  readonly dir: string;
  readonly config: Config;
}

/** A bad configuration file: exit 2 with the file and the reason (no "run --help" hint: the flags were fine). */
export class ConfigError extends UsageError {
  readonly noHint = true;
}

const LEVELS = ['error', 'warning', 'note', 'off'] as const;

export { MAX_ENTRIES };

const SCOPE_DESCRIPTIONS: Record<ScopeField, string> = {
  subscriptionId: 'The subscription id that subscription() and resourceGroup().id see (default 00000000-0000-0000-0000-000000000000).',
  resourceGroup: "The resource group name that resourceGroup() sees (default 'resource-group').",
  location: "The location that resourceGroup().location and deployment().location see (default 'westeurope').",
  tenantId: 'The tenant id that tenant() and subscription().tenantId see (default 00000000-0000-0000-0000-000000000000).',
  deploymentName: "The deployment name that deployment().name sees (default 'deployment').",
};

/**
 * The JSON Schema of the configuration file, generated from the rule registry so that it always lists every rule
 * (editors autocomplete rule ids and levels from it). cli/config/schema.json is this, pretty-printed; a test
 * regenerates and compares it. Later keys (lock, allow, inventory) are added here.
 */
export function buildConfigSchema(rules: readonly Rule[]): Record<string, unknown> {
  // Keys from the rule registry, and a plain object: ajv reads the schema.
  // eslint-disable-next-line no-restricted-syntax
  const ruleProps: Record<string, unknown> = {};
  for (const r of [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    ruleProps[r.id] = { description: `${r.description} Default: ${r.severity}.`, enum: [...LEVELS] };
  }
  // eslint-disable-next-line no-restricted-syntax
  const scopeProps: Record<string, unknown> = {};
  for (const f of SCOPE_FIELDS) scopeProps[f] = { type: 'string', minLength: 1, description: SCOPE_DESCRIPTIONS[f] };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/egress-lint/egress-lint/blob/main/cli/config/schema.json',
    title: 'egress-lint configuration',
    description: `The ${CONFIG_FILE} file: each template is linted with the one in its folder and those in the folders above it (up to the repository root), merged, the nearest first; --config names one file for every template instead. Command-line flags override it.`,
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: `Where editors find this schema, e.g. "./node_modules/egress-lint/${SCHEMA_PATH}".` },
      root: {
        type: 'boolean',
        description: `true: the ${CONFIG_FILE} files of the folders above this one do not apply to the templates below it (as root = true in EditorConfig). Without it, this file is merged with them: rules, scope, parameters and links key by key, ignore and inventory added up, and allow, lock and maxWarnings taken from the nearest file that sets them.`,
      },
      rules: {
        type: 'object',
        description: 'Rule levels by rule id: error, warning, note, or off to disable the rule. --rule <id>=<level> overrides them.',
        additionalProperties: false,
        properties: ruleProps,
      },
      ignore: {
        type: 'array',
        maxItems: MAX_ENTRIES.ignore,
        description: 'Globs of files and folders to leave out, relative to this file\'s folder (e.g. "legacy/**", "**/*.old.json"); they apply to the templates this file applies to, also when named on the command line (as pre-commit does). .gitignore is always respected when searching folders. --ignore adds more.',
        items: { type: 'string', minLength: 1 },
      },
      scope: {
        type: 'object',
        description: 'The deployment scope that resourceGroup(), subscription(), tenant(), deployment() and uniqueString() see. --subscription-id, --resource-group and --location override it.',
        additionalProperties: false,
        properties: scopeProps,
      },
      parameters: {
        type: 'object',
        maxProperties: MAX_ENTRIES.parameters,
        description: 'Parameter files by template: the key is a template path or glob, the value a JSON parameter file, both relative to this file\'s folder. The first matching key wins (the nearest file\'s keys first); a parameter file that does not exist stops the run. --parameters overrides it; without a match, <name>.parameters.json beside the template is used.',
        additionalProperties: { type: 'string', minLength: 1 },
      },
      maxWarnings: {
        type: 'integer',
        minimum: 0,
        description: 'Exit 1 when the templates this file applies to have more than this many warnings. --max-warnings overrides it (and counts every warning of the run).',
      },
      lock: {
        type: 'string',
        minLength: 1,
        description: "The egress lock file of the templates this file applies to, relative to this file's folder (e.g. \"egress.lock.json\"): every run reports egress-changed for each VM whose egress differs from it, and 'egress-lint lock' writes it. --lock overrides it.",
      },
      allow: {
        type: 'array',
        maxItems: MAX_ENTRIES.allow,
        description: 'The allow-list of the receiving firewall for the templates this file applies to (a nearer file\'s allow replaces it, it does not add to it): public IP and prefix names ("pip-nat", "pip-egress-*"), resource-id globs ("/subscriptions/*/resourceGroups/rg-net/providers/Microsoft.Network/publicIPAddresses/*", ** spans segments) and CIDR blocks ("20.50.1.0/28", matched against addresses the templates state). Every egress outside it is an egress-not-allowed finding.',
        items: { type: 'string', minLength: 1 },
      },
      inventory: {
        type: 'array',
        maxItems: MAX_ENTRIES.inventory,
        description: "Inventory files of resources that are already deployed, relative to this file's folder: the JSON output of az CLI list or show commands (az network public-ip list -o json, az network vnet list, az network firewall list, az network route-table list, ...), Azure Resource Graph results, or an exported template (az group export). They give the real addresses of public IPs and prefixes and resolve references to existing subnets, route tables, NAT gateways and firewalls. --inventory adds more.",
        items: { type: 'string', minLength: 1 },
      },
      links: {
        type: 'object',
        maxProperties: MAX_ENTRIES.links,
        description: 'Linked templates by URL: each key is a URL prefix, each value the local folder (relative to this file\'s folder) that holds the files under it, e.g. {"https://raw.githubusercontent.com/org/repo/main/": "."}. A templateLink.uri that starts with a key is read from that folder (never fetched; never outside the repository); any other URL stays unread, and the paths it could change are unknown.',
        propertyNames: { pattern: '^[a-zA-Z][a-zA-Z0-9+.-]*://' },
        additionalProperties: { type: 'string', minLength: 1 },
      },
    },
  };
}

/**
 * The nearest egress-lint.config.json in `cwd` or a folder above it. The search stops at the repository root (a
 * folder holding .git, a folder or a worktree's file), so a config in a parent folder of a checkout never leaks into
 * it, and otherwise at the filesystem root. cli/config-tree.ts walks the same way and merges what it finds.
 */
export function findConfig(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(dir, '.git'))) return undefined;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function lineColumn(text: string, offset: number): string {
  const at = lineColumnAt(text, offset);
  return `${at.line + 1}:${at.column + 1}`;
}

/** A property path for people: rules.implicit-lb-snat, ignore[2], parameters["infra/*.json"]. */
function propertyPath(instancePath: string): string {
  let out = '';
  for (const raw of instancePath.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

function suggestion(name: string, known: readonly string[]): string {
  const best = known
    .map((k) => ({ k, d: distance(name.toLowerCase(), k.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(name.length / 4)))
    .sort((a, b) => a.d - b.d || (a.k < b.k ? -1 : 1))[0];
  return best ? ` (did you mean '${best.k}'?)` : '';
}

const TYPE_WORDS: Record<string, string> = { string: 'a string', array: 'an array', object: 'an object', integer: 'a whole number', number: 'a number', boolean: 'true or false' };

/** One ajv error in plain words, e.g. "rules.implicit-lb-snat must be one of error, warning, note, off". */
export function describeSchemaError(e: ErrorObject, schema: Record<string, unknown>): string {
  const path = propertyPath(e.instancePath);
  const subject = path || 'the configuration';
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'enum':
      return `${subject} must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'type':
      return `${subject} must be ${String(params.type).split(',').map((t) => TYPE_WORDS[t] ?? t).join(' or ')}`;
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      if (path === 'rules') {
        const ids = Object.keys(((schema.properties as Record<string, { properties: object }>).rules.properties));
        return `rules.${name} is not an egress-lint rule${suggestion(name, ids)}`;
      }
      const known = e.parentSchema && typeof e.parentSchema === 'object' && 'properties' in e.parentSchema ? Object.keys(e.parentSchema.properties as object) : [];
      return `${path ? `${path} has` : 'the configuration has'} an unknown property '${name}'${suggestion(name, known)}`;
    }
    case 'propertyNames':
      return `${subject} has the key ${JSON.stringify(String(params.propertyName))}, which is not ${path === 'links' ? 'a URL prefix (scheme://...)' : 'a valid key'}`;
    case 'maxItems':
    case 'maxProperties':
      return `${subject} has more than ${String(params.limit)} entries; egress-lint takes at most ${String(params.limit)}`;
    case 'minimum':
      return `${subject} must be at least ${String(params.limit)}`;
    case 'minLength':
      return `${subject} must not be empty`;
    default:
      return `${subject} ${e.message ?? 'is not valid'}`;
  }
}

/** Which list of a parsed configuration holds more entries than MAX_ENTRIES allows, in words. */
function tooLong(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  for (const key of Object.keys(MAX_ENTRIES) as (keyof typeof MAX_ENTRIES)[]) {
    if (!Object.hasOwn(value, key)) continue;
    const list = (value as Record<string, unknown>)[key];
    const n = Array.isArray(list) ? list.length : list !== null && typeof list === 'object' ? Object.keys(list).length : 0;
    if (n > MAX_ENTRIES[key]) return `${key} has ${n.toLocaleString('en-US')} entries; egress-lint takes at most ${MAX_ENTRIES[key].toLocaleString('en-US')}.`;
  }
  return undefined;
}

/** Reads and validates one configuration file; every problem is a ConfigError naming the file. */
export async function loadConfig(file: string, cwd: string, rules: readonly Rule[]): Promise<LoadedConfig> {
  const abs = resolve(cwd, file);
  const shown = displayPath(abs, cwd);
  let text: string;
  try {
    // Only a regular file, of at most INPUT_CAPS.config bytes (-c /dev/zero would never end).
    text = readInputFile(abs, `the configuration file ${shown}`, 'config');
  } catch (e) {
    throw e instanceof InputFileError ? new ConfigError(e.message) : e;
  }
  const errors: ParseError[] = [];
  let value: unknown = jsonc().parse(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (errors.length) {
    const first = errors[0];
    throw new ConfigError(`${shown}:${lineColumn(text, first.offset)}: the file is not valid JSON (${jsonc().printParseErrorCode(first.error)}); comments and trailing commas are fine.`);
  }
  // Keys are data: jsonc-parser assigns them to plain objects, where a "__proto__" key becomes the prototype and
  // vanishes (a link or parameter entry silently dropped). JSON.parse and the template reader keep it a key.
  try {
    value = JSON.parse(text);
  } catch {
    value = loadTemplate(shown, text).value;
  }
  // The lists' lengths first, so an oversized one is one clear message, before any entry is validated or compiled.
  const long = tooLong(value);
  if (long) throw new ConfigError(`${shown}: ${long}`);
  const schema = buildConfigSchema(rules);
  const { Ajv } = await import('ajv'); // only when there is a configuration file: ajv takes a while to load
  const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
  const validate = ajv.compile(schema);
  if (!validate(value)) {
    const lines = [...new Set((validate.errors ?? []).map((e) => describeSchemaError(e, schema)))];
    throw new ConfigError(lines.map((l) => `${shown}: ${l}`).join('\n'));
  }
  const config = value as Config;
  try {
    for (const g of config.ignore ?? []) checkGlob('ignore entry', g);
    for (const g of Object.keys(config.parameters ?? {})) checkGlob('parameters key', g);
  } catch (e) {
    throw e instanceof UsageError ? new ConfigError(`${shown}: ${e.message}`) : e;
  }
  const allow = parseAllowList(config.allow ?? []);
  if (allow.errors.length) throw new ConfigError(allow.errors.map((e) => `${shown}: ${e}.`).join('\n'));
  for (const [key, param] of Object.entries(config.parameters ?? {})) {
    if (/\.bicepparam$/i.test(param)) throw new ConfigError(`${shown}: parameters[${JSON.stringify(key)}] is a .bicepparam file; lint the .bicepparam file itself instead (it names its template with 'using').`);
  }
  return { file: abs, dir: dirname(abs), config };
}
