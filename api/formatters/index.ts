// The report formats by name. Each formatter turns lint results into text; only formatters print positions.
import type { EgressComparison, LintResult, Rule } from '../../engine/index.js';
import { formatAddresses } from './addresses.js';
import { formatAllowlist } from './allowlist.js';
import { formatCsv } from './csv.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';

export interface FormatContext {
  readonly version: string;
  readonly color: boolean;
  /** The working directory: formatters that need relative paths (SARIF) use it. */
  readonly cwd: string;
  /** The rule registry (for SARIF's tool.driver.rules and help links). */
  readonly rules: readonly Rule[];
  /** The run's egress compared with a git base or a lock file (--base, --lock): the Markdown report shows it. */
  readonly egress?: EgressComparison;
  /** The Markdown report's size budget in bytes (0: none; default MARKDOWN_MAX_BYTES in markdown-budget.ts). */
  readonly maxBytes?: number;
  /** The folder annotation paths are relative to (GITHUB_WORKSPACE); default the working directory. */
  readonly workspace?: string;
  /** --quiet: the stylish report lists only the VMs that have a finding (the data formats keep every VM). */
  readonly quiet?: boolean;
}

export type Formatter = (results: readonly LintResult[], ctx: FormatContext) => string;

export const FORMATTERS: Readonly<Record<string, Formatter>> = {
  stylish: formatStylish,
  json: formatJson,
  sarif: formatSarif,
  markdown: formatMarkdown,
  csv: formatCsv,
  allowlist: formatAllowlist,
  addresses: formatAddresses,
  github: formatGithub,
};

/** Whether a formatter reads the network graph and resolved paths (the Markdown chart); the others read the report only. */
export function readsGraph(f: Formatter): boolean {
  return f === formatMarkdown;
}
