// Reader of Azure Firewalls: the ipconfigs whose public IPs carry outbound traffic, and the management ipconfig
// that never does. Imports template/, expressions/ and resources/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import type { SourceResource } from '../resources/types.js';
import type { Value } from '../expressions/value.js';
import { Unknown, isObject } from '../expressions/value.js';
import type { Firewall, FirewallIpConfig, NetworkGraph } from './graph.js';
import { decisive, locationIn, nodeBase, refAt, skuOr, str, strOrUnknown } from './read-values.js';
import { arrayAt, checkSku, entries, typed, unknownOf } from './read-typed.js';

/** `hubIPAddresses.publicIPs` of a firewall in a Virtual WAN hub: how many public IPs Azure gives it, and the ones the files name. */
export interface FirewallHubIps {
  readonly count: number | Unknown | undefined;
  readonly addresses: readonly (string | Unknown)[];
  readonly unknownAddresses: Unknown | undefined;
  readonly at: Location;
  /** Where `addresses` came from when an inventory gave them, or why an inventory that has the firewall did not (inventory-addresses.ts). */
  readonly note?: string;
}

function readHubIps(g: NetworkGraph, r: SourceResource): FirewallHubIps {
  const at = locationIn(r, 'properties', 'hubIPAddresses');
  const c = decisive(typed(g, 'number', r.body, r.at, 'properties', 'hubIPAddresses', 'publicIPs', 'count'));
  const count = c instanceof Unknown ? c : typeof c === 'number' ? c : typeof c === 'string' && /^\d+$/.test(c.trim()) ? Number(c) : undefined;
  const written = arrayAt(g, r.body, r.at, 'properties', 'hubIPAddresses', 'publicIPs', 'addresses');
  const addresses: (string | Unknown)[] = [];
  const list = entries(written);
  for (let i = 0; i < list.length; i++) {
    // An entry that is not an object, or whose address is not a string: a finding and an unknown address.
    const s = strOrUnknown(typed(g, 'string', list[i], locationIn(r, 'properties', 'hubIPAddresses', 'publicIPs', 'addresses', i), 'address'));
    if (s !== undefined) addresses.push(s);
  }
  return { count, addresses, unknownAddresses: unknownOf(written), at };
}

function readFirewallIpConfig(g: NetworkGraph, c: Value, loc: Location): FirewallIpConfig {
  return {
    name: str(typed(g, 'string', c, loc, 'name'), ''),
    subnet: refAt(g, c, loc, 'properties', 'subnet'),
    publicIp: refAt(g, c, loc, 'properties', 'publicIPAddress'),
    privateIp: strOrUnknown(typed(g, 'string', c, loc, 'properties', 'privateIPAddress')),
    at: loc,
  };
}

export function readFirewall(g: NetworkGraph, r: SourceResource): Firewall {
  const b = r.body;
  checkSku(g, b, r.at, 'properties', 'sku');
  const mgmt = typed(g, 'object', b, r.at, 'properties', 'managementIpConfiguration');
  const ipConfigs: FirewallIpConfig[] = [];
  const configs = arrayAt(g, b, r.at, 'properties', 'ipConfigurations');
  const configList = entries(configs);
  for (let i = 0; i < configList.length; i++) ipConfigs.push(readFirewallIpConfig(g, configList[i], locationIn(r, 'properties', 'ipConfigurations', i)));
  // A list of ipconfigs of the wrong type: which public IPs the firewall has is not known.
  if (configs instanceof Unknown) ipConfigs.push({ name: '', subnet: undefined, publicIp: { kind: 'unknown', value: configs }, privateIp: undefined, at: locationIn(r, 'properties', 'ipConfigurations') });
  return {
    kind: 'firewall',
    skuName: skuOr(typed(g, 'string', b, r.at, 'properties', 'sku', 'name'), 'AZFW_VNet'),
    ipConfigs,
    management: isObject(mgmt) ? readFirewallIpConfig(g, mgmt, locationIn(r, 'properties', 'managementIpConfiguration')) : undefined,
    virtualHub: refAt(g, b, r.at, 'properties', 'virtualHub'),
    hubIps: readHubIps(g, r),
    ...nodeBase(r),
  };
}
