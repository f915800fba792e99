// The Terraform front-end: `terraform show -json` of a saved plan or of state into the resource set the network
// graph reads (engine/resources/types.ts), each azurerm resource that decides egress translated to the ARM resource
// it deploys, association resources folded into the properties they stand for, positions placed back at what
// Terraform wrote. Imports template/, expressions/ and resources/ only (docs/architecture.md, "How to add a
// front-end").
import type { TemplateDoc } from '../template/template.js';
import type { ResourceSet, SourceResource } from '../resources/types.js';
import { getProp } from '../expressions/value.js';
import type { Instance } from './plan.js';
import { isTerraformJson, readModel } from './plan.js';
import { Reader } from './reader.js';
import type { TypeInfo } from './reader.js';
import type { Step } from './references.js';
import { Translation, obj } from './translation.js';
import type { Translated } from './translation.js';
import { Placement, PlacedDoc } from './placement.js';
import { natAssociation, natGateway, publicIp, publicIpPrefix, route, routeTable, subnet, subnetAssociation, virtualNetwork } from './azurerm-network.js';
import { legacyVirtualMachine, networkInterface, orchestratedScaleSet, scaleSet, virtualMachine } from './azurerm-compute.js';
import { backendPool, lbOutboundRule, lbRule, loadBalancer, nicPoolAssociation, poolAddress } from './azurerm-lb.js';
import { firewall, kubernetesCluster, nodePool } from './azurerm-services.js';
import { azapiIdentity, azapiResource, resourceGroupIdentity } from './azapi.js';
import { azapiAction, azapiUpdate } from './azapi-update.js';
import { gatewayConnection, localNetworkGateway, routeServer, routeServerIdentity, virtualNetworkGateway, virtualNetworkPeering } from './azurerm-gateways.js';
import { hubConnection, hubGateway, hubRoute, hubRouteTable, routingIntent, virtualHub, virtualWan } from './azurerm-virtual-wan.js';
import { readBlocks } from './tf-blocks.js';
import { Wording } from './wording.js';
import type { TfSourceHost } from './tf-blocks.js';

export { isTerraformJson };

const VNET = 'Microsoft.Network/virtualNetworks';
const ROUTE_TABLE = 'Microsoft.Network/routeTables';
const LB = 'Microsoft.Network/loadBalancers';
const VM = 'Microsoft.Compute/virtualMachines';
const VMSS = 'Microsoft.Compute/virtualMachineScaleSets';
const CLUSTER = 'Microsoft.ContainerService/managedClusters';
const HUB = 'Microsoft.Network/virtualHubs';

/** A child resource of the virtual hub its `virtual_hub_id` names. */
function hubChild(child: string): TypeInfo {
  return { arm: `${HUB}/${child}`, parent: { attr: 'virtual_hub_id', by: 'id', types: ['azurerm_virtual_hub'], armType: HUB, child } };
}

/** The index of an ipconfig in a path (`ip_configuration[2].private_ip_address` → 2). */
function indexIn(path: readonly Step[]): number {
  const n = path.find((s) => typeof s === 'number');
  return typeof n === 'number' ? n : 0;
}

/** The azurerm resource types read, as the ARM types they deploy (resources and data sources alike). */
const TYPES: ReadonlyMap<string, TypeInfo> = new Map<string, TypeInfo>([
  ['azurerm_public_ip', { arm: 'Microsoft.Network/publicIPAddresses', assigned: [{ attr: /^ip_address$/, arm: () => 'properties.ipAddress' }] }],
  ['azurerm_public_ip_prefix', { arm: 'Microsoft.Network/publicIPPrefixes', assigned: [{ attr: /^ip_prefix$/, arm: () => 'properties.ipPrefix' }] }],
  ['azurerm_nat_gateway', { arm: 'Microsoft.Network/natGateways' }],
  ['azurerm_virtual_network', { arm: VNET, children: { subnet: 'subnets' } }],
  ['azurerm_subnet', { arm: `${VNET}/subnets`, parent: { attr: 'virtual_network_name', by: 'name', types: ['azurerm_virtual_network'], armType: VNET, child: 'subnets' } }],
  ['azurerm_route_table', { arm: ROUTE_TABLE, children: { route: 'routes' } }],
  ['azurerm_route', { arm: `${ROUTE_TABLE}/routes`, parent: { attr: 'route_table_name', by: 'name', types: ['azurerm_route_table'], armType: ROUTE_TABLE, child: 'routes' } }],
  [
    'azurerm_network_interface',
    {
      arm: 'Microsoft.Network/networkInterfaces',
      children: { ip_configuration: 'ipConfigurations' },
      // A NIC's private IP (and its `private_ip_address`, the first one's) is Azure's to assign when not static.
      assigned: [{ attr: /^(ip_configuration\[\d+\]\.)?private_ip_address$/, arm: (p) => `properties.ipConfigurations[${indexIn(p)}].properties.privateIPAddress` }],
    },
  ],
  ['azurerm_lb', { arm: LB, children: { frontend_ip_configuration: 'frontendIPConfigurations' }, assigned: [{ attr: /^(frontend_ip_configuration\[\d+\]\.)?private_ip_address$/, arm: (p) => `properties.frontendIPConfigurations[${indexIn(p)}].properties.privateIPAddress` }] }],
  ['azurerm_lb_backend_address_pool', { arm: `${LB}/backendAddressPools`, parent: { attr: 'loadbalancer_id', by: 'id', types: ['azurerm_lb'], armType: LB, child: 'backendAddressPools' } }],
  ['azurerm_firewall', { arm: 'Microsoft.Network/azureFirewalls', assigned: [{ attr: /^ip_configuration\[\d+\]\.private_ip_address$/, arm: (p) => `properties.ipConfigurations[${indexIn(p)}].properties.privateIPAddress` }] }],
  ['azurerm_linux_virtual_machine', { arm: VM }],
  ['azurerm_windows_virtual_machine', { arm: VM }],
  ['azurerm_virtual_machine', { arm: VM }],
  ['azurerm_linux_virtual_machine_scale_set', { arm: VMSS }],
  ['azurerm_windows_virtual_machine_scale_set', { arm: VMSS }],
  ['azurerm_orchestrated_virtual_machine_scale_set', { arm: VMSS }],
  ['azurerm_availability_set', { arm: 'Microsoft.Compute/availabilitySets' }],
  ['azurerm_kubernetes_cluster', { arm: CLUSTER }],
  ['azurerm_kubernetes_cluster_node_pool', { arm: `${CLUSTER}/agentPools`, parent: { attr: 'kubernetes_cluster_id', by: 'id', types: ['azurerm_kubernetes_cluster'], armType: CLUSTER, child: 'agentPools' } }],
  ['azurerm_virtual_network_gateway', { arm: 'Microsoft.Network/virtualNetworkGateways', children: { ip_configuration: 'ipConfigurations' } }],
  ['azurerm_local_network_gateway', { arm: 'Microsoft.Network/localNetworkGateways' }],
  ['azurerm_virtual_network_gateway_connection', { arm: 'Microsoft.Network/connections' }],
  ['azurerm_virtual_network_peering', { arm: `${VNET}/virtualNetworkPeerings`, parent: { attr: 'virtual_network_name', by: 'name', types: ['azurerm_virtual_network'], armType: VNET, child: 'virtualNetworkPeerings' } }],
  ['azurerm_route_server', { arm: 'Microsoft.Network/virtualHubs/ipConfigurations', identify: routeServerIdentity }],
  ['azurerm_virtual_wan', { arm: 'Microsoft.Network/virtualWans' }],
  // The default route table Azure creates with a hub: `default_route_table_id` names it.
  ['azurerm_virtual_hub', { arm: HUB, childIds: { default_route_table_id: ['hubRouteTables', 'defaultRouteTable'] } }],
  ['azurerm_virtual_hub_connection', hubChild('hubVirtualNetworkConnections')],
  ['azurerm_virtual_hub_routing_intent', hubChild('routingIntent')],
  ['azurerm_virtual_hub_route_table', hubChild('hubRouteTables')],
  ['azurerm_virtual_hub_bgp_connection', hubChild('bgpConnections')],
  ['azurerm_virtual_hub_ip', hubChild('ipConfigurations')],
  ['azurerm_vpn_gateway', { arm: 'Microsoft.Network/vpnGateways' }],
  ['azurerm_express_route_gateway', { arm: 'Microsoft.Network/expressRouteGateways' }],
  // Its type is in its values; and the resource group azapi's parent_id names (an identity only: nothing to read).
  ['azapi_resource', { arm: '', identify: azapiIdentity }],
  ['azurerm_resource_group', { arm: 'Microsoft.Resources/resourceGroups', identify: resourceGroupIdentity }],
]);

type Translator = (tr: Translation, inst: Instance, t: Translated) => void;

/** The resources translated into ARM resources of their own. */
const TRANSLATORS: ReadonlyMap<string, Translator> = new Map<string, Translator>([
  ['azurerm_public_ip', publicIp],
  ['azurerm_public_ip_prefix', publicIpPrefix],
  ['azurerm_nat_gateway', natGateway],
  ['azurerm_virtual_network', virtualNetwork],
  ['azurerm_subnet', subnet],
  ['azurerm_route_table', routeTable],
  ['azurerm_route', route],
  ['azurerm_network_interface', networkInterface],
  ['azurerm_lb', loadBalancer],
  ['azurerm_lb_backend_address_pool', backendPool],
  ['azurerm_firewall', firewall],
  ['azurerm_linux_virtual_machine', virtualMachine],
  ['azurerm_windows_virtual_machine', virtualMachine],
  ['azurerm_virtual_machine', legacyVirtualMachine],
  ['azurerm_linux_virtual_machine_scale_set', scaleSet],
  ['azurerm_windows_virtual_machine_scale_set', scaleSet],
  ['azurerm_orchestrated_virtual_machine_scale_set', orchestratedScaleSet],
  ['azurerm_availability_set', () => undefined],
  ['azurerm_kubernetes_cluster', kubernetesCluster],
  ['azurerm_kubernetes_cluster_node_pool', nodePool],
  ['azapi_resource', azapiResource],
  ['azurerm_virtual_network_gateway', virtualNetworkGateway],
  ['azurerm_local_network_gateway', localNetworkGateway],
  ['azurerm_virtual_network_gateway_connection', gatewayConnection],
  ['azurerm_virtual_network_peering', virtualNetworkPeering],
  ['azurerm_route_server', routeServer],
  ['azurerm_virtual_wan', virtualWan],
  ['azurerm_virtual_hub', virtualHub],
  ['azurerm_virtual_hub_connection', hubConnection],
  ['azurerm_virtual_hub_routing_intent', routingIntent],
  ['azurerm_virtual_hub_route_table', hubRouteTable],
  ['azurerm_virtual_hub_bgp_connection', () => undefined],
  // A virtual hub's IP configuration (a Route Server written as a hub): its subnet, as azurerm_route_server's.
  ['azurerm_virtual_hub_ip', routeServer],
  ['azurerm_vpn_gateway', hubGateway],
  ['azurerm_express_route_gateway', hubGateway],
]);

type Folder = (tr: Translation, inst: Instance) => void;

/** The resources folded into the properties of another one (they have no ARM resource of their own). */
const FOLDERS: ReadonlyMap<string, Folder> = new Map<string, Folder>([
  ['azurerm_subnet_nat_gateway_association', (tr, inst) => subnetAssociation(tr, inst, 'natGateway', 'nat_gateway_id')],
  ['azurerm_subnet_route_table_association', (tr, inst) => subnetAssociation(tr, inst, 'routeTable', 'route_table_id')],
  ['azurerm_nat_gateway_public_ip_association', (tr, inst) => natAssociation(tr, inst, 'ip')],
  ['azurerm_nat_gateway_public_ip_prefix_association', (tr, inst) => natAssociation(tr, inst, 'prefix')],
  ['azurerm_lb_rule', lbRule],
  ['azurerm_lb_outbound_rule', lbOutboundRule],
  ['azurerm_lb_backend_address_pool_address', poolAddress],
  ['azurerm_network_interface_backend_address_pool_association', nicPoolAssociation],
  ['azapi_update_resource', azapiUpdate],
  ['azapi_resource_action', azapiAction],
  ['azurerm_virtual_hub_route_table_route', hubRoute],
]);

/** What the front-end needs of its caller. */
export interface TerraformOptions {
  /** Reads the .tf files of the modules, when their source is beside the plan, to point findings at their blocks. */
  readonly host?: TfSourceHost;
}

/** Reads `terraform show -json` output (plan or state) into the resource set the network graph reads. */
export function readTerraform(doc: TemplateDoc, options: TerraformOptions = {}): ResourceSet {
  const model = readModel(doc.file, doc.value);
  const reader = new Reader(model, TYPES);
  // The .tf blocks first: the expressions written there tell the reader what the plan's references cannot.
  const placement = new Placement(doc.file, doc.value);
  const tfDocs = options.host ? readBlocks(options.host, doc.file, placement, model.instances, model) : undefined;
  reader.blocks = placement.blocks;
  const tr = new Translation(reader, doc.file);
  for (const f of model.findings) tr.findings.push(f);
  for (const inst of model.instances) {
    const translate = TRANSLATORS.get(inst.type);
    const ident = translate ? reader.identity(inst) : undefined;
    if (!translate || !ident) continue;
    const t: Translated = { inst, ident, body: obj(), places: [{ arm: [], inst, path: [] }], existing: inst.mode === 'data', apiVersion: '' };
    // A data source is read, not deployed: only its identity matters (ARM's `existing`).
    if (inst.mode === 'managed') translate(tr, inst, t);
    tr.add(t);
  }
  for (const inst of model.instances) {
    if (inst.mode !== 'managed') continue;
    FOLDERS.get(inst.type)?.(tr, inst);
  }
  // A change Terraform deferred to a later plan is not in this one: what it deploys could change any path.
  for (const d of model.deferred) {
    if (!TRANSLATORS.has(d.type) && !FOLDERS.has(d.type)) continue;
    tr.unresolved.push({ name: d.address, at: { file: doc.file, pointer: d.pointer }, reason: `Terraform deferred its change to a later plan (${d.reason}), so this plan does not show what it deploys`, what: `resource '${d.address}' (${d.type})` });
  }
  // A plan made with -target leaves out what it does not target: a resource declared but neither planned nor in its
  // prior state may be created by the next full apply, and could change any path.
  for (const d of model.untargeted) {
    if (!TRANSLATORS.has(d.type) && !FOLDERS.has(d.type)) continue;
    tr.unresolved.push({ name: d.address, at: { file: doc.file, pointer: d.pointer }, reason: 'it is declared in the configuration but not in this plan (made with -target), so the plan does not show what it deploys', what: `resource '${d.address}' (${d.type})` });
  }
  const resources: SourceResource[] = [];
  const wording = new Wording();
  for (const t of tr.list) {
    placement.addResource(t.inst.pointer, t.places);
    wording.add(t.inst.pointer, t.inst.type, t.ident.type);
    const props = getProp(t.body, 'properties');
    resources.push({
      id: t.ident.id,
      key: t.ident.id.replace(/\/+$/, '').toLowerCase(),
      type: t.ident.type,
      name: t.ident.name,
      symbolicName: t.inst.address,
      apiVersion: t.apiVersion,
      condition: true,
      existing: t.existing,
      body: t.body,
      properties: props ?? null,
      at: { file: doc.file, pointer: t.inst.pointer },
      deployments: [],
    });
  }
  const docs = new Map<string, TemplateDoc>();
  docs.set(doc.file, new PlacedDoc(doc, placement, wording));
  if (tfDocs) for (const [f, d] of tfDocs) docs.set(f, d);
  return { file: doc.file, resources, findings: tr.findings, unresolved: tr.unresolved, docs };
}

/**
 * The resources a Terraform state deploys (`terraform show -json` of state), in ARM's shape with Azure's ids and
 * public IP addresses: what an inventory reader takes to resolve what templates or plans only reference, as it takes
 * `az` CLI output (engine/inventory/). Data sources (read, not deployed) are left out; a plan gives none.
 */
export function stateResources(doc: TemplateDoc): SourceResource[] {
  const set = readTerraform(doc);
  const out: SourceResource[] = [];
  if (readModel(doc.file, doc.value).kind !== 'state') return out;
  for (const r of set.resources) if (!r.existing) out.push(r);
  return out;
}
