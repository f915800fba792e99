// The allow-list a firewall team pastes: one line per distinct egress identity across all VMs whose address or
// prefix is known (the template, an exported template or an inventory states it: a CIDR block, a single address as
// /32 or /128), each with the VMs and methods behind it; a comment line for every identity whose address is not
// known yet (`# pip-nat-prod: address known after deployment; …`, or why an inventory that has it did not give it),
// for every VM whose egress cannot be allow-listed and why, and for every template that could not be analysed.
// Every line that is not an address starts with '#'.
import { TEMPLATE_PROBLEMS, analysed } from '../../engine/index.js';
import type { EgressEntry, LintResult, PathReport, VmReport } from '../../engine/index.js';

interface Line {
  readonly identity: string;
  readonly known: boolean;
  /** The egress identity's name (for a line whose address is not known). */
  readonly name: string;
  /** A public IP a service creates (AKS): named, with no resource id before deployment. */
  readonly created: boolean;
  /** Why the address is not known, when an inventory had something to say about it. */
  readonly note: string | undefined;
  readonly vms: string[];
  readonly methods: string[];
}

/** IPv4 addresses and CIDRs sort numerically; anything else (IPv6, ids) after them, as text. */
export function ipv4Key(s: string): number[] | undefined {
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

/** A single address as a host CIDR block (what every firewall and NSG accepts), a prefix as it is. */
function cidrOf(text: string): string {
  return text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`;
}

function identity(e: EgressEntry): { identity: string; known: boolean; created: boolean } {
  const known = e.address ?? e.prefix;
  if (known) return { identity: cidrOf(known), known: true, created: false };
  return e.id === null ? { identity: e.name, known: false, created: true } : { identity: e.id, known: false, created: false };
}

/** The comment that stands for an identity whose address is not known: its name, why, the VMs behind it, and its id. */
function placeholderLine(l: Line): string {
  const why = l.note !== undefined ? `address not known: ${oneLine(l.note)}` : 'address known after deployment';
  const what = l.created ? 'created by AKS, no resource id before deployment' : l.identity;
  return `# ${oneLine(l.name)}: ${why}; ${l.vms.map(oneLine).join(', ')} via ${l.methods.join(', ')}; ${what}`;
}

export function formatAllowlist(results: readonly LintResult[]): string {
  const lines = new Map<string, Line>();
  const comments: string[] = [];
  let vmCount = 0;
  for (const r of results) {
    // A template that could not be read or evaluated may deploy VMs nobody can list: say so rather than stay silent.
    if (!analysed(r)) {
      const why = r.findings.find((f) => TEMPLATE_PROBLEMS.has(f.ruleId));
      comments.push(`# ${oneLine(r.file)}: not fully analysed, so its VMs may be missing here${why ? `: ${oneLine(why.message)}` : ''}`);
    }
    for (const vm of r.vms) {
      vmCount++;
      for (const p of vm.paths) {
        // An address that changes on deallocation cannot be allow-listed; the VM's comment says so instead.
        for (const e of p.egress.filter((x) => x.static)) {
          const id = identity(e);
          const key = id.identity.toLowerCase();
          const line = lines.get(key) ?? { ...id, name: e.name, note: id.known ? undefined : e.addressNote, vms: [], methods: [] };
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
    "# Each line that does not start with '#' is an address or CIDR block. An egress whose address is not known yet is a comment line naming it: look its address up after deployment (or pass an inventory, see --inventory), or give it a fixed address from a public IP prefix.",
  ];
  const sorted = [...lines.values()].sort(compareIdentity);
  const unknown = sorted.filter((l) => !l.known);
  if (unknown.some((l) => l.created))
    out.push("# A public IP that AKS creates has no resource id before deployment: find its address in the cluster's node resource group, or give the cluster outbound IPs or a prefix of your own.");
  for (const l of sorted) if (l.known) out.push(`${l.identity}  # ${l.vms.map(oneLine).join(', ')} via ${l.methods.join(', ')}`);
  if (sorted.length === 0) out.push('# (no static egress to allow-list)');
  for (const l of unknown.sort(byName)) out.push(placeholderLine(l));
  out.push(...comments);
  return out.join('\n') + '\n';
}

function byName(a: Line, b: Line): number {
  const x = `${a.name.toLowerCase()}\n${a.identity}`;
  const y = `${b.name.toLowerCase()}\n${b.identity}`;
  return x < y ? -1 : x > y ? 1 : 0;
}
