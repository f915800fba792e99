// The egress lock file (egress.lock.json): every VM's verdict and sorted egress identities as a byte-stable,
// diff-friendly object, its parser and validator, and the comparison of two locks (a lock file, or the run at a
// git base, against the run now). Pure: text and values in, values out; the CLI reads and writes the file.
import type { Node, ParseError } from 'jsonc-parser';
import { nullObject } from '../template/null-object.js';
import { jsonc } from '../template/jsonc.js';
import { lineColumnAt } from '../template/template.js';
import type { Verdict } from '../network/results.js';
import { network, parseIpNet } from '../expressions/functions/cidr.js';

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
  const vms = nullObject<LockVm>();
  for (const [key, vm] of entries) vms[key] = vm;
  return { version: LOCK_VERSION, vms };
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

/** Identities by lower-case resource id (or name): the addresses each one is recorded with (null: not known). */
function addressesById(list: readonly string[]): Map<string, (string | null)[]> {
  const out = new Map<string, (string | null)[]>();
  for (const x of list) {
    const { id, address } = splitIdentity(x);
    const key = id.toLowerCase();
    const known = out.get(key);
    if (known) known.push(address);
    else out.set(key, [address]);
  }
  return out;
}

/** True when `inner` lies inside `outer` (an address in a prefix, a prefix in a larger one). */
function inside(inner: string, outer: string): boolean {
  const i = parseIpNet(inner, true);
  const o = parseIpNet(outer, true);
  if (!i || !o || i.version !== o.version || o.prefix > i.prefix) return false;
  return network({ version: i.version, address: i.address, prefix: o.prefix }) === network(o);
}

/**
 * True when an identity recorded with `address` is another address than the same identity recorded on the other side:
 * only where both sides know one. An address that one side does not know is no change (an inventory added later,
 * or not passed this time), and neither is an address inside the CIDR the other side knows (a public IP drawn from
 * a prefix, whose own address became known).
 */
function movedFrom(address: string | null, other: readonly (string | null)[]): boolean {
  if (address === null) return false;
  let known = false;
  for (const o of other) {
    if (o === null) continue;
    known = true;
    if (o.toLowerCase() === address.toLowerCase() || inside(address, o) || inside(o, address)) return false;
  }
  return known;
}

/** The identities of `list` that the other side does not have, or has with another known address. */
function onlyIn(list: readonly string[], other: ReadonlyMap<string, (string | null)[]>): string[] {
  const out = new Map<string, string>();
  for (const x of list) {
    const { id, address } = splitIdentity(x);
    const there = other.get(id.toLowerCase());
    if (!there || movedFrom(address, there)) out.set(x.toLowerCase(), x);
  }
  return [...out.values()].sort(byText);
}

/**
 * Per VM, what differs between two locks, ordered by key. Identities compare case-insensitively (ARM ids do), so
 * re-casing a name in a template is no change, and by their resource id: the address of the same resource is compared
 * only where both locks know it (see movedFrom). The `file` a VM lives in is not compared (moving a VM to another
 * template is no egress change).
 */
export function diffLocks(before: LockFile, after: LockFile): VmChange[] {
  const out: VmChange[] = [];
  const keys = [...new Set([...Object.keys(before.vms), ...Object.keys(after.vms)])].sort(byText);
  for (const key of keys) {
    const b = Object.hasOwn(before.vms, key) ? before.vms[key] : undefined;
    const a = Object.hasOwn(after.vms, key) ? after.vms[key] : undefined;
    if (a && b) {
      const added = onlyIn(a.egress, addressesById(b.egress));
      const removed = onlyIn(b.egress, addressesById(a.egress));
      if (added.length === 0 && removed.length === 0 && a.verdict === b.verdict) continue;
      out.push({ key, kind: 'changed', name: a.name, type: a.type, file: a.file, added, removed, verdictBefore: b.verdict, verdictAfter: a.verdict });
    } else if (a) out.push({ key, kind: 'appeared', name: a.name, type: a.type, file: a.file, added: [...a.egress].sort(byText), removed: [], verdictBefore: undefined, verdictAfter: a.verdict });
    else if (b) out.push({ key, kind: 'disappeared', name: b.name, type: b.type, file: b.file, added: [], removed: [...b.egress].sort(byText), verdictBefore: b.verdict, verdictAfter: undefined });
  }
  return out;
}

/** What {@link keepKnownAddresses} did: identities whose address this run records for the first time, and those it kept. */
export interface AddressCarry {
  readonly lock: LockFile;
  /** `vm name: identity` for addresses the new lock records where the previous one had none. */
  readonly recorded: readonly string[];
  /** `vm name: identity` for addresses the previous lock knew and this run does not, kept in the new lock. */
  readonly kept: readonly string[];
}

/**
 * The new lock with the addresses the previous one knew and this run does not (it was made without the inventory, or
 * the inventory no longer lists the resource): the lock records the address the firewall was told about until a run
 * that knows the address says otherwise, which then shows as a change.
 */
export function keepKnownAddresses(before: LockFile | undefined, now: LockFile): AddressCarry {
  const recorded: string[] = [];
  const kept: string[] = [];
  if (!before) return { lock: now, recorded, kept };
  const vms: Record<string, LockVm> = Object.create(null) as Record<string, LockVm>;
  for (const [key, v] of Object.entries(now.vms)) {
    const prev = Object.hasOwn(before.vms, key) ? addressesById(before.vms[key].egress) : undefined;
    if (!prev) {
      vms[key] = v;
      continue;
    }
    const egress: string[] = [];
    for (const x of v.egress) {
      const { id, address } = splitIdentity(x);
      const known = (prev.get(id.toLowerCase()) ?? []).filter((a): a is string => a !== null);
      if (address === null && known.length === 1) {
        egress.push(`${id} (${known[0]})`);
        kept.push(`${v.name}: ${identityLabel(egress[egress.length - 1])}`);
        continue;
      }
      if (address !== null && prev.has(id.toLowerCase()) && known.length === 0) recorded.push(`${v.name}: ${identityLabel(x)}`);
      egress.push(x);
    }
    vms[key] = Object.assign({}, v, { egress: [...new Set(egress)].sort(byText) });
  }
  return { lock: { version: now.version, vms }, recorded, kept };
}

/** A change in one line: '+ pip-nat, - pip-vm1; verdict deterministic → non-deterministic', or 'pip-nat 203.0.113.20 → 203.0.113.99'. */
export function describeChange(c: VmChange): string {
  const list = (xs: readonly string[]): string => (xs.length ? xs.map(identityLabel).join(', ') : 'no public IP');
  if (c.kind === 'appeared') return `new: egress ${list(c.added)}; verdict ${c.verdictAfter ?? '?'}`;
  if (c.kind === 'disappeared') return `gone: egress was ${list(c.removed)}; verdict was ${c.verdictBefore ?? '?'}`;
  const parts: string[] = [];
  // The same resource with another address: one change, shown as the move from one address to the other.
  const removedById = new Map<string, string>();
  for (const x of c.removed) removedById.set(splitIdentity(x).id.toLowerCase(), x);
  const moved: string[] = [];
  const paired = new Set<string>();
  for (const x of c.added) {
    const { id, address } = splitIdentity(x);
    const was = removedById.get(id.toLowerCase());
    const before = was === undefined ? null : splitIdentity(was).address;
    if (was !== undefined && address !== null && before !== null && !paired.has(was)) {
      paired.add(was);
      moved.push(`${identityLabel(id)} ${before} → ${address}`);
    } else moved.push(`+ ${identityLabel(x)}`);
  }
  for (const x of c.removed) if (!paired.has(x)) moved.push(`- ${identityLabel(x)}`);
  if (moved.length) parts.push(moved.join(', '));
  if (c.verdictBefore !== c.verdictAfter) parts.push(`verdict ${c.verdictBefore ?? '?'} → ${c.verdictAfter ?? '?'}`);
  return parts.join('; ');
}
