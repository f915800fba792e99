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

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  fail(message: string): never {
    throw new ExpressionError(`${message} (at character ${this.i + 1} of '${this.src.length > 120 ? this.src.slice(0, 117) + '...' : this.src}')`);
  }

  ws(): void {
    const s = this.src;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
  }

  peek(): string {
    this.ws();
    return this.src[this.i] ?? '';
  }

  expect(ch: string): void {
    if (this.peek() !== ch) this.fail(`Expected '${ch}'`);
    this.i++;
  }

  ident(): string {
    this.ws();
    const s = this.src;
    const start = this.i;
    if (!identStart(s.charCodeAt(this.i))) this.fail('Expected a function name');
    this.i++;
    while (this.i < s.length && identPart(s.charCodeAt(this.i))) this.i++;
    return s.slice(start, this.i);
  }

  expression(depth: number): Expr {
    if (depth > 200) this.fail('The expression is nested too deeply');
    let e = this.primary(depth);
    for (;;) {
      const c = this.peek();
      if (c === '.') {
        this.i++;
        e = { k: 'prop', obj: e, name: this.ident() };
      } else if (c === '[') {
        this.i++;
        const index = this.expression(depth + 1);
        this.expect(']');
        e = { k: 'idx', obj: e, index };
      } else return e;
    }
  }

  primary(depth: number): Expr {
    const c = this.peek();
    const s = this.src;
    if (c === "'") {
      this.i++;
      let out = '';
      for (;;) {
        const j = s.indexOf("'", this.i);
        if (j < 0) this.fail('Unterminated string literal');
        out += s.slice(this.i, j);
        if (s[j + 1] === "'") {
          out += "'";
          this.i = j + 2;
        } else {
          this.i = j + 1;
          return { k: 'str', v: out };
        }
      }
    }
    if (c === '-' || c === '+' || (c >= '0' && c <= '9')) {
      const m = /^[-+]?\d+(\.\d+)?/.exec(s.slice(this.i));
      if (!m) this.fail('Expected a number');
      this.i += m[0].length;
      return { k: 'num', v: Number(m[0]) };
    }
    // A function name, possibly namespaced for user-defined functions: ns.name(...)
    let name = this.ident();
    while (this.peek() === '.' && identStart(s.charCodeAt(this.i + 1))) {
      // Only a namespace if the dotted name is directly followed by '('.
      const save = this.i;
      this.i++;
      const part = this.ident();
      if (this.peek() === '(' || (this.peek() === '.' && identStart(s.charCodeAt(this.i + 1)))) name += '.' + part;
      else {
        this.i = save;
        break;
      }
    }
    if (this.peek() !== '(') this.fail(`Expected '(' after '${name}'`);
    this.i++;
    const args: Expr[] = [];
    if (this.peek() === ')') this.i++;
    else {
      for (;;) {
        args.push(this.expression(depth + 1));
        const d = this.peek();
        if (d === ',') this.i++;
        else if (d === ')') {
          this.i++;
          break;
        } else this.fail(`Expected ',' or ')' in the arguments of '${name}'`);
      }
    }
    return { k: 'call', name: name.toLowerCase(), display: name, args };
  }

  parseAll(): Expr {
    const e = this.expression(0);
    this.ws();
    if (this.i < this.src.length) this.fail('Unexpected text after the expression');
    return e;
  }
}

/** Parses the inside of `[...]` (without the brackets). Throws ExpressionError. */
export function parseExpression(body: string): Expr {
  return new Parser(body).parseAll();
}

const cache = new Map<string, Parsed | ExpressionError>();

/** Empties the parse cache (benchmarks: each pass over a corpus must parse as a fresh process would). */
export function clearParseCache(): void {
  cache.clear();
}

/** Parses a template string: literal or expression. Results are cached; errors are cached too. */
export function parseTemplateString(s: string): Parsed {
  const hit = cache.get(s);
  if (hit !== undefined) {
    if (hit instanceof ExpressionError) throw hit;
    return hit;
  }
  let out: Parsed | ExpressionError;
  if (s.startsWith('[[') && s.endsWith(']')) out = { literal: s.slice(1) };
  else if (isExpression(s)) {
    try {
      out = { expr: parseExpression(s.slice(1, -1)) };
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      out = e;
    }
  } else out = { literal: s };
  if (cache.size > 50000) cache.clear();
  cache.set(s, out);
  if (out instanceof ExpressionError) throw out;
  return out;
}
