// Lints discovered files through the engine's pipeline: each target becomes a document input (its parameter file,
// its compiled Bicep text) read from disk through diskHost. The library's lint(), the CLI and its worker threads
// all turn targets into documents here.
import { finishSession, lintDocument, withoutLinkedTemplates } from '../engine/index.js';
import type { DocumentInput, Finding, LintResult, SessionOptions } from '../engine/index.js';
import type { Target } from './discover.js';
import { diskHost } from './files.js';
import type { LinkOptions } from './files.js';
import { BicepPositions, placeInBicep } from './bicep-positions.js';

/** What linting files needs besides the targets: the session's options, and where the files are. */
export interface FileLintOptions extends Pick<SessionOptions, 'rules' | 'levels' | 'scope' | 'settings' | 'inventory'> {
  /** Files are named and read relative to this folder. */
  readonly cwd: string;
  /** Where linked templates are read from: the project root outside git, URL prefixes mapped to folders. */
  readonly links?: LinkOptions;
  /** One parameter file for every target (the --parameters flag). */
  readonly parameters?: string;
}

/** The pipeline's session for these options: the same on the main thread and in a worker. */
export function sessionOf(options: FileLintOptions): SessionOptions {
  return {
    rules: options.rules,
    host: diskHost(options.cwd, options.links),
    ...(options.levels ? { levels: options.levels } : {}),
    ...(options.scope ? { scope: options.scope } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.inventory ? { inventory: options.inventory } : {}),
  };
}

/** A discovered target as the pipeline takes it. */
export function documentOf(t: Target, parameters?: string): DocumentInput {
  if (t.failed) return { file: t.template, failed: t.failed };
  if (t.kind !== undefined && !t.compiled) return { file: t.template, failed: [notCompiled(t.template)] };
  const paramFile = t.kind === 'bicepparam' ? t.template : (parameters ?? t.parameters);
  const compiledParameters = t.compiled?.parameters;
  return {
    file: t.template,
    ...(t.compiled ? { text: t.compiled.template } : {}),
    ...(paramFile !== undefined ? { parameters: compiledParameters !== undefined ? { file: paramFile, text: compiledParameters } : { file: paramFile } } : {}),
  };
}

function notCompiled(file: string): Finding {
  return fileProblem(file, 'The Bicep file was not compiled (the CLI compiles Bicep inputs with the Bicep CLI before linting).', 'Make the file valid JSON (comments and trailing commas are fine) with an ARM template object at the top.');
}

/** A template-invalid finding at a place in a file that was not linted (a Bicep file that did not compile). */
export function fileProblem(file: string, message: string, help: string, line = 1, column = 1): Finding {
  return { ruleId: 'template-invalid', messageId: 'default', data: { message }, severity: 'error', message, help, file, pointer: '', line, column, endLine: line, endColumn: column };
}

/**
 * Lints one target (the CLI lints target by target, to reduce each result as it comes). A compiled Bicep input's
 * findings and VMs are placed in its Bicep source (api/bicep-positions.ts), read through the session's host.
 */
export function lintTarget(t: Target, session: SessionOptions, parameters?: string): LintResult {
  const r = lintDocument(documentOf(t, parameters), session);
  if (!t.compiled || t.kind === undefined || !session.host || (r.findings.length === 0 && r.vms.length === 0)) return r;
  return placeInBicep(r, new BicepPositions(t.template, t.kind, t.compiled.template, session.host));
}

/**
 * Lints every target and runs the session phase; a file that cannot be read is a template-invalid finding, never a
 * crash. A template that another target links to is reported as part of that deployment only (withoutLinkedTemplates).
 */
export function lintFiles(targets: readonly Target[], options: FileLintOptions): LintResult[] {
  const session = sessionOf(options);
  const results: LintResult[] = [];
  for (const t of targets) results.push(lintTarget(t, session, options.parameters));
  return finishSession(withoutLinkedTemplates(results), session);
}
