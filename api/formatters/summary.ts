// The one-line summary both human formats end with (stylish) or start with (Markdown): VMs, templates, VMs with
// unknown egress (an unknown is never hidden), problems by severity, and findings suppressed in templates.
import type { LintResult } from '../../engine/index.js';

export interface Summary {
  readonly errors: number;
  readonly warnings: number;
  /** The summary line, without a mark. */
  readonly text: string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summarise(results: readonly LintResult[]): Summary {
  let errors = 0;
  let warnings = 0;
  let notes = 0;
  let suppressed = 0;
  let vms = 0;
  let unknown = 0;
  for (const r of results) {
    vms += r.vms.length;
    for (const vm of r.vms) if (vm.verdict === 'unknown') unknown++;
    for (const f of r.findings) {
      if (f.suppression) suppressed++;
      else if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
      else notes++;
    }
  }
  const total = errors + warnings + notes;
  const text = `${plural(vms, 'VM')} in ${plural(results.length, 'template')}${unknown ? `, ${unknown} with unknown egress` : ''}; ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(notes, 'note')})${suppressed ? `; ${suppressed} suppressed in templates` : ''}`;
  return { errors, warnings, text };
}
