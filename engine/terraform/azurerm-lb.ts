// azurerm's load balancers in ARM's shape: the load balancer with its frontend_ip_configuration blocks, backend pools
// (a child resource each), and the rule, outbound rule, pool address and NIC pool association resources folded into
// the load balancer, the pool and the NIC they belong to. Imports expressions/ only, besides engine/terraform/.
import type { Value } from '../expressions/value.js';
import { Unknown, isObject } from '../expressions/value.js';
import type { Instance } from './plan.js';
import type { Step } from './references.js';
import type { ArmPath, Translated, Translation } from './translation.js';
import { block, getAt, idRef, obj, put, setAt } from './translation.js';
import { append, blocks, idList, target } from './azurerm-network.js';

export function loadBalancer(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  put(t, ['sku', 'name'], r.value(inst, ['sku'], 'value'), ['sku']);
  put(t, ['sku', 'tier'], r.value(inst, ['sku_tier'], 'value'), ['sku_tier']);
  const n = blocks(r, inst, ['frontend_ip_configuration']);
  setAt(t.body, ['properties', 'frontendIPConfigurations'], []);
  for (let i = 0; i < n; i++) {
    const p: Step[] = ['frontend_ip_configuration', i];
    const arm: ArmPath = ['properties', 'frontendIPConfigurations', i];
    block(t, arm, p);
    put(t, [...arm, 'name'], r.value(inst, [...p, 'name'], 'value'), [...p, 'name']);
    const props: ArmPath = [...arm, 'properties'];
    setAt(t.body, props, obj());
    // public_ip_address_id, public_ip_prefix_id and subnet_id are optional and computed: a plan shows the ones the
    // configuration leaves unset as known after apply, and the reader reads them as unset.
    put(t, [...props, 'publicIPAddress'], idRef(r.value(inst, [...p, 'public_ip_address_id'], 'id')), [...p, 'public_ip_address_id']);
    put(t, [...props, 'publicIPPrefix'], idRef(r.value(inst, [...p, 'public_ip_prefix_id'], 'id')), [...p, 'public_ip_prefix_id']);
    put(t, [...props, 'subnet'], idRef(r.value(inst, [...p, 'subnet_id'], 'id')), [...p, 'subnet_id']);
    put(t, [...props, 'privateIPAddress'], r.value(inst, [...p, 'private_ip_address'], 'value'), [...p, 'private_ip_address']);
    put(t, [...props, 'privateIPAddressVersion'], r.value(inst, [...p, 'private_ip_address_version'], 'value'), [...p, 'private_ip_address_version']);
  }
}

/** azurerm_lb_backend_address_pool: a child resource of its load balancer (its name and id come from loadbalancer_id). */
export function backendPool(_tr: Translation, _inst: Instance, t: Translated): void {
  setAt(t.body, ['properties'], obj());
}

/** The id of a load balancer's frontend named `name`: ARM's, which the rules' frontend_ip_configuration_name stands for. */
function frontendRef(lb: Translated, name: Value | undefined): Value | undefined {
  if (typeof name !== 'string') return name === undefined ? undefined : idRef(name);
  return idRef(`${lb.ident.id}/frontendIPConfigurations/${name}`);
}

function ruleEntry(name: Value | undefined, props: Record<string, Value>): Record<string, Value> {
  const e = obj();
  if (name !== undefined) e.name = name;
  e.properties = props;
  return e;
}

/**
 * azurerm_lb_rule: a loadBalancingRules entry of its load balancer. disable_outbound_snat "Is snat enabled for this
 * Load Balancer Rule? Default false." (the provider's docs): ARM's disableOutboundSnat.
 */
export function lbRule(tr: Translation, inst: Instance): void {
  const r = tr.reader;
  const part = target(tr, inst, 'loadbalancer_id');
  if (!part) return;
  const props = obj();
  const fe = frontendRef(part.t, r.value(inst, ['frontend_ip_configuration_name'], 'name'));
  if (fe !== undefined) props.frontendIPConfiguration = fe;
  const pools = idList(r, inst, ['backend_address_pool_ids']);
  if (Array.isArray(pools)) {
    const list: Value[] = [];
    for (const id of pools) list.push(idRef(id) ?? null);
    props.backendAddressPools = list;
  } else if (pools !== undefined) props.backendAddressPools = pools;
  const dis = r.value(inst, ['disable_outbound_snat'], 'value');
  if (dis !== undefined) props.disableOutboundSnat = dis;
  append(part, 'loadBalancingRules', ruleEntry(r.value(inst, ['name'], 'value'), props), inst);
  placeInside(part.t, 'loadBalancingRules', inst, { frontendIPConfiguration: ['frontend_ip_configuration_name'], backendAddressPools: ['backend_address_pool_ids'], disableOutboundSnat: ['disable_outbound_snat'] });
}

/** azurerm_lb_outbound_rule: an outboundRules entry, its frontend_ip_configuration blocks naming frontends by name. */
export function lbOutboundRule(tr: Translation, inst: Instance): void {
  const r = tr.reader;
  const part = target(tr, inst, 'loadbalancer_id');
  if (!part) return;
  const props = obj();
  const fes: Value[] = [];
  const n = Array.isArray(r.known(inst, ['frontend_ip_configuration'])) ? (r.known(inst, ['frontend_ip_configuration']) as readonly unknown[]).length : 0;
  for (let i = 0; i < n; i++) {
    const fe = frontendRef(part.t, r.value(inst, ['frontend_ip_configuration', i, 'name'], 'name'));
    if (fe !== undefined) fes.push(fe);
  }
  props.frontendIPConfigurations = fes;
  const pool = idRef(r.value(inst, ['backend_address_pool_id'], 'id'));
  if (pool !== undefined) props.backendAddressPool = pool;
  append(part, 'outboundRules', ruleEntry(r.value(inst, ['name'], 'value'), props), inst);
  placeInside(part.t, 'outboundRules', inst, { frontendIPConfigurations: ['frontend_ip_configuration'], backendAddressPool: ['backend_address_pool_id'] });
}

/** Places the properties of the entry just appended to `list` at the attributes of the resource it was folded from. */
function placeInside(t: Translated, list: string, inst: Instance, attrs: Readonly<Record<string, readonly Step[]>>): void {
  const entries = getAt(t.body, ['properties', list]);
  if (!Array.isArray(entries)) return;
  const i = entries.length - 1;
  for (const k of Object.keys(attrs)) t.places.push({ arm: ['properties', list, i, 'properties', k], inst, path: attrs[k] });
}

/** azurerm_lb_backend_address_pool_address: an IP-based member of a pool (ARM's loadBalancerBackendAddresses). */
export function poolAddress(tr: Translation, inst: Instance): void {
  const r = tr.reader;
  const part = target(tr, inst, 'backend_address_pool_id');
  if (!part) return;
  const props = obj();
  const ip = r.value(inst, ['ip_address'], 'value');
  if (ip !== undefined) props.ipAddress = ip;
  append(part, 'loadBalancerBackendAddresses', ruleEntry(r.value(inst, ['name'], 'value'), props), inst);
}

/**
 * azurerm_network_interface_backend_address_pool_association: the pool joins the loadBalancerBackendAddressPools of
 * the NIC's ipconfig named ip_configuration_name (NIC-based membership).
 */
export function nicPoolAssociation(tr: Translation, inst: Instance): void {
  const r = tr.reader;
  const part = target(tr, inst, 'network_interface_id');
  if (!part) return;
  const name = r.value(inst, ['ip_configuration_name'], 'name');
  if (typeof name !== 'string') {
    if (name !== undefined) tr.unfollowable(inst, 'ip_configuration_name', name instanceof Unknown ? name : new Unknown('runtime', 'it is not a name'));
    return;
  }
  const configs = getAt(part.t.body, ['properties', 'ipConfigurations']);
  if (!Array.isArray(configs)) return;
  for (let i = 0; i < configs.length; i++) {
    const c = configs[i];
    const n = isObject(c) ? c.name : undefined;
    if (typeof n === 'string' && n.toLowerCase() === name.toLowerCase()) {
      append({ t: part.t, base: ['properties', 'ipConfigurations', i] }, 'loadBalancerBackendAddressPools', idRef(r.value(inst, ['backend_address_pool_id'], 'id')), inst);
      return;
    }
  }
}
