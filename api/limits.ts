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
