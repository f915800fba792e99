// Readers of the resources that own public addresses: public IPs, public IP prefixes and NAT gateways.
// Imports expressions/ and resources/ only, besides engine/network/.
import type { SourceResource } from '../resources/types.js';
import type { Value } from '../expressions/value.js';
import { Unknown } from '../expressions/value.js';
import type { NatGateway, NetworkGraph, PublicIp, PublicIpPrefix } from './graph.js';
import { decisive, nodeBase, refAt, refListAt, skuOr, str, undecidedOf } from './read-values.js';
import { typed } from './read-typed.js';
import { hasPlaceholder } from '../expressions/placeholder.js';

/** The allocation method of a public IP (or a VM's public IP configuration) of SKU `sku`. */
export function allocationOf(written: Value | undefined, sku: string | Unknown): string | Unknown {
  const alloc = decisive(written);
  // Without an allocation method, Standard addresses are static and Basic ones dynamic (Microsoft.Network schema defaults).
  return alloc instanceof Unknown ? alloc : typeof alloc === 'string' ? alloc : typeof sku === 'string' && sku.toLowerCase() !== 'basic' ? 'Static' : 'Dynamic';
}

export function readPublicIp(g: NetworkGraph, r: SourceResource): PublicIp {
  const b = r.body;
  const sku = skuOr(typed(g, 'string', b, r.at, 'sku', 'name'), 'Basic');
  const ip = typed(g, 'string', b, r.at, 'properties', 'ipAddress');
  const version = typed(g, 'string', b, r.at, 'properties', 'publicIPAddressVersion');
  const tier = typed(g, 'string', b, r.at, 'sku', 'tier');
  return {
    kind: 'publicIp',
    sku,
    tier: str(tier, 'Regional'),
    allocation: allocationOf(typed(g, 'string', b, r.at, 'properties', 'publicIPAllocationMethod'), sku),
    version: str(version, 'IPv4'),
    prefix: refAt(g, b, r.at, 'properties', 'publicIPPrefix'),
    address: typeof ip === 'string' && !hasPlaceholder(ip) ? ip : null,
    ...nodeBase(r),
    ...undecidedField(version, tier),
  };
}

/** The `undecided` field of a public IP (or public IP configuration) whose version or tier is known only at deployment. */
export function undecidedField(version: Value | undefined, tier: Value | undefined): { undecided?: Unknown } {
  const u = undecidedOf(version, tier);
  return u ? { undecided: u } : {};
}

export function readPrefix(g: NetworkGraph, r: SourceResource): PublicIpPrefix {
  const b = r.body;
  const len = typed(g, 'number', b, r.at, 'properties', 'prefixLength');
  const ipPrefix = typed(g, 'string', b, r.at, 'properties', 'ipPrefix');
  const version = typed(g, 'string', b, r.at, 'properties', 'publicIPAddressVersion');
  return {
    kind: 'publicIpPrefix',
    sku: skuOr(typed(g, 'string', b, r.at, 'sku', 'name'), 'Standard'),
    version: str(version, 'IPv4'),
    prefixLength: typeof len === 'number' || len instanceof Unknown ? len : typeof len === 'string' ? Number(len) : undefined,
    ipPrefix: typeof ipPrefix === 'string' && !hasPlaceholder(ipPrefix) ? ipPrefix : null,
    ...nodeBase(r),
    ...undecidedField(version, undefined),
  };
}

export function readNat(g: NetworkGraph, r: SourceResource): NatGateway {
  const b = r.body;
  const ips = refListAt(g, b, r.at, 'properties', 'publicIpAddresses');
  const prefixes = refListAt(g, b, r.at, 'properties', 'publicIpPrefixes');
  const ipsV6 = refListAt(g, b, r.at, 'properties', 'publicIpAddressesV6');
  const prefixesV6 = refListAt(g, b, r.at, 'properties', 'publicIpPrefixesV6');
  return {
    kind: 'natGateway',
    sku: skuOr(typed(g, 'string', b, r.at, 'sku', 'name'), 'Standard'),
    publicIps: ips.refs,
    publicIpPrefixes: prefixes.refs,
    publicIpsV6: ipsV6.refs,
    publicIpPrefixesV6: prefixesV6.refs,
    unknownIps: ips.unknown ?? prefixes.unknown,
    unknownIpsV6: ipsV6.unknown ?? prefixesV6.unknown,
    ...nodeBase(r),
  };
}
