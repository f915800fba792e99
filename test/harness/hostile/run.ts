// Runs a hostile input through the CLI in-process (the tests) and writes its files (the tests and the benchmark).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../../cli/main.js';
import { capture } from '../io.js';
import type { HostileInput } from './types.js';

/** Writes the input's files into a fresh folder and returns it with the arguments `{dir}` resolved. */
export function materialise(input: HostileInput): { dir: string; args: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'egress-lint-hostile-'));
  for (const [name, content] of Object.entries(input.files())) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  input.prepare?.(dir);
  return { dir, args: input.args.map((a) => a.split('{dir}').join(dir)) };
}

/** Runs the CLI's main() on the input in this process; the folder is removed afterwards. */
export async function runHostile(input: HostileInput): Promise<{ code: number; out: string; checked?: string }> {
  const { dir, args } = materialise(input);
  try {
    const c = capture(dir);
    const code = await main(args, c.io);
    const checked = input.check?.(dir);
    return { code, out: c.out() + c.err(), ...(checked !== undefined ? { checked } : {}) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Why the run does not meet the input's expectation, or undefined when it does. */
export function unmet(input: HostileInput, r: { code: number; out: string; checked?: string }): string | undefined {
  if (r.checked !== undefined) return r.checked;
  if (!input.expect.exit.includes(r.code)) return `exit ${r.code}, expected ${input.expect.exit.join(' or ')}: ${r.out.slice(0, 400)}`;
  if (input.expect.output && !input.expect.output.test(r.out)) return `output does not match ${String(input.expect.output)}: ${r.out.slice(0, 400)}`;
  if (/\n\s+at .*:\d+:\d+/.test(r.out)) return `a stack trace: ${r.out.slice(0, 400)}`;
  return undefined;
}
