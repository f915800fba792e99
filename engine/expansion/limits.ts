// ARM's template limits and the safety caps as the expansion meets them: the signal that stops all work at a cap, a
// template's size and counts, one expression's length. Must not import, at run time, an expansion module other
// than template-values.ts.
import { pointerJoin } from '../template/template.js';
import { isExpression } from '../expressions/ast.js';
import type { Value } from '../expressions/value.js';
import { getProp, isObject } from '../expressions/value.js';
import type { TemplateRun } from './template-run.js';
import { joined } from './template-values.js';

/** Thrown to stop all work when a safety cap is hit; turned into a limit-exceeded finding. */
export class CapReached extends Error {}

/** ARM's limits on one template instance's size and its numbers of parameters, variables and outputs. */
export function checkTemplateLimits(run: TemplateRun): void {
  const l = run.expansion.limits;
  // Each file ARM receives (the root template, every linked one) has the size limit.
  if (run.base === '' && run.doc.text.length * 3 > l.templateBytes) {
    const bytes = utf8Length(run.doc.text);
    if (bytes > l.templateBytes)
      run.expansion.report('limit-exceeded', `The template is ${bytes} bytes; ARM accepts at most ${formatBytes(l.templateBytes)}.`, run.at(run.base));
  }
  if (!run.outerHost) {
    const np = memberCount(run.paramDecls);
    if (np > l.parameters) run.expansion.report('limit-exceeded', `The template declares ${np} parameters; ARM accepts at most ${l.parameters}.`, run.at(pointerJoin(run.base, 'parameters')));
    const nv = memberCount(run.varDecls);
    if (nv > l.variables) run.expansion.report('limit-exceeded', `The template declares ${nv} variables; ARM accepts at most ${l.variables}.`, run.at(pointerJoin(run.base, 'variables')));
  }
  const no = memberCount(getProp(run.template, 'outputs'));
  if (no > l.outputs) run.expansion.report('limit-exceeded', `The template declares ${no} outputs; ARM accepts at most ${l.outputs}.`, run.at(pointerJoin(run.base, 'outputs')));
}

function memberCount(v: Value | undefined): number {
  return isObject(v) ? Object.keys(v).length : 0;
}

/** ARM's limit on the length of one expression (at member `key` of `pointer`, joined only to report it). */
export function checkExpressionLength(run: TemplateRun, s: string, pointer: string, key: string | number | undefined): void {
  if (s.length > run.expansion.limits.expressionLength && isExpression(s))
    run.expansion.report('limit-exceeded', `The expression is ${s.length} characters long; ARM accepts at most ${run.expansion.limits.expressionLength}.`, run.at(joined(pointer, key)));
}

const NON_ASCII = /[^\x00-\x7f]/;

/** The UTF-8 size of a text without encoding it (ARM's 4 MB limit counts bytes). */
export function utf8Length(text: string): number {
  // Most templates are ASCII: one native regex scan instead of a loop over every character.
  if (!NON_ASCII.test(text)) return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function formatBytes(n: number): string {
  return n % 1048576 === 0 ? `${n / 1048576} MB` : `${n} bytes`;
}
