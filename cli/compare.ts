// Compares the run's egress with lock files (--lock, or each template's configured `lock`) or with the same paths at
// a git commit (--base), and hands the changes to the pipeline's session phase (egress-changed), which runs once
// every template is linted: whether a VM disappeared can only be decided then.
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { analysed, diffLocks, finishSession, loadTemplate, lockOf, parseLock, pointerJoin } from '../engine/index.js';
import type { EgressComparison, LintResult, LockFile, LockVm, Rule, RuleLevel, SessionOptions, TemplateDoc, VmChange } from '../engine/index.js';
import { discover } from '../api/discover.js';
import { UsageError } from '../api/errors.js';
import { displayPath } from '../api/files.js';
import { InputFileError, readInputFile } from '../api/input-files.js';
import { ConfigError } from './config.js';
import { ignoredAmong, relocated } from './config-tree.js';
import type { Configs } from './config-tree.js';
import { lintTargetsParallel } from './parallel.js';
import { planRun } from './plan.js';
import type { Inventories, RunFlags } from './plan.js';
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

/** Reads and checks a lock file; a missing or broken one stops the run (exit 2) naming it. */
export function readLock(abs: string, cwd: string): { lock: LockFile; text: string } {
  const shown = displayPath(abs, cwd);
  let text: string;
  try {
    // Only a regular file, of at most INPUT_CAPS.lock bytes.
    text = readInputFile(abs, `the lock file ${shown}`, 'lock');
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    if (e.code === 'ENOENT') throw new ConfigError(`The lock file ${shown} does not exist; run 'egress-lint lock' to write it from the templates as they are now.`);
    throw new ConfigError(e.message);
  }
  const parsed = parseLock(text);
  if ('errors' in parsed) throw new ConfigError(parsed.errors.map((e) => `${shown}: ${e}.`).join('\n') + `\nRewrite it with 'egress-lint lock'.`);
  return { lock: parsed.lock, text };
}

/** What the comparison needs to know of a file of the run: a template, or a template that is gone. */
export interface FilePolicy {
  /** The rule levels of its configuration and the flags (egress-changed's level). */
  readonly levels: Readonly<Record<string, RuleLevel>>;
  /** The lock file it is compared with (--lock, else its configuration's `lock`), absolute; none: undefined. */
  readonly lock?: string;
}

/** What the base lint and the comparison need from the lint run. */
export interface CompareOptions {
  readonly io: Io;
  readonly rules: readonly Rule[];
  /** Each file's levels and lock file, by its path relative to the working directory. */
  readonly policyOf: (file: string) => Promise<FilePolicy>;
  /** The path arguments of the run (default: the current folder). */
  readonly paths: readonly string[];
  /** --ignore. */
  readonly ignore: readonly string[];
  /** The configuration of each template (the working tree's; the base is linted with it too). */
  readonly configs: Configs;
  /** The flags the working tree was linted with, so the base is linted the same way. */
  readonly flags: RunFlags;
  readonly inventories: Inventories;
  /** Files (absolute, in the working tree) that are not templates to lint: exported templates given as inventory. */
  readonly exclude?: readonly string[];
  /** --base. */
  readonly base?: string;
}

export interface Compared {
  readonly results: LintResult[];
  /** The comparison the Markdown report shows: the git base when there is one, else the lock files. */
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
    // Each template of the copy has the configuration of its path in the working tree, its folders moved into the copy.
    const configs = relocated(o.configs, realRoot, tmp);
    const found = await discover(paths, cwd, o.ignore, { bicep: true, ignored: (files) => ignoredAmong(files, configs) });
    const exclude = new Set(o.exclude ?? []);
    const targets = found.targets.filter((t) => !exclude.has(resolve(io.cwd, t.template)));
    if (targets.length === 0) return [];
    // A --parameters file missing at the commit is read from the working tree.
    const given = o.flags.parameters;
    const parameters = given === undefined ? undefined : existsSync(resolve(cwd, given)) ? given : resolve(io.cwd, given);
    // Linked templates are read inside the commit's copy: its root is the repository's, and mapped folders move with it.
    const flags = { ...o.flags, links: { root: tmp, git: false }, ...(parameters !== undefined ? { parameters } : {}) };
    const plan = await planRun(targets, cwd, configs, flags, o.inventories, false);
    let linted = [...plan.targets];
    if (linted.some((t) => t.kind !== undefined)) {
      const { compileBicepTargets } = await import('./bicep.js');
      linted = await compileBicepTargets(linted, { cwd, env: io.env });
    }
    // Only the egress is compared: no rule needs to run at the base, and no formatter reads its graph.
    return await lintTargetsParallel(linted, {
      cwd,
      rules: [],
      env: io.env,
      formatters: [],
      variants: plan.variants,
      variantOf: plan.variantOf,
      ...(parameters !== undefined ? { parameters } : {}),
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The lock's entries that this run can be compared with: those of analysed templates, and those whose template is gone. */
function comparable(lock: LockFile, results: readonly LintResult[], base: string, cwd: string): LockFile {
  const linted = new Map(results.map((r) => [slash(relative(cwd, resolve(cwd, r.file))), r]));
  // Keys are data: a plain {} would take a '__proto__' key as its prototype and lose the entry.
  const vms: Record<string, LockVm> = Object.create(null) as Record<string, LockVm>;
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

/** The levels of the session rules alone: changes whose templates agree on them are reported in one session phase. */
function sessionLevels(levels: Readonly<Record<string, RuleLevel>>, rules: readonly Rule[]): string {
  return JSON.stringify(rules.filter((r) => r.phase === 'session').map((r) => levels[r.id] ?? r.severity));
}

/** Several lock files' comparisons as the one the Markdown report shows. */
function together(comparisons: readonly EgressComparison[]): EgressComparison | undefined {
  if (comparisons.length <= 1) return comparisons[0];
  const names = comparisons.map((c) => c.against);
  return { against: `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`, changes: comparisons.flatMap((c) => c.changes) };
}

/**
 * Compares the run with the lock files and/or the git base. A template's egress-changed findings come from its lock
 * file when it has one (the committed contract, which a pull request may update along with its templates), else
 * from the base, at the level its configuration gives the rule; the Markdown report shows the base comparison when
 * there is one (what the pull request changes). Templates whose configurations name different lock files are
 * compared each with its own.
 */
export async function compareEgress(results: readonly LintResult[], o: CompareOptions): Promise<Compared> {
  const { cwd } = o.io;
  const known = new Map<string, FilePolicy>();
  const policy = async (file: string): Promise<FilePolicy> => {
    let p = known.get(file);
    if (!p) {
      p = await o.policyOf(file);
      known.set(file, p);
    }
    return p;
  };
  const groups = new Map<string, LintResult[]>();
  for (const r of results) {
    const { lock } = await policy(r.file);
    if (lock === undefined) continue;
    const group = groups.get(lock);
    if (group) group.push(r);
    else groups.set(lock, [r]);
  }
  const fromLocks: EgressComparison[] = [];
  const docs = new Map<string, TemplateDoc>();
  for (const lockFile of [...groups.keys()].sort()) {
    const read = readLock(lockFile, cwd);
    const shown = displayPath(lockFile, cwd);
    docs.set(shown, loadTemplate(shown, read.text));
    fromLocks.push(lockComparison(groups.get(lockFile)!, read.lock, lockFile, cwd));
  }
  let fromBase: EgressComparison | undefined;
  const units = [...fromLocks];
  if (o.base !== undefined) {
    const baseResults = await lintAtBase(o.base, o);
    // A template that cannot be read on either side tells nothing about its VMs: leave it out of the comparison.
    const unreadable = new Set([...baseResults, ...results].filter((r) => !analysed(r)).map((r) => r.file));
    const keep = (rs: readonly LintResult[]) => rs.filter((r) => !unreadable.has(r.file));
    const changes = diffLocks(lockOfResults(keep(baseResults), cwd, cwd), lockOfResults(keep(results), cwd, cwd));
    fromBase = { against: `base ${o.base}`, changes: located(changes, results, cwd, cwd, (c) => ({ file: c.file, pointer: '' })) };
    const unlocked: VmChange[] = [];
    for (const c of fromBase.changes) if ((await policy(c.file)).lock === undefined) unlocked.push(c);
    units.push({ against: fromBase.against, changes: unlocked });
  }
  let out = [...results];
  for (const unit of units) {
    // Each change at the level its own template's configuration gives egress-changed.
    const byLevels = new Map<string, { levels: Readonly<Record<string, RuleLevel>>; changes: VmChange[] }>();
    for (const c of unit.changes) {
      const { levels } = await policy(c.file);
      const key = sessionLevels(levels, o.rules);
      const group = byLevels.get(key);
      if (group) group.changes.push(c);
      else byLevels.set(key, { levels, changes: [c] });
    }
    for (const { levels, changes } of byLevels.values()) {
      out = finishSession(out, { rules: o.rules, levels, settings: { egressChanges: { against: unit.against, changes } } }, docs);
    }
  }
  const shown = fromBase ?? together(fromLocks);
  return { results: out, ...(shown ? { shown } : {}) };
}

export { LOCK_FILE } from '../engine/index.js';
