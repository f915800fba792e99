// azurerm's Virtual WAN in ARM's shape, for the readers of what a hub gives its spokes
// (engine/network/read-virtual-wan.ts): virtual hubs (their Virtual WAN and own routes), hub VNet connections
// (`internet_security_enabled`, `routing`), routing intent, hub route tables, and what lets a hub learn a default
// route (its VPN and ExpressRoute gateways, BGP connections). The firewall of a secured hub is azurerm_firewall's
// `virtual_hub` block (azurerm-services.ts). Each attribute is the provider's
// (registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/<name>), each property ARM's.
// Imports expressions/ only, besides engine/terraform/.
import { Unknown } from '../expressions/value.js';
import type { Instance } from './plan.js';
import type { Step } from './references.js';
import type { ArmPath, Translated, Translation } from './translation.js';
import { block, getAt, idRef, obj, put, setAt } from './translation.js';
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

const HUB_ROUTE_TABLE = 'Microsoft.Network/virtualHubs/hubRouteTables';

/**
 * The hub route table a route resource adds to: one of the plan's, or the default route table a hub of the plan
 * creates with itself (`default_route_table_id`, ARM's `hubRouteTables/defaultRouteTable`, which the plan has no
 * resource for: https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing), then made here with the
 * routes added to it. Undefined for a table outside the plan.
 */
function routeTableOf(tr: Translation, inst: Instance, id: string): Translated | undefined {
  const t = tr.find(id);
  if (t) return t.ident.type.toLowerCase() === HUB_ROUTE_TABLE.toLowerCase() ? t : undefined;
  const m = /^(.*)\/hubRouteTables\/defaultRouteTable\/*$/i.exec(id);
  const hub = m ? tr.find(m[1]) : undefined;
  if (!hub || hub.ident.type !== 'Microsoft.Network/virtualHubs') return undefined;
  const table: Translated = { inst, ident: { type: HUB_ROUTE_TABLE, name: `${hub.ident.name}/defaultRouteTable`, id: `${hub.ident.id}/hubRouteTables/defaultRouteTable` }, body: obj(), places: [{ arm: [], inst, path: [] }], existing: false, apiVersion: '' };
  setAt(table.body, ['properties', 'routes'], []);
  tr.add(table);
  return table;
}

/**
 * azurerm_virtual_hub_route_table_route: one route (`destinations_type`, `destinations`, `next_hop_type`, `next_hop`)
 * of the hub route table `route_table_id` names, folded into that table's `routes` as a `route` block of
 * azurerm_virtual_hub_route_table is. A table whose routes are known only after apply stays so; a table that cannot
 * be told, or that is outside the plan, leaves every path unknown, naming the route (never a guess).
 */
export function hubRoute(tr: Translation, inst: Instance): void {
  const r = tr.reader;
  const id = r.value(inst, ['route_table_id'], 'id', HUB_ROUTE_TABLE);
  if (id instanceof Unknown) return tr.unfollowable(inst, 'route_table_id', id);
  const table = typeof id === 'string' ? routeTableOf(tr, inst, id) : undefined;
  if (!table) {
    tr.unresolved.push({ name: inst.address, at: { file: tr.file, pointer: inst.pointer }, reason: `the hub route table its route_table_id names (${String(id)}) is not in the plan`, what: `route '${inst.address}'` });
    return;
  }
  const routes = getAt(table.body, ['properties', 'routes']);
  if (!Array.isArray(routes)) return;
  const arm: ArmPath = ['properties', 'routes', routes.length];
  const entry = obj();
  setAt(table.body, arm, entry);
  table.places.push({ arm, inst, path: [] });
  put(table, [...arm, 'name'], r.value(inst, ['name'], 'value'), ['name'], inst);
  put(table, [...arm, 'destinationType'], r.value(inst, ['destinations_type'], 'value'), ['destinations_type'], inst);
  put(table, [...arm, 'destinations'], r.value(inst, ['destinations'], 'value'), ['destinations'], inst);
  // next_hop_type "Defaults to ResourceId" (the provider's docs).
  put(table, [...arm, 'nextHopType'], r.value(inst, ['next_hop_type'], 'value') ?? 'ResourceId', ['next_hop_type'], inst);
  put(table, [...arm, 'nextHop'], r.value(inst, ['next_hop'], 'id'), ['next_hop'], inst);
}
