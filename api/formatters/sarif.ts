// SARIF 2.1.0 for GitHub code scanning: every registry rule with its help and page, one result per finding
// (suppressed ones carry their reason), fingerprints that ignore line numbers, unreadable templates as tool
// notifications, and the egress list in the run's properties. Same input, byte-identical output.
// Follows GitHub's supported subset: https://docs.github.com/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
import { createRequire } from 'node:module';
import type * as NodeCrypto from 'node:crypto';
import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, LintResult, Rule, Severity, VmReport } from '../../engine/index.js';
import { ruleDocUrl } from '../../rules/index.js';
import type { FormatContext } from './index.js';

let crypto: typeof NodeCrypto | undefined;

const INFORMATION_URI = 'https://github.com/egress-lint/egress-lint';
const SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** Relative artifact URIs are relative to this base: the folder egress-lint ran in (the repository root in CI). */
const SRCROOT = '%SRCROOT%';
/** The partialFingerprints key; bump the version if the hashed fields ever change. */
export const FINGERPRINT_KEY = 'egressLint/v1';


function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

/** Rule help is a template (`{{subnet}}`); outside a finding the placeholders become visible names. */
function helpText(help: string): string {
  return help.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, '<$1>');
}

function helpMarkdown(rule: Rule): string {
  const help = rule.help.replace(/'?\{\{\s*([A-Za-z0-9_]+)\s*\}\}'?/g, '`<$1>`');
  return `${help}\n\nSee [${rule.id}](${ruleDocUrl(rule.id)}) for why it matters, examples, and the fix in ARM and Bicep.`;
}

function ruleDescriptor(rule: Rule) {
  const text = helpText(rule.help);
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.description },
    fullDescription: { text: text ? `${rule.description} ${text}` : rule.description },
    helpUri: ruleDocUrl(rule.id),
    help: { text: text || rule.description, markdown: helpMarkdown(rule) },
    defaultConfiguration: { level: rule.severity },
    properties: { tags: ['azure', rule.kind === 'template' ? 'template' : 'egress'] },
  };
}

/** A rule id that the registry does not know (a finding made outside it) still needs a descriptor. */
function bareDescriptor(id: string, level: Severity) {
  return {
    id,
    name: pascalCase(id),
    shortDescription: { text: id },
    helpUri: ruleDocUrl(id),
    defaultConfiguration: { level },
  };
}

interface ArtifactLocation {
  readonly uri: string;
  readonly uriBaseId?: string;
}

/** Relative to the working directory with forward slashes (what code scanning matches against the checkout). */
export function artifactLocation(file: string, cwd: string): ArtifactLocation {
  const abs = resolve(cwd, file);
  const rel = relative(cwd, abs).replace(/\\/g, '/');
  if (rel === '' || rel.startsWith('../') || rel === '..' || isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: rel.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function physicalLocation(f: Finding, cwd: string) {
  return {
    artifactLocation: artifactLocation(f.file, cwd),
    region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
  };
}

// Per result, VMs and resources by name, built on first use: a scan per finding is quadratic in a big template.
const byName = new WeakMap<LintResult, { vms: Map<string, VmReport>; resources: Map<string, LintResult['deployment']['resources'][number][]> }>();

function namesOf(r: LintResult) {
  let index = byName.get(r);
  if (!index) {
    index = { vms: new Map(), resources: new Map() };
    for (const v of r.vms) if (!index.vms.has(v.name)) index.vms.set(v.name, v);
    for (const x of r.deployment?.resources ?? []) {
      const list = index.resources.get(x.name);
      if (list) list.push(x);
      else index.resources.set(x.name, [x]);
    }
    byName.set(r, index);
  }
  return index;
}

/** Resource name → id: the VMs first, then the deployment's resources (the one enclosing the finding wins). */
function resourceId(r: LintResult, f: Finding): string | undefined {
  const name = f.resource;
  if (name === undefined) return undefined;
  const vm = namesOf(r).vms.get(name);
  if (vm) return vm.id;
  const candidates = namesOf(r).resources.get(name) ?? [];
  if (candidates.length <= 1) return candidates[0]?.id;
  const enclosing = candidates.find((x) => x.at.file === f.file && (f.pointer === x.at.pointer || f.pointer.startsWith(`${x.at.pointer}/`)));
  return (enclosing ?? candidates[0]).id;
}

function hash(text: string): string {
  // node:crypto on first use: loading it costs start-up time that runs without SARIF output need not pay.
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof NodeCrypto;
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 32);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function vmEgress(vm: VmReport, cwd: string) {
  return {
    name: vm.name,
    type: vm.type,
    id: vm.id,
    file: relative(cwd, resolve(cwd, vm.file)).replace(/\\/g, '/'),
    verdict: vm.verdict,
    egress: vm.egress.map((e) => ({ name: e.name, type: e.type, id: e.id, via: e.via, address: e.address, prefix: e.prefix, static: e.static })),
    // An address AKS creates has no id before deployment: its name stands for it.
    primaryEgress: vm.primaryEgress.map((e) => e.id ?? e.name),
  };
}

export function formatSarif(results: readonly LintResult[], ctx: FormatContext): string {
  const ordered = [...results].sort((a, b) => compareText(artifactLocation(a.file, ctx.cwd).uri, artifactLocation(b.file, ctx.cwd).uri));
  const all = ordered.flatMap((r) => r.findings.map((f) => ({ r, f, uri: artifactLocation(f.file, ctx.cwd).uri })));
  all.sort((a, b) => compareText(a.uri, b.uri) || a.f.line - b.f.line || a.f.column - b.f.column || compareText(a.f.ruleId, b.f.ruleId) || compareText(a.f.message, b.f.message));

  const descriptors: Array<ReturnType<typeof ruleDescriptor> | ReturnType<typeof bareDescriptor>> = ctx.rules.map(ruleDescriptor);
  const index = new Map(ctx.rules.map((r, i) => [r.id, i]));
  for (const id of [...new Set(all.map((x) => x.f.ruleId))].sort()) {
    if (index.has(id)) continue;
    index.set(id, descriptors.length);
    descriptors.push(bareDescriptor(id, all.find((x) => x.f.ruleId === id)!.f.severity));
  }

  // The fingerprint leaves the line out so an alert survives edits above it; the pointer joins in only when two
  // findings would otherwise share one (code scanning would merge them into one alert).
  const base = all.map(({ f, uri }) => `${f.ruleId}\u0000${uri}\u0000${f.resource ?? f.pointer}\u0000${f.message}`);
  const counts = new Map<string, number>();
  for (const k of base) counts.set(k, (counts.get(k) ?? 0) + 1);
  const seen = new Map<string, number>();
  const fingerprints = all.map(({ f }, i) => {
    let key = base[i];
    if ((counts.get(key) ?? 0) > 1 && f.resource !== undefined) key += `\u0000${f.pointer}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return hash(n === 0 ? key : `${key}\u0000${n}`);
  });

  const sarifResults = all.map(({ r, f }, i) => {
    const id = resourceId(r, f);
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId)!,
      level: f.severity,
      message: { text: f.message },
      locations: [
        {
          physicalLocation: physicalLocation(f, ctx.cwd),
          ...(f.resource !== undefined
            ? { logicalLocations: [id !== undefined ? { name: f.resource, fullyQualifiedName: id, kind: 'resource' } : { name: f.resource, kind: 'resource' }] }
            : {}),
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprints[i] },
      ...(f.suppression ? { suppressions: [{ kind: 'inSource', justification: f.suppression.justification }] } : {}),
    };
  });

  // A template that cannot be read was not analysed: say so where the tool's health is shown, not only as an alert.
  const notifications = all
    .filter(({ f }) => f.ruleId === 'template-invalid' && !f.suppression)
    .map(({ f }) => ({
      level: 'error',
      message: { text: f.message },
      locations: [{ physicalLocation: physicalLocation(f, ctx.cwd) }],
      associatedRule: { id: f.ruleId, index: index.get(f.ruleId)! },
    }));

  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'egress-lint',
            version: ctx.version,
            semanticVersion: ctx.version,
            informationUri: INFORMATION_URI,
            rules: descriptors,
          },
        },
        invocations: [{ executionSuccessful: true, ...(notifications.length ? { toolExecutionNotifications: notifications } : {}) }],
        originalUriBaseIds: { [SRCROOT]: { description: { text: 'The folder egress-lint ran in (the repository root in CI).' } } },
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
        properties: { egress: ordered.flatMap((r) => r.vms.map((vm) => vmEgress(vm, ctx.cwd))) },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
