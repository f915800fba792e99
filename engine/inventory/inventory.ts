// Reads an inventory of resources that are already deployed (az CLI list or show output, Azure Resource Graph
// rows, an exported template) into ARM-shaped resources the network graph can use. Pure: a loaded document in,
// values out; the CLI reads the file. Imports template/, expressions/, resources/ and expansion/.
import type { Location } from '../template/finding.js';
import type { TemplateDoc } from '../template/template.js';
import { pointerJoin, pointerSegments } from '../template/template.js';
import { expand } from '../expansion/expand.js';
import type { SourceResource } from '../expansion/types.js';
import type { ResourceLookup } from '../resources/lookup.js';
import { resourceLookup } from '../resources/lookup.js';
import type { Scope } from '../expressions/scope.js';
import { getProp, isObject, newObject } from '../expressions/value.js';
import type { Value, ValueObject } from '../expressions/value.js';

/**
 * How an inventory file was recognised. Terraform state (`terraform show -json`, egress-model.md "Terraform") is the
 * next one: a reader that turns `values.root_module` resources into ARM-shaped ones (azurerm_public_ip's `ip_address`
 * as `properties.ipAddress`, azurerm_public_ip_prefix's `ip_prefix` as `properties.ipPrefix`) joins here, and
 * everything after it (the graph, the addresses of template resources in engine/network/inventory-addresses.ts) is
 * shared. Until then such a file is refused with a problem that says so (see {@link isTerraformJson}).
 */
export type InventoryFormat = 'az-cli' | 'resource-graph' | 'exported-template';

/** A problem that makes an inventory file unusable, with where it is. */
export interface InventoryProblem {
  readonly message: string;
  readonly at: Location;
}

/** One inventory file, read. */
export interface InventoryFile {
  readonly file: string;
  /** undefined when the file is not a recognised inventory (see `problems`). */
  readonly format: InventoryFormat | undefined;
  readonly resources: readonly SourceResource[];
  readonly problems: readonly InventoryProblem[];
  /**
   * The document for positions. For az CLI output it maps the ARM-shaped pointers of the resources
   * (`/0/properties/subnets/1`) back into the file, where the az CLI has no `properties` level (`/0/subnets/1`).
   */
  readonly doc: TemplateDoc;
}

/** Every inventory file of a run, combined: what the lint pipeline takes. */
export interface Inventory {
  /** In file order; for an id listed twice, the first one wins. */
  readonly resources: readonly SourceResource[];
  /** `resources` by id, type and name, built once for every template of the run. */
  readonly lookup?: ResourceLookup;
  /** The inventory documents by file name, for positions. */
  readonly docs: ReadonlyMap<string, TemplateDoc>;
}

export interface InventoryOptions {
  /** The scope an exported template's resourceId() calls see (its ids are built in the deployment scope). */
  readonly scope?: Partial<Scope>;
}

// ARM's envelope: the keys a resource keeps beside `properties`
// (https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax#resources).
const ENVELOPE = new Set(['id', 'name', 'type', 'location', 'sku', 'zones', 'tags', 'etag', 'extendedlocation', 'identity', 'kind', 'managedby', 'plan']);
const SUB_ENVELOPE = new Set(['id', 'name', 'type', 'etag']);
// Fields the az CLI adds to its output that are no part of the resource.
const AZ_ONLY = new Set(['resourcegroup']);
// An Azure Firewall's SKU sits inside properties (Microsoft.Network/azureFirewalls: properties.sku), unlike a
// public IP's or a load balancer's; the az CLI flattens it to the top with the rest.
const SKU_IN_PROPERTIES = new Set(['microsoft.network/azurefirewalls']);
// Sub-resources that the az CLI flattens too: each item gets its `properties` back.
const CHILD_LISTS = new Set([
  'subnets',
  'ipconfigurations',
  'routes',
  'frontendipconfigurations',
  'backendaddresspools',
  'loadbalancerbackendaddresses',
  'loadbalancingrules',
  'outboundrules',
  'inboundnatrules',
  'inboundnatpools',
  'probes',
  'securityrules',
  'defaultsecurityrules',
  'virtualnetworkpeerings',
  'delegations',
]);
const CHILD_OBJECTS = new Set(['managementipconfiguration']);

// Resource Graph writes types in lower case; reports show them as ARM spells them.
const CANONICAL_TYPES = new Map(
  [
    'Microsoft.Compute/virtualMachines',
    'Microsoft.Compute/virtualMachineScaleSets',
    'Microsoft.Network/networkInterfaces',
    'Microsoft.Network/virtualNetworks',
    'Microsoft.Network/virtualNetworks/subnets',
    'Microsoft.Network/routeTables',
    'Microsoft.Network/routeTables/routes',
    'Microsoft.Network/natGateways',
    'Microsoft.Network/loadBalancers',
    'Microsoft.Network/loadBalancers/backendAddressPools',
    'Microsoft.Network/publicIPAddresses',
    'Microsoft.Network/publicIPPrefixes',
    'Microsoft.Network/azureFirewalls',
    'Microsoft.ContainerService/managedClusters',
    'Microsoft.ContainerService/managedClusters/agentPools',
  ].map((t) => [t.toLowerCase(), t]),
);

/** The type and full name an Azure resource id names, or undefined when the text is not a resource id. */
export function parseResourceId(id: string): { type: string; name: string } | undefined {
  const i = id.toLowerCase().lastIndexOf('/providers/');
  if (i < 0) return undefined;
  const segments = id.slice(i + '/providers/'.length).split('/');
  if (segments.length < 3 || segments.length % 2 === 0 || segments.some((s) => s === '')) return undefined;
  const types = [segments[0]];
  const names: string[] = [];
  for (let k = 1; k < segments.length; k += 2) {
    types.push(segments[k]);
    names.push(segments[k + 1]);
  }
  return { type: types.join('/'), name: names.join('/') };
}

/**
 * An az CLI object in ARM's shape. The az CLI prints network resources with ARM's `properties` flattened onto
 * the object, sub-resources too (`ipAddress`, `publicIPAllocationMethod`, `subnets[].addressPrefix`,
 * `subnets[].natGateway`), and adds `resourceGroup`, as the outputs of `az network public-ip create`, `az network
 * vnet create` and `az network nic create` in Microsoft Learn's tutorials show
 * (https://learn.microsoft.com/cli/azure/network/public-ip#az-network-public-ip-list). Newer az versions write
 * `publicIpAllocationMethod`: names compare case-insensitively. An object that has `properties` already has ARM's
 * shape (Resource Graph rows, REST output, an exported template) and is kept as it is.
 */
function armShape(item: ValueObject, topLevel: boolean, type: string | undefined): ValueObject {
  if (isObject(getProp(item, 'properties'))) return item;
  const keys = Object.keys(item).filter((k) => !AZ_ONLY.has(k.toLowerCase()));
  // A reference to another resource ({id} or {id, resourceGroup}) stays a reference.
  if (!topLevel && keys.every((k) => k.toLowerCase() === 'id')) {
    const ref = newObject();
    for (const k of keys) ref[k] = item[k];
    return ref;
  }
  const envelope = topLevel ? ENVELOPE : SUB_ENVELOPE;
  const skuInside = type !== undefined && SKU_IN_PROPERTIES.has(type.toLowerCase());
  const out = newObject();
  const props = newObject();
  for (const k of keys) {
    const lk = k.toLowerCase();
    const v = item[k];
    if (envelope.has(lk) && !(lk === 'sku' && skuInside)) out[k] = v;
    else if (CHILD_LISTS.has(lk) && Array.isArray(v)) props[k] = v.map((x: Value) => (isObject(x) ? armShape(x, false, undefined) : x));
    else if (CHILD_OBJECTS.has(lk) && isObject(v)) props[k] = armShape(v, false, undefined);
    else props[k] = v;
  }
  out.properties = props;
  return out;
}

function resourceFrom(item: Value, at: Location, problems: InventoryProblem[]): SourceResource | undefined {
  const idv = isObject(item) ? getProp(item, 'id') : undefined;
  if (!isObject(item) || typeof idv !== 'string') {
    problems.push({ message: 'This entry is not an Azure resource: it has no "id".', at });
    return undefined;
  }
  const id = idv.trim().replace(/\/+$/, '');
  const parsed = parseResourceId(id);
  if (!parsed) {
    problems.push({ message: `"${idv}" is not an Azure resource id (/subscriptions/…/providers/<namespace>/<type>/<name>).`, at: { file: at.file, pointer: pointerJoin(at.pointer, 'id') } });
    return undefined;
  }
  const tv = getProp(item, 'type');
  const written = typeof tv === 'string' && tv.includes('/') ? tv : parsed.type;
  const type = CANONICAL_TYPES.get(written.toLowerCase()) ?? written;
  const body = armShape(item, true, type);
  return {
    id,
    key: id.toLowerCase(),
    type,
    name: parsed.name,
    apiVersion: '',
    condition: true,
    existing: false,
    body,
    properties: getProp(body, 'properties') ?? null,
    at,
    deployments: [],
  };
}

/** The keys of an object, looked up case-insensitively (ARM and the az CLI disagree on `publicIp…` casing). */
function childKey(o: ValueObject, key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(o, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(o).find((k) => k.toLowerCase() === lower);
}

/**
 * The pointer into the file for an ARM-shaped pointer: a `properties` segment that the file does not have
 * (the az CLI flattened it) is skipped, and property names match case-insensitively.
 */
export function filePointer(root: unknown, pointer: string): string {
  let cur: unknown = root;
  let out = '';
  for (const s of pointerSegments(pointer)) {
    if (Array.isArray(cur)) {
      const i = Number(s);
      if (!/^\d+$/.test(s) || i >= cur.length) break;
      cur = cur[i];
      out = pointerJoin(out, i);
      continue;
    }
    if (!isObject(cur)) break;
    const k = childKey(cur, s);
    if (k !== undefined) {
      cur = cur[k];
      out = pointerJoin(out, k);
    } else if (s !== 'properties') break;
  }
  return out;
}

/** A document whose pointers are ARM-shaped (see {@link filePointer}). */
function flattenedDoc(doc: TemplateDoc): TemplateDoc {
  return {
    file: doc.file,
    text: doc.text,
    value: doc.value,
    problems: doc.problems,
    range: (pointer) => doc.range(filePointer(doc.value, pointer)),
    start: (pointer) => doc.start(filePointer(doc.value, pointer)),
    lineColumn: (offset) => doc.lineColumn(offset),
  };
}

/** `terraform show -json` output (state or a saved plan): recognised by its `format_version` and `terraform_version`. */
function isTerraformJson(v: Value): boolean {
  return isObject(v) && typeof getProp(v, 'format_version') === 'string' && typeof getProp(v, 'terraform_version') === 'string';
}

function isTemplateSchema(v: Value | undefined): boolean {
  return typeof v === 'string' && /deploymentTemplate\.json/i.test(v);
}

/**
 * Resources of an exported template (`az group export`), expanded with its parameter defaults. Exported public IPs
 * carry their `ipAddress` (https://learn.microsoft.com/azure/virtual-network/move-across-regions-publicip-portal
 * shows one); their ids come from resourceId() in the scope given, as a deployment's would.
 */
function fromTemplate(doc: TemplateDoc, options: InventoryOptions): SourceResource[] {
  const d = expand(doc, options.scope ? { scope: options.scope } : {});
  return d.resources.filter((r) => r.condition === true && !r.existing && r.type.toLowerCase() !== 'microsoft.resources/deployments');
}

/**
 * Reads one inventory file. Recognised: an array of az CLI objects (`az network public-ip list -o json`), one
 * az CLI object (`az network firewall show`), Azure Resource Graph results (`az graph query` prints
 * `{ "count", "data": [...] }`, https://learn.microsoft.com/azure/governance/resource-graph/first-query-azurecli;
 * its rows keep ARM's `properties` and write types in lower case), and an exported template (`az group export`).
 * Anything else is a problem naming the file. Never throws for file content.
 */
export function readInventory(file: string, doc: TemplateDoc, options: InventoryOptions = {}): InventoryFile {
  // The first syntax error is the one to fix; the ones after it often follow from it.
  const problems: InventoryProblem[] = doc.problems.slice(0, 1).map((p) => ({ message: `The file is not valid JSON: ${p.message}`, at: { file, pointer: '', offset: p.offset } }));
  const located = flattenedDoc(doc);
  if (problems.length > 0) return { file, format: undefined, resources: [], problems, doc: located };
  const value = doc.value as Value;
  const resources: SourceResource[] = [];
  const list = (items: readonly Value[], base: string): void => {
    for (let i = 0; i < items.length; i++) {
      const r = resourceFrom(items[i], { file, pointer: pointerJoin(base, i) }, problems);
      if (r) resources.push(r);
    }
  };
  let format: InventoryFormat | undefined;
  if (Array.isArray(value)) {
    // Resource Graph rows saved as a bare array (`--query data`) keep `properties`; az CLI objects do not.
    format = value.length > 0 && value.every((x: Value) => isObject(x) && isObject(getProp(x, 'properties'))) ? 'resource-graph' : 'az-cli';
    list(value, '');
  } else if (isTerraformJson(value)) {
    problems.push({
      message: `The file is Terraform JSON (terraform show -json), which egress-lint does not read as an inventory yet: lint the plan or state itself (egress-lint state.json), or list the deployed resources with the az CLI (az network public-ip list -o json) or Azure Resource Graph.`,
      at: { file, pointer: '' },
    });
    return { file, format: undefined, resources: [], problems, doc: located };
  } else if (isObject(value) && isTemplateSchema(getProp(value, '$schema'))) {
    return { file, format: 'exported-template', resources: fromTemplate(doc, options), problems, doc };
  } else if (isObject(value)) {
    const dataKey = childKey(value, 'data');
    const data = dataKey !== undefined ? value[dataKey] : undefined;
    if (Array.isArray(data)) {
      format = 'resource-graph';
      list(data, pointerJoin('', dataKey!));
    } else if (typeof getProp(value, 'id') === 'string' && typeof getProp(value, 'type') === 'string') {
      format = 'az-cli';
      const r = resourceFrom(value, { file, pointer: '' }, problems);
      if (r) resources.push(r);
    }
  }
  if (format === undefined)
    problems.push({
      message: `The file is not a recognised inventory format: expected the JSON output of an az CLI list or show command, Azure Resource Graph results ({ "data": [...] }), or an exported template.`,
      at: { file, pointer: '' },
    });
  return { file, format, resources, problems, doc: located };
}

/** Combines inventory files in order; a resource id listed again in a later file is ignored. */
export function combineInventories(files: readonly InventoryFile[]): Inventory {
  const seen = new Set<string>();
  const resources: SourceResource[] = [];
  const docs = new Map<string, TemplateDoc>();
  for (const f of files) {
    docs.set(f.file, f.doc);
    for (const r of f.resources) {
      if (seen.has(r.key)) continue;
      seen.add(r.key);
      resources.push(r);
    }
  }
  return { resources, docs, lookup: resourceLookup(resources) };
}
