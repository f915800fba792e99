// The files a folder search would miss because of their names. The glob matcher (fast-glob, picomatch) compiles
// patterns to regular expressions whose `.` matches no line break, so a file below a folder named "a\nb" is never
// found; and a name that is not valid UTF-8 reaches Node as text with U+FFFD in it, which names no file at all. A
// second, plain walk of the searched folders finds both, so neither is dropped silently: the first kind is linted,
// the second reported. It also reports the symbolic links the search does not follow.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Characters a glob's `.` does not match (JavaScript's line terminators). */
const LINE_BREAK = /[\n\r\u2028\u2029]/;

export interface MissedNames {
  /** Files (absolute paths) whose path holds a line break, with one of the extensions searched. */
  readonly lineBreaks: string[];
  /** Files and folders (absolute paths, invalid bytes shown as U+FFFD) whose name is not valid UTF-8. */
  readonly notUtf8: string[];
  /**
   * Symbolic links (absolute paths) the search does not follow: to a folder, or to a file with one of the extensions
   * searched. Following them could loop or leave the folder; named on the command line, their target is linted.
   */
  readonly symlinks: string[];
}

/**
 * Walks `dirs` (absolute) as the folder search does (no node_modules, no names starting with '.', no symbolic
 * links followed) and returns the names the glob matcher cannot see. Only names are read, never file contents.
 */
export function missedNames(dirs: readonly string[], extensions: readonly string[]): MissedNames {
  const out: MissedNames = { lineBreaks: [], notUtf8: [], symlinks: [] };
  const ext = new RegExp(`\\.(${extensions.map((e) => e.replace(/[^A-Za-z0-9]/g, '')).join('|')})$`, 'i');
  const stack: { path: string; raw: Buffer; broken: boolean }[] = dirs.map((d) => ({ path: d, raw: Buffer.from(d), broken: LINE_BREAK.test(d) }));
  const seen = new Set<string>();
  while (stack.length) {
    const dir = stack.pop()!;
    if (seen.has(dir.raw.toString('latin1'))) continue;
    seen.add(dir.raw.toString('latin1'));
    let entries;
    try {
      entries = readdirSync(dir.raw, { withFileTypes: true, encoding: 'buffer' });
    } catch {
      continue;
    }
    for (const e of entries) {
      const raw = e.name;
      const name = raw.toString('utf8');
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const path = join(dir.path, name);
      if (!Buffer.from(name, 'utf8').equals(raw)) {
        // Node names it with U+FFFD: no call that takes a string can open it.
        if (e.isDirectory() || ext.test(name)) out.notUtf8.push(path);
        continue;
      }
      const broken = dir.broken || LINE_BREAK.test(name);
      if (e.isSymbolicLink()) {
        if (ext.test(name) || isFolder(path)) out.symlinks.push(path);
        continue;
      }
      if (e.isDirectory()) stack.push({ path, raw: Buffer.concat([dir.raw, Buffer.from('/'), raw]), broken });
      else if (broken && e.isFile() && ext.test(name)) out.lineBreaks.push(path);
    }
  }
  out.lineBreaks.sort();
  out.notUtf8.sort();
  out.symlinks.sort();
  return out;
}

/** Whether a path (a symbolic link) leads to a folder. */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
