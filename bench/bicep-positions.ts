// Checks the Bicep positions (api/bicep-positions.ts) on a folder of real Bicep files, by hand:
//   node --import tsx bench/bicep-positions.ts <folder>
// Every .bicep file under the folder is built twice with the Bicep CLI on PATH (as egress-lint lints it, and with
// symbolic names), each build in one process over a copy of the folder; for every file that compiles, every compiled
// resource (and every resource of its local modules) must be placed on the declaration of the symbol the compiler
// gave it. Files that do not compile here (a registry module that cannot be restored offline) are counted, not
// checked. Prints the counts and each misplaced resource; exits 1 when one is misplaced.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BICEP, buildCopy, checkResources, filesUnder, hostAt } from '../test/harness/bicep-cli.js';

async function main(): Promise<number> {
  const folder = process.argv[2];
  if (!folder || !BICEP) {
    console.error(!folder ? 'usage: node --import tsx bench/bicep-positions.ts <folder>' : "no 'bicep' on PATH");
    return 2;
  }
  const started = Date.now();
  const [plain, symbolic] = await Promise.all([buildCopy(folder, false), buildCopy(folder, true)]);
  const built = (Date.now() - started) / 1000;
  const failed = new Set<string>();
  for (const b of [plain, symbolic]) for (const l of b.build.stderr.split('\n')) {
    const m = /^(.*?)\(\d+,\d+\) : Error /.exec(l);
    if (m) failed.add(m[1].split(b.dir + '/').join(''));
  }
  const host = hostAt(plain.dir);
  let files = 0;
  let resources = 0;
  let symbolicFiles = 0;
  let skipped = 0;
  const wrong: string[] = [];
  for (const f of filesUnder(plain.dir).filter((x) => x.endsWith('.bicep'))) {
    const json = f.replace(/\.bicep$/, '.json');
    if (failed.has(f) || !existsSync(join(plain.dir, json)) || !existsSync(join(symbolic.dir, json))) {
      skipped++;
      continue;
    }
    const text = readFileSync(join(plain.dir, json), 'utf8');
    const { checks, problems } = checkResources(f, text, readFileSync(join(symbolic.dir, json), 'utf8'), host);
    wrong.push(...problems);
    for (const c of checks) if (!c.want || c.want.file !== c.got.file || c.want.line !== c.got.line) wrong.push(`${f} ${c.pointer} (${c.symbol}): want ${c.want ? `${c.want.file}:${c.want.line}` : 'a declaration'}, got ${c.got.file}:${c.got.line}`);
    files++;
    resources += checks.length;
    if (/"languageVersion": "2\.0"/.test(text)) symbolicFiles++;
  }
  console.log(`${files} files compiled and checked (${symbolicFiles} with symbolic names, ${files - symbolicFiles} without), ${resources} resources; ${skipped} files did not compile here; builds took ${built.toFixed(1)} s`);
  for (const w of wrong) console.log(`  misplaced: ${w}`);
  return wrong.length ? 1 : 0;
}

process.exitCode = await main();
