// A reader of Bicep source for positions only: the declarations of a .bicep or .bicepparam file (param, var, resource,
// module, output, type, func, using), nested resources, and the object and array literals of resource and module
// bodies, each with its place in the text. It checks nothing (the Bicep CLI has compiled the file when this reads it)
// and never throws: what it does not understand it skips to the end of the line, and a finding there falls back to
// the enclosing declaration (api/bicep-positions.ts).

/** A 1-based range in the text (end exclusive, as findings carry it). */
export interface Place {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export type BicepValue =
  | { readonly kind: 'object'; readonly at: Place; readonly props: readonly BicepProp[]; readonly nested: readonly BicepDecl[] }
  | { readonly kind: 'array'; readonly at: Place; readonly items: readonly BicepValue[] }
  /** `[for x in xs: body]`; `at` is the `for` keyword. */
  | { readonly kind: 'for'; readonly at: Place; readonly body: BicepValue }
  /** `if (condition) body` of a resource or module; `at` is the `if` keyword. */
  | { readonly kind: 'if'; readonly at: Place; readonly body: BicepValue }
  | { readonly kind: 'expr'; readonly at: Place };

export interface BicepProp {
  readonly key: string;
  /** The key. */
  readonly at: Place;
  readonly value: BicepValue;
}

export interface BicepDecl {
  readonly keyword: string;
  readonly name: string;
  /** From the keyword to the end of the name. */
  readonly at: Place;
  /** A resource's type string (`Microsoft.Network/virtualNetworks@2024-05-01`, or `subnets` when nested), a module's or `using`'s path. */
  readonly target?: string;
  readonly existing?: boolean;
  /** A resource's or module's body (`{…}`, `if (…) {…}`, `[for …: {…}]`); absent for other declarations. */
  readonly value?: BicepValue;
}

export interface BicepProgram {
  readonly decls: readonly BicepDecl[];
}

type Kind = 'ident' | 'string' | 'number' | 'punct' | 'newline' | 'eof';

interface Token {
  readonly kind: Kind;
  /** Identifiers and punctuation: the text; strings: the value (escapes decoded) unless interpolated. */
  readonly text: string;
  readonly interpolated: boolean;
  readonly start: number;
  readonly end: number;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", $: '$' };

/** Splits Bicep text into tokens; comments are dropped and a string (interpolations included) is one token. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      out.push({ kind: 'newline', text: '\n', interpolated: false, start: i, end: i + 1 });
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === "'" && text.startsWith("'''", i)) {
      const close = text.indexOf("'''", i + 3);
      const end = close < 0 ? n : close + 3;
      out.push({ kind: 'string', text: text.slice(i + 3, close < 0 ? n : close), interpolated: false, start: i, end });
      i = end;
    } else if (c === "'") {
      const s = readString(text, i);
      out.push({ kind: 'string', text: s.value, interpolated: s.interpolated, start: i, end: s.end });
      i = s.end;
    } else if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < n && IDENT_PART.test(text[j])) j++;
      out.push({ kind: 'ident', text: text.slice(i, j), interpolated: false, start: i, end: j });
      i = j;
    } else if (c >= '0' && c <= '9') {
      let j = i + 1;
      while (j < n && /[0-9.]/.test(text[j])) j++;
      out.push({ kind: 'number', text: text.slice(i, j), interpolated: false, start: i, end: j });
      i = j;
    } else {
      out.push({ kind: 'punct', text: c, interpolated: false, start: i, end: i + 1 });
      i++;
    }
  }
  out.push({ kind: 'eof', text: '', interpolated: false, start: n, end: n });
  return out;
}

/** A single-quoted string from `start`: its value and end; `${…}` interpolations (strings and braces inside) are skipped. */
function readString(text: string, start: number): { value: string; interpolated: boolean; end: number } {
  let i = start + 1;
  let value = '';
  let interpolated = false;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === "'") return { value, interpolated, end: i + 1 };
    if (c === '\n') break;
    if (c === '\\' && i + 1 < n) {
      value += ESCAPES[text[i + 1]] ?? text[i + 1];
      i += 2;
    } else if (c === '$' && text[i + 1] === '{') {
      interpolated = true;
      i = skipInterpolation(text, i + 2);
    } else {
      value += c;
      i++;
    }
  }
  return { value, interpolated, end: i };
}

/** The index after the `}` that closes an interpolation whose expression starts at `i`. */
function skipInterpolation(text: string, i: number): number {
  let depth = 1;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === "'") {
      i = text.startsWith("'''", i) ? (text.indexOf("'''", i + 3) < 0 ? n : text.indexOf("'''", i + 3) + 3) : readString(text, i).end;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
    i++;
  }
  return n;
}

const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);

class Parser {
  private i = 0;
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {
    for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) this.lineStarts.push(k + 1);
  }

  place(start: number, end: number): Place {
    const a = this.lineColumn(start);
    const b = this.lineColumn(end);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  private lineColumn(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private is(text: string, k = 0): boolean {
    const t = this.peek(k);
    return (t.kind === 'punct' || t.kind === 'ident') && t.text === text;
  }

  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.i++;
  }

  /** Skips to the end of the statement: the next line break outside brackets (not consumed), or an unmatched closer. */
  private skipStatement(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return;
      if (t.kind === 'newline' && depth === 0) return;
      if (t.kind === 'punct' && OPEN.has(t.text)) depth++;
      if (t.kind === 'punct' && CLOSE.has(t.text)) {
        if (depth === 0) return;
        depth--;
      }
      this.i++;
    }
  }

  /** Skips a balanced group that starts at the current token (an opener). */
  private skipGroup(): void {
    let depth = 0;
    for (;;) {
      const t = this.next();
      if (t.kind === 'eof') return;
      if (t.kind === 'punct' && OPEN.has(t.text)) depth++;
      if (t.kind === 'punct' && CLOSE.has(t.text) && --depth <= 0) return;
    }
  }

  /** `@name(…)` or `@ns.name(…)`. */
  private skipDecorator(): void {
    this.next();
    while (this.peek().kind === 'ident' || this.is('.')) this.next();
    if (this.is('(')) this.skipGroup();
  }

  program(): BicepProgram {
    const decls: BicepDecl[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (this.is('@')) {
        this.skipDecorator();
        continue;
      }
      const d = t.kind === 'ident' ? this.declaration() : undefined;
      if (d) decls.push(d);
      else {
        this.skipStatement();
        if (this.peek().kind === 'punct') this.next();
      }
    }
    return { decls };
  }

  /** A declaration at the current keyword, or undefined (the statement is then skipped by the caller). */
  private declaration(): BicepDecl | undefined {
    const kw = this.peek();
    switch (kw.text) {
      case 'resource':
      case 'module': {
        if (this.peek(1).kind !== 'ident' || this.peek(2).kind !== 'string') return undefined;
        this.next();
        const name = this.next();
        const target = this.next();
        const existing = this.is('existing');
        if (existing) this.next();
        if (!this.is('=')) return undefined;
        this.next();
        this.skipNewlines();
        const value = this.value(true);
        return { keyword: kw.text, name: name.text, at: this.place(kw.start, name.end), target: target.text, ...(existing ? { existing } : {}), value };
      }
      case 'using': {
        this.next();
        const target = this.peek().kind === 'string' ? this.next() : undefined;
        this.skipStatement();
        return { keyword: 'using', name: '', at: this.place(kw.start, target?.end ?? kw.end), ...(target ? { target: target.text } : {}) };
      }
      case 'param':
      case 'var':
      case 'output':
      case 'type':
      case 'func':
      case 'metadata': {
        const name = this.peek(1);
        if (name.kind !== 'ident') return undefined;
        this.next();
        this.next();
        this.skipStatement();
        return { keyword: kw.text, name: name.text, at: this.place(kw.start, name.end) };
      }
      default:
        return undefined;
    }
  }

  /** True when the current token ends a value: a line break, a comma, a closer, the end. */
  private atValueEnd(): boolean {
    const t = this.peek();
    return t.kind === 'eof' || t.kind === 'newline' || (t.kind === 'punct' && (t.text === ',' || CLOSE.has(t.text)));
  }

  /** A value: an object or array literal, a loop, (for resource and module bodies) a condition, else an expression. */
  private value(body = false): BicepValue {
    const t = this.peek();
    let v: BicepValue;
    if (this.is('{')) v = this.object();
    else if (this.is('[')) v = this.isLoop() ? this.loop() : this.array();
    else if (body && this.is('if') && this.peek(1).kind === 'punct' && this.peek(1).text === '(') v = this.condition();
    else {
      this.skipExpression();
      return { kind: 'expr', at: this.place(t.start, t.end) };
    }
    if (this.atValueEnd()) return v;
    // More follows (`{…}.x`, a function call on a literal): an expression, placed at its start.
    this.skipExpression();
    return { kind: 'expr', at: this.place(t.start, t.end) };
  }

  /** Skips an expression: up to a line break, comma or unmatched closer outside brackets (not consumed). */
  private skipExpression(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return;
      if (depth === 0 && (t.kind === 'newline' || (t.kind === 'punct' && t.text === ','))) return;
      if (t.kind === 'punct' && OPEN.has(t.text)) depth++;
      if (t.kind === 'punct' && CLOSE.has(t.text)) {
        if (depth === 0) return;
        depth--;
      }
      this.i++;
    }
  }

  private isLoop(): boolean {
    let k = 1;
    while (this.peek(k).kind === 'newline') k++;
    return this.peek(k).kind === 'ident' && this.peek(k).text === 'for';
  }

  private object(): BicepValue {
    const open = this.next();
    const props: BicepProp[] = [];
    const nested: BicepDecl[] = [];
    for (;;) {
      while (this.peek().kind === 'newline' || this.is(',')) this.next();
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (this.is('}')) {
        this.next();
        break;
      }
      if (CLOSE.has(t.text) && t.kind === 'punct') break;
      if (this.is('@')) {
        this.skipDecorator();
        continue;
      }
      if (t.kind === 'ident' && t.text === 'resource' && this.peek(1).kind === 'ident' && this.peek(2).kind === 'string') {
        const d = this.declaration();
        if (d) nested.push(d);
        continue;
      }
      if ((t.kind === 'ident' || (t.kind === 'string' && !t.interpolated)) && this.is(':', 1)) {
        this.next();
        this.next();
        this.skipNewlines();
        props.push({ key: t.text, at: this.place(t.start, t.end), value: this.value() });
        continue;
      }
      this.skipExpression();
      if (this.is(',')) this.next();
    }
    return { kind: 'object', at: this.place(open.start, open.end), props, nested };
  }

  private array(): BicepValue {
    const open = this.next();
    const items: BicepValue[] = [];
    for (;;) {
      while (this.peek().kind === 'newline' || this.is(',')) this.next();
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (this.is(']')) {
        this.next();
        break;
      }
      if (t.kind === 'punct' && CLOSE.has(t.text)) break;
      items.push(this.value());
      if (!this.atValueEnd()) this.skipExpression();
    }
    return { kind: 'array', at: this.place(open.start, open.end), items };
  }

  /** `[for <item> in <expr>: <body>]`, the header skipped up to its `:` (a `?` of a conditional owns the next `:`). */
  private loop(): BicepValue {
    this.next();
    this.skipNewlines();
    const kw = this.next();
    let depth = 0;
    let questions = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (t.kind === 'punct') {
        if (OPEN.has(t.text)) depth++;
        else if (CLOSE.has(t.text)) {
          if (depth === 0) break;
          depth--;
        } else if (depth === 0 && t.text === '?') questions++;
        else if (depth === 0 && t.text === ':') {
          if (questions === 0) break;
          questions--;
        }
      }
      this.i++;
    }
    if (this.is(':')) this.next();
    this.skipNewlines();
    const body = this.value(true);
    // Up to and including the loop's `]`.
    let depth2 = 0;
    for (;;) {
      const t = this.next();
      if (t.kind === 'eof') break;
      if (t.kind === 'punct' && OPEN.has(t.text)) depth2++;
      if (t.kind === 'punct' && CLOSE.has(t.text)) {
        if (depth2 === 0) break;
        depth2--;
      }
    }
    return { kind: 'for', at: this.place(kw.start, kw.end), body };
  }

  private condition(): BicepValue {
    const kw = this.next();
    this.skipGroup();
    this.skipNewlines();
    return { kind: 'if', at: this.place(kw.start, kw.end), body: this.value() };
  }
}

/** The declarations of a .bicep or .bicepparam text, with their places. */
export function parseBicep(text: string): BicepProgram {
  return new Parser(text, tokenize(text)).program();
}
