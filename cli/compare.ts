// Compares the run's egress with a lock file (--lock, config `lock`) or with the same paths at a git commit
// (--base), and hands the changes to the pipeline's session phase (egress-changed), which runs once every template
// is linted: whether a VM disappeared can only be decided then.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { analysed, diffLocks, finishSession, loadTemplate, lockOf, parseAllowList, parseLock, pointerJoin } from '../engine/index.js';
import type { EgressComparison, LintResult, LockFile, LockVm, Rule, RuleLevel, RuleSettings, SessionOptions, VmChange } from '../engine/index.js';
import { discover } from '../api/discover.js';
import { UsageError } from '../api/errors.js';
import { displayPath } from '../api/files.js';
import { lintFiles } from '../api/run.js';
import type { FileLintOptions } from '../api/run.js';
import type { Config, LoadedConfig } from './config.js';
import { ConfigError, applyConfigParameters } from './config.js';
import { gitRepository, materialiseCommit, resolveCommit } from './git.js';
import type { Io } from './io.js';

const slash = (p: string): string => p.replace(/\\/g, '/');

/** A path relative to `from`, with '/' (what lock files and reports hold). */
export function relativeTo(from: string, abs: string): string {
  return slash(relative(from, abs)) || '.';
}

/** The lock of a run, with template paths relative to `base` (the lock file's folder). */
export function lockOfResults(results: readonly LintResult[], cwd: string, base: string): LockFile {
  return lockOf(results.filter(analysed).map((r) => ({ file: relativeTo(base, resolve(cwd, r.file)), vms: r.vms })));
}

/** The lock file's absolute path: --lock (relative to the working directory), else the configuration's `lock`. */
export function lockPathOf(flag: string | undefined, loaded: LoadedConfig | undefined, cwd: string): string | undefined {
  if (flag !== undefined) return resolve(cwd, flag);
  const configured = loaded?.config.lock;
  return configured !== undefined && loaded ? resolve(loaded.dir, configured) : undefined;
}

/** Reads and checks a lock file; a missing or broken one stops the run (exit 2) naming it. */
export function readLock(abs: string, cwd: string): { lock: LockFile; text: string } {
  const shown = displayPath(abs, cwd);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(`The lock file ${shown} does not exist; run 'egress-lint lock' to write it from the templates as they are now.`);
    throw new ConfigError(`Cannot read the lock file ${shown} (${code ?? 'error'}).`);
  }
  const parsed = parseLock(text);
  if ('errors' in parsed) throw new ConfigError(parsed.errors.map((e) => `${shown}: ${e}.`).join('\n') + `\nRewrite it with 'egress-lint lock'.`);
  return { lock: parsed.lock, text };
}

/** What the base lint and the comparison need from the lint run. */
export interface CompareOptions {
  readonly io: Io;
  readonly rules: readonly Rule[];
  readonly levels: Readonly<Record<string, RuleLevel>>;
  /** The run's rule settings (the allow-list), which the session phase sees with the comparison. */
  readonly settings?: RuleSettings;
  /** The path arguments of the run (default: the current folder). */
  readonly paths: readonly string[];
  readonly ignore: readonly string[];
  readonly loaded: LoadedConfig | undefined;
  /** --parameters, when given. */
  readonly parameters?: string;
  /** Files (absolute, in the working tree) that are not templates to lint: exported templates given as inventory. */
  readonly exclude?: readonly string[];
  /** Everything else the working-tree lint used (scope, inventory), so the base is linted the same way. */
  readonly run: Omit<FileLintOptions, 'cwd' | 'rules' | 'levels' | 'parameters' | 'settings'>;
  /** --lock or the configuration's `lock`, absolute. */
  readonly lockFile?: string;
  /** --base. */
  readonly base?: string;
}

export interface Compared {
  readonly results: LintResult[];
  /** The comparison the Markdown report shows: the git base when there is one, else the lock file. */
  readonly shown?: EgressComparison;
}

/**
 * Lints the same paths at a git commit, in a private copy of the commit's template files (the working tree and
 * the index are never touched), with the same configuration. A path that does not exist at the commit holds no
 * VMs there (they all appear); finding no template at all is an empty base, not an error.
 */
export async function lintAtBase(ref: string, o: CompareOptions): Promise<LintResult[]> {
  const { io } = o;
  const { root, prefix } = await gitRepository(io.cwd, io.env);
  const commit = await resolveCommit(root, ref, io.env);
  const tmp = mkdtempSync(join(tmpdir(), 'egress-lint-base-'));
  try {
    await materialiseCommit(root, commit, tmp, io.env);
    // The copy is a repository root to the folder search too: globby reads the .gitignore files between the root it
    // finds and the folder searched, so a run from a subfolder leaves out at the commit what it leaves out here.
    mkdirSync(join(tmp, '.git'));
    const cwd = join(tmp, ...prefix.split('/').filter(Boolean));
    mkdirSync(cwd, { recursive: true });
    // git names the root by its real path; compare real paths (a symlinked /tmp or home folder).
    const real = (p: string): string => {
      try {
        return realpathSync(p);
      } catch {
        return p;
      }
    };
    const realRoot = real(root);
    const realCwd = real(io.cwd);
    const inRepo = (abs: string): string | undefined => {
      const rel = relative(realRoot, abs);
      return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? undefined : rel;
    };
    const paths: string[] = [];
    for (const p of o.paths.length ? o.paths : ['.']) {
      if (/[*?[\]{}]/.test(p) && !existsSync(resolve(io.cwd, p))) {
        paths.push(p);
        continue;
      }
      if (inRepo(resolve(realCwd, p)) === undefined) throw new UsageError(`--base compares files inside the git repository, and ${p} is outside ${root}.`);
      if (existsSync(resolve(cwd, p))) paths.push(p);
    }
    if (paths.length === 0) return [];
    // The configuration file's folder, inside the copy, so its ignore globs and parameter files apply there too.
    const loadedRel = o.loaded ? inRepo(real(o.loaded.dir)) : undefined;
    const loaded = o.loaded && loadedRel !== undefined ? { ...o.loaded, dir: join(tmp, loadedRel) } : o.loaded;
    const cfg = loaded?.config;
    const found = await discover(paths, cwd, o.ignore, { bicep: true, ...(loaded && cfg?.ignore?.length ? { ignoreFrom: { dir: loaded.dir, patterns: cfg.ignore } } : {}) });
    const exclude = new Set(o.exclude ?? []);
    let targets = found.targets.filter((t) => !exclude.has(resolve(io.cwd, t.template)));
    if (targets.length === 0) return [];
    if (loaded && cfg?.parameters && !o.parameters) targets = await applyConfigParameters(targets, loaded, cwd);
    if (targets.some((t) => t.kind !== undefined)) {
      const { compileBicepTargets } = await import('./bicep.js');
      targets = await compileBicepTargets(targets, { cwd, env: io.env });
    }
    // A --parameters file missing at the commit is read from the working tree.
    const parameters = o.parameters === undefined ? undefined : existsSync(resolve(cwd, o.parameters)) ? o.parameters : resolve(io.cwd, o.parameters);
    // Only the egress is compared: no rule needs to run at the base.
    // Linked templates are read inside the commit's copy: its root is the repository's, and mapped folders move with it.
    const map: Record<string, string> = {};
    for (const [prefix, folder] of Object.entries(o.run.links?.map ?? {})) {
      const rel = inRepo(real(folder));
      map[prefix] = rel === undefined ? folder : join(tmp, rel);
    }
    const links = { root: tmp, map, git: false };
    return lintFiles(targets, { ...o.run, cwd, links, rules: [], ...(parameters !== undefined ? { parameters } : {}) });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The lock's entries that this run can be compared with: those of analysed templates, and those whose template is gone. */
function comparable(lock: LockFile, results: readonly LintResult[], base: string, cwd: string): LockFile {
  const linted = new Map(results.map((r) => [slash(relative(cwd, resolve(cwd, r.file))), r]));
  const vms: Record<string, LockVm> = {};
  for (const [key, v] of Object.entries(lock.vms)) {
    const file = relativeTo(cwd, resolve(base, v.file));
    const r = linted.get(file);
    if (r ? analysed(r) : !existsSync(resolve(cwd, file))) vms[key] = v;
  }
  return { version: lock.version, vms };
}

/** Changes with template paths relative to the working directory, and a place for VMs whose template is gone. */
function located(changes: readonly VmChange[], results: readonly LintResult[], base: string, cwd: string, orphanAt: (c: VmChange) => { file: string; pointer: string }): VmChange[] {
  const files = new Set(results.map((r) => r.file));
  return changes.map((c) => {
    const file = relativeTo(cwd, resolve(base, c.file));
    const moved = { ...c, file };
    return c.kind === 'disappeared' && !files.has(file) ? { ...moved, reportAt: orphanAt(moved) } : moved;
  });
}

/**
 * The run compared with a lock file (`lockFile` absolute, its template paths relative to its folder): only the lock's
 * entries this run can speak for (templates it analysed, templates that are gone), a VM whose template is gone
 * reported at its entry in the lock file.
 */
export function lockComparison(results: readonly LintResult[], lock: LockFile, lockFile: string, cwd: string): EgressComparison {
  const shown = displayPath(lockFile, cwd);
  const base = dirname(lockFile);
  const changes = diffLocks(comparable(lock, results, base, cwd), lockOfResults(results, cwd, base));
  return { against: shown, changes: located(changes, results, base, cwd, (c) => ({ file: shown, pointer: pointerJoin('/vms', c.key) })) };
}

/** The session phase with a comparison: egress-changed over the reports, positioned in the lock file's text too. */
export function withComparison(results: readonly LintResult[], comparison: EgressComparison, session: SessionOptions, lock?: { readonly file: string; readonly text: string }): LintResult[] {
  const docs = new Map(lock ? [[lock.file, loadTemplate(lock.file, lock.text)]] : []);
  return finishSession(results, { ...session, settings: { ...session.settings, egressChanges: comparison } }, docs);
}

/**
 * Compares the run with the lock file and/or the git base. egress-changed findings come from the lock file when
 * there is one (the committed contract, which a pull request may update along with its templates), else from the
 * base; the Markdown report shows the base comparison when there is one (what the pull request changes).
 */
export async function compareEgress(results: readonly LintResult[], o: CompareOptions): Promise<Compared> {
  const { cwd } = o.io;
  let fromLock: EgressComparison | undefined;
  let lock: { file: string; text: string } | undefined;
  if (o.lockFile !== undefined) {
    const read = readLock(o.lockFile, cwd);
    lock = { file: displayPath(o.lockFile, cwd), text: read.text };
    fromLock = lockComparison(results, read.lock, o.lockFile, cwd);
  }
  let fromBase: EgressComparison | undefined;
  if (o.base !== undefined) {
    const baseResults = await lintAtBase(o.base, o);
    // A template that cannot be read on either side tells nothing about its VMs: leave it out of the comparison.
    const unreadable = new Set([...baseResults, ...results].filter((r) => !analysed(r)).map((r) => r.file));
    const keep = (rs: readonly LintResult[]) => rs.filter((r) => !unreadable.has(r.file));
    const changes = diffLocks(lockOfResults(keep(baseResults), cwd, cwd), lockOfResults(keep(results), cwd, cwd));
    fromBase = { against: `base ${o.base}`, changes: located(changes, results, cwd, cwd, (c) => ({ file: c.file, pointer: '' })) };
  }
  const changes = fromLock ?? fromBase;
  const out = changes ? withComparison(results, changes, { rules: o.rules, levels: o.levels, ...(o.settings ? { settings: o.settings } : {}) }, lock) : [...results];
  return { results: out, ...(fromBase ?? fromLock ? { shown: fromBase ?? fromLock } : {}) };
}

export { LOCK_FILE } from '../engine/index.js';

/** What rules get from the configuration: the parsed allow-list (loadConfig has already checked every entry). */
export function settingsOf(config: Config): RuleSettings {
  return config.allow?.length ? { allow: parseAllowList(config.allow).list } : {};
}
