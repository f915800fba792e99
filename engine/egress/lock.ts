// The egress lock file (egress.lock.json): every VM's verdict and sorted egress identities as a byte-stable,
// diff-friendly object, its parser and validator, and the comparison of two locks (a lock file, or the run at a
// git base, against the run now). Pure: text and values in, values out; the CLI reads and writes the file.
import type { Node, ParseError } from 'jsonc-parser';
import { jsonc } from '../template/jsonc.js';
import { lineColumnAt } from '../template/template.js';
import type { Verdict } from '../network/results.js';

export const LOCK_VERSION = 1;
export const LOCK_FILE = 'egress.lock.json';

const VERDICTS: readonly Verdict[] = ['deterministic', 'deterministic-set', 'non-deterministic', 'no-egress', 'unknown'];

/** One VM (or scale set) of the lock. */
export interface LockVm {
  readonly name: string;
  readonly type: string;
  /** The linted template that deploys it, relative to the lock file's folder, with '/'. */
  readonly file: string;
  readonly verdict: Verdict;
  /** Sorted egress identities (see {@link egressIdentity}). */
  readonly egress: readonly string[];
}

export interface LockFile {
  readonly version: typeof LOCK_VERSION;
  /** By lower-case resource id (see {@link lockOf} for VMs that several templates deploy). */
  readonly vms: Readonly<Record<string, LockVm>>;
}

/** What the lock needs of one VM: the JSON report's VmReport and the resolver's VmResult both fit. */
export interface LockSource {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly verdict: Verdict;
  readonly egress: readonly EgressSubject[];
}

/** What the lock reads of an egress identity; `id` is null for an address a service creates (AKS), named by `name`. */
interface EgressSubject {
  readonly id: string | null;
  readonly name?: string;
  readonly address: string | null;
  readonly prefix: string | null;
}

/**
 * One egress identity as the lock records it: the resource id of the public IP, prefix (or whatever else carries
 * the traffic), followed by its address or CIDR in parentheses when the template states it, so a changed address
 * shows as a change even when the resource stays the same. An address AKS creates has no id before deployment: its
 * stand-in name (`aks1-managed-outbound-1`) is the identity, which no resource id can be mistaken for.
 */
export function egressIdentity(e: EgressSubject): string {
  const known = e.address ?? e.prefix;
  const id = e.id ?? e.name ?? '';
  return known ? `${id} (${known})` : id;
}

/** An identity split back into its resource id and its address or CIDR (null when the lock has none). */
export function splitIdentity(identity: string): { id: string; address: string | null } {
  // Resource group names may hold parentheses but never spaces, so ' (' followed by an address ends the id.
  const m = /^(.*) \(([0-9A-Fa-f.:/]+)\)$/.exec(identity);
  return m ? { id: m[1], address: m[2] } : { id: identity, address: null };
}

/** How an identity reads in a message: the resource name, with its address when known ('pip-nat (20.1.2.3)'). */
export function identityLabel(identity: string): string {
  const { id, address } = splitIdentity(identity);
  const name = id.slice(id.lastIndexOf('/') + 1) || id;
  return address ? `${name} (${address})` : name;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The ids of template problems (egress-model.md): a template with one is not analysed reliably. */
export const TEMPLATE_PROBLEMS: ReadonlySet<string> = new Set(['template-invalid', 'expression-invalid', 'limit-exceeded']);

/**
 * True when a linted template tells reliably which VMs it deploys: it was read and expanded and has no template
 * problem (unreadable JSON, a bad expression, a limit exceeded), whatever level the user gave those.
 * The lock comparison leaves other templates out, rather than report their VMs as gone.
 */
export function analysed(result: { readonly expanded?: boolean; readonly findings: readonly { readonly ruleId: string }[] }): boolean {
  return result.expanded === true && !result.findings.some((f) => TEMPLATE_PROBLEMS.has(f.ruleId));
}

/**
 * The lock of a run: per template (in the order given), per VM, its verdict and sorted egress identities, keyed by
 * lower-case resource id (ARM ids compare case-insensitively). Two templates may deploy a VM with the same id
 * (dev and prod copies linted with the same placeholder scope): such VMs are keyed `<id>#<file>`, so each keeps its
 * own entry. An unknown VM records the identities it would use if nothing outside the files interferes (what the
 * resolver lists), so a change to those still shows; why it is unknown is in the report, not the lock.
 */
export function lockOf(templates: readonly { readonly file: string; readonly vms: readonly LockSource[] }[]): LockFile {
  const owners = new Map<string, Set<string>>();
  for (const t of templates) for (const v of t.vms) owners.set(v.id.toLowerCase(), (owners.get(v.id.toLowerCase()) ?? new Set()).add(t.file));
  const entries: [string, LockVm][] = [];
  const seen = new Set<string>();
  for (const t of templates) {
    for (const v of t.vms) {
      const id = v.id.toLowerCase();
      const key = (owners.get(id)?.size ?? 0) > 1 ? `${id}#${t.file}` : id;
      if (seen.has(key)) continue; // the same id twice in one deployment: ARM refuses that, the first stands
      seen.add(key);
      const egress = [...new Set(v.egress.map(egressIdentity))].sort(byText);
      entries.push([key, { name: v.name, type: v.type, file: t.file, verdict: v.verdict, egress }]);
    }
  }
  entries.sort((a, b) => byText(a[0], b[0]));
  return { version: LOCK_VERSION, vms: Object.fromEntries(entries) };
}

/** The lock file's text: keys sorted, 2-space indent, a trailing newline; no timestamps, so it is byte-stable. */
export function serialiseLock(lock: LockFile): string {
  const vms: Record<string, LockVm> = Object.create(null) as Record<string, LockVm>;
  for (const key of Object.keys(lock.vms).sort(byText)) {
    const v = lock.vms[key];
    vms[key] = { name: v.name, type: v.type, file: v.file, verdict: v.verdict, egress: [...v.egress].sort(byText) };
  }
  return `${JSON.stringify({ version: lock.version, vms }, null, 2)}\n`;
}

const lineOf = (text: string, offset: number): number => lineColumnAt(text, offset).line + 1;

/**
 * Reads a lock file's text. Every problem is a sentence naming the place (`line 4: vms["…"].verdict must be …`);
 * the caller names the file. A lock written by a newer egress-lint (another version) is refused, not guessed at.
 */
export function parseLock(text: string): { lock: LockFile } | { errors: string[] } {
  const errors: ParseError[] = [];
  const tree = jsonc().parseTree(text.replace(/^\uFEFF/, ''), errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length || !tree) return { errors: [`line ${lineOf(text, errors[0]?.offset ?? 0)}: the file is not valid JSON (${errors[0] ? jsonc().printParseErrorCode(errors[0].error) : 'empty'})`] };
  const problems: string[] = [];
  const at = (n: Node, what: string): void => void problems.push(`line ${lineOf(text, n.offset)}: ${what}`);
  const props = (n: Node): Map<string, Node> => new Map((n.children ?? []).map((p) => [String(p.children?.[0]?.value), p.children?.[1] as Node]));
  if (tree.type !== 'object') return { errors: [`line ${lineOf(text, tree.offset)}: the lock must be a JSON object with "version" and "vms"`] };
  const root = props(tree);
  const version = root.get('version');
  if (!version) at(tree, 'the lock has no "version"');
  else if (version.value !== LOCK_VERSION) at(version, `"version" is ${JSON.stringify(version.value)}; this egress-lint reads version ${LOCK_VERSION} (rewrite the lock with 'egress-lint lock')`);
  for (const k of root.keys()) if (k !== 'version' && k !== 'vms') at(root.get(k)!, `unknown property "${k}"`);
  const vmsNode = root.get('vms');
  const vms: Record<string, LockVm> = Object.create(null) as Record<string, LockVm>;
  if (!vmsNode) at(tree, 'the lock has no "vms"');
  else if (vmsNode.type !== 'object') at(vmsNode, '"vms" must be an object');
  else {
    for (const [key, node] of props(vmsNode)) {
      const where = `vms[${JSON.stringify(key)}]`;
      if (node.type !== 'object') {
        at(node, `${where} must be an object`);
        continue;
      }
      const f = props(node);
      const str = (name: string): string | undefined => {
        const n = f.get(name);
        if (n?.type === 'string' && n.value !== '') return n.value as string;
        at(n ?? node, `${where}.${name} must be a non-empty string`);
        return undefined;
      };
      const name = str('name');
      const type = str('type');
      const file = str('file');
      const vn = f.get('verdict');
      const verdict = VERDICTS.find((x) => x === vn?.value);
      if (!verdict) at(vn ?? node, `${where}.verdict must be one of ${VERDICTS.join(', ')}`);
      const en = f.get('egress');
      const egress = en?.type === 'array' && (en.children ?? []).every((c) => c.type === 'string') ? (en.children ?? []).map((c) => c.value as string) : undefined;
      if (!egress) at(en ?? node, `${where}.egress must be an array of strings`);
      for (const k of f.keys()) if (!['name', 'type', 'file', 'verdict', 'egress'].includes(k)) at(f.get(k)!, `${where} has an unknown property "${k}"`);
      if (name && type && file && verdict && egress) vms[key.toLowerCase()] = { name, type, file, verdict, egress };
    }
  }
  return problems.length ? { errors: problems } : { lock: { version: LOCK_VERSION, vms } };
}

// ---- comparing two locks ----------------------------------------------------------------------------------------

/** How one VM's egress differs between two locks. */
export interface VmChange {
  readonly key: string;
  /** changed: in both, with other egress or verdict; appeared: only in `after`; disappeared: only in `before`. */
  readonly kind: 'changed' | 'appeared' | 'disappeared';
  readonly name: string;
  readonly type: string;
  /** The template: `after`'s for changed and appeared VMs, `before`'s for disappeared ones. */
  readonly file: string;
  /** Identities in `after` only, sorted (every identity of an appeared VM). */
  readonly added: readonly string[];
  /** Identities in `before` only, sorted (every identity of a disappeared VM). */
  readonly removed: readonly string[];
  readonly verdictBefore: Verdict | undefined;
  readonly verdictAfter: Verdict | undefined;
  /**
   * Where a disappeared VM is reported when its template is gone (the lock file's entry, or the old template's path
   * at a git base); otherwise it is reported at the start of `file`.
   */
  readonly reportAt?: { readonly file: string; readonly pointer: string };
}

/** The egress of a run compared with a lock file or a git base: what rules and formatters are given. */
export interface EgressComparison {
  /** What the run is compared with, as messages name it: 'egress.lock.json', 'base HEAD~1'. */
  readonly against: string;
  readonly changes: readonly VmChange[];
}

/**
 * Per VM, what differs between two locks, ordered by key. Identities compare case-insensitively (ARM ids do), so
 * re-casing a name in a template is no change; the `file` a VM lives in is not compared (moving a VM to another
 * template is no egress change).
 */
export function diffLocks(before: LockFile, after: LockFile): VmChange[] {
  const out: VmChange[] = [];
  const keys = [...new Set([...Object.keys(before.vms), ...Object.keys(after.vms)])].sort(byText);
  const lower = (list: readonly string[]): Map<string, string> => new Map(list.map((x) => [x.toLowerCase(), x]));
  for (const key of keys) {
    const b = Object.hasOwn(before.vms, key) ? before.vms[key] : undefined;
    const a = Object.hasOwn(after.vms, key) ? after.vms[key] : undefined;
    if (a && b) {
      const lb = lower(b.egress);
      const la = lower(a.egress);
      const added = [...la].filter(([k]) => !lb.has(k)).map(([, v]) => v).sort(byText);
      const removed = [...lb].filter(([k]) => !la.has(k)).map(([, v]) => v).sort(byText);
      if (added.length === 0 && removed.length === 0 && a.verdict === b.verdict) continue;
      out.push({ key, kind: 'changed', name: a.name, type: a.type, file: a.file, added, removed, verdictBefore: b.verdict, verdictAfter: a.verdict });
    } else if (a) out.push({ key, kind: 'appeared', name: a.name, type: a.type, file: a.file, added: [...a.egress].sort(byText), removed: [], verdictBefore: undefined, verdictAfter: a.verdict });
    else if (b) out.push({ key, kind: 'disappeared', name: b.name, type: b.type, file: b.file, added: [], removed: [...b.egress].sort(byText), verdictBefore: b.verdict, verdictAfter: undefined });
  }
  return out;
}

/** A change in one line: '+ pip-nat, - pip-vm1; verdict deterministic → non-deterministic'. */
export function describeChange(c: VmChange): string {
  const list = (xs: readonly string[]): string => (xs.length ? xs.map(identityLabel).join(', ') : 'no public IP');
  if (c.kind === 'appeared') return `new: egress ${list(c.added)}; verdict ${c.verdictAfter ?? '?'}`;
  if (c.kind === 'disappeared') return `gone: egress was ${list(c.removed)}; verdict was ${c.verdictBefore ?? '?'}`;
  const parts: string[] = [];
  const moved = [...c.added.map((x) => `+ ${identityLabel(x)}`), ...c.removed.map((x) => `- ${identityLabel(x)}`)];
  if (moved.length) parts.push(moved.join(', '));
  if (c.verdictBefore !== c.verdictAfter) parts.push(`verdict ${c.verdictBefore ?? '?'} → ${c.verdictAfter ?? '?'}`);
  return parts.join('; ');
}
