// Reads the inventory files (--inventory, the configuration's `inventory`) once per run: the only place that
// reads them. A file that cannot be used stops the run (exit 2) naming it, as a bad configuration file does.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { combineInventories, loadTemplate, readInventory } from '../engine/index.js';
import type { Inventory, InventoryFile, Scope } from '../engine/index.js';
import { UsageError } from './errors.js';
import { displayPath, readTemplateText } from './files.js';
import { INPUT_CAPS, inputProblem, sizeText } from './input-files.js';

/** An inventory file that cannot be used: exit 2 with the file and the reason, without the "run --help" hint. */
export class InventoryError extends UsageError {
  readonly noHint = true;
}

/** At most this many problems are listed for one file; the rest are counted. */
const MAX_LISTED = 10;

function problemsText(f: InventoryFile): string {
  const lines = f.problems.slice(0, MAX_LISTED).map((p) => {
    const offset = p.at.offset ?? f.doc.start(p.at.pointer);
    const { line, column } = f.doc.lineColumn(offset);
    return `${f.file}:${line + 1}:${column + 1}: ${p.message}`;
  });
  if (f.problems.length > MAX_LISTED) lines.push(`${f.file}: ${f.problems.length - MAX_LISTED} more problems.`);
  return lines.join('\n');
}

/**
 * Reads inventory files (absolute paths) into one inventory. Files are named relative to `cwd` in positions;
 * the same file given twice is read once. Throws an InventoryError for a file that cannot be read or used.
 */
export function loadInventory(files: readonly string[], cwd: string, scope: Partial<Scope> = {}): Inventory {
  checkTotal(files, cwd);
  const read: InventoryFile[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const abs = resolve(cwd, file);
    if (seen.has(abs)) continue;
    seen.add(abs);
    const shown = displayPath(abs, cwd);
    // Only a regular file of at most INPUT_CAPS.inventory bytes (a FIFO or device would never end), read at most one
    // byte past the cap.
    const problem = inputProblem(abs, `the inventory file ${shown}`, 'inventory');
    // One that cannot be stat'ed at all is said as the reader says it.
    if (problem && problem.code === undefined) throw new InventoryError(problem.message);
    const text = readTemplateText(abs);
    if (typeof text !== 'string') throw new InventoryError(`Cannot read the inventory file ${shown}: ${text.error}`);
    const f = readInventory(shown, loadTemplate(shown, text), { scope });
    if (f.problems.length > 0) throw new InventoryError(problemsText(f));
    read.push(f);
  }
  return combineInventories(read);
}

/**
 * The inventory files of one run together, before any is read: each is capped on its own (INPUT_CAPS.inventory), and
 * all are held in memory at once, so a thousand files just under the cap would take gigabytes. Twice one file's cap
 * is far above any real inventory (a few kilobytes per resource).
 */
export const MAX_INVENTORY_TOTAL = 2 * INPUT_CAPS.inventory;

function checkTotal(files: readonly string[], cwd: string): void {
  let total = 0;
  const seen = new Set<string>();
  for (const file of files) {
    const abs = resolve(cwd, file);
    if (seen.has(abs)) continue;
    seen.add(abs);
    // One over its own cap is refused by name when it is read.
    const size = sizeOf(abs);
    if (size > INPUT_CAPS.inventory) continue;
    total += size;
    if (total > MAX_INVENTORY_TOTAL)
      throw new InventoryError(`The inventory files come to more than ${sizeText(MAX_INVENTORY_TOTAL)} together (at ${displayPath(abs, cwd)}), and egress-lint reads at most ${sizeText(MAX_INVENTORY_TOTAL)} of inventory in one run.`);
  }
}

/** The size of a regular file, or 0 (a file that cannot be read is said by the reader, naming why). */
function sizeOf(abs: string): number {
  try {
    const st = statSync(abs);
    return st.isFile() ? st.size : 0;
  } catch {
    return 0;
  }
}
