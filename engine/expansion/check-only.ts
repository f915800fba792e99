// The check-only pass of a selective evaluation: what nothing evaluated is checked without evaluating it (syntax,
// function names, argument counts, declared names, literal copy counts). Must not import, at run time, the
// modules that evaluate.
import { pointerJoin } from '../template/template.js';
import { checkString } from '../expressions/evaluator.js';
import type { Value } from '../expressions/value.js';
import { ExpressionError, getProp, isObject } from '../expressions/value.js';
import { checkExpressionLength } from './limits.js';
import type { DeclaredResource } from './resource-declarations.js';
import { STRUCTURAL } from './resource-declarations.js';
import type { TemplateRun } from './template-run.js';
import { isPlain, joined } from './template-values.js';

/** Checks every expression in a JSON structure without evaluating it (lint's 'egress' mode); errors become findings. */
export function checkDeep(run: TemplateRun, v: Value, pointer: string, depth = 0): void {
  if (typeof v === 'string') checkAt(run, v, pointer, undefined);
  if (v === null || typeof v !== 'object') return;
  if (depth > 256) {
    // What evaluation would say of it (TemplateRun.evalDeep): a value this deep is a finding in either mode.
    run.expansion.report('limit-exceeded', 'The value nests too deeply to evaluate.', run.at(pointer));
    return;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x === 'string') checkAt(run, x, pointer, i);
      else if (!isPlain(x)) checkDeep(run, x, pointerJoin(pointer, i), depth + 1);
    }
    return;
  }
  if (!isObject(v)) return;
  // for-in, not Object.keys: no array per object. Template objects have no enumerable inherited keys (JSON.parse
  // gives Object.prototype, the other readers none).
  for (const k in v) {
    checkAt(run, k, pointer, k);
    const x = v[k];
    if (typeof x === 'string') checkAt(run, x, pointer, k);
    else if (!isPlain(x)) {
      if (k.length === 4 && Array.isArray(x) && k.toLowerCase() === 'copy') for (let i = 0; i < x.length; i++) checkLoopCount(run, x[i], pointerJoin(pointerJoin(pointer, k), i));
      checkDeep(run, x, pointerJoin(pointer, k), depth + 1);
    }
  }
}

/**
 * ARM's copy-count limit for loops the check-only pass does not run (a property or variable loop of a body nothing
 * reads): a literal count is compared as copyCount() would; a count from an expression is left to evaluation.
 */
function checkLoopCount(run: TemplateRun, loop: Value, pointer: string): void {
  const raw = isObject(loop) ? getProp(loop, 'count') : undefined;
  const count = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : raw;
  if (typeof count === 'number' && Number.isInteger(count) && count > run.expansion.limits.copyCount)
    run.expansion.report('limit-exceeded', `The copy count is ${count}; ARM accepts at most ${run.expansion.limits.copyCount}.`, run.at(pointerJoin(pointer, 'count')));
}

/** checkDeep for one string at member `key` of `pointer` (joined only to report a problem). */
function checkAt(run: TemplateRun, s: string, pointer: string, key: string | number | undefined): void {
  if (s.length < 2 || s.charCodeAt(0) !== 91) return;
  checkExpressionLength(run, s, pointer, key);
  try {
    // The run is the CheckHost, and its call check is made once per run (see TemplateRun.declares).
    checkString(s, run, run.callCheck);
  } catch (e) {
    if (e instanceof RangeError) run.expansion.report('limit-exceeded', 'The expression nests too deeply to evaluate.', run.at(joined(pointer, key)));
    else if (e instanceof ExpressionError) run.expansion.report('expression-invalid', e.message, run.at(joined(pointer, key)));
    else throw e;
  }
}

/** 'egress' mode's counterpart of TemplateRun.evaluateDeclarations: what was not evaluated on demand is checked. */
export function checkDeclarations(run: TemplateRun): void {
  if (!run.outerHost) {
    for (const k of Object.keys(run.paramDecls)) {
      const d = run.paramDecls[k];
      const def = isObject(d) ? getProp(d, 'defaultValue') : undefined;
      if (def !== undefined && !run.paramCache.has(k.toLowerCase())) checkDeep(run, def, pointerJoin(pointerJoin(pointerJoin(run.base, 'parameters'), k), 'defaultValue'));
    }
    for (const k of Object.keys(run.varDecls)) {
      const decl = run.varDecls[k];
      const pointer = pointerJoin(pointerJoin(run.base, 'variables'), k);
      // The top-level `copy` array defines variables, loop by loop: a loop's count is checked when its variable was not evaluated.
      if (k.toLowerCase() === 'copy' && Array.isArray(decl)) {
        for (let i = 0; i < decl.length; i++) {
          const loop = decl[i];
          const name = isObject(loop) ? getProp(loop, 'name') : undefined;
          if (typeof name === 'string' && run.varCache.has(name.toLowerCase())) continue;
          checkLoopCount(run, loop, pointerJoin(pointer, i));
          checkDeep(run, loop, pointerJoin(pointer, i));
        }
      } else if (!run.varCache.has(k.toLowerCase())) checkDeep(run, decl, pointer);
    }
  }
  const outputs = getProp(run.template, 'outputs');
  if (run.outputsCache || !isObject(outputs)) return;
  for (const k of Object.keys(outputs)) {
    const d = outputs[k];
    if (!isObject(d)) continue;
    for (const part of ['condition', 'value', 'copy']) {
      const v = getProp(d, part);
      const pointer = pointerJoin(pointerJoin(pointerJoin(run.base, 'outputs'), k), part);
      // An output's copy is one loop (an object), not an array of loops.
      if (part === 'copy') checkLoopCount(run, v ?? null, pointer);
      if (v !== undefined) checkDeep(run, v, pointer);
    }
  }
}

/** Checks a body that is not evaluated (the caller takes one copy of a copy loop for all: they share the declaration). */
export function checkBody(res: DeclaredResource): void {
  // Nested deployments are always evaluated (isSelected()): their inner templates never reach this check.
  for (const k of Object.keys(res.decl)) {
    const lower = k.toLowerCase();
    if (STRUCTURAL.has(lower) || lower === 'name' || lower === 'type' || lower === 'apiversion') continue;
    checkDeep(res.host.run, res.decl[k], pointerJoin(res.at.pointer, k));
  }
}
