// Which inventory entry (a resource already deployed, read by engine/inventory/) is the deployed instance of a
// resource the templates declare. By id, case-insensitively, as ARM compares ids. Where the template's id holds a
// value known only at deployment (a placeholder, egress-model.md "Values known only at deployment") or the stand-in
// scope (no subscription or resource group given), by pattern: such a part matches any text within one id segment,
// the same placeholder the same text, and across every resource of one template one text per placeholder (one
// deployment has one value per parameter). When more than one entry still fits, or the entries that fit give one
// placeholder two values, or the name is nothing but placeholders, there is no match: never a guess. Imports expressions/ and resources/ only.
import type { SourceResource } from '../resources/types.js';
import type { ResourceLookup } from '../resources/lookup.js';
import { nameKey } from '../resources/lookup.js';
import { PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN, showPlaceholders } from '../expressions/placeholder.js';

/** The parts of the deployment scope that were not given, as the stand-in values ids were built with (lower case). */
export interface StandInScope {
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
}

/** How a template resource was matched to the inventory. */
export type InventoryMatch =
  | { readonly kind: 'id'; readonly entry: SourceResource }
  /**
   * Matched by pattern: the value each placeholder (shown as `{label}`) took; `narrowed` when other entries fit too and
   * only this one agrees with the values the template's other resources fix.
   */
  | { readonly kind: 'pattern'; readonly entry: SourceResource; readonly values: readonly (readonly [string, string])[]; readonly narrowed: boolean }
  | { readonly kind: 'ambiguous'; readonly entries: readonly SourceResource[] }
  /** The entries that fit give placeholders (shown as `{label}`) different values in different resources of the template. */
  | { readonly kind: 'inconsistent'; readonly conflicts: readonly { readonly label: string; readonly values: readonly string[] }[] }
  | { readonly kind: 'none' };

const SUBSCRIPTION = 'subscriptions';
const RESOURCE_GROUP = 'resourcegroups';
/** Labels for the stand-in scope: never the text of a placeholder (those start with PLACEHOLDER_OPEN). */
export const SUBSCRIPTION_LABEL = '{subscriptionId}';
export const RESOURCE_GROUP_LABEL = '{resourceGroup}';

/** A template id as a pattern: a regular expression over lower-case ids and the label of each capture group. */
interface Pattern {
  readonly regex: RegExp;
  readonly labels: readonly string[];
}

interface Candidate {
  readonly entry: SourceResource;
  /** Value by label. */
  readonly values: ReadonlyMap<string, string>;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The capture group of a label: a new group the first time, the same text (a back-reference) after. */
function groupFor(label: string, cls: string, labels: string[]): string {
  const i = labels.indexOf(label);
  if (i >= 0) return `(?:\\${i + 1})`;
  labels.push(label);
  return `(${cls})`;
}

/** The pattern of a lower-case template id, or undefined when nothing in it is open (an exact id). */
export function patternOf(key: string, standIns: StandInScope): Pattern | undefined {
  const segments = key.split('/');
  const labels: string[] = [];
  let source = '^';
  for (let i = 0; i < segments.length; i++) {
    if (i > 0) source += '/';
    const seg = segments[i];
    if (i === 2 && segments[1] === SUBSCRIPTION && standIns.subscriptionId !== undefined && seg === standIns.subscriptionId) {
      source += groupFor(SUBSCRIPTION_LABEL, '[^/]+', labels);
      continue;
    }
    if (i === 4 && segments[3] === RESOURCE_GROUP && standIns.resourceGroup !== undefined && seg === standIns.resourceGroup) {
      source += groupFor(RESOURCE_GROUP_LABEL, '[^/]+', labels);
      continue;
    }
    let from = 0;
    for (let open = seg.indexOf(PLACEHOLDER_OPEN); open >= 0; open = seg.indexOf(PLACEHOLDER_OPEN, from)) {
      const close = seg.indexOf(PLACEHOLDER_CLOSE, open + 1);
      if (close < 0) break;
      source += escape(seg.slice(from, open)) + groupFor(seg.slice(open, close + 1), '[^/]*', labels);
      from = close + 1;
    }
    source += escape(seg.slice(from));
  }
  return labels.length > 0 ? { regex: new RegExp(`${source}$`), labels } : undefined;
}

/** True when an id segment has text outside its placeholders. */
function hasLiteralText(segment: string): boolean {
  let from = 0;
  for (let open = segment.indexOf(PLACEHOLDER_OPEN); open >= 0; open = segment.indexOf(PLACEHOLDER_OPEN, from)) {
    if (open > from) return true;
    const close = segment.indexOf(PLACEHOLDER_CLOSE, open + 1);
    if (close < 0) return true;
    from = close + 1;
  }
  return from < segment.length;
}

/** A label as messages show it: `{vmName}`. */
function shownLabel(label: string): string {
  return label.startsWith(PLACEHOLDER_OPEN) ? showPlaceholders(label) : label;
}

function candidatesOf(p: Pattern, entries: readonly SourceResource[]): Candidate[] {
  const out: Candidate[] = [];
  for (const entry of entries) {
    const m = p.regex.exec(entry.key);
    if (!m) continue;
    const values = new Map<string, string>();
    for (let i = 0; i < p.labels.length; i++) values.set(p.labels[i], m[i + 1]);
    out.push({ entry, values });
  }
  return out;
}

/** True when a candidate gives no label another value than `fixed` holds (a label fixed to two values fixes nothing). */
function agrees(c: Candidate, fixed: ReadonlyMap<string, Set<string>>): boolean {
  for (const [label, value] of c.values) {
    const known = fixed.get(label);
    if (known && known.size === 1 && !known.has(value)) return false;
  }
  return true;
}

/** The values each label takes in the targets that have exactly one candidate. */
function fixedValues(all: readonly (Candidate[] | undefined)[]): Map<string, Set<string>> {
  const fixed = new Map<string, Set<string>>();
  for (const cs of all) {
    if (!cs || cs.length !== 1) continue;
    for (const [label, value] of cs[0].values) {
      const set = fixed.get(label);
      if (set) set.add(value);
      else fixed.set(label, new Set([value]));
    }
  }
  return fixed;
}

/**
 * Matches each template resource (by its lower-case key and type) to the inventory. `inventory` holds every entry
 * read, including those the templates deploy themselves (which the graph leaves out): only their addresses are wanted.
 */
export function matchInventory(targets: readonly { readonly key: string; readonly type: string }[], inventory: ResourceLookup, standIns: StandInScope): InventoryMatch[] {
  const out: InventoryMatch[] = [];
  const open: (Candidate[] | undefined)[] = [];
  const narrowed = new Set<number>();
  for (const t of targets) {
    const p = patternOf(t.key, standIns);
    if (!p) {
      const entry = inventory.byKey.get(t.key);
      out.push(entry && entry.type.toLowerCase() === t.type.toLowerCase() ? { kind: 'id', entry } : { kind: 'none' });
      open.push(undefined);
      continue;
    }
    out.push({ kind: 'none' });
    const name = t.key.slice(t.key.lastIndexOf('/') + 1);
    // A name that is nothing but placeholders (`{pipName}`) says nothing of which entry it is: any public IP of the
    // resource group would fit, and an inventory of another deployment would give its address. No match.
    if (!hasLiteralText(name)) {
      open.push(undefined);
      continue;
    }
    // A name without a placeholder (only the scope is open) is looked up, not scanned for.
    const pool = name.includes(PLACEHOLDER_OPEN) ? inventory.byType.get(t.type.toLowerCase()) : inventory.byName.get(nameKey(t.type, t.key));
    open.push(candidatesOf(p, pool ?? []));
  }
  // Narrow the ambiguous ones by the values the unambiguous ones fix, until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    const fixed = fixedValues(open);
    for (let i = 0; i < open.length; i++) {
      const cs = open[i];
      if (!cs || cs.length < 2) continue;
      const kept: Candidate[] = [];
      for (const c of cs) if (agrees(c, fixed)) kept.push(c);
      if (kept.length > 0 && kept.length < cs.length) {
        open[i] = kept;
        narrowed.add(i);
        changed = true;
      }
    }
  }
  const fixed = fixedValues(open);
  for (let i = 0; i < open.length; i++) {
    const cs = open[i];
    if (!cs || cs.length === 0) continue;
    if (cs.length > 1) {
      const entries: SourceResource[] = [];
      for (const c of cs) entries.push(c.entry);
      out[i] = { kind: 'ambiguous', entries };
      continue;
    }
    const conflicts: { label: string; values: string[] }[] = [];
    const values: (readonly [string, string])[] = [];
    for (const [label, value] of cs[0].values) {
      const all = fixed.get(label);
      if (all && all.size > 1) conflicts.push({ label: shownLabel(label), values: [...all].sort() });
      values.push([shownLabel(label), value]);
    }
    out[i] = conflicts.length ? { kind: 'inconsistent', conflicts } : { kind: 'pattern', entry: cs[0].entry, values, narrowed: narrowed.has(i) };
  }
  return out;
}
