import { Unknown, aksRejection, defineRule, ipFamily, primaryIpConfigIndex } from '../engine/index.js';
import type { IpConfig, LoadBalancer, Nic, OutboundRule, Pool, RuleContext, VmResult } from '../engine/index.js';
import { isBasic, isStandard, lastSegment, nicOwners, publicIpLocation, publicIpName, quoteList } from './helpers.js';

export default defineRule({
  id: 'invalid-outbound-configuration',
  severity: 'error',
  kind: 'egress',
  description: 'Outbound settings should only combine resources in ways that Azure accepts.',
  messages: {
    publicIpInOutboundPool:
      "IP configuration '{{nic}}/{{ipconfig}}' has public IP '{{ip}}' and sits in pool '{{pool}}' of outbound rule '{{rule}}', which Azure rejects for IP configurations with a public IP.",
    secondaryInOutboundPool:
      "Pool '{{pool}}' of outbound rule '{{rule}}' holds secondary IPv4 IP configuration '{{nic}}/{{ipconfig}}', which Azure rejects because outbound rules apply to secondary IP configurations only for IPv6.",
    natGatewayBasicIp: "NAT gateway '{{nat}}' uses Basic SKU public IP '{{ip}}', but NAT gateways accept only Standard public IPs.",
    mixedSku: "'{{vm}}' mixes Basic SKU ({{basic}}) and Standard SKU ({{standard}}) public IPs and load balancers, which Azure rejects on one VM.",
    outboundTypeNeedsCustomVnet:
      "Node pool '{{pool}}' sets no vnetSubnetID, but outbound type '{{outboundType}}' of cluster '{{cluster}}' needs the pool in a subnet of your own virtual network, so AKS rejects the cluster.",
    udrWithoutDefaultRoute:
      "Node pool '{{pool}}' uses outbound type 'userDefinedRouting', but {{detail}}; AKS rejects the cluster unless the route table of the pool's subnet sends 0.0.0.0/0 to a firewall, appliance or gateway.",
    natGatewayMissing: "Node pool '{{pool}}' uses outbound type 'userAssignedNATGateway', but subnet '{{subnet}}' has no NAT gateway, so AKS rejects the cluster.",
    managedNatOnCustomVnet:
      "Node pool '{{pool}}' is in subnet '{{subnet}}' of your own virtual network, but outbound type '{{outboundType}}' of cluster '{{cluster}}' works only with the virtual network AKS manages, so AKS rejects the cluster.",
    blockOnCustomVnet:
      "Node pool '{{pool}}' is in subnet '{{subnet}}' of your own virtual network, but outbound type 'block' of cluster '{{cluster}}' works only with the virtual network AKS manages, so AKS rejects the cluster.",
    outboundTypeNeedsStandardLb: "Cluster '{{cluster}}' sets outbound type '{{outboundType}}' with loadBalancerSku 'basic', but AKS accepts an outbound type only with the Standard load balancer.",
  },
  help: "Keep instance public IPs and secondary IPv4 IP configurations out of outbound-rule pools, and use Standard SKU public IPs and load balancers throughout. For AKS: userDefinedRouting needs a route table on the pool's subnet with 0.0.0.0/0 to a firewall or appliance, userAssignedNATGateway a NAT gateway on it, and managedNATGateway and block the virtual network AKS manages (no vnetSubnetID).",
  check(ctx) {
    const rulesByPool = outboundRulesByPool(ctx);
    const owners = nicOwners(ctx.vms);
    for (const node of ctx.graph.nodes.values()) {
      if (node.kind === 'nic') checkNic(ctx, node, rulesByPool, owners);
      if (node.kind === 'natGateway' && !node.existing) {
        for (const ref of node.publicIps) {
          const pip = ctx.graph.get(ctx.graph.check(ref), 'publicIp');
          if (pip && !pip.existing && isBasic(pip.sku)) ctx.report({ messageId: 'natGatewayBasicIp', data: { nat: node.name, ip: pip.name }, at: node.at, resource: node.name });
        }
      }
    }
    for (const v of ctx.vms) {
      // An AKS pool whose cluster AKS refuses as written (aks-outbound.ts decides which, and the path is unknown).
      const rejected = v.vm.aks ? aksRejection(ctx.graph, v.vm) : undefined;
      if (rejected) ctx.report({ messageId: rejected.messageId, data: rejected.data, at: rejected.at, resource: v.vm.name });
      const basic = new Set<string>();
      const standard = new Set<string>();
      const add = (name: string, sku: string | Unknown): void => {
        if (isBasic(sku)) basic.add(name);
        else if (isStandard(sku)) standard.add(name);
      };
      for (const entry of v.vm.nics) {
        const nic = ctx.graph.get(ctx.graph.check(entry.nic), 'nic');
        for (const ipc of nic?.ipConfigs ?? []) {
          // A VM-managed public IP without a SKU takes the SKU of its load balancer, so only resources count.
          const p = ipc.publicIp;
          if (p && !(p instanceof Unknown) && p.kind === 'ref') {
            const pip = ctx.graph.get(ctx.graph.check(p.ref), 'publicIp');
            if (pip && !pip.existing) add(pip.name, pip.sku);
          }
          for (const { lb } of poolsOf(ctx, ipc)) if (!lb.existing) add(lb.name, lb.sku);
        }
      }
      if (basic.size > 0 && standard.size > 0)
        ctx.report({ messageId: 'mixedSku', data: { vm: v.vm.name, basic: quoteList([...basic].sort()), standard: quoteList([...standard].sort()) }, at: v.vm.at, resource: v.vm.name });
    }
  },
});

function outboundRulesByPool(ctx: RuleContext): Map<string, OutboundRule[]> {
  const out = new Map<string, OutboundRule[]>();
  for (const node of ctx.graph.nodes.values()) {
    if (node.kind !== 'loadBalancer') continue;
    for (const rule of node.outboundRules) {
      if (rule.pool?.kind !== 'found') continue;
      const list = out.get(rule.pool.key) ?? [];
      list.push(rule);
      out.set(rule.pool.key, list);
    }
  }
  return out;
}

function poolsOf(ctx: RuleContext, ipc: IpConfig): { pool: Pool; lb: LoadBalancer }[] {
  const out: { pool: Pool; lb: LoadBalancer }[] = [];
  for (const ref of ipc.pools) {
    const pool = ref.kind === 'found' ? ctx.graph.pools.get(ref.key) : undefined;
    const lb = pool ? ctx.graph.get({ kind: 'found', key: pool.lbKey }, 'loadBalancer') : undefined;
    if (pool && lb) out.push({ pool, lb });
  }
  return out;
}

/**
 * A secondary IPv4 ipconfig: the NIC has several ipconfigs and another one is the primary. "Outbound rules for the
 * secondary IP configuration are only supported for IPv6" (https://learn.microsoft.com/azure/load-balancer/outbound-rules#limitations),
 * so an IPv6 one (always secondary) is not reported, nor one whose IP version is known only at deployment.
 */
function isSecondary(nic: Nic, ipc: IpConfig): boolean {
  if (nic.ipConfigs.length < 2 || ipc.primary === true || ipc.primary instanceof Unknown || ipFamily(ipc) !== 'IPv4') return false;
  const primary = primaryIpConfigIndex(nic);
  return primary !== undefined && nic.ipConfigs[primary] !== ipc;
}

function checkNic(ctx: RuleContext, nic: Nic, rulesByPool: Map<string, OutboundRule[]>, owners: ReadonlyMap<string, VmResult>): void {
  const owner = owners.get(nic.key);
  const resource = owner ? owner.vm.name : nic.name;
  const nicLabel = nic.managed ? lastSegment(nic.name) : nic.name;
  for (const ipc of nic.ipConfigs) {
    for (const { pool } of poolsOf(ctx, ipc)) {
      for (const rule of rulesByPool.get(pool.key) ?? []) {
        const data = { nic: nicLabel, ipconfig: ipc.name, pool: pool.name, rule: rule.name };
        const ip = publicIpName(ctx.graph, ipc);
        if (ip !== undefined) ctx.report({ messageId: 'publicIpInOutboundPool', data: Object.assign({}, data, { ip }), at: publicIpLocation(ipc), resource });
        if (isSecondary(nic, ipc)) ctx.report({ messageId: 'secondaryInOutboundPool', data, at: ipc.at, resource });
      }
    }
  }
}
