// azapi_resource: its `type` is ARM's (`Microsoft.Network/virtualNetworks/subnets@2024-07-01`) and its `body` the
// ARM resource body (an object in azapi 2.x, a JSON string in 1.x), so it is read through the same readers as ARM
// (registry.terraform.io/providers/Azure/azapi/latest/docs/resources/resource). Its id is `parent_id` (a resource
// group for a top-level type, the parent resource for a child type) and its type and name. A body value known only
// after apply (`natGateway = { id = azurerm_nat_gateway.nat.id }`, as Azure Verified Modules write subnets) is
// what the body expression's references name of the type the property holds; the body is one expression, so only
// the type tells its references apart. Also azurerm_resource_group, whose id azapi's parent_id names.
// Imports expressions/ only, besides engine/terraform/.
import { Unknown } from '../expressions/value.js';
import { nullObject } from '../template/null-object.js';
import type { Value } from '../expressions/value.js';
import type { Instance, Json } from './plan.js';
import { isJsonObject, member } from './plan.js';
import type { Identity, Reader } from './reader.js';
import { segment, unknownPart } from './reader.js';
import { pathText } from './references.js';
import type { Step } from './references.js';
import type { Translated, Translation } from './translation.js';

const RESOURCE_GROUP = 'Microsoft.Resources/resourceGroups';

/** azurerm_resource_group: `/subscriptions/{subscription}/resourceGroups/<name>` until the plan knows its id. */
export function resourceGroupIdentity(r: Reader, inst: Instance, name: string): Identity {
  const known = r.known(inst, ['id']);
  return { type: RESOURCE_GROUP, name, id: typeof known === 'string' ? known : `/subscriptions/${unknownPart('subscription')}/resourceGroups/${segment(name)}` };
}

/** `Microsoft.Network/virtualNetworks/subnets@2024-07-01` → the type and its API version. */
function typeOf(v: Value | undefined): { type: string; apiVersion: string } | undefined {
  if (typeof v !== 'string') return undefined;
  const at = v.indexOf('@');
  const type = at < 0 ? v : v.slice(0, at);
  return type.split('/').length >= 2 ? { type, apiVersion: at < 0 ? '' : v.slice(at + 1) } : undefined;
}

/** An azapi_resource's ARM type, name and id (its `parent_id` and its type). */
export function azapiIdentity(r: Reader, inst: Instance, name: string): Identity | undefined {
  const t = typeOf(r.value(inst, ['type'], 'value'));
  if (!t) return undefined;
  const segments = t.type.split('/');
  const full = segments.length > 2;
  const known = r.known(inst, ['id']);
  if (typeof known === 'string' && known.indexOf('/providers/') >= 0) return { type: t.type, name: full ? `${known.split('/').slice(-3)[0]}/${name}` : name, id: known };
  // A child type's parent is its parent resource; a top-level type's, a resource group (azapi's parent_id).
  const expect = full ? segments.slice(0, -1).join('/') : RESOURCE_GROUP;
  const parent = r.value(inst, ['parent_id'], 'id', expect);
  const parentId = typeof parent === 'string' ? parent.replace(/\/+$/, '') : `/subscriptions/${unknownPart('subscription')}/resourceGroups/${unknownPart(`resource group of ${inst.address}`)}${full ? `/providers/${expect}/${unknownPart(`parent_id of ${inst.address}`)}` : ''}`;
  const id = full ? `${parentId}/${segments[segments.length - 1]}/${segment(name)}` : `${parentId}/providers/${t.type}/${segment(name)}`;
  return { type: t.type, name: full ? `${parentId.split('/').pop() ?? ''}/${name}` : name, id };
}

/** The ARM type an `id` inside a body names, by the property that holds it (`natGateway`, `publicIPAddresses[0]`). */
const TYPE_BY_PROPERTY: ReadonlyMap<string, string> = new Map([
  ['natgateway', 'Microsoft.Network/natGateways'],
  ['routetable', 'Microsoft.Network/routeTables'],
  ['publicipaddress', 'Microsoft.Network/publicIPAddresses'],
  ['publicipaddresses', 'Microsoft.Network/publicIPAddresses'],
  ['publicipaddressesv6', 'Microsoft.Network/publicIPAddresses'],
  ['publicipprefix', 'Microsoft.Network/publicIPPrefixes'],
  ['publicipprefixes', 'Microsoft.Network/publicIPPrefixes'],
  ['publicipprefixesv6', 'Microsoft.Network/publicIPPrefixes'],
  ['subnet', 'Microsoft.Network/virtualNetworks/subnets'],
  ['networkinterfaces', 'Microsoft.Network/networkInterfaces'],
  ['loadbalancerbackendaddresspools', 'Microsoft.Network/loadBalancers/backendAddressPools'],
  ['backendaddresspool', 'Microsoft.Network/loadBalancers/backendAddressPools'],
  ['backendaddresspools', 'Microsoft.Network/loadBalancers/backendAddressPools'],
  ['frontendipconfiguration', 'Microsoft.Network/loadBalancers/frontendIPConfigurations'],
  ['frontendipconfigurations', 'Microsoft.Network/loadBalancers/frontendIPConfigurations'],
  ['virtualnetwork', 'Microsoft.Network/virtualNetworks'],
  ['remotevirtualnetwork', 'Microsoft.Network/virtualNetworks'],
]);

/** The property an `id` at `path` belongs to: the last name before it (`properties.natGateway.id` → natGateway). */
function holder(path: readonly Step[]): string | undefined {
  for (let i = path.length - 2; i >= 0; i--) if (typeof path[i] === 'string') return (path[i] as string).toLowerCase();
  return undefined;
}

/** The body with its values known only after apply put in: followed ids, else Unknowns saying why. */
function resolveBody(tr: Translation, inst: Instance, known: Json | undefined, unknown: Json | undefined, path: Step[]): Value | undefined {
  if (unknown === true) {
    const where = `${inst.address}.${pathText(['body', ...path])}`;
    const last = path[path.length - 1];
    const prop = holder(path);
    const expect = last === 'id' && prop !== undefined ? TYPE_BY_PROPERTY.get(prop) : undefined;
    if (!expect) return new Unknown('runtime', `${where} is known only after apply`);
    const expr = tr.reader.configExpression(inst, ['body']);
    if (expr instanceof Unknown) return expr;
    if (expr === undefined) return new Unknown('runtime', `${where} is known only after apply`);
    return tr.reader.pick(tr.reader.refs.resolve(expr, tr.reader.scopeOf(inst)), 'id', where, expect);
  }
  if (Array.isArray(known) || Array.isArray(unknown)) {
    const list = Array.isArray(known) ? known : [];
    const marks = Array.isArray(unknown) ? unknown : [];
    const out: Value[] = [];
    for (let i = 0; i < Math.max(list.length, marks.length); i++) out.push(resolveBody(tr, inst, list[i], marks[i], [...path, i]) ?? null);
    return out;
  }
  if (isJsonObject(known) || isJsonObject(unknown)) {
    const out = nullObject<Value>();
    const k = isJsonObject(known) ? known : {};
    const u = isJsonObject(unknown) ? unknown : {};
    for (const key of Object.keys(k)) {
      const v = resolveBody(tr, inst, k[key], member(u, key), [...path, key]);
      if (v !== undefined) out[key] = v;
    }
    for (const key of Object.keys(u)) {
      if (Object.prototype.hasOwnProperty.call(out, key)) continue;
      const v = resolveBody(tr, inst, undefined, u[key], [...path, key]);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  return known === null || known === undefined ? undefined : (known as Value);
}

/** An azapi resource's `body` as ARM's: known values, ids followed, the rest Unknowns saying why. */
export function azapiBody(tr: Translation, inst: Instance): Value | undefined {
  const r = tr.reader;
  let known: Json | undefined = r.known(inst, ['body']);
  // azapi 1.x takes the body as a JSON string (jsonencode).
  if (typeof known === 'string') {
    try {
      known = JSON.parse(known) as Json;
    } catch {
      known = undefined;
    }
  }
  const unknown = r.unknownAt(inst, ['body']) ? (isJsonObject(inst.unknown) ? inst.unknown.body : true) : member(inst.unknown, 'body');
  return resolveBody(tr, inst, known, unknown === false ? undefined : unknown, []);
}

/** azapi_resource: its body, as ARM's, with positions mirrored into `body`. */
export function azapiResource(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  const body = azapiBody(tr, inst);
  if (body instanceof Unknown) t.body.properties = body;
  else if (isJsonObject(body)) for (const k of Object.keys(body)) t.body[k] = (body as Record<string, Value>)[k];
  const api = typeOf(r.value(inst, ['type'], 'value'));
  if (api) t.apiVersion = api.apiVersion;
  // Every position below the resource is the same path in its body.
  t.places[0] = { arm: [], inst, path: ['body'], mirror: true };
}
