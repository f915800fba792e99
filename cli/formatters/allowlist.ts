// The allow-list a firewall team pastes: one line per distinct egress identity across all VMs (the address or
// CIDR when the template states it, else the Azure resource id), each with the VMs and methods behind it, and a
// comment for every VM whose egress cannot be allow-listed and why.
import type { EgressEntry, LintResult, PathReport, VmReport } from '../../engine/index.js';

interface Line {
  readonly identity: string;
  readonly known: boolean;
  readonly vms: string[];
  readonly methods: string[];
}

/** IPv4 addresses and CIDRs sort numerically; anything else (IPv6, ids) after them, as text. */
function ipv4Key(s: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(s);
  return m ? m.slice(1).map((x) => (x === undefined ? 32 : Number(x))) : undefined;
}

function compareIdentity(a: Line, b: Line): number {
  if (a.known !== b.known) return a.known ? -1 : 1;
  const ka = ipv4Key(a.identity);
  const kb = ipv4Key(b.identity);
  if (ka && kb) {
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return 0;
  }
  if (ka || kb) return ka ? -1 : 1;
  const x = a.identity.toLowerCase();
  const y = b.identity.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0;
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').trim();
}

/** Why a path makes its VM impossible to allow-list: the resolver's last reason, plus any address that changes. */
function pathReason(p: PathReport): string {
  const last = p.because.length ? oneLine(p.because[p.because.length - 1]) : p.method;
  const moving = p.egress.filter((e) => !e.static).map((e) => `'${e.name}' is not static`);
  return `${p.nic}/${p.ipConfiguration}: ${[last, ...moving].join('; ')}`;
}

function cannot(vm: VmReport): string | undefined {
  if (vm.verdict === 'deterministic' || vm.verdict === 'deterministic-set') return undefined;
  const paths = vm.paths.filter((p) => p.verdict === vm.verdict);
  const reasons = (paths.length ? paths : vm.paths).map(pathReason);
  return `# ${oneLine(vm.name)}: cannot be allow-listed: ${vm.verdict}${reasons.length ? ` (${reasons.join(' | ')})` : ''}`;
}

function identity(e: EgressEntry): { identity: string; known: boolean } {
  const known = e.address ?? e.prefix;
  return known ? { identity: known, known: true } : { identity: e.id, known: false };
}

export function formatAllowlist(results: readonly LintResult[]): string {
  const lines = new Map<string, Line>();
  const comments: string[] = [];
  let vmCount = 0;
  for (const r of results) {
    for (const vm of r.vms) {
      vmCount++;
      for (const p of vm.paths) {
        // An address that changes on deallocation cannot be allow-listed; the VM's comment says so instead.
        for (const e of p.egress.filter((x) => x.static)) {
          const id = identity(e);
          const key = id.identity.toLowerCase();
          const line = lines.get(key) ?? { ...id, vms: [], methods: [] };
          if (!line.vms.includes(vm.name)) line.vms.push(vm.name);
          if (!line.methods.includes(e.via)) line.methods.push(e.via);
          lines.set(key, line);
        }
      }
      const c = cannot(vm);
      if (c) comments.push(c);
    }
  }
  const out = [
    `# egress-lint allow-list: the public IPs and prefixes that Internet traffic of ${vmCount} VM${vmCount === 1 ? '' : 's'} in ${results.length} template${results.length === 1 ? '' : 's'} can leave from.`,
    '# A line without an address names the Azure resource: its address is assigned at deployment (look it up, or give it a fixed address from a public IP prefix).',
  ];
  for (const l of [...lines.values()].sort(compareIdentity)) out.push(`${l.identity}  # ${l.vms.map(oneLine).join(', ')} via ${l.methods.join(', ')}`);
  if (lines.size === 0) out.push('# (no static egress to allow-list)');
  out.push(...comments);
  return out.join('\n') + '\n';
}
