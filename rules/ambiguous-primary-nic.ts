import { defineRule, ipFamily, primaryIpConfigIndex } from '../engine/index.js';
import type { VmResult } from '../engine/index.js';
import { nicName, nicOwners, parentOf, quoteList } from './helpers.js';

export default defineRule({
  id: 'ambiguous-primary-nic',
  severity: 'error',
  kind: 'egress',
  description: 'A VM with several NICs, and a NIC with several IP configurations, should mark exactly one of them primary.',
  messages: {
    noPrimaryNic: "'{{vm}}' has {{count}} network interfaces and none of them sets primary: true.",
    manyPrimaryNics: "'{{vm}}' sets primary: true on {{count}} network interfaces ({{nics}}), and only one can be primary.",
    noPrimaryIpConfig: "NIC '{{nic}}' has {{count}} IP configurations and none of them sets primary: true.",
    manyPrimaryIpConfigs: "NIC '{{nic}}' sets primary: true on {{count}} IP configurations ({{ipconfigs}}), and only one can be primary.",
    ipv6PrimaryIpConfig: "IP configuration '{{nic}}/{{ipconfig}}' is IPv6 and sets primary: true, but only an IPv4 IP configuration can be primary.",
  },
  help: 'Set properties.primary: true on exactly one network interface of the VM and on exactly one IPv4 IP configuration of each NIC; Azure rejects anything else, and the primary one is where the guest OS sends Internet traffic.',
  check(ctx) {
    // A flag known only at deployment can still make it right: report only what the known flags already prove.
    for (const vm of ctx.graph.vms) {
      if (vm.nics.length < 2) continue;
      const flagged = vm.nics.filter((n) => n.primary === true);
      const unknown = vm.nics.some((n) => n.primary !== true && n.primary !== false && n.primary !== undefined);
      if (flagged.length > 1) {
        const nics = quoteList(flagged.map((n) => nicName(ctx.graph, n.nic)));
        ctx.report({ messageId: 'manyPrimaryNics', data: { vm: vm.name, count: flagged.length, nics }, at: flagged[1].at, resource: vm.name });
      } else if (flagged.length === 0 && !unknown) {
        ctx.report({ messageId: 'noPrimaryNic', data: { vm: vm.name, count: vm.nics.length }, at: parentOf(vm.nics[0].at), resource: vm.name });
      }
    }
    let owners: ReadonlyMap<string, VmResult> | undefined;
    for (const node of ctx.graph.nodes.values()) {
      if (node.kind !== 'nic' || node.ipConfigs.length < 2) continue;
      owners ??= nicOwners(ctx.vms);
      const owner = owners.get(node.key);
      const resource = owner ? owner.vm.name : node.name;
      const name = node.managed ? node.name.slice(node.name.lastIndexOf('/') + 1) : node.name;
      const flagged = node.ipConfigs.filter((c) => c.primary === true);
      const unknown = node.ipConfigs.some((c) => c.primary !== true && c.primary !== false && c.primary !== undefined);
      // An IPv6 ipconfig cannot be primary, so without any flag a NIC with exactly one IPv4 ipconfig has that one
      // as primary (engine/network/ip-configs.ts); one whose IP version is known only at deployment may be it.
      const ipv4 = node.ipConfigs.filter((c) => ipFamily(c) === 'IPv4').length;
      const undecided = node.ipConfigs.some((c) => ipFamily(c) === undefined);
      if (flagged.length > 1) {
        const ipconfigs = quoteList(flagged.map((c) => c.name));
        ctx.report({ messageId: 'manyPrimaryIpConfigs', data: { nic: name, count: flagged.length, ipconfigs }, at: flagged[1].at, resource });
      } else if (flagged.length === 0 && !unknown && primaryIpConfigIndex(node) === undefined && (ipv4 > 1 || !undecided)) {
        ctx.report({ messageId: 'noPrimaryIpConfig', data: { nic: name, count: node.ipConfigs.length }, at: parentOf(node.ipConfigs[0].at), resource });
      }
      for (const c of flagged) if (ipFamily(c) === 'IPv6') ctx.report({ messageId: 'ipv6PrimaryIpConfig', data: { nic: name, ipconfig: c.name }, at: c.at, resource });
    }
  },
});
