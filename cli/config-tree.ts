// Configuration per folder: each template is linted with the egress-lint.config.json of its folder and those of the
// folders above it, up to the repository root (a folder holding .git) or a file that says "root": true, as
// markdownlint-cli2 (.markdownlint-cli2.jsonc) and EditorConfig do. The files merge, the nearest first: rules, scope,
// parameters and links key by key; ignore and inventory add up (each relative to its own file's folder); allow, lock
// and maxWarnings come from the nearest file that sets them. --config names one file for every template instead.
import { existsSync, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import type { Rule, RuleLevel } from '../engine/index.js';
import type { Target } from '../api/discover.js';
import { displayPath, gitTopLevel } from '../api/files.js';
import { ignoreMatcher } from '../api/ignore-globs.js';
import { inputProblem } from '../api/input-files.js';
import { CONFIG_FILE, ConfigError, MAX_ENTRIES, loadConfig } from './config.js';
import type { LoadedConfig, ScopeField } from './config.js';

/** A setting one file makes for every template below it, and that file (messages name it). */
export interface Owned<T> {
  readonly value: T;
  readonly from: LoadedConfig;
}

/** A parameter file entry: the key (a template path or glob) and the file are relative to `from`'s folder. */
export interface ParameterEntry {
  readonly from: LoadedConfig;
  readonly key: string;
  /** Absolute. */
  readonly file: string;
}

/** What the configuration files that apply to a folder say, merged; every path absolute. */
export interface FolderConfig {
  /** The files that apply, the nearest first; empty when none does. */
  readonly files: readonly LoadedConfig[];
  readonly rules: Readonly<Record<string, RuleLevel>>;
  readonly scope: Readonly<Partial<Record<ScopeField, string>>>;
  /** The nearest file's keys first: the first match wins. */
  readonly parameters: readonly ParameterEntry[];
  /** Ignore globs, each list with the folder it is relative to. */
  readonly ignore: readonly { readonly dir: string; readonly patterns: readonly string[] }[];
  /** Linked templates: URL prefix → folder. */
  readonly links: Readonly<Record<string, string>>;
  /** The nearest file's first (for a resource listed twice, the first file wins). */
  readonly inventory: readonly string[];
  readonly allow?: Owned<readonly string[]>;
  readonly lock?: Owned<string>;
  readonly maxWarnings?: Owned<number>;
}

/** Where templates get their configuration: the folders' files, or one file for all. */
export interface Configs {
  /** The configuration of a template (an absolute path). */
  forFile(file: string): Promise<FolderConfig>;
}

export const NO_CONFIG: FolderConfig = { files: [], rules: {}, scope: {}, parameters: [], ignore: [], links: {}, inventory: [] };

/** `parent` with one more file, nearer to the templates, on top. */
export function mergeOnto(parent: FolderConfig, loaded: LoadedConfig): FolderConfig {
  const c = loaded.config;
  const at = (p: string): string => resolve(loaded.dir, p);
  const own = Object.create(null) as Record<string, string>;
  for (const [prefix, folder] of Object.entries(c.links ?? {})) own[prefix] = at(folder);
  const allow = c.allow !== undefined ? { value: c.allow, from: loaded } : parent.allow;
  const lock = c.lock !== undefined ? { value: at(c.lock), from: loaded } : parent.lock;
  // egress-lint lock writes this file: never outside the repository that holds the configuration (its folder when
  // there is none), as linked templates are never read from outside it.
  if (c.lock !== undefined) {
    const root = gitTopLevel(loaded.dir) ?? loaded.dir;
    const rel = relative(root, at(c.lock));
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))
      throw new ConfigError(`${loaded.file}: lock "${c.lock}" is outside ${gitTopLevel(loaded.dir) ? 'the repository' : 'the folder of this file'} (${root}); name a lock file inside it.`);
  }
  const maxWarnings = c.maxWarnings !== undefined ? { value: c.maxWarnings, from: loaded } : parent.maxWarnings;
  // Every ignore glob that applies to a template is matched against every file searched: the files of a folder and
  // those above it count together.
  const globs = (c.ignore?.length ?? 0) + parent.ignore.reduce((n, i) => n + i.patterns.length, 0);
  if (c.ignore?.length && globs > MAX_ENTRIES.ignore)
    throw new ConfigError(`${loaded.file}: the ignore globs of this file and the configuration files above it add up to ${globs.toLocaleString('en-US')}; egress-lint takes at most ${MAX_ENTRIES.ignore.toLocaleString('en-US')}.`);
  return {
    files: [loaded, ...parent.files],
    rules: { ...parent.rules, ...c.rules },
    scope: { ...parent.scope, ...c.scope },
    parameters: [...Object.entries(c.parameters ?? {}).map(([key, file]) => ({ from: loaded, key, file: at(file) })), ...parent.parameters],
    // The parent's own array when this file adds none: folders that ignore the same globs share one list.
    ignore: c.ignore?.length ? [...parent.ignore, { dir: loaded.dir, patterns: c.ignore }] : parent.ignore,
    links: Object.assign(Object.create(null) as Record<string, string>, parent.links, own),
    inventory: c.inventory?.length ? [...c.inventory.map(at), ...parent.inventory] : parent.inventory,
    ...(allow ? { allow } : {}),
    ...(lock ? { lock } : {}),
    ...(maxWarnings ? { maxWarnings } : {}),
  };
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * The configuration files of a working tree, read once each. A folder without a file of its own has its parent's
 * configuration (the same object: templates that share it share one lint session), and so on up to the repository
 * root. A file that cannot be read or does not match the schema stops the run (ConfigError, exit 2) when a template
 * below it is linted.
 */
export class ConfigTree implements Configs {
  private readonly loaded = new Map<string, Promise<FolderConfig>>();

  private constructor(
    private readonly cwd: string,
    private readonly rules: readonly Rule[],
    /** --config: the one file for every template. */
    private readonly explicit: FolderConfig | undefined,
  ) {}

  /** The tree seen from `cwd`; with `explicit` (--config, relative to `cwd`), that file alone for every template. */
  static async open(cwd: string, explicit: string | undefined, rules: readonly Rule[]): Promise<ConfigTree> {
    const abs = resolve(cwd);
    return new ConfigTree(abs, rules, explicit === undefined ? undefined : mergeOnto(NO_CONFIG, await loadConfig(explicit, abs, rules)));
  }

  forFile(file: string): Promise<FolderConfig> {
    return this.forDir(dirname(resolve(this.cwd, file)));
  }

  /** The configuration of the templates in `dir`. */
  forDir(dir: string): Promise<FolderConfig> {
    if (this.explicit) return Promise.resolve(this.explicit);
    const abs = resolve(this.cwd, dir);
    let found = this.loaded.get(abs);
    if (!found) {
      found = this.compute(abs);
      this.loaded.set(abs, found);
    }
    return found;
  }

  private async compute(dir: string): Promise<FolderConfig> {
    const up = dirname(dir);
    // The repository root ends the search: a file in a parent folder of a checkout never applies inside it.
    const parent = existsSync(join(dir, '.git')) || up === dir ? NO_CONFIG : undefined;
    const file = join(dir, CONFIG_FILE);
    // lstat, not exists: a symbolic link to a file that is missing is a configuration that cannot be read (exit 2),
    // never one silently absent.
    const link = lstatSync(file, { throwIfNoEntry: false });
    if (!link) return parent ?? this.forDir(up);
    if (link.isSymbolicLink() && !existsSync(file)) throw new ConfigError(`Cannot read the configuration file ${displayPath(file, this.cwd)}: it is a symbolic link to ${readlinkSync(file)}, which does not exist.`);
    const loaded = await loadConfig(file, this.cwd, this.rules);
    return mergeOnto(loaded.config.root === true ? NO_CONFIG : (parent ?? (await this.forDir(up))), loaded);
  }
}

const slash = (p: string): string => p.split(sep).join('/');

/** The real path of `p`, through its deepest folder that exists (a parameter file may be missing). */
export function realPath(p: string): string {
  const rest: string[] = [];
  for (let d = p; ; d = dirname(d)) {
    try {
      return join(realpathSync(d), ...rest.reverse());
    } catch {
      if (dirname(d) === d) return p;
      rest.push(basename(d));
    }
  }
}

function outside(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/**
 * The same configuration seen from a copy of the repository (a commit's files, for --base): a template of the copy
 * gets the configuration of the same path in the working tree, with the folders inside the repository moved to the
 * copy (parameter files and linked templates are read there, ignore globs match there). Inventory files stay where
 * they are: they describe what is deployed, not a commit.
 */
export function relocated(configs: Configs, from: string, to: string): Configs {
  // `from` is git's real path; the configuration's folders may be named through a symbolic link (a linked home or
  // temporary folder): compare real paths.
  const move = (p: string): string => {
    const rel = relative(from, realPath(p));
    return outside(rel) ? p : join(to, rel);
  };
  const back = (p: string): string => {
    const rel = relative(to, p);
    return outside(rel) ? p : join(from, rel);
  };
  const files = new Map<LoadedConfig, LoadedConfig>();
  const moveFile = (l: LoadedConfig): LoadedConfig => {
    let m = files.get(l);
    if (!m) {
      m = { ...l, file: move(l.file), dir: move(l.dir) };
      files.set(l, m);
    }
    return m;
  };
  // One moved object per original, so templates that shared a configuration still share one.
  const done = new Map<FolderConfig, FolderConfig>();
  const ignores = new Map<FolderConfig['ignore'], FolderConfig['ignore']>();
  return {
    async forFile(file) {
      const fc = await configs.forFile(back(resolve(file)));
      let m = done.get(fc);
      if (!m) {
        let ignore = ignores.get(fc.ignore);
        if (!ignore) {
          ignore = fc.ignore.map((i) => ({ dir: move(i.dir), patterns: i.patterns }));
          ignores.set(fc.ignore, ignore);
        }
        const links = Object.create(null) as Record<string, string>;
        for (const [prefix, folder] of Object.entries(fc.links)) links[prefix] = move(folder);
        m = { ...fc, files: fc.files.map(moveFile), parameters: fc.parameters.map((p) => ({ ...p, from: moveFile(p.from), file: move(p.file) })), ignore, links };
        done.set(fc, m);
      }
      return m;
    },
  };
}

/** The deepest folder holding both paths. */
function commonDir(a: string, b: string): string {
  const x = a.split(sep);
  const y = b.split(sep);
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return x.slice(0, i).join(sep) || sep;
}

/** A glob relative to `prefix` (a folder relative to the base), made relative to the base. */
function rebase(prefix: string, pattern: string): string {
  const p = pattern.replace(/\\/g, '/').replace(/^\.\//, '').replace(/^\//, '');
  return prefix ? posix.join(prefix, p) : p;
}

/** A file extension a glob can hold as it is. */
const PLAIN_EXTENSION = /^[A-Za-z0-9_-]+$/;

/**
 * The files (absolute paths) that the `ignore` globs of their own configuration leave out. Files that share a
 * configuration are matched together with globby's matcher (the one the folder search uses): one walk of their
 * common folder with the globs and one without them; a file is ignored when only the second finds it. A file
 * neither walk sees (a name the walk does not look for, node_modules, a symbolic link, a line break in its path) is
 * matched by its own path against the same globs (api/ignore-globs.ts).
 */
export async function ignoredAmong(files: readonly string[], configs: Configs): Promise<Set<string>> {
  const groups = new Map<FolderConfig['ignore'], string[]>();
  for (const f of files) {
    const { ignore } = await configs.forFile(f);
    if (ignore.length === 0) continue;
    const group = groups.get(ignore);
    if (group) group.push(f);
    else groups.set(ignore, [f]);
  }
  const out = new Set<string>();
  if (groups.size === 0) return out;
  const { globby, convertPathToPattern } = await import('globby');
  const options = { gitignore: false, dot: true, followSymbolicLinks: false };
  const found = async (base: string, patterns: readonly string[], ignore: readonly string[]): Promise<Set<string>> =>
    new Set((await globby([...patterns], { ...options, cwd: base, ignore: [...ignore] })).map((f) => resolve(base, f)));
  for (const [ignore, group] of groups) {
    // Globs are matched from a folder holding the files and the configuration files; the walk reads only the
    // folder that holds the files (globby walks from a pattern's fixed part).
    let top = dirname(group[0]);
    for (const f of group) top = commonDir(top, dirname(f));
    let base = top;
    for (const i of ignore) base = commonDir(base, i.dir);
    const globs = ignore.flatMap((i) => i.patterns.map((p) => rebase(slash(relative(base, i.dir)), p)));
    const extensions = [...new Set(group.map((f) => /\.([^./\\]+)$/.exec(f)?.[1]).filter((e): e is string => e !== undefined && PLAIN_EXTENSION.test(e)))];
    const names = extensions.length === 1 ? `*.${extensions[0]}` : `*.{${extensions.join(',')}}`;
    const from = slash(relative(base, top));
    const walk = extensions.length === 0 ? [] : [rebase(from && convertPathToPattern(from), `**/${names}`)];
    const kept = walk.length ? await found(base, walk, [...globs, '**/node_modules/**']) : new Set<string>();
    const missing = group.filter((f) => !kept.has(f));
    if (missing.length === 0) continue;
    const seen = walk.length ? await found(base, walk, ['**/node_modules/**']) : new Set<string>();
    const unseen: string[] = [];
    for (const f of missing) {
      if (seen.has(f)) out.add(f);
      else unseen.push(f);
    }
    if (unseen.length === 0) continue;
    const ignored = await ignoreMatcher(globs);
    for (const f of unseen) if (ignored(slash(relative(base, f)))) out.add(f);
  }
  return out;
}

const WILDCARD = /[*?[\]{}]/;

/**
 * Sets each template's parameter file from its configuration's `parameters` (keys are template paths or globs,
 * relative to their file's folder; the nearest file's keys first, the first match wins). A .bicepparam keeps its own
 * parameters. With `check`, a parameter file that does not exist stops the run, naming the configuration.
 */
export async function withConfigParameters(targets: readonly Target[], cwd: string, configs: Configs, check: boolean): Promise<Target[]> {
  const globs = new Map<string, Promise<Set<string>>>();
  const matched = async (e: ParameterEntry): Promise<Set<string>> => {
    const key = `${e.from.dir}\u0000${e.key}`;
    let set = globs.get(key);
    if (!set) {
      set = import('globby').then(async ({ globby }) => new Set((await globby(e.key, { cwd: e.from.dir, gitignore: false, ignore: ['**/node_modules/**'], dot: true, followSymbolicLinks: false })).map((f) => resolve(e.from.dir, f))));
      globs.set(key, set);
    }
    return set;
  };
  const out: Target[] = [];
  for (const t of targets) {
    const abs = resolve(cwd, t.template);
    const { parameters } = t.kind === 'bicepparam' ? { parameters: [] } : await configs.forFile(abs);
    let hit: ParameterEntry | undefined;
    for (const e of parameters) {
      if (WILDCARD.test(e.key) ? (await matched(e)).has(abs) : resolve(e.from.dir, e.key) === abs) {
        hit = e;
        break;
      }
    }
    if (!hit) {
      out.push(t);
      continue;
    }
    if (check && !isFile(hit.file)) {
      const what = existsSync(hit.file) ? 'is not a file' : 'does not exist';
      throw new ConfigError(`${displayPath(hit.from.file, cwd)}: parameters[${JSON.stringify(hit.key)}] names the parameter file ${displayPath(hit.file, cwd)}, which ${what}.`);
    }
    // A regular file, within the cap: checked before any template is read.
    const problem = check ? inputProblem(hit.file, `the parameter file ${displayPath(hit.file, cwd)}`, 'parameters') : undefined;
    if (problem) throw new ConfigError(`${displayPath(hit.from.file, cwd)}: parameters[${JSON.stringify(hit.key)}]: ${problem.message}`);
    out.push({ ...t, parameters: slash(relative(cwd, hit.file)) || '.' });
  }
  return out;
}
