// Placeholders: values known only at deployment that only name things (a parameter with no value, utcNow(),
// newGuid()). A placeholder is a string that carries its label between two private-use characters, so it flows
// through the string functions that build names and ids (concat, format, resourceId, toLower) and two names built
// the same way from the same placeholders are equal strings: references still link. Everything that would read
// its content (a comparison, a length, a hash) gets an Unknown or a new placeholder instead (evaluator.ts), and
// every output shows it in braces: `{vmName}-nic`. Imports nothing.

/** Opens a placeholder; U+E000 and U+E001 are private-use characters no template writes. */
export const PLACEHOLDER_OPEN = '\uE000';
/** Closes a placeholder. */
export const PLACEHOLDER_CLOSE = '\uE001';
const CLOSE = PLACEHOLDER_CLOSE;
const HEX = /^[0-9a-f]*$/i;

/**
 * The placeholder of a label. The label is written as hexadecimal UTF-16 code units, so toLower() and toUpper()
 * change neither the label nor the placeholder's identity (ARM names compare case-insensitively, hex decodes the same).
 */
export function placeholder(label: string): string {
  let out = encoded.get(label);
  if (out === undefined) {
    out = PLACEHOLDER_OPEN;
    for (let i = 0; i < label.length; i++) out += label.charCodeAt(i).toString(16).padStart(4, '0');
    out += CLOSE;
    // The labels of one run are few (parameter names, a member or call of one); the bound only guards a long run.
    if (encoded.size > 10_000) encoded.clear();
    encoded.set(label, out);
  }
  return out;
}

/** Placeholders by label: the same few are made again wherever a name is built from a labelled value. */
const encoded = new Map<string, string>();

/** True when a string holds a placeholder. */
export function hasPlaceholder(s: string): boolean {
  return s.indexOf(PLACEHOLDER_OPEN) >= 0;
}

/** Labels by their hexadecimal form: a template names things with a few placeholders, shown again and again. */
const decoded = new Map<string, string | null>();

/** The label a placeholder's hexadecimal body spells, or null when it is not one (a cut or altered placeholder). */
function decode(hex: string): string | null {
  let label = decoded.get(hex);
  if (label === undefined) {
    label = hex.length % 4 === 0 && HEX.test(hex) ? '' : null;
    for (let i = 0; label !== null && i < hex.length; i += 4) label += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
    // The labels of one run are few; the bound only guards a run over many templates.
    if (decoded.size > 10_000) decoded.clear();
    decoded.set(hex, label);
  }
  return label;
}

/** The label of the placeholder that starts at `open` and the index after it, or undefined when it is cut short. */
function readPlaceholder(s: string, open: number): { label: string; end: number } | undefined {
  const close = s.indexOf(CLOSE, open + 1);
  if (close < 0) return undefined;
  const label = decode(s.slice(open + 1, close));
  return label === null ? undefined : { label, end: close + 1 };
}

/** The labels of the placeholders in a string, in order. */
export function placeholderLabels(s: string): string[] {
  const out: string[] = [];
  for (let i = s.indexOf(PLACEHOLDER_OPEN); i >= 0; i = s.indexOf(PLACEHOLDER_OPEN, i + 1)) {
    const p = readPlaceholder(s, i);
    if (p) out.push(p.label);
  }
  return out;
}

/** A string as outputs show it: each placeholder as `{label}`. */
export function showPlaceholders(s: string): string {
  let i = s.indexOf(PLACEHOLDER_OPEN);
  if (i < 0) return s;
  let out = '';
  let last = 0;
  for (; i >= 0; i = s.indexOf(PLACEHOLDER_OPEN, i + 1)) {
    const p = readPlaceholder(s, i);
    if (!p) continue;
    out += `${s.slice(last, i)}{${p.label}}`;
    last = p.end;
    i = p.end - 1;
  }
  return out + s.slice(last);
}

/** True when a value holds a placeholder anywhere inside (arrays and objects, keys included), to a bounded depth. */
export function containsPlaceholder(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.indexOf(PLACEHOLDER_OPEN) >= 0;
  if (v === null || typeof v !== 'object' || depth > 64) return false;
  if (Array.isArray(v)) {
    for (const x of v) if (containsPlaceholder(x, depth + 1)) return true;
    return false;
  }
  for (const k in v) {
    if (k.indexOf(PLACEHOLDER_OPEN) >= 0 || containsPlaceholder((v as Record<string, unknown>)[k], depth + 1)) return true;
  }
  return false;
}

/** A value with every placeholder shown as `{label}` (a copy where something changed), for printing. */
export function showPlaceholdersIn<T>(v: T, depth = 0): T {
  if (typeof v === 'string') return showPlaceholders(v) as T;
  if (v === null || typeof v !== 'object' || depth > 256 || !containsPlaceholder(v)) return v;
  if (Array.isArray(v)) return v.map((x) => showPlaceholdersIn(x, depth + 1)) as T;
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto !== null && proto !== Object.prototype && Object.getPrototypeOf(proto) !== null) return v;
  const out = Object.create(proto) as Record<string, unknown>;
  for (const k in v) out[showPlaceholders(k)] = showPlaceholdersIn((v as Record<string, unknown>)[k], depth + 1);
  return out as T;
}
