// GitHub Actions workflow commands (`::error file=…,line=…::message`), one per finding, which the runner turns into
// annotations on the run and on the pull request's files: no code scanning needed, so private repositories without
// GitHub Advanced Security get them too (ruff's `--output-format github` is the model). GitHub shows at most 10
// error, 10 warning and 10 notice annotations per step and 50 per job (actions/toolkit docs/problem-matchers.md,
// "Limitations"): the most severe are written first, at most that many of each kind, and a plain line says how many
// were left out. Paths are relative to the workspace (GITHUB_WORKSPACE), as annotations need. Same input,
// byte-identical output.
import { isAbsolute, relative, resolve } from 'node:path';
import type { Finding, LintResult, Severity } from '../../engine/index.js';
import { ruleDocUrl } from '../../rules/index.js';
import type { FormatContext } from './index.js';

/** Annotations of one kind that GitHub shows per step. */
export const ANNOTATIONS_PER_KIND = 10;

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', note: 'notice' };
const ORDER: readonly Severity[] = ['error', 'warning', 'note'];
const WORD: Record<Severity, [string, string]> = { error: ['error', 'errors'], warning: ['warning', 'warnings'], note: ['note', 'notes'] };

/** A command's message: %, CR and LF escaped (actions/toolkit packages/core/src/command.ts, escapeData). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command's property value: the message's escapes, plus ':' and ',' that would end the value (escapeProperty). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The finding's file as the workspace names it (forward slashes); a file outside it keeps its absolute path. */
function workspacePath(f: Finding, ctx: Pick<FormatContext, 'cwd' | 'workspace'>): string {
  const abs = resolve(ctx.cwd, f.file);
  const rel = relative(ctx.workspace ?? ctx.cwd, abs);
  return (rel === '' || isAbsolute(rel) || rel.startsWith('..') ? abs : rel).replace(/\\/g, '/');
}

/** One workflow command for a finding. */
export function annotation(f: Finding, ctx: Pick<FormatContext, 'cwd' | 'workspace'>): string {
  const props: [string, string | number][] = [['file', workspacePath(f, ctx)], ['line', f.line]];
  // Columns only on one-line ranges: the toolkit says they "cannot be sent when startLine and endLine are different".
  if (f.endLine === f.line) props.push(['endLine', f.endLine], ['col', f.column], ['endColumn', f.endColumn]);
  else props.push(['endLine', f.endLine]);
  props.push(['title', `egress-lint (${f.ruleId})`]);
  const message = [f.message, ...(f.help ? [`help: ${f.help}`] : []), ruleDocUrl(f.ruleId)].join('\n');
  return `::${COMMAND[f.severity]} ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(message)}`;
}

function count(n: number, sev: Severity): string {
  return `${n} ${WORD[sev][n === 1 ? 0 : 1]}`;
}

export function formatGithub(results: readonly LintResult[], ctx: FormatContext): string {
  const bySeverity: Record<Severity, Finding[]> = { error: [], warning: [], note: [] };
  for (const r of results) for (const f of r.findings) if (!f.suppression) bySeverity[f.severity].push(f);
  const lines: string[] = [];
  const left: string[] = [];
  // Results arrive in file order and findings in document order: within a kind, the log reads top to bottom.
  for (const sev of ORDER) {
    const all = bySeverity[sev];
    for (const f of all.slice(0, ANNOTATIONS_PER_KIND)) lines.push(annotation(f, ctx));
    if (all.length > ANNOTATIONS_PER_KIND) left.push(`${all.length - ANNOTATIONS_PER_KIND} of ${count(all.length, sev)}`);
  }
  // A plain line, not a command: a notice would itself be one of the annotations GitHub drops.
  if (left.length)
    lines.push(`egress-lint: ${left.join(', ')} are not annotated (GitHub shows ${ANNOTATIONS_PER_KIND} of each kind per step); every finding is in the SARIF and JSON reports and the Markdown summary.`);
  return lines.length ? lines.join('\n') + '\n' : '';
}
