// The library API (`import { lint } from 'egress-lint'`): lint files, folders and globs as the CLI does, or a
// template held in memory, and get back the JSON report of egress-model.md as an object.
import { resolve } from 'node:path';
import type { LintResult, RuleLevel, Scope, VmReport } from '../engine/index.js';
import { rules as registry } from '../rules/index.js';
import { discover, namedRoot } from './discover.js';
import { UsageError } from './errors.js';
import { FORMATTERS } from './formatters/index.js';
import { formatJson } from './formatters/json.js';
import { MAX_ENTRIES, checkCount } from './limits.js';
import { lintFiles } from './run.js';
import { allowSettings, checkLevels, checkScope, lintSource } from './source.js';
import { version as packageVersion } from './version.js';

export { UsageError };
export type {
  Deployment,
  EgressEntry,
  Finding,
  LintResult,
  Method,
  PathReport,
  Rule,
  RuleLevel,
  Scope,
  Severity,
  SourceHost,
  Verdict,
  VmReport,
} from '../engine/index.js';

/** Rule levels by rule id, as in `--rule <id>=<level>`: `'off'` disables a rule. */
export type RuleLevels = Readonly<Record<string, RuleLevel>>;

/** Options of {@link lint}. Every field is optional. */
export interface LintOptions {
  /**
   * The folder that relative paths, `.gitignore` files and the file names in the report are relative to, and
   * the root that linked templates (`templateLink.relativePath`) may not leave. Default: `process.cwd()`.
   */
  readonly cwd?: string;
  /** Rule levels by id (`error`, `warning`, `note` or `off`); unknown ids and levels throw a {@link UsageError}. */
  readonly rules?: RuleLevels;
  /**
   * A parameter file (relative to `cwd`) for the template. As with the CLI's `--parameters`, it needs exactly one
   * path. Without it, `<name>.parameters.json` beside each template is used when it exists.
   */
  readonly parameters?: string;
  /** The deployment scope that `resourceGroup()`, `subscription()` and `uniqueString()` see. */
  readonly scope?: Partial<Pick<Scope, 'subscriptionId' | 'resourceGroup' | 'location' | 'tenantId' | 'deploymentName'>>;
  /** Extra glob patterns (relative to `cwd`) to leave out of folder and glob searches, like `.gitignore` lines. */
  readonly ignore?: readonly string[];
  /**
   * Inventory files of resources already deployed (relative to `cwd`), as `--inventory` takes them: az CLI list
   * output, Azure Resource Graph results, an exported template. A file that cannot be used throws a {@link UsageError}.
   */
  readonly inventory?: readonly string[];
  /**
   * The allow-list, as `allow` in egress-lint.config.json: public IP or prefix names, resource-id globs, CIDR blocks.
   * Every egress outside it is an `egress-not-allowed` finding. A bad entry throws a {@link UsageError}.
   */
  readonly allow?: readonly string[];
  /**
   * Linked templates by URL prefix, as `links` in egress-lint.config.json: each prefix mapped to the local folder
   * (relative to `cwd`) that holds the files under it. Other URLs are never fetched.
   */
  readonly links?: Readonly<Record<string, string>>;
}

/** Options of {@link lintText}. Every field is optional. */
export interface LintTextOptions {
  /** The name the template carries in the report (default `template.json`); use a relative path. */
  readonly file?: string;
  /** Rule levels by id (`error`, `warning`, `note` or `off`); unknown ids and levels throw a {@link UsageError}. */
  readonly rules?: RuleLevels;
  /**
   * The template's parameters: either the text of a parameter file (`{"$schema": "…deploymentParameters.json#",
   * "parameters": {"name": {"value": …}}}`; its problems are findings), or the values by name (`{ vmCount: 2 }`).
   */
  readonly parameters?: string | Readonly<Record<string, unknown>>;
  /** The name findings in a parameter file's text carry. Default: `<file>` with `.parameters.json`. */
  readonly parametersFile?: string;
  /** The deployment scope that `resourceGroup()`, `subscription()` and `uniqueString()` see. */
  readonly scope?: LintOptions['scope'];
  /** The allow-list, as in {@link LintOptions.allow}. */
  readonly allow?: readonly string[];
}

/** One finding of the JSON report; {@link LintReport.results} has the full {@link Finding} (help, end position, pointer). */
export interface ReportFinding {
  readonly ruleId: string;
  readonly severity: 'error' | 'warning' | 'note';
  readonly message: string;
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
  /** The deployed name of the resource (or VM) the finding is about. */
  readonly resource?: string;
}

/**
 * The JSON report of `egress-lint --format json`: `JSON.stringify(report, null, 2) + '\n'` is byte-for-byte that
 * output. `findings` leaves out findings suppressed in a resource's metadata, as the CLI does.
 */
export interface LintReport {
  readonly version: 1;
  readonly tool: { readonly name: 'egress-lint'; readonly version: string };
  /** The templates linted, in path order (empty when none was found: the CLI exits 2 then). */
  readonly files: readonly { readonly path: string; readonly templates: number }[];
  /** Every VM and scale set with its verdict, egress list and paths. */
  readonly vms: readonly VmReport[];
  readonly findings: readonly ReportFinding[];
  /**
   * The raw results, one per template: full findings (suppressed ones included, with their `suppression`
   * reason), VMs and the expanded deployment. Not enumerable, so it stays out of `JSON.stringify(report)`.
   */
  readonly results: readonly LintResult[];
}

/** The `links` option checked: URL prefixes mapped to folders, made absolute. */
function checkLinks(links: unknown, cwd: string): Record<string, string> {
  if (typeof links !== 'object' || links === null || Array.isArray(links)) throw new UsageError('options.links must be an object of folders by URL prefix.');
  const out = Object.create(null) as Record<string, string>;
  for (const [prefix, folder] of Object.entries(links)) {
    if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(prefix)) throw new UsageError(`options.links: '${prefix}' is not a URL prefix.`);
    if (typeof folder !== 'string' || folder === '') throw new UsageError(`options.links['${prefix}'] must be a folder.`);
    out[prefix] = resolve(cwd, folder);
  }
  return out;
}

/** The folder each report was made in, for {@link format} (SARIF paths are relative to it). */
const reportCwd = new WeakMap<LintReport, string>();

function report(results: readonly LintResult[], cwd: string): LintReport {
  const parsed = JSON.parse(formatJson(results, { version: packageVersion(), color: false, cwd, rules: registry })) as Omit<LintReport, 'results'>;
  const out = Object.defineProperty(parsed, 'results', { value: results, enumerable: false }) as LintReport;
  reportCwd.set(out, cwd);
  return out;
}

/**
 * Lints ARM templates on disk, exactly as the CLI does: files, folders and globs (folders are searched with
 * `.gitignore` respected), templates recognised by their `$schema`, `<name>.parameters.json` paired with its
 * template, linked templates read from disk below `cwd`.
 *
 * @param paths Files, folders or globs, relative to `cwd`. Default: `'.'`.
 * @returns The JSON report, with the raw results as {@link LintReport.results}.
 * @throws {UsageError} For a path that does not exist, an unknown rule or level, a bad scope field, or
 *   `parameters` with more than one path. Template problems never throw: they are findings.
 *
 * @example
 * ```ts
 * import { lint } from 'egress-lint';
 * const report = await lint('infra', { rules: { 'implicit-lb-snat': 'off' } });
 * for (const vm of report.vms) console.log(vm.name, vm.verdict, vm.primaryEgress.map((e) => e.name));
 * if (report.findings.some((f) => f.severity === 'error')) process.exitCode = 1;
 * ```
 */
export async function lint(paths: string | readonly string[] = '.', options: LintOptions = {}): Promise<LintReport> {
  const list = typeof paths === 'string' ? [paths] : [...paths];
  if (list.length === 0) list.push('.');
  const cwd = resolve(options.cwd ?? process.cwd());
  const levels = checkLevels(options.rules, 'options.rules');
  const scope = checkScope(options.scope, 'options.scope');
  if (options.parameters !== undefined && list.length !== 1) throw new UsageError('options.parameters applies to one template: give exactly one path.');
  checkCount('options.ignore', options.ignore?.length ?? 0, MAX_ENTRIES.ignore);
  checkCount('options.inventory', options.inventory?.length ?? 0, MAX_ENTRIES.inventory);
  if (options.links !== undefined && options.links !== null && typeof options.links === 'object') checkCount('options.links', Object.keys(options.links).length, MAX_ENTRIES.links);
  const settings = allowSettings(options.allow, 'options.allow');
  const inventory = options.inventory?.length ? (await import('./inventory.js')).loadInventory(options.inventory, cwd, scope) : undefined;
  const { targets } = await discover(list, cwd, options.ignore ?? []);
  // Linked templates are read below the repository that holds each template, else below the paths given.
  const links = { root: namedRoot(list, cwd), ...(options.links ? { map: checkLinks(options.links, cwd) } : {}) };
  const results = lintFiles(targets, { cwd, rules: registry, levels, scope, links, ...(options.parameters !== undefined ? { parameters: options.parameters } : {}), ...(inventory ? { inventory } : {}), settings });
  return report(results, cwd);
}

/**
 * Lints one template held in memory: no file is read, so linked templates (`templateLink.relativePath`) stay
 * unresolved and the VMs that depend on them are `unknown`. Synchronous.
 *
 * @param text The template's JSON text (comments and trailing commas are fine, as in ARM).
 * @returns The JSON report of that one template, with its raw result as {@link LintReport.results}.
 * @throws {UsageError} For an unknown rule or level or a bad scope field.
 *
 * @example
 * ```ts
 * import { lintText } from 'egress-lint';
 * const report = lintText(templateText, { file: 'main.json', parameters: { vmCount: 2 } });
 * ```
 */
export function lintText(text: string, options: LintTextOptions = {}): LintReport {
  if (typeof text !== 'string') throw new UsageError('lintText expects the template text as a string.');
  const levels = checkLevels(options.rules, 'options.rules');
  const scope = checkScope(options.scope, 'options.scope');
  const settings = allowSettings(options.allow, 'options.allow');
  const result = lintSource(text, {
    settings,
    file: options.file ?? 'template.json',
    rules: registry,
    levels,
    scope,
    ...(options.parameters !== undefined ? { parameters: options.parameters } : {}),
    ...(options.parametersFile !== undefined ? { parametersFile: options.parametersFile } : {}),
  });
  return report([result], process.cwd());
}

/** The report formats {@link format} accepts: the CLI's `--format` names. */
export function formats(): string[] {
  return Object.keys(FORMATTERS);
}

/**
 * Renders a report in one of the CLI's formats (`stylish`, `json`, `sarif`, …: see {@link formats}), exactly as
 * `--format <name>` prints it, uncoloured.
 *
 * @throws {UsageError} For an unknown format name.
 */
export function format(lintReport: LintReport, name: string): string {
  const formatter = Object.hasOwn(FORMATTERS, name) ? FORMATTERS[name] : undefined;
  if (!formatter) throw new UsageError(`Unknown format '${name}'; use ${formats().join(', ')}.`);
  const cwd = reportCwd.get(lintReport) ?? process.cwd();
  return formatter(lintReport.results, { version: packageVersion(), color: false, cwd, rules: registry });
}

/** The rule registry: every rule's id, default severity, description, messages and help, sorted by id. */
export { registry as rules };
