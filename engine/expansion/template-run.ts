// One template instance (the root template, or one nested deployment's): its parameters, variables, user functions
// and outputs, reference() and deployment() in it, and the evaluation of its strings with findings. Must not import
// expansion.ts, nested-deployments.ts, selective-evaluation.ts or check-only.ts at run time (they build on it).
import type { Location } from '../template/finding.js';
import type { TemplateDoc } from '../template/template.js';
import { pointerJoin } from '../template/template.js';
import type { CheckHost, UserFunction } from '../expressions/evaluator.js';
import { callCheckOf, evaluateExpr, markRuntime } from '../expressions/evaluator.js';
import { isExpression, parseExpression, parseTemplateString, simpleReference, simpleReferenceName } from '../expressions/ast.js';
import { levelFromSchema } from '../expressions/scope.js';
import type { Scope } from '../expressions/scope.js';
import type { UnknownCause, Value, ValueObject } from '../expressions/value.js';
import { placeholder } from '../expressions/placeholder.js';
import { ExpressionError, Unknown, getProp, isObject, newObject } from '../expressions/value.js';
import { InstanceHost, PARSE_CACHE_MIN_REPEATS, propertyCopy } from './copy-loops.js';
import type { Expansion } from './expansion.js';
import { CapReached, checkExpressionLength, checkTemplateLimits } from './limits.js';
import type { WorkBudget } from '../expressions/budget.js';
import { BudgetSpent, VALUE_SIZE } from '../expressions/budget.js';
import type { DeclaredResource } from './resource-declarations.js';
import { findResource } from './resource-declarations.js';
import { isPlain, joined, scalarText } from './template-values.js';
import type { VariableGraph } from './variable-graph.js';
import { variableGraph } from './variable-graph.js';

/**
 * One template instance: the root template, or the template of one nested deployment (one copy instance).
 * With `outer` expression scope, parameters and variables come from the parent.
 */
export class TemplateRun implements CheckHost {
  readonly evalScope: Scope;
  readonly paramDecls: ValueObject;
  readonly varDecls: ValueObject;
  readonly paramCache = new Map<string, Value>();
  readonly varCache = new Map<string, Value>();
  private readonly varStack: string[] = [];
  /** What the variables refer to: those in a cycle (reported as template-invalid), and the order to evaluate a chain in. */
  private readonly varGraph: VariableGraph | undefined;
  private readonly functions = new Map<string, UserFunction>();
  readonly symbolic = new Map<string, DeclaredResource[]>();
  readonly byName = new Map<string, DeclaredResource[]>();
  readonly symbolicMode: boolean;
  outputsCache: ValueObject | undefined;
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
  readonly deployedKeys = new Set<string>();
  private readonly paramStack: string[] = [];

  constructor(
    readonly expansion: Expansion,
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
    checkTemplateLimits(this);
    // With outer scope the variables are the parent's (its run read their graph).
    this.varGraph = outerHost ? undefined : variableGraph(this);
  }

  get file(): string {
    return this.doc.file;
  }

  at(pointer: string): Location {
    return { file: this.doc.file, pointer };
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
            this.expansion.report('expression-invalid', e.message, this.at(pointer));
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

  /**
   * Evaluates one template string at a pointer (or at member `key` under it: the pointer is joined only to report a
   * problem, as most strings evaluate cleanly); an error becomes an expression-invalid finding and an Unknown.
   */
  evalAt(s: string, host: InstanceHost, pointer: string, key?: string | number): Value {
    if (s.length < 2 || s.charCodeAt(0) !== 91) return s;
    try {
      return this.evalExpression(s, host, pointer, key);
    } catch (e) {
      if (e instanceof BudgetSpent) {
        // The innermost expression that ran out says so; the expansion stops (partial bodies are unknown).
        const shown = s.length > 160 ? `${s.slice(0, 160)}...` : s;
        this.expansion.report('limit-exceeded', `Evaluation of '${shown}' stopped: ${e.message}; the expansion stopped there (a safety cap).`, this.at(joined(pointer, key)));
        throw new CapReached();
      }
      throw e;
    }
  }

  /**
   * A value that leaves the evaluator into the deployment is charged its tree size: what reads it later (the
   * graph, reference(), the printers of `expand` and the report) walks it as a tree.
   */
  private charged(v: Value, budget: WorkBudget): Value {
    if (v !== null && typeof v === 'object') budget.chargeTree(v, VALUE_SIZE);
    return v;
  }

  private evalExpression(s: string, host: InstanceHost, pointer: string, key: string | number | undefined): Value {
    checkExpressionLength(this, s, pointer, key);
    // [parameters('x')] and [variables('x')], half of all expressions, are what those two functions return: no
    // parser, no evaluator (their values are cached by name). A test holds them to the evaluator's answers.
    const simple = simpleReference(s);
    if (simple !== undefined) {
      try {
        const name = simpleReferenceName(s, simple);
        const v = simple === 'parameter' ? host.parameter(name) : host.variable(name);
        this.expansion.countEvaluated(v);
        return this.charged(v, this.expansion.budget);
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
      this.expansion.countEvaluated(known);
      return this.charged(known, this.expansion.budget);
    }
    try {
      // Parse trees are kept only for strings evaluated many times: in copy loops (and templates deployed in one).
      const parsed = parseTemplateString(s, host.repeats >= PARSE_CACHE_MIN_REPEATS);
      if ('literal' in parsed) return parsed.literal;
      const v = this.charged(evaluateExpr(parsed.expr, host), this.expansion.budget);
      this.expansion.countEvaluated(v);
      if (parsed.fixed) this.placeIndependent.set(s, v);
      return v;
    } catch (e) {
      if (e instanceof CapReached) throw e;
      if (e instanceof RangeError) {
        this.expansion.report('limit-exceeded', 'The expression nests too deeply to evaluate.', this.at(joined(pointer, key)));
        return new Unknown('limit', 'expression too deep');
      }
      if (!(e instanceof ExpressionError)) throw e;
      this.expansion.report('expression-invalid', e.message, this.at(joined(pointer, key)));
      const u = new Unknown('error', e.message);
      this.expansion.countEvaluated(u);
      return u;
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
  readonly callCheck = callCheckOf(this);

  /** Evaluates a JSON structure: every string expression, expression keys, and property `copy` arrays. */
  evalDeep(v: Value, host: InstanceHost, pointer: string, depth = 0): Value {
    if (typeof v === 'string') return this.evalAt(v, host, pointer);
    if (v === null || typeof v !== 'object') return v;
    if (depth > 256) {
      this.expansion.report('limit-exceeded', 'The value nests too deeply to evaluate.', this.at(pointer));
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
        for (let j = 0; j < child.length; j++) propertyCopy(this, child[j] as ValueObject, host, pointerJoin(pointerJoin(pointer, k), j), out, depth);
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
    const artifacts = given === undefined ? this.artifactsDefault(lower) : undefined;
    if (given !== undefined && !(given === null && hasDefault)) value = given;
    else if (artifacts !== undefined) value = artifacts;
    else if (this.parametersUnknown !== undefined) value = parameterPlaceholder(key, decl, this.parametersUnknown.cause, `parameter '${key}': ${this.parametersUnknown.origin}`, candidates);
    else {
      const def = isObject(decl) ? getProp(decl, 'defaultValue') : undefined;
      if (def !== undefined) {
        this.paramStack.push(lower);
        try {
          value = this.evalDeep(def, new InstanceHost(this, [], true), pointerJoin(pointerJoin(pointerJoin(this.base, 'parameters'), key), 'defaultValue'));
        } finally {
          this.paramStack.pop();
        }
        // A default of utcNow() or newGuid() (allowed only there) is new at each deployment: named by the parameter.
        if (value instanceof Unknown && value.cause === 'nondeterministic') value = parameterPlaceholder(key, decl, value.cause, `parameter '${key}': ${value.origin}`, candidates);
      } else if (this.symbolicMode && nullable(decl, getProp(this.template, 'definitions'))) {
        // A nullable parameter (languageVersion 2.0, Bicep's `param x string?`) that is not given is null, as
        // Azure's engine evaluates it: https://learn.microsoft.com/azure/azure-resource-manager/templates/parameters
        // (the nullable constraint); checked against `bicep snapshot` by bench/oracle.ts.
        value = null;
      } else value = parameterPlaceholder(key, decl, 'parameter', `parameter '${key}' has no value`, candidates);
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
    const cyclic = this.varGraph?.cyclic.get(lower);
    if (cyclic !== undefined) return cyclic;
    // A cycle the declarations do not show (a name built by an expression: variables(concat('a', 'b'))).
    if (this.varStack.includes(lower)) {
      const cycle = [...this.varStack.slice(this.varStack.indexOf(lower)), lower].join(' → ');
      throw new ExpressionError(`The variables form a cycle: ${cycle}.`);
    }
    if (this.varStack.length >= CHAIN_DEPTH) this.evaluateChain(lower);
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

  /**
   * Deep in a chain of variables, evaluates what `lower` reads from the far end of the chain first, so each variable
   * finds what it reads already known: evaluated one inside the other, a chain of ARM's 512 variables overflowed the
   * stack. This may evaluate a variable that `lower` reads only in a branch not taken, which ARM evaluates anyway.
   */
  private evaluateChain(lower: string): void {
    const first = this.varGraph?.readsFirst(lower, this.varCache) ?? [];
    for (let i = 0; i < first.length; i++) {
      try {
        this.variable(first[i]);
      } catch (e) {
        // A cycle the declarations do not show: the evaluation of `lower` meets it and reports it.
        if (!(e instanceof ExpressionError)) throw e;
      }
    }
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
    propertyCopy(this, found.loop, new InstanceHost(this, []), found.pointer, out, 0, 'variable');
    return Object.values(out)[0];
  }

  // ---- reference() -----------------------------------------------------------------------------------------

  reference(target: Value, full: boolean): Value {
    if (typeof target !== 'string') throw new ExpressionError('reference() expects a resource name, id or symbolic name.');
    const res = findResource(this, target);
    if (!res) return new Unknown('reference', `reference('${target}') is not a resource in the analysed files`);
    return this.expansion.referenceOf(res, full);
  }

  deploymentObject(): Value {
    const properties: Record<string, Value> = {
      template: { contentVersion: scalarText(getProp(this.template, 'contentVersion'), '1.0.0.0'), metadata: getProp(this.template, 'metadata') ?? null },
      templateHash: '0',
      parameters: {},
      mode: 'Incremental',
      provisioningState: 'Accepted',
    };
    // templateLink exists when the template is deployed from a URL. A template read from a file (the root, or one a
    // link named) is taken to be deployed from beside its files (contract: "Linked templates"), so links built from
    // it name the files next to it; any other read of it is a value known only at deployment.
    const uri = this.base === '' ? this.docUri() : undefined;
    if (uri !== undefined) properties.templateLink = { uri, contentVersion: scalarText(getProp(this.template, 'contentVersion'), '1.0.0.0') };
    return markRuntime({ name: this.deploymentName, location: this.targetScope.location, properties } as ValueObject, 'deployment()');
  }

  /**
   * `_artifactsLocation` and `_artifactsLocationSasToken` when the parameter file does not give them: the folder
   * this template is deployed from, and no token. Azure's quickstart templates name their linked files this way
   * (`uri(parameters('_artifactsLocation'), concat('nested/vnet.json', parameters('_artifactsLocationSasToken')))`),
   * with a default of deployment().properties.templateLink.uri or the template's own folder on GitHub; either way
   * the files sit beside the template. Undefined for any other parameter, or without a link reader.
   */
  private artifactsDefault(lower: string): Value | undefined {
    if (lower !== '_artifactslocation' && lower !== '_artifactslocationsastoken') return undefined;
    const uri = this.docUri();
    if (uri === undefined) return undefined;
    return lower === '_artifactslocation' ? uri.slice(0, uri.lastIndexOf('/') + 1) : '';
  }

  /** The URL of this template's file as the link reader names it (made once: every deployment() call asks). */
  private docUri(): string | undefined {
    if (this.docUriMemo === undefined) this.docUriMemo = this.expansion.options.links?.uriOf(this.doc.file) ?? null;
    return this.docUriMemo ?? undefined;
  }
  private docUriMemo: string | null | undefined;

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
            propertyCopy(this, { name: k, count: getProp(copy, 'count') ?? 0, input: getProp(copy, 'input') ?? null }, host, pointerJoin(pointer, 'copy'), tmp, 0, 'output');
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

/** How deep variables may nest in one evaluation before a chain is evaluated from its far end (evaluateChain). */
const CHAIN_DEPTH = 16;

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

/**
 * A parameter whose value is known only at deployment (contract: "Values known only at deployment"): a string
 * parameter is the placeholder `{name}`, which names things and links like the value would; any other type is an
 * Unknown labelled with its name, which becomes that placeholder where a name is built from it and stays unknown
 * wherever it decides something (a count, a condition).
 */
/** True when a declaration (or the definition its `$ref` names, followed a few steps) says `nullable: true`. */
function nullable(decl: Value, definitions: Value | undefined): boolean {
  let d: Value | undefined = decl;
  for (let i = 0; i < 8 && isObject(d); i++) {
    if (getProp(d, 'nullable') === true) return true;
    const ref = getProp(d, '$ref');
    const m = typeof ref === 'string' ? /^#\/definitions\/(.+)$/.exec(ref) : null;
    if (!m || !isObject(definitions)) return false;
    d = getProp(definitions, m[1]);
  }
  return false;
}

function parameterPlaceholder(key: string, decl: Value, cause: UnknownCause, origin: string, candidates: readonly Value[] | undefined): Value {
  const type = isObject(decl) ? getProp(decl, 'type') : undefined;
  if (typeof type === 'string' && (type.toLowerCase() === 'string' || type.toLowerCase() === 'securestring')) return placeholder(key);
  return new Unknown(cause, origin, candidates, undefined, key);
}
