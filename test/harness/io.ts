// An in-memory Io for calling the CLI's main() directly.
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
