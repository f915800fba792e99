// The process edges the CLI touches, passed in so tests can run main() without a real terminal.
export interface Io {
  readonly stdout: { write(s: string): unknown; isTTY?: boolean };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A problem with the tool's own input (flags, config, files): exit 2 with this message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Colour only on a terminal, and never when NO_COLOR is set or --no-color is given (https://no-color.org). */
export function useColor(stream: Io['stdout'], env: Io['env'], noColor: boolean): boolean {
  if (noColor || env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export interface Paint {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  underline(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
export const COLOR: Paint = { red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), cyan: wrap(36, 39), dim: wrap(2, 22), bold: wrap(1, 22), underline: wrap(4, 24) };
const id = (s: string): string => s;
export const PLAIN: Paint = { red: id, yellow: id, green: id, cyan: id, dim: id, bold: id, underline: id };
