// The work budget of one expansion: evaluation steps, elements and characters built, lambda calls and the nodes of
// the values that functions walk, counted as the work is done and checked before each expensive step. A value that
// shares structure (an array holding itself twice, doubled 60 times) is small as a graph and huge as a tree; what
// walks it (string(), equals(), union(), a printer) pays its tree size first, computed on the graph.
// Imports only its own folder.
import type { Value } from './value.js';
import { Lambda, Unknown } from './value.js';

/** The units one expansion may spend: far above any real template (see the report of issue 21), a few seconds at most. */
export const WORK_BUDGET = 20_000_000;

/** What one lambda call costs: a scope map and an evaluation, several times a plain function call. */
export const LAMBDA_CALL_UNITS = 8;

/** What the charge of an index names instead of a function. */
export const INDEX = '[]';

/** What the charge of a value leaving the evaluator names instead of a function. */
export const VALUE_SIZE = '(value)';

/** Thrown when the budget is spent: not an ExpressionError, so nothing on the way (if(), tryGet) can swallow it. */
export class BudgetSpent extends Error {
  override readonly name = 'BudgetSpent';
  constructor(
    /** The function that was running when the budget ran out. */
    readonly at: string,
    readonly limit: number,
  ) {
    const stack = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(at === VALUE_SIZE ? `its value is larger, as a tree, than the work budget of ${limit} units allows` : `it needs more work than the budget of ${limit} units allows (it ran out in ${at === INDEX ? 'an index [...]' : `${at}()`})`);
    Error.stackTraceLimit = stack;
  }
}

/** The work budget shared by every template instance of one expansion. */
export class WorkBudget {
  spent = 0;
  constructor(readonly limit: number = WORK_BUDGET) {}

  /** Counts `units` of work done by `at` (a function name); throws BudgetSpent past the limit. */
  charge(units: number, at: string): void {
    this.spent += units;
    if (this.spent > this.limit) throw new BudgetSpent(at, this.limit);
  }

  /** Counts the tree size of a value before it is walked (printed, compared, merged); throws BudgetSpent past the limit. */
  chargeTree(v: Value, at: string): void {
    if (v === null || typeof v !== 'object' || v instanceof Unknown || v instanceof Lambda) return;
    const room = this.limit - this.spent;
    // Most values are small: counted as a tree, without a memo, until SMALL_TREE nodes.
    let n = treeSize(v, SMALL_TREE);
    // A larger one is counted on its graph, each shared node once (a memo for this call only).
    if (n > SMALL_TREE) n = graphTreeSize(v, new Map(), room + 1);
    this.charge(n, at);
  }
}

const SMALL_TREE = 4096;

/** What a leaf costs: 1, and a long string one more per 16 characters (printing it copies them). */
function leafSize(x: Value): number {
  return typeof x === 'string' ? 1 + (x.length >> 4) : 1;
}

function isNode(x: Value): x is object & Value {
  return x !== null && typeof x === 'object' && !(x instanceof Unknown) && !(x instanceof Lambda);
}

/** How deep the small count recurses; a deeper value is counted on its graph, without recursion. */
const SMALL_DEPTH = 256;

/** The tree size of `v`, counted up to `cap` (past it, or deeper than SMALL_DEPTH, the answer is more than `cap`). */
function treeSize(v: object & Value, cap: number, depth = 0): number {
  if (depth > SMALL_DEPTH) return cap + 1;
  let n = 1;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length && n <= cap; i++) {
      const x = (v as readonly Value[])[i];
      n += isNode(x) ? treeSize(x, cap - n, depth + 1) : leafSize(x);
    }
    return n;
  }
  const o = v as { readonly [k: string]: Value };
  for (const k in o) {
    if (n > cap) break;
    const x = o[k];
    n += leafSize(k) + (isNode(x) ? treeSize(x, cap - n, depth + 1) : leafSize(x));
  }
  return n;
}

/** One node being counted by graphTreeSize: its keys (objects), the next child, and the size so far. */
interface Frame {
  readonly node: object & Value;
  readonly keys: readonly string[] | undefined;
  i: number;
  n: number;
}

function frameOf(node: object & Value): Frame {
  return { node, keys: Array.isArray(node) ? undefined : Object.keys(node), i: 0, n: 1 };
}

/**
 * The tree size of `v` computed on its graph: each node's size once, from the memo; saturates just past `cap`. A
 * loop over an explicit stack, not recursion: a value nested 100,000 deep is counted, not a stack overflow.
 */
function graphTreeSize(root: object & Value, memo: Map<object, number>, cap: number): number {
  const stack: Frame[] = [frameOf(root)];
  let result = 0;
  while (stack.length > 0) {
    const f = stack[stack.length - 1];
    let child: (object & Value) | undefined;
    while (f.n <= cap) {
      let x: Value;
      if (f.keys === undefined) {
        const list = f.node as readonly Value[];
        if (f.i >= list.length) break;
        x = list[f.i++];
      } else {
        if (f.i >= f.keys.length) break;
        const k = f.keys[f.i++];
        f.n += leafSize(k);
        x = (f.node as { readonly [k: string]: Value })[k];
      }
      if (!isNode(x)) {
        f.n += leafSize(x);
        continue;
      }
      const known = memo.get(x);
      if (known !== undefined) f.n += known;
      else {
        child = x;
        break;
      }
    }
    if (child !== undefined) {
      stack.push(frameOf(child));
      continue;
    }
    const size = f.n > cap ? cap + 1 : f.n;
    memo.set(f.node, size);
    stack.pop();
    if (stack.length > 0) stack[stack.length - 1].n += size;
    else result = size;
  }
  return result;
}
