// The input seam of the engine: the resources a front-end read (the ARM expansion, an inventory file) and where
// each one is written, which is all the network graph reads. A new input format becomes a new front-end that
// produces a ResourceSet; nothing below this line needs to know where the resources came from.
// Imports template/ and expressions/ (types) only.
import type { Location, RawFinding } from '../template/finding.js';
import type { TemplateDoc } from '../template/template.js';
import type { Unknown, Value, ValueObject } from '../expressions/value.js';

/** One resource Azure would deploy (or that the source names as `existing`), as a front-end read it. */
export interface SourceResource {
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
  /** `existing: true`: referenced, not deployed. */
  readonly existing: boolean;
  /** The resource body in ARM's shape (properties, sku, location, zones, ...), without resources/copy/condition. */
  readonly body: ValueObject;
  readonly properties: Value;
  /** Where it is written; `copyIndex` for one instance of a copy loop. */
  readonly at: Location;
  readonly copyIndex?: number;
  /** Names of the nested deployments it sits in, outermost first. */
  readonly deployments: readonly string[];
  /**
   * The body was not evaluated (the front-end evaluated only what the graph reads, or a safety cap stopped it): it
   * holds only name, type, apiVersion and metadata, and for the types the graph reads unknown `properties` and `sku`.
   */
  readonly partial?: true;
}

/** A linked or nested deployment whose resources could not be read (a URL, a template spec, a missing file). */
export interface UnresolvedDeployment {
  readonly name: string;
  readonly at: Location;
  readonly reason: string;
  /**
   * Where its resources would be deployed (lower-case `/subscriptions/{sub}/resourcegroups/{rg}`), or undefined when
   * that is not known: what it could change there decides every path that uses a resource there.
   */
  readonly scopeKey?: string;
  /** The link as written or evaluated (a URL, a template spec id), for messages. */
  readonly link?: string;
  /**
   * What it is, for messages, when it is not a deployment: a Terraform association resource whose target is not
   * known ("association 'azurerm_subnet_nat_gateway_association.app'"); it creates nothing.
   */
  readonly what?: string;
}

/** What a front-end hands to the network graph: resources, the problems met reading them, and the documents for positions. */
export interface ResourceSet {
  /** The file the set was read from (the root template). */
  readonly file: string;
  readonly resources: readonly SourceResource[];
  /** Problems in the source itself (template-invalid, expression-invalid, limit-exceeded), by rule id. */
  readonly findings: readonly RawFinding[];
  readonly unresolved: readonly UnresolvedDeployment[];
  /** Every document read (the root, linked files), by file name: a Location's pointer becomes a line and column there. */
  readonly docs: ReadonlyMap<string, TemplateDoc>;
}

/**
 * Which resource bodies a reader needs, so a front-end that evaluates lazily can evaluate just those: the network
 * graph declares its own (engine/network/reads.ts) and the lint pipeline passes it to the ARM expansion.
 */
export interface BodySelection {
  /** Lower-case resource types whose bodies are read. */
  readonly types: ReadonlySet<string>;
  /**
   * Of those types, the ones whose `properties` are read only in part: lower-case member names read whole (`true`),
   * or read in part themselves (the member names read of them).
   */
  readonly partialProperties: ReadonlyMap<string, ReadonlyMap<string, true | ReadonlySet<string>>>;
}
