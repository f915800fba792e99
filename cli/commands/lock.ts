// `egress-lint lock [paths]`: writes the egress lock file (default egress.lock.json in the working directory) from
// the templates as they are now, keeping the entries of templates this run did not lint, and says what changed.
import { existsSync, lstatSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TEMPLATE_PROBLEMS, analysed, describeChange, diffLocks, identityLabel, keepKnownAddresses, parseLock, serialiseLock } from '../../engine/index.js';
import type { LintResult, LockFile, LockVm } from '../../engine/index.js';
import { displayPath } from '../../api/files.js';
import { readInputFile } from '../../api/input-files.js';
import { lockOfResults, relativeTo } from '../compare.js';
import type { Io } from '../io.js';
import { UsageError } from '../../api/errors.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A lock file the run may not write: exit 2 naming it, without the "run --help" hint. */
class LockTargetError extends UsageError {
  readonly noHint = true;
}

/** A JSON object with a `vms` member: a lock file, even one this egress-lint cannot read. */
function lockShaped(text: string): boolean {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, 'vms');
  } catch {
    return false;
  }
}

/** The previous lock, or undefined when there is none or it cannot be read (it is replaced, with a note). */
function previous(abs: string, shown: string, io: Io): LockFile | undefined {
  const st = lstatSync(abs, { throwIfNoEntry: false });
  if (!st) return undefined;
  // Written through, a symbolic link would replace whatever it points at (a template, a file outside the repository).
  if (st.isSymbolicLink()) throw new LockTargetError(`${shown} is a symbolic link; egress-lint lock writes a lock file only as a file of its own: remove the link or name another lock file.`);
  // Only a regular file, of at most INPUT_CAPS.lock bytes: a FIFO or device named as the lock stops the run (exit 2).
  const text = readInputFile(abs, `the lock file ${shown}`, 'lock');
  if (text.trim() === '') return undefined;
  const parsed = parseLock(text);
  if ('lock' in parsed) return parsed.lock;
  // A lock this egress-lint cannot read (another version, an entry broken by hand) is replaced; any other file (a
  // template, a report) is someone's work and stays.
  if (!lockShaped(text)) throw new LockTargetError(`${shown} is not a lock file (${parsed.errors[0]}); egress-lint lock does not replace it: name another lock file.`);
  io.stderr.write(`egress-lint: replacing ${shown}, which is not a lock file this egress-lint reads (${parsed.errors[0]}).\n`);
  return undefined;
}

/**
 * Writes the lock and returns the exit code: 0, or 1 when a template has a template problem (its VMs are kept as
 * the previous lock had them, or missing), so CI never commits a lock that silently lost VMs. Egress findings (a
 * Dynamic IP, default outbound access) do not fail it: the lock records the egress, good or bad. `elsewhere` holds
 * the templates (absolute) this run locked in another lock file (their configuration names another): their old
 * entries leave this one.
 */
export function lockCommand(results: readonly LintResult[], lockFile: string, io: Io, elsewhere: ReadonlySet<string> = new Set()): number {
  const shown = displayPath(lockFile, io.cwd);
  const base = dirname(lockFile);
  const before = previous(lockFile, shown, io);
  // An address the previous lock knew and this run does not is kept (see keepKnownAddresses).
  const carry = keepKnownAddresses(before, lockOfResults(results, io.cwd, base));
  const now = carry.lock;
  // Entries of templates this run did not lint (a subset of the paths) stay while the template exists; so do those of
  // templates that could not be read this time.
  const linted = new Map(results.map((r) => [relativeTo(base, resolve(io.cwd, r.file)), analysed(r)]));
  const vms: Record<string, LockVm> = Object.create(null) as Record<string, LockVm>;
  for (const [key, v] of Object.entries(before?.vms ?? {})) {
    const analysed = linted.get(v.file);
    if (analysed === false || (analysed === undefined && existsSync(resolve(base, v.file)) && !elsewhere.has(resolve(base, v.file)))) vms[key] = v;
  }
  Object.assign(vms, now.vms);
  const lock: LockFile = { version: now.version, vms };
  const text = serialiseLock(lock);
  try {
    writeFileSync(lockFile, text);
  } catch (e) {
    throw new UsageError(`Cannot write ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }

  const entries = Object.values(lock.vms).sort((a, b) => (a.file === b.file ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.file < b.file ? -1 : 1));
  const templates = new Set(entries.map((v) => v.file)).size;
  const lines = [`Wrote ${shown}: ${plural(entries.length, 'VM')} in ${plural(templates, 'template')}.`];
  for (const v of entries) lines.push(`  ${v.name} (${v.file}): ${v.verdict}; ${v.egress.length ? v.egress.map(identityLabel).join(', ') : 'no public IP'}`);
  if (carry.recorded.length) lines.push(`Addresses known now, not in the previous ${shown} (recorded; no egress change): ${carry.recorded.join('; ')}.`);
  if (carry.kept.length) lines.push(`Addresses this run does not know, kept from the previous ${shown}: ${carry.kept.join('; ')}.`);
  if (before) {
    const changes = diffLocks(before, lock);
    if (changes.length === 0) lines.push(`No egress changed since the previous ${shown}.`);
    else {
      lines.push(`Changes since the previous ${shown}:`);
      for (const c of changes) lines.push(`  ${c.name}: ${describeChange(c)}`);
    }
  }
  io.stdout.write(`${lines.join('\n')}\n`);

  const problems = results.flatMap((r) => r.findings).filter((f) => TEMPLATE_PROBLEMS.has(f.ruleId));
  if (problems.length === 0) return 0;
  for (const f of problems) io.stderr.write(`egress-lint: ${f.file}:${f.line}:${f.column}: ${f.message} [${f.ruleId}]\n`);
  io.stderr.write(`egress-lint: ${plural(problems.length, 'template problem')}: the VMs of those templates may be missing from ${shown} or incomplete.\n`);
  return 1;
}
