// The one lint pipeline: read a document and its parameter file through the caller's host, expand it with the
// bodies the network graph reads, build the graph once, resolve every VM's egress, run the document rules, and
// return the report model; then, once per run, the session rules over every document's report. The CLI (on one
// thread or many), the library API, the ESLint plugin, `expand`/`eval` and the test harnesses all come through here.
import type { RawFinding } from '../template/finding.js';
import type { TemplateDoc } from '../template/template.js';
import { duplicateKeyMessage, loadTemplate } from '../template/template.js';
import type { Scope } from '../expressions/scope.js';
import { DEFAULT_SCOPE } from '../expressions/scope.js';
import type { Value } from '../expressions/value.js';
import { expand } from '../expansion/expand.js';
import { readParameterFile } from '../expansion/parameters.js';
import type { Deployment, LinkResolver, SafetyCaps } from '../expansion/types.js';
import { buildGraph } from '../network/graph.js';
import { GRAPH_READS } from '../network/reads.js';
import { resolveEgress } from '../network/resolve.js';
import type { Inventory } from '../inventory/inventory.js';
import type { Finding, LintResult } from './report.js';
import { emptyDeployment, vmReport, withoutLinkedTemplates } from './report.js';
import { runDocumentRules, runSessionRules } from './rules.js';
import { decideByAllowedValues } from './allowed-values.js';
import type { Rule, RuleLevel, RuleSettings } from './rules.js';
import { isTerraformJson, readTerraform } from '../terraform/front-end.js';
import type { TerraformOptions } from '../terraform/front-end.js';

/** Where the pipeline's text comes from: the caller's files (the CLI, the API), an editor's buffer, or nothing. */
export interface SourceHost {
  /** The text of a file, named as findings name it, or why it cannot be read (one sentence). */
  readText(file: string): string | { readonly error: string };
  /** Reads linked templates; without it they stay unresolved. */
  readonly links?: LinkResolver;
  /**
   * The files of a folder (named as `readText` takes them), or undefined when it cannot be listed: the Terraform
   * front-end reads the .tf files of a plan's modules to point findings at their blocks.
   */
  listFiles?(dir: string): readonly string[] | undefined;
}

/** A parameter file by name (read through the host unless its text is given), or parameter values by name. */
export type ParameterInput = { readonly file: string; readonly text?: string } | { readonly values: Readonly<Record<string, unknown>> };

/** One document to lint. */
export interface DocumentInput {
  /** The name findings carry (relative, with '/'); linked templates resolve from its folder. */
  readonly file: string;
  /** The text, when the caller holds it (an editor buffer, compiled Bicep, a test's snippet); else read through the host. */
  readonly text?: string;
  readonly parameters?: ParameterInput;
  /** Problems that stopped the document before linting (a Bicep file that did not compile): reported as they are. */
  readonly failed?: readonly Finding[];
  /** A sentence added to the help of every finding in this file (where compiled Bicep's positions point). */
  readonly positionNote?: string;
}

/** What every document of a run shares. */
export interface SessionOptions {
  readonly rules: readonly Rule[];
  /** Per-rule levels ('off' disables a rule). */
  readonly levels?: Readonly<Record<string, RuleLevel>>;
  readonly scope?: Partial<Scope>;
  readonly settings?: RuleSettings;
  /** Resources already deployed, read from inventory files: they resolve what the templates only reference. */
  readonly inventory?: Inventory;
  readonly host?: SourceHost;
  /** Lower safety caps than the defaults (what a test of a stopped expansion sets). */
  readonly caps?: Partial<SafetyCaps>;
}

const NO_HOST: SourceHost = { readText: () => ({ error: 'No file is read here.' }) };

const UNREADABLE_HELP = 'Make the file valid JSON (comments and trailing commas are fine) with an ARM template object at the top.';

function unreadable(file: string, error: string): RawFinding {
  return { ruleId: 'template-invalid', message: error, at: { file, pointer: '' }, help: UNREADABLE_HELP };
}

/** A loaded document and its parameters, or the problems that stopped the reading. */
interface Loaded {
  readonly doc: TemplateDoc | undefined;
  readonly values?: Record<string, Value>;
  readonly parametersFile?: string;
  readonly parameterDoc?: TemplateDoc;
  readonly problems: RawFinding[];
}

function load(input: DocumentInput, host: SourceHost): Loaded {
  const problems: RawFinding[] = [];
  const text = input.text ?? host.readText(input.file);
  if (typeof text !== 'string') return { doc: undefined, problems: [unreadable(input.file, text.error)] };
  const doc = loadTemplate(input.file, text);
  const p = input.parameters;
  if (p === undefined) return { doc, problems };
  if ('values' in p) {
    // A null-prototype copy: keys such as __proto__ come from the caller and must stay plain keys.
    const values = Object.create(null) as Record<string, Value>;
    for (const k of Object.keys(p.values)) values[k] = p.values[k] as Value;
    return { doc, values, problems };
  }
  const ptext = p.text ?? host.readText(p.file);
  if (typeof ptext !== 'string') return { doc, problems: [unreadable(p.file, ptext.error)] };
  const parameterDoc = loadTemplate(p.file, ptext);
  const read = readParameterFile(parameterDoc);
  for (const f of read.findings) problems.push(f);
  // A .bicepparam compiles to a template and a parameter file under one name: positions stay in the template's text.
  return Object.assign({ doc, values: read.values, parametersFile: p.file, problems }, p.file !== input.file ? { parameterDoc } : {});
}

/**
 * Expands one document in 'all' mode, every expression evaluated, as `egress-lint expand` and `eval` show it; the
 * parameter file's problems come with the expansion's. Never throws for template content.
 */
export function expandDocument(input: DocumentInput, session: Omit<SessionOptions, 'rules'>): { deployment: Deployment; problems: readonly RawFinding[]; docs: ReadonlyMap<string, TemplateDoc> } {
  const loaded = load(input, session.host ?? NO_HOST);
  if (!loaded.doc) return { deployment: emptyDeployment(input.file), problems: loaded.problems, docs: new Map() };
  // A Terraform plan or state expands to the resources its front-end translates (ARM's shape).
  const deployment = isTerraformJson(loaded.doc.value) ? terraformDeployment(loaded.doc, session) : expand(loaded.doc, expandOptions(loaded, session, 'all'));
  return { deployment, problems: [...loaded.problems, ...deployment.findings], docs: withDoc(deployment.docs, loaded.parameterDoc) };
}

function expandOptions(loaded: Loaded, session: Omit<SessionOptions, 'rules'>, evaluate: 'all' | typeof GRAPH_READS) {
  return {
    evaluate,
    ...(session.scope ? { scope: session.scope } : {}),
    ...(session.caps ? { caps: session.caps } : {}),
    ...(session.host?.links ? { links: session.host.links } : {}),
    ...(loaded.values ? { parameters: loaded.values } : {}),
    ...(loaded.parametersFile !== undefined ? { parametersFile: loaded.parametersFile } : {}),
  };
}

function withDoc(docs: ReadonlyMap<string, TemplateDoc>, extra: TemplateDoc | undefined, more?: ReadonlyMap<string, TemplateDoc>): ReadonlyMap<string, TemplateDoc> {
  if (!extra && !(more && more.size > 0)) return docs;
  const out = new Map(docs);
  if (extra) out.set(extra.file, extra);
  if (more) for (const [k, v] of more) out.set(k, v);
  return out;
}

/** The Terraform front-end's resource set as the pipeline carries it (a Deployment without template outputs). */
function terraformDeployment(doc: TemplateDoc, session: Pick<SessionOptions, 'host' | 'scope'>): Deployment {
  const options: TerraformOptions = session.host ? { host: session.host } : {};
  const set = readTerraform(doc, options);
  // A key written twice (JSON.parse keeps the last one): reported as expand.ts reports an ARM template's.
  const findings: RawFinding[] = [...set.findings];
  for (const p of doc.duplicates ?? []) findings.push({ ruleId: 'template-invalid', message: duplicateKeyMessage(p.key, 'terraform'), at: { file: doc.file, pointer: '', offset: p.offset } });
  return Object.assign({ outputs: {}, stats: { evaluated: 0, unknown: {} }, scope: Object.assign({}, DEFAULT_SCOPE, session.scope) }, set, { findings });
}

/** Lints one document: the whole pipeline but the session phase. Never throws for template content. */
export function lintDocument(input: DocumentInput, session: SessionOptions): LintResult {
  if (input.failed) return { file: input.file, vms: [], findings: [...input.failed], deployment: emptyDeployment(input.file) };
  const loaded = load(input, session.host ?? NO_HOST);
  const levels = session.levels ?? {};
  const settings = session.settings ?? {};
  if (!loaded.doc) {
    // Nothing to build a graph from: the reading problem is the document's only finding.
    const empty = emptyDeployment(input.file);
    const { findings } = runDocumentRules({ resources: empty, graph: buildGraph(empty), vms: [], docs: new Map(), problems: loaded.problems }, session.rules, levels, settings);
    return { file: input.file, vms: [], findings: withNote(findings, input), deployment: empty };
  }
  // `terraform show -json` of a plan or state is read by the Terraform front-end; anything else is an ARM template.
  const terraform = isTerraformJson(loaded.doc.value);
  const deployment = terraform ? terraformDeployment(loaded.doc, session) : expand(loaded.doc, expandOptions(loaded, session, GRAPH_READS));
  const inventory = session.inventory;
  const graph = buildGraph(deployment, inventory?.resources, inventory ? Object.assign({ standIns: standIns(session.scope) }, inventory.lookup ? { lookup: inventory.lookup } : {}) : {});
  const vms = resolveEgress(graph);
  const docs = withDoc(deployment.docs, loaded.parameterDoc, inventory?.docs);
  const { findings, suppressions } = runDocumentRules({ resources: deployment, graph, vms, docs, problems: loaded.problems, ...(inventory ? { inventory } : {}) }, session.rules, levels, settings);
  const reports = [];
  for (const v of vms) reports.push(vmReport(v, deployment.docs));
  const linked: string[] = [];
  for (const f of deployment.docs.keys()) if (f !== loaded.doc.file) linked.push(f);
  const result: LintResult = { file: loaded.doc.file, expanded: true, vms: reports, findings: withNote(findings, input), deployment, suppressions, graph, resolved: vms };
  if (linked.length && !terraform) Object.assign(result, { linked });
  if (terraform) return result;
  // Parameters with no value but allowed values, that an unknown VM depends on: each combination is linted.
  const given = new Set<string>();
  for (const k of Object.keys(loaded.values ?? {})) given.add(k.toLowerCase());
  return decideByAllowedValues(result, loaded.doc.value as Value, given, (values) => lintDocument(Object.assign({ file: input.file, text: loaded.doc!.text, parameters: { values: Object.assign(Object.create(null) as Record<string, Value>, loaded.values, values) } }, input.positionNote !== undefined ? { positionNote: input.positionNote } : {}), session));
}

/**
 * The scope parts the run was not given, as the stand-in values the templates' ids are built with: an inventory entry
 * of any subscription or resource group fits them (inventory-match.ts), as it fits a placeholder.
 */
function standIns(scope: Partial<Scope> | undefined): { subscriptionId?: string; resourceGroup?: string } {
  const out: { subscriptionId?: string; resourceGroup?: string } = {};
  if (!scope?.subscriptionId) out.subscriptionId = DEFAULT_SCOPE.subscriptionId.toLowerCase();
  if (!scope?.resourceGroup) out.resourceGroup = DEFAULT_SCOPE.resourceGroup.toLowerCase();
  return out;
}

/** The findings in the input's own file with its position note added to their help. */
function withNote(findings: Finding[], input: DocumentInput): Finding[] {
  const note = input.positionNote;
  if (note === undefined) return findings;
  return findings.map((f) => (f.file === input.file ? Object.assign({}, f, { help: f.help ? `${f.help} ${note}` : note }) : f));
}

/**
 * Lints every document, leaves out the templates another one links to (withoutLinkedTemplates: they are reported as
 * part of the deployment that links them), then runs the session rules over the reports.
 */
export function lintSession(inputs: readonly DocumentInput[], session: SessionOptions): LintResult[] {
  const results: LintResult[] = [];
  for (const input of inputs) results.push(lintDocument(input, session));
  return finishSession(withoutLinkedTemplates(results), session);
}

/** The session phase alone, for results linted elsewhere (on other threads). */
export function finishSession(results: readonly LintResult[], session: SessionOptions, docs?: ReadonlyMap<string, TemplateDoc>): LintResult[] {
  if (!session.rules.some((r) => r.phase === 'session')) return [...results];
  return runSessionRules(results, session.rules, session.levels, session.settings, docs);
}
