// The bounds on lists the user gives (configuration lists, repeatable flags, the API's options): no file system, so
// every entry point (the ESLint plugin included) can check them before compiling anything.
import { UsageError } from './errors.js';

/**
 * The most entries each list of a configuration file (and of the flags and options that add to it) may hold: globs
 * are matched one by one against every file searched, so the cost grows with their number times the files; far
 * above any real configuration. The ignore globs of a configuration file and the files above it count together.
 */
export const MAX_ENTRIES = { ignore: 1000, parameters: 1000, links: 1000, inventory: 1000, allow: 10_000 } as const;

/** A list of `what` longer than `max`: a UsageError naming it, before any entry is compiled. */
export function checkCount(what: string, n: number, max: number): void {
  if (n > max) throw new UsageError(`${what} has ${n.toLocaleString('en-US')} entries; egress-lint takes at most ${max.toLocaleString('en-US')}.`);
}

/**
 * The most patterns one glob may expand to. The glob matchers (micromatch, through fast-glob and globby) expand brace
 * groups before matching: `{a,b}` written 22 times is 4 million patterns, gigabytes and minutes. Far above any real
 * glob (`**\/*.{json,bicep}` is two).
 */
export const MAX_GLOB_EXPANSIONS = 1000;

/**
 * How many patterns the brace groups of `glob` expand to, counted without expanding them (saturating just past
 * `cap`): alternatives `{a,b,c}` add up, groups one after another multiply, ranges `{1..50}`, `{a..z}` and
 * `{0..100..10}` count their members; a backslash escapes the next character, and an unclosed `{` counts as written.
 */
export function globExpansions(glob: string, cap: number = MAX_GLOB_EXPANSIONS): number {
  const limit = cap + 1;
  const mul = (a: number, b: number): number => Math.min(limit, a * b);
  // One frame per open brace: the alternatives finished so far (summed) and the running product of the current one.
  const stack: { start: number; sum: number; prod: number; comma: boolean; nested: boolean }[] = [];
  let top = 1;
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 123) {
      if (stack.length > 0) stack[stack.length - 1].nested = true;
      stack.push({ start: i, sum: 0, prod: 1, comma: false, nested: false });
    } else if (c === 44 && stack.length > 0) {
      const f = stack[stack.length - 1];
      f.sum = Math.min(limit, f.sum + f.prod);
      f.prod = 1;
      f.comma = true;
    } else if (c === 125 && stack.length > 0) {
      const f = stack.pop()!;
      const n = f.comma ? Math.min(limit, f.sum + f.prod) : f.nested ? f.prod : rangeSize(glob.slice(f.start + 1, i), limit);
      if (stack.length > 0) stack[stack.length - 1].prod = mul(stack[stack.length - 1].prod, n);
      else top = mul(top, n);
    }
  }
  // Unclosed groups: what they hold so far, as if closed (an upper bound of what is matched literally).
  while (stack.length > 0) {
    const f = stack.pop()!;
    const n = Math.min(limit, f.sum + f.prod);
    if (stack.length > 0) stack[stack.length - 1].prod = mul(stack[stack.length - 1].prod, n);
    else top = mul(top, n);
  }
  return top;
}

/** The members of a brace range (`1..50`, `a..z`, `0..100..10`); 1 for anything else (braces matched literally). */
function rangeSize(body: string, limit: number): number {
  const m = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?$/.exec(body);
  if (!m) return 1;
  const numeric = /\d/.test(m[1]) && /\d/.test(m[2]);
  if (!numeric && (/\d/.test(m[1]) || /\d/.test(m[2]))) return 1;
  const span = numeric ? Math.abs(Number(m[2]) - Number(m[1])) : Math.abs(m[2].charCodeAt(0) - m[1].charCodeAt(0));
  const step = m[3] === undefined ? 1 : Math.max(1, Math.abs(Number(m[3])));
  return Math.min(limit, Math.floor(span / step) + 1);
}

/**
 * The most `*` wildcards in one path segment of a glob, and the most `**` segments in one glob. The glob matchers
 * compile a glob to a regular expression that backtracks: each `*` of a segment is a lazy `[^/]*?`, each `**` a lazy
 * run of segments, so a name the glob almost matches costs the product of their choices (the minimatch advisory
 * GHSA-3ppc-4f35-3m26 is the same shape). Measured on a name of 250 characters: 3 wildcards in a segment 1.5 ms, 4
 * wildcards 73 ms; 12 wildcards on 40 characters more than two minutes; six `**` segments on a path 40 folders deep
 * 0.7 s. Real globs hold one or two of each.
 */
export const MAX_GLOB_WILDCARDS = 3;

/** Why the glob matchers could backtrack for long on `glob` (see MAX_GLOB_WILDCARDS), or undefined. */
export function globBacktracks(glob: string): string | undefined {
  const segments = glob.split('/');
  const globstars = segments.filter((s) => s === '**').length;
  if (globstars > MAX_GLOB_WILDCARDS) return `has ${globstars} '**' segments`;
  for (const s of segments) {
    if (s === '**') continue;
    // Runs of '*' not escaped by a backslash: `a**b` is one wildcard.
    const runs = s.replace(/\\./g, '').match(/\*+/g)?.length ?? 0;
    if (runs > MAX_GLOB_WILDCARDS) return `has ${runs} '*' wildcards in the path segment ${JSON.stringify(s)}`;
  }
  // An extended glob that repeats alternatives (`+(ab|abab)`, `*(a|b)`): a repeated group of overlapping choices.
  if (/(?:^|[^\\])[*+]\([^)]*\|/.test(glob)) return "repeats a group of alternatives ('+(…|…)' or '*(…|…)')";
  return undefined;
}

/**
 * A glob of `what` that expands to more than MAX_GLOB_EXPANSIONS patterns, or that the matchers could take minutes
 * to match (globBacktracks): a UsageError naming it, before it is compiled.
 */
export function checkGlob(what: string, glob: string): void {
  const shown = JSON.stringify(glob.length > 80 ? `${glob.slice(0, 77)}...` : glob);
  if (globExpansions(glob) > MAX_GLOB_EXPANSIONS)
    throw new UsageError(`${what} ${shown} expands to more than ${MAX_GLOB_EXPANSIONS.toLocaleString('en-US')} patterns (its brace groups multiply); egress-lint takes at most ${MAX_GLOB_EXPANSIONS.toLocaleString('en-US')}.`);
  const slow = globBacktracks(glob);
  if (slow)
    throw new UsageError(`${what} ${shown} ${slow}: the glob matcher could take minutes on names it nearly matches; egress-lint takes at most ${MAX_GLOB_WILDCARDS} '*' in a path segment, ${MAX_GLOB_WILDCARDS} '**' segments and no repeated group of alternatives.`);
}

/**
 * The lines of a .gitignore file the glob matchers could backtrack on (globBacktracks): globby turns its rules into
 * fast-glob ignore patterns to skip ignored folders, compiled as globs are. A UsageError naming the file and line.
 */
export function checkGitignore(file: string, text: string): void {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const rule = lines[i].replace(/(?<!\\)\s+$/, '');
    if (rule === '' || rule.startsWith('#')) continue;
    const slow = globBacktracks(rule.replace(/^!/, ''));
    if (slow)
      throw new UsageError(`${file}:${i + 1}: the .gitignore rule ${JSON.stringify(rule.length > 80 ? `${rule.slice(0, 77)}...` : rule)} ${slow}: the glob matcher could take minutes on names it nearly matches; egress-lint takes at most ${MAX_GLOB_WILDCARDS} '*' in a path segment, ${MAX_GLOB_WILDCARDS} '**' segments and no repeated group of alternatives.`);
  }
}
