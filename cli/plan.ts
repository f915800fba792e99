// What each template is linted with: its configuration (cli/config-tree.ts) under the command line's flags. Templates
// with the same rule levels, scope, allow-list, linked-template folders and inventory share one set of session
// options (a variant); the main thread and every worker lint each template with its own (cli/parallel.ts).
import { resolve } from 'node:path';
import { parseAllowList } from '../engine/index.js';
import type { Inventory, RuleLevel, RuleSettings } from '../engine/index.js';
import type { Target } from '../api/discover.js';
import type { LinkOptions } from '../api/files.js';
import type { FileLintOptions } from '../api/run.js';
import { withConfigParameters } from './config-tree.js';
import type { Configs, FolderConfig } from './config-tree.js';

/** The session options that differ from template to template. */
export type TargetOptions = Pick<FileLintOptions, 'levels' | 'scope' | 'settings' | 'links' | 'inventory'>;

/** What the command line sets for every template, over each one's configuration. */
export interface RunFlags {
  readonly levels: Readonly<Record<string, RuleLevel>>;
  readonly scope: Readonly<Record<string, string>>;
  /** --inventory, absolute: read after the configuration's files. */
  readonly inventory: readonly string[];
  /** --parameters: the parameter file of every template, instead of the configuration's. */
  readonly parameters?: string;
  /** Where linked templates may be read from; the configuration adds its URL prefixes. */
  readonly links: Omit<LinkOptions, 'map'>;
}

export interface Plan {
  /** The templates to lint, with the configuration's parameter files set. */
  readonly targets: readonly Target[];
  /** Each target's configuration. */
  readonly configs: readonly FolderConfig[];
  readonly variants: readonly TargetOptions[];
  /** Each target's variant. */
  readonly variantOf: readonly number[];
  /** Every inventory file of the run, absolute. */
  readonly inventoryFiles: readonly string[];
}

/** The inventories of a run, each read once (by its files and the scope its exported templates are read in). */
export class Inventories {
  private readonly read = new Map<string, Inventory>();

  constructor(private readonly cwd: string) {}

  async get(files: readonly string[], scope: Readonly<Record<string, string>>): Promise<Inventory | undefined> {
    if (files.length === 0) return undefined;
    const key = JSON.stringify([files, scope]);
    let inventory = this.read.get(key);
    if (!inventory) {
      inventory = (await import('../api/inventory.js')).loadInventory(files, this.cwd, scope);
      this.read.set(key, inventory);
    }
    return inventory;
  }
}

/**
 * The plan of a run: each target's configuration and session options. With `check`, a parameter file the
 * configuration names that does not exist stops the run (the working tree; at a git base, it is a finding).
 */
export async function planRun(found: readonly Target[], cwd: string, configs: Configs, flags: RunFlags, inventories: Inventories, check = true): Promise<Plan> {
  const all = await Promise.all(found.map((t) => configs.forFile(resolve(cwd, t.template))));
  const inventoryFiles = [...new Set([...all.flatMap((c) => c.inventory), ...flags.inventory])];
  // An exported template given as inventory is reference data, not a template to lint.
  const reference = new Set(inventoryFiles);
  const kept = found.map((t) => !reference.has(resolve(cwd, t.template)));
  let targets = found.filter((_, i) => kept[i]);
  const configOf = all.filter((_, i) => kept[i]);
  if (flags.parameters === undefined) targets = await withConfigParameters(targets, cwd, configs, check);

  const variants: TargetOptions[] = [];
  const variantOf: number[] = [];
  const byKey = new Map<string, number>();
  const byConfig = new Map<FolderConfig, number>();
  for (const fc of configOf) {
    let v = byConfig.get(fc);
    if (v === undefined) {
      const levels = { ...fc.rules, ...flags.levels };
      const scope = { ...fc.scope, ...flags.scope };
      const inventory = [...fc.inventory, ...flags.inventory];
      const allow = fc.allow?.value ?? [];
      const key = JSON.stringify([levels, scope, allow, fc.links, inventory]);
      v = byKey.get(key);
      if (v === undefined) {
        const read = await inventories.get(inventory, scope);
        // loadConfig has checked every allow entry.
        const settings: RuleSettings = allow.length ? { allow: parseAllowList(allow).list } : {};
        const links = Object.keys(fc.links).length ? { ...flags.links, map: fc.links } : { ...flags.links };
        variants.push({ levels, scope, settings, links, ...(read ? { inventory: read } : {}) });
        v = variants.length - 1;
        byKey.set(key, v);
      }
      byConfig.set(fc, v);
    }
    variantOf.push(v);
  }
  return { targets, configs: configOf, variants, variantOf, inventoryFiles };
}
