// Step 4 of egress-model.md: outbound rules and implicit SNAT of the public load balancers whose NIC-based pools
// hold the ipconfig. Imports template/ and expressions/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import { Unknown } from '../expressions/value.js';
import type { Frontend, IpConfig, LoadBalancer, NetworkGraph, Pool, Ref } from './graph.js';
import { refEntries } from './egress-ips.js';
import type { EgressIp, Method, Outcome, PathNote } from './results.js';
import { describeRef, mayNotBeDeployed, unknownOutcome } from './results.js';

function isPublicFrontend(fe: Frontend | undefined): boolean {
  return !!fe && (fe.publicIp !== undefined || fe.publicIpPrefix !== undefined);
}

function family(v6: boolean): string {
  return v6 ? 'IPv6' : 'IPv4';
}

/** The method a list of a load balancer decides when it is not known. */
const METHOD_OF_LIST: Readonly<Record<string, Method>> = { outboundRules: 'lb-outbound-rule', loadBalancingRules: 'lb-rule-snat' };

/**
 * A list of `lb` not known as written that may decide a path in one of its pools: its frontends (which of them are
 * public), or its outbound or load-balancing rules unless every frontend is known and none is public (then no rule
 * can give outbound). A pool list that is not known does not decide a path whose pool was found (declared as a child
 * resource): rules name pools by id.
 */
function undecidedList(lb: LoadBalancer): { readonly list: string; readonly value: Unknown; readonly at: Location } | undefined {
  const lists = lb.unknownLists;
  if (lists === undefined || lists.length === 0) return undefined;
  const frontends = lists.find((u) => u.list === 'frontendIPConfigurations');
  if (frontends) return frontends;
  if (!lb.frontends.some(isPublicFrontend)) return undefined;
  return lists.find((u) => u.list === 'outboundRules' || u.list === 'loadBalancingRules');
}

/** Step 4 for the paths of one graph, with the index of IP-based pools it builds on first use. */
export class LoadBalancerSnat {
  // Built on first use: a Map access per lookup, not a scan of every pool per path (quadratic); pools in graph order, as the scan had.
  private poolsByAddress: Map<string, Pool[]> | undefined;

  constructor(private readonly g: NetworkGraph) {}

  /** The egress the load balancers holding `ipc` give it; undefined when none does (the path falls through to step 5). */
  resolve(ipc: IpConfig, ipcPrimary: boolean, v6: boolean, because: string[], notes: PathNote[]): Outcome | undefined {
    const outbound: EgressIp[] = [];
    const implicit: EgressIp[] = [];
    let decidedAt: Location | undefined;
    let unknown: string | undefined;
    // A load balancer that gives this path outbound but may not be deployed (its condition is unknown).
    let maybe: LoadBalancer | undefined;
    // An outbound rule gave this path its (possibly unknown) frontends: the method is the outbound rule's.
    let viaOutboundRule = false;
    for (const pref of ipc.pools) {
      const c = this.g.check(pref)!;
      if (c.kind !== 'found') {
        // A pool of a load balancer in the files whose pool list is not known as written may be in that list.
        const owner = c.kind === 'missing' ? this.g.nodes.get(c.id.slice(0, c.id.lastIndexOf('/backendaddresspools/'))) : undefined;
        const list = owner?.kind === 'loadBalancer' ? owner.unknownLists?.find((u) => u.list === 'backendAddressPools') : undefined;
        if (owner && list) return unknownOutcome(because, `the backendAddressPools of load balancer '${owner.name}': ${list.value.origin}`, list.at);
        return unknownOutcome(because, `the load balancer pool of ipconfig '${ipc.name}': ${describeRef(c)}`, ipc.at);
      }
      const pool = this.g.pools.get(c.key);
      if (!pool) return unknownOutcome(because, `the load balancer pool '${c.key}' is not in the analysed files`, ipc.at);
      const lb = this.g.nodes.get(pool.lbKey) as LoadBalancer;
      if (lb.existing) return unknownOutcome(because, `load balancer '${lb.name}' is an existing resource outside the analysed files`, lb.at);
      const undecided = undecidedList(lb);
      if (undecided) return unknownOutcome(because, `the ${undecided.list} of load balancer '${lb.name}': ${undecided.value.origin}`, undecided.at, METHOD_OF_LIST[undecided.list]);
      const before = outbound.length + implicit.length;
      for (const rule of lb.outboundRules) {
        // A pool that is not known (written with the wrong type, or known only at deployment) may be this one.
        if (rule.pool?.kind === 'unknown') return unknownOutcome(because, `the backend pool of outbound rule '${rule.name}' of '${lb.name}': ${rule.pool.value.origin}`, rule.at, 'lb-outbound-rule');
        if (!rule.pool || rule.pool.kind !== 'found' || rule.pool.key !== pool.key) continue;
        // "Outbound rules can only be applied to primary IPv4 configuration of a NIC ... Outbound rules for the
        // secondary IP configuration are only supported for IPv6" (https://learn.microsoft.com/azure/load-balancer/outbound-rules#limitations).
        if (!ipcPrimary && !v6) {
          notes.push({ kind: 'outbound-rule-secondary', message: rule.name, at: rule.at });
          because.push(`outbound rule '${rule.name}' of '${lb.name}' applies only to primary IPv4 ipconfigs (and to IPv6 ones)`);
          continue;
        }
        let found = false;
        for (const f of rule.frontends) {
          const fe = this.g.frontends.get(f.kind === 'found' ? f.key : '');
          const got = fe ? this.frontendEntries(fe, 'lb-outbound-rule', v6) : refEntries(this.g, [f], 'lb-outbound-rule');
          outbound.push(...got.egress);
          unknown ??= got.unknown;
          found ||= got.egress.length > 0 || got.unknown !== undefined;
        }
        if (!found) {
          because.push(`outbound rule '${rule.name}' of '${lb.name}' has no ${family(v6)} frontend that carries outbound traffic`);
          continue;
        }
        because.push(`outbound rule '${rule.name}' of load balancer '${lb.name}' translates pool '${pool.name}'`);
        viaOutboundRule = true;
        decidedAt ??= rule.at;
      }
      for (const rule of lb.lbRules) {
        const fe = rule.frontend && rule.frontend.kind === 'found' ? this.g.frontends.get(rule.frontend.key) : undefined;
        if (!rule.pools.some((p) => p.kind === 'found' && p.key === pool.key)) {
          // A pool that is not known (written with the wrong type) may be this one, on a public frontend.
          const unknownPool = rule.pools.find((p) => p.kind === 'unknown');
          if (unknownPool?.kind === 'unknown' && isPublicFrontend(fe)) return unknownOutcome(because, `the backend pools of load-balancing rule '${rule.name}' of '${lb.name}': ${unknownPool.value.origin}`, rule.at, 'lb-rule-snat');
          continue;
        }
        if (!isPublicFrontend(fe)) continue;
        // "Secondary IP configurations of a network interface don't provide outbound communication (unless a public
        // IP is associated to it) via a load balancer" (https://learn.microsoft.com/azure/load-balancer/load-balancer-outbound-connections#limitations).
        // An IPv6 ipconfig is always secondary, and Azure's dual-stack setup gives it Internet access through an IPv6
        // frontend and a load-balancing rule: "the VM's source IPv6 address is network address translated (NAT) to
        // the public IPv6 address of the load balancer" (https://learn.microsoft.com/azure/load-balancer/load-balancer-ipv6-overview#details-and-limitations,
        // https://learn.microsoft.com/azure/load-balancer/ipv6-configure-standard-load-balancer-template-json).
        if (!ipcPrimary && !v6) {
          because.push(`load-balancing rule '${rule.name}' of '${lb.name}' gives no outbound SNAT to a secondary IPv4 ipconfig`);
          continue;
        }
        if (rule.disableOutboundSnat instanceof Unknown) return unknownOutcome(because, `disableOutboundSnat of rule '${rule.name}': ${rule.disableOutboundSnat.origin}`, rule.at, 'lb-rule-snat');
        if (rule.disableOutboundSnat) {
          because.push(`load-balancing rule '${rule.name}' of '${lb.name}' sets disableOutboundSnat: no outbound through it`);
          continue;
        }
        const got = this.frontendEntries(fe!, 'lb-rule-snat', v6);
        if (got.egress.length === 0 && got.unknown === undefined) {
          because.push(`load-balancing rule '${rule.name}' of '${lb.name}': frontend '${fe!.name}' has no ${family(v6)} public IP that carries outbound traffic`);
          continue;
        }
        implicit.push(...got.egress);
        unknown ??= got.unknown;
        because.push(`load-balancing rule '${rule.name}' of load balancer '${lb.name}' gives implicit outbound SNAT through frontend '${fe!.name}'`);
        decidedAt ??= rule.at;
      }
      if (lb.maybe && outbound.length + implicit.length > before) maybe ??= lb;
    }
    // IP-based pools give no load balancer SNAT (documented known issue): note it and fall through.
    if (typeof ipc.privateIp === 'string') {
      for (const pool of this.poolsListing(ipc.privateIp)) {
        notes.push({ kind: 'ip-based-pool', message: pool.name, at: pool.at });
        because.push(`pool '${pool.name}' lists this address (IP-based pool), which gives no outbound SNAT`);
      }
    }
    const method: Method = outbound.length > 0 || viaOutboundRule ? 'lb-outbound-rule' : 'lb-rule-snat';
    if (unknown) return unknownOutcome(because, `a load balancer frontend IP: ${unknown}`, decidedAt, method, [...outbound, ...implicit]);
    if (maybe) return unknownOutcome(because, mayNotBeDeployed('load balancer', maybe), maybe.at, method, [...outbound, ...implicit]);
    if (outbound.length === 0 && implicit.length === 0) return undefined;
    return { method, egress: [...outbound, ...implicit], decidedAt };
  }

  /** The pools that list `address` (IP-based pools), in graph order, each once. */
  private poolsListing(address: string): readonly Pool[] {
    if (!this.poolsByAddress) {
      this.poolsByAddress = new Map();
      for (const pool of this.g.pools.values()) {
        for (const a of new Set(pool.addresses)) {
          if (typeof a !== 'string') continue;
          const list = this.poolsByAddress.get(a);
          if (list) list.push(pool);
          else this.poolsByAddress.set(a, [pool]);
        }
      }
    }
    return this.poolsByAddress.get(address) ?? [];
  }

  /**
   * The frontend's public IP or prefix when it is of the path's family (a frontend's family is its public IP's or
   * prefix's publicIPAddressVersion: an IPv4 frontend never carries IPv6 traffic, nor the reverse) and not Global tier.
   */
  private frontendEntries(fe: Frontend, via: Method, v6: boolean): { egress: EgressIp[]; unknown: string | undefined } {
    const refs: Ref[] = [];
    let undecided: string | undefined;
    for (const ref of [fe.publicIp, fe.publicIpPrefix]) {
      if (!ref) continue;
      const c = this.g.check(ref);
      const pip = this.g.get(c, 'publicIp');
      // A frontend IP whose version or tier is known only at deployment stays: its entry is unresolved (egress-ips.ts).
      if (pip && !pip.undecided && ((pip.version.toLowerCase() === 'ipv6') !== v6 || pip.tier.toLowerCase() === 'global')) continue;
      const prefix = this.g.get(c, 'publicIpPrefix');
      if (prefix?.undecided) undecided ??= `the IP version of public IP prefix '${prefix.name}': ${prefix.undecided.origin}`;
      else if (prefix && (prefix.version.toLowerCase() === 'ipv6') !== v6) continue;
      refs.push(ref);
    }
    const out = refEntries(this.g, refs, via);
    return { egress: out.egress, unknown: out.unknown ?? undecided };
  }
}
