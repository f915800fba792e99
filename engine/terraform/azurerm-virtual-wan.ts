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
  blockList(tr, inst, t, ['properties', 'routeTable', 'routes'], ['route'], [
    ['addressPrefixes', 'address_prefixes', 'value'],
    ['nextHopIpAddress', 'next_hop_ip_address', 'value'],
  ], false);
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
  // `routing` is optional and computed: unwritten, Azure associates the connection with its hub's defaultRouteTable
  // (https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing#association) and the plan shows it
  // known only after apply. Written but known only after apply (a dynamic block over a computed value), which route
  // table it names is not known: never read as the default one.
  if (r.unknownAt(inst, ['routing'])) {
    if (!r.hasBlocks(inst, 'routing')) {
      const unseen = r.unseenDynamic(inst, 'routing');
      if (unseen) put(t, ['properties', 'routingConfiguration'], unseen, ['routing']);
      return;
    }
    // The plan's configuration leaves a dynamic block out: only the .tf source showed it.
    const why = r.configExpression(inst, ['routing']) === undefined ? new Unknown('runtime', `${inst.address}.routing is known only after apply, and it is written in a dynamic "routing" block`) : r.value(inst, ['routing'], 'value');
    put(t, ['properties', 'routingConfiguration'], why, ['routing']);
    return;
  }
  if (blocks(r, inst, ['routing']) === 0) return;
  const routing: ArmPath = ['properties', 'routingConfiguration'];
  put(t, [...routing, 'associatedRouteTable'], idRef(r.value(inst, ['routing', 0, 'associated_route_table_id'], 'id')), ['routing', 0, 'associated_route_table_id']);
  blockList(tr, inst, t, [...routing, 'vnetRoutes', 'staticRoutes'], ['routing', 0, 'static_vnet_route'], [
    ['name', 'name', 'value'],
    ['addressPrefixes', 'address_prefixes', 'value'],
    ['nextHopIpAddress', 'next_hop_ip_address', 'value'],
  ], false);
}

/** azurerm_virtual_hub_routing_intent: its `routing_policy` blocks (`destinations` Internet or PrivateTraffic, `next_hop`). */
export function routingIntent(tr: Translation, inst: Instance, t: Translated): void {
  blockList(tr, inst, t, ['properties', 'routingPolicies'], ['routing_policy'], [
    ['name', 'name', 'value'],
    ['destinations', 'destinations', 'value'],
    // ARM's nextHop is the id itself, not a reference object.
    ['nextHop', 'next_hop', 'id'],
  ], true);
}

/** azurerm_virtual_hub_route_table: its `route` blocks (`destinations_type`, `destinations`, `next_hop_type`, `next_hop`). */
export function hubRouteTable(tr: Translation, inst: Instance, t: Translated): void {
  blockList(tr, inst, t, ['properties', 'routes'], ['route'], [
    ['name', 'name', 'value'],
    ['destinationType', 'destinations_type', 'value'],
    ['destinations', 'destinations', 'value'],
    // next_hop_type "Defaults to ResourceId" (the provider's docs).
    ['nextHopType', 'next_hop_type', 'value', 'ResourceId'],
    ['nextHop', 'next_hop', 'id'],
  ], true);
}

/** One attribute of a block as an ARM property: ARM's name, Terraform's, how it is read, and its default. */
type Field = readonly [arm: string, tf: string, want: 'id' | 'value', fallback?: string];

/**
 * Terraform's blocks at `tf` as ARM's array at `arm`, one object of `fields` per block. A list known only after
 * apply is carried whole (its Unknown makes what reads it unknown, never an empty list); with no block, the array is
 * written empty when `empty` says so, else left out.
 */
function blockList(tr: Translation, inst: Instance, t: Translated, arm: ArmPath, tf: readonly Step[], fields: readonly Field[], empty: boolean): void {
  const r = tr.reader;
  if (r.unknownAt(inst, tf)) {
    put(t, arm, r.value(inst, tf, 'value'), tf);
    return;
  }
  const n = blocks(r, inst, tf);
  if (n === 0 && !empty) return;
  setAt(t.body, arm, []);
  for (let i = 0; i < n; i++) {
    const at: ArmPath = [...arm, i];
    const p: Step[] = [...tf, i];
    block(t, at, p);
    setAt(t.body, at, obj());
    for (const [armName, tfName, want, fallback] of fields) put(t, [...at, armName], r.value(inst, [...p, tfName], want) ?? fallback, [...p, tfName]);
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
