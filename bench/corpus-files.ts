// Finds ARM templates in a folder and pairs each with its parameter file, for the corpus sweep and benchmark.
import { readdirSync, readFileSync } from 'node:fs';
import type { DocumentInput } from '../engine/index.js';
import { basename, dirname, join } from 'node:path';

export interface CorpusEntry {
  readonly template: string;
  readonly parameters?: string;
}

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && /\.jsonc?$/i.test(e.name)) out.push(p);
  }
}

/** Every JSON file whose $schema names a deploymentTemplate, with `<name>.parameters.json` beside it if any. */
export function corpusEntries(dir: string): CorpusEntry[] {
  const files: string[] = [];
  walk(dir, files);
  files.sort();
  const set = new Set(files);
  const out: CorpusEntry[] = [];
  for (const f of files) {
    const head = readFileSync(f, 'utf8').slice(0, 2000);
    if (!/deploymentTemplate\.json/i.test(head)) continue;
    const params = join(dirname(f), basename(f).replace(/\.jsonc?$/i, '.parameters.json'));
    out.push(set.has(params) ? { template: f, parameters: params } : { template: f });
  }
  return out;
}

/** The corpus benchmarks' baseline: every template and parameter file read and JSON.parse'd (a count, so none is skipped). */
export function parseOnly(entries: readonly CorpusEntry[]): number {
  let n = 0;
  for (const e of entries) {
    for (const file of e.parameters ? [e.template, e.parameters] : [e.template]) {
      const text = readFileSync(file, 'utf8');
      try {
        n += Object.keys(JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as object).length;
      } catch {
        n++;
      }
    }
  }
  return n;
}

/** A corpus entry as the pipeline takes it, its texts read as the baseline reads them. */
export function documentOf(e: CorpusEntry): DocumentInput {
  const text = readFileSync(e.template, 'utf8');
  return e.parameters ? { file: e.template, text, parameters: { file: e.parameters, text: readFileSync(e.parameters, 'utf8') } } : { file: e.template, text };
}

/** CPU time of this process (user + system) in ms: the machines are shared, and wall time counts others' load. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
