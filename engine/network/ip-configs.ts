// An ipconfig's IP family and which ipconfig of a NIC is primary, shared by the resolver and the rules. Imports
// expressions/ only, besides engine/network/.
import { Unknown } from '../expressions/value.js';
import type { IpConfig, Nic } from './graph.js';

/** 'IPv4' or 'IPv6' as the ipconfig declares it (IPv4 by default); undefined when it is known only at deployment. */
export function ipFamily(ipc: IpConfig): 'IPv4' | 'IPv6' | undefined {
  if (ipc.undecidedVersion) return undefined;
  return ipc.version.toLowerCase() === 'ipv6' ? 'IPv6' : 'IPv4';
}

/**
 * The index of the NIC's primary ipconfig, or undefined when the files do not make exactly one primary. A single
 * ipconfig is primary without the flag (egress-model.md, units); otherwise the one flagged `primary: true`. With no
 * flag at all, a NIC with exactly one IPv4 ipconfig has that one as primary: a primary ipconfig cannot be IPv6
 * ("You can't assign a private IPv6 address to a primary IP configuration",
 * https://learn.microsoft.com/azure/virtual-network/ip-services/virtual-network-network-interface-addresses#primary),
 * and every NIC has an IPv4 one.
 */
export function primaryIpConfigIndex(nic: Nic): number | undefined {
  const configs = nic.ipConfigs;
  if (configs.length === 1) return 0;
  let flagged: number | undefined;
  let flags = 0;
  let unknownFlag = false;
  for (let i = 0; i < configs.length; i++) {
    const p = configs[i].primary;
    if (p instanceof Unknown) unknownFlag = true;
    else if (p === true) {
      flags++;
      flagged = i;
    }
  }
  if (flags > 0) return flags === 1 ? flagged : undefined;
  // A flag known only at deployment may be the one that decides: no inference over it.
  if (unknownFlag) return undefined;
  let ipv4: number | undefined;
  for (let i = 0; i < configs.length; i++) {
    const family = ipFamily(configs[i]);
    if (family === undefined) return undefined;
    if (family === 'IPv6') continue;
    if (ipv4 !== undefined) return undefined;
    ipv4 = i;
  }
  // An IPv4 ipconfig that says primary: false is not made primary against its own word.
  return ipv4 !== undefined && configs[ipv4].primary !== false ? ipv4 : undefined;
}
