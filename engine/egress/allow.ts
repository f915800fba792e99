// The allow-list policy (config `allow`): entries are public IP / prefix names, resource-id globs and CIDR blocks;
// an egress identity is allowed when an entry names it or, when its address or prefix is known, a CIDR block holds
// it. Pure; addresses are parsed with the CIDR helpers of the expression language (one IPv4/IPv6 parser).
import { network, parseIpNet } from '../expressions/functions/cidr.js';
import type { IpNet } from '../expressions/functions/cidr.js';

/** One entry; plain data (a glob's regular expression as its source text), so it travels to worker threads as it is. */
export type AllowEntry =
  | { readonly kind: 'name'; readonly text: string; readonly pattern: string }
  | { readonly kind: 'id'; readonly text: string; readonly pattern: string }
  | { readonly kind: 'cidr'; readonly text: string; readonly net: IpNet };

export interface AllowList {
  readonly entries: readonly AllowEntry[];
}

/** What the allow-list looks at in an egress entry (the report's EgressEntry fits). */
export interface AllowSubject {
  readonly name: string;
  /** Null for an address a service creates (AKS): only its name or a CIDR block can allow it. */
  readonly id: string | null;
  readonly address: string | null;
  readonly prefix: string | null;
}

/** A glob as the source of an anchored regular expression (matched case-insensitively). */
function globRegex(glob: string, withinSegment: boolean): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*' && !withinSegment) {
      out += '.*';
      i++;
    } else if (c === '*') out += withinSegment ? '.*' : '[^/]*';
    else out += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return `^${out}$`;
}

/** Text that can only be meant as an address: digits and dots (IPv4), or a colon (IPv6), with an optional /length. */
const ADDRESS_LIKE = /^(?:[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)(?:\/.*)?$/;

/**
 * Reads the configured entries. A text starting with '/' is a resource-id glob (`*` within one segment, `**` across
 * segments); a text of digits and dots (or with a colon) is an address or CIDR block, IPv4 or IPv6, and must be a
 * valid one without host bits; anything else is a public IP or prefix name (`*` matches any run of characters).
 * Names and ids compare case-insensitively, as ARM's do. `errors` names each bad entry by its index.
 */
export function parseAllowList(texts: readonly string[]): { list: AllowList; errors: string[] } {
  const entries: AllowEntry[] = [];
  const errors: string[] = [];
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i].trim();
    if (text === '') errors.push(`allow[${i}] is empty`);
    else if (text.startsWith('/')) entries.push({ kind: 'id', text, pattern: globRegex(text.replace(/\/+$/, ''), false) });
    else if (ADDRESS_LIKE.test(text)) {
      const net = parseIpNet(text, true);
      if (!net) errors.push(`allow[${i}] '${text}' is not a valid IP address or CIDR block (such as 20.50.1.0/28)`);
      else if (network(net) !== net.address) errors.push(`allow[${i}] '${text}' has host bits set; a CIDR block starts at its network address`);
      else entries.push({ kind: 'cidr', text, net });
    } else if (text.includes('/')) errors.push(`allow[${i}] '${text}' is neither a name nor a resource id (ids start with '/subscriptions/')`);
    else entries.push({ kind: 'name', text, pattern: globRegex(text, true) });
  }
  return { list: { entries }, errors };
}

/** True when `outer` holds every address of `inner`. */
function contains(outer: IpNet, inner: IpNet): boolean {
  if (outer.version !== inner.version || outer.prefix > inner.prefix) return false;
  return network({ version: inner.version, address: inner.address, prefix: outer.prefix }) === network(outer);
}

/**
 * The first entry that allows an egress identity, or undefined. A CIDR block allows a known address inside it, and a
 * prefix (a public IP prefix, or the prefix a public IP is drawn from when its address is not known) only when the
 * whole prefix lies inside it. An identity whose address is not known matches only by name or resource id.
 */
export function allowedBy(list: AllowList, e: AllowSubject): AllowEntry | undefined {
  const address = e.address !== null ? parseIpNet(e.address, true) : undefined;
  const prefix = e.prefix !== null ? parseIpNet(e.prefix, true) : undefined;
  for (const entry of list.entries) {
    if (entry.kind === 'name' && new RegExp(entry.pattern, 'i').test(e.name)) return entry;
    if (entry.kind === 'id' && e.id !== null && new RegExp(entry.pattern, 'i').test(e.id)) return entry;
    if (entry.kind === 'cidr') {
      if (address) {
        if (contains(entry.net, address)) return entry;
      } else if (prefix && contains(entry.net, prefix)) return entry;
    }
  }
  return undefined;
}
