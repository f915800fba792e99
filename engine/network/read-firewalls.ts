// Reader of Azure Firewalls: the ipconfigs whose public IPs carry outbound traffic, and the management ipconfig
// that never does. Imports template/, expressions/ and resources/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import type { SourceResource } from '../resources/types.js';
import type { Value } from '../expressions/value.js';
import { Unknown, isObject } from '../expressions/value.js';
import type { Firewall, FirewallIpConfig, NetworkGraph } from './graph.js';
import { decisive, list, locationIn, nodeBase, prop, skuOr, str, strOrUnknown } from './read-values.js';

/** `hubIPAddresses.publicIPs` of a firewall in a Virtual WAN hub: how many public IPs Azure gives it, and the ones the files name. */
export interface FirewallHubIps {
  readonly count: number | Unknown | undefined;
  readonly addresses: readonly (string | Unknown)[];
  readonly unknownAddresses: Unknown | undefined;
  readonly at: Location;
  /** Where `addresses` came from when an inventory gave them, or why an inventory that has the firewall did not (inventory-addresses.ts). */
  readonly note?: string;
}

function readHubIps(r: SourceResource): FirewallHubIps {
  const publicIps = prop(r.body, 'properties', 'hubIPAddresses', 'publicIPs');
  const c = decisive(prop(publicIps, 'count'));
  const count = c instanceof Unknown ? c : typeof c === 'number' ? c : typeof c === 'string' && /^\d+$/.test(c.trim()) ? Number(c) : undefined;
  const written = prop(publicIps, 'addresses');
  const addresses: (string | Unknown)[] = [];
  for (const a of list(written)) {
    const s = strOrUnknown(prop(a, 'address'));
    if (s !== undefined) addresses.push(s);
  }
  return { count, addresses, unknownAddresses: written instanceof Unknown ? written : undefined, at: locationIn(r, 'properties', 'hubIPAddresses') };
}

function readFirewallIpConfig(g: NetworkGraph, c: Value, loc: Location): FirewallIpConfig {
  return {
    name: str(prop(c, 'name'), ''),
    subnet: g.ref(prop(c, 'properties', 'subnet')),
    publicIp: g.ref(prop(c, 'properties', 'publicIPAddress')),
    privateIp: strOrUnknown(prop(c, 'properties', 'privateIPAddress')),
    at: loc,
  };
}

export function readFirewall(g: NetworkGraph, r: SourceResource): Firewall {
  const p = prop(r.body, 'properties');
  const mgmt = prop(p, 'managementIpConfiguration');
  const ipConfigs: FirewallIpConfig[] = [];
  const configList = list(prop(p, 'ipConfigurations'));
  for (let i = 0; i < configList.length; i++) ipConfigs.push(readFirewallIpConfig(g, configList[i], locationIn(r, 'properties', 'ipConfigurations', i)));
  return {
    kind: 'firewall',
    skuName: skuOr(prop(p, 'sku', 'name'), 'AZFW_VNet'),
    ipConfigs,
    management: isObject(mgmt) ? readFirewallIpConfig(g, mgmt, locationIn(r, 'properties', 'managementIpConfiguration')) : undefined,
    virtualHub: g.ref(prop(p, 'virtualHub')),
    hubIps: readHubIps(r),
    ...nodeBase(r),
  };
}
