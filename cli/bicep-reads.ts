// What a Bicep input reads besides itself (cli/outputs.ts: a report is never written over it). Small and without
// dependencies: main.ts loads it on every run that writes a report.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The local files a Bicep file names that the Bicep CLI reads to compile it: the template of a .bicepparam's `using`,
 * modules and imports (those that are .bicep files are refused by name anyway; this finds an ARM JSON one). Registry
 * and template-spec references ('br:', 'ts:') are not files. Read with a pattern, not a Bicep parser: a reference
 * spelt otherwise (a multi-line string) is not found.
 */
export function bicepReads(abs: string): string[] {
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch {
    return [];
  }
  const out: string[] = [];
  const re = /^[ \t]*(?:using|module[ \t]+[A-Za-z_][\w]*|import\b[^'\n]*?from)[ \t]+'([^'$\n]+)'/gm;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) if (!/^[a-z]+:/i.test(m[1])) out.push(resolve(dirname(abs), m[1]));
  return out;
}
