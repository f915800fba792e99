import { defineRule } from '../engine/index.js';
import { isBasic, propertyAt } from './helpers.js';

export default defineRule({
  id: 'retired-sku',
  severity: 'warning',
  kind: 'egress',
  description: 'Public IPs and load balancers should use the Standard SKU, not the retired Basic SKU.',
  messages: {
    basicPublicIp: "Public IP '{{name}}' uses the Basic SKU, which Azure retired on 30 September 2025.",
    basicLoadBalancer: "Load balancer '{{name}}' uses the Basic SKU, which Azure retired on 30 September 2025.",
    basicClusterLoadBalancer: "AKS cluster '{{name}}' sets loadBalancerSku 'basic': AKS no longer supports the Basic load balancer, which Azure retired on 30 September 2025.",
  },
  help: "Set sku.name to 'Standard': a Static Basic public IP is upgraded in place and keeps its address; a Basic load balancer is replaced by a Standard one, which needs an outbound rule (or a NAT gateway on the subnet) for its backend's outbound traffic.",
  // Each kind of resource is migrated its own way: a load balancer is replaced, its frontend IPs are upgraded.
  // https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-basic-upgrade-guidance
  // https://learn.microsoft.com/azure/load-balancer/upgrade-basic-standard-with-powershell
  helps: {
    basicPublicIp: "Set sku.name of '{{name}}' to 'Standard': a Static Basic public IP upgraded in place keeps its address (make a Dynamic one Static first).",
    basicLoadBalancer: "Set sku.name of '{{name}}' to 'Standard' with Standard public IPs on its frontends (Azure's upgrade module moves it to a new Standard load balancer and upgrades the frontend IPs in place, keeping their addresses), and add an outbound rule for its backend pool (or a NAT gateway on the subnet): a Standard internal load balancer gives its backend no outbound access, and a public one only through an outbound rule or the implicit SNAT of a load-balancing rule.",
    basicClusterLoadBalancer: "Set networkProfile.loadBalancerSku of '{{name}}' to 'standard', or leave it out (standard is the default).",
  },
  check(ctx) {
    // Existing resources are outside the files: their SKU is not known (the graph would default it to Basic).
    for (const node of ctx.graph.nodes.values()) {
      if (node.existing) continue;
      if (node.kind === 'publicIp' && isBasic(node.sku)) ctx.report({ messageId: 'basicPublicIp', data: { name: node.name }, at: propertyAt(ctx.resources, node.at, 'sku'), resource: node.name });
      if (node.kind === 'loadBalancer' && isBasic(node.sku)) ctx.report({ messageId: 'basicLoadBalancer', data: { name: node.name }, at: propertyAt(ctx.resources, node.at, 'sku'), resource: node.name });
    }
    // An AKS cluster's load balancer is one AKS creates: the cluster's loadBalancerSku says which SKU, once per cluster.
    const clusters = new Set<string>();
    for (const v of ctx.vms) {
      const aks = v.vm.aks;
      if (!aks || aks.undecided !== undefined || !isBasic(aks.loadBalancerSku) || clusters.has(aks.clusterKey)) continue;
      clusters.add(aks.clusterKey);
      ctx.report({ messageId: 'basicClusterLoadBalancer', data: { name: aks.cluster }, at: propertyAt(ctx.resources, aks.networkAt, 'loadBalancerSku'), resource: aks.cluster });
    }
  },
});
