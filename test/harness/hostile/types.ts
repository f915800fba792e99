// One hostile input as the CLI meets it: files generated into a fresh folder (never committed: some are hundreds of
// megabytes), the arguments, and what a correct run does. The registry (index.ts) gathers every area's inputs; the
// tests of each area assert `expect` through the CLI, and bench/hostile.ts runs them all in child processes and prints
// the slowest ten with their time and peak memory (issue 21: every one under 10 s and 1 GiB).
export interface HostileInput {
  /** Unique, says what is hostile: 'string() of an array doubled 60 times'. */
  readonly name: string;
  /** Relative path → content, written into a fresh temporary folder before the run. */
  readonly files: () => Readonly<Record<string, string | Uint8Array>>;
  /** CLI arguments; `{dir}` in an argument stands for that folder (the run's working folder). */
  readonly args: readonly string[];
  /** What a correct run does: one of these exit codes, and output (stdout and stderr together) matching `output`. */
  readonly expect: { readonly exit: readonly number[]; readonly output?: RegExp };
  /** What files cannot hold, made in the folder after they are written: a named pipe, a sparse file of gigabytes. */
  readonly prepare?: (dir: string) => void;
  /** After the run, what is wrong with the folder (a file overwritten, a report missing), or undefined. */
  readonly check?: (dir: string) => string | undefined;
}

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

/** A template text with these variables, resources and outputs. */
export function templateText(parts: { variables?: object; resources?: unknown; outputs?: object; extra?: object }): string {
  return JSON.stringify({ $schema: SCHEMA, contentVersion: '1.0.0.0', ...parts.extra, variables: parts.variables ?? {}, resources: parts.resources ?? [], outputs: parts.outputs ?? {} }, null, 2);
}
