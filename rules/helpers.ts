// Small shared views over the resolved egress model for rule modules; imports engine/index.ts only.
import type { ResourceSet, EgressIp, IpConfig, Location, NetworkGraph, PathResult, Ref, VmResult } from '../engine/index.js';
import { Unknown, lastSegment, pointerJoin, pointerSegments } from '../engine/index.js';

export { lastSegment };

/** A value without its final full stop, so it can sit inside a message sentence. */
export function clause(text: string): string {
  // A loop, not /[.\s]+$/: that regex retries at every space of an inner run, quadratic on names from the template.
  const t = text.trim();
  let end = t.length;
  while (end > 0 && (t[end - 1] === '.' || /\s/.test(t[end - 1]))) end--;
  return t.slice(0, end);
}

/** Names quoted and joined: 'a', 'b', 'c'. */
export function quoteList(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}

/**
 * The names of a set of egress identities, quoted, each with its address or CIDR when known (a template, an exported
 * template or an inventory states it: 'pip-nat' (203.0.113.20)), or `fallback` when there are none.
 */
export function egressNames(egress: readonly EgressIp[], fallback = 'no public IP'): string {
  if (egress.length === 0) return fallback;
  const labels = new Map<string, string>();
  for (const e of egress) {
    const known = e.address ?? e.prefix;
    const label = `'${e.name}'${known ? ` (${known})` : ''}`;
    if (!labels.has(e.name) || known) labels.set(e.name, label);
  }
  return [...labels.keys()].sort().map((n) => labels.get(n)!).join(', ');
}

/** The location of the array or object that holds `at`. */
export function parentOf(at: Location): Location {
  const segments = pointerSegments(at.pointer);
  const pointer = segments.length === 0 ? '' : at.pointer.slice(0, at.pointer.lastIndexOf('/'));
  return { file: at.file, pointer };
}

/** Same file and pointer. */
export function sameLocation(a: Location, b: Location): boolean {
  return a.file === b.file && a.pointer === b.pointer;
}

/** The ipconfig a path was resolved from, when the graph knows it. */
export function ipConfigOf(graph: NetworkGraph, path: PathResult): IpConfig | undefined {
  return path.ipConfigKey === '' ? undefined : graph.ipConfigs.get(path.ipConfigKey);
}

/** The name of the subnet of an ipconfig, or '?' when it is not in the analysed files. */
export function subnetName(graph: NetworkGraph, ipc: IpConfig | undefined): string {
  const subnet = ipc ? graph.get(graph.check(ipc.subnet), 'subnet') : undefined;
  return subnet ? subnet.name : '?';
}

/** The display name of the NIC a VM entry refers to. */
export function nicName(graph: NetworkGraph, ref: Ref): string {
  const nic = graph.get(graph.check(ref), 'nic');
  if (nic) return nic.managed ? lastSegment(nic.name) : nic.name;
  if (ref.kind === 'unknown') return `{${ref.value.origin}}`;
  return lastSegment(ref.kind === 'found' ? ref.key : ref.id);
}

/** The display name of the public IP an ipconfig carries, or undefined when it is unknown offline. */
export function publicIpName(graph: NetworkGraph, ipc: IpConfig): string | undefined {
  const pip = ipc.publicIp;
  if (pip === undefined || pip instanceof Unknown) return undefined;
  if (pip.kind === 'managed') return pip.name;
  const node = graph.get(graph.check(pip.ref), 'publicIp');
  if (node) return node.name;
  if (pip.ref.kind === 'unknown') return undefined;
  return lastSegment(pip.ref.kind === 'found' ? pip.ref.key : pip.ref.id);
}

/** Where the ipconfig names its public IP. */
export function publicIpLocation(ipc: IpConfig): Location {
  const pip = ipc.publicIp;
  return pip === undefined || pip instanceof Unknown ? ipc.at : pip.at;
}

/**
 * NIC key → the first VM or scale set that lists it (by reference or by a network interface configuration). Built
 * once per rule run and kept by the caller: a scan of every VM per NIC is quadratic (seconds for a template of
 * 10,000 VMs), and a module-level WeakMap cache would keep every template's graph alive in V8's young-generation
 * collections (it holds WeakMap values strongly).
 */
export function nicOwners(vms: readonly VmResult[]): ReadonlyMap<string, VmResult> {
  const index = new Map<string, VmResult>();
  for (const v of vms) for (const n of v.vm.nics) if (n.nic.kind === 'found' && !index.has(n.nic.key)) index.set(n.nic.key, v);
  return index;
}

/** 'nic/ipconfig' for a path, or the NIC alone when the path has no ipconfig. */
export function pathLabel(path: PathResult): string {
  return path.ipConfiguration === '' ? path.nic : `${path.nic}/${path.ipConfiguration}`;
}

/** True for Basic SKU names. */
export function isBasic(sku: string | Unknown): boolean {
  return typeof sku === 'string' && sku.toLowerCase() === 'basic';
}

/** True for Standard and StandardV2 SKU names. */
export function isStandard(sku: string | Unknown): boolean {
  return typeof sku === 'string' && sku.toLowerCase().startsWith('standard');
}

/**
 * The location of property `key` of the object at `at`, spelled as the source spells it (ARM keys are
 * case-insensitive), or `at` itself when the source does not write the property (a default applies).
 */
export function propertyAt(resources: ResourceSet, at: Location, key: string): Location {
  let cur: unknown = resources.docs.get(at.file)?.value;
  for (const s of pointerSegments(at.pointer)) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, s)) return at;
    cur = (cur as Record<string, unknown>)[s];
  }
  if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return at;
  const actual = Object.keys(cur).find((k) => k.toLowerCase() === key.toLowerCase());
  return actual === undefined ? at : { file: at.file, pointer: pointerJoin(at.pointer, actual) };
}
