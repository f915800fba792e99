// The ARM expression syntax tree, lexer and parser. Imports only value.ts.
import { ExpressionError } from './value.js';

export type Expr =
  | { readonly k: 'str'; readonly v: string }
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'call'; readonly name: string; readonly display: string; readonly args: readonly Expr[] }
  | { readonly k: 'prop'; readonly obj: Expr; readonly name: string }
  | { readonly k: 'idx'; readonly obj: Expr; readonly index: Expr };

/** What a template string means: a literal (after `[[` unescaping) or an expression. */
export type Parsed = { readonly literal: string } | { readonly expr: Expr };

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
 * A recursive-descent parser over character codes: no one-character strings, no regexes, and a string literal
 * without doubled quotes is one slice (expression parsing is a tenth of linting a template).
 */
class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

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
        e = { k: 'prop', obj: e, name: this.ident() };
      } else if (c === OPEN_BRACKET) {
        this.i++;
        const index = this.expression(depth + 1);
        this.expect(CLOSE_BRACKET);
        e = { k: 'idx', obj: e, index };
      } else return e;
    }
  }

  private string(): Expr {
    const s = this.src;
    let from = ++this.i;
    let out: string | undefined;
    for (;;) {
      const j = s.indexOf("'", from);
      if (j < 0) {
        this.i = from;
        this.fail('Unterminated string literal');
      }
      if (s.charCodeAt(j + 1) === QUOTE) {
        // A doubled quote is one quote character.
        out = (out ?? '') + s.slice(from, j + 1);
        from = j + 2;
      } else {
        this.i = j + 1;
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
    return { k: 'num', v: Number(s.slice(start, i)) };
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
    const args: Expr[] = [];
    if (this.peek() === CLOSE_PAREN) this.i++;
    else {
      for (;;) {
        args.push(this.expression(depth + 1));
        const d = this.peek();
        if (d === COMMA) this.i++;
        else if (d === CLOSE_PAREN) {
          this.i++;
          break;
        } else this.fail(`Expected ',' or ')' in the arguments of '${name}'`);
      }
    }
    return { k: 'call', name: name.toLowerCase(), display: name, args };
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

const parsed = new Map<string, Parsed | ExpressionError>();

/** Empties the parse cache (benchmarks: each pass over a corpus must parse as a fresh process would). */
export function clearParseCache(): void {
  parsed.clear();
}

/**
 * Parses a template string: literal or expression. With `cache`, results (errors too) are kept for the next call
 * with the same text. Callers cache only what they will meet again (copy loops, user-defined functions): kept
 * syntax trees outlive the young generation, and V8 then allocates every new one in the old generation (allocation
 * site pretenuring); caching everything made linting the corpus 15-20 % slower than caching nothing (measured).
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
  if (isExpression(s)) return { expr: parseExpression(s.slice(1, -1)) };
  return { literal: s };
}
