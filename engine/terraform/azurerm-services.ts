// azurerm's Azure Firewall and AKS clusters in ARM's shape: a firewall's ip_configuration blocks (its private IP is
// Azure's to assign: a route's next hop that names it is read as ARM's reference() to it), its management ipconfig
// and its virtual hub; a cluster's default node pool, network profile and outbound settings, and its node pools.
// Imports expressions/ only, besides engine/terraform/.
import { Unknown } from '../expressions/value.js';
import type { Value } from '../expressions/value.js';
import type { Instance } from './plan.js';
import type { Step } from './references.js';
import type { ArmPath, Translated, Translation } from './translation.js';
import { block, idRef, obj, put, setAt } from './translation.js';
import { blocks, either, idList } from './azurerm-network.js';

function firewallIpConfig(tr: Translation, inst: Instance, t: Translated, arm: ArmPath, p: readonly Step[]): void {
  const r = tr.reader;
  block(t, arm, p);
  put(t, [...arm, 'name'], r.value(inst, [...p, 'name'], 'value'), [...p, 'name']);
  setAt(t.body, [...arm, 'properties'], obj());
  put(t, [...arm, 'properties', 'subnet'], idRef(r.value(inst, [...p, 'subnet_id'], 'id')), [...p, 'subnet_id']);
  put(t, [...arm, 'properties', 'publicIPAddress'], idRef(r.value(inst, [...p, 'public_ip_address_id'], 'id')), [...p, 'public_ip_address_id']);
  put(t, [...arm, 'properties', 'privateIPAddress'], r.value(inst, [...p, 'private_ip_address'], 'value'), [...p, 'private_ip_address']);
}

/** azurerm_firewall: SKU (ARM keeps it inside properties), ipconfigs, the management ipconfig and the virtual hub. */
export function firewall(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  put(t, ['properties', 'sku', 'name'], r.value(inst, ['sku_name'], 'value'), ['sku_name']);
  put(t, ['properties', 'sku', 'tier'], r.value(inst, ['sku_tier'], 'value'), ['sku_tier']);
  const n = blocks(r, inst, ['ip_configuration']);
  setAt(t.body, ['properties', 'ipConfigurations'], []);
  for (let i = 0; i < n; i++) firewallIpConfig(tr, inst, t, ['properties', 'ipConfigurations', i], ['ip_configuration', i]);
  if (blocks(r, inst, ['management_ip_configuration']) > 0) firewallIpConfig(tr, inst, t, ['properties', 'managementIpConfiguration'], ['management_ip_configuration', 0]);
  if (blocks(r, inst, ['virtual_hub']) > 0) {
    put(t, ['properties', 'virtualHub'], idRef(r.value(inst, ['virtual_hub', 0, 'virtual_hub_id'], 'id')), ['virtual_hub', 0, 'virtual_hub_id']);
    // public_ip_count "Defaults to 1" (the provider's docs).
    put(t, ['properties', 'hubIPAddresses', 'publicIPs', 'count'], r.value(inst, ['virtual_hub', 0, 'public_ip_count'], 'value') ?? 1, ['virtual_hub', 0, 'public_ip_count']);
    hubAddresses(t, r.value(inst, ['virtual_hub', 0, 'public_ip_addresses'], 'value'));
  }
}

/**
 * virtual_hub's public_ip_addresses, "the list of public IP addresses associated with the Firewall" (the provider's
 * docs, attribute reference): known in state, as ARM's hubIPAddresses.publicIPs.addresses. A plan that creates the
 * firewall knows them only after apply; then they stay unwritten and the count says how many Azure assigns.
 */
function hubAddresses(t: Translated, list: Value | undefined): void {
  if (!Array.isArray(list)) return;
  const addresses: Value[] = [];
  for (const a of list) {
    const entry = obj();
    entry.address = a;
    addresses.push(entry);
  }
  put(t, ['properties', 'hubIPAddresses', 'publicIPs', 'addresses'], addresses, ['virtual_hub', 0, 'public_ip_addresses']);
}

/** A node pool's placement and public IP settings, from a default_node_pool block or a node pool resource. */
function poolProperties(tr: Translation, inst: Instance, t: Translated, arm: ArmPath, p: readonly Step[]): void {
  const r = tr.reader;
  put(t, [...arm, 'vnetSubnetID'], r.value(inst, [...p, 'vnet_subnet_id'], 'id'), [...p, 'vnet_subnet_id']);
  put(t, [...arm, 'podSubnetID'], r.value(inst, [...p, 'pod_subnet_id'], 'id'), [...p, 'pod_subnet_id']);
  // 4.x node_public_ip_enabled; 3.x enable_node_public_ip.
  for (const name of ['node_public_ip_enabled', 'enable_node_public_ip']) {
    const v = r.value(inst, [...p, name], 'value');
    if (v !== undefined) {
      put(t, [...arm, 'enableNodePublicIP'], v, [...p, name]);
      break;
    }
  }
  put(t, [...arm, 'nodePublicIPPrefixID'], r.value(inst, [...p, 'node_public_ip_prefix_id'], 'id'), [...p, 'node_public_ip_prefix_id']);
  put(t, [...arm, 'count'], r.value(inst, [...p, 'node_count'], 'value'), [...p, 'node_count']);
}

/** A list of ids as ARM references under `key` of `arm`, or the Unknown that stands for the list. */
function refsAt(t: Translated, arm: ArmPath, ids: Value[] | Unknown | undefined, path: readonly Step[]): void {
  if (ids === undefined) return;
  if (ids instanceof Unknown) {
    put(t, arm, ids, path);
    return;
  }
  const list: Value[] = [];
  for (const id of ids) list.push(idRef(id) ?? null);
  put(t, arm, list, path);
}

/**
 * azurerm_kubernetes_cluster: the default node pool as agentPoolProfiles[0]; network_profile's outbound_type
 * ("Defaults to loadBalancer"), load balancer SKU, load_balancer_profile and nat_gateway_profile.
 */
export function kubernetesCluster(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  if (blocks(r, inst, ['default_node_pool']) > 0) {
    const arm: ArmPath = ['properties', 'agentPoolProfiles', 0];
    block(t, arm, ['default_node_pool', 0]);
    put(t, [...arm, 'name'], r.value(inst, ['default_node_pool', 0, 'name'], 'value'), ['default_node_pool', 0, 'name']);
    put(t, [...arm, 'mode'], 'System');
    poolProperties(tr, inst, t, arm, ['default_node_pool', 0]);
  }
  if (blocks(r, inst, ['network_profile']) === 0) return;
  const np: Step[] = ['network_profile', 0];
  const arm: ArmPath = ['properties', 'networkProfile'];
  put(t, [...arm, 'outboundType'], r.value(inst, [...np, 'outbound_type'], 'value'), [...np, 'outbound_type']);
  put(t, [...arm, 'loadBalancerSku'], r.value(inst, [...np, 'load_balancer_sku'], 'value'), [...np, 'load_balancer_sku']);
  if (blocks(r, inst, [...np, 'load_balancer_profile']) > 0) {
    const lp: Step[] = [...np, 'load_balancer_profile', 0];
    const la: ArmPath = [...arm, 'loadBalancerProfile'];
    put(t, [...la, 'managedOutboundIPs', 'count'], r.value(inst, [...lp, 'managed_outbound_ip_count'], 'value'), [...lp, 'managed_outbound_ip_count']);
    refsAt(t, [...la, 'outboundIPs', 'publicIPs'], idList(r, inst, [...lp, 'outbound_ip_address_ids']), [...lp, 'outbound_ip_address_ids']);
    refsAt(t, [...la, 'outboundIPPrefixes', 'publicIPPrefixes'], idList(r, inst, [...lp, 'outbound_ip_prefix_ids']), [...lp, 'outbound_ip_prefix_ids']);
  }
  if (blocks(r, inst, [...np, 'nat_gateway_profile']) > 0) {
    const gp: Step[] = [...np, 'nat_gateway_profile', 0];
    put(t, [...arm, 'natGatewayProfile', 'managedOutboundIPProfile', 'count'], r.value(inst, [...gp, 'managed_outbound_ip_count'], 'value'), [...gp, 'managed_outbound_ip_count']);
  }
}

/** azurerm_kubernetes_cluster_node_pool: a child agentPools resource of the cluster kubernetes_cluster_id names. */
export function nodePool(tr: Translation, inst: Instance, t: Translated): void {
  setAt(t.body, ['properties'], obj());
  poolProperties(tr, inst, t, ['properties'], []);
}

export { either };
