// Corpus sweep: expands every template in a folder and prints crashes, findings by id, unsupported functions,
// and the share of evaluated expressions that stayed unknown, by cause. Exit 1 on any crash.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { expandDocument, lintDocument, showPlaceholders, withoutLinkedTemplates } from '../engine/index.js';
import type { DocumentInput } from '../engine/index.js';
import { rules } from '../rules/index.js';
import { diskHost } from '../api/files.js';
import { corpusEntries } from './corpus-files.js';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npm run corpus -- <folder>');
  process.exit(2);
}
const entries = corpusEntries(dir);
// The corpus is a checkout of Azure's quickstart repository: its templates' links to that repository on GitHub read
// from it, as a configuration's `links` would map them in a clone (contract: "Linked templates").
const host = diskHost(process.cwd(), { root: dir, map: { 'https://raw.githubusercontent.com/Azure/azure-quickstart-templates/master/': join(dir, 'Azure+azure-quickstart-templates') + '/' } });
const findings = new Map<string, number>();
const unsupported = new Map<string, number>();
const unknown = new Map<string, number>();
const crashes: string[] = [];
const slow: string[] = [];
let evaluated = 0;
let resources = 0;
const ruleCounts = new Map<string, number>();
const vmLines: string[] = [];
/** AKS node pools, and VMs whose paths depend on a virtual hub or a gateway: the workloads issue 18 added, listed one by one. */
const beyond: string[] = [];

/** The kind of reason an unknown path gives: what the corpus sweep counts, before and after a change. */
function reasonKind(reason: string): string {
  if (/linked template|template of deployment|fetched by URL|template spec|no file access/i.test(reason)) return 'a linked template that was not read';
  if (/parameter '[^']*' has no value|a parameter entry without a value/.test(reason)) return 'a parameter with no value';
  if (/utcNow|newGuid/.test(reason)) return 'a runtime value (utcNow, newGuid)';
  if (/assigned at deployment|reference\(/.test(reason)) return 'a value Azure assigns at deployment';
  if (/not in the analysed files|outside the analysed files|existing/i.test(reason)) return 'a resource outside the analysed files';
  if (/copy '[^']*' (count|index)/.test(reason)) return 'a copy count';
  if (/condition/i.test(reason)) return 'a condition';
  if (/forced tunnel|gateway/i.test(reason)) return 'forced tunnelling';
  return 'other';
}
/** Each template's VMs, for counting as the CLI reports them (templates another one links to inside their parent). */
const templates: { file: string; linked: readonly string[]; verdicts: string[]; unknowns: { kind: string; line: string }[] }[] = [];
const started = performance.now();
for (const e of entries) {
  const t0 = performance.now();
  try {
    const input: DocumentInput = { file: e.template, text: readFileSync(e.template, 'utf8'), ...(e.parameters ? { parameters: { file: e.parameters } } : {}) };
    const { deployment: d, problems } = expandDocument(input, { host });
    resources += d.resources.length;
    for (const f of problems) {
      findings.set(f.ruleId, (findings.get(f.ruleId) ?? 0) + 1);
      const m = /The template function '([^']+)' is not valid/.exec(f.message);
      if (m) unsupported.set(m[1], (unsupported.get(m[1]) ?? 0) + 1);
      if (process.env.VERBOSE) console.log(`${f.at.file}${f.at.pointer ? '#' + f.at.pointer : ''}: ${f.message} [${f.ruleId}]`);
    }
    // The lint as users run it ('egress' evaluation: what decides egress is evaluated, the rest checked).
    const linted = lintDocument(input, { rules, host });
    const unknowns: { kind: string; line: string }[] = [];
    for (const v of linted.resolved ?? []) {
      if (v.verdict !== 'unknown') continue;
      const path = v.paths.find((p) => p.verdict === 'unknown');
      const reason = path?.unknownReason ?? path?.because[path.because.length - 1] ?? 'no path';
      unknowns.push({ kind: reasonKind(reason), line: showPlaceholders(`${relative(dir, e.template)}: ${v.vm.name}: ${reason}`) });
    }
    // Absolute paths on both sides: the corpus folder may be given either way, and links are named relative to here.
    templates.push({ file: resolve(e.template), linked: (linted.linked ?? []).map((f) => resolve(f)), verdicts: linted.vms.map((v) => v.verdict), unknowns });
    for (const v of linted.resolved ?? []) {
      const reasons = v.paths.flatMap((p) => p.because).join('\n');
      const kind = v.vm.aks ? 'AKS node pool' : /virtual hub '/.test(reasons) ? 'Virtual WAN spoke' : /gateway '[^']*' may send|learned from on-premises|Route Server/.test(reasons) ? 'gateway VNet' : undefined;
      if (kind) beyond.push(showPlaceholders(`  ${kind}: ${relative(dir, e.template)}: ${v.vm.name} ${v.verdict} [${v.egress.map((x) => `${x.name} via ${x.via}`).join(', ')}]`));
    }
    for (const v of linted.vms) {
      if (process.env.VMS) vmLines.push(`${relative(dir, e.template)}: ${v.name} ${v.verdict} [${v.egress.map((x) => `${x.name} via ${x.via}`).join(', ')}]`);
    }
    for (const f of linted.findings) {
      ruleCounts.set(f.ruleId, (ruleCounts.get(f.ruleId) ?? 0) + 1);
      const m = /The template function '([^']+)' is not valid/.exec(f.message);
      if (m) unsupported.set(m[1], (unsupported.get(m[1]) ?? 0) + 1);
    }
    evaluated += d.stats.evaluated;
    for (const [cause, n] of Object.entries(d.stats.unknown)) unknown.set(cause, (unknown.get(cause) ?? 0) + (n ?? 0));
  } catch (err) {
    crashes.push(`${e.template}: ${(err as Error).stack ?? String(err)}`);
  }
  const ms = performance.now() - t0;
  if (ms > 2000) slow.push(`${relative(dir, e.template)} (${ms.toFixed(0)} ms)`);
}
const total = performance.now() - started;
for (const l of vmLines) console.log(l);
const pct = (n: number): string => `${((100 * n) / Math.max(1, evaluated)).toFixed(2)}%`;
console.log(`corpus: ${dirname(dir + '/x')}`);
console.log(`files: ${entries.length} templates (${entries.filter((e) => e.parameters).length} with a parameter file), ${resources} resources, ${total.toFixed(0)} ms`);
console.log(`crashes: ${crashes.length}`);
for (const c of crashes.slice(0, 20)) console.log(`  ${c.split('\n').slice(0, 4).join('\n    ')}`);
console.log(`slow (> 2 s): ${slow.length}${slow.length ? ': ' + slow.join(', ') : ''}`);
console.log('full expansion (every expression evaluated, as `egress-lint expand` does), findings by id:');
for (const [k, v] of [...findings].sort()) console.log(`  ${k}: ${v}`);
/** Verdict and unknown-reason counts over a set of templates. */
function tally(list: typeof templates, title: string): void {
  const verdicts = new Map<string, number>();
  const unknownWhy = new Map<string, number>();
  const unknownExamples = new Map<string, string>();
  for (const t of list) {
    for (const v of t.verdicts) verdicts.set(v, (verdicts.get(v) ?? 0) + 1);
    for (const u of t.unknowns) {
      unknownWhy.set(u.kind, (unknownWhy.get(u.kind) ?? 0) + 1);
      if (!unknownExamples.has(u.kind)) unknownExamples.set(u.kind, u.line);
    }
  }
  const vmTotal = [...verdicts.values()].reduce((a, b) => a + b, 0);
  console.log(`VMs and scale sets ${title}: ${vmTotal} in ${list.length} templates`);
  for (const [k, v] of [...verdicts].sort((a, b) => b[1] - a[1])) console.log(`  ${k}: ${v}`);
  console.log('  unknown VMs by the reason of their first unknown path:');
  for (const [k, v] of [...unknownWhy].sort((a, b) => b[1] - a[1])) console.log(`    ${k}: ${v} (e.g. ${unknownExamples.get(k)})`);
}
const reported = withoutLinkedTemplates(templates);
tally(reported, 'as the CLI reports them (a template another one links to is reported inside it)');
tally(templates, 'in every template on its own');
console.log(`AKS node pools, Virtual WAN spokes and VMs in VNets with gateways (every template on its own): ${beyond.length}`);
for (const l of beyond) console.log(l);
if (process.env.UNKNOWN) for (const t of reported) for (const u of t.unknowns) console.log(`unknown: ${u.kind}: ${u.line}`);
console.log('lint findings by rule (as the CLI reports them):');
for (const [k, v] of [...ruleCounts].sort()) console.log(`  ${k}: ${v}`);
console.log(`unsupported functions: ${unsupported.size === 0 ? 'none' : [...unsupported].map(([k, v]) => `${k} (${v})`).join(', ')}`);
console.log(`expressions evaluated: ${evaluated}; unknown: ${pct([...unknown.values()].reduce((a, b) => a + b, 0))}`);
for (const [k, v] of [...unknown].sort((a, b) => b[1] - a[1])) console.log(`  ${k}: ${v} (${pct(v)})`);
if (crashes.length > 0 || unsupported.size > 0) process.exitCode = 1;
