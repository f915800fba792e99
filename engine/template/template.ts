// Loads ARM template text (JSON or JSONC) into a value plus a lazy JSON-pointer → source-range index.
// Must not import anything else from engine/ (it is the bottom of the pipeline).
import type { Node, ParseError } from 'jsonc-parser';
import { jsonc } from './jsonc.js';
import { StrictJsonLocator } from './locate.js';
import { nullObject } from './null-object.js';
import type { Location } from './finding.js';

/** A span of the source text, 0-based offsets. */
export interface SourceRange {
  readonly offset: number;
  readonly length: number;
}

/** A 0-based line and column (UTF-16 code units). Formatters add 1. */
export interface LineColumn {
  readonly line: number;
  readonly column: number;
}

/** A problem found while reading a template file. */
export interface LoadProblem {
  readonly message: string;
  readonly offset: number;
  readonly length: number;
}

/** A key written twice in one object, at its later occurrence; `message` in ARM's words. */
export interface DuplicateKey extends LoadProblem {
  readonly key: string;
}

/**
 * What a key written twice means to the reader of the file: Azure Resource Manager reads the last one; a Terraform
 * plan or state is read the same way by egress-lint, and Terraform never writes a key twice.
 */
export function duplicateKeyMessage(key: string, reader: 'arm' | 'terraform'): string {
  const reads = reader === 'arm' ? 'Azure Resource Manager reads the last one and the other is ignored' : 'egress-lint reads the last one, and Terraform never writes a key twice (the file was edited after Terraform wrote it)';
  return `The key '${key}' is written twice in one object: ${reads}.`;
}

/** A loaded template document: its value and a way back from pointers to source ranges. */
export interface TemplateDoc {
  readonly file: string;
  readonly text: string;
  /** The parsed value, or undefined when the text could not be parsed at all. */
  readonly value: unknown;
  /** Syntax errors that make the value unreliable (empty when the file is usable). */
  readonly problems: readonly LoadProblem[];
  /**
   * Keys written twice in one object (the value keeps the last, as Azure Resource Manager's reader does): each at the
   * later key. The value is usable; the template is not what its author meant.
   */
  readonly duplicates?: readonly DuplicateKey[];
  /** The source range of a JSON pointer ("" is the whole document), or the nearest existing ancestor. */
  range(pointer: string): SourceRange;
  /** Where range(pointer) starts: for a position without an end, which strict JSON finds without scanning the value. */
  start(pointer: string): number;
  /** 0-based line and column of an offset. */
  lineColumn(offset: number): LineColumn;
  /**
   * For a document whose resources a front-end translated (a Terraform plan): where a pointer into a translated
   * resource is written, in this file or another (a .tf file); undefined for a pointer it does not translate.
   */
  place?(pointer: string): Location | undefined;
  /**
   * For such a document: a message or help text about the resource at a pointer, in the words its source uses (a
   * Terraform attribute for an ARM property); the text itself for anything else.
   */
  reword?(pointer: string, text: string): string;
}

/** 0-based line and column of an offset in a text read once (a lock or configuration file's error position). */
export function lineColumnAt(text: string, offset: number): LineColumn {
  let line = 0;
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++;
    start = nl + 1;
  }
  return { line, column: offset - start };
}

/** Splits an RFC 6901 JSON pointer into its segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  const segments = pointer.slice(1).split('/');
  return pointer.indexOf('~') < 0 ? segments : segments.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Appends a segment to an RFC 6901 JSON pointer. */
export function pointerJoin(pointer: string, segment: string | number): string {
  if (typeof segment === 'number' || (segment.indexOf('~') < 0 && segment.indexOf('/') < 0)) return `${pointer}/${segment}`;
  return `${pointer}/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function describe(error: ParseError): string {
  switch (error.error) {
    case jsonc().ParseErrorCode.InvalidSymbol:
      return 'Unexpected character.';
    case jsonc().ParseErrorCode.UnexpectedEndOfString:
      return 'Unterminated string.';
    case jsonc().ParseErrorCode.UnexpectedEndOfComment:
      return 'Unterminated comment.';
    case jsonc().ParseErrorCode.CommaExpected:
      return 'Expected a comma.';
    case jsonc().ParseErrorCode.ColonExpected:
      return 'Expected a colon.';
    case jsonc().ParseErrorCode.CloseBraceExpected:
      return 'Expected "}".';
    case jsonc().ParseErrorCode.CloseBracketExpected:
      return 'Expected "]".';
    case jsonc().ParseErrorCode.EndOfFileExpected:
      return 'Unexpected text after the end of the JSON value.';
    case jsonc().ParseErrorCode.PropertyNameExpected:
      return 'Expected a property name in double quotes.';
    case jsonc().ParseErrorCode.ValueExpected:
      return 'Expected a value.';
    case jsonc().ParseErrorCode.InvalidNumberFormat:
    case jsonc().ParseErrorCode.UnexpectedEndOfNumber:
      return 'Invalid number.';
    case jsonc().ParseErrorCode.InvalidCommentToken:
      return 'Invalid comment.';
    case jsonc().ParseErrorCode.InvalidUnicode:
      return 'Invalid \\u escape in a string (four hexadecimal digits expected).';
    case jsonc().ParseErrorCode.InvalidEscapeCharacter:
      return 'Invalid escape sequence in a string.';
    default:
      return `${jsonc().printParseErrorCode(error.error)}.`;
  }
}

/** Turns a jsonc-parser node into a plain value; objects get a null prototype so no key can reach Object.prototype. */
function nodeValue(node: Node, depth: number): unknown {
  switch (node.type) {
    case 'object': {
      const out = nullObject();
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (k && v) out[String(k.value)] = nodeValue(v, depth + 1);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map((c) => nodeValue(c, depth + 1));
    default:
      return node.value;
  }
}

const LINE_BREAK = /\r\n?|\n/g;

class Doc implements TemplateDoc {
  duplicates: readonly DuplicateKey[] | undefined;
  private tree: Node | undefined | null = null;
  private strict: StrictJsonLocator | undefined;
  private lineStarts: number[] | undefined;
  private scanned = 0;
  private loneCr: boolean | undefined;
  constructor(
    readonly file: string,
    readonly text: string,
    readonly value: unknown,
    readonly problems: readonly LoadProblem[],
    tree?: Node,
    /** Strict JSON of the same length as `text` (comments, trailing commas and raw control characters blanked) for the strict-JSON locator. */
    private readonly strictText: string = text,
  ) {
    if (tree) this.tree = tree;
  }

  private getTree(): Node | undefined {
    if (this.tree === null) this.tree = jsonc().parseTree(this.text, [], { allowTrailingComma: true, disallowComments: false }) ?? undefined;
    return this.tree;
  }

  /** The strict-JSON locator when JSON.parse read the text (strict JSON, or the blanked copy of JSONC). */
  private strictLocator(): StrictJsonLocator | undefined {
    if (this.problems.length !== 0 || this.tree !== null) return undefined;
    return (this.strict ??= new StrictJsonLocator(this.strictText));
  }

  start(pointer: string): number {
    const strict = this.strictLocator();
    return strict ? strict.start(pointerSegments(pointer)) : this.range(pointer).offset;
  }

  range(pointer: string): SourceRange {
    const strict = this.strictLocator();
    // Strict JSON (JSON.parse accepted it): the strict-JSON locator, no syntax tree.
    if (strict) return strict.find(pointerSegments(pointer));
    const root = this.getTree();
    if (!root) return { offset: 0, length: 0 };
    const segments = pointerSegments(pointer);
    // Walk down as far as the pointer exists, so a pointer into a generated value still lands nearby.
    for (let n = segments.length; n >= 0; n--) {
      const path = segments.slice(0, n).map((s, i) => (isArrayAt(root, segments.slice(0, i)) ? Number(s) : s));
      // A name where the tree has an array is no index (a duplicate key: the value keeps the last one, the tree finds
      // the first): findNodeAtLocation would read children[NaN] and then throw on the undefined it got.
      if (path.some((s) => typeof s === 'number' && !Number.isInteger(s))) continue;
      const node = jsonc().findNodeAtLocation(root, path);
      if (node) {
        // For an object property, point at the key rather than the value so the caret sits on the name.
        const parent = node.parent;
        if (parent && parent.type === 'property' && parent.children?.[0]) {
          const key = parent.children[0];
          return { offset: key.offset, length: node.offset + node.length - key.offset };
        }
        return { offset: node.offset, length: node.length };
      }
    }
    return { offset: root.offset, length: root.length };
  }

  lineColumn(offset: number): LineColumn {
    // Line starts are found incrementally, only as far into the file as positions are asked for.
    const starts = (this.lineStarts ??= [0]);
    const t = this.text;
    // Most templates end lines with \n or \r\n: find them with indexOf (native memchr). Only text with a lone
    // \r line break needs the slower regex scan.
    this.loneCr ??= t.indexOf('\r') >= 0 && /\r(?!\n)/.test(t);
    if (!this.loneCr) {
      while (this.scanned <= offset && this.scanned < t.length) {
        const nl = t.indexOf('\n', this.scanned);
        if (nl < 0) {
          this.scanned = t.length;
          break;
        }
        this.scanned = nl + 1;
        starts.push(this.scanned);
      }
    }
    const re = LINE_BREAK;
    while (this.scanned <= offset && this.scanned < t.length) {
      re.lastIndex = this.scanned;
      const m = re.exec(t);
      if (!m) {
        this.scanned = t.length;
        break;
      }
      this.scanned = m.index + m[0].length;
      starts.push(this.scanned);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - starts[lo] };
  }
}

function isArrayAt(root: Node, path: string[]): boolean {
  const node = path.length === 0 ? root : jsonc().findNodeAtLocation(root, path.map((s) => (/^\d+$/.test(s) ? Number(s) : s)));
  return node?.type === 'array';
}

/** Two copies of the text with raw control characters inside string literals made legal: one escaped, one same-length. */
function withoutRawControls(text: string): { escaped: string; sameLength: string } {
  let escaped = '';
  let same = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      else if (c < 32) {
        const chunk = text.slice(last, i);
        escaped += chunk + '\\u' + c.toString(16).padStart(4, '0');
        same += chunk + ' ';
        last = i + 1;
      }
    } else if (c === 34) inString = true;
    else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    }
  }
  return { escaped: escaped + text.slice(last), sameLength: same + text.slice(last) };
}

/**
 * The text with its comments and trailing commas blanked (same length, so offsets stay), or undefined when it has
 * neither: JSON.parse then reads JSONC faster than jsonc-parser builds its syntax tree and values (bench/RESULTS.md).
 */
function blankJsoncExtras(text: string): string | undefined {
  let out = '';
  let last = 0;
  let comma = -1; // a comma not yet followed by a value
  const blank = (from: number, to: number): void => {
    out += text.slice(last, from) + text.slice(from, to).replace(/[^\r\n]/g, ' ');
    last = to;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      comma = -1;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i);
      blank(i, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      blank(i, end + 2);
      i = end + 1;
    } else if (c === 44) comma = i;
    else if (c === 125 || c === 93) {
      if (comma >= 0) blank(comma, comma + 1);
      comma = -1;
    } else if (c !== 32 && c !== 9 && c !== 10 && c !== 13) comma = -1;
  }
  return last === 0 ? undefined : out + text.slice(last);
}

/**
 * The number of object keys written in strict JSON text, never fewer: every colon after an unescaped quote (with
 * whitespace between them or not). A colon inside a string follows a quote only when that quote is escaped (an odd
 * run of backslashes before it), or when it is the string's opening quote (`" :x"`), which can only count too many.
 * So the count equals the keys of the parsed value exactly when no key is written twice in one object, and a
 * difference only costs a syntax tree (withDuplicates), which says where, or that nothing is.
 */
function keyCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
    let j = i - 1;
    let c = text.charCodeAt(j);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(--j);
    if (c !== 34) continue;
    let k = j - 1;
    while (text.charCodeAt(k) === 92) k--;
    if (((j - 1 - k) & 1) === 0) n++;
  }
  return n;
}

/** The number of keys of every object in a parsed value (a walk with an explicit stack: no recursion limit). */
function valueKeyCount(value: unknown): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x === 'object' && x !== null) stack.push(x);
      }
    } else {
      const o = v as Record<string, unknown>;
      for (const k in o) {
        n++;
        const x = o[k];
        if (typeof x === 'object' && x !== null) stack.push(x);
      }
    }
  }
  return n;
}

/** The keys written twice in one object of a syntax tree, each at its later occurrence. */
function duplicateKeys(root: Node): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'object') {
      const seen = new Set<string>();
      for (const prop of node.children ?? []) {
        const key = prop.children?.[0];
        if (key && typeof key.value === 'string') {
          if (seen.has(key.value))
            out.push({ key: key.value, message: duplicateKeyMessage(key.value, 'arm'), offset: key.offset, length: key.length });
          else seen.add(key.value);
        }
        const v = prop.children?.[1];
        if (v) stack.push(v);
      }
    } else if (node.type === 'array') for (const c of node.children ?? []) stack.push(c);
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/**
 * Records the duplicate keys of a document JSON.parse read from `strictText` (same length as its text). JSON.parse
 * keeps the last of two equal keys without a word, as Azure Resource Manager's reader does: counting the keys of the
 * text against those of the value finds whether there is one, and only then does a syntax tree say where.
 */
function withDuplicates(doc: Doc, strictText: string): Doc {
  if (typeof doc.value === 'object' && doc.value !== null && keyCount(strictText) !== valueKeyCount(doc.value)) {
    const tree = jsonc().parseTree(strictText, [], { allowTrailingComma: true, disallowComments: false });
    if (tree) doc.duplicates = duplicateKeys(tree);
  }
  return doc;
}

/**
 * Loads template text. Strict JSON takes the fast path (JSON.parse); so does text whose only departures from JSON
 * are comments, trailing commas and raw control characters inside strings, once they are blanked or escaped;
 * anything else goes through jsonc-parser, which tolerates what ARM tolerates and reports the rest as problems
 * with their offsets.
 */
export function loadTemplate(file: string, input: string): TemplateDoc {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  try {
    return withDuplicates(new Doc(file, text, JSON.parse(text), []), text);
  } catch {
    // fall through to the tolerant parser
  }
  // Comments and trailing commas blanked (same length, so offsets stay): JSON.parse reads what is left when they
  // were the only departures from JSON.
  const blanked = blankJsoncExtras(text);
  if (blanked !== undefined) {
    try {
      return withDuplicates(new Doc(file, text, JSON.parse(blanked), [], undefined, blanked), blanked);
    } catch {
      // more than comments and trailing commas
    }
  }
  // Raw line breaks or tabs inside strings, which ARM reads and JSON does not: JSON.parse reads the values from a
  // copy with them escaped, and positions come from a same-length copy with them blanked. Anything else goes to
  // the tolerant parser, which says what is wrong.
  const base = blanked ?? text;
  const clean = withoutRawControls(base);
  if (clean.sameLength !== base) {
    try {
      return withDuplicates(new Doc(file, text, JSON.parse(clean.escaped), [], undefined, clean.sameLength), clean.sameLength);
    } catch {
      // more than that
    }
  }
  // ARM's own reader accepts comments, trailing commas and raw control characters inside strings; all of
  // them occur in Microsoft's quickstart templates, so they are not problems here either.
  let errors: ParseError[] = [];
  let tree: Node | undefined;
  let value: unknown;
  try {
    tree = jsonc().parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
    if (errors.some((e) => e.error === jsonc().ParseErrorCode.UnexpectedEndOfString || e.error === jsonc().ParseErrorCode.InvalidCharacter)) {
      // Raw line breaks or tabs inside strings, and something else JSON.parse could not read: parse a same-length
      // copy (control characters as spaces) for positions, and an escaped copy for the values. The copies are of
      // the text as written (with its comments), so the problems are the ones jsonc-parser finds there.
      const raw = blanked === undefined ? clean : withoutRawControls(text);
      const cleanErrors: ParseError[] = [];
      const cleanTree = jsonc().parseTree(raw.sameLength, cleanErrors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
      if (cleanErrors.length < errors.length) {
        errors = cleanErrors;
        tree = cleanTree;
        const escapedTree = jsonc().parseTree(raw.escaped, [], { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
        value = escapedTree ? nodeValue(escapedTree, 0) : undefined;
      }
    }
    if (value === undefined) value = tree ? nodeValue(tree, 0) : undefined;
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return new Doc(file, text, undefined, [{ message: 'The JSON is nested too deeply to read.', offset: 0, length: 0 }]);
  }
  // One problem per place, and none at the end of the text after an earlier one: the parser's recovery reports every
  // container still open there, each a consequence of the first mistake. A file cut short keeps its one problem.
  const problems: LoadProblem[] = [];
  const placed = new Set<number>();
  const end = text.trimEnd().length;
  for (const e of errors) {
    if (e.error === jsonc().ParseErrorCode.InvalidCharacter || placed.has(e.offset)) continue;
    if (problems.length > 0 && e.offset >= end) continue;
    placed.add(e.offset);
    problems.push({ message: describe(e), offset: e.offset, length: e.length });
  }
  if (!tree) {
    if (problems.length === 0) problems.push({ message: 'The file is empty.', offset: 0, length: 0 });
    return new Doc(file, text, undefined, problems);
  }
  const doc = new Doc(file, text, value, problems, tree);
  const duplicates = duplicateKeys(tree);
  if (duplicates.length > 0) doc.duplicates = duplicates;
  return doc;
}
