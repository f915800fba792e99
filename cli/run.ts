// Loads the discovered templates and lints each one; the only place that reads template files for linting.
import { resolve } from 'node:path';
import { lintTemplate, loadTemplate, readParameterFile } from '../engine/index.js';
import type { Finding, Inventory, LintResult, Rule, RuleLevel, RuleSettings, Scope } from '../engine/index.js';
import { MAX_TEMPLATE_BYTES, fileLinkResolver, readTemplateText } from './links.js';
import type { Target } from './discover.js';

/** Files above this size are not read (a safety cap far above ARM's 4 MB limit). */
export const MAX_FILE_BYTES = MAX_TEMPLATE_BYTES;

export interface RunOptions {
  readonly cwd: string;
  readonly rules: readonly Rule[];
  readonly levels?: Readonly<Record<string, RuleLevel>>;
  readonly scope?: Partial<Scope>;
  /** Explicit parameter file for every target (the --parameters flag). */
  readonly parameters?: string;
  /** What rules that need user input get (the configuration's allow-list). */
  readonly settings?: RuleSettings;
  /** Resources already deployed (--inventory), read once per run. */
  readonly inventory?: Inventory;
  /** Called before each target is linted (the CLI's progress line). */
  onProgress?(done: number, total: number, file: string): void;
}

/** Where Bicep findings' positions are: the compiled JSON, not the .bicep text (the Bicep CLI keeps no source map). */
export const BICEP_POSITION_NOTE = 'Line and column are in the ARM JSON that the Bicep CLI compiled from this file.';

function failedResult(file: string, findings: readonly Finding[]): LintResult {
  const deployment = { file, resources: [], outputs: {}, findings: [], unresolved: [], stats: { evaluated: 0, unknown: {} }, docs: new Map(), scope: {} } as unknown as LintResult['deployment'];
  return { file, vms: [], findings: [...findings], deployment };
}

function unreadable(file: string, message: string): LintResult {
  const finding: Finding = {
    ruleId: 'template-invalid',
    severity: 'error',
    message,
    help: 'Make the file valid JSON (comments and trailing commas are fine) with an ARM template object at the top.',
    file,
    pointer: '',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
  };
  return failedResult(file, [finding]);
}

/** A file's text (UTF-8, or UTF-16 with a byte order mark, as PowerShell writes), or why it cannot be read. */
export function readText(cwd: string, file: string): string | { error: string } {
  return readTemplateText(resolve(cwd, file), { pipes: true });
}

/** Lints every target; a file that cannot be read is a template-invalid finding, never a crash. */
export function lintTargets(targets: readonly Target[], options: RunOptions): LintResult[] {
  const resolveLink = fileLinkResolver(options.cwd, options.cwd);
  return targets.map((t, i) => {
    options.onProgress?.(i, targets.length, t.template);
    if (t.failed) return failedResult(t.template, t.failed);
    if (t.kind !== undefined && !t.compiled) return unreadable(t.template, 'The Bicep file was not compiled (the CLI compiles Bicep inputs with the Bicep CLI before linting).');
    const text = t.compiled ? t.compiled.template : readText(options.cwd, t.template);
    if (typeof text !== 'string') return unreadable(t.template, text.error);
    const doc = loadTemplate(t.template, text);
    const paramFile = t.kind === 'bicepparam' ? t.template : (options.parameters ?? t.parameters);
    let parameters: Record<string, unknown> | undefined;
    const extra: Finding[] = [];
    if (paramFile) {
      const ptext = t.compiled?.parameters ?? readText(options.cwd, paramFile);
      if (typeof ptext !== 'string') {
        const u = unreadable(paramFile, ptext.error);
        extra.push(...u.findings);
      } else {
        const pdoc = loadTemplate(paramFile, ptext);
        const read = readParameterFile(pdoc);
        parameters = read.values;
        for (const f of read.findings) {
          const s = pdoc.lineColumn(f.at.offset ?? pdoc.start(f.at.pointer));
          extra.push({ ruleId: f.ruleId, severity: 'error', message: f.message, help: '', file: paramFile, pointer: f.at.pointer, line: s.line + 1, column: s.column + 1, endLine: s.line + 1, endColumn: s.column + 1 });
        }
      }
    }
    const result = lintTemplate(doc, {
      rules: options.rules,
      ...(options.levels ? { levels: options.levels } : {}),
      ...(options.scope ? { scope: options.scope } : {}),
      ...(options.settings ? { settings: options.settings } : {}),
      ...(options.inventory ? { inventory: options.inventory } : {}),
      ...(parameters ? { parameters: parameters as never, parametersFile: paramFile } : {}),
      resolveLink,
    });
    let findings = extra.length ? [...extra, ...result.findings] : result.findings;
    if (t.compiled) {
      // Name the Bicep file, and say where the positions are (the compiled JSON, which Bicep keeps no map of).
      findings = findings.map((f) => (f.file === t.template ? { ...f, help: f.help ? `${f.help} ${BICEP_POSITION_NOTE}` : BICEP_POSITION_NOTE } : f));
    }
    return findings === result.findings ? result : { ...result, findings };
  });
}
