// Evaluates ARM expression trees against a host (parameters, variables, copy state, references, scope).
// Imports only its own folder; the expansion stage supplies the host.
import type { Expr } from './ast.js';
import { isExpression, parseTemplateString, scanExpression, simpleReference, simpleReferenceName } from './ast.js';
import type { CallCheck } from './ast.js';
import type { Scope } from './scope.js';
import type { Value, ValueObject } from './value.js';
import { ExpressionError, Lambda, Unknown, deepEqual, getProp, isObject, newObject, typeName } from './value.js';
import { containsPlaceholder, hasPlaceholder, placeholder, showPlaceholders } from './placeholder.js';
import { lookupFunction } from './functions/index.js';
import { BudgetSpent, INDEX, LAMBDA_CALL_UNITS, WorkBudget } from './budget.js';

/** A user-defined function from the template's `functions` section. */
export interface UserFunction {
  readonly params: readonly string[];
  readonly output: Expr | Value;
}

/** What the evaluator needs from the stage that owns the template (the expansion stage, or a test). */
export interface EvalHost {
  readonly scope: Scope;
  parameter(name: string): Value;
  variable(name: string): Value;
  /** The current index of the named (or innermost) copy loop (Unknown when the loop count is). Throws outside a loop. */
  copyIndex(loop: string | undefined): number | Unknown;
  /** reference(target, apiVersion, 'Full'): a resource in the deployment, or an Unknown. */
  reference(target: Value, apiVersion: Value | undefined, full: boolean): Value;
  /** resourceInfo / symbolic resource access in languageVersion 2.0 (returns id, name, type, apiVersion). */
  resourceInfo?(symbolicName: string): Value;
  /** deployment() object. */
  deployment(): Value;
  userFunction(name: string): UserFunction | undefined;
  /** True while evaluating a parameter default value: utcNow() and newGuid() are allowed there. */
  readonly inParameterDefault?: boolean;
  /** The work budget of the whole expansion (budget.ts); without one, each evaluation gets its own. */
  readonly budget?: WorkBudget;
}

/** The state a function sees while it runs. */
export interface CallContext {
  readonly host: EvalHost;
  readonly lambdaEnv: ReadonlyMap<string, Value> | undefined;
  /** The work budget: a function that builds or walks much charges it before doing so. */
  readonly budget: WorkBudget;
  /** Evaluates a sub-expression in this context (lazy functions use it). */
  evaluate(e: Expr, env?: ReadonlyMap<string, Value>): Value;
  /** Calls a lambda value with arguments. */
  apply(fn: Value, args: readonly Value[], fname: string): Value;
}

/** One function of the ARM expression language. */
export interface FnDef {
  readonly min: number;
  readonly max: number;
  /** Called with evaluated arguments. Any top-level Unknown argument makes the result Unknown unless `unknownAware`. */
  readonly fn?: (args: readonly Value[], ctx: CallContext, name: string) => Value;
  /** Called with the argument trees: for short-circuiting and lambdas. */
  readonly lazy?: (args: readonly Expr[], ctx: CallContext, name: string) => Value;
  readonly unknownAware?: boolean;
  /**
   * What the function does with a placeholder (placeholder.ts), a value known only at deployment that names things:
   * - 'build' keeps it in the string it builds (concat, format, resourceId, toLower), and turns a labelled Unknown
   *   argument into its placeholder when no argument is an array or object (it is then used as a string);
   * - 'carry' keeps it where it puts it (createArray, createObject, union);
   * - 'opaque' returns a new placeholder for a string it cannot compute from one (uniqueString, replace), and turns
   *   a labelled Unknown argument into its placeholder first (these take strings only); 'opaque-if-string' does the
   *   first only (take, first: they also take arrays, which a labelled Unknown may be);
   * - 'compare' is true when both sides are the same value, else unknown; 'content' reads inside arrays and objects
   *   (contains, intersection), so a placeholder anywhere in them makes the result unknown.
   * Without it a placeholder argument makes the result unknown: its content would decide the answer.
   */
  readonly placeholders?: 'build' | 'carry' | 'opaque' | 'opaque-if-string' | 'compare' | 'content';
  /**
   * The function reads its arguments' whole content (prints, compares or merges them): the tree size of each array
   * or object argument is charged to the budget before it runs, as a value that shares structure is far larger as
   * a tree than as a graph.
   */
  readonly walks?: boolean;
  /** The function returns a value that already exists (parameters(), variables()): nothing it returns is charged as built. */
  readonly reads?: boolean;
}

/** The longest string or array one function call may return. */
export const MAX_VALUE_LENGTH = 16_000_000;

interface RuntimeOrigin {
  readonly origin: string;
  readonly id: string;
  readonly path: string;
}

/** Objects returned by reference() whose missing properties are assigned by Azure at deployment. */
// A WeakMap is safe here: its values are three strings each and lead nowhere, so keeping them alive costs nothing.
// eslint-disable-next-line no-restricted-syntax
const runtimeBacked = new WeakMap<object, RuntimeOrigin>();

/**
 * Marks an object (from reference()) so that missing properties evaluate to a runtime Unknown instead of an
 * error. `id` is the referenced resource's id, so the network stage can follow e.g. a firewall's private IP.
 */
export function markRuntime<T extends Value>(v: T, origin: string, id = '', path = ''): T {
  if (typeof v === 'object' && v !== null && !(v instanceof Unknown) && !(v instanceof Lambda)) runtimeBacked.set(v, { origin, id, path });
  return v;
}

function runtimeChild(parent: RuntimeOrigin, v: Value, suffix: string): void {
  if (typeof v === 'object' && v !== null && !(v instanceof Unknown) && !(v instanceof Lambda) && !runtimeBacked.has(v))
    runtimeBacked.set(v, { origin: parent.origin + suffix, id: parent.id, path: parent.path + suffix });
}

function runtimeUnknown(parent: RuntimeOrigin, suffix: string): Unknown {
  return new Unknown('runtime', `${parent.origin}${suffix} (assigned at deployment)`, undefined, { id: parent.id, path: parent.path + suffix });
}

/**
 * A member read by a function such as tryGet: under a reference()-backed parent it is marked as that parent's child,
 * or, when missing (undefined), becomes the runtime Unknown Azure fills in; under an ordinary parent it is unchanged.
 */
export function runtimeMember(parent: Value, member: Value | undefined, suffix: string): Value | undefined {
  const origin = typeof parent === 'object' && parent !== null ? runtimeBacked.get(parent) : undefined;
  if (origin === undefined) return member;
  if (member === undefined) return runtimeUnknown(origin, suffix);
  runtimeChild(origin, member, suffix);
  return member;
}

function propOf(target: Value, name: string): Value {
  if (target instanceof Unknown) return mapUnknown(target, `.${name}`, (c) => propOf(c, name));
  if (isObject(target)) {
    const v = getProp(target, name);
    const origin = runtimeBacked.get(target);
    if (v === undefined) {
      if (origin !== undefined) return runtimeUnknown(origin, `.${name}`);
      throw new ExpressionError(
        `The property '${name}' doesn't exist; available properties are ${Object.keys(target).slice(0, 12).map((k) => `'${k}'`).join(', ') || 'none'}.`,
      );
    }
    if (origin !== undefined) runtimeChild(origin, v, `.${name}`);
    return v;
  }
  throw new ExpressionError(`Cannot read property '${name}' of a value of type ${typeName(target)}.`);
}

function indexOf(target: Value, index: Value, indexLabel?: string): Value {
  // An index that is itself unknown is shown as written (`[copyIndex('ipLoop')]`), not as its JSON.
  if (target instanceof Unknown)
    return mapUnknown(target, `[${index instanceof Unknown ? (indexLabel ?? index.label ?? '?') : JSON.stringify(index)}]`, (c) => indexOf(c, index, indexLabel));
  if (index instanceof Unknown) return new Unknown(index.cause, index.origin);
  if (Array.isArray(target)) {
    if (typeof index !== 'number' || !Number.isInteger(index))
      throw new ExpressionError(`An array index must be an integer, not ${typeName(index)}.`);
    if (index < 0 || index >= target.length) {
      const origin = runtimeBacked.get(target);
      if (origin !== undefined) return runtimeUnknown(origin, `[${index}]`);
      throw new ExpressionError(`The index ${index} is out of range for an array of length ${target.length}.`);
    }
    const v = target[index];
    const origin = runtimeBacked.get(target);
    if (origin !== undefined) runtimeChild(origin, v, `[${index}]`);
    return v;
  }
  if (isObject(target)) {
    if (typeof index !== 'string') throw new ExpressionError(`An object key must be a string, not ${typeName(index)}.`);
    return propOf(target, index);
  }
  throw new ExpressionError(`Cannot index a value of type ${typeName(target)}.`);
}

/** Applies an access to an Unknown: keeps the cause, extends the origin, and maps candidates when there are some. */
function mapUnknown(u: Unknown, suffix: string, f: (c: Value) => Value): Unknown {
  let candidates: Value[] | undefined;
  if (u.candidates) {
    candidates = [];
    for (const c of u.candidates) {
      try {
        candidates.push(f(c));
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
      }
    }
  }
  const label = u.label !== undefined && u.label.length <= 300 ? u.label + suffix : undefined;
  return new Unknown(u.cause, accessed(u.origin, suffix), candidates, u.source ? { id: u.source.id, path: u.source.path + suffix } : undefined, label);
}

const RUNTIME_TAIL = ' (assigned at deployment)';
/** An origin that ends in an access or a call (`reference('net').outputs`, `utcNow()`): a member read from it reads on. */
const ACCESS_END = /(?:\)|\]|\.[A-Za-z_$][\w$-]*)$/;

/**
 * The origin of a member read from an Unknown. One that names an access reads on with the member; a sentence saying
 * why the value is unknown ("the template of deployment 'net' was not analysed") stays as it is, since a member
 * after it would read as part of its last word.
 */
function accessed(origin: string, suffix: string): string {
  if (origin.length > 300) return origin;
  if (origin.endsWith(RUNTIME_TAIL)) {
    const path = origin.slice(0, -RUNTIME_TAIL.length);
    return ACCESS_END.test(path) ? path + suffix + RUNTIME_TAIL : origin;
  }
  return ACCESS_END.test(origin) ? origin + suffix : origin;
}

/** An argument as a placeholder's label shows it: a placeholder alone by its label, text quoted, anything else as JSON. */
function argLabel(a: Value): string {
  if (typeof a === 'string') {
    const shown = showPlaceholders(a);
    return /^\{[^{}]*\}$/.test(shown) && hasPlaceholder(a) ? shown.slice(1, -1) : `'${shown}'`;
  }
  if (a instanceof Unknown) return a.label ?? '?';
  return showPlaceholders(JSON.stringify(a) ?? String(a));
}

/** An expression as a label shows it: parameters('x') and variables('x') by their names, calls and accesses as written. */
function exprLabel(e: Expr): string {
  switch (e.k) {
    case 'str':
      return `'${e.v}'`;
    case 'num':
      return String(e.v);
    case 'prop':
      return `${exprLabel(e.obj)}.${e.name}`;
    case 'idx':
      return `${exprLabel(e.obj)}[${exprLabel(e.index)}]`;
    case 'call': {
      const a = e.args[0];
      if ((e.name === 'parameters' || e.name === 'variables') && e.args.length === 1 && a.k === 'str') return String(a.v);
      return `${e.display}(${e.args.map(exprLabel).join(', ')})`;
    }
  }
}

/** The built-in function a call names, with its argument count checked. Throws ExpressionError. */
function checkedFunction(e: Extract<Expr, { k: 'call' }>): FnDef {
  const def = lookupFunction(e.name);
  if (!def) throw new ExpressionError(`The template function '${e.display}' is not valid.`);
  if (e.args.length < def.min || e.args.length > def.max) {
    const expected = def.min === def.max ? `${def.min}` : def.max === Infinity ? `at least ${def.min}` : `${def.min} to ${def.max}`;
    throw new ExpressionError(`The template function '${e.display}' expects ${expected} argument(s), got ${e.args.length}.`);
  }
  return def;
}

/** The user-defined function a call names, with its argument count checked. Throws ExpressionError. */
function checkedUserFunction(e: Extract<Expr, { k: 'call' }>, host: Pick<EvalHost, 'userFunction'>): UserFunction {
  const f = host.userFunction(e.name);
  if (!f) throw new ExpressionError(`The user-defined function '${e.display}' is not defined.`);
  if (e.args.length !== f.params.length)
    throw new ExpressionError(`The user-defined function '${e.display}' expects ${f.params.length} argument(s), got ${e.args.length}.`);
  return f;
}

/** What checkString needs of a template: the names it declares and its user-defined functions. */
export interface CheckHost {
  declares(kind: 'parameter' | 'variable', name: string): boolean;
  userFunction(name: string): UserFunction | undefined;
}

/**
 * Checks one template string without evaluating it: syntax, function names, argument counts, and parameters() /
 * variables() called with a literal name that the template does not declare. Throws the ExpressionError that
 * evaluating would throw for those mistakes.
 */
export function checkString(s: string, host: CheckHost, check: CallCheck = callCheckOf(host)): void {
  // [parameters('x')] and [variables('x')] (half of all expressions) need only the name to be declared. Any other
  // string is scanned without building a syntax tree, which answers for the (usual) valid one; only a string the
  // scan rejects is parsed, for the message the evaluator would give.
  const simple = simpleReference(s);
  if (simple !== undefined && host.declares(simple, simpleReferenceName(s, simple))) return;
  if (isExpression(s) && scanExpression(s.slice(1, -1), check)) return;
  checkTree(s, host);
}

/** checkString on the parsed syntax tree: the first problem's message (what checkString falls back to). */
export function checkTree(s: string, host: CheckHost): void {
  const parsed = parseTemplateString(s, false);
  if (!('literal' in parsed)) checkExpr(parsed.expr, host);
}

/** The call check of a host for scanExpression (a caller that checks many strings makes it once and passes it). */
export function callCheckOf(host: CheckHost): CallCheck {
  return (name, argCount, literal) => callAllowed(host, name, argCount, literal);
}

/** checkExpr's verdict on one call, for scanExpression: the function exists, takes that many arguments, and a literal name passed to parameters() / variables() is declared. */
function callAllowed(host: CheckHost, name: string, argCount: number, literal: string | undefined): boolean {
  if (name.includes('.')) {
    const f = host.userFunction(name);
    return f !== undefined && f.params.length === argCount;
  }
  const def = lookupFunction(name);
  if (!def || argCount < def.min || argCount > def.max) return false;
  const kind = name === 'parameters' ? 'parameter' : name === 'variables' ? 'variable' : undefined;
  return kind === undefined || literal === undefined || host.declares(kind, literal);
}

function checkExpr(e: Expr, host: CheckHost): void {
  switch (e.k) {
    case 'str':
    case 'num':
      return;
    case 'prop':
      return checkExpr(e.obj, host);
    case 'idx':
      checkExpr(e.obj, host);
      return checkExpr(e.index, host);
    case 'call': {
      if (e.name.includes('.')) checkedUserFunction(e, host);
      else {
        checkedFunction(e);
        const kind = e.name === 'parameters' ? 'parameter' : e.name === 'variables' ? 'variable' : undefined;
        const arg = e.args[0];
        if (kind && arg.k === 'str' && typeof arg.v === 'string' && !host.declares(kind, arg.v))
          throw new ExpressionError(`The template ${kind} '${arg.v}' is not found.`);
      }
      for (const a of e.args) checkExpr(a, host);
    }
  }
}

class Ctx implements CallContext {
  constructor(
    readonly host: EvalHost,
    readonly lambdaEnv: ReadonlyMap<string, Value> | undefined,
    private depth: number,
    readonly budget: WorkBudget,
  ) {}

  evaluate(e: Expr, env?: ReadonlyMap<string, Value>): Value {
    if (env !== undefined && env !== this.lambdaEnv) return new Ctx(this.host, env, this.depth, this.budget).evaluate(e);
    switch (e.k) {
      case 'str':
      case 'num':
        return e.v;
      case 'prop':
        return propOf(this.evaluate(e.obj), e.name);
      case 'idx': {
        const obj = this.evaluate(e.obj);
        const index = this.evaluate(e.index);
        // A lookup by a value known only at deployment (a region map indexed by the location parameter): its result
        // is unknown, and may name things like the key it was looked up by.
        if (typeof index === 'string' && hasPlaceholder(index) && (isObject(obj) || Array.isArray(obj))) {
          const label = `${exprLabel(e.obj)}[${showPlaceholders(index)}]`;
          return new Unknown('parameter', `${label} is looked up by a value known only at deployment`, isObject(obj) ? Object.values(obj) : obj, undefined, label);
        }
        // An access to an Unknown prints the index into its origin.
        if (obj instanceof Unknown) this.budget.chargeTree(index, INDEX);
        return indexOf(obj, index, index instanceof Unknown ? exprLabel(e.index) : undefined);
      }
      case 'call':
        return this.call(e);
    }
  }

  call(e: Extract<Expr, { k: 'call' }>): Value {
    this.budget.charge(1, e.display);
    if (e.name.includes('.')) return this.callUser(e);
    const def = checkedFunction(e);
    if (def.lazy) return def.lazy(e.args, this, e.display);
    const args: Value[] = new Array<Value>(e.args.length);
    const mode = def.placeholders;
    let unknown: Unknown | undefined;
    let labelled = false;
    let structured = false;
    let named = false;
    for (let i = 0; i < args.length; i++) {
      const a = this.evaluate(e.args[i]);
      if (typeof a === 'string') {
        // Characters read (hashed, parsed, searched): one unit per 16, as for those built.
        if (a.length > 256) this.budget.charge(a.length >> 4, e.display);
        // A literal argument is never a placeholder (only evaluation makes one): no scan for it.
        if (!named && e.args[i].k !== 'str' && a.length > 0 && hasPlaceholder(a)) named = true;
      } else if (a instanceof Unknown) {
        if (a.label !== undefined) labelled = true;
        unknown ??= a;
      } else if (a !== null && typeof a === 'object') structured = true;
      args[i] = a;
    }
    if (structured && def.walks) for (let i = 0; i < args.length; i++) this.budget.chargeTree(args[i], e.display);
    if (labelled && (mode === 'opaque' || (mode === 'build' && !structured))) {
      // A labelled Unknown used as a string (a member of an object parameter with no value in a name) is its placeholder.
      unknown = undefined;
      for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a instanceof Unknown) {
          if (a.label === undefined) unknown ??= a;
          else {
            args[i] = placeholder(a.label);
            named = true;
          }
        }
      }
    }
    if (unknown !== undefined && !def.unknownAware) return new Unknown(unknown.cause, unknown.origin);
    if (mode !== 'build' && mode !== 'carry' && (named || ((mode === 'compare' || mode === 'content') && this.anyPlaceholder(args)))) return this.placeholderResult(e, mode, args);
    const out = def.fn!(args, this, e.display);
    // A safety cap far above ARM's 4 MB template limit: doubling concat() chains must not exhaust memory.
    if (typeof out === 'string') {
      if (out.length > MAX_VALUE_LENGTH) throw new ExpressionError(`The result of '${e.display}' is longer than ${MAX_VALUE_LENGTH} elements; evaluation stopped.`);
      // Characters built: one unit per 16 (short strings are the function call's own unit).
      if (out.length > 64 && def.reads !== true) this.budget.charge(out.length >> 4, e.display);
    } else if (Array.isArray(out)) {
      if (out.length > MAX_VALUE_LENGTH) throw new ExpressionError(`The result of '${e.display}' is longer than ${MAX_VALUE_LENGTH} elements; evaluation stopped.`);
      // Elements built (a function that returns an existing array, such as variables(), built none).
      if (def.reads !== true) this.budget.charge(out.length, e.display);
    }
    return out;
  }

  /** True when a placeholder is anywhere in the arguments (a loop, not args.some(): no closure per call). */
  private anyPlaceholder(args: readonly Value[]): boolean {
    for (let i = 0; i < args.length; i++) if (containsPlaceholder(args[i])) return true;
    return false;
  }

  /** What a function gives for placeholder arguments it cannot compute with: a new placeholder, or an Unknown. */
  private placeholderResult(e: Extract<Expr, { k: 'call' }>, mode: FnDef['placeholders'], args: readonly Value[]): Value {
    let label = `${e.display}(`;
    for (let i = 0; i < args.length; i++) {
      this.budget.chargeTree(args[i], e.display);
      label += (i ? ', ' : '') + argLabel(args[i]);
    }
    label += ')';
    if (mode === 'compare' && args.length === 2 && deepEqual(args[0], args[1])) return true;
    if ((mode === 'opaque' || mode === 'opaque-if-string') && (typeof args[0] === 'string' || mode === 'opaque')) return placeholder(label);
    return new Unknown('parameter', `${label} depends on a value known only at deployment`);
  }

  callUser(e: Extract<Expr, { k: 'call' }>): Value {
    const f = checkedUserFunction(e, this.host);
    if (this.depth > 32) throw new ExpressionError(`User-defined functions call each other too deeply at '${e.display}'.`);
    const env = new Map<string, Value>();
    for (let i = 0; i < f.params.length; i++) env.set(f.params[i].toLowerCase(), this.evaluate(e.args[i]));
    const inner = new Ctx(new UserFunctionHost(this.host, env), undefined, this.depth + 1, this.budget);
    return inner.evaluateTemplateValue(f.output);
  }

  apply(fn: Value, args: readonly Value[], fname: string): Value {
    if (!(fn instanceof Lambda)) throw new ExpressionError(`The function '${fname}' expects a lambda, got ${typeName(fn)}.`);
    if (fn.params.length !== args.length && !(fn.params.length < args.length && fn.params.length > 0))
      throw new ExpressionError(`The lambda given to '${fname}' takes ${fn.params.length} parameter(s), but ${args.length} are passed.`);
    this.budget.charge(LAMBDA_CALL_UNITS, fname);
    const env = new Map<string, Value>(fn.env ?? []);
    for (let i = 0; i < fn.params.length; i++) env.set(fn.params[i].toLowerCase(), args[i]);
    return this.evaluate(fn.body, env);
  }

  /** Evaluates a template value (a string that may be an expression, or a JSON structure holding them). */
  evaluateTemplateValue(v: Expr | Value): Value {
    if (v !== null && typeof v === 'object' && 'k' in v && typeof (v as { k: unknown }).k === 'string' && !isObject(v as Value))
      return this.evaluate(v as Expr);
    return evaluateDeep(v as Value, this.host, this.lambdaEnv);
  }
}

/**
 * Inside a user-defined function parameters() reads the function's own parameters, and variables() the template's
 * variables: Bicep 0.30 and later emit `variables('x')` in the functions of the templates it writes (Azure/bicep
 * #14531, #15142, with the Azure.Deployments engine that evaluates them), though Learn's user-defined-functions page
 * still lists variables among the limitations. reference(), copyIndex() and deployment() stay errors there.
 */
class UserFunctionHost implements EvalHost {
  constructor(
    private readonly outer: EvalHost,
    private readonly params: ReadonlyMap<string, Value>,
  ) {}
  get scope(): Scope {
    return this.outer.scope;
  }
  get budget(): WorkBudget | undefined {
    return this.outer.budget;
  }
  parameter(name: string): Value {
    const v = this.params.get(name.toLowerCase());
    if (v === undefined) throw new ExpressionError(`The parameter '${name}' is not a parameter of this user-defined function.`);
    return v;
  }
  variable(name: string): Value {
    return this.outer.variable(name);
  }
  copyIndex(): number {
    throw new ExpressionError('copyIndex() cannot be used inside a user-defined function.');
  }
  reference(): Value {
    throw new ExpressionError('reference() cannot be used inside a user-defined function.');
  }
  deployment(): Value {
    throw new ExpressionError('deployment() cannot be used inside a user-defined function.');
  }
  userFunction(name: string): UserFunction | undefined {
    return this.outer.userFunction(name);
  }
}

/** Evaluates one template string (literal or `[expression]`). Throws ExpressionError. */
export function evaluateString(s: string, host: EvalHost, env?: ReadonlyMap<string, Value>, cache = true): Value {
  const parsed = parseTemplateString(s, cache);
  if ('literal' in parsed) return parsed.literal;
  if (host.budget !== undefined) return new Ctx(host, env, 0, host.budget).evaluate(parsed.expr);
  // A host without a budget (a caller evaluating one string) gets one for this string, and its end as an error.
  try {
    return new Ctx(host, env, 0, new WorkBudget()).evaluate(parsed.expr);
  } catch (e) {
    if (e instanceof BudgetSpent) throw new ExpressionError(`The evaluation stopped: ${e.message}.`);
    throw e;
  }
}

/** Evaluates a parsed expression. Throws ExpressionError, and BudgetSpent when the host's budget runs out. */
export function evaluateExpr(e: Expr, host: EvalHost): Value {
  return new Ctx(host, undefined, 0, host.budget ?? new WorkBudget()).evaluate(e);
}

/**
 * Evaluates every string inside a JSON structure. Keys that are expressions are evaluated too (ARM allows
 * `"[variables('name')]": value` keys). Throws ExpressionError on the first error.
 */
export function evaluateDeep(v: Value, host: EvalHost, env?: ReadonlyMap<string, Value>): Value {
  if (typeof v === 'string') return v.length > 1 && v.charCodeAt(0) === 91 ? evaluateString(v, host, env) : v;
  if (Array.isArray(v)) return v.map((x) => evaluateDeep(x, host, env));
  if (isObject(v)) {
    const out = newObject();
    for (const k of Object.keys(v)) {
      const key = k.charCodeAt(0) === 91 ? evaluateString(k, host, env) : k;
      // JSON.stringify, not String(): an object key from the evaluator has no prototype, and String() throws on it.
      out[typeof key === 'string' ? key : key instanceof Unknown ? `$unknown:${key.origin}` : typeof key === 'object' && key !== null ? (JSON.stringify(key) ?? '') : String(key)] = evaluateDeep(v[k], host, env);
    }
    return out as ValueObject;
  }
  return v;
}
