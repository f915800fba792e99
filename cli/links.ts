// Reads linked templates (templateLink.relativePath) from disk, never outside the project root, never by URL.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { loadTemplate } from '../engine/template/template.js';
import type { TemplateDoc } from '../engine/template/template.js';
import type { LinkResolver } from '../engine/expansion/types.js';

const MAX_LINKED_BYTES = 64 * 1024 * 1024;

/**
 * A resolver for linked templates below `root`. File names in findings are relative to `cwd`, like the
 * template that links them. Documents are cached, so a template linked many times is read once.
 */
export function fileLinkResolver(root: string, cwd: string): LinkResolver {
  const realRoot = realpathSync(root);
  const cache = new Map<string, TemplateDoc | { error: string }>();
  return (relativePath, fromFile) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(relativePath)) return { error: 'a URL, which egress-lint never fetches' };
    const target = resolve(cwd, dirname(fromFile), relativePath);
    const hit = cache.get(target);
    if (hit) return hit;
    let out: TemplateDoc | { error: string };
    try {
      const real = realpathSync(target);
      const rel = relative(realRoot, real);
      if (rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) out = { error: 'it is outside the project root' };
      else if (statSync(real).size > MAX_LINKED_BYTES) out = { error: 'it is larger than 64 MB' };
      else out = loadTemplate(relative(cwd, target) || target, readFileSync(real, 'utf8'));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      out = { error: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : `it cannot be read (${code ?? 'error'})` };
    }
    cache.set(target, out);
    return out;
  };
}
