// azurerm's Virtual WAN in ARM's shape, for the readers of what a hub gives its spokes
// (engine/network/read-virtual-wan.ts): virtual hubs (their Virtual WAN and own routes), hub VNet connections
// (`internet_security_enabled`, `routing`), routing intent, hub route tables, and what lets a hub learn a default
// route (its VPN and ExpressRoute gateways, BGP connections). The firewall of a secured hub is azurerm_firewall's
// `virtual_hub` block (azurerm-services.ts). Each attribute is the provider's
// (registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/<name>), each property ARM's.
// Imports expressions/ only, besides engine/terraform/.
import type { Instance } from './plan.js';
import type { Step } from './references.js';
import type { ArmPath, Translated, Translation } from './translation.js';
import { block, idRef, obj, put, setAt } from './translation.js';
import { blocks } from './azurerm-network.js';

/** azurerm_virtual_wan: nothing the readers decide on (a hub's `virtual_wan_id` names it). */
export function virtualWan(): void {
  // Its identity is all that matters: it tells a Virtual WAN hub from a Route Server.
}

/**
 * azurerm_virtual_hub: `virtual_wan_id`, and its `route` blocks (`address_prefixes` to `next_hop_ip_address`),
 * ARM's `routeTable.routes`, where a 0.0.0.0/0 route to an address is a default route the hub gives its spokes.
 */
export function virtualHub(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  put(t, ['properties', 'virtualWan'], idRef(r.value(inst, ['virtual_wan_id'], 'id')), ['virtual_wan_id']);
  put(t, ['properties', 'addressPrefix'], r.value(inst, ['address_prefix'], 'value'), ['address_prefix']);
  const n = blocks(r, inst, ['route']);
  if (n === 0 && !r.unknownAt(inst, ['route'])) return;
  if (r.unknownAt(inst, ['route'])) {
    put(t, ['properties', 'routeTable', 'routes'], r.value(inst, ['route'], 'value'), ['route']);
    return;
  }
  setAt(t.body, ['properties', 'routeTable', 'routes'], []);
  for (let i = 0; i < n; i++) {
    const arm: ArmPath = ['properties', 'routeTable', 'routes', i];
    const p: Step[] = ['route', i];
    block(t, arm, p);
    setAt(t.body, arm, obj());
    put(t, [...arm, 'addressPrefixes'], r.value(inst, [...p, 'address_prefixes'], 'value'), [...p, 'address_prefixes']);
    put(t, [...arm, 'nextHopIpAddress'], r.value(inst, [...p, 'next_hop_ip_address'], 'value'), [...p, 'next_hop_ip_address']);
  }
}

/**
 * azurerm_virtual_hub_connection (a child of the hub `virtual_hub_id` names): the spoke VNet,
 * `internet_security_enabled` ("Defaults to false", the provider's docs: the hub's default route is not given to
 * the spoke unless it is set), and its `routing` block: the associated route table and static VNet routes.
 */
export function hubConnection(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  put(t, ['properties', 'remoteVirtualNetwork'], idRef(r.value(inst, ['remote_virtual_network_id'], 'id')), ['remote_virtual_network_id']);
  put(t, ['properties', 'enableInternetSecurity'], r.value(inst, ['internet_security_enabled'], 'value'), ['internet_security_enabled']);
  if (blocks(r, inst, ['routing']) === 0) return;
  const routing: ArmPath = ['properties', 'routingConfiguration'];
  put(t, [...routing, 'associatedRouteTable'], idRef(r.value(inst, ['routing', 0, 'associated_route_table_id'], 'id')), ['routing', 0, 'associated_route_table_id']);
  const n = blocks(r, inst, ['routing', 0, 'static_vnet_route']);
  if (n === 0) return;
  setAt(t.body, [...routing, 'vnetRoutes', 'staticRoutes'], []);
  for (let i = 0; i < n; i++) {
    const arm: ArmPath = [...routing, 'vnetRoutes', 'staticRoutes', i];
    const p: Step[] = ['routing', 0, 'static_vnet_route', i];
    block(t, arm, p);
    setAt(t.body, arm, obj());
    put(t, [...arm, 'name'], r.value(inst, [...p, 'name'], 'value'), [...p, 'name']);
    put(t, [...arm, 'addressPrefixes'], r.value(inst, [...p, 'address_prefixes'], 'value'), [...p, 'address_prefixes']);
    put(t, [...arm, 'nextHopIpAddress'], r.value(inst, [...p, 'next_hop_ip_address'], 'value'), [...p, 'next_hop_ip_address']);
  }
}

/** azurerm_virtual_hub_routing_intent: its `routing_policy` blocks (`destinations` Internet or PrivateTraffic, `next_hop`). */
export function routingIntent(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  if (r.unknownAt(inst, ['routing_policy'])) {
    put(t, ['properties', 'routingPolicies'], r.value(inst, ['routing_policy'], 'value'), ['routing_policy']);
    return;
  }
  const n = blocks(r, inst, ['routing_policy']);
  setAt(t.body, ['properties', 'routingPolicies'], []);
  for (let i = 0; i < n; i++) {
    const arm: ArmPath = ['properties', 'routingPolicies', i];
    const p: Step[] = ['routing_policy', i];
    block(t, arm, p);
    setAt(t.body, arm, obj());
    put(t, [...arm, 'name'], r.value(inst, [...p, 'name'], 'value'), [...p, 'name']);
    put(t, [...arm, 'destinations'], r.value(inst, [...p, 'destinations'], 'value'), [...p, 'destinations']);
    // ARM's nextHop is the id itself, not a reference object.
    put(t, [...arm, 'nextHop'], r.value(inst, [...p, 'next_hop'], 'id'), [...p, 'next_hop']);
  }
}

/** azurerm_virtual_hub_route_table: its `route` blocks (`destinations_type`, `destinations`, `next_hop_type`, `next_hop`). */
export function hubRouteTable(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  if (r.unknownAt(inst, ['route'])) {
    put(t, ['properties', 'routes'], r.value(inst, ['route'], 'value'), ['route']);
    return;
  }
  const n = blocks(r, inst, ['route']);
  setAt(t.body, ['properties', 'routes'], []);
  for (let i = 0; i < n; i++) {
    const arm: ArmPath = ['properties', 'routes', i];
    const p: Step[] = ['route', i];
    block(t, arm, p);
    setAt(t.body, arm, obj());
    put(t, [...arm, 'name'], r.value(inst, [...p, 'name'], 'value'), [...p, 'name']);
    put(t, [...arm, 'destinationType'], r.value(inst, [...p, 'destinations_type'], 'value'), [...p, 'destinations_type']);
    put(t, [...arm, 'destinations'], r.value(inst, [...p, 'destinations'], 'value'), [...p, 'destinations']);
    // next_hop_type "Defaults to ResourceId" (the provider's docs).
    put(t, [...arm, 'nextHopType'], r.value(inst, [...p, 'next_hop_type'], 'value') ?? 'ResourceId', [...p, 'next_hop_type']);
    put(t, [...arm, 'nextHop'], r.value(inst, [...p, 'next_hop'], 'id'), [...p, 'next_hop']);
  }
}

/** azurerm_vpn_gateway, azurerm_express_route_gateway: the hub (`virtual_hub_id`) that may learn routes through them. */
export function hubGateway(tr: Translation, inst: Instance, t: Translated): void {
  put(t, ['properties', 'virtualHub'], idRef(tr.reader.value(inst, ['virtual_hub_id'], 'id')), ['virtual_hub_id']);
}
