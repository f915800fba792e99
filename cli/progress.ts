// A one-line progress indicator on stderr for long runs: only on a terminal, never in CI, overwritten with \r and
// erased at the end, so redirected output and logs never contain it.
export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** `done` of `total` finished, working on `label`. */
  update(stage: string, done: number, total: number, label: string): void;
  /** Erases the line (if one was drawn). */
  end(): void;
}

export interface ProgressOptions {
  /** Show it at once when a stage has more items than this. */
  readonly minItems?: number;
  /** Otherwise show it once the run has taken this long. */
  readonly afterMs?: number;
  readonly now?: () => number;
}

const NONE: Progress = { update() {}, end() {} };

/** Whether a progress line may be drawn: a terminal on stderr, not CI, not a dumb terminal. */
export function progressAllowed(stream: ProgressStream, env: Readonly<Record<string, string | undefined>>): boolean {
  return stream.isTTY === true && !env.CI && env.TERM !== 'dumb';
}

export function progressLine(stream: ProgressStream, env: Readonly<Record<string, string | undefined>>, options: ProgressOptions = {}): Progress {
  if (!progressAllowed(stream, env)) return NONE;
  const now = options.now ?? (() => Date.now());
  const minItems = options.minItems ?? 20;
  const afterMs = options.afterMs ?? 1000;
  const start = now();
  let drawn = false;
  let last = -Infinity;
  return {
    update(stage, done, total, label) {
      const t = now();
      if (total <= minItems && t - start < afterMs) return;
      if (drawn && t - last < 50 && done + 1 < total) return; // at most 20 redraws a second
      last = t;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      let text = `egress-lint: ${stage} ${done + 1}/${total} ${label}`;
      if (text.length > width) text = `${text.slice(0, width - 1)}…`;
      stream.write(`\r${text}\u001b[K`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\r\u001b[K');
      drawn = false;
    },
  };
}
