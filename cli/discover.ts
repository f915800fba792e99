// Finds the templates to lint: files, folders and globs (globby, .gitignore respected), recognised by $schema;
// parameter files are paired with their template by name and never linted as templates.
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { globby } from 'globby';
import { UsageError } from './io.js';

export interface Target {
  /** Path relative to the working directory, with forward slashes. */
  readonly template: string;
  readonly parameters?: string;
}

const SCHEMA_TEMPLATE = /deploymentTemplate\.json/i;
const SCHEMA_PARAMETERS = /deploymentParameters\.json/i;

function head(file: string): string {
  try {
    const fd = readFileSync(file, { encoding: 'utf8', flag: 'r' });
    return fd.slice(0, 4096);
  } catch {
    return '';
  }
}

/** The parameter file a template pairs with: `<name>.parameters.json` beside it. */
export function parameterFileFor(template: string): string {
  return join(dirname(template), basename(template).replace(/\.jsonc?$/i, '') + '.parameters.json');
}

/**
 * Expands CLI paths into templates. Explicit files are linted whatever their $schema says only if they look like
 * templates; folders and globs keep only files whose $schema is a deploymentTemplate.
 */
export async function discover(paths: readonly string[], cwd: string, ignore: readonly string[] = []): Promise<{ targets: Target[]; skipped: string[] }> {
  const patterns: string[] = [];
  const explicit: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      st = undefined;
    }
    if (st?.isFile()) explicit.push(relative(cwd, abs));
    else if (st?.isDirectory()) patterns.push(`${relative(cwd, abs).replace(/\\/g, '/') || '.'}/**/*.{json,jsonc}`);
    else if (/[*?[\]{}]/.test(p)) patterns.push(p);
    else throw new UsageError(`No such file or folder: ${p}`);
  }
  const found = patterns.length
    ? await globby(patterns, { cwd, gitignore: true, ignore: ['**/node_modules/**', ...ignore], followSymbolicLinks: false, dot: false })
    : [];
  const files = [...new Set([...explicit.map((f) => f.replace(/\\/g, '/')), ...found])].sort();
  const isParams = new Set<string>();
  const templates: string[] = [];
  const skipped: string[] = [];
  for (const f of files) {
    const text = head(resolve(cwd, f));
    if (SCHEMA_PARAMETERS.test(text)) isParams.add(f);
    else if (SCHEMA_TEMPLATE.test(text) || (explicit.includes(f) && !text.includes('$schema'))) templates.push(f);
    else skipped.push(f);
  }
  const targets = templates.map((t) => {
    const p = parameterFileFor(t).replace(/\\/g, '/');
    const exists = isParams.has(p) || (() => {
      try {
        return statSync(resolve(cwd, p)).isFile();
      } catch {
        return false;
      }
    })();
    return exists ? { template: t, parameters: p } : { template: t };
  });
  return { targets, skipped };
}
