// What the egress resolver answers, in the words of egress-model.md (verdicts, methods, path and VM results), and
// how verdicts combine, and the reasons shared by several steps. Imports template/ (types) only, besides engine/network/.
import type { Location } from '../template/finding.js';
import type { NetworkGraph, NodeBase, Ref, Vm } from './graph.js';
import { lastSegment } from './ids.js';
import { GRAPH_TYPES } from './reads.js';

export type Verdict = 'deterministic' | 'deterministic-set' | 'non-deterministic' | 'no-egress' | 'unknown';
export type Method =
  | 'route-table'
  | 'firewall'
  | 'appliance'
  | 'nat-gateway'
  | 'instance-public-ip'
  | 'lb-outbound-rule'
  | 'lb-rule-snat'
  | 'default-outbound-access'
  | 'none'
  | 'unknown';

/** One egress identity: a public IP, a prefix, or a platform-owned address. */
export interface EgressIp {
  readonly key: string;
  readonly name: string;
  readonly type: string;
  /** Null for an address a service creates (AKS): no resource id is known before deployment. */
  readonly id: string | null;
  readonly via: Method;
  readonly address: string | null;
  readonly prefix: string | null;
  readonly static: boolean;
  /** Basic SKU or Dynamic allocation: the address changes on deallocation. */
  readonly changes: boolean;
  readonly sku: string | null;
  /** Not in the analysed files (or its properties are not known): the identity is known, its nature is not. */
  readonly unresolved: boolean;
  /** For an unresolved identity whose properties are not known: which one and why (the path's unknown reason). */
  readonly why?: string;
  /** Where the address or prefix came from when an inventory gave it, or why an inventory that has the resource did not. */
  readonly addressNote?: string;
  readonly at: Location | undefined;
}

/** Something the resolver saw that a rule may report. */
export interface PathNote {
  readonly kind:
    | 'nat-overrides-public-ip'
    | 'route-overrides-public-ip'
    | 'ip-based-pool'
    | 'outbound-rule-secondary'
    | 'per-instance-ips'
    | 'global-public-ip'
    | 'bare-secondary'
    | 'destination-dependent'
    | 'rejected';
  readonly message: string;
  readonly at: Location;
  /** For a route the subnet learns (from a virtual hub or a gateway) rather than one of its route table: who sends what where. */
  readonly learned?: { readonly source: string; readonly prefix: string; readonly nextHop: string };
}

export interface PathResult {
  readonly nic: string;
  readonly nicKey: string;
  readonly ipConfiguration: string;
  readonly ipConfigKey: string;
  readonly primary: boolean;
  readonly method: Method;
  readonly verdict: Verdict;
  readonly egress: readonly EgressIp[];
  readonly because: readonly string[];
  readonly notes: readonly PathNote[];
  /**
   * For no-egress paths: why (private subnet, route None, SNAT disabled...; 'group' for the group rule). For a path
   * left unknown only because the files do not decide the group rule: 'group-undecided'.
   */
  readonly cause: string | undefined;
  /** For unknown paths: what the path depends on. */
  readonly unknownReason: string | undefined;
  /** Where the deciding element is declared (the LB rule, the NAT gateway, the route...), for findings. */
  readonly decidedAt: Location;
  readonly at: Location;
}

export interface VmResult {
  readonly vm: Vm;
  readonly verdict: Verdict;
  readonly egress: readonly EgressIp[];
  readonly primaryEgress: readonly EgressIp[];
  readonly paths: readonly PathResult[];
  /** Index of the primary NIC in vm.nics, or undefined when it is ambiguous. */
  readonly primaryNic: number | undefined;
}

/** What one step of the resolution order decided for a path; resolvePath turns it into a PathResult. */
export interface Outcome {
  method: Method;
  verdict?: Verdict;
  egress: EgressIp[];
  cause?: string;
  unknownReason?: string;
  decidedAt?: Location;
}

/** An unknown outcome: `reason` (what the path depends on) joins the path's reasons. */
export function unknownOutcome(because: string[], reason: string, at?: Location, method: Method = 'unknown', egress: EgressIp[] = []): Outcome {
  because.push(`unknown: ${reason}`);
  return { method, verdict: 'unknown', egress, unknownReason: reason, decidedAt: at };
}

export function describeRef(ref: Ref): string {
  if (ref.kind === 'unknown') return ref.value.origin;
  if (ref.kind === 'missing') return `'${ref.id}' is not in the analysed files`;
  return ref.key;
}

/** Why a path through `node` is unknown when its condition is: `what` names its kind ('load balancer', 'public IP'). */
export function mayNotBeDeployed(what: string, node: Pick<NodeBase, 'name' | 'maybeWhy'>): string {
  const why = node.maybeWhy;
  if (why === undefined) return `${what} '${node.name}' may not be deployed (its condition is unknown)`;
  return `${what} '${node.name}' may not be deployed (${why.startsWith('the copy count of ') ? why : `its condition is unknown: ${why}`})`;
}

/** Why a subnet reference has no node: an `existing` VNet, a VNet elsewhere, a copy loop of unknown count, or an unknown id. */
export function missingSubnet(g: NetworkGraph, sref: Ref): string {
  if (sref.kind === 'unknown') return `the subnet id (${sref.value.origin})`;
  if (sref.kind !== 'missing') return `the subnet ${describeRef(sref)}`;
  const i = sref.id.lastIndexOf('/subnets/');
  const vnet = i > 0 ? g.nodes.get(sref.id.slice(0, i)) : undefined;
  const declared = i > 0 ? g.declaredResource(sref.id.slice(0, i)) : undefined;
  if (declared?.existing) return `subnet '${lastSegment(sref.id)}' of VNet '${declared.name}', an existing resource outside the analysed files`;
  if (declared && !vnet) return `subnet '${lastSegment(sref.id)}' is not declared in VNet '${declared.name}'`;
  const loop = g.unknownCopies.get(GRAPH_TYPES.subnet) ?? g.unknownCopies.get(GRAPH_TYPES.vnet);
  if (loop !== undefined) return `the subnet '${sref.id}' may be one a copy loop creates, and ${loop}`;
  return `the subnet '${sref.id}' is not in the analysed files`;
}

/** egress-model.md, verdicts: any non-deterministic result wins, then any unknown one; undefined when neither. */
export function worstVerdict(results: readonly { verdict: Verdict }[]): Verdict | undefined {
  if (results.some((r) => r.verdict === 'non-deterministic')) return 'non-deterministic';
  if (results.some((r) => r.verdict === 'unknown')) return 'unknown';
  return undefined;
}

/** The verdict of a set of egress identities when nothing else made it unknown. */
export function setVerdict(egress: readonly EgressIp[]): Verdict {
  if (egress.length === 0) return 'no-egress';
  // egress-model.md: any non-deterministic member wins over an unknown one.
  if (egress.some((e) => !e.unresolved && (e.changes || !e.static))) return 'non-deterministic';
  if (egress.some((e) => e.unresolved)) return 'unknown';
  const unique = dedupe(egress);
  if (unique.length === 1 && unique[0].type.toLowerCase().endsWith('publicipaddresses')) return 'deterministic';
  return 'deterministic-set';
}

/** The verdict of an outcome, as resolvePath computes it. */
export function outcomeVerdict(out: Outcome): Verdict {
  return out.verdict ?? (out.method === 'none' ? 'no-egress' : out.method === 'unknown' ? 'unknown' : setVerdict(dedupe(out.egress)));
}

/** Each identity once (the first of a key), sorted by name then key: the order of every egress list in the reports. */
export function dedupe(egress: readonly EgressIp[]): EgressIp[] {
  const seen = new Map<string, EgressIp>();
  for (const e of egress) if (!seen.has(e.key)) seen.set(e.key, e);
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The inventory's word on the addresses of a path's egress (where each came from, or why one was not taken), each
 * once, before the path's last reason: rules and reports read that one as the path's deciding reason.
 */
export function addressNotes(egress: readonly EgressIp[], because: string[]): void {
  let notes: string[] | undefined;
  for (const e of egress) if (e.addressNote !== undefined && !(notes ??= []).includes(e.addressNote)) notes.push(e.addressNote);
  if (notes) because.splice(Math.max(0, because.length - 1), 0, ...notes);
}
