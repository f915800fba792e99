// Egress identities: the EgressIp entry of a public IP, a public IP prefix, or a reference to one that the analysed
// files do not hold. Imports nothing outside engine/network/.
import type { NetworkGraph, PublicIp, PublicIpPrefix, Ref } from './graph.js';
import { lastSegment } from './ids.js';
import type { EgressIp, Method } from './results.js';
import { mayNotBeDeployed } from './results.js';
import { Unknown } from '../expressions/value.js';

/** The egress entry of a public IP or prefix reference; an id that is itself unknown has no entry (see refEntries). */
export function pipEntry(g: NetworkGraph, ref: Ref, via: Method): EgressIp {
  const pip = g.get(ref, 'publicIp');
  if (pip) return fromPip(g, pip, via);
  const prefix = g.get(ref, 'publicIpPrefix');
  if (prefix) return fromPrefix(prefix, via);
  const id = ref.kind === 'found' ? ref.key : ref.kind === 'missing' ? ref.id : `{${ref.value.origin}}`;
  const isPrefix = /publicipprefixes/i.test(id);
  return {
    key: id.toLowerCase(),
    name: ref.kind === 'unknown' ? `{${ref.value.origin}}` : lastSegment(id),
    type: isPrefix ? 'Microsoft.Network/publicIPPrefixes' : 'Microsoft.Network/publicIPAddresses',
    id,
    via,
    address: null,
    prefix: null,
    static: false,
    changes: false,
    sku: null,
    unresolved: true,
    // The path's reason when nothing else decides it unknown: which identity the files lack.
    why: ref.kind === 'unknown' ? ref.value.origin : `${isPrefix ? 'public IP prefix' : 'public IP'} '${id}' is not in the analysed files`,
    at: undefined,
  };
}

/**
 * Entries for a list of public IP / prefix references (of a NAT gateway, a load balancer frontend, a firewall). A
 * reference whose id is unknown offline (a parameter without a value, a runtime value) gives no entry, only the
 * reason the outcome is unknown; a public IP or prefix that may not be deployed (its condition is unknown) gives its
 * entry and the reason, as an instance public IP does (nat-and-instance-ip.ts).
 */
export function refEntries(g: NetworkGraph, refs: readonly Ref[], via: Method): { egress: EgressIp[]; unknown: string | undefined } {
  const egress: EgressIp[] = [];
  let unknown: string | undefined;
  for (const r of refs) {
    const c = g.check(r)!;
    if (c.kind === 'unknown') {
      unknown ??= c.value.origin;
      continue;
    }
    egress.push(pipEntry(g, c, via));
    if (unknown !== undefined || c.kind !== 'found') continue;
    const node = g.nodes.get(c.key);
    if (node?.maybe && node.kind === 'publicIp') unknown = mayNotBeDeployed('public IP', node);
    else if (node?.maybe && node.kind === 'publicIpPrefix') unknown = mayNotBeDeployed('public IP prefix', node);
  }
  return { egress, unknown };
}

export function fromPip(g: NetworkGraph, pip: PublicIp, via: Method): EgressIp {
  const sku = typeof pip.sku === 'string' ? pip.sku : null;
  const alloc = typeof pip.allocation === 'string' ? pip.allocation.toLowerCase() : undefined;
  const prefix = g.get(pip.prefix, 'publicIpPrefix');
  return {
    key: pip.key,
    name: pip.name,
    type: 'Microsoft.Network/publicIPAddresses',
    id: pip.created ? null : pip.id,
    via,
    address: pip.address,
    prefix: prefix?.ipPrefix ?? null,
    static: alloc === 'static',
    changes: alloc === 'dynamic',
    sku,
    unresolved: pip.existing || sku === null || alloc === undefined || pip.undecided !== undefined,
    at: pip.at,
    ...unresolvedWhy(pip.name, pip.existing, pip.sku, pip.allocation, pip.undecided),
    ...noteOf(pip.addressNote),
  };
}

/** The `addressNote` field of an egress entry, when there is a note. */
function noteOf(addressNote: string | undefined): { addressNote?: string } {
  return addressNote === undefined ? {} : { addressNote };
}

/** Why a public IP's nature is not known: it is outside the files, or its SKU or allocation is known only at deployment. */
export function unresolvedWhy(name: string, existing: boolean, sku: string | Unknown, allocation: string | Unknown, undecided?: Unknown): { why?: string } {
  if (existing) return { why: `public IP '${name}' is an existing resource outside the analysed files` };
  if (undecided) return { why: `the IP version or tier of public IP '${name}': ${undecided.origin}` };
  if (sku instanceof Unknown) return { why: `the SKU of public IP '${name}': ${sku.origin}` };
  if (allocation instanceof Unknown) return { why: `the allocation method of public IP '${name}': ${allocation.origin}` };
  return {};
}

export function fromPrefix(p: PublicIpPrefix, via: Method): EgressIp {
  return {
    key: p.key,
    name: p.name,
    type: 'Microsoft.Network/publicIPPrefixes',
    id: p.id,
    via,
    address: null,
    prefix: p.ipPrefix,
    static: true,
    changes: false,
    sku: typeof p.sku === 'string' ? p.sku : null,
    unresolved: p.existing,
    at: p.at,
    ...noteOf(p.addressNote),
  };
}

