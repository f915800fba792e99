// jsonc-parser, loaded on first use: strict JSON (nearly every template) never needs it, and loading its UMD build
// through Node's module loader is a large part of a pre-commit hook's start-up (bench/RESULTS.md).
import { createRequire } from 'node:module';
import type * as JsoncParser from 'jsonc-parser';

type Jsonc = typeof JsoncParser;

let loaded: Jsonc | undefined;

/** The jsonc-parser module (synchronous: the loader falls back to it in the middle of a parse). */
export function jsonc(): Jsonc {
  return (loaded ??= createRequire(import.meta.url)('jsonc-parser') as Jsonc);
}
