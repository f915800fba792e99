// The ARM expression syntax tree, lexer and parser. Imports only value.ts.
import { ExpressionError } from './value.js';

export type Expr =
  | { readonly k: 'str'; readonly v: string }
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'call'; readonly name: string; readonly display: string; readonly args: readonly Expr[] }
  | { readonly k: 'prop'; readonly obj: Expr; readonly name: string }
  | { readonly k: 'idx'; readonly obj: Expr; readonly index: Expr };

/**
 * What a template string means: a literal (after `[[` unescaping) or an expression. `fixed`: the expression has one
 * value everywhere in a template instance (see PLACE_DEPENDENT), found while parsing.
 */
export type Parsed = { readonly literal: string } | { readonly expr: Expr; readonly fixed: boolean };

/**
 * Functions whose value can differ between two places of one template: the copy loop around the place, other
 * resources' state (reference, list*), the deployment object, the clock, fresh GUIDs, the caller's identity.
 * User-defined functions (dotted names) count as such too (kept simple; they are rare).
 */
const PLACE_DEPENDENT = new Set(['copyindex', 'reference', 'references', 'deployment', 'newguid', 'utcnow', 'deployer']);

/** True for a call (by lower-case name) whose value may depend on where in the template it is evaluated. */
export function placeDependentCall(name: string): boolean {
  return PLACE_DEPENDENT.has(name) || name.startsWith('list') || name.includes('.');
}

/** [A-Za-z_$] by character code (a regex test per character was a tenth of parsing). */
function identStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}

/** [A-Za-z0-9_$] by character code. */
function identPart(c: number): boolean {
  return identStart(c) || (c >= 48 && c <= 57);
}

/** True when a template string is an expression: `[...]` but not `[[...`. */
export function isExpression(s: string): boolean {
  return s.length >= 2 && s.charCodeAt(0) === 91 && s.charCodeAt(s.length - 1) === 93 && s.charCodeAt(1) !== 91;
}

// Character codes the parser compares with.
const QUOTE = 39; // '
const DOT = 46;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const COMMA = 44;
const MINUS = 45;
const PLUS = 43;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * 'parameter' or 'variable' when a template string is exactly `[parameters('name')]` or `[variables('name')]`: the
 * function name in any case, no white space, one string literal without a quote in it. Nearly half of the
 * expressions in real templates are one of these (23,149 of 49,636 in the corpus), and they need no parser.
 */
export function simpleReference(s: string): 'parameter' | 'variable' | undefined {
  const n = s.length;
  if (n < 15 || s.charCodeAt(0) !== 91 || s.charCodeAt(n - 1) !== 93 || s.charCodeAt(n - 2) !== 41 || s.charCodeAt(n - 3) !== QUOTE) return undefined;
  const first = s.charCodeAt(1) | 32;
  const word = first === 112 ? 'parameters' : first === 118 ? 'variables' : undefined;
  if (word === undefined) return undefined;
  const open = word.length + 1;
  // Letters compare in either case: a character whose code ORed with 32 is a lower-case letter is that letter.
  for (let i = 2; i < open; i++) if ((s.charCodeAt(i) | 32) !== word.charCodeAt(i - 1)) return undefined;
  if (s.charCodeAt(open) !== OPEN_PAREN || s.charCodeAt(open + 1) !== QUOTE) return undefined;
  if (s.indexOf("'", open + 2) !== n - 3) return undefined;
  return first === 112 ? 'parameter' : 'variable';
}

/** The name in a string that simpleReference() accepted. */
export function simpleReferenceName(s: string, kind: 'parameter' | 'variable'): string {
  return s.slice(kind === 'parameter' ? 13 : 12, -3);
}

/**
 * What checking an expression needs of each function call, given in scan mode instead of a syntax tree: the
 * lower-case name, the argument count, and the first argument's text when the call has one argument and it is a
 * plain string literal (parameters('x'), variables('y')). False stops the scan.
 */
export type CallCheck = (name: string, argCount: number, literal: string | undefined) => boolean;

/** Stand-ins for nodes in scan mode: any value, and a plain string literal. */
const SCANNED: Expr = Object.freeze({ k: 'num', v: 0 });
const LITERAL: Expr = Object.freeze({ k: 'str', v: '' });

/** The argument stack of a scan, which keeps none. */
const NO_ARGS = Object.freeze([]) as unknown as Expr[];

/** Thrown in scan mode when a call check says no (the caller then parses again for the error message). */
class CheckFailed extends Error {}

/**
 * A recursive-descent parser over character codes: no one-character strings, no regexes, and a string literal
 * without doubled quotes is one slice (parsing was a tenth of linting a template). With `scan`, the
 * same grammar is walked without building the tree (what lint's check-only pass needs).
 */
class Parser {
  private i = 0;
  /** Scan mode: where the last string literal's text is, and whether it has doubled quotes. */
  private litFrom = 0;
  private litTo = 0;
  private litDoubled = false;
  /** A call met so far may have a different value elsewhere in the template (tree mode only). */
  placeDependent = false;
  /** Arguments of the calls being parsed, innermost last (tree mode; a scan has none). */
  private args: Expr[] | undefined;
  constructor(
    private readonly src: string,
    private readonly scan?: CallCheck,
  ) {}

  fail(message: string): never {
    throw new ExpressionError(`${message} (at character ${this.i + 1} of '${this.src.length > 120 ? this.src.slice(0, 117) + '...' : this.src}')`);
  }

  /** Skips white space; the code of the character after it (NaN at the end). */
  peek(): number {
    const s = this.src;
    let i = this.i;
    let c = s.charCodeAt(i);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++i);
    this.i = i;
    return c;
  }

  expect(code: number): void {
    if (this.peek() !== code) this.fail(`Expected '${String.fromCharCode(code)}'`);
    this.i++;
  }

  ident(): string {
    const s = this.src;
    if (!identStart(this.peek())) this.fail('Expected a function name');
    const from = this.i;
    let i = from + 1;
    while (i < s.length && identPart(s.charCodeAt(i))) i++;
    this.i = i;
    return s.slice(from, i);
  }

  expression(depth: number): Expr {
    if (depth > 200) this.fail('The expression is nested too deeply');
    let e = this.primary(depth);
    for (;;) {
      const c = this.peek();
      if (c === DOT) {
        this.i++;
        const name = this.ident();
        e = this.scan ? SCANNED : { k: 'prop', obj: e, name };
      } else if (c === OPEN_BRACKET) {
        this.i++;
        const index = this.expression(depth + 1);
        this.expect(CLOSE_BRACKET);
        e = this.scan ? SCANNED : { k: 'idx', obj: e, index };
      } else return e;
    }
  }

  private string(): Expr {
    const s = this.src;
    let from = ++this.i;
    let out: string | undefined;
    this.litFrom = from;
    this.litDoubled = false;
    for (;;) {
      const j = s.indexOf("'", from);
      if (j < 0) {
        this.i = from;
        this.fail('Unterminated string literal');
      }
      if (s.charCodeAt(j + 1) === QUOTE) {
        // A doubled quote is one quote character.
        if (this.scan) this.litDoubled = true;
        else out = (out ?? '') + s.slice(from, j + 1);
        from = j + 2;
      } else {
        this.i = j + 1;
        if (this.scan) {
          this.litTo = j;
          return LITERAL;
        }
        return { k: 'str', v: out === undefined ? s.slice(from, j) : out + s.slice(from, j) };
      }
    }
  }

  private number(): Expr {
    // [-+]?\d+(\.\d+)?
    const s = this.src;
    const start = this.i;
    let i = start;
    let c = s.charCodeAt(i);
    if (c === MINUS || c === PLUS) c = s.charCodeAt(++i);
    if (!isDigit(c)) this.fail('Expected a number');
    while (isDigit(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) === DOT && isDigit(s.charCodeAt(i + 1))) {
      i += 2;
      while (isDigit(s.charCodeAt(i))) i++;
    }
    this.i = i;
    return this.scan ? SCANNED : { k: 'num', v: Number(s.slice(start, i)) };
  }

  primary(depth: number): Expr {
    const c = this.peek();
    if (c === QUOTE) return this.string();
    if (c === MINUS || c === PLUS || isDigit(c)) return this.number();
    const s = this.src;
    // A function name, possibly namespaced for user-defined functions: ns.name(...)
    let name = this.ident();
    while (this.peek() === DOT && identStart(s.charCodeAt(this.i + 1))) {
      // Only a namespace if the dotted name is directly followed by '('.
      const save = this.i;
      this.i++;
      const part = this.ident();
      const d = this.peek();
      if (d === OPEN_PAREN || (d === DOT && identStart(s.charCodeAt(this.i + 1)))) name += '.' + part;
      else {
        this.i = save;
        break;
      }
    }
    if (this.peek() !== OPEN_PAREN) this.fail(`Expected '(' after '${name}'`);
    this.i++;
    // Arguments gather on one stack shared by the nested calls and are copied out at their exact count: an array
    // grown by push() gets room for 16 elements (about a third of a syntax tree's memory went to that room).
    const stack = this.scan ? NO_ARGS : (this.args ??= []);
    const base = stack.length;
    let argCount = 0;
    let literal: string | undefined;
    if (this.peek() === CLOSE_PAREN) this.i++;
    else {
      for (;;) {
        const arg = this.expression(depth + 1);
        if (!this.scan) stack.push(arg);
        else if (argCount === 0 && arg === LITERAL) literal = this.literalText();
        argCount++;
        const d = this.peek();
        if (d === COMMA) this.i++;
        else if (d === CLOSE_PAREN) {
          this.i++;
          break;
        } else this.fail(`Expected ',' or ')' in the arguments of '${name}'`);
      }
    }
    if (this.scan) {
      if (!this.scan(name.toLowerCase(), argCount, argCount === 1 ? literal : undefined)) throw new CheckFailed();
      return SCANNED;
    }
    const args = stack.slice(base);
    // pop() rather than setting the length: truncating by length calls into the runtime (bench/RESULTS.md).
    while (stack.length > base) stack.pop();
    const lower = name.toLowerCase();
    if (!this.placeDependent && placeDependentCall(lower)) this.placeDependent = true;
    return { k: 'call', name: lower, display: name, args };
  }

  /** Scan mode: the text of the last string literal. */
  private literalText(): string {
    const text = this.src.slice(this.litFrom, this.litTo);
    return this.litDoubled ? text.replace(/''/g, "'") : text;
  }

  parseAll(): Expr {
    const e = this.expression(0);
    this.peek();
    if (this.i < this.src.length) this.fail('Unexpected text after the expression');
    return e;
  }
}

/** Parses the inside of `[...]` (without the brackets). Throws ExpressionError. */
export function parseExpression(body: string): Expr {
  return new Parser(body).parseAll();
}

/**
 * Walks the inside of `[...]` without building a syntax tree, calling `check` for each function call: true when the
 * syntax is valid and every check passed. Says nothing about what is wrong; parse again for the message.
 */
export function scanExpression(body: string, check: CallCheck): boolean {
  try {
    new Parser(body, check).parseAll();
    return true;
  } catch (e) {
    if (e instanceof ExpressionError || e instanceof CheckFailed) return false;
    throw e;
  }
}

const parsed = new Map<string, Parsed | ExpressionError>();

/** Empties the parse cache (benchmarks: each pass over a corpus must parse as a fresh process would). */
export function clearParseCache(): void {
  parsed.clear();
}

/**
 * Parses a template string: literal or expression. With `cache`, results (errors too) are kept for the next call
 * with the same text. Callers cache only what they will meet many times (copy loops of 8 or more instances,
 * user-defined functions): kept syntax trees outlive the young generation, and V8 then allocates every new one in
 * the old generation (allocation site pretenuring), so caching everything costs more than it saves (bench/RESULTS.md).
 */
export function parseTemplateString(s: string, cache = true): Parsed {
  if (!cache) return parseUncached(s);
  const hit = parsed.get(s);
  if (hit !== undefined) {
    if (hit instanceof ExpressionError) throw hit;
    return hit;
  }
  let out: Parsed | ExpressionError;
  try {
    out = parseUncached(s);
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    out = e;
  }
  if (parsed.size > 50000) parsed.clear();
  parsed.set(s, out);
  if (out instanceof ExpressionError) throw out;
  return out;
}

function parseUncached(s: string): Parsed {
  if (s.startsWith('[[') && s.endsWith(']')) return { literal: s.slice(1) };
  if (isExpression(s)) {
    const p = new Parser(s.slice(1, -1));
    const expr = p.parseAll();
    return { expr, fixed: !p.placeDependent };
  }
  return { literal: s };
}
