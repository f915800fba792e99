// Terminal colours for the stylish report: ANSI codes, or none (the caller decides; see cli/io.ts useColor).

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
const same = (s: string): string => s;
export const PLAIN: Paint = { red: same, yellow: same, green: same, cyan: same, dim: same, bold: same, underline: same };
