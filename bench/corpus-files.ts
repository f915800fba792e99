// Finds ARM templates in a folder and pairs each with its parameter file, for the corpus sweep and benchmark.
import { readdirSync, readFileSync } from 'node:fs';
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
