// Steps 2 and 3 of egress-model.md: the subnet's NAT gateway (which overrides everything after it), then the
// ipconfig's own public IP. Imports expressions/ only, besides engine/network/.
import { Unknown } from '../expressions/value.js';
import type { IpConfig, NatGateway, NetworkGraph, Vm } from './graph.js';
import { lastSegment } from './ids.js';
import { fromPip, pipEntry, refEntries, unresolvedWhy } from './egress-ips.js';
import type { EgressIp, Method, Outcome, PathNote } from './results.js';
import { describeRef, mayNotBeDeployed, unknownOutcome } from './results.js';

/** A NAT gateway's egress for one IP family; undefined when it has no address of an IPv6 path's family. */
export function natEgress(g: NetworkGraph, nat: NatGateway, v6: boolean, via: Method, because: string[]): Outcome | undefined {
  if (nat.existing) return unknownOutcome(because, `NAT gateway '${nat.name}' is an existing resource outside the analysed files`, nat.at, via);
  // Each family has its own lists (publicIpAddresses/publicIpPrefixes, publicIpAddressesV6/publicIpPrefixesV6 on a
  // StandardV2 NAT gateway: https://learn.microsoft.com/azure/nat-gateway/nat-sku): only this path's family decides.
  const unknownIps = v6 ? nat.unknownIpsV6 : nat.unknownIps;
  if (unknownIps) return unknownOutcome(because, `the ${v6 ? 'IPv6' : 'IPv4'} public IPs of NAT gateway '${nat.name}': ${unknownIps.origin}`, nat.at, via);
  const refs = v6 ? [...nat.publicIpsV6, ...nat.publicIpPrefixesV6] : [...nat.publicIps, ...nat.publicIpPrefixes];
  if (refs.length === 0) {
    if (v6) return undefined;
    // "A NAT gateway without a public IP address or prefix isn't operational" (https://learn.microsoft.com/azure/nat-gateway/faq).
    return unknownOutcome(because, `NAT gateway '${nat.name}' has no public IP or prefix, so it is not operational`, nat.at, via);
  }
  const { egress, unknown } = refEntries(g, refs, via);
  if (unknown) return unknownOutcome(because, `a public IP of NAT gateway '${nat.name}': ${unknown}`, nat.at, via, egress);
  if (nat.maybe) return unknownOutcome(because, mayNotBeDeployed('NAT gateway', nat), nat.at, via, egress);
  return { method: via, egress, decidedAt: nat.at };
}

/** Step 3: the ipconfig's own public IP; undefined when it carries no outbound traffic for this path's IP family. */
export function instanceIp(g: NetworkGraph, vm: Vm, ipc: IpConfig, pip: NonNullable<IpConfig['publicIp']>, v6: boolean, because: string[], notes: PathNote[]): Outcome | undefined {
  if (pip instanceof Unknown) return undefined;
  if (pip.kind === 'managed') {
    // Whether it carries this path's traffic at all (its family, a Global tier) is decided at deployment.
    if (pip.undecided) return unknownOutcome(because, `the IP version or tier of public IP configuration '${pip.name}': ${pip.undecided.origin}`, pip.at, 'instance-public-ip');
    if (pip.tier.toLowerCase() === 'global') {
      notes.push({ kind: 'global-public-ip', message: pip.name, at: pip.at });
      because.push(`public IP configuration '${pip.name}' is Global tier, which never carries outbound traffic`);
      return undefined;
    }
    if ((pip.version.toLowerCase() === 'ipv6') !== v6) return undefined;
    const sku = typeof pip.sku === 'string' ? pip.sku : null;
    const alloc = typeof pip.allocation === 'string' ? pip.allocation.toLowerCase() : undefined;
    if (vm.scaleSet) {
      const prefix = pip.prefix ? g.check(pip.prefix) : undefined;
      if (prefix) {
        if (prefix.kind === 'unknown') return unknownOutcome(because, `the public IP prefix of '${pip.name}': ${prefix.value.origin}`, pip.at, 'instance-public-ip');
        because.push(`each ${vm.aks ? 'node' : 'instance'} gets its own public IP from prefix ${prefix.kind === 'found' ? lastSegment(prefix.key) : describeRef(prefix)}`);
        const { egress, unknown } = refEntries(g, [prefix], 'instance-public-ip');
        if (unknown) return unknownOutcome(because, `the public IP prefix of '${pip.name}': ${unknown}`, pip.at, 'instance-public-ip', egress);
        return { method: 'instance-public-ip', egress, decidedAt: pip.at };
      }
      notes.push({ kind: 'per-instance-ips', message: pip.name, at: pip.at });
      because.push(vm.aks ? `each node gets its own public IP ('${pip.name}', enableNodePublicIP) with no prefix: the set grows with every node` : `each instance gets its own public IP ('${pip.name}') with no prefix: the set grows with every instance`);
      // Each instance's address is as stable as its SKU and allocation; the set is what is unbounded.
      return {
        method: 'instance-public-ip',
        verdict: 'non-deterministic',
        // An AKS node's public IP is one AKS creates: no id is known before deployment.
        egress: [{ key: `${ipc.key}/publicipaddressconfiguration`, name: pip.name, type: 'Microsoft.Network/publicIPAddresses', id: vm.aks ? null : `${vm.id}/publicIPAddressConfiguration/${pip.name}`, via: 'instance-public-ip', address: null, prefix: null, static: alloc === 'static', changes: alloc === 'dynamic', sku, unresolved: false, at: pip.at }],
        decidedAt: pip.at,
      };
    }
    because.push(`ipconfig '${ipc.name}' has its own public IP ('${pip.name}', created with the VM)`);
    const entry: EgressIp = { key: `${ipc.key}/publicipaddressconfiguration`, name: pip.name, type: 'Microsoft.Network/publicIPAddresses', id: `${vm.id}/publicIPAddressConfiguration/${pip.name}`, via: 'instance-public-ip', address: null, prefix: null, static: alloc === 'static', changes: alloc === 'dynamic', sku, unresolved: alloc === undefined || sku === null, at: pip.at, ...unresolvedWhy(pip.name, false, pip.sku, pip.allocation) };
    return { method: 'instance-public-ip', egress: [entry], decidedAt: pip.at };
  }
  const ref = g.check(pip.ref)!;
  if (ref.kind === 'unknown') return unknownOutcome(because, `the public IP of ipconfig '${ipc.name}': ${ref.value.origin}`, pip.at, 'instance-public-ip');
  const node = g.get(ref, 'publicIp');
  if (node) {
    if (node.undecided) return unknownOutcome(because, `the IP version or tier of public IP '${node.name}': ${node.undecided.origin}`, pip.at, 'instance-public-ip', [fromPip(g, node, 'instance-public-ip')]);
    if (node.tier.toLowerCase() === 'global') {
      notes.push({ kind: 'global-public-ip', message: node.name, at: pip.at });
      because.push(`public IP '${node.name}' is Global tier, which never carries outbound traffic`);
      return undefined;
    }
    if ((node.version.toLowerCase() === 'ipv6') !== v6) return undefined;
    because.push(`ipconfig '${ipc.name}' has its own public IP '${node.name}'`);
    const entry = fromPip(g, node, 'instance-public-ip');
    if (node.maybe) return unknownOutcome(because, mayNotBeDeployed('public IP', node), pip.at, 'instance-public-ip', [entry]);
    return { method: 'instance-public-ip', egress: [entry], decidedAt: pip.at };
  }
  return unknownOutcome(because, `the public IP of ipconfig '${ipc.name}': ${describeRef(ref)}`, pip.at, 'instance-public-ip', [pipEntry(g, ref, 'instance-public-ip')]);
}
