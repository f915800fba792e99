// Only what a firewall can take: one address or CIDR block per line, nothing else (no header, no comments), for a
// tool that reads a plain list (an IP set, a security rule's source prefixes, a storage account's IP rules). A
// single address is written bare, not as /32: some Azure firewalls refuse /31 and /32 ranges and take single
// addresses only (https://learn.microsoft.com/azure/storage/common/storage-network-security-limitations). What the
// list cannot hold (an egress whose address is not known, a VM whose egress cannot be allow-listed, a template that
// could not be analysed) is counted by addressGaps: the CLI says it on standard error and exits 1, so a partial
// list is never taken for a whole one.
import { analysed } from '../../engine/index.js';
import type { LintResult } from '../../engine/index.js';
import { ipv4Key } from './allowlist.js';

function compare(a: string, b: string): number {
  const ka = ipv4Key(a);
  const kb = ipv4Key(b);
  if (ka && kb) {
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return 0;
  }
  if (ka || kb) return ka ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function formatAddresses(results: readonly LintResult[]): string {
  const seen = new Map<string, string>();
  for (const r of results)
    for (const vm of r.vms)
      for (const p of vm.paths)
        for (const e of p.egress) {
          // An address that changes on deallocation is no allow-list entry (the allowlist format says why).
          const known = e.static ? (e.address ?? e.prefix) : null;
          if (known && !seen.has(known.toLowerCase())) seen.set(known.toLowerCase(), known);
        }
  const list = [...seen.values()].sort(compare);
  return list.length ? `${list.join('\n')}\n` : '';
}

/** What an address list of the run leaves out, each by name. */
export interface AddressGaps {
  /** Static egress identities whose address and prefix are not known. */
  readonly unknown: readonly string[];
  /** VMs whose egress cannot be allow-listed (not deterministic), with their verdict. */
  readonly vms: readonly string[];
  /** Templates that could not be analysed: their VMs may be missing. */
  readonly templates: readonly string[];
}

export function addressGaps(results: readonly LintResult[]): AddressGaps {
  const unknown = new Map<string, string>();
  const vms: string[] = [];
  const templates: string[] = [];
  for (const r of results) {
    if (!analysed(r)) templates.push(r.file);
    for (const vm of r.vms) {
      if (vm.verdict !== 'deterministic' && vm.verdict !== 'deterministic-set' && vm.verdict !== 'no-egress') vms.push(`${vm.name} (${vm.verdict})`);
      for (const p of vm.paths) for (const e of p.egress) if (e.static && e.address === null && e.prefix === null) unknown.set((e.id ?? e.name).toLowerCase(), e.name);
    }
  }
  return { unknown: [...unknown.values()], vms, templates };
}

function some(names: readonly string[]): string {
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
}

/** The sentence the CLI prints when an address list is partial, or undefined when it is whole. */
export function describeGaps(g: AddressGaps): string | undefined {
  const parts: string[] = [];
  if (g.unknown.length) parts.push(`${g.unknown.length} egress ${g.unknown.length === 1 ? 'identity has' : 'identities have'} no known address (${some(g.unknown)})`);
  if (g.vms.length) parts.push(`${g.vms.length} VM${g.vms.length === 1 ? '' : 's'} cannot be allow-listed (${some(g.vms)})`);
  if (g.templates.length) parts.push(`${g.templates.length} template${g.templates.length === 1 ? ' was' : 's were'} not fully analysed (${some(g.templates)})`);
  if (parts.length === 0) return undefined;
  return `the address list is incomplete: ${parts.join('; ')}. --format allowlist says why for each; an inventory of the deployed resources (--inventory) gives the addresses Azure assigned.`;
}

/** describeGaps(addressGaps(results)): the CLI's note for a partial address list, or undefined. */
export function partialList(results: readonly LintResult[]): string | undefined {
  return describeGaps(addressGaps(results));
}
