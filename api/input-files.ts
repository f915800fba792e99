// Reads the files the CLI takes besides templates (configuration, lock, inventory, allow and parameter files): only
// regular files, and never more than a cap fixed per kind of file, checked before the read. A device such as
// /dev/zero, a named pipe with no writer or a socket would never end; a file of gigabytes would take the process
// down while being parsed. Templates have their own reader (files.ts: a template too big is a finding, not exit 2).
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { lineColumnAt } from '../engine/index.js';
import { UsageError } from './errors.js';
import { MAX_TEMPLATE_BYTES, decodeText } from './files.js';

const MIB = 1024 * 1024;

/**
 * The largest file of each kind that is read. Far above any real one: a configuration is a few kilobytes, a lock
 * holds a few hundred bytes per VM, an inventory a few kilobytes per resource. Inventory and parameter files share
 * the templates' cap (ARM itself takes at most 4 MB of a template or parameter file).
 */
export const INPUT_CAPS = {
  config: 4 * MIB,
  lock: 64 * MIB,
  inventory: MAX_TEMPLATE_BYTES,
  parameters: MAX_TEMPLATE_BYTES,
} as const;

export type InputKind = keyof typeof INPUT_CAPS;

/** A file the CLI cannot take (wrong kind, too big, unreadable): exit 2 naming it, without the "run --help" hint. */
export class InputFileError extends UsageError {
  readonly noHint = true;
  constructor(
    message: string,
    /** The errno code when the file could not be opened or read (ENOENT: it does not exist). */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** What a path is when it is not a regular file, in words: 'a folder', 'a named pipe (FIFO)'. */
export function kindOf(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Bytes for people: '4 MiB', '1.5 GiB'. */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * MIB) return `${+(bytes / (1024 * MIB)).toFixed(1)} GiB`;
  if (bytes >= MIB) return `${+(bytes / MIB).toFixed(1)} MiB`;
  return `${bytes} bytes`;
}

/**
 * Why `abs` cannot be read as a file of this kind, checked without reading it: it is not a regular file, or it is
 * larger than the cap. Undefined when it can. `what` names the file in the message ("the lock file egress.lock.json").
 */
export function inputProblem(abs: string, what: string, kind: InputKind): InputFileError | undefined {
  let st: Stats;
  try {
    st = statSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return new InputFileError(`Cannot read ${what} (${code}).`, code);
  }
  const other = kindOf(st);
  if (other !== undefined) return new InputFileError(`Cannot read ${what}: it is ${other}, not a regular file.`);
  const cap = INPUT_CAPS[kind];
  if (st.size > cap) return new InputFileError(`Cannot read ${what}: it is ${sizeText(st.size)}, and egress-lint reads at most ${sizeText(cap)} of a ${KIND_WORDS[kind]}.`);
  return undefined;
}

const KIND_WORDS: Record<InputKind, string> = { config: 'configuration file', lock: 'lock file', inventory: 'inventory file', parameters: 'parameter file' };

/**
 * The text (UTF-8, or UTF-16 with a byte-order mark as PowerShell writes it; the mark dropped) of a regular file of at most the kind's cap; otherwise an
 * InputFileError naming the file and why. The cap is checked on the size before reading, and again while reading (at
 * most cap + 1 bytes are read), so a file that grows in between is refused too.
 */
export function readInputFile(abs: string, what: string, kind: InputKind): string {
  const problem = inputProblem(abs, what, kind);
  if (problem) throw problem;
  const cap = INPUT_CAPS[kind];
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    // Between the stat and the open the path may have been replaced by something else: check what was opened.
    const other = kindOf(fstatSync(fd));
    if (other !== undefined) throw new InputFileError(`Cannot read ${what}: it is ${other}, not a regular file.`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(MIB, cap + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > cap) throw new InputFileError(`Cannot read ${what}: it is larger than ${sizeText(cap)}, and egress-lint reads at most ${sizeText(cap)} of a ${KIND_WORDS[kind]}.`);
    }
    const decoded = decodeText(Buffer.concat(chunks, total));
    const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
    const deep = tooDeepAt(text, MAX_INPUT_DEPTH);
    if (deep !== undefined)
      throw new InputFileError(`Cannot read ${what}: its values nest more than ${MAX_INPUT_DEPTH.toLocaleString('en-US')} levels deep (line ${lineColumnAt(text, deep).line + 1}), and egress-lint reads at most ${MAX_INPUT_DEPTH.toLocaleString('en-US')} levels of a ${KIND_WORDS[kind]}.`);
    return text;
  } catch (e) {
    if (e instanceof InputFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new InputFileError(`Cannot read ${what} (${code}).`, code);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * How deep the values of a file read here may nest. The JSON(C) readers of configuration and lock files recurse per
 * level, so a file of a few kilobytes of brackets would overflow the stack; real ones nest fewer than ten levels.
 */
export const MAX_INPUT_DEPTH = 1000;

const STRUCTURAL = /["[\]{}/]/g;

/**
 * The offset of the first bracket or brace that opens level `max + 1` of JSON(C) text, outside strings and comments;
 * undefined when the text nests no deeper than `max`. One native scan from structural character to structural character.
 */
export function tooDeepAt(text: string, max: number): number | undefined {
  let depth = 0;
  const re = STRUCTURAL;
  re.lastIndex = 0;
  while (re.test(text)) {
    const at = re.lastIndex - 1;
    const c = text.charCodeAt(at);
    if (c === 34) {
      // A string: to its closing quote (one not escaped by an odd run of backslashes).
      let j = at + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return undefined;
        let k = q - 1;
        while (text.charCodeAt(k) === 92) k--;
        if (((q - 1 - k) & 1) === 0) {
          re.lastIndex = q + 1;
          break;
        }
        j = q + 1;
      }
    } else if (c === 47) {
      const next = text.charCodeAt(at + 1);
      if (next === 47) {
        const end = text.indexOf('\n', at);
        if (end < 0) return undefined;
        re.lastIndex = end;
      } else if (next === 42) {
        const end = text.indexOf('*/', at + 2);
        if (end < 0) return undefined;
        re.lastIndex = end + 2;
      }
    } else if (c === 91 || c === 123) {
      if (++depth > max) return at;
    } else depth--;
  }
  return undefined;
}

