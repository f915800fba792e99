// Allowed values decide what placeholders cannot (contract: "Values known only at deployment"): when a VM is unknown
// because of parameters with no value that list `allowedValues`, the document is linted once per combination of
// those values (16 at most). When every combination gives the VM the same verdict, egress and findings, that is its
// answer; otherwise it stays unknown, and its unknown paths say which values give what.
import type { Value } from '../expressions/value.js';
import { getProp, isObject } from '../expressions/value.js';
import type { VmResult } from '../network/results.js';
import type { Finding, LintResult, VmReport } from './report.js';
import { compareFindings } from './report.js';

/** At most this many combinations are tried (the contract's bound: the product of the allowed values' counts). */
export const MAX_COMBINATIONS = 16;

/** A parameter that may decide: it has no value, and lists the values it may take. */
interface Choice {
  readonly name: string;
  readonly values: readonly Value[];
}

/** Each VM by where it is declared and its place among the VMs declared there (the copies of a loop). */
function byPlace(vms: readonly VmReport[]): Map<string, VmReport> {
  const out = new Map<string, VmReport>();
  const seen = new Map<string, number>();
  for (const v of vms) {
    const at = `${v.file}#${v.pointer}`;
    const n = seen.get(at) ?? 0;
    seen.set(at, n + 1);
    out.set(`${at}#${n}`, v);
  }
  return out;
}

/** The findings about a VM, its own name replaced by a token (a VM named from the parameter is the same VM). */
function findingsOf(result: LintResult, vm: VmReport): Finding[] {
  const out: Finding[] = [];
  for (const f of result.findings) if (f.resource === vm.name) out.push(f);
  return out;
}

/** What must agree across the combinations: the VM's verdict, egress and paths, and what its findings say. */
function signature(result: LintResult, vm: VmReport): string {
  const named = (s: string): string => s.split(`'${vm.name}'`).join("'<vm>'");
  const paths = vm.paths.map((p) => [p.nic, p.ipConfiguration, p.primary, p.method, p.verdict, p.egress.map((e) => [e.name, (e.id ?? e.name).toLowerCase(), e.via, e.static])]);
  const egress = vm.egress.map((e) => [e.name, (e.id ?? e.name).toLowerCase(), e.via, e.static, e.address, e.prefix]);
  const findings = findingsOf(result, vm).map((f) => [f.ruleId, f.severity, f.file, f.line, f.column, named(f.message)]);
  return JSON.stringify([vm.verdict, egress, paths, findings]);
}

/** The parameters with no value and allowed values that an unknown VM's reasons name (as `{name}` or `parameter 'name'`). */
function choices(template: Value, given: ReadonlySet<string>, unknown: readonly VmReport[]): Choice[] {
  const declared = isObject(template) ? getProp(template, 'parameters') : undefined;
  if (!isObject(declared)) return [];
  const open: Choice[] = [];
  for (const name of Object.keys(declared)) {
    const d = declared[name];
    const allowed = isObject(d) ? getProp(d, 'allowedValues') : undefined;
    if (!Array.isArray(allowed) || allowed.length === 0 || given.has(name.toLowerCase())) continue;
    if (isObject(d) && getProp(d, 'defaultValue') !== undefined) continue;
    open.push({ name, values: allowed });
  }
  if (open.length === 0) return open;
  const text = unknown.flatMap((v) => v.paths.flatMap((p) => (p.verdict === 'unknown' ? p.because : []))).join('\n');
  return open.filter((c) => text.includes(`{${c.name}}`) || text.includes(`parameter '${c.name}'`));
}

/** Every combination of the choices' values (the first choice varies slowest). */
function combinations(list: readonly Choice[]): Record<string, Value>[] {
  // Null-prototype records: a parameter may be named __proto__.
  let out: Record<string, Value>[] = [Object.create(null) as Record<string, Value>];
  for (const c of list) {
    const next: Record<string, Value>[] = [];
    for (const partial of out) {
      for (const v of c.values) {
        const combo = Object.assign(Object.create(null) as Record<string, Value>, partial);
        combo[c.name] = v;
        next.push(combo);
      }
    }
    out = next;
  }
  return out;
}

function shown(combination: Record<string, Value>): string {
  return Object.entries(combination)
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    .join(', ');
}

/**
 * The result with the VMs that the allowed values of their deciding parameters decide: `lintWith(values)` lints the
 * same document with those parameter values added. The result is unchanged when no VM is unknown, no parameter with
 * allowed values decides one, or there are more than MAX_COMBINATIONS combinations.
 */
export function decideByAllowedValues(base: LintResult, template: Value, given: ReadonlySet<string>, lintWith: (values: Record<string, Value>) => LintResult): LintResult {
  const unknown = base.vms.filter((v) => v.verdict === 'unknown');
  if (unknown.length === 0) return base;
  const list = choices(template, given, unknown);
  if (list.length === 0) return base;
  let count = 1;
  for (const c of list) count *= c.values.length;
  if (count > MAX_COMBINATIONS) return base;
  const combos = combinations(list);
  const runs = combos.map((c) => ({ combo: c, result: lintWith(c), places: new Map<string, VmReport>() }));
  for (const r of runs) r.places = byPlace(r.result.vms);
  const basePlaces = byPlace(base.vms);
  const decided = new Map<VmReport, { vm: VmReport; findings: Finding[]; resolved: VmResult | undefined }>();
  const differing = new Map<VmReport, string>();
  for (const [place, vm] of basePlaces) {
    if (vm.verdict !== 'unknown') continue;
    const got = runs.map((r) => ({ combo: r.combo, result: r.result, vm: r.places.get(place) }));
    const signatures = got.map((g) => (g.vm && g.vm.verdict !== 'unknown' ? signature(g.result, g.vm) : undefined));
    if (signatures.every((s) => s !== undefined && s === signatures[0])) {
      const first = got[0].vm!;
      // The VM keeps its own name and place; its egress, paths and findings are what every combination gives.
      const findings = findingsOf(got[0].result, first).map((f) => Object.assign({}, f, { resource: vm.name, message: f.message.split(`'${first.name}'`).join(`'${vm.name}'`) }));
      const index = got[0].result.vms.indexOf(first);
      decided.set(vm, { vm: Object.assign({}, first, { name: vm.name, id: vm.id, file: vm.file, line: vm.line, column: vm.column, pointer: vm.pointer }), findings, resolved: got[0].result.resolved?.[index] });
    } else {
      differing.set(vm, `the allowed values decide it differently: ${got.map((g) => `${shown(g.combo)} gives ${g.vm ? g.vm.verdict : 'no such VM'}`).join('; ')}`);
    }
  }
  if (decided.size === 0 && differing.size === 0) return base;
  const vms = base.vms.map((v) => {
    const d = decided.get(v);
    if (d) return d.vm;
    const why = differing.get(v);
    if (why === undefined) return v;
    return Object.assign({}, v, { paths: v.paths.map((p) => (p.verdict === 'unknown' ? Object.assign({}, p, { because: [...p.because, `unknown: ${why}`] }) : p)) });
  });
  const replaced = new Set<string>();
  for (const v of decided.keys()) replaced.add(v.name);
  const whyByName = new Map<string, string>();
  for (const [v, why] of differing) whyByName.set(v.name, why);
  const findings: Finding[] = [];
  for (const f of base.findings) {
    if (f.resource !== undefined && replaced.has(f.resource)) continue;
    const why = f.ruleId === 'unresolved-egress' && f.resource !== undefined ? whyByName.get(f.resource) : undefined;
    // The unknown path's finding names the values that differ (contract: "else unknown with the values that differ").
    findings.push(why === undefined ? f : Object.assign({}, f, { message: `${f.message.replace(/\.$/, '')}; ${why}.` }));
  }
  for (const d of decided.values()) for (const f of d.findings) findings.push(f);
  findings.sort(compareFindings);
  // The resolved paths behind the report (the Markdown chart reads them) follow the VMs they belong to.
  const resolved = base.resolved?.map((r, i) => decided.get(base.vms[i])?.resolved ?? r);
  return Object.assign({}, base, { vms, findings }, resolved ? { resolved } : {});
}
