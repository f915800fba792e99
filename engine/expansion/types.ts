// The result of expansion: the flat list of resources Azure would deploy, with provenance and findings.
import type { TemplateDoc } from '../template/template.js';
import type { Scope } from '../expressions/scope.js';
import { WORK_BUDGET } from '../expressions/budget.js';
import type { UnknownCause, Value, ValueObject } from '../expressions/value.js';
import type { BodySelection, ResourceSet } from '../resources/types.js';
export type { BodySelection, ResourceSet, SourceResource, UnresolvedDeployment } from '../resources/types.js';

/** ARM's documented template limits (https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits). */
export interface Limits {
  readonly templateBytes: number;
  readonly parameters: number;
  readonly variables: number;
  readonly resources: number;
  readonly outputs: number;
  readonly copyCount: number;
  readonly expressionLength: number;
}

export const ARM_LIMITS: Limits = {
  templateBytes: 4 * 1024 * 1024,
  parameters: 256,
  variables: 512,
  resources: 800,
  outputs: 64,
  copyCount: 800,
  expressionLength: 24_576,
};

/** Caps far above ARM's limits that stop the work on hostile input, so no template can make expansion unbounded. */
export interface SafetyCaps {
  /** Iterations of one copy loop; the rest of the loop is skipped. */
  readonly copyCount: number;
  /** Resources across the whole expansion (nested and linked templates included); expansion stops. */
  readonly totalResources: number;
  /** Property, variable and output copy items across the whole expansion (nested loops multiply); expansion stops. */
  readonly copyItems: number;
  /** Nested deployments inside nested deployments; deeper ones stay unresolved. */
  readonly nestingDepth: number;
  /** Units of evaluation work across the whole expansion (expressions/budget.ts); expansion stops. */
  readonly work: number;
}

// Far above ARM's 800 resources per template, so an oversized template (50,000 VMs with their NICs, IPs and load
// balancers in one file: about 114,000 resources) is still analysed; a self-linking template stops at the cap.
export const SAFETY_CAPS: SafetyCaps = { copyCount: 100_000, totalResources: 250_000, copyItems: 1_000_000, nestingDepth: 32, work: WORK_BUDGET };

/** What a deployment's templateLink names: a path relative to the linking template, or a URI. */
export type LinkTarget = { readonly relativePath: string } | { readonly uri: string };

/**
 * Reads linked templates; supplied by the caller (the CLI reads from disk), absent in pure use. Nothing is ever
 * fetched: a URI is read only when it names a local file (a `uriOf` URI, or one the configuration maps to a folder).
 */
export interface LinkResolver {
  /** The linked template, or why it cannot be read (a clause: 'no such file', 'a URL, which egress-lint never fetches'). */
  read(target: LinkTarget, fromFile: string): TemplateDoc | { readonly error: string; readonly remote?: true };
  /**
   * The URI a template would be deployed from, for `deployment().properties.templateLink.uri` and `_artifactsLocation`
   * (contract: "Linked templates"): links built from it then name files beside the template.
   */
  uriOf(file: string): string | undefined;
  /** A link as messages show it (a file URI as the file's path), so a report does not depend on where it ran. */
  show?(link: string): string;
}

export interface ExpandOptions {
  readonly scope?: Partial<Scope>;
  /** Parameter values (as in a parameter file's `value`s); Unknown for Key Vault references. */
  readonly parameters?: Readonly<Record<string, Value>>;
  /** Where the parameter values came from, for findings. */
  readonly parametersFile?: string;
  readonly links?: LinkResolver;
  readonly limits?: Partial<Limits>;
  readonly caps?: Partial<SafetyCaps>;
  /**
   * 'all' (the default) evaluates every resource body, parameter, variable and output, as `egress-lint expand`
   * shows them. A selection (the network graph's GRAPH_READS, which the lint pipeline passes) evaluates the bodies
   * it names, nested deployments, and whatever they refer to, and only checks the rest (syntax, function names,
   * argument counts, declared names): lint's mode.
   */
  readonly evaluate?: 'all' | BodySelection;
}

export interface ExpansionStats {
  /** Expressions evaluated (template strings in `[...]`). */
  evaluated: number;
  /** Expressions whose value stayed unknown, by cause. */
  unknown: Partial<Record<UnknownCause, number>>;
}

/** The ARM front-end's resource set, with what only a template has: outputs, evaluation counts, the scope. */
export interface Deployment extends ResourceSet {
  readonly outputs: ValueObject;
  readonly stats: ExpansionStats;
  readonly scope: Scope;
}
