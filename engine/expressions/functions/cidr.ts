// CIDR functions (parseCidr, cidrSubnet, cidrHost) and the IPv4/IPv6 helpers the network resolver reuses
// for longest-prefix route matching. Imports only its own folder.
// https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-cidr
import type { FnDef } from '../evaluator.js';
import type { Value } from '../value.js';
import { newObject } from '../value.js';
import { fail, int, str } from './args.js';

/** An address with a prefix length. `address` keeps any host bits the text had; `network()` clears them. */
export interface IpNet {
  readonly version: 4 | 6;
  readonly address: bigint;
  readonly prefix: number;
}

const DECIMAL = /^(?:0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/** A dotted-quad IPv4 address as an unsigned 32-bit integer, or undefined. Leading zeros are refused (octal in some parsers). */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!DECIMAL.test(p)) return undefined;
    const octet = Number(p);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}

/** The dotted-quad text of an unsigned 32-bit integer. */
export function ipv4ToString(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** An IPv6 address (with `::` and an optional trailing dotted IPv4 part) as a 128-bit integer, or undefined. */
export function parseIpv6(text: string): bigint | undefined {
  if (text.length === 0 || text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string, allowV4: boolean): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (allowV4 && i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (HEX_GROUP.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const head = groupsOf(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1], true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  let v = 0n;
  for (const g of [...head, ...new Array<number>(missing).fill(0), ...tail]) v = (v << 16n) | BigInt(g);
  return v;
}

/** RFC 5952 text of a 128-bit integer: lower case, the longest run of two or more zero groups written `::`. */
export function ipv6ToString(v: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

function bitsOf(version: 4 | 6): number {
  return version === 4 ? 32 : 128;
}

function maskOf(version: 4 | 6, prefix: number): bigint {
  const bits = BigInt(bitsOf(version));
  const all = (1n << bits) - 1n;
  return all ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

/** An address text of either family as a bigint, or undefined. */
function parseAddress(text: string): { version: 4 | 6; address: bigint } | undefined {
  if (text.includes(':')) {
    const v6 = parseIpv6(text);
    return v6 === undefined ? undefined : { version: 6, address: v6 };
  }
  const v4 = parseIpv4(text);
  return v4 === undefined ? undefined : { version: 4, address: BigInt(v4) };
}

/** The text of an address of either family. */
export function addressToString(version: 4 | 6, address: bigint): string {
  return version === 4 ? ipv4ToString(Number(address)) : ipv6ToString(address);
}

/** `10.0.0.0/16` or `fd00::/8` as an IpNet; a bare address is a host route (/32 or /128) when `allowBare`. */
export function parseIpNet(text: string, allowBare = false): IpNet | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) {
    if (!allowBare) return undefined;
    const a = parseAddress(text);
    return a && { version: a.version, address: a.address, prefix: bitsOf(a.version) };
  }
  const a = parseAddress(text.slice(0, slash));
  const p = text.slice(slash + 1);
  if (!a || !/^[0-9]{1,3}$/.test(p)) return undefined;
  const prefix = Number(p);
  if (prefix > bitsOf(a.version)) return undefined;
  return { version: a.version, address: a.address, prefix };
}

/** The network address of a prefix (host bits cleared). */
export function network(net: IpNet): bigint {
  return net.address & maskOf(net.version, net.prefix);
}

/** The prefix length of a CIDR text, or undefined when the text is not a CIDR. */
export function prefixLength(cidr: string): number | undefined {
  return parseIpNet(cidr)?.prefix;
}


/** The facts parseCidr reports, as numbers: the usable range follows RFC 3021 for IPv4 /31 and /32. */
function describe(net: IpNet): { network: bigint; last: bigint; firstUsable: bigint; lastUsable: bigint } {
  const first = network(net);
  const last = first | ((1n << BigInt(bitsOf(net.version) - net.prefix)) - 1n);
  // Azure documents IPv6 ranges without a reserved network or broadcast address (firstUsable is the network).
  if (net.version === 6 || net.prefix >= 31) return { network: first, last, firstUsable: first, lastUsable: last };
  return { network: first, last, firstUsable: first + 1n, lastUsable: last - 1n };
}

function netArg(v: Value, fname: string): IpNet {
  const s = str(v, fname, 0);
  const net = parseIpNet(s);
  if (!net) fail(`The template function '${fname}' expects an IP address range in CIDR notation such as '10.0.0.0/16', got '${s}'.`);
  return net;
}

export const cidr: Record<string, FnDef> = {
  parsecidr: {
    min: 1,
    max: 1,
    fn: ([n], _c, f) => {
      const net = netArg(n, f);
      const d = describe(net);
      const text = (x: bigint): string => addressToString(net.version, x);
      const out = newObject();
      out.network = text(d.network);
      out.netmask = text(maskOf(net.version, net.prefix));
      if (net.version === 4) out.broadcast = text(d.last);
      out.firstUsable = text(d.firstUsable);
      out.lastUsable = text(d.lastUsable);
      out.cidr = net.prefix;
      return out;
    },
  },
  cidrsubnet: {
    min: 3,
    max: 3,
    fn: ([n, c, i], _c, f) => {
      const net = netArg(n, f);
      const newCidr = int(c, f, 1);
      const index = int(i, f, 2);
      const bits = bitsOf(net.version);
      if (newCidr < net.prefix || newCidr > bits)
        fail(`The template function '${f}' expects a new CIDR between ${net.prefix} and ${bits} for '${str(n, f, 0)}', got ${newCidr}.`);
      const count = 1n << BigInt(newCidr - net.prefix);
      if (index < 0 || BigInt(index) >= count)
        fail(`The template function '${f}' got subnet index ${index}, but '${str(n, f, 0)}' splits into ${count} /${newCidr} subnets (indices 0 to ${count - 1n}).`);
      const start = network(net) + (BigInt(index) << BigInt(bits - newCidr));
      return `${addressToString(net.version, start)}/${newCidr}`;
    },
  },
  cidrhost: {
    min: 2,
    max: 2,
    fn: ([n, i], _c, f) => {
      const net = netArg(n, f);
      const index = int(i, f, 1);
      const d = describe(net);
      // Index 0 is the first address after the network address for IPv6 too (the documented 'fdad:...:3000::1').
      const first = net.version === 6 ? d.network + 1n : d.firstUsable;
      const count = d.lastUsable >= first ? d.lastUsable - first + 1n : 0n;
      if (index < 0 || BigInt(index) >= count)
        fail(
          count === 0n
            ? `The template function '${f}' got host index ${index}, but '${str(n, f, 0)}' has no usable host address.`
            : `The template function '${f}' got host index ${index}, but '${str(n, f, 0)}' has ${count} usable host addresses (indices 0 to ${count - 1n}).`,
        );
      return addressToString(net.version, first + BigInt(index));
    },
  },
};
