// Finds the templates to lint: files, folders and globs (globby, .gitignore respected), recognised by $schema;
// parameter files are paired with their template by name and never linted as templates; Bicep files by extension.
import * as fs from 'node:fs';
import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import type { PathLike } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import type * as Globby from 'globby';
import type { ParseError } from 'jsonc-parser';
import { isTerraformJson, jsonc } from '../engine/index.js';
import type { Finding } from '../engine/index.js';
import { ignoreMatcher } from './ignore-globs.js';
import { UsageError } from './errors.js';
import { MAX_TEMPLATE_BYTES, decodeText } from './files.js';
import { missedNames } from './discover-names.js';
import { checkGitignore, checkGlob } from './limits.js';

export interface Target {
  /** Path relative to the working directory, with forward slashes. */
  readonly template: string;
  readonly parameters?: string;
  /** A Bicep input, compiled by the Bicep CLI before linting (cli/bicep.ts); absent for ARM JSON. */
  readonly kind?: 'bicep' | 'bicepparam';
  /** The Bicep CLI's output, read instead of the files: the template JSON and, for .bicepparam, the parameters JSON. */
  readonly compiled?: { readonly template: string; readonly parameters?: string };
  /** Why a Bicep input could not be compiled: reported as its findings. */
  readonly failed?: readonly Finding[];
}

export interface DiscoverOptions {
  /** Recognise .bicep and .bicepparam files (the CLI compiles them; see cli/bicep.ts). */
  readonly bicep?: boolean;
  /**
   * Which of the files found or named (absolute paths) other ignore rules leave out: the CLI's configuration files,
   * whose `ignore` globs apply to the templates below each one (cli/config-tree.ts).
   */
  readonly ignored?: (files: readonly string[]) => Promise<ReadonlySet<string>>;
}

export interface Discovery {
  readonly targets: Target[];
  /** Files that were looked at and are not templates (nor parameter files of one). */
  readonly skipped: string[];
  /** Why files named on the command line are not linted, one line each, for stderr. */
  readonly notes: string[];
  /** True when a folder or glob was searched (not only files named one by one). */
  readonly searched: boolean;
}

const SCHEMA_TEMPLATE = /deploymentTemplate\.json/i;
// `terraform show -json` of a plan or state starts with its format_version and terraform_version
// (https://developer.hashicorp.com/terraform/internals/json-format).
const TERRAFORM_FORMAT = /"format_version"\s*:\s*"/;
const TERRAFORM_VERSION = /"terraform_version"\s*:\s*"/;
// The same JSON with its keys sorted (`jq -S`, a tool that re-writes it) has the configuration first, and those two
// keys beyond the first 4 KB: what a plan's configuration or values start with sends it to a whole read.
const TERRAFORM_SORTED = /"(?:applyable|provider_config|root_module|planned_values|prior_state|resource_changes)"\s*:/;
const SCHEMA_PARAMETERS = /deploymentParameters\.json/i;
const JSON_EXTENSIONS = ['json', 'jsonc'];
const BICEP_EXTENSIONS = ['bicep', 'bicepparam'];

const slash = (p: string): string => p.split(sep).join('/');

/** The first 4 KB of a file as text (UTF-8, or UTF-16 with a byte-order mark); '' when unreadable. */
function head(file: string, bytes = 4096): string {
  // Only the first bytes are read: a folder search meets every .json file, 100 MB ones included.
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(bytes);
    return decodeText(buf.subarray(0, readSync(fd, buf, 0, bytes, 0)));
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether a file is `terraform show -json` output, read whole (up to the template size cap). */
function terraformJson(abs: string): boolean {
  if (!isFile(abs) || statSync(abs).size > MAX_TEMPLATE_BYTES) return false;
  const buf = readWhole(abs);
  if (!buf) return false;
  try {
    return isTerraformJson(JSON.parse(decodeText(buf).replace(/^\uFEFF/, '')));
  } catch {
    return false;
  }
}

function readWhole(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The parameter file a template pairs with: `<name>.parameters.json` beside it (main.json, main.bicep → main.parameters.json). */
export function parameterFileFor(template: string): string {
  return join(dirname(template), basename(template).replace(/\.(jsonc?|bicep)$/i, '') + '.parameters.json');
}

/** The templates a parameter file `<name>.parameters.json` may belong to, in order of preference. */
function templatesFor(parameterFile: string, bicep: boolean): string[] {
  const m = /^(.*)\.parameters\.json$/i.exec(parameterFile);
  if (!m) return [];
  return [`${m[1]}.json`, `${m[1]}.jsonc`, ...(bicep ? [`${m[1]}.bicep`] : [])];
}

const isBicep = (f: string): boolean => /\.bicep$/i.test(f);
const isBicepParam = (f: string): boolean => /\.bicepparam$/i.test(f);

/** Bicep module and `using` references that are not local files: registries (br:, br/public:) and template specs (ts:). */
const REMOTE = /^(br|ts)(\/[^:]*)?:/i;

/** Text without its block comments (an unclosed one runs to the end and stays), in one pass, with indexOf. */
function withoutBlockComments(text: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const open = text.indexOf('/*', i);
    const close = open < 0 ? -1 : text.indexOf('*/', open + 2);
    if (close < 0) return out + text.slice(i);
    out += text.slice(i, open);
    i = close + 2;
  }
}

/** The template a .bicepparam file deploys: its `using '<path>'` declaration, when that is a local file. */
export function usingTarget(bicepparamText: string): string | undefined {
  // [ \t]* rather than \s* after ^, and no line break inside the quotes: with the m flag, \s* and [^']+ cross
  // lines, so every line start rescanned the rest of the file (quadratic: 40,000 empty lines took seconds).
  const m = /^[ \t]*using\s+'([^'\r\n]+)'/m.exec(withoutBlockComments(bicepparamText));
  if (!m || REMOTE.test(m[1])) return undefined;
  return m[1];
}

/** The local files a .bicep file uses as modules (`module <name> '<path>' = …`). */
export function moduleTargets(bicepText: string): string[] {
  const text = withoutBlockComments(bicepText);
  return [...text.matchAll(/^[ \t]*module\s+[A-Za-z_][\w]*\s+'([^'\r\n]+)'/gm)].map((m) => m[1]).filter((p) => !REMOTE.test(p));
}

/** `path` of a file relative to `from`'s folder, as a working-directory-relative path with forward slashes. */
function besides(from: string, path: string): string {
  return posix.normalize(posix.join(posix.dirname(from), path.replace(/\\/g, '/')));
}

/**
 * What an explicitly named file that does not declare a deploymentTemplate $schema is. Anything that reads as a
 * JSON object without a `resources` property is some other JSON file (package.json, tsconfig.json: pre-commit
 * passes every changed .json file) and is skipped; a file that cannot be read as JSON at all is linted, so its
 * problem is reported rather than silently passed over, and so is an object with `resources` (a template
 * missing its $schema).
 */
function explicitKind(abs: string, headText: string): 'template' | 'other' {
  // A JSON file with another $schema is skipped, unless the schema is Azure's and the file does not parse: an ARM
  // template cut off inside its $schema value (a truncated download) is reported, not passed over.
  const azure = /"\$schema"/.test(headText) ? /schema\.management\.azure\.com/i.test(headText) : undefined;
  if (azure === false) return 'other';
  // Too big to read (or unreadable): linted, so the size or read error is reported.
  if (!isFile(abs) || statSync(abs).size > MAX_TEMPLATE_BYTES) return 'template';
  const buf = readWhole(abs);
  if (!buf) return 'template';
  if (buf.subarray(0, 8192).includes(0) && !(buf[0] === 0xff || buf[0] === 0xfe)) return 'template';
  const text = decodeText(buf).replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Comments or trailing commas (ARM accepts both): the tolerant parser, loaded only for such files.
    const errors: ParseError[] = [];
    value = jsonc().parse(text, errors, { allowTrailingComma: true, disallowComments: false });
    if (errors.length) return 'template';
  }
  if (azure) return 'other';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'template';
  if (isTerraformJson(value)) return 'template';
  return Object.keys(value).some((k) => k.toLowerCase() === 'resources') ? 'template' : 'other';
}

/** The folders of a glob before its first segment with a glob character ('infra/prod' of 'infra/prod/**\/*.json'). */
function staticBase(pattern: string): string {
  const segments = pattern.split('/');
  const i = segments.findIndex((x) => /[*?[\]{}]/.test(x));
  return segments.slice(0, i < 0 ? segments.length : i).join('/') || '.';
}

function isFolder(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/**
 * globby's search (`.gitignore` respected, node_modules and links skipped), each .gitignore it reads checked first:
 * it compiles their rules as globs to skip ignored folders, and a rule it would backtrack on for minutes stops the
 * run naming the file and line (checkGitignore), as such a glob given on the command line does.
 */
async function searchWith(glob: typeof Globby, patterns: readonly string[], base: string, ignores: readonly string[]): Promise<string[]> {
  const readFile = async (file: PathLike | FileHandle, encoding: BufferEncoding): Promise<string> => {
    const text = await fsPromises.readFile(file, encoding);
    if (typeof file === 'string' && basename(file) === '.gitignore') checkGitignore(relative(base, file) || file, text);
    return text;
  };
  try {
    return await glob.globby([...patterns], { cwd: base, gitignore: true, ignore: ['**/node_modules/**', ...ignores], followSymbolicLinks: false, dot: false, fs: { ...fs, promises: { ...fsPromises, readFile } } as unknown as typeof fs });
  } catch (e) {
    // globby wraps what reading an ignore file throws ("Failed to read ignore file at …"), the cause kept.
    if (e instanceof Error && e.cause instanceof UsageError) throw e.cause;
    throw e;
  }
}

/** A file extension as a glob that matches it in any case (`main.JSON` is a template as `main.json` is). */
function anyCase(extension: string): string {
  return extension.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

/** A glob relative to the working directory as globby takes it: forward slashes, no leading './' or '/'. */
function plainGlob(pattern: string): string {
  return pattern.replace(/\\/g, '/').replace(/^\.\//, '').replace(/^\//, '');
}

/**
 * Expands CLI paths into templates.
 * - Folders and globs keep files whose $schema is a deploymentTemplate (and, with `bicep`, .bicep and .bicepparam
 *   files), respecting .gitignore and the ignore globs; node_modules is never searched.
 * - Files named one by one are linted when they are templates. Other JSON files are skipped with a note (pre-commit
 *   passes every changed .json file); a parameter file stands for the template beside it. The ignore globs
 *   apply to them too, .gitignore does not.
 * - A .bicep file that a .bicepparam deploys (`using`) is linted through that .bicepparam (once per .bicepparam
 *   beside it, for a file named explicitly); one used as a module by another .bicep found in the search is not
 *   linted on its own (Bicep compiles it into its parent).
 */
export async function discover(paths: readonly string[], cwd: string, ignore: readonly string[] = [], options: DiscoverOptions = {}): Promise<Discovery> {
  const bicep = options.bicep === true;
  const base = resolve(cwd);
  for (const p of ignore) checkGlob('The ignore glob', p);
  const ignores = ignore.map((p) => plainGlob(p));
  const extensions = [...JSON_EXTENSIONS, ...(bicep ? BICEP_EXTENSIONS : [])];
  const toCwd = (fromBase: string): string => slash(relative(cwd, resolve(base, fromBase)));
  // globby (fast-glob, micromatch) is a third of a one-file run's start-up: load it only for folders, globs and ignores.
  const glob = paths.every((p) => isFile(resolve(cwd, p))) && ignores.length === 0 ? undefined : await import('globby');

  const patterns: string[] = [];
  const explicit: string[] = [];
  const folders: string[] = [];
  const globBases: { glob: string; dir: string }[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let st;
    let code: string | undefined;
    try {
      st = statSync(abs);
    } catch (e) {
      st = undefined;
      code = (e as NodeJS.ErrnoException).code;
    }
    if (st?.isFile()) explicit.push(abs);
    else if (st?.isDirectory()) {
      folders.push(abs);
      const rel = slash(relative(base, abs));
      patterns.push(`${rel ? glob!.convertPathToPattern(rel) : '.'}/**/*.{${extensions.map(anyCase).join(',')}}`);
    } else if (/[*?[\]{}]/.test(p)) {
      checkGlob('The glob', p);
      patterns.push(plainGlob(p));
      const from = staticBase(plainGlob(p));
      if (isFolder(resolve(cwd, from))) globBases.push({ glob: p, dir: resolve(cwd, from) });
    } else if (code === 'ELOOP') throw new UsageError(`${p} is a loop of symbolic links.`);
    else if (st) throw new UsageError(`${p} is neither a file nor a folder.`);
    else throw new UsageError(`No such file or folder: ${p}`);
  }

  const notes: string[] = [];
  // The .gitignore predicate of the notes below, made once (it reads every .gitignore under the base) and only when a
  // note needs it; links are not followed (a link to '.' would never end).
  let ignoredBy: ((abs: string) => boolean) | undefined;
  const gitignored = (abs: string): boolean => (ignoredBy ??= glob!.isGitIgnoredSync({ cwd: base, followSymbolicLinks: false }))(abs);
  const found = patterns.length ? (await searchWith(glob!, patterns, base, ignores)).map(toCwd) : [];
  if (folders.length) {
    // Names the glob matcher cannot see: found by a plain walk of the folders, never dropped silently.
    const missed = missedNames(folders, extensions);
    if (missed.lineBreaks.length) {
      const have = new Set(found);
      // The ignore globs are matched against the path itself, as the search would have matched them (and, as there,
      // what they leave out is not named).
      const ignored = ignores.length ? await ignoreMatcher(ignores) : undefined;
      for (const abs of missed.lineBreaks) {
        const f = toCwd(abs);
        if (!have.has(f) && !gitignored(abs) && !ignored?.(slash(relative(base, abs)))) found.push(f);
      }
    }
    for (const abs of missed.notUtf8) notes.push(`${JSON.stringify(toCwd(abs))}: skipped: its name is not valid UTF-8, so it cannot be opened by name; rename it to lint it.`);
    for (const abs of missed.symlinks) {
      if (!gitignored(abs)) notes.push(`${toCwd(abs)}: skipped: a symbolic link, which the folder search does not follow; name it (or its target) to lint it.`);
    }
  }

  if (globBases.length) {
    // A glob cannot match a path with a line break in it: such a file below a glob's fixed folders is named.
    const have = new Set(found);
    for (const { glob: g, dir } of globBases) {
      for (const abs of missedNames([dir], extensions).lineBreaks) {
        const f = toCwd(abs);
        if (!have.has(f) && !gitignored(abs)) notes.push(`${JSON.stringify(f)}: not searched by ${JSON.stringify(g)}: its path holds a line break, which glob patterns cannot match; name its folder to lint it.`);
      }
    }
  }

  // Files named one by one: the ignore globs apply (as for ESLint), .gitignore does not (you named the file).
  let named = explicit.map((a) => slash(relative(cwd, a)));
  if (ignores.length && explicit.length) {
    const ignored = await ignoreMatcher(ignores);
    named = named.filter((f, i) => {
      const rel = relative(base, explicit[i]);
      if (rel.startsWith('..') || isAbsolute(rel) || !ignored(slash(rel))) return true;
      notes.push(`${f}: skipped: it matches an ignore glob.`);
      return false;
    });
  }
  // The configuration's ignore globs, each relative to its own file's folder.
  let searched = found;
  if (options.ignored && (named.length || found.length)) {
    const out = await options.ignored([...named, ...found].map((f) => resolve(cwd, f)));
    if (out.size) {
      named = named.filter((f) => {
        if (!out.has(resolve(cwd, f))) return true;
        notes.push(`${f}: skipped: it matches an ignore glob of its configuration.`);
        return false;
      });
      searched = found.filter((f) => !out.has(resolve(cwd, f)));
    }
  }

  const namedSet = new Set(named);
  const files = [...new Set([...named, ...searched])].sort();
  const isParams = new Set<string>();
  const templates = new Set<string>();
  const bicepparams: string[] = [];
  const bicepFiles: string[] = [];
  /** .bicep files that stand for a named parameter file: linted with it, not through .bicepparam files. */
  const pairedBicep = new Set<string>();
  const skipped: string[] = [];
  for (const f of files) {
    const abs = resolve(cwd, f);
    if (bicep && isBicepParam(f)) {
      bicepparams.push(f);
      continue;
    }
    if (bicep && isBicep(f)) {
      bicepFiles.push(f);
      continue;
    }
    const text = head(abs);
    if (SCHEMA_PARAMETERS.test(text)) {
      isParams.add(f);
      if (namedSet.has(f)) {
        // A changed parameter file (pre-commit passes only what changed) is checked through its template.
        const template = templatesFor(f, bicep).find((t) => isFile(resolve(cwd, t)));
        if (template) {
          if (isBicep(template)) {
            bicepFiles.push(template);
            pairedBicep.add(template);
          } else templates.add(template);
        } else notes.push(`${f}: skipped: a parameter file without its template beside it (${templatesFor(f, false)[0]}); lint the template with --parameters ${f}.`);
      }
    } else if (SCHEMA_TEMPLATE.test(text) || (TERRAFORM_FORMAT.test(text) && TERRAFORM_VERSION.test(text)) || (TERRAFORM_SORTED.test(text) && terraformJson(abs))) templates.add(f);
    else if (namedSet.has(f) && explicitKind(abs, text) === 'template') templates.add(f);
    else {
      skipped.push(f);
      if (namedSet.has(f)) notes.push(`${f}: skipped: not an ARM template (no deploymentTemplate $schema).`);
    }
  }

  // Bicep: what each .bicepparam deploys, and which .bicep files other .bicep files use as modules.
  const covered = new Map<string, string[]>();
  const useOf = (param: string): string | undefined => {
    const target = usingTarget(head(resolve(cwd, param), 1 << 20));
    return target === undefined ? undefined : besides(param, target);
  };
  for (const p of bicepparams) {
    const t = useOf(p);
    if (t !== undefined) covered.set(t, [...(covered.get(t) ?? []), p]);
  }
  const modules = new Set<string>();
  for (const b of bicepFiles) for (const m of moduleTargets(head(resolve(cwd, b), 1 << 20))) modules.add(besides(b, m));

  const targets = new Map<string, Target>();
  const pair = (t: string, kind?: 'bicep'): Target => {
    const p = slash(parameterFileFor(t));
    const exists = isParams.has(p) || isFile(resolve(cwd, p));
    return { template: t, ...(exists ? { parameters: p } : {}), ...(kind ? { kind } : {}) };
  };
  for (const t of templates) {
    if (!namedSet.has(t) && covered.has(t)) continue; // deployed by a .bicepparam found in the same search
    targets.set(t, pair(t));
  }
  for (const p of bicepparams) targets.set(p, { template: p, kind: 'bicepparam' });
  for (const b of new Set(bicepFiles)) {
    if (pairedBicep.has(b)) targets.set(b, pair(b, 'bicep'));
    else if (namedSet.has(b)) {
      // Named explicitly: lint it through every .bicepparam beside it that deploys it, else on its own.
      const siblings = bicepparamsBeside(b, cwd).filter((p) => useOf(p) === b);
      if (siblings.length) for (const p of siblings) targets.set(p, { template: p, kind: 'bicepparam' });
      else targets.set(b, pair(b, 'bicep'));
    } else if (!covered.has(b) && !modules.has(b)) targets.set(b, pair(b, 'bicep'));
  }
  return {
    targets: [...targets.values()].sort((a, b) => (a.template < b.template ? -1 : a.template > b.template ? 1 : 0)),
    skipped,
    notes,
    searched: patterns.length > 0,
  };
}

function bicepparamsBeside(bicepFile: string, cwd: string): string[] {
  const dir = posix.dirname(bicepFile);
  try {
    return readdirSync(resolve(cwd, dir))
      .filter((n) => isBicepParam(n))
      .sort()
      .map((n) => (dir === '.' ? n : `${dir}/${n}`));
  } catch {
    return [];
  }
}

/**
 * The folder the paths name (contract: "Linked templates": the root that links may not leave outside a git
 * repository): a folder itself, a file's folder, a glob's folder before its first wildcard, and for several paths
 * the folder that holds them all.
 */
export function namedRoot(paths: readonly string[], cwd: string): string {
  const dirs = (paths.length ? paths : ['.']).map((p) => {
    const wild = p.search(/[*?[\]{}]/);
    const plain = resolve(cwd, wild < 0 ? p : p.slice(0, wild));
    if (wild >= 0) return p.slice(0, wild).endsWith('/') || p.slice(0, wild) === '' ? plain : dirname(plain);
    try {
      return statSync(plain).isDirectory() ? plain : dirname(plain);
    } catch {
      return dirname(plain);
    }
  });
  let root = dirs[0];
  for (const d of dirs.slice(1)) {
    while (root !== dirname(root) && relative(root, d).startsWith('..')) root = dirname(root);
  }
  return root;
}
