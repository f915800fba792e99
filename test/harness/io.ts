// An in-memory Io for calling the CLI's main() directly.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Io } from '../../cli/io.js';

export interface Captured {
  readonly io: Io;
  out(): string;
  err(): string;
}

export function capture(cwd: string, env: Record<string, string | undefined> = {}): Captured {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (s: string) => (out += s), isTTY: false },
      stderr: { write: (s: string) => (err += s), isTTY: false },
      cwd,
      env,
    },
    out: () => out,
    err: () => err,
  };
}

/** Runs the CLI in-process and returns its exit code and output. */
export async function runCli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const { main } = await import('../../cli/main.js');
  const c = capture(cwd);
  const code = await main(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

/** A scratch folder holding `files`; with `git`, a `.git` folder too (so the config search stops there). */
export function scratchDir(files: Record<string, string | Buffer>, git = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'egress-lint-'));
  if (git) mkdirSync(join(dir, '.git'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
