// One template through both engines: the inputs written once for each (params.ts), Azure's snapshot (snapshot.ts),
// egress-lint's full expansion (expandDocument, as `egress-lint expand` runs it), and the comparison (compare.ts).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEFAULT_SCOPE, expandDocument, loadTemplate } from '../../engine/index.js';
import type { Deployment, RawFinding } from '../../engine/index.js';
import { diskHost } from '../../api/files.js';
import type { CorpusEntry } from '../corpus-files.js';
import { bicepparamText, parameterFileText, parameterInputs } from './params.js';
import type { Origin } from './params.js';
import type { SnapshotMetadata, SnapshotPool, SnapshotResult } from './snapshot.js';

/**
 * egress-lint's default deployment context (DEFAULT_SCOPE), given to the snapshot so both engines see the same; the
 * snapshot refuses what the template's scope does not have (a resource group for a subscription deployment).
 */
export function metadataFor(scope: string): SnapshotMetadata {
  const common = { tenantId: DEFAULT_SCOPE.tenantId, location: DEFAULT_SCOPE.location, deploymentName: DEFAULT_SCOPE.deploymentName };
  if (scope === 'resourceGroup') return { ...common, subscriptionId: DEFAULT_SCOPE.subscriptionId, resourceGroup: DEFAULT_SCOPE.resourceGroup };
  if (scope === 'subscription') return { ...common, subscriptionId: DEFAULT_SCOPE.subscriptionId };
  if (scope === 'managementGroup') return { ...common, managementGroupId: DEFAULT_SCOPE.managementGroup };
  return common;
}

export interface Evaluated {
  /** The template's path under the corpus folder. */
  readonly template: string;
  readonly azure: SnapshotResult;
  readonly ours: Deployment | undefined;
  readonly problems: readonly RawFinding[];
  /** How many parameter values came from the parameter file, were generated, or name the template's folder. */
  readonly inputs: Readonly<Record<Origin, number>>;
  readonly scope: string;
  /** The template's secure parameters (securestring, secureObject): the snapshot keeps their values out. */
  readonly secure: readonly string[];
}

/** The secure parameters (securestring, secureObject) declared anywhere in a template, nested templates included. */
function secureParameters(v: unknown, out: string[], depth: number): void {
  if (depth > 64 || v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v) secureParameters(x, out, depth + 1);
    return;
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k.toLowerCase() === 'parameters' && x && typeof x === 'object' && !Array.isArray(x)) {
      for (const [name, decl] of Object.entries(x as Record<string, unknown>)) {
        const t = decl && typeof decl === 'object' ? String((decl as Record<string, unknown>).type ?? '').toLowerCase() : '';
        if (t === 'securestring' || t === 'secureobject') out.push(name);
      }
    }
    secureParameters(x, out, depth + 1);
  }
}

/** The folder URL a quickstart template would be deployed from (what `_artifactsLocation` defaults to there). */
function linkBaseOf(rel: string): string {
  const parts = rel.split('/');
  const repo = parts[0] === 'Azure+azure-quickstart-templates' ? 'Azure/azure-quickstart-templates' : 'Azure/bicep-registry-modules';
  return `https://raw.githubusercontent.com/${repo}/master/${parts.slice(1, -1).join('/')}/`;
}

/**
 * Evaluates one corpus template with both engines. The template is copied verbatim beside the .bicepparam (the
 * snapshot reads it by a relative `using`); egress-lint reads the original with the same values from a JSON
 * parameter file in that folder. Neither engine reads linked templates: the snapshot cannot (it evaluates inline
 * nested deployments only), so egress-lint is given no link resolver and both compare the same resources.
 */
export async function evaluate(corpus: string, entry: CorpusEntry, work: string, pool: SnapshotPool): Promise<Evaluated> {
  const rel = relative(corpus, entry.template);
  const text = readFileSync(entry.template, 'utf8');
  const doc = loadTemplate(rel, text);
  const tpl = (doc.value && typeof doc.value === 'object' ? doc.value : {}) as Record<string, unknown>;
  const fileDoc = entry.parameters ? loadTemplate(entry.parameters, readFileSync(entry.parameters, 'utf8')) : undefined;
  const inputs = parameterInputs(tpl, text, fileDoc?.value as Record<string, unknown> | undefined, linkBaseOf(rel));
  const bicepparam = bicepparamText('./template.json', inputs.values);
  const schema = String(tpl.$schema ?? '').toLowerCase();
  const scope = schema.includes('subscriptiondeploymenttemplate') ? 'subscription' : schema.includes('managementgroupdeploymenttemplate') ? 'managementGroup' : schema.includes('tenantdeploymenttemplate') ? 'tenant' : 'resourceGroup';
  const metadata = metadataFor(scope);
  const key = pool.key({ 'template.json': text, 'main.bicepparam': bicepparam }, metadata);
  const dir = join(work, createHash('sha256').update(key).digest('hex').slice(0, 16));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'template.json'), text);
  writeFileSync(join(dir, 'main.bicepparam'), bicepparam);
  const paramsFile = join(dir, 'parameters.json');
  writeFileSync(paramsFile, parameterFileText(inputs.values));
  const azure = await pool.snapshot(join(dir, 'main.bicepparam'), key, metadata);
  // The disk host reads the template and the parameter file; without its link resolver no linked template is read.
  const disk = diskHost(process.cwd());
  const host = { readText: disk.readText };
  let ours: Deployment | undefined;
  let problems: readonly RawFinding[] = [];
  try {
    const r = expandDocument({ file: rel, text, parameters: { file: paramsFile } }, { host });
    ours = r.deployment;
    problems = r.problems;
  } catch (e) {
    problems = [{ ruleId: 'crash', message: String((e as Error).stack ?? e), at: { file: rel, pointer: '' } }];
  }
  const count: Record<Origin, number> = { file: 0, generated: 0, replaced: 0, link: 0 };
  for (const o of Object.values(inputs.origin)) count[o]++;
  const secure: string[] = [];
  secureParameters(tpl, secure, 0);
  return { template: rel, azure, ours, problems, inputs: count, scope, secure };
}
