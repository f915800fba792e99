// A minimal evaluator host for expression table tests: parameters and variables from the row, default scope.
import type { EvalHost, UserFunction } from '../../engine/expressions/evaluator.js';
import { DEFAULT_SCOPE } from '../../engine/expressions/scope.js';
import type { Scope } from '../../engine/expressions/scope.js';
import type { Value } from '../../engine/expressions/value.js';
import { ExpressionError, Unknown, getProp, isObject } from '../../engine/expressions/value.js';

export class TableHost implements EvalHost {
  constructor(
    private readonly params: Record<string, Value> = {},
    private readonly vars: Record<string, Value> = {},
    readonly scope: Scope = DEFAULT_SCOPE,
    private readonly copy: number | undefined = undefined,
    readonly inParameterDefault = false,
  ) {}
  parameter(name: string): Value {
    const v = getProp(this.params, name);
    if (v === undefined) throw new ExpressionError(`The parameter '${name}' is not defined.`);
    return v;
  }
  variable(name: string): Value {
    const v = getProp(this.vars, name);
    if (v === undefined) throw new ExpressionError(`The variable '${name}' is not defined.`);
    return v;
  }
  copyIndex(): number | Unknown {
    if (this.copy === undefined) throw new ExpressionError('copyIndex() is only valid inside a copy loop.');
    return this.copy;
  }
  reference(target: Value): Value {
    return new Unknown('reference', `reference('${String(target)}')`);
  }
  deployment(): Value {
    return { name: this.scope.deploymentName, properties: { template: { contentVersion: '1.0.0.0' } } };
  }
  userFunction(): UserFunction | undefined {
    return undefined;
  }
}

export function isRecord(v: unknown): v is Record<string, Value> {
  return isObject(v as Value);
}
