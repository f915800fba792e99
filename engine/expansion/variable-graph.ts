// The reference graph of a template's variables, read from the `variables('…')` references in every declaration
// (values, nested objects and arrays, copy loops, and the user-defined functions a value calls) without evaluating
// anything. It finds cycles (lint evaluates only what the network graph reads, and a cycle in a variable nothing
// reads still makes Azure reject the template), and the order in which to evaluate a long chain of variables from
// its far end, so the evaluation never nests deeper than a few variables. Must not import, at run time, an expansion
// module other than template-values.ts.
import { pointerJoin } from '../template/template.js';
import type { CallCheck } from '../expressions/ast.js';
import { isExpression, scanExpression, simpleReference, simpleReferenceName } from '../expressions/ast.js';
import type { Value, ValueObject } from '../expressions/value.js';
import { Unknown, getProp, isObject } from '../expressions/value.js';
import type { TemplateRun } from './template-run.js';
import { scalarText } from './template-values.js';

/** A call of variables(…) in any case, perhaps with white space before the parenthesis (what the parser accepts). */
const MENTIONS_VARIABLES = /variables\s*\(/gi;

/** [A-Za-z0-9_$] by character code: a letter before `variables(` makes it another name (lambdaVariables). */
function identPart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}

/** How many steps of a long cycle a message shows at each end. */
const SHOWN_STEPS = 5;

/**
 * The reference graph of one template: its user-defined functions (nodes 0 to functionCount - 1), then the variables
 * whose values refer to something (a variable that refers to nothing is in no cycle and evaluates without nesting),
 * each with the names of the variables (as written) and the functions (lower case) its value refers to. Names are
 * resolved as variables() resolves them: the declared key spelt exactly, else in any case (the first such key), else
 * a loop of the top-level `copy` array.
 */
class ReferenceGraph {
  readonly names: string[] = [];
  /** For a variable of the top-level `copy` array, its index there; -1 for any other node. */
  readonly loops: number[] = [];
  readonly variableRefs: (string[] | undefined)[] = [];
  readonly functionRefs: (string[] | undefined)[] = [];
  readonly functions = new Map<string, number>();
  readonly declared = new Map<string, number>();
  readonly loopNodes = new Map<string, number>();
  functionCount = 0;
  loopsKey = 'copy';
  /** Whether a dotted call can lead to a variable (some function's body reads one). */
  followCalls = false;
  private vars: string[] | undefined;
  private fns: string[] | undefined;
  private readonly stack: Value[] = [];
  private lowerKeys: Map<string, string> | undefined;
  /** What the scan records of each call: a literal variables('x'), and calls of user-defined functions. */
  readonly check: CallCheck = (name, _argCount, literal) => {
    if (literal !== undefined && name === 'variables') (this.vars ??= []).push(literal);
    else if (this.followCalls && name.includes('.')) (this.fns ??= []).push(name);
    return true;
  };

  constructor(private readonly decls: ValueObject) {}

  /** Reads a value's references; true (and a node in `index` under `key`) when it has any. */
  add(index: Map<string, number>, key: string, name: string, loop: number, value: Value): boolean {
    this.vars = undefined;
    this.fns = undefined;
    if (typeof value === 'string') this.references(value);
    else if (value !== null && typeof value === 'object') this.collect(value);
    // A function or a variable that refers to nothing is in no cycle and evaluates without nesting: no node. Of two
    // loops with one name the first counts, of two functions the last (TemplateRun.variableLoop, readFunctions).
    if (this.vars === undefined && this.fns === undefined && loop < 0) return false;
    if (index.has(key) && index !== this.functions) return false;
    index.set(key, this.names.length);
    this.names.push(name);
    this.loops.push(loop);
    this.variableRefs.push(this.vars);
    this.functionRefs.push(this.fns);
    return this.vars !== undefined || this.fns !== undefined;
  }

  /** The references in every string (values and expression keys) of a value; a loop, as values may nest deeply. */
  private collect(v: Value): void {
    const stack = this.stack;
    stack.push(v);
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (typeof x === 'string') this.references(x);
      else if (Array.isArray(x)) for (let i = 0; i < x.length; i++) stack.push(x[i]);
      else if (isObject(x)) {
        for (const k in x) {
          if (k.charCodeAt(0) === 91) this.references(k);
          stack.push(x[k]);
        }
      }
    }
  }

  private references(s: string): void {
    if (!isExpression(s)) return;
    // [variables('x')] needs no scan; a string that names no variables() and calls no function that may read one
    // (the usual case) is not scanned either.
    const simple = simpleReference(s);
    if (simple !== undefined) {
      if (simple === 'variable') (this.vars ??= []).push(simpleReferenceName(s, simple));
      return;
    }
    // A string with a syntax error is reported where it is checked or evaluated; what was read of it counts here.
    if (this.followCalls && s.includes('.')) scanExpression(s.slice(1, -1), this.check);
    else this.vars = literalReferences(s, this.vars);
  }

  /** The node of the variable that variables(name) reads, if it refers to anything. */
  private variableNode(name: string): number | undefined {
    const exact = this.declared.get(name);
    if (exact !== undefined) return exact;
    if (Object.prototype.hasOwnProperty.call(this.decls, name)) return undefined;
    const lower = name.toLowerCase();
    if (this.lowerKeys === undefined) {
      this.lowerKeys = new Map();
      for (const k in this.decls) if (!this.lowerKeys.has(k.toLowerCase())) this.lowerKeys.set(k.toLowerCase(), k);
    }
    const key = this.lowerKeys.get(lower);
    if (key !== undefined && lower !== 'copy') return this.declared.get(key);
    return this.loopNodes.get(lower);
  }

  /** The node of a variable by its lower-case name (as the evaluator caches it). */
  nodeOf(lower: string): number | undefined {
    return this.variableNode(lower);
  }

  /** The edges of every node, by node number. */
  edges(): number[][] {
    const n = this.names.length;
    const adj = new Array<number[]>(n);
    for (let i = 0; i < n; i++) {
      const vars = this.variableRefs[i];
      const fns = this.functionRefs[i];
      if (vars === undefined && fns === undefined) {
        adj[i] = NO_EDGES;
        continue;
      }
      const out: number[] = [];
      if (vars !== undefined) for (let j = 0; j < vars.length; j++) pushNode(out, this.variableNode(vars[j]));
      if (fns !== undefined) for (let j = 0; j < fns.length; j++) pushNode(out, this.functions.get(fns[j]));
      adj[i] = out;
    }
    return adj;
  }

  isVariable(node: number): boolean {
    return node >= this.functionCount;
  }

  /** A node as a message names it: 'name' for a variable, ns.member() for a function. */
  shown(node: number): string {
    return this.isVariable(node) ? `'${this.names[node]}'` : `${this.names[node]}()`;
  }

  pointer(run: TemplateRun, node: number): string {
    const at = pointerJoin(run.base, 'variables');
    const loop = this.loops[node];
    return loop < 0 ? pointerJoin(at, this.names[node]) : pointerJoin(pointerJoin(at, this.loopsKey), loop);
  }
}

const NO_EDGES: number[] = [];

/** Space, tab, line feed, carriage return: the white space the parser skips. */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * The names of an expression's `variables('name')` calls, found without parsing it (parsing was most of the graph's
 * cost), added to `into`: each `variables(` that is not the end of a longer name (lambdaVariables, a function of a
 * namespace) and lies outside string literals (an even number of quotes before it, as a doubled quote inside a
 * literal adds two), with a plain literal name. For a valid expression, what its syntax tree holds (a test compares
 * the two over the fixtures and the corpus).
 */
export function literalReferences(s: string, into: string[] | undefined): string[] | undefined {
  const re = MENTIONS_VARIABLES;
  re.lastIndex = 0;
  let quotes = 0;
  let counted = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    const at = m.index;
    for (let q = s.indexOf("'", counted); q >= 0 && q < at; q = s.indexOf("'", q + 1)) {
      quotes++;
      counted = q + 1;
    }
    if (counted < at) counted = at;
    const before = s.charCodeAt(at - 1);
    if (quotes % 2 === 1 || identPart(before) || before === 46) continue;
    let i = re.lastIndex;
    while (isSpace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 39) continue;
    const end = s.indexOf("'", i + 1);
    if (end < 0 || s.charCodeAt(end + 1) === 39) continue;
    let j = end + 1;
    while (isSpace(s.charCodeAt(j))) j++;
    if (s.charCodeAt(j) === 41) (into ??= []).push(s.slice(i + 1, end));
  }
  return into;
}

function pushNode(out: number[], node: number | undefined): void {
  if (node !== undefined) out.push(node);
}

/** What the declarations of one template say about its variables (every instance of the template shares it). */
export class VariableGraph {
  constructor(
    /** The variables in a cycle (lower-case name → the Unknown that stands for the value). */
    readonly cyclic: ReadonlyMap<string, Unknown>,
    private readonly graph: ReferenceGraph | undefined,
    private readonly adj: readonly (readonly number[])[],
  ) {}

  /**
   * The variables that `lower` reads, directly or through other variables and user-defined functions, that `known`
   * does not hold yet, each after the ones it reads: evaluated in this order, each finds what it reads already known.
   */
  readsFirst(lower: string, known: ReadonlyMap<string, Value>): string[] {
    const graph = this.graph;
    const start = graph?.nodeOf(lower);
    if (graph === undefined || start === undefined) return [];
    const out: string[] = [];
    const seen = new Uint8Array(graph.names.length);
    const stack = [start];
    const next = [0];
    seen[start] = 1;
    while (stack.length > 0) {
      const top = stack.length - 1;
      const v = stack[top];
      const edges = this.adj[v];
      if (next[top] < edges.length) {
        const w = edges[next[top]++];
        if (seen[w] === 1) continue;
        seen[w] = 1;
        if (graph.isVariable(w)) {
          const name = graph.names[w].toLowerCase();
          if (known.has(name) || this.cyclic.has(name)) continue;
        }
        stack.push(w);
        next.push(0);
        continue;
      }
      stack.pop();
      next.pop();
      if (v !== start && graph.isVariable(v)) out.push(graph.names[v].toLowerCase());
    }
    return out;
  }
}

const NO_CYCLES: ReadonlyMap<string, Unknown> = new Map();
const NO_GRAPH = new VariableGraph(NO_CYCLES, undefined, []);

/**
 * The variable graph of a template instance. Each cycle that holds a variable is reported once, as template-invalid
 * at its first variable: Resource Manager resolves every variable before the deployment starts
 * (https://learn.microsoft.com/azure/azure-resource-manager/templates/variables), and a variable that needs itself
 * cannot be resolved, so the template fails validation (InvalidTemplate,
 * https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-invalid-template) whether or not
 * anything reads it. The finding says so; the values that depend on the cycle are unknown, naming it, and the rest
 * of the template is still analysed (what it will be once the cycle is fixed).
 */
export function variableGraph(run: TemplateRun): VariableGraph {
  // Every instance of one template (a nested deployment in a copy loop) has the same declarations: read them once.
  const cache = run.expansion.variableGraphs;
  const hit = cache.get(run.template);
  if (hit !== undefined) return hit;
  const graph = readGraph(run);
  const found = graph === undefined ? NO_GRAPH : withCycles(run, graph);
  cache.set(run.template, found);
  return found;
}

function readGraph(run: TemplateRun): ReferenceGraph | undefined {
  const decls = run.varDecls;
  const graph = new ReferenceGraph(decls);
  const fs = getProp(run.template, 'functions');
  if (Array.isArray(fs)) {
    // A function's body may call another function that reads variables: every call is followed there.
    graph.followCalls = true;
    for (let i = 0; i < fs.length; i++) {
      const ns = fs[i];
      const nsName = isObject(ns) ? getProp(ns, 'namespace') : undefined;
      const members = isObject(ns) ? getProp(ns, 'members') : undefined;
      if (typeof nsName !== 'string' || !isObject(members)) continue;
      for (const name of Object.keys(members)) {
        const def = members[name];
        const output = isObject(def) ? getProp(def, 'output') : undefined;
        const value = isObject(output) ? getProp(output, 'value') : undefined;
        graph.add(graph.functions, `${nsName}.${name}`.toLowerCase(), `${nsName}.${name}`, -1, value ?? null);
      }
    }
    graph.functionCount = graph.names.length;
    // In the variables, calls matter only when some function reads a variable (then, directly or not, they may).
    graph.followCalls = false;
    for (let i = 0; i < graph.functionCount; i++) if (graph.variableRefs[i] !== undefined) graph.followCalls = true;
  }
  let loops: Value | undefined;
  let edges = false;
  for (const k in decls) {
    if (k.length === 4 && k.toLowerCase() === 'copy') {
      if (loops === undefined) {
        loops = decls[k];
        graph.loopsKey = k;
      }
    } else if (graph.add(graph.declared, k, k, -1, decls[k])) edges = true;
  }
  if (Array.isArray(loops)) {
    for (let i = 0; i < loops.length; i++) {
      const loop = loops[i];
      const name = isObject(loop) ? scalarText(getProp(loop, 'name'), '') : '';
      if (name !== '' && graph.add(graph.loopNodes, name.toLowerCase(), name, i, loop as ValueObject)) edges = true;
    }
  }
  return edges ? graph : undefined;
}

/** Reports each cycle that holds a variable, and gives every variable in one its Unknown. */
function withCycles(run: TemplateRun, graph: ReferenceGraph): VariableGraph {
  const adj = graph.edges();
  if (!hasCycle(adj)) return new VariableGraph(NO_CYCLES, graph, adj);
  let found: Map<string, Unknown> | undefined;
  const sccs = stronglyConnected(adj);
  for (const scc of sccs) {
    let start = -1;
    for (const v of scc) if (graph.isVariable(v) && (start < 0 || v < start)) start = v;
    if (start < 0 || (scc.length === 1 && !adj[start].includes(start))) continue;
    const path = shortestCycle(adj, scc, start);
    const what = `the variable ${graph.shown(start)} refers to itself${path.length === 1 ? '' : ` through ${showPath(graph, path)}`}`;
    run.expansion.report('template-invalid', `The${what.slice(3)}; Azure rejects the whole template.`, run.at(graph.pointer(run, start)));
    const value = new Unknown('error', what);
    found ??= new Map();
    for (const v of scc) if (graph.isVariable(v)) found.set(graph.names[v].toLowerCase(), value);
  }
  return new VariableGraph(found ?? NO_CYCLES, graph, adj);
}

/** Whether a graph has a cycle: a depth-first walk that meets a node it is still inside (the usual answer, no). */
function hasCycle(adj: readonly (readonly number[])[]): boolean {
  const n = adj.length;
  // 0: not met, 1: on the walk's path, 2: done.
  const state = new Uint8Array(n);
  const stack: number[] = [];
  const next: number[] = [];
  for (let s = 0; s < n; s++) {
    if (state[s] !== 0 || adj[s].length === 0) continue;
    state[s] = 1;
    stack.push(s);
    next.push(0);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const edges = adj[stack[top]];
      if (next[top] < edges.length) {
        const w = edges[next[top]++];
        if (state[w] === 1) return true;
        if (state[w] === 0 && adj[w].length > 0) {
          state[w] = 1;
          stack.push(w);
          next.push(0);
        }
        continue;
      }
      state[stack[top]] = 2;
      stack.pop();
      next.pop();
    }
  }
  return false;
}

/** The steps of a cycle as a message shows them: `'b' → 'a'`, the middle of a long one left out. */
function showPath(graph: ReferenceGraph, path: readonly number[]): string {
  const shown: string[] = [];
  for (let i = 0; i < path.length; i++) if (path.length <= 2 * SHOWN_STEPS + 1 || i < SHOWN_STEPS || i >= path.length - SHOWN_STEPS) shown.push(graph.shown(path[i]));
  if (path.length <= 2 * SHOWN_STEPS + 1) return shown.join(' → ');
  return `${shown.slice(0, SHOWN_STEPS).join(' → ')} → … → ${shown.slice(SHOWN_STEPS).join(' → ')} (${path.length} steps)`;
}

/** The shortest way from `start` back to itself inside its component: the nodes after `start`, ending with it. */
function shortestCycle(adj: readonly (readonly number[])[], scc: readonly number[], start: number): number[] {
  const inside = new Set(scc);
  const parent = new Map<number, number>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const u = queue[q];
    for (const w of adj[u]) {
      if (w === start) {
        const back: number[] = [];
        for (let x = u; x !== start; x = parent.get(x)!) back.push(x);
        back.reverse();
        back.push(start);
        return back;
      }
      if (!inside.has(w) || parent.has(w)) continue;
      parent.set(w, u);
      queue.push(w);
    }
  }
  return [start];
}

/**
 * The strongly connected components of a graph (Tarjan's algorithm with an explicit stack: a chain of thousands of
 * variables must not overflow the call stack).
 */
function stronglyConnected(adj: readonly (readonly number[])[]): number[][] {
  const n = adj.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const next = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const calls: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1) continue;
    index[s] = low[s] = counter++;
    stack.push(s);
    onStack[s] = 1;
    calls.push(s);
    while (calls.length > 0) {
      const v = calls[calls.length - 1];
      const edges = adj[v];
      if (next[v] < edges.length) {
        const w = edges[next[v]++];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          calls.push(w);
        } else if (onStack[w] === 1 && index[w] < low[v]) low[v] = index[w];
        continue;
      }
      calls.pop();
      if (calls.length > 0) {
        const u = calls[calls.length - 1];
        if (low[v] < low[u]) low[u] = low[v];
      }
      if (low[v] === index[v]) {
        const scc: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          scc.push(w);
        } while (w !== v);
        out.push(scc);
      }
    }
  }
  return out;
}
