// What the network graph reads of a resource set: the types it builds nodes from and, for VMs, scale sets and AKS
// clusters, the members of `properties` that decide egress. The lint pipeline hands this to the front-end so a lazy one (the ARM
// expansion) evaluates exactly these bodies; the graph's readers (read-*.ts) read nothing else.
import type { BodySelection } from '../resources/types.js';

/** The lower-case resource types the graph builds nodes from. */
export const GRAPH_TYPES = {
  vm: 'microsoft.compute/virtualmachines',
  vmss: 'microsoft.compute/virtualmachinescalesets',
  nic: 'microsoft.network/networkinterfaces',
  vnet: 'microsoft.network/virtualnetworks',
  subnet: 'microsoft.network/virtualnetworks/subnets',
  routeTable: 'microsoft.network/routetables',
  route: 'microsoft.network/routetables/routes',
  natGateway: 'microsoft.network/natgateways',
  loadBalancer: 'microsoft.network/loadbalancers',
  backendPool: 'microsoft.network/loadbalancers/backendaddresspools',
  publicIp: 'microsoft.network/publicipaddresses',
  publicIpPrefix: 'microsoft.network/publicipprefixes',
  firewall: 'microsoft.network/azurefirewalls',
  managedCluster: 'microsoft.containerservice/managedclusters',
  agentPool: 'microsoft.containerservice/managedclusters/agentpools',
  // Virtual WAN (read-virtual-wan.ts).
  virtualHub: 'microsoft.network/virtualhubs',
  hubConnection: 'microsoft.network/virtualhubs/hubvirtualnetworkconnections',
  routingIntent: 'microsoft.network/virtualhubs/routingintent',
  hubRouteTable: 'microsoft.network/virtualhubs/hubroutetables',
  hubRouteTableV2: 'microsoft.network/virtualhubs/routetables',
  hubBgpConnection: 'microsoft.network/virtualhubs/bgpconnections',
  nva: 'microsoft.network/networkvirtualappliances',
  vpnGateway: 'microsoft.network/vpngateways',
  expressRouteGateway: 'microsoft.network/expressroutegateways',
  // Gateways, peerings and Route Server (read-gateways.ts).
  vnetGateway: 'microsoft.network/virtualnetworkgateways',
  localGateway: 'microsoft.network/localnetworkgateways',
  connection: 'microsoft.network/connections',
  peering: 'microsoft.network/virtualnetworks/virtualnetworkpeerings',
  hubIpConfiguration: 'microsoft.network/virtualhubs/ipconfigurations',
} as const;

/**
 * Of a VM's or scale set's properties, the graph reads the network profile, the availability set, the scale set it
 * joins and the orchestration mode (readVm), and of a scale set's virtualMachineProfile only the network profile.
 * The OS, storage, diagnostics and hardware profiles decide nothing about egress.
 */
const VM_PROPERTIES: ReadonlyMap<string, true | ReadonlySet<string>> = new Map<string, true | ReadonlySet<string>>([
  ['networkprofile', true],
  ['availabilityset', true],
  ['virtualmachinescaleset', true],
  ['orchestrationmode', true],
  ['virtualmachineprofile', new Set(['networkprofile'])],
]);

/**
 * Of an AKS cluster's properties, the graph reads the network profile (outbound type, load balancer and NAT gateway
 * profiles) and the agent pool profiles (readCluster in read-aks.ts); the add-on, identity, API server and
 * Kubernetes settings decide nothing about egress. A child agent pool's body is small and read whole.
 */
const CLUSTER_PROPERTIES: ReadonlyMap<string, true | ReadonlySet<string>> = new Map<string, true | ReadonlySet<string>>([
  ['networkprofile', true],
  ['agentpoolprofiles', true],
]);

export const GRAPH_READS: BodySelection = {
  types: new Set<string>(Object.values(GRAPH_TYPES)),
  partialProperties: new Map([
    [GRAPH_TYPES.vm, VM_PROPERTIES],
    [GRAPH_TYPES.vmss, VM_PROPERTIES],
    [GRAPH_TYPES.managedCluster, CLUSTER_PROPERTIES],
  ]),
};
