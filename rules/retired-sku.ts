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
  help: "Set sku.name to 'Standard': a Static Basic public IP upgraded in place keeps its address, and a Standard load balancer needs an outbound rule (or a NAT gateway on the subnet) for outbound traffic.",
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
