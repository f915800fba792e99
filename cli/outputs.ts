// The files a run writes its reports to (-o/--output, --report <format>=<file>): never one of the files the run
// reads (a template, a parameter file, a configuration, lock or inventory file), compared by device and inode so that a
// hard link, a symbolic link or a './' spelling is caught too. (main.ts writes them, creating their missing folders.)
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../api/errors.js';
import { displayPath } from '../api/files.js';
import { realPath } from './config-tree.js';

const SOURCE_NAME = /\.(tf|bicep|bicepparam)$/i;

/** An output file the run may not write: exit 2 naming it, without the "run --help" hint. */
class OutputError extends UsageError {
  readonly noHint = true;
}

/**
 * What makes two names the same file: the device and inode of a file that exists (a hard link has its own path and
 * real path, and writing through it replaces the input), else the real path of where it would be created.
 */
function identity(abs: string): string {
  const st = statSync(abs, { throwIfNoEntry: false });
  return st ? `${st.dev}:${st.ino}` : realPath(abs);
}

/** The nearest existing folder on the way to `abs` when it is not a folder (a file), else undefined. */
function fileOnTheWay(abs: string): string | undefined {
  for (let d = dirname(abs); ; d = dirname(d)) {
    const st = statSync(d, { throwIfNoEntry: false });
    if (st) return st.isDirectory() ? undefined : d;
    if (dirname(d) === d) return undefined;
  }
}

/** A file the run reads, and what it is to the run ("the template", "the lock file"). */
export interface InputFile {
  readonly abs: string;
  readonly what: string;
}

/**
 * Throws when an output file is one of the inputs, or when two outputs are the same file (the second would replace
 * the first). `outputs` are as given on the command line (relative to `cwd`), each with the flag that named it.
 */
export function checkOutputs(outputs: readonly { readonly flag: string; readonly file: string; readonly fix?: string }[], inputs: readonly InputFile[], cwd: string): void {
  if (outputs.length === 0) return;
  const read = new Map<string, InputFile>();
  const seen = new Set<string>();
  for (const i of inputs) {
    if (seen.has(i.abs)) continue;
    seen.add(i.abs);
    const real = identity(i.abs);
    if (!read.has(real)) read.set(real, i);
  }
  const written = new Map<string, string>();
  for (const o of outputs) {
    // The .tf files beside a plan and the modules of a Bicep file are read without being named as inputs: a report
    // never takes a source file's name.
    if (SOURCE_NAME.test(o.file)) throw new OutputError(`${o.flag} ${o.file} names a Terraform or Bicep source file, which a run may read (the .tf files of a plan, a Bicep module); ${o.fix ?? 'write the report to another file'}.`);
    const notFolder = fileOnTheWay(resolve(cwd, o.file));
    if (notFolder !== undefined) throw new OutputError(`${o.flag} ${o.file}: ${displayPath(notFolder, cwd)} is a file, not a folder, so the report cannot be written there; ${o.fix ?? 'write the report to another file'}.`);
    const real = identity(resolve(cwd, o.file));
    const input = read.get(real);
    if (input) throw new OutputError(`${o.flag} ${o.file} would overwrite ${input.what} ${displayPath(input.abs, cwd)}, which this run reads; ${o.fix ?? 'write the report to another file'}.`);
    const earlier = written.get(real);
    if (earlier !== undefined) throw new OutputError(`${o.flag} ${o.file} is the same file as ${earlier}; give each report its own file.`);
    written.set(real, `${o.flag} ${o.file}`);
  }
}
