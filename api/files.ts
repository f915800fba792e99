// Reads template files from disk: the shared reader (size cap, encodings, binary files), the resolver of linked
// templates (templateLink.relativePath), never outside the project root, never by URL, and the pipeline's host
// made of the two.
import { closeSync, existsSync, fstatSync, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadTemplate } from '../engine/index.js';
import type { LinkResolver, SourceHost, TemplateDoc } from '../engine/index.js';

/** Files above this size are not read (a safety cap far above ARM's 4 MB limit). */
export const MAX_TEMPLATE_BYTES = 64 * 1024 * 1024;

/** Text of a byte buffer: UTF-16 when it starts with a byte-order mark (a dangling odd byte is dropped), else UTF-8. */
export function decodeText(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.toString('utf16le');
  // swap16 needs an even length: a truncated UTF-16BE file must not throw.
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return Buffer.from(buf.subarray(0, buf.length & ~1)).swap16().toString('utf16le');
  return buf.toString('utf8');
}

/** True when NULs sit at every other byte of the start: UTF-16 text written without a byte-order mark. */
function looksLikeUtf16(head: Buffer): boolean {
  if (head.length < 4) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    if (head[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  const half = head.length >> 1;
  return (odd >= half * 0.9 && even === 0) || (even >= half * 0.9 && odd === 0);
}

/**
 * Reads a template or parameter file as text, or says in one sentence why it cannot be. Only regular files are
 * read (a device such as /dev/zero would never end), and pipes with `pipes` (a shell's `<(...)`: opening one
 * waits for a writer, so never for a file a template names); never more than MAX_TEMPLATE_BYTES.
 */
export function readTemplateText(abs: string, options: { pipes?: boolean } = {}): string | { error: string } {
  let fd: number | undefined;
  try {
    const kind = statSync(abs);
    if (kind.isDirectory()) return { error: 'The path is a folder, not a file.' };
    if (!kind.isFile() && !(options.pipes && kind.isFIFO())) return { error: 'The path is not a regular file.' };
    fd = openSync(abs, 'r');
    const st = fstatSync(fd);
    if (st.size > MAX_TEMPLATE_BYTES) return { error: `The file is ${(st.size / 1048576).toFixed(0)} MB; egress-lint reads at most ${MAX_TEMPLATE_BYTES / 1048576} MB.` };
    // Read to the end rather than trusting the size (a pipe has none, a file may grow), but stop one byte past the cap.
    const chunks: Buffer[] = [];
    let total = 0;
    let size = st.isFile() ? st.size + 1 : 1 << 16;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(size, MAX_TEMPLATE_BYTES + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      total += n;
      if (n > 0) chunks.push(chunk.subarray(0, n));
      if (total > MAX_TEMPLATE_BYTES) return { error: `The file is larger than ${MAX_TEMPLATE_BYTES / 1048576} MB; egress-lint reads at most ${MAX_TEMPLATE_BYTES / 1048576} MB.` };
      // A short read of a regular file is its end.
      if (n === 0 || (st.isFile() && n < chunk.length)) break;
      size = 1 << 20;
    }
    const buf = Buffer.concat(chunks, total);
    if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) return decodeText(buf);
    const head = buf.subarray(0, 8192);
    if (head.includes(0)) return { error: looksLikeUtf16(head) ? 'The file is UTF-16 without a byte-order mark; save it as UTF-8 (or UTF-16 with a byte-order mark).' : 'The file is binary, not JSON.' };
    return buf.toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'EISDIR' ? 'The path is a folder, not a file.' : `The file cannot be read (${code ?? 'error'}).` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Where linked templates may be read from (see fileLinkResolver). */
export interface LinkOptions {
  /**
   * The root that links may not leave when the linking template is in no git repository: the folder named on the
   * command line (default: the working directory). Inside a repository, its top level is the root.
   */
  readonly root?: string;
  /** URL prefixes read from local folders (the configuration's `links`): `https://raw.githubusercontent.com/org/repo/main/` → the repository's folder. */
  readonly map?: Readonly<Record<string, string>>;
  /** false: `root` is the root even inside a git repository (a test's folder of fixtures is its own project). */
  readonly git?: boolean;
}

/** The top level of the git repository that holds `dir` (a folder with `.git`, a folder or a worktree's file), or undefined. */
export function gitTopLevel(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

type Read = TemplateDoc | { error: string; remote?: true };

/**
 * A resolver for linked templates (contract: "Linked templates"): `relativePath` beside the linking template; a
 * `uri` that is a file URI (deployment().properties.templateLink.uri and `_artifactsLocation` are the template's own,
 * see uriOf) or starts with a prefix of `options.map`. Never outside the project root (the git top level of the
 * linking template, else `options.root`), never by URL. File names in findings are relative to `cwd`; a template
 * linked many times is read once.
 */
export function fileLinkResolver(cwd: string, options: LinkOptions = {}): LinkResolver {
  const fallback = resolve(cwd, options.root ?? '.');
  const map = Object.entries(options.map ?? {}).map(([prefix, folder]) => ({ prefix, folder: resolve(cwd, folder) })).sort((a, b) => b.prefix.length - a.prefix.length);
  const cache = new Map<string, Read>();
  const roots = new Map<string, string>();
  const rootOf = (fromFile: string): string => {
    const dir = dirname(resolve(cwd, fromFile));
    let root = roots.get(dir);
    if (root === undefined) {
      root = (options.git === false ? undefined : gitTopLevel(dir)) ?? fallback;
      try {
        root = realpathSync(root);
      } catch {
        // a root that is gone: nothing below it can be read either
      }
      roots.set(dir, root);
    }
    return root;
  };
  const readFile = (target: string, fromFile: string): Read => {
    const hit = cache.get(target);
    if (hit) return hit;
    let out: Read;
    const root = rootOf(fromFile);
    const outside = (path: string): boolean => {
      const rel = relative(root, path);
      return rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel);
    };
    try {
      // Outside as written, whether or not it exists; then outside once symbolic links are followed.
      const real = outside(resolve(target)) ? undefined : realpathSync(target);
      if (real === undefined || outside(real)) out = { error: 'it is outside the project root' };
      else {
        const text = readTemplateText(real);
        // The reader's sentence ("The file is binary, not JSON.") becomes a clause of the caller's message.
        out = typeof text === 'string' ? loadTemplate(relative(cwd, target).split(sep).join('/') || target, text) : { error: text.error.replace(/^The (file|path)/, 'the $1').replace(/\.$/, '') };
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      out = { error: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : `it cannot be read (${code ?? 'error'})` };
    }
    cache.set(target, out);
    return out;
  };
  return {
    read(link, fromFile) {
      if ('relativePath' in link) {
        // A relativePath is relative to the linking template: a URL there is a mistake, which Azure rejects too.
        if (/^[a-z][a-z0-9+.-]*:/i.test(link.relativePath)) return { error: 'a URL, which egress-lint never fetches' };
        return readFile(resolve(cwd, dirname(fromFile), link.relativePath), fromFile);
      }
      // A SAS token or any other query is no part of the file's name.
      const uri = link.uri.replace(/[?#].*$/s, '');
      if (/^file:/i.test(uri)) {
        try {
          return readFile(fileURLToPath(uri), fromFile);
        } catch {
          return { error: 'the file URI is not valid' };
        }
      }
      // The prefix compares without case (hosts, and GitHub's owner and repository names, ignore it); the rest is a file path.
      const mapped = map.find((m) => uri.slice(0, m.prefix.length).toLowerCase() === m.prefix.toLowerCase());
      if (mapped) {
        let rest: string;
        try {
          rest = decodeURIComponent(uri.slice(mapped.prefix.length));
        } catch {
          return { error: 'the URL is not valid' };
        }
        return readFile(resolve(mapped.folder, rest), fromFile);
      }
      return { error: 'a URL, which egress-lint never fetches; map its prefix to a folder in the configuration\'s links to read it from disk', remote: true };
    },
    uriOf(file) {
      return fileUrl(resolve(cwd, file));
    },
    show(link) {
      if (!/^file:/i.test(link)) return link;
      try {
        return relative(cwd, fileURLToPath(link.replace(/[?#].*$/s, ''))).split(sep).join('/');
      } catch {
        return link;
      }
    },
  };
}

/**
 * The file: URL of an absolute path, as pathToFileURL writes it. A path made only of characters that a URL path keeps
 * as they are is the URL after `file://` (pathToFileURL parses a whole URL, a large part of linting a small
 * template that calls deployment()); any other path, and every Windows path, goes through pathToFileURL.
 */
export function fileUrl(abs: string): string {
  return sep === '/' && PLAIN_PATH.test(abs) && !DOT_SEGMENT.test(abs) ? `file://${abs}` : pathToFileURL(abs).href;
}

const PLAIN_PATH = /^(?:\/[A-Za-z0-9._!$&'()*+,;=:@-]+)*\/?$/;
/** `.` and `..` segments, which a URL drops or applies. */
const DOT_SEGMENT = /\/\.\.?(?:\/|$)/;

/** A file's text (UTF-8, or UTF-16 with a byte order mark, as PowerShell writes), or why it cannot be read. */
export function readText(cwd: string, file: string): string | { error: string } {
  return readTemplateText(resolve(cwd, file), { pipes: true });
}

/** The pipeline's host for files on disk: named relative to `cwd`, linked templates read as `links` allows. */
export function diskHost(cwd: string, links: LinkOptions = {}): SourceHost {
  return { readText: (file) => readText(cwd, file), links: fileLinkResolver(cwd, links), listFiles: (dir) => listFiles(cwd, dir, links) };
}

/**
 * The regular files of a folder named relative to `cwd` (a Terraform module's source), named the same way, or
 * undefined for a folder outside the project root (its git top level, else `links.root`) or one that cannot be read.
 */
export function listFiles(cwd: string, dir: string, links: LinkOptions = {}): string[] | undefined {
  const abs = resolve(cwd, dir || '.');
  const root = (links.git === false ? undefined : gitTopLevel(cwd)) ?? resolve(cwd, links.root ?? '.');
  const rel = relative(root, abs);
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  try {
    return readdirSync(abs, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort()
      .map((n) => (dir === '' || dir === '.' ? n : `${dir.replace(/\\/g, '/').replace(/\/$/, '')}/${n}`));
  } catch {
    return undefined;
  }
}

/** A path as messages show it: relative to `cwd` when it is below it, else as given. */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file).replace(/\\/g, '/');
  return rel === '' || isAbsolute(rel) ? file : rel;
}
