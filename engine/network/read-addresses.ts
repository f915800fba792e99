// Readers of the resources that own public addresses: public IPs, public IP prefixes and NAT gateways.
// Imports expressions/ and resources/ only, besides engine/network/.
import type { SourceResource } from '../resources/types.js';
import type { Value } from '../expressions/value.js';
import { Unknown } from '../expressions/value.js';
import type { NatGateway, NetworkGraph, PublicIp, PublicIpPrefix } from './graph.js';
import { decisive, nodeBase, prop, refList, skuOr, str, undecidedOf } from './read-values.js';
import { hasPlaceholder } from '../expressions/placeholder.js';

/** The allocation method of a public IP (or a VM's public IP configuration) of SKU `sku`. */
export function allocationOf(written: Value | undefined, sku: string | Unknown): string | Unknown {
  const alloc = decisive(written);
  // Without an allocation method, Standard addresses are static and Basic ones dynamic (Microsoft.Network schema defaults).
  return alloc instanceof Unknown ? alloc : typeof alloc === 'string' ? alloc : typeof sku === 'string' && sku.toLowerCase() !== 'basic' ? 'Static' : 'Dynamic';
}

export function readPublicIp(g: NetworkGraph, r: SourceResource): PublicIp {
  const b = r.body;
  const sku = skuOr(prop(b, 'sku', 'name'), 'Basic');
  const ip = prop(b, 'properties', 'ipAddress');
  return {
    kind: 'publicIp',
    sku,
    tier: str(prop(b, 'sku', 'tier'), 'Regional'),
    allocation: allocationOf(prop(b, 'properties', 'publicIPAllocationMethod'), sku),
    version: str(prop(b, 'properties', 'publicIPAddressVersion'), 'IPv4'),
    prefix: g.ref(prop(b, 'properties', 'publicIPPrefix')),
    address: typeof ip === 'string' && !hasPlaceholder(ip) ? ip : null,
    ...nodeBase(r),
    ...undecidedField(prop(b, 'properties', 'publicIPAddressVersion'), prop(b, 'sku', 'tier')),
  };
}

/** The `undecided` field of a public IP (or public IP configuration) whose version or tier is known only at deployment. */
export function undecidedField(version: Value | undefined, tier: Value | undefined): { undecided?: Unknown } {
  const u = undecidedOf(version, tier);
  return u ? { undecided: u } : {};
}

export function readPrefix(r: SourceResource): PublicIpPrefix {
  const b = r.body;
  const len = prop(b, 'properties', 'prefixLength');
  const ipPrefix = prop(b, 'properties', 'ipPrefix');
  return {
    kind: 'publicIpPrefix',
    sku: skuOr(prop(b, 'sku', 'name'), 'Standard'),
    version: str(prop(b, 'properties', 'publicIPAddressVersion'), 'IPv4'),
    prefixLength: typeof len === 'number' || len instanceof Unknown ? len : undefined,
    ipPrefix: typeof ipPrefix === 'string' && !hasPlaceholder(ipPrefix) ? ipPrefix : null,
    ...nodeBase(r),
    ...undecidedField(prop(b, 'properties', 'publicIPAddressVersion'), undefined),
  };
}

export function readNat(g: NetworkGraph, r: SourceResource): NatGateway {
  const p = prop(r.body, 'properties');
  const ips = refList(g, prop(p, 'publicIpAddresses'));
  const prefixes = refList(g, prop(p, 'publicIpPrefixes'));
  const ipsV6 = refList(g, prop(p, 'publicIpAddressesV6'));
  const prefixesV6 = refList(g, prop(p, 'publicIpPrefixesV6'));
  return {
    kind: 'natGateway',
    sku: skuOr(prop(r.body, 'sku', 'name'), 'Standard'),
    publicIps: ips.refs,
    publicIpPrefixes: prefixes.refs,
    publicIpsV6: ipsV6.refs,
    publicIpPrefixesV6: prefixesV6.refs,
    unknownIps: ips.unknown ?? prefixes.unknown,
    unknownIpsV6: ipsV6.unknown ?? prefixesV6.unknown,
    ...nodeBase(r),
  };
}
