// String functions of the ARM expression language: base64*, dataUri*, format, guid, uniqueString, join, json,
// padLeft, replace, split, string, substring, toLower/toUpper, trim, uri*. Imports its own folder only.
// Reference: https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-string
import type { CallContext, FnDef } from '../evaluator.js';
import { MAX_VALUE_LENGTH } from '../evaluator.js';
import type { Value } from '../value.js';
import { Lambda, Unknown, findUnknown, newObject, toJsonText, typeName } from '../value.js';
import { arr, fail, int, str } from './args.js';
import { composite, numberText } from './format.js';
import { armGuid, uniqueString } from './hash.js';

const utf8 = new TextEncoder();
// .NET's Encoding.UTF8.GetString keeps a byte order mark and replaces invalid bytes with U+FFFD.
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Strings longer than this are not built by padLeft: asking for one is an error, as range() past 10,000 is. */
const MAX_BUILT_LENGTH = 1_000_000;

// ---------------------------------------------------------------------------------------------------------------
// Conversions

/** The text ARM's string() gives a value: strings as-is, booleans 'True'/'False', null '', the rest compact JSON. */
export function armString(v: Value, fname: string): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  // ARM prints booleans the .NET way (https://github.com/Azure/PSRule.Rules.Azure/issues/793).
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return numberText(v);
  if (v instanceof Lambda) return fail(`The template function '${fname}' cannot convert a lambda to a string.`);
  return toJsonText(v);
}

/** Per-code-point invariant case mapping; mappings that change the length (ß → SS) are skipped, as in .NET. */
function simpleCase(s: string, upper: boolean): string {
  if (/^[\x00-\x7f]*$/.test(s)) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = '';
  for (const ch of s) {
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    out += m.length === ch.length ? m : ch;
  }
  return out;
}

/** .NET's char.IsWhiteSpace set, which String.Trim() removes (JavaScript's trim also removes U+FEFF). */
const DOTNET_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WHITESPACE_CHAR = new RegExp(`[${DOTNET_SPACE}]`);

/**
 * String.Trim() with .NET's whitespace set. A scan from each end, not a regex: `[\s]+$` retries at every space of
 * an inner run ('x' + 40,000 spaces + 'x' took seconds), and the argument is template text.
 */
function dotnetTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && WHITESPACE_CHAR.test(s[start])) start++;
  while (end > start && WHITESPACE_CHAR.test(s[end - 1])) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

// ---------------------------------------------------------------------------------------------------------------
// Base64 and data URIs

/** Convert.FromBase64String: whitespace ignored, length a multiple of 4, at most two '=' at the end. */
function base64Bytes(s: string, fname: string): Uint8Array {
  const t = s.replace(/[ \t\r\n]/g, '');
  if (t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t))
    fail(`The template function '${fname}' got a value that is not a valid Base-64 string.`);
  return Buffer.from(t, 'base64');
}

function percentDecodeBytes(s: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of utf8.encode(s[i])) bytes.push(b);
    }
  }
  return Uint8Array.from(bytes);
}

/** Decodes `data:[<mediatype>][;base64],<data>` (RFC 2397) to text, honouring a charset parameter. */
function dataUriToText(s: string, fname: string): string {
  const comma = s.indexOf(',');
  if (!/^data:/i.test(s) || comma < 0) fail(`The template function '${fname}' got a value that is not a valid data URI.`);
  const meta = s.slice(5, comma).split(';').map((p) => p.trim());
  const payload = s.slice(comma + 1);
  const isBase64 = meta.length > 1 && meta[meta.length - 1].toLowerCase() === 'base64';
  const bytes = isBase64 ? base64Bytes(payload, fname) : percentDecodeBytes(payload);
  const charset = meta.find((p) => /^charset=/i.test(p))?.slice(8);
  let decoder = utf8Decoder;
  if (charset) {
    try {
      decoder = new TextDecoder(charset, { ignoreBOM: true });
    } catch {
      decoder = utf8Decoder;
    }
  }
  return decoder.decode(bytes);
}

// ---------------------------------------------------------------------------------------------------------------
// URIs

/**
 * Uri.EscapeDataString: every byte of the UTF-8 form except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~)
 * is percent-encoded, so unlike encodeURIComponent it also escapes ! ' ( ) *. Lone surrogates become U+FFFD.
 */
function escapeDataString(s: string): string {
  let out = '';
  for (const b of utf8.encode(s)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Length of the valid UTF-8 sequence starting at bytes[i], or 0 when the byte does not start one. */
function utf8SequenceLength(bytes: readonly number[], i: number): number {
  const b = bytes[i];
  const n = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > bytes.length) return 0;
  for (let j = 1; j < n; j++) if ((bytes[i + j] & 0xc0) !== 0x80) return 0;
  if (n === 3 && b === 0xe0 && bytes[i + 1] < 0xa0) return 0;
  if (n === 3 && b === 0xed && bytes[i + 1] >= 0xa0) return 0;
  if (n === 4 && b === 0xf0 && bytes[i + 1] < 0x90) return 0;
  if (n === 4 && b === 0xf4 && bytes[i + 1] >= 0x90) return 0;
  return n;
}

/** Uri.UnescapeDataString: decodes %XX runs that form valid UTF-8 and leaves every other escape as written. */
function unescapeDataString(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    if (s[i] !== '%' || !/^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      out += s[i++];
      continue;
    }
    const bytes: number[] = [];
    const texts: string[] = [];
    while (s[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      texts.push(s.slice(i, i + 3));
      i += 3;
    }
    for (let j = 0; j < bytes.length; ) {
      const n = utf8SequenceLength(bytes, j);
      if (n === 0) {
        out += texts[j++];
      } else {
        out += utf8Decoder.decode(Uint8Array.from(bytes.slice(j, j + n)));
        j += n;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON text as ARM (Newtonsoft.Json) reads it

/** Newtonsoft's default maximum nesting depth. */
const MAX_JSON_DEPTH = 64;

/**
 * Parses JSON text the way Newtonsoft.Json's JToken.Parse does, which ARM's json() and base64ToJson() use: it
 * also accepts single-quoted strings (Learn's base64ToJson example decodes "{'one': 'a', 'two': 'b'}"), unquoted
 * property names, comments and trailing commas. Objects are built with null prototypes.
 */
export function parseArmJson(text: string, fname: string): Value {
  const reader = new ArmJsonReader(text, fname);
  const v = reader.readValue(0);
  reader.skip();
  if (reader.pos < text.length) reader.bad('additional text after the JSON value');
  return v;
}

/**
 * parseArmJson's reader: a class, not closures made per call (V8 keeps a closure's optimised code only while a
 * closure of it is alive, so per-call closures were compiled again and again over a long run).
 */
class ArmJsonReader {
  pos = 0;
  private readonly stack: Value[] = [];
  constructor(
    readonly text: string,
    readonly fname: string,
  ) {}

  bad(what: string): never {
    return fail(`The template function '${this.fname}' got invalid JSON: ${what} at position ${this.pos}.`);
  }

  skip(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\ufeff' || c === '\u00a0') this.pos++;
      else if (c === '/' && this.text[this.pos + 1] === '/') {
        while (this.pos < this.text.length && this.text[this.pos] !== '\n' && this.text[this.pos] !== '\r') this.pos++;
      } else if (c === '/' && this.text[this.pos + 1] === '*') {
        const end = this.text.indexOf('*/', this.pos + 2);
        if (end < 0) this.bad('an unterminated comment');
        this.pos = end + 2;
      } else return;
    }
  }

  readString(quote: string): string {
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) this.bad('an unterminated string');
      const c = this.text[this.pos++];
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.pos++];
      switch (e) {
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case '"':
        case "'":
        case '\\':
        case '/':
          out += e;
          break;
        case 'u': {
          const hex = this.text.slice(this.pos, this.pos + 4);
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) this.bad('a bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 4;
          break;
        }
        default:
          this.bad('a bad escape sequence');
      }
    }
  }

  readWord(): string {
    const m = /^[A-Za-z0-9_$+\-.]+/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m) return '';
    this.pos += m[0].length;
    return m[0];
  }

  readValue(depth: number): Value {
    if (depth > MAX_JSON_DEPTH) this.bad(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    this.skip();
    const c = this.text[this.pos];
    if (c === '"' || c === "'") return this.readString(c);
    if (c === '{') {
      this.pos++;
      const o = newObject();
      for (;;) {
        this.skip();
        if (this.text[this.pos] === '}') {
          this.pos++;
          return o;
        }
        let key: string;
        const q = this.text[this.pos];
        if (q === undefined) this.bad('unexpected end of text');
        if (q === '"' || q === "'") key = this.readString(q);
        else {
          key = this.readWord();
          if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) this.bad('a property name was expected');
        }
        this.skip();
        if (this.text[this.pos] !== ':') this.bad("':' was expected");
        this.pos++;
        o[key] = this.readValue(depth + 1);
        this.skip();
        if (this.text[this.pos] === ',') this.pos++;
        else if (this.text[this.pos] !== '}') this.bad("',' or '}' was expected");
      }
    }
    if (c === '[') {
      this.pos++;
      // The elements go on one shared stack and the array is cut from it at its end: an array grown by push() from
      // empty keeps room for 17 elements, several times what a short array needs (json() of a large text built
      // millions of them).
      const stack = this.stack;
      const base = stack.length;
      for (;;) {
        this.skip();
        if (this.text[this.pos] === ']') {
          this.pos++;
          const a = stack.slice(base);
          stack.length = base;
          return a;
        }
        stack.push(this.readValue(depth + 1));
        this.skip();
        if (this.text[this.pos] === ',') this.pos++;
        else if (this.text[this.pos] !== ']') this.bad("',' or ']' was expected");
      }
    }
    const start = this.pos;
    const w = this.readWord();
    if (w === 'true') return true;
    if (w === 'false') return false;
    if (w === 'null' || w === 'undefined') return null;
    if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(w)) {
      const n = Number(w);
      if (Number.isFinite(n)) return Object.is(n, -0) ? 0 : n;
    }
    this.pos = start;
    return this.bad(this.pos >= this.text.length ? 'unexpected end of text' : `unexpected character '${this.text[this.pos]}'`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// split

/** String.Split(string[], None): at each position the first matching separator wins; no usable separator → whitespace. */
function splitString(s: string, seps: readonly string[]): string[] {
  const useful = seps.filter((x) => x.length > 0);
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < s.length) {
    let len = 0;
    if (useful.length === 0) {
      if (WHITESPACE_CHAR.test(s[i])) len = 1;
    } else {
      for (const sep of useful) {
        if (s.startsWith(sep, i)) {
          len = sep.length;
          break;
        }
      }
    }
    if (len > 0) {
      out.push(s.slice(start, i));
      i += len;
      start = i;
    } else i++;
  }
  out.push(s.slice(start));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

function strings(args: readonly Value[], fname: string): string[] {
  return args.map((a, i) => str(a, fname, i));
}

function substringError(fname: string, index: number, length: number | undefined, total: number): never {
  const lengthPart = length === undefined ? '' : ` the length parameter: '${length}',`;
  return fail(
    `The template function '${fname}' failed: the index and length parameters must refer to a location within the string. The index parameter: '${index}',${lengthPart} the length of the string parameter: '${total}'.`,
  );
}

/** `text`, after charging the budget one unit per character: what json() parses it into is as large. */
function charged(c: CallContext, text: string, fname: string): string {
  c.budget.charge(text.length, fname);
  return text;
}

function uriOf(base: string, relative: string, fname: string): string {
  try {
    return new URL(relative, new URL(base)).href;
  } catch {
    return fail(`The template function '${fname}' could not combine '${base}' and '${relative}' into an absolute URI.`);
  }
}

export const string: Record<string, FnDef> = {
  base64: { placeholders: 'opaque', min: 1, max: 1, fn: ([v], _c, n) => Buffer.from(utf8.encode(str(v, n, 0))).toString('base64') },
  base64tostring: { placeholders: 'opaque', min: 1, max: 1, fn: ([v], _c, n) => utf8Decoder.decode(base64Bytes(str(v, n, 0), n)) },
  base64tojson: {
    min: 1,
    max: 1,
    fn: ([v], c, n) => parseArmJson(charged(c, utf8Decoder.decode(base64Bytes(str(v, n, 0), n)), n), n),
  },
  // Learn: dataUri('Hello') is 'data:text/plain;charset=utf8;base64,SGVsbG8='.
  datauri: {
    placeholders: 'opaque',
    min: 1,
    max: 1,
    fn: ([v], _c, n) => `data:text/plain;charset=utf8;base64,${Buffer.from(utf8.encode(str(v, n, 0))).toString('base64')}`,
  },
  datauritostring: { placeholders: 'opaque', min: 1, max: 1, fn: ([v], _c, n) => dataUriToText(str(v, n, 0), n) },
  // startsWith/endsWith ignore case (ordinal, invariant upper case), per Learn.
  startswith: {
    min: 2,
    max: 2,
    fn: ([a, b], _c, n) => simpleCase(str(a, n, 0), true).startsWith(simpleCase(str(b, n, 1), true)),
  },
  endswith: {
    min: 2,
    max: 2,
    fn: ([a, b], _c, n) => simpleCase(str(a, n, 0), true).endsWith(simpleCase(str(b, n, 1), true)),
  },
  format: {
    walks: true,
    placeholders: 'build',
    min: 1,
    max: Infinity,
    unknownAware: true,
    fn: (args, _c, n) => {
      const f = args[0];
      if (f instanceof Unknown) return new Unknown(f.cause, f.origin);
      return composite(n, str(f, n, 0), args.slice(1));
    },
  },
  guid: { placeholders: 'opaque', min: 1, max: Infinity, fn: (args, _c, n) => armGuid(strings(args, n)) },
  uniquestring: { placeholders: 'opaque', min: 1, max: Infinity, fn: (args, _c, n) => uniqueString(strings(args, n)) },
  join: {
    walks: true,
    min: 2,
    max: 2,
    fn: ([a, d], _c, n) => {
      const items = arr(a, n, 0);
      const delimiter = str(d, n, 1);
      const u = findUnknown(items);
      if (u) return new Unknown(u.cause, u.origin);
      return items.map((x) => armString(x, n)).join(delimiter);
    },
  },
  // Parsing builds up to one value per two characters, each a heap object: one unit per character, before it starts.
  json: { min: 1, max: 1, fn: ([v], c, n) => parseArmJson(charged(c, str(v, n, 0), n), n) },
  padleft: {
    placeholders: 'opaque',
    min: 2,
    max: 3,
    fn: ([v, total, pad], _c, n) => {
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v)))
        fail(`The template function '${n}' expects argument 1 to be a String or an Integer, got ${typeName(v)}.`);
      const text = String(v);
      const width = int(total, n, 1);
      const padChar = pad === undefined ? ' ' : str(pad, n, 2);
      if (padChar.length !== 1) fail(`The template function '${n}' expects the padding character to be a single character.`);
      if (width < 0) fail(`The template function '${n}' expects a total length of zero or more, got ${width}.`);
      if (width > MAX_BUILT_LENGTH) fail(`The template function '${n}' expects a total length of at most ${MAX_BUILT_LENGTH}, got ${width}.`);
      return text.padStart(width, padChar);
    },
  },
  // Case-sensitive ordinal replacement of every occurrence, like .NET String.Replace.
  replace: {
    placeholders: 'opaque',
    min: 3,
    max: 3,
    fn: ([s, from, to], _c, n) => {
      const [text, oldValue, newValue] = strings([s, from, to], n);
      if (oldValue === '') fail(`The template function '${n}' cannot replace an empty string.`);
      const parts = text.split(oldValue);
      // Checked before joining: past V8's string limit join() throws a RangeError, which is not a template error.
      if (text.length + (parts.length - 1) * (newValue.length - oldValue.length) > MAX_VALUE_LENGTH)
        fail(`The result of '${n}' is longer than ${MAX_VALUE_LENGTH} characters; evaluation stopped.`);
      return parts.join(newValue);
    },
  },
  split: {
    walks: true,
    min: 2,
    max: 2,
    fn: ([s, d], _c, n) => {
      const text = str(s, n, 0);
      if (typeof d === 'string') return splitString(text, [d]);
      if (!Array.isArray(d))
        fail(`The template function '${n}' expects argument 2 to be a String or an Array of strings, got ${typeName(d)}.`);
      const u = findUnknown(d);
      if (u) return new Unknown(u.cause, u.origin);
      return splitString(text, (d as readonly Value[]).map((x) => str(x, n, 1)));
    },
  },
  string: {
    walks: true,
    placeholders: 'build',
    min: 1,
    max: 1,
    fn: ([v], _c, n) => {
      const u = findUnknown(v);
      if (u) return new Unknown(u.cause, u.origin);
      return armString(v, n);
    },
  },
  substring: {
    placeholders: 'opaque',
    min: 1,
    max: 3,
    fn: ([s, start, length], _c, n) => {
      const text = str(s, n, 0);
      const from = start === undefined ? 0 : int(start, n, 1);
      if (length === undefined) {
        if (from < 0 || from > text.length) substringError(n, from, undefined, text.length);
        return text.slice(from);
      }
      const count = int(length, n, 2);
      if (from < 0 || count < 0 || from + count > text.length) substringError(n, from, count, text.length);
      return text.slice(from, from + count);
    },
  },
  tolower: { placeholders: 'build', min: 1, max: 1, fn: ([v], _c, n) => simpleCase(str(v, n, 0), false) },
  toupper: { placeholders: 'build', min: 1, max: 1, fn: ([v], _c, n) => simpleCase(str(v, n, 0), true) },
  trim: { placeholders: 'opaque', min: 1, max: 1, fn: ([v], _c, n) => dotnetTrim(str(v, n, 0)) },
  // RFC 3986 §5 reference resolution, which Learn's uri() examples follow (a base without a trailing slash loses
  // its last segment).
  uri: { placeholders: 'opaque', min: 2, max: 2, fn: ([b, r], _c, n) => uriOf(str(b, n, 0), str(r, n, 1), n) },
  uricomponent: { placeholders: 'opaque', min: 1, max: 1, fn: ([v], _c, n) => escapeDataString(str(v, n, 0)) },
  uricomponenttostring: { placeholders: 'opaque', min: 1, max: 1, fn: ([v], _c, n) => unescapeDataString(str(v, n, 0)) },
};
