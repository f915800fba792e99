// The egress list as CSV for a firewall team's spreadsheet or import script: one row per VM path per egress
// entry (a path without egress still gets a row), under a fixed header, quoted as RFC 4180 says. `address_note`
// says where a known address came from when an inventory gave it, and for an unknown one that it is known after
// deployment, or why an inventory that has the resource did not give it.
import type { LintResult } from '../../engine/index.js';

export const CSV_HEADER = [
  'vm', 'vm_id', 'file', 'line', 'verdict', 'nic', 'ip_configuration', 'primary', 'method', 'path_verdict',
  'egress_name', 'egress_type', 'egress_id', 'address', 'prefix', 'static', 'address_note',
] as const;

/**
 * One field: quoted when it holds a comma, quote or line break (RFC 4180 §2). A leading = + - @ (or tab/CR) is
 * prefixed with ' so a spreadsheet never runs a name from a template as a formula (OWASP "CSV injection").
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatCsv(results: readonly LintResult[]): string {
  const rows: string[] = [CSV_HEADER.join(',')];
  for (const r of results) {
    for (const vm of r.vms) {
      for (const p of vm.paths) {
        const head = [vm.name, vm.id, vm.file, vm.line, vm.verdict, p.nic, p.ipConfiguration, p.primary, p.method, p.verdict];
        const tails = p.egress.length
          ? p.egress.map((e) => [e.name, e.type, e.id, e.address, e.prefix, e.static, e.addressNote ?? (e.address === null && e.prefix === null ? 'known after deployment' : '')])
          : [['', '', '', '', '', '', '']];
        for (const tail of tails) rows.push([...head, ...tail].map(csvField).join(','));
      }
    }
  }
  return rows.join('\n') + '\n';
}
