// Date functions: dateTimeAdd, dateTimeFromEpoch, dateTimeToEpoch, with .NET date format strings (invariant
// culture). utcNow lives in deployment.ts. Times are UTC ticks (100 ns) since the Unix epoch, as bigint.
// https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-date
import type { FnDef } from '../evaluator.js';
import { fail, int, str } from './args.js';

const TICKS_PER_SECOND = 10_000_000n;
const TICKS_PER_DAY = 86_400n * TICKS_PER_SECOND;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp + (mp < 10 ? 3 : -9);
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** .NET DateTime's range: 0001-01-01T00:00:00 to 9999-12-31T23:59:59.9999999. */
const MIN_TICKS = BigInt(daysFromCivil(1, 1, 1)) * TICKS_PER_DAY;
const MAX_TICKS = BigInt(daysFromCivil(10000, 1, 1)) * TICKS_PER_DAY - 1n;

function daysInMonth(year: number, month: number): number {
  return daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1);
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Ticks inside the second, 0 to 9,999,999. */
  fraction: number;
  /** 0 = Sunday. */
  weekday: number;
}

function partsOf(ticks: bigint): Parts {
  let days = ticks / TICKS_PER_DAY;
  let rest = ticks % TICKS_PER_DAY;
  if (rest < 0n) {
    rest += TICKS_PER_DAY;
    days -= 1n;
  }
  const d = Number(days);
  const { year, month, day } = civilFromDays(d);
  const seconds = Number(rest / TICKS_PER_SECOND);
  return {
    year,
    month,
    day,
    hour: Math.floor(seconds / 3600),
    minute: Math.floor(seconds / 60) % 60,
    second: seconds % 60,
    fraction: Number(rest % TICKS_PER_SECOND),
    weekday: (((d + 4) % 7) + 7) % 7,
  };
}

const ISO_EXTENDED = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})[Tt](\d{2})(\d{2})(\d{2})(?:[.,](\d+))?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const INVARIANT = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?)?$/;

/**
 * Parses the date-time forms ARM templates use: ISO 8601 extended ('2020-04-07T14:53:14Z', utcNow('u')'s
 * '2020-04-07 14:53:14Z', an offset or none), ISO 8601 basic (utcNow()'s '20200407T145314Z') and the invariant
 * culture's 'MM/dd/yyyy HH:mm:ss'. A time without zone is UTC. Returns UTC ticks since the epoch, or undefined.
 */
export function parseDateTime(text: string): bigint | undefined {
  let m = ISO_EXTENDED.exec(text) ?? ISO_BASIC.exec(text);
  let year: number, month: number, day: number, hour: number, minute: number, second: number;
  let fraction = '';
  let zone: string | undefined;
  if (m) {
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
    fraction = m[7] ?? '';
    zone = m[8];
  } else {
    m = INVARIANT.exec(text);
    if (!m) return undefined;
    [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
    const ampm = m[7]?.toUpperCase();
    if (ampm !== undefined) {
      if (hour < 1 || hour > 12) return undefined;
      hour = (hour % 12) + (ampm === 'PM' ? 12 : 0);
    }
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || 0);
    if (oh > 14 || om > 59) return undefined;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ticks =
    BigInt(daysFromCivil(year, month, day)) * TICKS_PER_DAY +
    BigInt((hour * 60 + minute - offsetMinutes) * 60 + second) * TICKS_PER_SECOND +
    BigInt((fraction + '0000000').slice(0, 7));
  return ticks < MIN_TICKS || ticks > MAX_TICKS ? undefined : ticks;
}

const DURATION = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:(T)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d+))?S)?)?$/;

/**
 * An ISO 8601 duration in ticks, read as .NET's XmlConvert.ToTimeSpan does: a year is 365 days and a month 30
 * days (Microsoft documents that dateTimeAdd ignores leap years and month lengths), no weeks.
 */
export function parseDuration(text: string): bigint | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const [, minus, y, mo, d, t, h, mi, s, frac] = m;
  if (y === undefined && mo === undefined && d === undefined && t === undefined) return undefined;
  if (t !== undefined && h === undefined && mi === undefined && s === undefined) return undefined;
  const n = (x: string | undefined): bigint => BigInt(x ?? '0');
  const days = n(y) * 365n + n(mo) * 30n + n(d);
  const seconds = (n(h) * 60n + n(mi)) * 60n + n(s);
  const ticks = days * TICKS_PER_DAY + seconds * TICKS_PER_SECOND + BigInt(((frac ?? '') + '0000000').slice(0, 7));
  return minus ? -ticks : ticks;
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The invariant culture's patterns for the standard format specifiers. */
const STANDARD: Readonly<Record<string, string>> = {
  d: 'MM/dd/yyyy',
  D: 'dddd, dd MMMM yyyy',
  f: 'dddd, dd MMMM yyyy HH:mm',
  F: 'dddd, dd MMMM yyyy HH:mm:ss',
  g: 'MM/dd/yyyy HH:mm',
  G: 'MM/dd/yyyy HH:mm:ss',
  m: 'MMMM dd',
  M: 'MMMM dd',
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  r: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  R: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  t: 'HH:mm',
  T: 'HH:mm:ss',
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  U: 'dddd, dd MMMM yyyy HH:mm:ss',
  y: 'yyyy MMMM',
  Y: 'yyyy MMMM',
};

/** The round-trip text Azure returns when no format is given: ISO 8601 UTC, fraction only when non-zero. */
const DEFAULT_FORMAT = "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFK";

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Formats UTC ticks with a .NET standard or custom date and time format string, invariant culture. */
export function formatDateTime(ticks: bigint, format: string, fname: string): string {
  let pattern = format === '' ? STANDARD.G : format;
  if (pattern.length === 1) {
    const std = STANDARD[pattern];
    if (std === undefined) fail(`The template function '${fname}' got '${format}', which is not a valid standard date and time format string.`);
    pattern = std;
  }
  const p = partsOf(ticks);
  let out = '';
  const token = (ch: string, n: number): void => {
    switch (ch) {
      case 'd':
        out += n === 1 ? String(p.day) : n === 2 ? pad(p.day, 2) : n === 3 ? DAY_NAMES[p.weekday].slice(0, 3) : DAY_NAMES[p.weekday];
        break;
      case 'M':
        out += n === 1 ? String(p.month) : n === 2 ? pad(p.month, 2) : n === 3 ? MONTH_NAMES[p.month - 1].slice(0, 3) : MONTH_NAMES[p.month - 1];
        break;
      case 'y':
        out += n === 1 ? String(p.year % 100) : n === 2 ? pad(p.year % 100, 2) : pad(p.year, n);
        break;
      case 'h':
        out += n === 1 ? String(p.hour % 12 || 12) : pad(p.hour % 12 || 12, 2);
        break;
      case 'H':
        out += n === 1 ? String(p.hour) : pad(p.hour, 2);
        break;
      case 'm':
        out += n === 1 ? String(p.minute) : pad(p.minute, 2);
        break;
      case 's':
        out += n === 1 ? String(p.second) : pad(p.second, 2);
        break;
      case 'f':
      case 'F': {
        if (n > 7) fail(`The template function '${fname}' got the format '${format}', which has more than seven '${ch}' specifiers.`);
        let digits = pad(Math.floor(p.fraction / 10 ** (7 - n)), n);
        if (ch === 'F') {
          digits = digits.replace(/0+$/, '');
          // .NET drops the separator before an all-zero 'F' fraction ('ss.FFF' gives '14', not '14.').
          if (digits === '' && out.endsWith('.')) out = out.slice(0, -1);
        }
        out += digits;
        break;
      }
      case 't':
        out += n === 1 ? (p.hour < 12 ? 'A' : 'P') : p.hour < 12 ? 'AM' : 'PM';
        break;
      case 'g':
        out += 'A.D.';
        break;
      case 'z':
        out += n === 1 ? '+0' : n === 2 ? '+00' : '+00:00';
        break;
      case 'K':
        out += 'Z';
        break;
    }
  };
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i];
    if ('dMyhHmsfFtgz'.includes(ch)) {
      let n = 1;
      while (pattern[i + n] === ch) n++;
      token(ch, n);
      i += n;
    } else if (ch === 'K') {
      token(ch, 1);
      i++;
    } else if (ch === "'" || ch === '"') {
      const end = pattern.indexOf(ch, i + 1);
      if (end < 0) fail(`The template function '${fname}' got the format '${format}', which has an unterminated quoted string.`);
      out += pattern.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '\\' || ch === '%') {
      const next = pattern[i + 1];
      if (next === undefined || (ch === '%' && next === '%'))
        fail(`The template function '${fname}' got the format '${format}', which is not a valid custom date and time format string.`);
      if (ch === '\\' || !'dMyhHmsfFtgzK'.includes(next)) out += next;
      else token(next, 1);
      i += 2;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

function baseArg(v: string, fname: string, i: number): bigint {
  const t = parseDateTime(v);
  if (t === undefined)
    fail(`The template function '${fname}' expects argument ${i + 1} to be an ISO 8601 date and time such as '2020-04-07T14:53:14Z', got '${v}'.`);
  return t;
}

export const date: Record<string, FnDef> = {
  datetimeadd: {
    placeholders: 'opaque',
    min: 2,
    max: 3,
    fn: (args, _c, f) => {
      const base = baseArg(str(args[0], f, 0), f, 0);
      const text = str(args[1], f, 1);
      const format = args.length === 3 ? str(args[2], f, 2) : DEFAULT_FORMAT;
      const duration = parseDuration(text);
      if (duration === undefined)
        fail(`The template function '${f}' expects argument 2 to be an ISO 8601 duration such as 'P1D' or '-PT1H', got '${text}'.`);
      const result = base + duration;
      if (result < MIN_TICKS || result > MAX_TICKS) fail(`The template function '${f}' produced a date outside the years 1 to 9999.`);
      return formatDateTime(result, format, f);
    },
  },
  datetimefromepoch: {
    min: 1,
    max: 1,
    fn: ([v], _c, f) => {
      const ticks = BigInt(int(v, f, 0)) * TICKS_PER_SECOND;
      if (ticks < MIN_TICKS || ticks > MAX_TICKS) fail(`The template function '${f}' got ${String(v)} seconds, which is outside the years 1 to 9999.`);
      return formatDateTime(ticks, "yyyy'-'MM'-'dd'T'HH':'mm':'ssK", f);
    },
  },
  datetimetoepoch: {
    min: 1,
    max: 1,
    fn: ([v], _c, f) => {
      const ticks = baseArg(str(v, f, 0), f, 0);
      // Whole seconds, rounded down as DateTimeOffset.ToUnixTimeSeconds does.
      let seconds = ticks / TICKS_PER_SECOND;
      if (ticks % TICKS_PER_SECOND < 0n) seconds -= 1n;
      return Number(seconds);
    },
  },
};
