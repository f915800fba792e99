// AKS outbound types (egress-model.md, "Workloads beyond VMs"): what a cluster's networkProfile.outboundType changes
// in the resolution order for a node pool's paths. read-aks.ts puts what AKS creates into the graph (the 'kubernetes'
// load balancer and its outbound rule, the managed NAT gateway, the AKS-managed VNet's subnet), so steps 1 to 4 run
// as for any scale set; this module decides before step 1 (an outbound type known only at deployment, a combination
// AKS rejects, block) and replaces step 5 (none on the AKS-managed VNet, pods that leave as the nodes do).
// Imports template/ and expressions/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import { Unknown } from '../expressions/value.js';
import type { IpConfig, NetworkGraph, Subnet, Vm } from './graph.js';
import { lastSegment } from './ids.js';
import type { Outcome, PathNote, PathResult } from './results.js';
import { unknownOutcome } from './results.js';
import type { DefaultOutbound } from './default-outbound.js';

/**
 * The outbound types AKS accepts, by lower-case value (https://learn.microsoft.com/azure/aks/egress-outboundtype):
 * managedNATGatewayV2 is the preview name of a StandardV2 managed NAT gateway.
 */
const OUTBOUND_TYPES: ReadonlyMap<string, string> = new Map(
  ['loadBalancer', 'managedNATGateway', 'managedNATGatewayV2', 'userAssignedNATGateway', 'userDefinedRouting', 'none', 'block'].map((t) => [t.toLowerCase(), t]),
);

/** A combination of outbound settings that AKS refuses to deploy; invalid-outbound-configuration reports it. */
export interface AksRejection {
  readonly messageId: 'outboundTypeNeedsCustomVnet' | 'udrWithoutDefaultRoute' | 'natGatewayMissing' | 'managedNatOnCustomVnet' | 'blockOnCustomVnet' | 'outboundTypeNeedsStandardLb';
  readonly data: Readonly<Record<string, string>>;
  /** The same in a clause, for the path's reasons. */
  readonly reason: string;
  readonly at: Location;
}

/** The outbound type of a pool, as AKS spells it, when the files decide it. */
function outboundTypeOf(vm: Vm): string | undefined {
  const t = vm.aks?.outboundType;
  return typeof t === 'string' ? OUTBOUND_TYPES.get(t.toLowerCase()) : undefined;
}

/** The subnet of a pool's nodes, when the graph holds it and the files decide it. */
function nodeSubnet(g: NetworkGraph, vm: Vm): Subnet | undefined {
  const nic = g.get(vm.nics[0]?.nic, 'nic');
  const subnet = g.get(g.check(nic?.ipConfigs[0]?.subnet), 'subnet');
  return subnet && !subnet.existing && !subnet.maybe ? subnet : undefined;
}

/** The name a pool's subnet reference shows in messages. */
function subnetLabel(g: NetworkGraph, vm: Vm): string {
  const nic = g.get(vm.nics[0]?.nic, 'nic');
  const ref = nic?.ipConfigs[0]?.subnet;
  const subnet = g.get(g.check(ref), 'subnet');
  if (subnet) return subnet.name;
  return ref?.kind === 'found' ? lastSegment(ref.key) : ref?.kind === 'missing' ? lastSegment(ref.id) : 'named by vnetSubnetID';
}

/**
 * Why AKS would refuse a pool's cluster as the files write it, or undefined. Each case is one AKS documents:
 * userDefinedRouting needs a route table on the pool's subnet with a 0.0.0.0/0 route that does not go to the Internet
 * (https://learn.microsoft.com/azure/aks/egress-udr); userAssignedNATGateway needs a NAT gateway on it and
 * managedNATGateway the AKS-managed VNet (https://learn.microsoft.com/azure/aks/nat-gateway); block is available only
 * in the AKS-managed VNet, and every outbound type needs the Standard load balancer
 * (https://learn.microsoft.com/azure/aks/egress-outboundtype).
 */
export function aksRejection(g: NetworkGraph, vm: Vm): AksRejection | undefined {
  const aks = vm.aks;
  const type = outboundTypeOf(vm);
  if (!aks || aks.undecided !== undefined || type === undefined) return undefined;
  const data = { pool: vm.name, cluster: aks.cluster, outboundType: type, subnet: subnetLabel(g, vm) };
  if (type !== 'loadBalancer' && typeof aks.loadBalancerSku === 'string' && aks.loadBalancerSku.toLowerCase() === 'basic')
    return rejected(data, aks.at, 'outboundTypeNeedsStandardLb', `outbound type '${type}' needs the Standard load balancer, and cluster '${aks.cluster}' sets loadBalancerSku 'basic'`);
  if (aks.managedVnet) {
    if (type === 'userDefinedRouting' || type === 'userAssignedNATGateway') return rejected(data, aks.at, 'outboundTypeNeedsCustomVnet', `outbound type '${type}' needs the pool in a subnet of an existing virtual network, and pool '${vm.name}' sets no vnetSubnetID`, vm.at);
    return undefined;
  }
  if (type === 'managedNATGateway' || type === 'managedNATGatewayV2') return rejected(data, aks.at, 'managedNatOnCustomVnet', `a managed NAT gateway works only with the AKS-managed virtual network, and pool '${vm.name}' is in subnet '${data.subnet}' of another one`);
  if (type === 'block') return rejected(data, aks.at, 'blockOnCustomVnet', `outbound type 'block' works only with the AKS-managed virtual network, and pool '${vm.name}' is in subnet '${data.subnet}' of another one`);
  const subnet = nodeSubnet(g, vm);
  if (!subnet) return undefined;
  if (type === 'userAssignedNATGateway' && subnet.natGateway === undefined) return rejected(data, aks.at, 'natGatewayMissing', `outbound type 'userAssignedNATGateway' needs a NAT gateway on subnet '${subnet.name}', which has none`, subnet.at);
  if (type !== 'userDefinedRouting') return undefined;
  if (subnet.routeTable === undefined) return rejected(data, aks.at, 'udrWithoutDefaultRoute', `outbound type 'userDefinedRouting' needs a route table on subnet '${subnet.name}' with a 0.0.0.0/0 route to a firewall, appliance or gateway, and the subnet has no route table`, subnet.at, `subnet '${subnet.name}' has no route table`);
  const rt = g.get(g.check(subnet.routeTable), 'routeTable');
  if (!rt || rt.existing || rt.maybe || rt.unknownRoutes) return undefined;
  let zero: (typeof rt.routes)[number] | undefined;
  for (const r of rt.routes) {
    if (r.addressPrefix instanceof Unknown) return undefined;
    if (r.addressPrefix.trim() === '0.0.0.0/0') zero = r;
  }
  if (!zero) return rejected(data, aks.at, 'udrWithoutDefaultRoute', `outbound type 'userDefinedRouting' needs a 0.0.0.0/0 route to a firewall, appliance or gateway, and route table '${rt.name}' of subnet '${subnet.name}' has none`, rt.at, `route table '${rt.name}' of subnet '${subnet.name}' has no 0.0.0.0/0 route`);
  // "AKS validates that you don't create a 0.0.0.0/0 route pointing to the Internet" (egress-udr).
  if (typeof zero.nextHopType === 'string' && zero.nextHopType.toLowerCase() === 'internet')
    return rejected(data, aks.at, 'udrWithoutDefaultRoute', `outbound type 'userDefinedRouting' needs the 0.0.0.0/0 route to go to a firewall, appliance or gateway, and route '${zero.name}' sends it to the Internet`, zero.at, `route '${zero.name}' sends 0.0.0.0/0 to the Internet`);
  return undefined;
}

function rejected(data: Readonly<Record<string, string>>, clusterAt: Location, messageId: AksRejection['messageId'], reason: string, at: Location = clusterAt, detail = ''): AksRejection {
  return { messageId, data: Object.assign({}, data, { detail }), reason, at };
}

/**
 * What each outbound type means for the nodes, for the path's reasons. On a subnet of the user's own, Azure's
 * precedence applies to the node VMs whatever the outbound type (route to an appliance, then NAT gateway, then
 * instance public IP, then load balancer: https://learn.microsoft.com/azure/nat-gateway/nat-overview); AKS's own
 * firewall walkthrough relies on it, a default route to the firewall taking even the replies of its public load
 * balancer (https://learn.microsoft.com/azure/aks/limit-egress-traffic).
 */
const MEANING: ReadonlyMap<string, string> = new Map([
  ['loadBalancer', "AKS gives the nodes an outbound rule on its 'kubernetes' load balancer, which a route, a NAT gateway or node public IPs take precedence over"],
  ['managedNATGateway', 'AKS attaches a NAT gateway it manages to the subnet of its virtual network'],
  ['managedNATGatewayV2', 'AKS attaches a StandardV2 NAT gateway it manages to the subnet of its virtual network'],
  ['userAssignedNATGateway', "the NAT gateway on the pool's subnet carries the egress"],
  ['userDefinedRouting', "the route table on the pool's subnet carries the egress"],
  ['none', 'AKS sets up no egress: the nodes follow the default outbound behaviour of Azure VMs'],
]);

/** The AKS part of the resolution order for the paths of one graph. */
export class AksOutbound {
  /** The nodes path of the pool whose pods path is being resolved (resolveVm sets it first). */
  nodes: PathResult | undefined;

  constructor(
    private readonly g: NetworkGraph,
    private readonly defaultOutbound: DefaultOutbound,
  ) {}

  /** Before step 1: an outcome when the outbound type decides the path on its own (or the files do not decide it). */
  before(vm: Vm, ipc: IpConfig, because: string[], notes: PathNote[]): Outcome | undefined {
    const aks = vm.aks!;
    if (aks.undecided !== undefined) return unknownOutcome(because, aks.undecided, vm.at);
    if (aks.outboundType instanceof Unknown) return unknownOutcome(because, `the outbound type of cluster '${aks.cluster}': ${aks.outboundType.origin}`, aks.at);
    const type = outboundTypeOf(vm);
    if (type === undefined) return unknownOutcome(because, `outbound type '${String(aks.outboundType)}' of cluster '${aks.cluster}' is not one AKS documents`, aks.at);
    const rejection = aksRejection(this.g, vm);
    if (rejection) {
      notes.push({ kind: 'rejected', message: rejection.reason, at: rejection.at });
      return unknownOutcome(because, `AKS rejects the cluster as written: ${rejection.reason}`, rejection.at);
    }
    if (type === 'loadBalancer') {
      const sku = aks.loadBalancerSku;
      if (sku instanceof Unknown) return unknownOutcome(because, `the load balancer SKU of cluster '${aks.cluster}': ${sku.origin}`, aks.at);
      // The Basic load balancer gets no outbound rule or outbound IP from AKS, and AKS no longer supports it
      // (https://learn.microsoft.com/azure/aks/load-balancer-standard): what the nodes leave through depends on the
      // Kubernetes services deployed later.
      if (sku.toLowerCase() !== 'standard')
        return unknownOutcome(because, `cluster '${aks.cluster}' uses loadBalancerSku '${sku}': AKS creates no outbound rule for it, so the nodes' egress depends on the Kubernetes services deployed in the cluster`, aks.at);
    }
    if (type === 'block') {
      // "AKS ensures that no public internet traffic can leave the cluster through network security group (NSG)
      // rules" (https://learn.microsoft.com/azure/aks/egress-outboundtype#outbound-type-block-preview): node public
      // IPs included.
      because.push(`cluster '${aks.cluster}' has outbound type 'block': AKS blocks Internet traffic from the cluster with network security group rules`);
      return { method: 'none', verdict: 'no-egress', egress: [], cause: `outbound type 'block' of cluster '${aks.cluster}' blocks Internet traffic with network security group rules`, decidedAt: aks.at };
    }
    because.push(`cluster '${aks.cluster}' has outbound type '${type}': ${MEANING.get(type)!}`);
    if (aks.pods?.ipc === ipc)
      // "Separate VNet policies for pods ... fixing the source IP for pod in a node pool using an Azure NAT Gateway"
      // (https://learn.microsoft.com/azure/aks/concepts-network-azure-cni-pod-subnet). A user reported pod traffic
      // following the node subnet's routes instead (https://github.com/Azure/azure-container-networking/issues/3204,
      // closed unanswered): the pool's egress is the union of both paths, so either way every IP is listed.
      because.push(`the pods take their addresses from another subnet (podSubnetID), whose route table and NAT gateway apply to their traffic`);
    return undefined;
  }

  /** Step 5 for a pool: the pods leave as the nodes do; nodes without an outbound method get what Azure VMs get. */
  last(vm: Vm, ipc: IpConfig, subnet: Subnet, v6: boolean, because: string[]): Outcome {
    const aks = vm.aks!;
    if (aks.pods?.ipc === ipc && this.nodes) {
      const n = this.nodes;
      because.push(`subnet '${subnet.name}' has no route or NAT gateway of its own for Internet traffic: the pods leave as the nodes do (${n.method})`);
      return { method: n.method, verdict: n.verdict, egress: n.egress.slice(), cause: n.cause, unknownReason: n.unknownReason, decidedAt: n.decidedAt };
    }
    if (aks.managedVnet) {
      // Outbound type none: "All AKS nodes follow Azure VM default outbound behavior", and clusters created from
      // 31 March 2026 get private subnets in the AKS-managed VNet (https://learn.microsoft.com/azure/aks/egress-outboundtype).
      because.push(
        `outbound type '${outboundTypeOf(vm) ?? String(aks.outboundType)}' gives the nodes no outbound method, and the VNet AKS creates has private subnets (defaultOutboundAccess: false) for clusters created from 31 March 2026; a cluster created before then keeps default outbound access through a platform-chosen IP`,
      );
      return { method: 'none', verdict: 'no-egress', egress: [], cause: `the AKS-managed VNet of cluster '${aks.cluster}' has private subnets and outbound type '${outboundTypeOf(vm) ?? String(aks.outboundType)}' adds no outbound method`, decidedAt: aks.at };
    }
    return this.defaultOutbound.resolve(vm, ipc, subnet, v6, because);
  }
}
