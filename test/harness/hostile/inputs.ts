// Issue 21, items 2 and 4: files other than templates (config, lock, inventory, parameters) and discovery. A correct
// run refuses a bounded-size or wrong-kind file with exit 2 naming it, and never drops or overwrites a file silently.
import type { HostileInput } from './types.js';
import { templateText } from './types.js';

const EMPTY = templateText({});

export const inputsInputs: readonly HostileInput[] = [
  { name: '-c /dev/zero', files: () => ({ 'main.json': EMPTY }), args: ['-c', '/dev/zero', 'main.json'], expect: { exit: [2], output: /\/dev\/zero/ } },
  {
    name: 'a config with 200,000 ignore globs',
    files: () => ({ 'main.json': EMPTY, 'egress-lint.config.json': JSON.stringify({ ignore: Array.from({ length: 200_000 }, (_, i) => `legacy-${i}/**`) }) }),
    args: ['-c', 'egress-lint.config.json', 'main.json'],
    expect: { exit: [2], output: /ignore/ },
  },
  {
    name: 'a config with 3,000,000 ignore globs',
    files: () => ({ 'main.json': EMPTY, 'egress-lint.config.json': JSON.stringify({ ignore: Array.from({ length: 3_000_000 }, (_, i) => `l${i}`) }) }),
    args: ['-c', 'egress-lint.config.json', 'main.json'],
    expect: { exit: [2], output: /egress-lint\.config\.json/ },
  },
];
