import { defineRule, ipFamily } from '../engine/index.js';
import type { NetworkGraph, PathResult } from '../engine/index.js';
import { egressNames } from './helpers.js';

export default defineRule({
  id: 'secondary-nic-egress-differs',
  severity: 'warning',
  kind: 'egress',
  description: 'Every path of a VM should leave through the same public IPs as its primary path.',
  messages: {
    secondaryNic: "'{{vm}}' sends traffic from secondary NIC '{{nic}}' ('{{ipconfig}}') through {{egress}}, while its primary path uses {{primaryEgress}}.",
    secondaryIpConfig: "'{{vm}}' sends traffic from secondary IP configuration '{{nic}}/{{ipconfig}}' through {{egress}}, while its primary path uses {{primaryEgress}}.",
    secondaryNicIpv6: "'{{vm}}' sends IPv6 traffic from secondary NIC '{{nic}}' ('{{ipconfig}}') through {{egress}}, while the IPv6 path of its primary NIC uses {{primaryEgress}}.",
  },
  help: 'The guest OS decides which NIC or IP configuration a connection leaves from; give every path the same outbound method (for example one NAT gateway on all their subnets), or allow-list every set.',
  check(ctx) {
    for (const v of ctx.vms) {
      // Without one known primary path there is nothing to compare with (ambiguous-primary-nic and unresolved-egress report that).
      const primary = v.paths.find((p) => p.primary);
      if (v.primaryNic === undefined || !primary || primary.verdict === 'unknown') continue;
      const primaryNicRef = v.vm.nics[v.primaryNic]?.nic;
      const primaryNicKey = primaryNicRef?.kind === 'found' ? primaryNicRef.key : undefined;
      // IPv6 traffic leaves through an IPv6 path and IPv4 traffic through an IPv4 one: the destination's family
      // decides, not the guest OS, so an IPv6 path is compared with the IPv6 path of the primary NIC (an IPv6
      // ipconfig is never the primary one), and not at all when the primary NIC has none.
      const primaryV6 = v.paths.find((p) => p.nicKey === primaryNicKey && family(ctx.graph, p) === 'IPv6');
      for (const path of v.paths) {
        if (path.primary || path.verdict === 'unknown' || !leaves(path)) continue;
        const onPrimaryNic = path.nicKey === primaryNicKey;
        const entry = v.vm.nics.find((n) => n.nic.kind === 'found' && n.nic.key === path.nicKey);
        if (family(ctx.graph, path) === 'IPv6') {
          if (onPrimaryNic || !primaryV6 || primaryV6.verdict === 'unknown' || sameEgress(path, primaryV6)) continue;
          const data = { vm: v.vm.name, nic: path.nic, ipconfig: path.ipConfiguration, egress: describe(path), primaryEgress: describe(primaryV6) };
          ctx.report({ messageId: 'secondaryNicIpv6', data, at: entry?.at ?? path.at, resource: v.vm.name });
          continue;
        }
        if (sameEgress(path, primary)) continue;
        const data = { vm: v.vm.name, nic: path.nic, ipconfig: path.ipConfiguration, egress: describe(path), primaryEgress: describe(primary) };
        if (onPrimaryNic) ctx.report({ messageId: 'secondaryIpConfig', data, at: path.at, resource: v.vm.name });
        else ctx.report({ messageId: 'secondaryNic', data, at: entry?.at ?? path.at, resource: v.vm.name });
      }
    }
  },
});

/** The IP family of a path's ipconfig (IPv4 when the graph does not hold it); undefined when known only at deployment. */
function family(graph: NetworkGraph, p: PathResult): 'IPv4' | 'IPv6' | undefined {
  const ipc = p.ipConfigKey === '' ? undefined : graph.ipConfigs.get(p.ipConfigKey);
  return ipc ? ipFamily(ipc) : 'IPv4';
}

/** Default outbound access leaves through a platform-assigned IP, which is never one of the template's. */
function platform(p: PathResult): boolean {
  return p.method === 'default-outbound-access' && p.verdict === 'non-deterministic';
}

function leaves(p: PathResult): boolean {
  return p.egress.length > 0 || platform(p);
}

function sameEgress(a: PathResult, b: PathResult): boolean {
  // Two platform-assigned IPs are not known to be the same, but default-outbound-access already reports both.
  if (platform(a) || platform(b)) return platform(a) && platform(b);
  const keys = new Set(b.egress.map((e) => e.key));
  const mine = new Set(a.egress.map((e) => e.key));
  return mine.size === keys.size && [...mine].every((k) => keys.has(k));
}

function describe(p: PathResult): string {
  if (platform(p)) return 'a platform-assigned IP';
  return egressNames(p.egress, 'no public IP');
}
