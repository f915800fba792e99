// Where a resource is written in a .tf file: a scanner of HCL's native syntax that finds the `resource` and `data`
// blocks, their nested blocks and their arguments, and skips over expressions without evaluating them (strings with
// ${ } and %{ } templates, heredocs, comments, brackets). A .tf file becomes a document whose pointers follow the
// blocks as Terraform's JSON syntax nests them (`/resource/azurerm_lb/lb/frontend_ip_configuration/0/subnet_id`):
// positions only, never values (https://developer.hashicorp.com/terraform/language/syntax/configuration).
// Imports template/ only.
import type { LineColumn, SourceRange, TemplateDoc } from '../template/template.js';
import { lineColumnAt, pointerSegments } from '../template/template.js';

/** A block or an argument, with where it is written. */
interface Node {
  readonly start: number;
  end: number;
  /** Arguments and nested blocks by name; nested blocks of one type in the order written (a dynamic block stands for its content). */
  readonly members: Map<string, Node | Node[]>;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_-]/;

/** Scans HCL text; never throws: what it cannot read ends the scan of that body. */
class Scanner {
  i = 0;
  constructor(readonly t: string) {}

  /** Skips spaces, tabs and comments; with `lines`, line breaks too. */
  skip(lines: boolean): void {
    const t = this.t;
    for (;;) {
      const c = t[this.i];
      if (c === ' ' || c === '\t' || c === '\r' || (lines && c === '\n')) this.i++;
      else if (c === '#' || (c === '/' && t[this.i + 1] === '/')) {
        const nl = t.indexOf('\n', this.i);
        this.i = nl < 0 ? t.length : nl;
      } else if (c === '/' && t[this.i + 1] === '*') {
        const close = t.indexOf('*/', this.i + 2);
        this.i = close < 0 ? t.length : close + 2;
      } else return;
    }
  }

  ident(): string | undefined {
    const t = this.t;
    if (!IDENT_START.test(t[this.i] ?? '')) return undefined;
    const s = this.i;
    while (this.i < t.length && IDENT.test(t[this.i])) this.i++;
    return t.slice(s, this.i);
  }

  /** A quoted string from its opening quote; its text when it has no template. */
  string(): string {
    const t = this.t;
    this.i++;
    let out = '';
    while (this.i < t.length) {
      const c = t[this.i];
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === '\\') {
        out += t[this.i + 1] ?? '';
        this.i += 2;
      } else if ((c === '$' || c === '%') && t[this.i + 1] === '{') {
        this.i += 2;
        this.expression('}');
        this.i++;
      } else if (c === '\n') return out;
      else {
        out += c;
        this.i++;
      }
    }
    return out;
  }

  /** A heredoc from `<<`: to the line that holds only its marker. */
  heredoc(): void {
    const t = this.t;
    const m = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(t.slice(this.i, this.i + 200));
    if (!m) {
      this.i += 2;
      return;
    }
    this.i += m[0].length;
    while (this.i < t.length) {
      const nl = t.indexOf('\n', this.i);
      const line = t.slice(this.i, nl < 0 ? t.length : nl).trim();
      this.i = nl < 0 ? t.length : nl + 1;
      if (line === m[1]) return;
    }
  }

  /** Skips an expression: to `close` (not consumed) when given, else to the end of the line at depth 0. */
  expression(close?: string): void {
    const t = this.t;
    while (this.i < t.length) {
      const c = t[this.i];
      if (close === undefined && c === '\n') return;
      if (c === close) return;
      if (c === '}' || c === ']' || c === ')') {
        if (close === undefined) return;
        this.i++;
        continue;
      }
      if (c === '"') this.string();
      else if (c === '<' && t[this.i + 1] === '<' && /[A-Za-z_-]/.test(t[this.i + 2] ?? '')) this.heredoc();
      else if (c === '#' || (c === '/' && (t[this.i + 1] === '/' || t[this.i + 1] === '*'))) this.skip(false);
      else if (c === '{' || c === '[' || c === '(') {
        this.i++;
        this.expression(c === '{' ? '}' : c === '[' ? ']' : ')');
        this.i++;
      } else this.i++;
    }
  }

  /** A body to its closing brace (or the end of the text for a file). */
  body(node: Node, top: boolean): void {
    const t = this.t;
    for (;;) {
      this.skip(true);
      if (this.i >= t.length) return;
      if (t[this.i] === '}') {
        if (top) {
          this.i++;
          continue;
        }
        this.i++;
        return;
      }
      const start = this.i;
      const name = this.ident();
      if (name === undefined) {
        this.expression();
        continue;
      }
      this.skip(false);
      if (t[this.i] === '=' && t[this.i + 1] !== '=') {
        this.i++;
        this.skip(false);
        this.expression();
        node.members.set(name, { start, end: this.i, members: new Map() });
        continue;
      }
      const labels: string[] = [];
      for (;;) {
        this.skip(false);
        if (t[this.i] === '"') labels.push(this.string());
        else {
          const l = this.ident();
          if (l === undefined) break;
          labels.push(l);
        }
      }
      if (t[this.i] !== '{') {
        this.expression();
        continue;
      }
      this.i++;
      const child: Node = { start, end: start, members: new Map() };
      this.body(child, false);
      child.end = this.i;
      this.addBlock(node, name, labels, child);
    }
  }

  private addBlock(node: Node, type: string, labels: readonly string[], child: Node): void {
    // resource "T" "N" and data "T" "N" nest as Terraform's JSON syntax writes them; a dynamic "x" block stands for x.
    let key = type;
    let target = node;
    if ((type === 'resource' || type === 'data') && labels.length === 2) {
      target = nested(nested(node, type), labels[0]);
      key = labels[1];
      target.members.set(key, child);
      return;
    }
    if (type === 'dynamic' && labels.length === 1) key = labels[0];
    const list = target.members.get(key);
    if (Array.isArray(list)) list.push(child);
    else target.members.set(key, [child]);
  }
}

/** The object member `key` of a node (made when missing). */
function nested(node: Node, key: string): Node {
  const hit = node.members.get(key);
  if (hit && !Array.isArray(hit)) return hit;
  const n: Node = { start: node.start, end: node.end, members: new Map() };
  node.members.set(key, n);
  return n;
}

/** A node as a JSON-like value: arguments as true, blocks as objects, blocks of a type as arrays. */
function valueOf(node: Node, depth: number): unknown {
  if (node.members.size === 0 || depth > 64) return true;
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of node.members) out[k] = Array.isArray(v) ? v.map((x) => valueOf(x, depth + 1)) : valueOf(v, depth + 1);
  return out;
}

/** A .tf file as a document of positions. */
export class HclDoc implements TemplateDoc {
  readonly problems = [];
  private readonly root: Node;
  private cached: unknown;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.root = { start: 0, end: text.length, members: new Map() };
    new Scanner(text).body(this.root, true);
  }

  get value(): unknown {
    return (this.cached ??= valueOf(this.root, 0));
  }

  /** True when the pointer names something written (a block by index, an argument). */
  has(pointer: string): boolean {
    return this.node(pointer) !== undefined;
  }

  /** The node a pointer names, blocks of a type indexed. */
  private node(pointer: string): Node | undefined {
    let cur: Node | Node[] = this.root;
    for (const s of pointerSegments(pointer)) {
      if (Array.isArray(cur)) {
        if (!/^\d+$/.test(s) || Number(s) >= cur.length) return undefined;
        cur = cur[Number(s)];
        continue;
      }
      const next: Node | Node[] | undefined = cur.members.get(s);
      if (next === undefined) return undefined;
      cur = next;
    }
    return Array.isArray(cur) ? undefined : cur;
  }

  /** The expression an argument is written with (what follows its `=`); undefined for a block or nothing written. */
  expression(pointer: string): string | undefined {
    const node = this.node(pointer);
    if (!node || node.members.size > 0) return undefined;
    const text = this.text.slice(node.start, node.end);
    const eq = text.indexOf('=');
    return eq < 0 ? undefined : text.slice(eq + 1).trim();
  }

  range(pointer: string): SourceRange {
    // The deepest node on the pointer's way.
    const segments = pointerSegments(pointer);
    for (let n = segments.length; n >= 0; n--) {
      const node = this.node(segments.slice(0, n).map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''));
      if (node) return { offset: node.start, length: node.end - node.start };
    }
    return { offset: 0, length: 0 };
  }

  start(pointer: string): number {
    return this.range(pointer).offset;
  }

  lineColumn(offset: number): LineColumn {
    return lineColumnAt(this.text, offset);
  }
}
