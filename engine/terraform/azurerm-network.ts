// azurerm's addresses and subnets in ARM's shape: public IPs and prefixes, NAT gateways, virtual networks with their
// inline subnets, subnets, route tables and routes, and the association resources that attach a NAT gateway or a
// route table to a subnet and public IPs to a NAT gateway. Each attribute is the provider's
// (registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/<name>), each property ARM's.
// Imports expressions/ only, besides engine/terraform/.
import { Unknown } from '../expressions/value.js';
import type { Value } from '../expressions/value.js';
import type { Instance } from './plan.js';
import type { Reader } from './reader.js';
import { expectedType } from './reader.js';
import type { Step } from './references.js';
import type { ArmPath, Translated, Translation } from './translation.js';
import { block, getAt, idRef, obj, put, setAt } from './translation.js';

/** The first of several attribute names the plan has a value for (providers 3.x and 4.x spell some differently). */
export function either(r: Reader, inst: Instance, names: readonly string[], want: 'id' | 'name' | 'value' = 'value'): { v: Value | undefined; name: string } {
  for (const n of names) {
    const v = r.value(inst, [n], want);
    if (v !== undefined) return { v, name: n };
  }
  return { v: undefined, name: names[0] };
}

/** The number of blocks the plan has at a path (0 when it has none or does not know them). */
export function blocks(r: Reader, inst: Instance, path: readonly Step[]): number {
  const v = r.known(inst, path);
  return Array.isArray(v) ? v.length : 0;
}

/** A boolean negated, an Unknown kept (a 4.x `*_enabled` flag read into ARM's `disable*` property). */
export function not(v: Value | undefined): Value | undefined {
  return typeof v === 'boolean' ? !v : v;
}

/**
 * A list of ids (`network_interface_ids`, `backend_address_pool_ids`): the known ones, and for those known only
 * after apply, what the list expression's references name, in the order written; an Unknown when that cannot be told.
 */
export function idList(r: Reader, inst: Instance, path: readonly Step[]): Value[] | Unknown | undefined {
  const where = `${inst.address}.${path.join('.')}`;
  const whole = r.unknownAt(inst, path);
  const known = whole ? undefined : r.known(inst, path);
  if (!whole && !Array.isArray(known)) return undefined;
  const list = known as readonly unknown[] | undefined;
  let anyUnknown = whole;
  for (let i = 0; !anyUnknown && list && i < list.length; i++) if (r.unknownAt(inst, [...path, i])) anyUnknown = true;
  if (!anyUnknown) return (list ?? []).filter((x): x is string => typeof x === 'string');
  const expr = r.configExpression(inst, path);
  if (expr instanceof Unknown) return expr;
  const targets = r.refs.resolve(expr, r.scopeOf(inst));
  const expect = expectedType(path)?.toLowerCase();
  const out: Value[] = [];
  for (const t of targets) {
    if (t.kind === 'none') return new Unknown('runtime', `${where} is known only after apply, and ${t.why}`);
    if (t.kind !== 'attr') continue;
    // Each reference of the list is one element, in the order written: a candidate from a map or a reference to
    // something else (concat, a conditional) leaves the elements unknown.
    if (t.candidate || (expect !== undefined && r.typeOfTarget(t)?.toLowerCase() !== expect)) return new Unknown('runtime', `${where} is known only after apply, and its expression does not show which reference is which element`);
    out.push(r.ofTarget(t, 'id') ?? new Unknown('runtime', `${where} is known only after apply`));
  }
  if (list && list.length !== out.length) return new Unknown('runtime', `${where} is known only after apply, and its expression does not show which reference is which element`);
  for (let i = 0; list && i < list.length; i++) if (typeof list[i] === 'string' && !r.unknownAt(inst, [...path, i])) out[i] = list[i] as string;
  return out;
}

/** Public IP: SKU and tier, allocation method, IP version, the prefix it comes from, and its address when known. */
export function publicIp(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  put(t, ['sku', 'name'], r.value(inst, ['sku'], 'value'), ['sku']);
  put(t, ['sku', 'tier'], r.value(inst, ['sku_tier'], 'value'), ['sku_tier']);
  put(t, ['properties', 'publicIPAllocationMethod'], r.value(inst, ['allocation_method'], 'value'), ['allocation_method']);
  put(t, ['properties', 'publicIPAddressVersion'], r.value(inst, ['ip_version'], 'value'), ['ip_version']);
  put(t, ['properties', 'publicIPPrefix'], idRef(r.value(inst, ['public_ip_prefix_id'], 'id')), ['public_ip_prefix_id']);
  put(t, ['properties', 'ipAddress'], r.value(inst, ['ip_address'], 'value'), ['ip_address']);
}

export function publicIpPrefix(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  put(t, ['sku', 'name'], r.value(inst, ['sku'], 'value'), ['sku']);
  put(t, ['sku', 'tier'], r.value(inst, ['sku_tier'], 'value'), ['sku_tier']);
  put(t, ['properties', 'prefixLength'], r.value(inst, ['prefix_length'], 'value'), ['prefix_length']);
  put(t, ['properties', 'publicIPAddressVersion'], r.value(inst, ['ip_version'], 'value'), ['ip_version']);
  put(t, ['properties', 'ipPrefix'], r.value(inst, ['ip_prefix'], 'value'), ['ip_prefix']);
}

/** NAT gateway: its SKU; its public IPs and prefixes come from association resources. */
export function natGateway(tr: Translation, inst: Instance, t: Translated): void {
  put(t, ['sku', 'name'], tr.reader.value(inst, ['sku_name'], 'value'), ['sku_name']);
}

/** A subnet's properties from a subnet resource or an inline `subnet` block at `path` ([] for the resource). */
function subnetProperties(tr: Translation, inst: Instance, t: Translated, arm: ArmPath, path: readonly Step[]): void {
  const r = tr.reader;
  // 3.x wrote one `address_prefix` (later deprecated); 4.x writes `address_prefixes`.
  put(t, [...arm, 'addressPrefixes'], r.value(inst, [...path, 'address_prefixes'], 'value'), [...path, 'address_prefixes']);
  put(t, [...arm, 'addressPrefix'], r.value(inst, [...path, 'address_prefix'], 'value'), [...path, 'address_prefix']);
  // azurerm sends defaultOutboundAccess always (default true), so a subnet it creates never relies on the API default.
  put(t, [...arm, 'defaultOutboundAccess'], r.value(inst, [...path, 'default_outbound_access_enabled'], 'value'), [...path, 'default_outbound_access_enabled']);
}

export function subnet(tr: Translation, inst: Instance, t: Translated): void {
  subnetProperties(tr, inst, t, ['properties'], []);
}

/**
 * VNet: its address space and inline `subnet` blocks. `subnet` is optional and computed: a VNet whose subnets are
 * azurerm_subnet resources has it "known after apply" in a plan, which says nothing about its subnets.
 */
export function virtualNetwork(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  put(t, ['properties', 'addressSpace', 'addressPrefixes'], r.value(inst, ['address_space'], 'value'), ['address_space']);
  if (r.unknownAt(inst, ['subnet'])) {
    if (r.configExpression(inst, ['subnet']) !== undefined || r.hasBlocks(inst, 'subnet')) put(t, ['properties', 'subnets'], new Unknown('runtime', `${inst.address}.subnet is known only after apply`), ['subnet']);
    return;
  }
  const n = blocks(r, inst, ['subnet']);
  setAt(t.body, ['properties', 'subnets'], []);
  for (let i = 0; i < n; i++) {
    const arm: ArmPath = ['properties', 'subnets', i];
    block(t, arm, ['subnet', i]);
    put(t, [...arm, 'name'], r.value(inst, ['subnet', i, 'name'], 'value'), ['subnet', i, 'name']);
    setAt(t.body, [...arm, 'properties'], obj());
    subnetProperties(tr, inst, t, [...arm, 'properties'], ['subnet', i]);
    // Newer 4.x releases take the route table inline (`route_table_id`) for a subnet written in its VNet.
    put(t, [...arm, 'properties', 'routeTable'], idRef(r.value(inst, ['subnet', i, 'route_table_id'], 'id')), ['subnet', i, 'route_table_id']);
  }
}

/** A route's properties from an azurerm_route resource or an inline `route` block at `path`. */
function routeProperties(tr: Translation, inst: Instance, t: Translated, arm: ArmPath, path: readonly Step[]): void {
  const r = tr.reader;
  put(t, [...arm, 'addressPrefix'], r.value(inst, [...path, 'address_prefix'], 'value'), [...path, 'address_prefix']);
  put(t, [...arm, 'nextHopType'], r.value(inst, [...path, 'next_hop_type'], 'value'), [...path, 'next_hop_type']);
  put(t, [...arm, 'nextHopIpAddress'], r.value(inst, [...path, 'next_hop_in_ip_address'], 'value'), [...path, 'next_hop_in_ip_address']);
}

/** Route table: inline `route` blocks (optional and computed, as a VNet's subnets) and BGP route propagation. */
export function routeTable(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  // 4.x: bgp_route_propagation_enabled (default true); 3.x: disable_bgp_route_propagation (default false).
  const enabled = r.value(inst, ['bgp_route_propagation_enabled'], 'value');
  if (enabled !== undefined) put(t, ['properties', 'disableBgpRoutePropagation'], not(enabled), ['bgp_route_propagation_enabled']);
  else put(t, ['properties', 'disableBgpRoutePropagation'], r.value(inst, ['disable_bgp_route_propagation'], 'value'), ['disable_bgp_route_propagation']);
  if (r.unknownAt(inst, ['route'])) {
    // Not written in the plan's configuration: a dynamic block the plan does not show could add a 0.0.0.0/0, so
    // without the source the table's routes are not known, unless azurerm_route resources write into the table: the
    // provider does not take inline routes beside them ("you cannot use a Route Table with in-line Routes in
    // conjunction with any Route resources", registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/route_table).
    if (r.configExpression(inst, ['route']) !== undefined || r.hasBlocks(inst, 'route')) put(t, ['properties', 'routes'], new Unknown('runtime', `${inst.address}.route is known only after apply`), ['route']);
    else if (!r.hasChild(inst, 'azurerm_route')) {
      const unseen = r.unseenDynamic(inst, 'route');
      if (unseen) put(t, ['properties', 'routes'], unseen, ['route']);
    }
    return;
  }
  const n = blocks(r, inst, ['route']);
  setAt(t.body, ['properties', 'routes'], []);
  for (let i = 0; i < n; i++) {
    const arm: ArmPath = ['properties', 'routes', i];
    block(t, arm, ['route', i]);
    put(t, [...arm, 'name'], r.value(inst, ['route', i, 'name'], 'value'), ['route', i, 'name']);
    setAt(t.body, [...arm, 'properties'], obj());
    routeProperties(tr, inst, t, [...arm, 'properties'], ['route', i]);
  }
}

export function route(tr: Translation, inst: Instance, t: Translated): void {
  routeProperties(tr, inst, t, ['properties'], []);
}

/** The part an association names by an attribute, or why it cannot be told (then nothing is folded, and it is said). */
function target(tr: Translation, inst: Instance, attr: string, list?: string) {
  const id = tr.reader.value(inst, [attr], 'id');
  if (id instanceof Unknown) {
    tr.unfollowable(inst, attr, id);
    return undefined;
  }
  return tr.part(id, list);
}

/** Appends a reference to a list property of a part, placed at the association that adds it. */
function append(part: { t: Translated; base: ArmPath }, prop: string, ref: Value | undefined, from: Instance): void {
  if (ref === undefined) return;
  const path = [...part.base, 'properties', prop];
  const cur = getAt(part.t.body, path);
  const list = Array.isArray(cur) ? (cur as Value[]) : [];
  if (!Array.isArray(cur)) setAt(part.t.body, path, list);
  list.push(ref);
  part.t.places.push({ arm: [...path, list.length - 1], inst: from, path: [] });
}

/** azurerm_subnet_nat_gateway_association, azurerm_subnet_route_table_association: the subnet's natGateway / routeTable. */
export function subnetAssociation(tr: Translation, inst: Instance, prop: 'natGateway' | 'routeTable', attr: string): void {
  const part = target(tr, inst, 'subnet_id', 'subnets');
  if (!part) return;
  const ref = idRef(tr.reader.value(inst, [attr], 'id'));
  if (ref === undefined) return;
  const path = [...part.base, 'properties', prop];
  setAt(part.t.body, path, ref);
  part.t.places.push({ arm: path, inst, path: [] });
}

/**
 * azurerm_nat_gateway_public_ip_association and _public_ip_prefix_association: an IPv6 address or prefix joins the
 * NAT gateway's IPv6 list, as the provider does (it reads the IP's version before it updates the gateway).
 */
export function natAssociation(tr: Translation, inst: Instance, kind: 'ip' | 'prefix'): void {
  const part = target(tr, inst, 'nat_gateway_id');
  if (!part) return;
  const id = tr.reader.value(inst, [kind === 'ip' ? 'public_ip_address_id' : 'public_ip_prefix_id'], 'id');
  const version = getAt(tr.find(id)?.body ?? null, ['properties', 'publicIPAddressVersion']);
  const v6 = typeof version === 'string' && version.toLowerCase() === 'ipv6';
  const prop = kind === 'ip' ? (v6 ? 'publicIpAddressesV6' : 'publicIpAddresses') : v6 ? 'publicIpPrefixesV6' : 'publicIpPrefixes';
  append(part, prop, idRef(id), inst);
}

export { append, target };
