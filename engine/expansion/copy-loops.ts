// Copy loops: the loops around the place being evaluated (the evaluator's host there, which answers copyIndex()), and
// the property, variable and output loops that build arrays. Must not import another expansion module at run time.
import { pointerJoin } from '../template/template.js';
import type { EvalHost, UserFunction } from '../expressions/evaluator.js';
import type { Scope } from '../expressions/scope.js';
import type { WorkBudget } from '../expressions/budget.js';
import type { Value, ValueObject } from '../expressions/value.js';
import { ExpressionError, Unknown, getProp } from '../expressions/value.js';
import { hasPlaceholder, showPlaceholders } from '../expressions/placeholder.js';
import type { TemplateRun } from './template-run.js';

/**
 * One copy loop around the place being evaluated. `copyIndex()` without a loop name means the resource (or output)
 * loop, never a property or variable loop: "If no value is provided for loopName, the current resource type
 * iteration is used" (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-numeric#copyindex).
 */
export interface CopyFrame {
  readonly name: string;
  readonly index: number | Unknown;
  readonly kind: 'resource' | 'property' | 'variable' | 'output';
  /** The loop's count (1 when it is unknown: one stand-in instance). */
  readonly count: number;
}

/** Only strings evaluated this many times (their loops' counts multiplied) keep a cached parse tree: a kept tree costs young-generation copying. */
export const PARSE_CACHE_MIN_REPEATS = 8;

/** Evaluator host for one place in one template: the template plus the copy loops around that place. */
export class InstanceHost implements EvalHost {
  constructor(
    readonly run: TemplateRun,
    readonly copies: readonly CopyFrame[],
    readonly inParameterDefault = false,
  ) {}
  get scope(): Scope {
    return this.run.evalScope;
  }
  get budget(): WorkBudget {
    return this.run.expansion.budget;
  }
  with(frame: CopyFrame): InstanceHost {
    return new InstanceHost(this.run, [...this.copies, frame], this.inParameterDefault);
  }
  /** How many times a string of this instance is evaluated: the product of the counts of its copy loops. */
  get repeats(): number {
    let n = this.run.repeats;
    for (const f of this.copies) n *= f.count;
    return n;
  }
  parameter(name: string): Value {
    return this.run.parameter(name);
  }
  variable(name: string): Value {
    return this.run.variable(name);
  }
  copyIndex(loop: string | undefined): number | Unknown {
    for (let i = this.copies.length - 1; i >= 0; i--) {
      const f = this.copies[i];
      if (loop === undefined ? f.kind === 'resource' || f.kind === 'output' : f.name.toLowerCase() === loop.toLowerCase()) return f.index;
    }
    if (this.run.outerHost) return this.run.outerHost.copyIndex(loop);
    throw new ExpressionError(loop === undefined ? 'copyIndex() is only valid inside a copy loop.' : `The copy loop '${loop}' is not in scope.`);
  }
  reference(target: Value, _apiVersion: Value | undefined, full: boolean): Value {
    return this.run.reference(target, full);
  }
  deployment(): Value {
    return this.run.deploymentObject();
  }
  userFunction(name: string): UserFunction | undefined {
    return this.run.userFunction(name);
  }
}

/** `"copy": [{ "name": "disks", "count": n, "input": {...} }]` inside properties or a variable value (or an output's copy). */
export function propertyCopy(run: TemplateRun, c: ValueObject, host: InstanceHost, pointer: string, out: Record<string, Value>, depth: number, kind: CopyFrame['kind'] = 'property'): void {
  const nameV = getProp(c, 'name');
  const name = typeof nameV === 'string' ? run.evalAt(nameV, host, pointer, 'name') : '';
  if (typeof name !== 'string' || name === '') {
    run.expansion.report('template-invalid', 'A property copy loop needs a name.', run.at(pointer));
    return;
  }
  const count = copyCount(run, getProp(c, 'count') ?? null, host, pointerJoin(pointer, 'count'));
  if (count instanceof Unknown) {
    out[name] = new Unknown(count.cause, `copy '${name}' count: ${count.origin}`);
    return;
  }
  const input = getProp(c, 'input') ?? null;
  const items: Value[] = [];
  for (let i = 0; i < count; i++) {
    run.expansion.countCopyItem(run.at(pointer));
    items.push(run.evalDeep(input, host.with({ name, index: i, kind, count }), pointerJoin(pointer, 'input'), depth + 1));
  }
  out[name] = items;
}

/** Evaluates a copy count against ARM's limit (a finding) and the safety cap (stops the loop there). */
export function copyCount(run: TemplateRun, raw: Value, host: InstanceHost, pointer: string): number | Unknown {
  let v = typeof raw === 'string' ? run.evalAt(raw, host, pointer) : raw;
  // ARM reads the count leniently: "count": "3" is 3.
  if (typeof v === 'string' && /^\d{1,9}$/.test(v)) v = Number(v);
  if (typeof v === 'string' && hasPlaceholder(v)) return new Unknown('parameter', `the count '${showPlaceholders(v)}' is known only at deployment`);
  if (v instanceof Unknown) return v;
  const expansion = run.expansion;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    expansion.report('template-invalid', `A copy count must be a non-negative integer, got ${JSON.stringify(v)}.`, run.at(pointer));
    return 0;
  }
  if (v > expansion.limits.copyCount)
    expansion.report('limit-exceeded', `The copy count is ${v}; ARM accepts at most ${expansion.limits.copyCount}.`, run.at(pointer));
  if (v > expansion.caps.copyCount) {
    expansion.report('limit-exceeded', `Only the first ${expansion.caps.copyCount} of ${v} copies were analysed (a safety cap).`, run.at(pointer));
    return expansion.caps.copyCount;
  }
  return v;
}
