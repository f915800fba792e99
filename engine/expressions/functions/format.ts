// .NET composite formatting for ARM format(): `{index[,alignment][:formatString]}` items and the invariant-culture
// standard and custom numeric format strings. Imports only the value module (and the evaluator's value cap);
// throws ExpressionError.
//
// ARM's format() "uses the same formatting options as the System.String.Format method in .NET"
// (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-string#format), with
// the invariant culture: group separator ',', decimal point '.', currency sign '¤', percent pattern "n %".
// Floats follow .NET Core (shortest round-trip digits, scientific from 1E+15); ARM floats only come from json().
import type { Value } from '../value.js';
import { MAX_VALUE_LENGTH } from '../evaluator.js';
import { ExpressionError, Lambda, Unknown, findUnknown, toJsonText } from '../value.js';

/** One piece of a parsed composite format string. */
export type Segment = string | { readonly index: number; readonly align: number; readonly spec: string | undefined };

const BAD_FORMAT = 'Input string was not in a correct format.';
const BAD_INDEX = 'Index (zero based) must be greater than or equal to zero and less than the size of the argument list.';
const BAD_SPECIFIER = 'Format specifier was invalid.';
/** .NET rejects an index or alignment of a million or more. */
const ITEM_LIMIT = 1_000_000;

class FormatFailure extends Error {}

function failFormat(message: string): never {
  throw new FormatFailure(message);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Parses a composite format string as .NET's String.Format does; `argCount` bounds the indexes. */
export function parseComposite(fmt: string, argCount: number): Segment[] {
  const out: Segment[] = [];
  let text = '';
  let pos = 0;
  const len = fmt.length;
  while (pos < len) {
    const ch = fmt[pos++];
    if (ch === '}') {
      if (fmt[pos] === '}') {
        text += '}';
        pos++;
        continue;
      }
      failFormat(BAD_FORMAT);
    }
    if (ch !== '{') {
      text += ch;
      continue;
    }
    if (fmt[pos] === '{') {
      text += '{';
      pos++;
      continue;
    }
    if (!isDigit(fmt[pos])) failFormat(BAD_FORMAT);
    let index = 0;
    while (isDigit(fmt[pos])) {
      index = index * 10 + (fmt.charCodeAt(pos++) - 48);
      if (index >= ITEM_LIMIT) failFormat(BAD_FORMAT);
    }
    while (fmt[pos] === ' ') pos++;
    let align = 0;
    if (fmt[pos] === ',') {
      pos++;
      while (fmt[pos] === ' ') pos++;
      let left = false;
      if (fmt[pos] === '-') {
        left = true;
        pos++;
      }
      if (!isDigit(fmt[pos])) failFormat(BAD_FORMAT);
      while (isDigit(fmt[pos])) {
        align = align * 10 + (fmt.charCodeAt(pos++) - 48);
        if (align >= ITEM_LIMIT) failFormat(BAD_FORMAT);
      }
      if (left) align = -align;
    }
    while (fmt[pos] === ' ') pos++;
    if (index >= argCount) failFormat(BAD_INDEX);
    let spec: string | undefined;
    if (fmt[pos] === ':') {
      pos++;
      const start = pos;
      while (pos < len && fmt[pos] !== '}') {
        if (fmt[pos] === '{') failFormat(BAD_FORMAT);
        pos++;
      }
      spec = fmt.slice(start, pos);
    }
    if (fmt[pos] !== '}') failFormat(BAD_FORMAT);
    pos++;
    if (text) out.push(text);
    text = '';
    out.push({ index, align, spec });
  }
  if (text) out.push(text);
  return out;
}

/**
 * Formats `args` into `fmt`. Returns the first Unknown among the arguments the format string uses (unused
 * unknown arguments do not matter). Throws ExpressionError naming `fname` on a bad format string.
 */
export function composite(fname: string, fmt: string, args: readonly Value[]): string | Unknown {
  try {
    const segments = parseComposite(fmt, args.length);
    for (const s of segments) {
      if (typeof s === 'string') continue;
      const u = findUnknown(args[s.index]);
      if (u) return new Unknown(u.cause, u.origin);
    }
    let out = '';
    for (const s of segments) {
      if (typeof s === 'string') {
        out += s;
        continue;
      }
      const v = formatItem(args[s.index], s.spec, fname);
      out += s.align >= 0 ? v.padStart(s.align) : v.padEnd(-s.align);
    }
    return out;
  } catch (e) {
    if (e instanceof FormatFailure) throw new ExpressionError(`The template function '${fname}' failed: ${e.message}`);
    throw e;
  }
}

/** One argument as String.Format prints it: only numbers honour the format string. */
function formatItem(v: Value, spec: string | undefined, fname: string): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return formatNumber(v, spec ?? '');
  if (v instanceof Lambda) throw new ExpressionError(`The template function '${fname}' cannot format a lambda.`);
  return toJsonText(v);
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers

/** ARM integers are .NET Int64; anything else is a Double. */
function isLong(x: number): boolean {
  return Number.isInteger(x) && Math.abs(x) < 2 ** 63;
}

/** A number as .NET prints it with no format string: Int64 digits, or a Double's shortest round-trip form. */
export function numberText(x: number): string {
  return formatNumber(x, '');
}

/** Formats a number with a .NET format string (invariant culture). Throws FormatFailure on a bad specifier. */
function formatNumber(x: number, spec: string): string {
  if (Object.is(x, -0)) x = 0;
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  if (spec === '') return defaultText(x);
  const m = /^([A-Za-z])(\d{0,9})$/.exec(spec);
  if (!m) return customFormat(x, spec);
  const letter = m[1];
  const precision = m[2] === '' ? -1 : Number(m[2]);
  // .NET accepts precisions up to 999,999,999; past the evaluator's value cap the digits would not fit a string.
  if (precision > MAX_VALUE_LENGTH) throw new ExpressionError(`The format '${spec}' asks for ${precision} digits, more than the ${MAX_VALUE_LENGTH} a value may hold; evaluation stopped.`);
  return standardFormat(x, letter, precision);
}

function defaultText(x: number): string {
  if (isLong(x)) return BigInt(x).toString();
  return generalShortest(x, 'E');
}

/** The exact digits of |x| rounded to `frac` decimals (ties away from zero). */
function fixedParts(abs: number, frac: number): [string, string] {
  if (abs >= 1e21) return [BigInt(abs).toString(), '0'.repeat(frac)];
  const s = abs.toFixed(Math.min(frac, 100));
  const [i, f = ''] = s.split('.');
  return [i, f.padEnd(frac, '0')];
}

/** |x| rounded to `sig` significant digits: the digit string and the decimal exponent of the first digit. */
function sigParts(abs: number, sig: number): [string, number] {
  if (abs === 0) return ['0'.repeat(sig), 0];
  const s = abs.toExponential(Math.min(sig, 101) - 1);
  const [mant, exp] = s.split('e');
  return [mant.replace('.', '').padEnd(sig, '0'), Number(exp)];
}

/** Shortest round-trip digits of |x| (no trailing zeros) and the exponent of the first digit. */
function shortestParts(abs: number): [string, number] {
  if (abs === 0) return ['0', 0];
  const [mant, exp] = abs.toExponential().split('e');
  return [mant.replace('.', ''), Number(exp)];
}

function group(intDigits: string): string {
  let out = '';
  for (let i = 0; i < intDigits.length; i++) {
    if (i > 0 && (intDigits.length - i) % 3 === 0) out += ',';
    out += intDigits[i];
  }
  return out;
}

function exponentText(exp: number, e: string, minDigits: number, plus: boolean): string {
  const sign = exp < 0 ? '-' : plus ? '+' : '';
  return e + sign + String(Math.abs(exp)).padStart(minDigits, '0');
}

/** .NET 'G' layout of rounded digits: fixed unless the exponent is ≥ maxDigits or below -4. */
function generalLayout(digits: string, exp: number, maxDigits: number, e: string): string {
  digits = digits.replace(/0+$/, '') || '0';
  if (digits === '0') return '0';
  const digPos = exp + 1;
  if (digPos > maxDigits || digPos < -3) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return mant + exponentText(exp, e, 2, true);
  }
  if (digPos <= 0) return `0.${'0'.repeat(-digPos)}${digits}`;
  if (digPos >= digits.length) return digits + '0'.repeat(digPos - digits.length);
  return `${digits.slice(0, digPos)}.${digits.slice(digPos)}`;
}

function generalShortest(x: number, e: string): string {
  const [digits, exp] = shortestParts(Math.abs(x));
  const body = generalLayout(digits, exp, Math.max(digits.length, 15), e);
  return x < 0 ? `-${body}` : body;
}

function standardFormat(x: number, letter: string, precision: number): string {
  const abs = Math.abs(x);
  const neg = x < 0;
  const upper = letter.toUpperCase();
  switch (upper) {
    case 'D': {
      if (!isLong(x)) failFormat(BAD_SPECIFIER);
      const d = BigInt(abs).toString().padStart(Math.max(precision, 0), '0');
      return neg ? `-${d}` : d;
    }
    case 'X': {
      if (!isLong(x)) failFormat(BAD_SPECIFIER);
      let h = BigInt.asUintN(64, BigInt(x)).toString(16);
      if (letter === 'X') h = h.toUpperCase();
      return h.padStart(Math.max(precision, 0), '0');
    }
    case 'F':
    case 'N': {
      const p = precision < 0 ? 2 : precision;
      const [i, f] = fixedParts(abs, p);
      const body = (upper === 'N' ? group(i) : i) + (p > 0 ? `.${f}` : '');
      return neg ? `-${body}` : body;
    }
    case 'C': {
      const p = precision < 0 ? 2 : precision;
      const [i, f] = fixedParts(abs, p);
      const body = `¤${group(i)}${p > 0 ? `.${f}` : ''}`;
      return neg ? `(${body})` : body;
    }
    case 'P': {
      // Rounding |x| to p+2 decimals and moving the point is exact, unlike multiplying by 100 in binary.
      const p = precision < 0 ? 2 : precision;
      const [i, f] = fixedParts(abs, p + 2);
      const intDigits = (i + f.slice(0, 2)).replace(/^0+(?=\d)/, '');
      const body = `${group(intDigits)}${p > 0 ? `.${f.slice(2)}` : ''} %`;
      return neg ? `-${body}` : body;
    }
    case 'E': {
      const p = precision < 0 ? 6 : precision;
      const [digits, exp] = sigParts(abs, p + 1);
      const mant = p > 0 ? `${digits[0]}.${digits.slice(1)}` : digits[0];
      const body = mant + exponentText(abs === 0 ? 0 : exp, letter, 3, true);
      return neg ? `-${body}` : body;
    }
    case 'G': {
      const e = letter === 'g' ? 'e' : 'E';
      if (precision <= 0) return isLong(x) ? BigInt(x).toString() : generalShortest(x, e);
      const [digits, exp] = sigParts(abs, precision);
      const body = generalLayout(digits, exp, precision, e);
      return neg && body !== '0' ? `-${body}` : body;
    }
    case 'R':
      if (isLong(x)) failFormat(BAD_SPECIFIER);
      return generalShortest(x, 'E');
    default:
      return failFormat(BAD_SPECIFIER);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Custom numeric format strings ("#,0.00", "0000", "0.0E+0", "#,##0.00;(#,##0.00);zero"), after .NET's
// NumberToStringFormat.

interface DigitNumber {
  /** Significant digits, no trailing zeros; '' for zero. The value is 0.DIGITS × 10^scale. */
  digits: string;
  scale: number;
  negative: boolean;
}

function toDigitNumber(x: number): DigitNumber {
  const negative = x < 0;
  const abs = Math.abs(x);
  if (abs === 0) return { digits: '', scale: 0, negative: false };
  if (isLong(x)) {
    const d = BigInt(abs).toString();
    return { digits: d.replace(/0+$/, ''), scale: d.length, negative };
  }
  // .NET formats a double with a custom format from its 15 most significant digits.
  const [d, exp] = sigParts(abs, 15);
  const digits = d.replace(/0+$/, '');
  return { digits, scale: exp + 1, negative };
}

/** Keeps `pos` significant digits, rounding half away from zero as .NET's RoundNumber does. */
function roundNumber(n: DigitNumber, pos: number): void {
  let d = n.digits;
  if (pos < d.length) {
    const up = pos >= 0 && d.charCodeAt(pos) >= 53;
    d = pos > 0 ? d.slice(0, pos) : '';
    if (up) {
      let i = d.length;
      while (i > 0 && d[i - 1] === '9') i--;
      if (i > 0) d = d.slice(0, i - 1) + String.fromCharCode(d.charCodeAt(i - 1) + 1);
      else {
        d = '1';
        n.scale++;
      }
    }
    d = d.replace(/0+$/, '');
  }
  n.digits = d;
  if (d === '') n.scale = 0;
}

/** Start of the section'th ';'-separated section, or 0 when that section is missing or empty. */
function findSection(fmt: string, section: number): number {
  if (section === 0) return 0;
  let src = 0;
  for (;;) {
    if (src >= fmt.length) return 0;
    const ch = fmt[src++];
    if (ch === "'" || ch === '"') {
      while (src < fmt.length && fmt[src++] !== ch);
    } else if (ch === '\\') {
      src++;
    } else if (ch === ';') {
      if (--section !== 0) continue;
      if (src < fmt.length && fmt[src] !== ';') return src;
      return 0;
    }
  }
}

function customFormat(x: number, fmt: string): string {
  const n = toDigitNumber(x);
  let section = findSection(fmt, n.digits === '' ? 2 : n.negative ? 1 : 0);
  for (;;) {
    let digitCount = 0;
    let decimalPos = -1;
    let firstDigit = 0x7fffffff;
    let lastDigit = 0;
    let scientific = false;
    let thousandPos = -1;
    let thousandCount = 0;
    let thousandSeps = false;
    let scaleAdjust = 0;
    let src = section;
    let ch: string | undefined;
    while (src < fmt.length && (ch = fmt[src++]) !== ';') {
      switch (ch) {
        case '#':
          digitCount++;
          break;
        case '0':
          if (firstDigit === 0x7fffffff) firstDigit = digitCount;
          digitCount++;
          lastDigit = digitCount;
          break;
        case '.':
          if (decimalPos < 0) decimalPos = digitCount;
          break;
        case ',':
          if (digitCount > 0 && decimalPos < 0) {
            if (thousandPos >= 0) {
              if (thousandPos === digitCount) {
                thousandCount++;
                break;
              }
              thousandSeps = true;
            }
            thousandPos = digitCount;
            thousandCount = 1;
          }
          break;
        case '%':
          scaleAdjust += 2;
          break;
        case '\u2030':
          scaleAdjust += 3;
          break;
        case "'":
        case '"':
          while (src < fmt.length && fmt[src++] !== ch);
          break;
        case '\\':
          if (src < fmt.length) src++;
          break;
        case 'E':
        case 'e':
          if (fmt[src] === '0' || ((fmt[src] === '+' || fmt[src] === '-') && fmt[src + 1] === '0')) {
            while (++src < fmt.length && fmt[src] === '0');
            scientific = true;
          }
          break;
      }
    }
    if (decimalPos < 0) decimalPos = digitCount;
    if (thousandPos >= 0) {
      if (thousandPos === decimalPos) scaleAdjust -= thousandCount * 3;
      else thousandSeps = true;
    }
    if (n.digits !== '') {
      n.scale += scaleAdjust;
      roundNumber(n, scientific ? digitCount : n.scale + digitCount - decimalPos);
      if (n.digits === '') {
        // An Int64 that rounds to zero loses its sign; a Double keeps it ("-0.00"), as in .NET Core.
        if (isLong(x)) n.negative = false;
        const zero = findSection(fmt, 2);
        if (zero !== section) {
          section = zero;
          continue;
        }
      }
    }
    return renderSection(fmt, section, n, {
      digitCount,
      decimalPos,
      firstDigit,
      lastDigit,
      scientific,
      thousandSeps,
    });
  }
}

interface SectionShape {
  digitCount: number;
  decimalPos: number;
  firstDigit: number;
  lastDigit: number;
  scientific: boolean;
  thousandSeps: boolean;
}

function renderSection(fmt: string, section: number, n: DigitNumber, shape: SectionShape): string {
  const { digitCount, decimalPos, thousandSeps } = shape;
  let { scientific } = shape;
  const firstDigit = shape.firstDigit < decimalPos ? decimalPos - shape.firstDigit : 0;
  const lastDigit = shape.lastDigit > decimalPos ? decimalPos - shape.lastDigit : 0;
  let digPos: number;
  let adjust: number;
  if (scientific) {
    digPos = decimalPos;
    adjust = 0;
  } else {
    digPos = n.scale > decimalPos ? n.scale : decimalPos;
    adjust = n.scale - decimalPos;
  }
  // Positions (digits left of the point) after which a group separator goes: 3, 6, 9, …
  const sepPos: number[] = [];
  if (thousandSeps) {
    const totalDigits = digPos + (adjust < 0 ? adjust : 0);
    const numDigits = firstDigit > totalDigits ? firstDigit : totalDigits;
    for (let g = 3; numDigits > g; g += 3) sepPos.push(g);
  }
  let sepIdx = sepPos.length - 1;
  let di = 0;
  const nextDigit = (): string | undefined => (di < n.digits.length ? n.digits[di++] : undefined);
  let out = '';
  const groupAfter = (): void => {
    if (thousandSeps && digPos > 1 && sepIdx >= 0 && digPos === sepPos[sepIdx] + 1) {
      out += ',';
      sepIdx--;
    }
  };
  let decimalWritten = false;
  let src = section;
  while (src < fmt.length) {
    const ch = fmt[src++];
    if (ch === ';') break;
    if (adjust > 0 && (ch === '#' || ch === '0' || ch === '.')) {
      while (adjust > 0) {
        out += nextDigit() ?? '0';
        groupAfter();
        digPos--;
        adjust--;
      }
    }
    switch (ch) {
      case '#':
      case '0': {
        let c: string | undefined;
        if (adjust < 0) {
          adjust++;
          c = digPos <= firstDigit ? '0' : undefined;
        } else {
          c = nextDigit() ?? (digPos > lastDigit ? '0' : undefined);
        }
        if (c !== undefined) {
          out += c;
          groupAfter();
        }
        digPos--;
        break;
      }
      case '.':
        if (digPos !== 0 || decimalWritten) break;
        if (lastDigit < 0 || (decimalPos < digitCount && di < n.digits.length)) {
          out += '.';
          decimalWritten = true;
        }
        break;
      case '\u2030':
      case '%':
        out += ch;
        break;
      case ',':
        break;
      case "'":
      case '"':
        while (src < fmt.length && fmt[src] !== ch) out += fmt[src++];
        if (src < fmt.length) src++;
        break;
      case '\\':
        if (src < fmt.length) out += fmt[src++];
        break;
      case 'E':
      case 'e': {
        if (scientific) {
          let plus = false;
          let zeros = 0;
          if (fmt[src] === '0') zeros++;
          else if (fmt[src] === '+' && fmt[src + 1] === '0') plus = true;
          else if (fmt[src] === '-' && fmt[src + 1] === '0') {
            /* '-' prints a sign for negative exponents only */
          } else {
            out += ch;
            break;
          }
          while (++src < fmt.length && fmt[src] === '0') zeros++;
          const exp = n.digits === '' ? 0 : n.scale - decimalPos;
          out += exponentText(exp, ch, Math.min(zeros, 10), plus);
          scientific = false;
        } else {
          out += ch;
          if (fmt[src] === '+' || fmt[src] === '-') out += fmt[src++];
          while (src < fmt.length && fmt[src] === '0') out += fmt[src++];
        }
        break;
      }
      default:
        out += ch;
    }
  }
  if (n.negative && section === 0 && out.length > 0) out = `-${out}`;
  return out;
}
