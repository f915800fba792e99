// Expands a template with its parameters and scope into the flat list of resources Azure would deploy:
// parameters, variables (lazy), copy loops, conditions, child resources, nested and linked deployments,
// languageVersion 2.0 symbolic resources. Imports template/ and expressions/ only.
import type { Location, RawFinding } from '../template/finding.js';
import type { TemplateDoc } from '../template/template.js';
import { pointerJoin } from '../template/template.js';
import type { CheckHost, EvalHost, UserFunction } from '../expressions/evaluator.js';
import { callCheckOf, checkString, evaluateExpr, markRuntime } from '../expressions/evaluator.js';
import { isExpression, parseExpression, parseTemplateString, simpleReference, simpleReferenceName } from '../expressions/ast.js';
import { DEFAULT_SCOPE, levelFromSchema } from '../expressions/scope.js';
import type { Scope } from '../expressions/scope.js';
import { providerPath } from '../expressions/functions/deployment.js';
import type { Value, ValueObject } from '../expressions/value.js';
import { ExpressionError, Unknown, getProp, isObject, newObject } from '../expressions/value.js';
import type { BodySelection, Deployment, ExpandOptions, SourceResource, ExpansionStats, Limits, SafetyCaps, UnresolvedDeployment } from './types.js';
import { ARM_LIMITS, SAFETY_CAPS } from './types.js';

/** Thrown to stop all work when a safety cap is hit; turned into a limit-exceeded finding. */
class CapReached extends Error {}

/** Keys of a resource declaration that are structure, not deployed body. */
const STRUCTURAL = new Set(['resources', 'copy', 'condition', 'dependson', 'comments', 'existing']);

/**
 * One copy loop around the place being evaluated. `copyIndex()` without a loop name means the resource (or output)
 * loop, never a property or variable loop: "If no value is provided for loopName, the current resource type
 * iteration is used" (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-numeric#copyindex).
 */
interface CopyFrame {
  readonly name: string;
  readonly index: number | Unknown;
  readonly kind: 'resource' | 'property' | 'variable' | 'output';
  /** The loop's count (1 when it is unknown: one stand-in instance). */
  readonly count: number;
}

/**
 * A string is parsed through the shared parse cache only when it will be evaluated at least this many times (the
 * product of the counts of the copy loops around it). A kept syntax tree survives young-generation collections, which
 * copy it twice: caching every string inside a copy loop (most corpus loops run two or three times: 1,668 trees kept
 * for 2,166 hits a pass) made scavenges cost 40 ms of CPU a pass (pause and helper threads; 4.0 MB promoted), against
 * 28 ms (2.4 MB) with this bound and 26 ms with no cache at all (node --trace-gc-nvp). Large loops still share trees.
 */
const PARSE_CACHE_MIN_REPEATS = 8;

/** What a child resource declared inside its parent takes from it. */
interface ParentRef {
  readonly type: string;
  readonly name: string;
  /** False when the parent's name depends on an unknown. */
  readonly known: boolean;
}

/** A member of a VM's properties that lint left unevaluated: where it sits in the body, and its declaration. */
interface Skipped {
  readonly into: Record<string, Value>;
  readonly key: string;
  readonly decl: Value;
  readonly pointer: string;
}

/** A registered resource while expansion runs; `body` is evaluated lazily because reference() may need it early. */
class Res {
  body: ValueObject | undefined;
  /** Lint's 'egress' mode: the VM settings not evaluated (they do not decide egress), until reference() needs them. */
  skipped: Skipped[] | undefined;
  /** The body as reference() shows it (null-valued properties dropped), built on first use. */
  view: ValueObject | undefined;
  evaluating = false;
  nested: TemplateRun | undefined;
  nestedDone = false;
  /** The id and the type in lower case (ARM compares both case-insensitively), computed once. */
  readonly key: string;
  readonly typeKey: string;
  constructor(
    readonly id: string,
    readonly type: string,
    readonly name: string,
    readonly symbolicName: string | undefined,
    readonly apiVersion: string,
    readonly condition: true | Unknown,
    readonly existing: boolean,
    readonly decl: ValueObject,
    readonly at: Location,
    readonly copyIndex: number | undefined,
    readonly order: readonly number[],
    readonly host: InstanceHost,
    readonly deployments: readonly string[],
  ) {
    this.key = id.toLowerCase();
    this.typeKey = type.toLowerCase();
  }
}

/** The whole expansion: every template instance (root, nested, linked) shares one index and one findings list. */
class Expansion {
  readonly findings: RawFinding[] = [];
  readonly resources: Res[] = [];
  readonly byKey = new Map<string, Res[]>();
  readonly unresolved: UnresolvedDeployment[] = [];
  readonly stats: ExpansionStats = { evaluated: 0, unknown: {} };
  readonly docs = new Map<string, TemplateDoc>();
  readonly limits: Limits;
  readonly caps: SafetyCaps;
  readonly pending: Res[] = [];
  private reported = new Set<string>();
  private copyItems = 0;
  /** Every template instance, root first, in the order they were created. */
  readonly runs: TemplateRun[] = [];
  stopped = false;

  /** The bodies a selective evaluation evaluates (lint's); undefined: every body ('all', what `expand` shows). */
  readonly selection: BodySelection | undefined;

  constructor(readonly options: ExpandOptions) {
    this.limits = { ...ARM_LIMITS, ...options.limits };
    this.caps = { ...SAFETY_CAPS, ...options.caps };
    this.selection = options.evaluate === undefined || options.evaluate === 'all' ? undefined : options.evaluate;
  }

  /** Whether a selective evaluation evaluates this resource's body: a selected type, or a nested deployment (it holds more resources). */
  selected(r: Res): boolean {
    return r.typeKey === 'microsoft.resources/deployments' || this.selection!.types.has(r.typeKey);
  }

  report(ruleId: string, message: string, at: Location, resource?: string): void {
    const key = `${ruleId}\u0000${at.file}\u0000${at.pointer}\u0000${at.offset ?? ''}\u0000${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.findings.push(resource === undefined ? { ruleId, message, at } : { ruleId, message, at, resource });
  }

  register(res: Res): void {
    if (this.resources.length >= this.caps.totalResources) {
      this.report('limit-exceeded', `Expansion stopped after ${this.caps.totalResources} resources (a safety cap).`, res.at);
      this.stopped = true;
      throw new CapReached();
    }
    this.resources.push(res);
    const key = res.key;
    const list = this.byKey.get(key);
    if (list) list.push(res);
    else this.byKey.set(key, [res]);
  }

  /** Counts one property, variable or output copy item against the safety cap; stops all work past it. */
  iteration(at: Location): void {
    if (++this.copyItems <= this.caps.copyItems) return;
    this.report('limit-exceeded', `Expansion stopped after ${this.caps.copyItems} copy items (a safety cap).`, at);
    this.stopped = true;
    throw new CapReached();
  }

  count(v: Value): void {
    this.stats.evaluated++;
    if (v instanceof Unknown) this.stats.unknown[v.cause] = (this.stats.unknown[v.cause] ?? 0) + 1;
  }
}

/** Evaluator host for one place in one template: the template plus the copy loops around that place. */
class InstanceHost implements EvalHost {
  constructor(
    readonly run: TemplateRun,
    readonly copies: readonly CopyFrame[],
    readonly inParameterDefault = false,
  ) {}
  get scope(): Scope {
    return this.run.evalScope;
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

/**
 * One template instance: the root template, or the template of one nested deployment (one copy instance).
 * With `outer` expression scope, parameters and variables come from the parent.
 */
class TemplateRun implements CheckHost {
  readonly evalScope: Scope;
  private readonly paramDecls: ValueObject;
  private readonly varDecls: ValueObject;
  private readonly paramCache = new Map<string, Value>();
  private readonly varCache = new Map<string, Value>();
  private readonly varStack: string[] = [];
  private readonly functions = new Map<string, UserFunction>();
  readonly symbolic = new Map<string, Res[]>();
  private readonly byName = new Map<string, Res[]>();
  readonly symbolicMode: boolean;
  private outputsCache: ValueObject | undefined;
  private outputsBusy = false;
  readonly template: ValueObject;
  /** The condition of the deployment resource this template belongs to (Unknown: every resource is "maybe"). */
  baseCondition: true | Unknown = true;
  /** Set when no parameter value can be known: a `parametersLink` (never fetched) or a `parameters` expression that is unknown. */
  parametersUnknown: Unknown | undefined;
  /** Values of the place-independent expressions evaluated so far, by their text (see evalAt). */
  private readonly placeIndependent = new Map<string, Value>();
  /** How many times this template is deployed: the product of the counts of the copy loops around its deployment. */
  repeats = 1;
  /** Resources this template registered, for ARM's per-template limit. */
  registered = 0;
  /** Ids (lower-case) of the resources this template certainly deploys, to find one declared twice. */
  private readonly deployedKeys = new Set<string>();
  private readonly paramStack: string[] = [];

  constructor(
    readonly ex: Engine,
    readonly doc: TemplateDoc,
    readonly base: string,
    template: ValueObject,
    readonly targetScope: Scope,
    readonly provided: ReadonlyMap<string, Value>,
    readonly deploymentName: string,
    readonly chain: readonly string[],
    readonly depth: number,
    readonly outerHost: InstanceHost | undefined,
    readonly order: readonly number[],
  ) {
    this.template = template;
    const scopeFromSchema: Scope = Object.assign({}, targetScope, { level: levelFromSchema(getProp(template, '$schema')) });
    // With outer scope, functions such as resourceGroup() answer for the parent deployment (documented ARM quirk:
    // https://learn.microsoft.com/azure/azure-resource-manager/templates/linked-templates#expression-evaluation-scope-in-nested-templates).
    this.evalScope = outerHost ? outerHost.scope : scopeFromSchema;
    this.targetScope = scopeFromSchema;
    const p = getProp(template, 'parameters');
    this.paramDecls = isObject(p) ? p : newObject();
    const v = getProp(template, 'variables');
    this.varDecls = isObject(v) ? v : newObject();
    const lv = getProp(template, 'languageVersion');
    const resources = getProp(template, 'resources');
    this.symbolicMode = (typeof lv === 'string' && /^2\./.test(lv)) || isObject(resources);
    this.readFunctions();
    this.checkLimits();
  }

  get file(): string {
    return this.doc.file;
  }

  at(pointer: string): Location {
    return { file: this.doc.file, pointer };
  }

  private checkLimits(): void {
    const l = this.ex.limits;
    const count = (v: Value | undefined): number => (isObject(v) ? Object.keys(v).length : 0);
    // Each file ARM receives (the root template, every linked one) has the size limit.
    if (this.base === '' && this.doc.text.length * 3 > l.templateBytes) {
      const bytes = utf8Length(this.doc.text);
      if (bytes > l.templateBytes)
        this.ex.report('limit-exceeded', `The template is ${bytes} bytes; ARM accepts at most ${formatBytes(l.templateBytes)}.`, this.at(this.base));
    }
    if (!this.outerHost) {
      const np = count(this.paramDecls);
      if (np > l.parameters) this.ex.report('limit-exceeded', `The template declares ${np} parameters; ARM accepts at most ${l.parameters}.`, this.at(pointerJoin(this.base, 'parameters')));
      const nv = count(this.varDecls);
      if (nv > l.variables) this.ex.report('limit-exceeded', `The template declares ${nv} variables; ARM accepts at most ${l.variables}.`, this.at(pointerJoin(this.base, 'variables')));
    }
    const no = count(getProp(this.template, 'outputs'));
    if (no > l.outputs) this.ex.report('limit-exceeded', `The template declares ${no} outputs; ARM accepts at most ${l.outputs}.`, this.at(pointerJoin(this.base, 'outputs')));
  }

  private readFunctions(): void {
    const fs = getProp(this.template, 'functions');
    if (!Array.isArray(fs)) return;
    for (let i = 0; i < fs.length; i++) {
      const ns = fs[i];
      if (!isObject(ns)) continue;
      const nsName = getProp(ns, 'namespace');
      const members = getProp(ns, 'members');
      if (typeof nsName !== 'string' || !isObject(members)) continue;
      for (const [name, def] of Object.entries(members)) {
        if (!isObject(def)) continue;
        const params = getProp(def, 'parameters');
        const output = getProp(def, 'output');
        const value = isObject(output) ? getProp(output, 'value') : undefined;
        // The body stays a template value (the evaluator parses `[...]` strings when the function is called);
        // a syntax error is reported here, at the definition, once.
        if (typeof value === 'string' && isExpression(value)) {
          try {
            parseExpression(value.slice(1, -1));
          } catch (e) {
            if (!(e instanceof ExpressionError)) throw e;
            const pointer = [i, 'members', name, 'output', 'value'].reduce<string>((p, seg) => pointerJoin(p, seg), pointerJoin(this.base, 'functions'));
            this.ex.report('expression-invalid', e.message, this.at(pointer));
          }
        }
        this.functions.set(`${nsName}.${name}`.toLowerCase(), {
          params: Array.isArray(params) ? params.map((x) => (isObject(x) ? scalarText(getProp(x, 'name'), '') : '')) : [],
          output: value ?? null,
        });
      }
    }
  }

  userFunction(name: string): UserFunction | undefined {
    return this.functions.get(name) ?? this.outerHost?.run.userFunction(name);
  }

  // ---- evaluation with findings --------------------------------------------------------------------------

  /** ARM's limit on the length of one expression. */
  private checkLength(s: string, pointer: string, key: string | number | undefined): void {
    if (s.length > this.ex.limits.expressionLength && isExpression(s))
      this.ex.report('limit-exceeded', `The expression is ${s.length} characters long; ARM accepts at most ${this.ex.limits.expressionLength}.`, this.at(joined(pointer, key)));
  }

  /**
   * Evaluates one template string at a pointer (or at member `key` under it: the pointer is joined only to report a
   * problem, as most strings evaluate cleanly); an error becomes an expression-invalid finding and an Unknown.
   */
  evalAt(s: string, host: InstanceHost, pointer: string, key?: string | number): Value {
    if (s.length < 2 || s.charCodeAt(0) !== 91) return s;
    this.checkLength(s, pointer, key);
    // [parameters('x')] and [variables('x')], half of all expressions, are what those two functions return: no
    // parser, no evaluator (their values are cached by name). A test holds them to the evaluator's answers.
    const simple = simpleReference(s);
    if (simple !== undefined) {
      try {
        const name = simpleReferenceName(s, simple);
        const v = simple === 'parameter' ? host.parameter(name) : host.variable(name);
        this.ex.count(v);
        return v;
      } catch (e) {
        // A name that is not declared, a cycle, nesting too deep: the evaluator below meets the same error and
        // reports it as it reports every other.
        if (!(e instanceof ExpressionError) && !(e instanceof RangeError)) throw e;
      }
    }
    // The same text in another place of this template instance, when its value cannot depend on the place
    // ([parameters('location')] in every resource, a resourceId() in every dependsOn): the value it had there.
    const known = this.placeIndependent.get(s);
    if (known !== undefined) {
      this.ex.count(known);
      return known;
    }
    try {
      // Parse trees are kept only for strings evaluated many times: in copy loops (and templates deployed in one).
      const parsed = parseTemplateString(s, host.repeats >= PARSE_CACHE_MIN_REPEATS);
      if ('literal' in parsed) return parsed.literal;
      const v = evaluateExpr(parsed.expr, host);
      this.ex.count(v);
      if (parsed.fixed) this.placeIndependent.set(s, v);
      return v;
    } catch (e) {
      if (e instanceof CapReached) throw e;
      if (e instanceof RangeError) {
        this.ex.report('limit-exceeded', 'The expression nests too deeply to evaluate.', this.at(joined(pointer, key)));
        return new Unknown('limit', 'expression too deep');
      }
      if (!(e instanceof ExpressionError)) throw e;
      this.ex.report('expression-invalid', e.message, this.at(joined(pointer, key)));
      const u = new Unknown('error', e.message);
      this.ex.count(u);
      return u;
    }
  }

  /** Checks every expression in a JSON structure without evaluating it (lint's 'egress' mode); errors become findings. */
  checkDeep(v: Value, pointer: string, depth = 0): void {
    if (typeof v === 'string') this.checkAt(v, pointer, undefined);
    if (v === null || typeof v !== 'object' || depth > 256) return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (typeof x === 'string') this.checkAt(x, pointer, i);
        else if (!isPlain(x)) this.checkDeep(x, pointerJoin(pointer, i), depth + 1);
      }
      return;
    }
    if (!isObject(v)) return;
    // for-in, not Object.keys: no array per object. Template objects have no enumerable inherited keys (JSON.parse
    // gives Object.prototype, the other readers none).
    for (const k in v) {
      this.checkAt(k, pointer, k);
      const x = v[k];
      if (typeof x === 'string') this.checkAt(x, pointer, k);
      else if (!isPlain(x)) {
        if (k.length === 4 && Array.isArray(x) && k.toLowerCase() === 'copy') for (let i = 0; i < x.length; i++) this.checkLoopCount(x[i], pointerJoin(pointerJoin(pointer, k), i));
        this.checkDeep(x, pointerJoin(pointer, k), depth + 1);
      }
    }
  }

  /**
   * ARM's copy-count limit for loops the check-only pass does not run (a property or variable loop of a body nothing
   * reads): a literal count is compared as copyCount() would; a count from an expression is left to evaluation.
   */
  private checkLoopCount(loop: Value, pointer: string): void {
    const raw = isObject(loop) ? getProp(loop, 'count') : undefined;
    const count = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : raw;
    if (typeof count === 'number' && Number.isInteger(count) && count > this.ex.limits.copyCount)
      this.ex.report('limit-exceeded', `The copy count is ${count}; ARM accepts at most ${this.ex.limits.copyCount}.`, this.at(pointerJoin(pointer, 'count')));
  }

  /** checkDeep for one string at member `key` of `pointer` (joined only to report a problem). */
  private checkAt(s: string, pointer: string, key: string | number | undefined): void {
    if (s.length < 2 || s.charCodeAt(0) !== 91) return;
    this.checkLength(s, pointer, key);
    try {
      checkString(s, this, this.callCheck);
    } catch (e) {
      if (e instanceof RangeError) this.ex.report('limit-exceeded', 'The expression nests too deeply to evaluate.', this.at(joined(pointer, key)));
      else if (e instanceof ExpressionError) this.ex.report('expression-invalid', e.message, this.at(joined(pointer, key)));
      else throw e;
    }
  }

  /**
   * Whether this template declares a parameter or variable, for checkString (a nested template with outer scope
   * sees its parent's). The run is its own CheckHost: an object of closures made per run would be a new closure each
   * time, and V8 drops a closure's optimised code once no closure of it is alive (it was compiled again and again).
   */
  declares(kind: 'parameter' | 'variable', name: string): boolean {
    if (this.outerHost) return this.outerHost.run.declares(kind, name);
    if (kind === 'parameter') return this.findKey(this.paramDecls, name) !== undefined;
    if (this.findKey(this.varDecls, name) !== undefined) return name.toLowerCase() !== 'copy';
    return this.variableLoop(name.toLowerCase()) !== undefined;
  }
  private readonly callCheck = callCheckOf(this);

  /** 'egress' mode's counterpart of evaluateDeclarations: what was not evaluated on demand is checked. */
  checkDeclarations(): void {
    if (!this.outerHost) {
      for (const k of Object.keys(this.paramDecls)) {
        const d = this.paramDecls[k];
        const def = isObject(d) ? getProp(d, 'defaultValue') : undefined;
        if (def !== undefined && !this.paramCache.has(k.toLowerCase())) this.checkDeep(def, pointerJoin(pointerJoin(pointerJoin(this.base, 'parameters'), k), 'defaultValue'));
      }
      for (const k of Object.keys(this.varDecls)) {
        const decl = this.varDecls[k];
        const pointer = pointerJoin(pointerJoin(this.base, 'variables'), k);
        // The top-level `copy` array defines variables, loop by loop: a loop's count is checked when its variable was not evaluated.
        if (k.toLowerCase() === 'copy' && Array.isArray(decl)) {
          for (let i = 0; i < decl.length; i++) {
            const loop = decl[i];
            const name = isObject(loop) ? getProp(loop, 'name') : undefined;
            if (typeof name === 'string' && this.varCache.has(name.toLowerCase())) continue;
            this.checkLoopCount(loop, pointerJoin(pointer, i));
            this.checkDeep(loop, pointerJoin(pointer, i));
          }
        } else if (!this.varCache.has(k.toLowerCase())) this.checkDeep(decl, pointer);
      }
    }
    const outputs = getProp(this.template, 'outputs');
    if (this.outputsCache || !isObject(outputs)) return;
    for (const k of Object.keys(outputs)) {
      const d = outputs[k];
      if (!isObject(d)) continue;
      for (const part of ['condition', 'value', 'copy']) {
        const v = getProp(d, part);
        if (v !== undefined) this.checkDeep(v, pointerJoin(pointerJoin(pointerJoin(this.base, 'outputs'), k), part));
      }
    }
  }

  /** Evaluates a JSON structure: every string expression, expression keys, and property `copy` arrays. */
  evalDeep(v: Value, host: InstanceHost, pointer: string, depth = 0): Value {
    if (typeof v === 'string') return this.evalAt(v, host, pointer);
    if (v === null || typeof v !== 'object') return v;
    if (depth > 256) {
      this.ex.report('limit-exceeded', 'The value nests too deeply to evaluate.', this.at(pointer));
      return new Unknown('limit', 'value too deep');
    }
    // Structural sharing: a subtree without expressions or copy loops is returned as it is, not copied, so
    // evaluating a template allocates only where something was actually evaluated.
    if (Array.isArray(v)) {
      let out: Value[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        const y = typeof x === 'string' ? this.evalAt(x, host, pointer, i) : isPlain(x) ? x : this.evalDeep(x, host, pointerJoin(pointer, i), depth + 1);
        // A copy at the exact length, changed in place (push() would give it room for 16 more elements).
        if (y !== x) (out ??= v.slice())[i] = y;
      }
      return out ?? v;
    }
    if (!isObject(v)) return v;
    let out: Record<string, Value> | undefined;
    // for-in, not Object.keys: most objects come back unchanged, and then no key array was needed.
    let i = -1;
    for (const k in v) {
      i++;
      const child = v[k];
      if (Array.isArray(child) && k.length === 4 && k.toLowerCase() === 'copy' && child.every((c) => isObject(c) && getProp(c, 'input') !== undefined)) {
        out ??= materialise(v, i);
        for (let j = 0; j < child.length; j++) this.propertyCopy(child[j] as ValueObject, host, pointerJoin(pointerJoin(pointer, k), j), out, depth);
        continue;
      }
      let key = k;
      if (k.length > 1 && k.charCodeAt(0) === 91) {
        const kv = this.evalAt(k, host, pointer, k);
        key = typeof kv === 'string' ? kv : kv instanceof Unknown ? `$unknown:${kv.origin}` : scalarText(kv, JSON.stringify(kv) ?? '');
      }
      const y = typeof child === 'string' ? this.evalAt(child, host, pointer, k) : isPlain(child) ? child : this.evalDeep(child, host, pointerJoin(pointer, k), depth + 1);
      if (!out && (y !== child || key !== k)) out = materialise(v, i);
      if (out) out[key] = y;
    }
    return out ?? v;
  }

  /** `"copy": [{ "name": "disks", "count": n, "input": {...} }]` inside properties or a variable value (or an output's copy). */
  propertyCopy(c: ValueObject, host: InstanceHost, pointer: string, out: Record<string, Value>, depth: number, kind: CopyFrame['kind'] = 'property'): void {
    const nameV = getProp(c, 'name');
    const name = typeof nameV === 'string' ? this.evalAt(nameV, host, pointer, 'name') : '';
    if (typeof name !== 'string' || name === '') {
      this.ex.report('template-invalid', 'A property copy loop needs a name.', this.at(pointer));
      return;
    }
    const count = this.copyCount(getProp(c, 'count') ?? null, host, pointerJoin(pointer, 'count'));
    if (count instanceof Unknown) {
      out[name] = new Unknown(count.cause, `copy '${name}' count: ${count.origin}`);
      return;
    }
    const input = getProp(c, 'input') ?? null;
    const items: Value[] = [];
    for (let i = 0; i < count; i++) {
      this.ex.iteration(this.at(pointer));
      items.push(this.evalDeep(input, host.with({ name, index: i, kind, count }), pointerJoin(pointer, 'input'), depth + 1));
    }
    out[name] = items;
  }

  /** Evaluates a copy count against ARM's limit (a finding) and the safety cap (stops the loop there). */
  copyCount(raw: Value, host: InstanceHost, pointer: string): number | Unknown {
    let v = typeof raw === 'string' ? this.evalAt(raw, host, pointer) : raw;
    // ARM reads the count leniently: "count": "3" is 3.
    if (typeof v === 'string' && /^\d{1,9}$/.test(v)) v = Number(v);
    if (v instanceof Unknown) return v;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      this.ex.report('template-invalid', `A copy count must be a non-negative integer, got ${JSON.stringify(v)}.`, this.at(pointer));
      return 0;
    }
    if (v > this.ex.limits.copyCount)
      this.ex.report('limit-exceeded', `The copy count is ${v}; ARM accepts at most ${this.ex.limits.copyCount}.`, this.at(pointer));
    if (v > this.ex.caps.copyCount) {
      this.ex.report('limit-exceeded', `Only the first ${this.ex.caps.copyCount} of ${v} copies were analysed (a safety cap).`, this.at(pointer));
      return this.ex.caps.copyCount;
    }
    return v;
  }

  // ---- parameters and variables ----------------------------------------------------------------------------

  /** The declared key that `name` names (ARM names ignore case; the first declaration of a spelling wins). */
  private findKey(obj: ValueObject, name: string): string | undefined {
    if (Object.prototype.hasOwnProperty.call(obj, name)) return name;
    let index = this.keyIndexes.get(obj);
    if (index === undefined) {
      index = new Map();
      for (const k of Object.keys(obj)) {
        const lower = k.toLowerCase();
        if (!index.has(lower)) index.set(lower, k);
      }
      this.keyIndexes.set(obj, index);
    }
    return index.get(name.toLowerCase());
  }

  /** Lower-case name → declared key, per declarations object, built on the first miss of an exact lookup. */
  private readonly keyIndexes = new Map<ValueObject, Map<string, string>>();

  parameter(name: string): Value {
    if (this.outerHost) return this.outerHost.parameter(name);
    const lower = name.toLowerCase();
    const hit = this.paramCache.get(lower);
    if (hit !== undefined) return hit;
    const key = this.findKey(this.paramDecls, name);
    if (key === undefined) throw new ExpressionError(`The template parameter '${name}' is not found.`);
    if (this.paramStack.includes(lower)) {
      const cycle = [...this.paramStack.slice(this.paramStack.indexOf(lower)), lower].join(' → ');
      throw new ExpressionError(`The parameter default values form a cycle: ${cycle}.`);
    }
    const decl = this.paramDecls[key];
    let value: Value;
    const given = this.provided.get(lower);
    const allowed = isObject(decl) ? getProp(decl, 'allowedValues') : undefined;
    const candidates = Array.isArray(allowed) && allowed.length > 0 ? allowed : undefined;
    // A null value for a parameter that has a default means "not given": Azure Verified Modules pass tryGet(...)
    // results that are null to module parameters declared with a default and then call length() on them
    // (corpus: avm/res/network/virtual-network/subnet via sharepoint-adfs), which deploys only if ARM substitutes
    // the default. Not stated on Learn; inferred from those deployed modules.
    const hasDefault = isObject(decl) && getProp(decl, 'defaultValue') !== undefined;
    if (given !== undefined && !(given === null && hasDefault)) value = given;
    else if (this.parametersUnknown !== undefined) value = new Unknown(this.parametersUnknown.cause, `parameter '${key}': ${this.parametersUnknown.origin}`, candidates);
    else {
      const def = isObject(decl) ? getProp(decl, 'defaultValue') : undefined;
      if (def !== undefined) {
        this.paramStack.push(lower);
        try {
          value = this.evalDeep(def, new InstanceHost(this, [], true), pointerJoin(pointerJoin(pointerJoin(this.base, 'parameters'), key), 'defaultValue'));
        } finally {
          this.paramStack.pop();
        }
      } else value = new Unknown('parameter', `parameter '${key}' has no value`, candidates);
    }
    this.paramCache.set(lower, value);
    return value;
  }

  /** Evaluates every parameter, variable and output once, so an error in an unused one is still reported (ARM evaluates them all). */
  evaluateDeclarations(): void {
    const names: Array<['parameter' | 'variable', string]> = [];
    if (!this.outerHost) {
      for (const k of Object.keys(this.paramDecls)) names.push(['parameter', k]);
      for (const k of Object.keys(this.varDecls)) {
        const loops = this.varDecls[k];
        if (k.toLowerCase() !== 'copy') names.push(['variable', k]);
        else if (Array.isArray(loops)) for (const c of loops) if (isObject(c) && typeof getProp(c, 'name') === 'string') names.push(['variable', getProp(c, 'name') as string]);
      }
    }
    for (const [kind, name] of names) {
      try {
        if (kind === 'parameter') this.parameter(name);
        else this.variable(name);
      } catch (e) {
        // Errors inside a value were reported where they occurred; this catches only a name that is not there.
        if (!(e instanceof ExpressionError)) throw e;
      }
    }
    try {
      this.outputs();
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
    }
  }

  variable(name: string): Value {
    if (this.outerHost) return this.outerHost.variable(name);
    const lower = name.toLowerCase();
    const hit = this.varCache.get(lower);
    if (hit !== undefined) return hit;
    if (this.varStack.includes(lower)) {
      const cycle = [...this.varStack.slice(this.varStack.indexOf(lower)), lower].join(' → ');
      throw new ExpressionError(`The variables form a cycle: ${cycle}.`);
    }
    const key = this.findKey(this.varDecls, name);
    let value: Value;
    this.varStack.push(lower);
    try {
      if (key !== undefined && key.toLowerCase() !== 'copy') {
        value = this.evalDeep(this.varDecls[key], new InstanceHost(this, []), pointerJoin(pointerJoin(this.base, 'variables'), key));
      } else {
        const loop = this.variableCopy(lower);
        if (loop === undefined) throw new ExpressionError(`The template variable '${name}' is not found.`);
        value = loop;
      }
    } finally {
      this.varStack.pop();
    }
    this.varCache.set(lower, value);
    return value;
  }

  /** The loop of the top-level variables `copy` array that defines the variable `lower`, with its pointer. */
  private variableLoop(lower: string): { loop: ValueObject; pointer: string } | undefined {
    const key = this.findKey(this.varDecls, 'copy');
    const loops = key === undefined ? undefined : this.varDecls[key];
    if (!Array.isArray(loops)) return undefined;
    const i = loops.findIndex((c) => isObject(c) && scalarText(getProp(c, 'name'), '').toLowerCase() === lower);
    return i < 0 ? undefined : { loop: loops[i] as ValueObject, pointer: pointerJoin(pointerJoin(pointerJoin(this.base, 'variables'), key!), i) };
  }

  /** The top-level variables `copy` array defines variables that are arrays. */
  private variableCopy(lower: string): Value | undefined {
    const found = this.variableLoop(lower);
    if (!found) return undefined;
    const out = newObject();
    this.propertyCopy(found.loop, new InstanceHost(this, []), found.pointer, out, 0, 'variable');
    return Object.values(out)[0];
  }

  // ---- resources -------------------------------------------------------------------------------------------

  /** Registers every resource declaration of this template (names, types, conditions; bodies stay lazy). */
  registerAll(): void {
    const resources = getProp(this.template, 'resources');
    const base = pointerJoin(this.base, 'resources');
    if (Array.isArray(resources)) {
      for (let i = 0; i < resources.length; i++) this.declare(resources[i], pointerJoin(base, i), undefined, undefined, new InstanceHost(this, []), [...this.order, i]);
    } else if (isObject(resources)) {
      const symbols = Object.keys(resources);
      for (let i = 0; i < symbols.length; i++) this.declare(resources[symbols[i]], pointerJoin(base, symbols[i]), undefined, symbols[i], new InstanceHost(this, []), [...this.order, i]);
    } else if (resources !== undefined) {
      this.ex.report('template-invalid', "The template's 'resources' must be an array (or an object with languageVersion 2.0).", this.at(base));
    }
  }

  private declare(decl: Value, pointer: string, parent: ParentRef | undefined, symbolicName: string | undefined, host: InstanceHost, order: number[]): void {
    if (!isObject(decl)) {
      this.ex.report('template-invalid', 'A resource must be an object.', this.at(pointer));
      return;
    }
    const copy = getProp(decl, 'copy');
    if (isObject(copy)) {
      const nameV = getProp(copy, 'name');
      const loopName = typeof nameV === 'string' ? nameV : '';
      if (loopName === '') this.ex.report('template-invalid', 'A resource copy loop needs a name.', this.at(pointerJoin(pointer, 'copy')));
      const count = this.copyCount(getProp(copy, 'count') ?? null, host, pointerJoin(pointerJoin(pointer, 'copy'), 'count'));
      if (count instanceof Unknown) {
        const index = new Unknown(count.cause, `copy '${loopName}' index: ${count.origin}`);
        this.instance(decl, pointer, parent, symbolicName, host.with({ name: loopName, index, kind: 'resource', count: 1 }), [...order, 0], undefined);
        return;
      }
      for (let i = 0; i < count; i++) this.instance(decl, pointer, parent, symbolicName, host.with({ name: loopName, index: i, kind: 'resource', count }), [...order, i], i);
      return;
    }
    this.instance(decl, pointer, parent, symbolicName, host, order, undefined);
  }

  private instance(decl: ValueObject, pointer: string, parent: ParentRef | undefined, symbolicName: string | undefined, host: InstanceHost, order: number[], copyIndex: number | undefined): void {
    const children = getProp(decl, 'resources');
    const hasChildren = Array.isArray(children) && children.length > 0;
    const cond = getProp(decl, 'condition');
    let condition: boolean | Unknown = true;
    if (cond !== undefined) {
      const c = typeof cond === 'string' ? this.evalAt(cond, host, pointer, 'condition') : cond;
      if (c instanceof Unknown) condition = new Unknown(c.cause === 'error' ? 'error' : 'condition', `condition: ${c.origin}`);
      else if (c === false) condition = false;
      else if (c !== true) {
        this.ex.report('template-invalid', `A resource condition must be a Boolean, got ${JSON.stringify(c)}.`, this.at(pointerJoin(pointer, 'condition')));
        condition = false;
      }
    }
    // A resource skipped by its condition still matters when it declares children: the condition does not
    // cascade to them (https://learn.microsoft.com/azure/azure-resource-manager/templates/conditional-resource-deployment).
    if (condition === false && !hasChildren) return;
    // Resources inside a nested deployment are deployed only if the deployment is.
    if (condition === true && this.baseCondition instanceof Unknown) condition = this.baseCondition;
    // A copy loop whose count is unknown may deploy no instance at all: its one stand-in is "maybe deployed".
    if (condition === true) {
      const loop = host.copies.find((f) => f.index instanceof Unknown);
      if (loop) condition = new Unknown('condition', `the copy count of '${loop.name}' is unknown (${(loop.index as Unknown).origin})`);
    }
    const typeV = this.evalAt(scalarText(getProp(decl, 'type'), ''), host, pointer, 'type');
    const nameRaw = getProp(decl, 'name');
    const nameV = typeof nameRaw === 'string' ? this.evalAt(nameRaw, host, pointer, 'name') : nameRaw;
    if (typeof typeV !== 'string' || typeV === '') {
      this.ex.report('template-invalid', 'A resource needs a type.', this.at(pointer));
      return;
    }
    let type = typeV;
    let name = typeof nameV === 'string' ? nameV : nameV instanceof Unknown ? `{${nameV.origin}}` : '';
    const known = typeof nameV === 'string' && (parent?.known ?? true);
    if (parent) {
      // Child declared inside its parent: the type and name may be relative ("subnets", "subnet1") or full.
      const full = type.includes('/') && type.split('/')[0].includes('.');
      if (!full) type = `${parent.type}/${type}`;
      if (name.split('/').length < type.split('/').length - 1) name = `${parent.name}/${name}`;
    }
    if (!name && !(nameV instanceof Unknown)) {
      this.ex.report('template-invalid', 'A resource needs a name.', this.at(pointer));
      return;
    }
    if (condition !== false) {
      const apiRaw = getProp(decl, 'apiVersion');
      const apiV = typeof apiRaw === 'string' ? this.evalAt(apiRaw, host, pointer, 'apiVersion') : '';
      const existing = getProp(decl, 'existing') === true;
      const id = this.resourceIdFor(decl, type, name, known, host, pointer);
      const res = new Res(id, type, name, symbolicName, typeof apiV === 'string' ? apiV : '', condition, existing, decl, this.at(pointer), copyIndex, order, host, this.chain);
      // ARM rejects a template that deploys one resource twice (conditions that may be false excepted).
      if (condition === true && !existing && known) {
        if (this.deployedKeys.has(res.key)) this.ex.report('template-invalid', `The resource '${name}' of type '${type}' is declared more than once.`, this.at(pointer));
        else this.deployedKeys.add(res.key);
      }
      this.ex.register(res);
      if (symbolicName !== undefined) push(this.symbolic, symbolicName.toLowerCase(), res);
      push(this.byName, name.toLowerCase(), res);
      this.registered++;
      // ARM counts resources per template, copies included (https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits).
      if (this.registered === this.ex.limits.resources + 1)
        this.ex.report('limit-exceeded', `The template deploys more than ${this.ex.limits.resources} resources (copies included); ARM accepts at most ${this.ex.limits.resources}.`, this.at(pointer));
      if (res.typeKey === 'microsoft.resources/deployments' && !existing) this.ex.pending.push(res);
    }
    if (hasChildren) {
      const parentRef = { type, name, known };
      for (let i = 0; i < children.length; i++) this.declare(children[i], pointerJoin(pointerJoin(pointer, 'resources'), i), parentRef, undefined, host, [...order, 100000 + i]);
    }
  }

  /** The normalised id of a declared resource, honouring `scope` (extension resources) and deployment targets. */
  private resourceIdFor(decl: ValueObject, type: string, name: string, known: boolean, host: InstanceHost, pointer: string): string {
    let tail: string;
    try {
      tail = providerPath('resource', type, [name]);
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      const types = type.split('/').length - 1;
      if (known)
        this.ex.report('template-invalid', `The resource name '${name}' has ${name.split('/').length} segment(s); its type '${type}' needs ${types}.`, this.at(pointerJoin(pointer, 'name')));
      tail = `/providers/${type}/${name}`;
    }
    const scopeRaw = getProp(decl, 'scope');
    if (typeof scopeRaw === 'string') {
      const s = this.evalAt(scopeRaw, host, pointer, 'scope');
      if (typeof s === 'string') {
        if (s.startsWith('/')) return `${s}${tail}`;
        // A symbolic name, or a resource-group-relative id such as 'Microsoft.Network/virtualNetworks/vnet1'
        // (what Bicep writes for `scope: vnet` on an extension resource).
        const target = this.symbolic.get(s.toLowerCase());
        if (target?.[0]) return `${target[0].id}${tail}`;
        if (s.split('/')[0].includes('.')) return `/subscriptions/${this.targetScope.subscriptionId}/resourceGroups/${this.targetScope.resourceGroup}/providers/${s}${tail}`;
      }
    }
    const sub = this.stringProp(decl, 'subscriptionId', host, pointer) ?? this.targetScope.subscriptionId;
    const rg = this.stringProp(decl, 'resourceGroup', host, pointer) ?? this.targetScope.resourceGroup;
    const level = this.targetScope.level;
    // A resource group's id has no provider segment: /subscriptions/{sub}/resourceGroups/{name}.
    if (type.toLowerCase() === 'microsoft.resources/resourcegroups') return `/subscriptions/${sub}/resourceGroups/${name}`;
    if (level === 'resourceGroup' || getProp(decl, 'resourceGroup') !== undefined) return `/subscriptions/${sub}/resourceGroups/${rg}${tail}`;
    if (level === 'subscription') return `/subscriptions/${sub}${tail}`;
    if (level === 'managementGroup') return `/providers/Microsoft.Management/managementGroups/${this.targetScope.managementGroup}${tail}`;
    return tail;
  }

  private stringProp(decl: ValueObject, key: string, host: InstanceHost, pointer: string): string | undefined {
    const raw = getProp(decl, key);
    if (typeof raw !== 'string') return undefined;
    const v = this.evalAt(raw, host, pointer, key);
    return typeof v === 'string' ? v : v instanceof Unknown ? `{${v.origin}}` : undefined;
  }

  // ---- reference() -----------------------------------------------------------------------------------------

  reference(target: Value, full: boolean): Value {
    if (typeof target !== 'string') throw new ExpressionError('reference() expects a resource name, id or symbolic name.');
    const res = this.findResource(target);
    if (!res) return new Unknown('reference', `reference('${target}') is not a resource in the analysed files`);
    return this.ex.referenceOf(res, full);
  }

  /**
   * The resource a reference() target names: a symbolic name (languageVersion 2.0), a resource id, a name
   * ('vnet1/subnet1'), or a type-qualified name ('Microsoft.Network/publicIPAddresses/pip1'), which older
   * templates pass. Looks in this template first, then (outer expression scope) in the templates around it.
   */
  findResource(target: string): Res | undefined {
    const lower = target.toLowerCase().replace(RG_WITH_PROVIDER, '/subscriptions/$1/resourcegroups/$2');
    if (lower.startsWith('/')) return this.ex.byKey.get(lower)?.[0];
    return this.findLocal(lower) ?? this.outerHost?.run.findResource(lower);
  }

  private findLocal(lower: string): Res | undefined {
    if (this.symbolicMode) {
      const sym = this.symbolic.get(lower);
      if (sym && sym.length === 1) return sym[0];
      // One instance of a symbolic copy loop: Bicep writes reference(format('subnets[{0}]', i)).
      const m = /^(.*)\[(\d+)\]$/.exec(lower);
      const loop = m ? this.symbolic.get(m[1]) : undefined;
      if (loop) return loop.find((r) => r.copyIndex === Number(m![2]));
    }
    const named = this.byName.get(lower);
    if (named && named.length >= 1) return named[0];
    const parts = lower.split('/');
    if (parts.length >= 3 && parts[0].includes('.')) {
      // {namespace}/{type}[/{child type}]/{name}[/{child name}]: as many names as types.
      const types = Math.ceil((parts.length - 1) / 2);
      const type = parts.slice(0, 1 + types).join('/');
      const name = parts.slice(1 + types).join('/');
      const hit = this.byName.get(name)?.find((r) => r.typeKey === type);
      if (hit) return hit;
    }
    return undefined;
  }

  deploymentObject(): Value {
    // templateLink exists only when the template was deployed from a URL: reading it offline is unknown.
    return markRuntime({
      name: this.deploymentName,
      location: this.targetScope.location,
      properties: {
        template: { contentVersion: scalarText(getProp(this.template, 'contentVersion'), '1.0.0.0'), metadata: getProp(this.template, 'metadata') ?? null },
        templateHash: '0',
        parameters: {},
        mode: 'Incremental',
        provisioningState: 'Accepted',
      },
    } as ValueObject, 'deployment()');
  }

  /** The evaluated outputs, as `reference(deployment).outputs` shows them: { name: { type, value } }. */
  outputs(): ValueObject {
    if (this.outputsCache) return this.outputsCache;
    if (this.outputsBusy) throw new ExpressionError(`The outputs of deployment '${this.deploymentName}' refer to themselves.`);
    this.outputsBusy = true;
    const out = newObject();
    const decls = getProp(this.template, 'outputs');
    try {
      if (isObject(decls)) {
        for (const k of Object.keys(decls)) {
          const d = decls[k];
          if (!isObject(d)) continue;
          const pointer = pointerJoin(pointerJoin(this.base, 'outputs'), k);
          const host = new InstanceHost(this, []);
          const cond = getProp(d, 'condition');
          if (cond !== undefined) {
            const c = typeof cond === 'string' ? this.evalAt(cond, host, pointer, 'condition') : cond;
            if (c === false) continue;
          }
          const copy = getProp(d, 'copy');
          let value: Value;
          if (isObject(copy)) {
            const tmp = newObject();
            this.propertyCopy({ name: k, count: getProp(copy, 'count') ?? 0, input: getProp(copy, 'input') ?? null }, host, pointerJoin(pointer, 'copy'), tmp, 0, 'output');
            value = tmp[k] ?? null;
          } else value = this.evalDeep(getProp(d, 'value') ?? null, host, pointerJoin(pointer, 'value'));
          const entry = newObject();
          entry.type = getProp(d, 'type') ?? 'object';
          entry.value = value;
          out[k] = entry;
        }
      }
    } finally {
      this.outputsBusy = false;
    }
    this.outputsCache = out;
    return out;
  }
}

/** A copy of a value without the object properties whose value is null (arrays keep their length). */
function withoutNulls(v: Value, depth: number): Value {
  if (depth > 64) return v;
  if (Array.isArray(v)) {
    const out = v.slice();
    for (let i = 0; i < out.length; i++) out[i] = withoutNulls(out[i], depth + 1);
    return out;
  }
  if (!isObject(v)) return v;
  const out = newObject();
  for (const k of Object.keys(v)) if (v[k] !== null) out[k] = withoutNulls(v[k], depth + 1);
  return out;
}

/** subscriptionResourceId('Microsoft.Resources/resourceGroups', name) spells a resource group id with a provider segment. */
const RG_WITH_PROVIDER = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.resources\/resourcegroups\/([^/]+)$/;

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

/**
 * A string, number or boolean as text, else `fallback`. Never String(v) on template values: objects from the JSONC
 * reader and the evaluator have no prototype, so String() throws on them (a TypeError, not a finding).
 */
function scalarText(v: Value | undefined, fallback: string): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback;
}

/** The pointer of member `key` under `pointer` (the pointer itself without a key). */
function joined(pointer: string, key: string | number | undefined): string {
  return key === undefined ? pointer : pointerJoin(pointer, key);
}

/** A copy of the first `upTo` members of an object (evaluation changed the next one). */
function materialise(v: ValueObject, upTo: number): Record<string, Value> {
  const o = newObject();
  let j = 0;
  for (const k in v) {
    if (j++ === upTo) break;
    o[k] = v[k];
  }
  return o;
}

/** A value that evaluation cannot change: a number, boolean, null, or a string that is not an expression. */
function isPlain(v: Value): boolean {
  return typeof v === 'string' ? !(v.length > 1 && v.charCodeAt(0) === 91) : v === null || typeof v !== 'object';
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** Extends Expansion with body evaluation, reference views and nested deployments (kept together: they recurse). */
class Engine extends Expansion {
  body(res: Res): ValueObject {
    if (res.body) return res.body;
    if (res.evaluating) throw new ExpressionError(`The resource '${res.name}' refers to itself through reference().`);
    res.evaluating = true;
    try {
      const run = res.host.run;
      const out = newObject();
      const isDeployment = res.typeKey === 'microsoft.resources/deployments';
      let partial: ReadonlyMap<string, true | ReadonlySet<string>> | undefined;
      for (const k of Object.keys(res.decl)) {
        const lower = k.toLowerCase();
        if (STRUCTURAL.has(lower)) continue;
        if (lower === 'name') out[k] = res.name;
        else if (lower === 'type') out[k] = res.type;
        else if (lower === 'apiversion') out[k] = res.apiVersion;
        else if (isDeployment && lower === 'properties') out[k] = this.deploymentProperties(res, run);
        else if (lower === 'properties' && (partial = this.selection?.partialProperties.get(res.typeKey)) !== undefined) out[k] = this.partialProperties(res, run, k, partial);
        else out[k] = run.evalDeep(res.decl[k], res.host, pointerJoin(res.at.pointer, k));
      }
      res.body = out;
      // The template syntax writes `properties` as an object of resource-specific settings
      // (https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax#resources); read as absent, a
      // number or string there would pass for the schema defaults.
      const props = getProp(out, 'properties');
      if (props !== undefined && props !== null && !(props instanceof Unknown) && !isObject(props)) {
        const key = Object.keys(out).find((k) => k.toLowerCase() === 'properties') ?? 'properties';
        this.report('template-invalid', `The properties of '${res.name}' must be an object, not ${Array.isArray(props) ? 'an array' : `a ${typeof props}`}.`, { file: res.at.file, pointer: pointerJoin(res.at.pointer, key) }, res.name);
      }
      return out;
    } finally {
      res.evaluating = false;
    }
  }

  /**
   * A selective evaluation's `properties` of a type read in part (a VM's or scale set's: the network profile,
   * availability set, scale set, orchestration mode): the members not read (the OS, storage, diagnostics and hardware
   * profiles, three quarters of evaluating the corpus's VMs and none of their egress) are checked like bodies nothing
   * reads, and evaluated only if reference() asks for the resource.
   */
  private partialProperties(res: Res, run: TemplateRun, key: string, members: ReadonlyMap<string, true | ReadonlySet<string>>): Value {
    const decl = res.decl[key];
    const pointer = pointerJoin(res.at.pointer, key);
    if (!isObject(decl) || hasGeneratedKeys(decl)) return run.evalDeep(decl, res.host, pointer);
    const skipped: Skipped[] = [];
    const out = this.selectMembers(res, run, decl, pointer, members, skipped);
    if (skipped.length > 0) res.skipped = skipped;
    return out;
  }

  /** partialProperties' walk (a method, not a closure made per resource: see TemplateRun.declares). */
  private selectMembers(res: Res, run: TemplateRun, from: ValueObject, at: string, members: ReadonlyMap<string, true | ReadonlySet<string>> | ReadonlySet<string>, skipped: Skipped[]): ValueObject {
    const out = newObject();
    for (const k in from) {
      const lower = k.toLowerCase();
      const v = from[k];
      const read = members instanceof Map ? members.get(lower) : members.has(lower) || undefined;
      if (read === true) out[k] = run.evalDeep(v, res.host, pointerJoin(at, k));
      else if (read !== undefined && isObject(v) && !hasGeneratedKeys(v)) out[k] = this.selectMembers(res, run, v, pointerJoin(at, k), read, skipped);
      else {
        out[k] = NOT_NEEDED;
        skipped.push({ into: out, key: k, decl: v, pointer: pointerJoin(at, k) });
      }
    }
    return out;
  }

  /** The body with every member evaluated (what reference() shows): a VM's skipped settings are evaluated now. */
  private completeBody(res: Res): ValueObject {
    const body = this.body(res);
    const skipped = res.skipped;
    if (skipped) {
      res.skipped = undefined;
      for (const m of skipped) m.into[m.key] = res.host.run.evalDeep(m.decl, res.host, m.pointer);
    }
    return body;
  }

  /** A deployment's properties, without evaluating the inner template in the outer context. */
  private deploymentProperties(res: Res, run: TemplateRun): Value {
    const props = getProp(res.decl, 'properties');
    if (!isObject(props)) return props ?? null;
    const out = newObject();
    for (const k of Object.keys(props)) {
      const lower = k.toLowerCase();
      const pointer = pointerJoin(pointerJoin(res.at.pointer, 'properties'), k);
      if (lower === 'template') out[k] = '(template)';
      else if (lower === 'parameters' && this.scopeOf(props) === 'outer') out[k] = props[k];
      else out[k] = run.evalDeep(props[k], res.host, pointer);
    }
    return out;
  }

  /** The expression scope of a nested template; a linked template (templateLink) always has inner scope. */
  scopeOf(props: ValueObject): 'inner' | 'outer' {
    if (!isObject(getProp(props, 'template')) && isObject(getProp(props, 'templateLink'))) return 'inner';
    const eo = getProp(props, 'expressionEvaluationOptions');
    const s = isObject(eo) ? getProp(eo, 'scope') : undefined;
    return typeof s === 'string' && s.toLowerCase() === 'inner' ? 'inner' : 'outer';
  }

  referenceOf(res: Res, full: boolean): Value {
    if (res.existing)
      return new Unknown('reference', `reference('${res.symbolicName ?? res.name}') is an existing resource outside the analysed files`);
    const isDeployment = res.typeKey === 'microsoft.resources/deployments';
    if (isDeployment) {
      this.expandNested(res);
      if (!res.nested) return new Unknown('external', `the template of deployment '${res.name}' was not analysed`);
      const outputs = res.nested.outputs();
      const props = newObject();
      props.outputs = outputs;
      props.provisioningState = 'Succeeded';
      return markRuntime(full ? ({ properties: props, id: res.id, name: res.name, type: res.type } as ValueObject) : props, `reference('${res.name}')`, res.id, full ? '' : 'properties');
    }
    // ARM leaves properties set to null out of the request, so the deployed resource does not have them: the
    // reference() view drops them, and reading one is the runtime value (e.g. `contains(reference(x), 'p')` is false).
    res.view ??= withoutNulls(this.completeBody(res), 0) as ValueObject;
    const body = res.view;
    const origin = `reference('${res.symbolicName ?? res.name}')`;
    if (full) {
      const o = newObject();
      for (const k of Object.keys(body)) o[k] = body[k];
      o.id = res.id;
      o.name = res.name;
      o.type = res.type;
      o.apiVersion = res.apiVersion;
      return markRuntime(o, origin, res.id, '');
    }
    const props = getProp(body, 'properties');
    if (props instanceof Unknown) return new Unknown(props.cause, `${origin}: ${props.origin}`);
    return markRuntime(isObject(props) ? props : newObject(), origin, res.id, 'properties');
  }

  /** Expands the template of a nested deployment resource (inline or linked by relativePath) once. */
  expandNested(res: Res): void {
    if (res.nestedDone) return;
    res.nestedDone = true;
    const run = res.host.run;
    const props = getProp(res.decl, 'properties');
    if (!isObject(props)) return;
    if (run.depth + 1 > this.caps.nestingDepth) {
      this.report('limit-exceeded', `Nested deployments go deeper than ${this.caps.nestingDepth} levels; the rest was not analysed.`, res.at, res.name);
      this.unresolved.push({ name: res.name, at: res.at, reason: 'nesting too deep' });
      return;
    }
    const scope = this.scopeOf(props);
    let doc = run.doc;
    let base = pointerJoin(pointerJoin(res.at.pointer, 'properties'), 'template');
    let template = getProp(props, 'template');
    const link = getProp(props, 'templateLink');
    if (!isObject(template) && isObject(link)) {
      const relPointer = pointerJoin(pointerJoin(pointerJoin(res.at.pointer, 'properties'), 'templateLink'), 'relativePath');
      const rel = getProp(link, 'relativePath');
      const relV = typeof rel === 'string' ? run.evalAt(rel, res.host, relPointer) : undefined;
      if (typeof relV === 'string' && this.options.resolveLink) {
        const loaded = this.options.resolveLink(relV, run.doc.file);
        if ('error' in loaded) {
          this.report('template-invalid', `The linked template '${relV}' cannot be read: ${loaded.error}.`, run.at(relPointer), res.name);
          this.unresolved.push({ name: res.name, at: res.at, reason: loaded.error });
          return;
        }
        for (const p of loaded.problems) this.report('template-invalid', p.message, { file: loaded.file, pointer: '', offset: p.offset });
        if (!isObject(loaded.value as Value)) {
          if (loaded.problems.length === 0)
            this.report('template-invalid', 'The file is not an ARM template: its top level must be an object.', { file: loaded.file, pointer: '' });
          this.unresolved.push({ name: res.name, at: res.at, reason: `the linked template '${relV}' is not a template` });
          return;
        }
        this.docs.set(loaded.file, loaded);
        doc = loaded;
        base = '';
        template = loaded.value as ValueObject;
      } else {
        const uri = getProp(link, 'uri') ?? getProp(link, 'id');
        const what = typeof relV === 'string' ? `the linked template '${relV}' (no file access here)` : `the linked template ${typeof uri === 'string' ? `'${uri}'` : ''} is fetched by URL at deployment, which egress-lint never does`;
        this.unresolved.push({ name: res.name, at: res.at, reason: what });
        return;
      }
    }
    if (!isObject(template)) {
      if (template !== undefined) this.report('template-invalid', 'A nested deployment template must be an object.', res.at, res.name);
      else this.unresolved.push({ name: res.name, at: res.at, reason: 'the deployment has no template' });
      return;
    }
    // The deployment's resourceGroup / subscriptionId retarget the resources inside it.
    const body = this.body(res);
    const rg = getProp(body, 'resourceGroup');
    const sub = getProp(body, 'subscriptionId');
    const target: Scope = Object.assign({}, run.targetScope, {
      resourceGroup: typeof rg === 'string' ? rg : run.targetScope.resourceGroup,
      subscriptionId: typeof sub === 'string' ? sub : run.targetScope.subscriptionId,
    });
    // With inner scope the deployment's body holds the parameter entries already evaluated in the parent.
    const provided = new Map<string, Value>();
    const bodyProps = getProp(body, 'properties');
    const params = scope === 'inner' && isObject(bodyProps) ? getProp(bodyProps, 'parameters') : undefined;
    if (isObject(params)) for (const k of Object.keys(params)) provided.set(k.toLowerCase(), parameterEntry(params[k], (v) => v));
    const nested = new TemplateRun(this, doc, base, template, target, provided, res.name, [...res.deployments, res.name], run.depth + 1, scope === 'outer' ? res.host : undefined, [...res.order]);
    nested.baseCondition = res.condition;
    nested.repeats = res.host.repeats;
    const paramsLink = getProp(props, 'parametersLink');
    if (scope === 'inner' && isObject(paramsLink)) {
      const uri = getProp(paramsLink, 'uri');
      nested.parametersUnknown = new Unknown('external', `the parameter file ${typeof uri === 'string' ? `'${uri}' ` : ''}is fetched at deployment`);
    } else if (params instanceof Unknown) nested.parametersUnknown = params;
    res.nested = nested;
    this.runs.push(nested);
    nested.registerAll();
  }

  finish(root: TemplateRun): Deployment {
    // Nested deployments expand after their parent registered everything, so outer reference()s resolve.
    for (let i = 0; i < this.pending.length; i++) this.expandNested(this.pending[i]);
    if (this.selection !== undefined) {
      // Lint needs the bodies the network graph reads (and whatever they refer to, evaluated on demand); the
      // rest is checked without evaluation, which is about half the expansion work on real templates.
      for (const r of this.resources) if (!r.existing && this.selected(r)) this.body(r);
      for (const r of this.resources) {
        if (r.existing || (r.copyIndex !== undefined && r.copyIndex > 0)) continue;
        if (!r.body) this.checkBody(r);
        else if (r.skipped) for (const m of r.skipped) r.host.run.checkDeep(m.decl, m.pointer);
      }
      for (let i = 0; i < this.runs.length; i++) this.runs[i].checkDeclarations();
      return this.result(root, newObject());
    }
    for (const r of this.resources) if (!r.existing) this.body(r);
    for (let i = 0; i < this.runs.length; i++) this.runs[i].evaluateDeclarations();
    return this.result(root, root.outputs());
  }

  /** Checks a body that is not evaluated (the caller takes one copy of a copy loop for all: they share the declaration). */
  private checkBody(res: Res): void {
    // Nested deployments are always evaluated (selected()): their inner templates never reach this check.
    for (const k of Object.keys(res.decl)) {
      const lower = k.toLowerCase();
      if (STRUCTURAL.has(lower) || lower === 'name' || lower === 'type' || lower === 'apiversion') continue;
      res.host.run.checkDeep(res.decl[k], pointerJoin(res.at.pointer, k));
    }
  }

  /**
   * The body of a resource that was not evaluated: what identifies it, and its metadata (suppressions). A resource
   * the network graph reads gets unknown `properties` and `sku`: that happens only when a safety cap stopped the
   * expansion, and the graph must then say unknown rather than read schema defaults from an empty body.
   */
  private partialBody(r: Res): ValueObject {
    const out = newObject();
    out.name = r.name;
    out.type = r.type;
    out.apiVersion = r.apiVersion;
    if (this.selection === undefined || this.selected(r)) {
      out.properties = NOT_EVALUATED;
      out.sku = NOT_EVALUATED;
    }
    const key = Object.keys(r.decl).find((k) => k.toLowerCase() === 'metadata');
    try {
      if (key !== undefined) out[key] = r.host.run.evalDeep(r.decl[key], r.host, pointerJoin(r.at.pointer, key));
    } catch (e) {
      if (!(e instanceof CapReached)) throw e;
    }
    return out;
  }

  /** The deployment as far as it was expanded (all of it, unless a safety cap stopped the work). */
  result(root: TemplateRun, outputs: ValueObject): Deployment {
    // Loops, not sort/map callbacks: closures made per call lose their optimised code (see TemplateRun.declares).
    const ordered = [...this.resources].sort(compareRes);
    const resources: SourceResource[] = [];
    for (const r of ordered) {
      const partial = !r.body && !r.existing;
      const body = r.body ?? (partial ? this.partialBody(r) : newObject());
      const out: { -readonly [K in keyof SourceResource]: SourceResource[K] } = {
        id: r.id,
        key: r.key,
        type: r.type,
        name: r.name,
        apiVersion: r.apiVersion,
        condition: r.condition,
        existing: r.existing,
        body,
        properties: getProp(body, 'properties') ?? null,
        at: r.at,
        deployments: r.deployments,
      };
      if (r.symbolicName !== undefined) out.symbolicName = r.symbolicName;
      if (r.copyIndex !== undefined) out.copyIndex = r.copyIndex;
      if (partial) out.partial = true;
      resources.push(out);
    }
    return {
      file: root.file,
      resources,
      outputs,
      findings: this.findings,
      unresolved: this.unresolved,
      stats: this.stats,
      docs: this.docs,
      scope: root.targetScope,
    };
  }
}

function compareRes(a: Res, b: Res): number {
  return compareOrder(a.order, b.order);
}

function compareOrder(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** A parameter entry `{ "value": v }` or a Key Vault `{ "reference": {...} }` (unknown offline). */
export function parameterEntry(p: Value, evaluate: (v: Value, key: string) => Value): Value {
  if (!isObject(p)) {
    // Bicep writes a whole entry as one expression: "[if(c, createObject('value', a), createObject('value', b))]".
    const whole = evaluate(p, '');
    if (whole instanceof Unknown) return whole;
    if (!isObject(whole)) return whole;
    return parameterEntry(whole, (v) => v);
  }
  const value = getProp(p, 'value');
  if (value !== undefined) return evaluate(value, 'value');
  const ref = getProp(p, 'reference');
  if (isObject(ref)) {
    const secret = getProp(ref, 'secretName');
    return new Unknown('external', `a Key Vault secret${typeof secret === 'string' ? ` '${secret}'` : ''} read at deployment`);
  }
  return new Unknown('parameter', 'a parameter entry without a value');
}

/**
 * Expands a loaded template into the resources Azure would deploy. Never throws for template content:
 * problems become findings (template-invalid, expression-invalid, limit-exceeded).
 */
export function expand(doc: TemplateDoc, options: ExpandOptions = {}): Deployment {
  const ex = new Engine(options);
  ex.docs.set(doc.file, doc);
  const scope: Scope = { ...DEFAULT_SCOPE, ...options.scope };
  for (const p of doc.problems) ex.report('template-invalid', p.message, { file: doc.file, pointer: '', offset: p.offset });
  const value = doc.value as Value;
  if (!isObject(value)) {
    if (doc.problems.length === 0) ex.report('template-invalid', 'The file is not an ARM template: its top level must be an object.', { file: doc.file, pointer: '' });
    return emptyDeployment(ex, doc, scope);
  }
  const provided = new Map<string, Value>();
  for (const [k, v] of Object.entries(options.parameters ?? {})) provided.set(k.toLowerCase(), v);
  const root = new TemplateRun(ex, doc, '', value, scope, provided, scope.deploymentName, [], 0, undefined, []);
  if (options.parameters && options.parametersFile) {
    const declared = getProp(value, 'parameters');
    for (const k of Object.keys(options.parameters)) {
      if (!isObject(declared) || getProp(declared, k) === undefined)
        ex.report('template-invalid', `The parameter file sets '${k}', which the template does not declare.`, { file: options.parametersFile, pointer: pointerJoin('/parameters', k) });
    }
  }
  ex.runs.push(root);
  try {
    root.registerAll();
    return ex.finish(root);
  } catch (e) {
    if (!(e instanceof CapReached)) throw e;
    return ex.result(root, newObject());
  }
}

/** What stands in, in a selective evaluation, for a member of properties nothing reads (checked, not evaluated). */
const NOT_NEEDED = new Unknown('skipped', 'not evaluated by lint: this setting does not decide egress');

/** True when an object's members are generated (a property copy loop) or named by expressions: evaluate it whole. */
function hasGeneratedKeys(o: ValueObject): boolean {
  for (const k in o) if (k.charCodeAt(0) === 91 || (k.length === 4 && k.toLowerCase() === 'copy')) return true;
  return false;
}

/** What stands in for the properties of a graph resource that expansion stopped before evaluating. */
const NOT_EVALUATED = new Unknown('limit', 'expansion stopped at a safety cap before this resource was evaluated');

function emptyDeployment(ex: Engine, doc: TemplateDoc, scope: Scope): Deployment {
  return { file: doc.file, resources: [], outputs: newObject(), findings: ex.findings, unresolved: ex.unresolved, stats: ex.stats, docs: ex.docs, scope };
}
