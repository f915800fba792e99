// Reader of Azure Firewalls: the ipconfigs whose public IPs carry outbound traffic, and the management ipconfig
// that never does. Imports template/, expressions/ and resources/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import type { SourceResource } from '../resources/types.js';
import type { Value } from '../expressions/value.js';
import { isObject } from '../expressions/value.js';
import type { Firewall, FirewallIpConfig, NetworkGraph } from './graph.js';
import { list, locationIn, nodeBase, prop, skuOr, str, strOrUnknown } from './read-values.js';

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
    ...nodeBase(r),
  };
}
