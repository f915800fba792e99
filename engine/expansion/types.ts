// The result of expansion: the flat list of resources Azure would deploy, with provenance and findings.
import type { Location, RawFinding } from '../template/finding.js';
import type { TemplateDoc } from '../template/template.js';
import type { Scope } from '../expressions/scope.js';
import type { UnknownCause, Value, ValueObject, Unknown } from '../expressions/value.js';

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
}

// Far above ARM's 800 resources per template, so an oversized template (50,000 VMs with their NICs, IPs and load
// balancers in one file: about 114,000 resources) is still analysed; a self-linking template stops at the cap.
export const SAFETY_CAPS: SafetyCaps = { copyCount: 100_000, totalResources: 250_000, copyItems: 1_000_000, nestingDepth: 32 };

/** Reads a linked template (templateLink.relativePath) from disk; supplied by the CLI, absent in pure use. */
export type LinkResolver = (relativePath: string, fromFile: string) => TemplateDoc | { readonly error: string };

export interface ExpandOptions {
  readonly scope?: Partial<Scope>;
  /** Parameter values (as in a parameter file's `value`s); Unknown for Key Vault references. */
  readonly parameters?: Readonly<Record<string, Value>>;
  /** Where the parameter values came from, for findings. */
  readonly parametersFile?: string;
  readonly resolveLink?: LinkResolver;
  readonly limits?: Partial<Limits>;
  readonly caps?: Partial<SafetyCaps>;
  /**
   * 'all' (the default) evaluates every resource body, parameter, variable and output, as `egress-lint expand`
   * shows them. 'egress' evaluates what the network graph reads (EGRESS_TYPES bodies, except VM settings other than
   * the network profile, availability set and scale set, and what they refer to) and only checks the rest (syntax,
   * function names, argument counts, declared names): lint's mode.
   */
  readonly evaluate?: 'all' | 'egress';
}

/**
 * Lower-case resource types whose bodies the network graph reads (engine/network/graph.ts; a test keeps the two
 * in step), plus nested deployments, whose templates hold more resources.
 */
export const EGRESS_TYPES: ReadonlySet<string> = new Set([
  'microsoft.compute/virtualmachines',
  'microsoft.compute/virtualmachinescalesets',
  'microsoft.network/networkinterfaces',
  'microsoft.network/virtualnetworks',
  'microsoft.network/virtualnetworks/subnets',
  'microsoft.network/routetables',
  'microsoft.network/routetables/routes',
  'microsoft.network/natgateways',
  'microsoft.network/loadbalancers',
  'microsoft.network/loadbalancers/backendaddresspools',
  'microsoft.network/publicipaddresses',
  'microsoft.network/publicipprefixes',
  'microsoft.network/azurefirewalls',
  'microsoft.resources/deployments',
]);

/** One resource Azure would deploy (or that the template names as `existing`). */
export interface ExpandedResource {
  /** Normalised resource id: /subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{child}/{name}]. */
  readonly id: string;
  /** The id lower-cased: ARM ids compare case-insensitively. */
  readonly key: string;
  /** Fully qualified type, e.g. Microsoft.Network/virtualNetworks/subnets. */
  readonly type: string;
  /** Full name with parent segments, e.g. vnet1/subnet1. */
  readonly name: string;
  readonly symbolicName?: string;
  readonly apiVersion: string;
  /** true, or Unknown when the condition depends on something not known offline ("maybe deployed"). */
  readonly condition: true | Unknown;
  /** languageVersion 2.0 `existing: true`: referenced, not deployed. */
  readonly existing: boolean;
  /** The evaluated resource body (properties, sku, location, zones, ...), without resources/copy/condition. */
  readonly body: ValueObject;
  readonly properties: Value;
  /** Where it is declared; `copyIndex` for one instance of a copy loop. */
  readonly at: Location;
  readonly copyIndex?: number;
  /** Names of the nested deployments it sits in, outermost first. */
  readonly deployments: readonly string[];
  /**
   * The body was not evaluated (lint's 'egress' mode, or a safety cap stopped the expansion): it holds only name,
   * type, apiVersion and metadata, and for the types the graph reads unknown `properties` and `sku`.
   */
  readonly partial?: true;
}

/** A nested deployment whose template could not be read (a URL, a template spec, a missing file). */
export interface UnresolvedDeployment {
  readonly name: string;
  readonly at: Location;
  readonly reason: string;
}

export interface ExpansionStats {
  /** Expressions evaluated (template strings in `[...]`). */
  evaluated: number;
  /** Expressions whose value stayed unknown, by cause. */
  unknown: Partial<Record<UnknownCause, number>>;
}

export interface Deployment {
  readonly file: string;
  readonly resources: readonly ExpandedResource[];
  readonly outputs: ValueObject;
  readonly findings: readonly RawFinding[];
  readonly unresolved: readonly UnresolvedDeployment[];
  readonly stats: ExpansionStats;
  /** Every document read (the root, linked templates), by file name, for positions. */
  readonly docs: ReadonlyMap<string, TemplateDoc>;
  readonly scope: Scope;
}
