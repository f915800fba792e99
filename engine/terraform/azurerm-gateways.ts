// azurerm's gateways and peerings in ARM's shape, for the readers of what lets a subnet learn routes
// (engine/network/read-gateways.ts): virtual network gateways (VPN with or without BGP, ExpressRoute, the default
// site of forced tunnelling), local network gateways (their address space), the connections between them, VNet
// peerings (`use_remote_gateways`) and Azure Route Server. Each attribute is the provider's
// (registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/<name>), each property ARM's.
// Imports expressions/ only, besides engine/terraform/.
import type { Instance } from './plan.js';
import type { Identity, Reader } from './reader.js';
import type { ArmPath, Translated, Translation } from './translation.js';
import { block, idRef, obj, put, setAt } from './translation.js';
import { blocks, either } from './azurerm-network.js';

/**
 * azurerm_virtual_network_gateway: `type` (Vpn or ExpressRoute), BGP (4.x `bgp_enabled`, 3.x `enable_bgp`),
 * `default_local_network_gateway_id` ("through which outbound Internet traffic ... will be routed (forced
 * tunneling)", the provider's docs: ARM's gatewayDefaultSite) and its ip_configuration blocks (the GatewaySubnet
 * that says which VNet it serves).
 */
export function virtualNetworkGateway(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  put(t, ['properties', 'gatewayType'], r.value(inst, ['type'], 'value'), ['type']);
  put(t, ['properties', 'vpnType'], r.value(inst, ['vpn_type'], 'value'), ['vpn_type']);
  const bgp = either(r, inst, ['bgp_enabled', 'enable_bgp']);
  put(t, ['properties', 'enableBgp'], bgp.v, [bgp.name]);
  put(t, ['properties', 'gatewayDefaultSite'], idRef(r.value(inst, ['default_local_network_gateway_id'], 'id')), ['default_local_network_gateway_id']);
  // A list known only after apply (a dynamic block over a computed value) is carried whole: its Unknown makes the
  // GatewaySubnet, so which VNet the gateway serves, unknown rather than no VNet at all.
  if (r.unknownAt(inst, ['ip_configuration'])) {
    put(t, ['properties', 'ipConfigurations'], r.value(inst, ['ip_configuration'], 'value'), ['ip_configuration']);
    return;
  }
  const n = blocks(r, inst, ['ip_configuration']);
  setAt(t.body, ['properties', 'ipConfigurations'], []);
  for (let i = 0; i < n; i++) {
    const arm: ArmPath = ['properties', 'ipConfigurations', i];
    block(t, arm, ['ip_configuration', i]);
    put(t, [...arm, 'name'], r.value(inst, ['ip_configuration', i, 'name'], 'value'), ['ip_configuration', i, 'name']);
    setAt(t.body, [...arm, 'properties'], obj());
    put(t, [...arm, 'properties', 'subnet'], idRef(r.value(inst, ['ip_configuration', i, 'subnet_id'], 'id')), ['ip_configuration', i, 'subnet_id']);
    put(t, [...arm, 'properties', 'publicIPAddress'], idRef(r.value(inst, ['ip_configuration', i, 'public_ip_address_id'], 'id')), ['ip_configuration', i, 'public_ip_address_id']);
  }
}

/** azurerm_local_network_gateway: `address_space`, the prefixes Azure routes to it (0.0.0.0/0 among them sends all). */
export function localNetworkGateway(tr: Translation, inst: Instance, t: Translated): void {
  put(t, ['properties', 'localNetworkAddressSpace', 'addressPrefixes'], tr.reader.value(inst, ['address_space'], 'value'), ['address_space']);
}

/**
 * azurerm_virtual_network_gateway_connection: `type` (IPsec, Vnet2Vnet, ExpressRoute), the gateway it starts at, and
 * the local network gateway or the peer gateway it ends at (ARM's virtualNetworkGateway1, localNetworkGateway2,
 * virtualNetworkGateway2).
 */
export function gatewayConnection(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  put(t, ['properties', 'connectionType'], r.value(inst, ['type'], 'value'), ['type']);
  put(t, ['properties', 'virtualNetworkGateway1'], idRef(r.value(inst, ['virtual_network_gateway_id'], 'id')), ['virtual_network_gateway_id']);
  put(t, ['properties', 'localNetworkGateway2'], idRef(r.value(inst, ['local_network_gateway_id'], 'id')), ['local_network_gateway_id']);
  put(t, ['properties', 'virtualNetworkGateway2'], idRef(r.value(inst, ['peer_virtual_network_gateway_id'], 'id')), ['peer_virtual_network_gateway_id']);
}

/**
 * azurerm_virtual_network_peering (a child of the VNet `virtual_network_name` names): the remote VNet,
 * `use_remote_gateways` (this VNet learns the routes of the remote VNet's gateway or Route Server) and
 * `allow_gateway_transit`; both "Defaults to false" (the provider's docs), as ARM's.
 */
export function virtualNetworkPeering(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  put(t, ['properties', 'remoteVirtualNetwork'], idRef(r.value(inst, ['remote_virtual_network_id'], 'id')), ['remote_virtual_network_id']);
  put(t, ['properties', 'useRemoteGateways'], r.value(inst, ['use_remote_gateways'], 'value'), ['use_remote_gateways']);
  put(t, ['properties', 'allowGatewayTransit'], r.value(inst, ['allow_gateway_transit'], 'value'), ['allow_gateway_transit']);
}

/** The name the provider gives a Route Server's one IP configuration (its create call writes it so). */
const ROUTE_SERVER_IPCONFIG = 'ipConfig1';

/**
 * azurerm_route_server: the provider creates a virtual hub (its id) and in it one IP configuration in `subnet_id`
 * (the VNet's RouteServerSubnet), which is what says which VNet learns its routes: the ARM resource read is that IP
 * configuration (Microsoft.Network/virtualHubs/ipConfigurations).
 */
export function routeServerIdentity(r: Reader, inst: Instance, name: string): Identity {
  const known = r.known(inst, ['id']);
  const hub = typeof known === 'string' && known.indexOf('/providers/') >= 0 ? known.replace(/\/+$/, '') : r.syntheticId(inst, 'Microsoft.Network/virtualHubs', name);
  return { type: 'Microsoft.Network/virtualHubs/ipConfigurations', name: `${name}/${ROUTE_SERVER_IPCONFIG}`, id: `${hub}/ipConfigurations/${ROUTE_SERVER_IPCONFIG}` };
}

export function routeServer(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  put(t, ['properties', 'subnet'], idRef(r.value(inst, ['subnet_id'], 'id')), ['subnet_id']);
  put(t, ['properties', 'publicIPAddress'], idRef(r.value(inst, ['public_ip_address_id'], 'id')), ['public_ip_address_id']);
}
