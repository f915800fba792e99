// azapi_update_resource: sets properties of a resource that exists already or that the plan deploys
// (registry.terraform.io/providers/Azure/azapi/latest/docs/resources/update_resource): the provider reads the
// resource, merges `body` into it and writes it back, so the properties it writes win and the others stay. A subnet's
// `routeTable` or `natGateway`, or `defaultOutboundAccess`, set this way decide egress as if the subnet were written
// with them. Its target is `resource_id` (or `parent_id` and `name`); a body the plan does not show leaves the
// target's paths unknown, naming it. azapi_resource_action
// (registry.terraform.io/providers/Azure/azapi/latest/docs/resources/resource_action) sends `body` to `resource_id`
// with `method` (POST by default): with no `action`, a PUT writes the resource itself and is folded the same way; any
// other request may change the resource in ways its body does not say, a PATCH included: for the network resources a
// PATCH updates tags only (learn.microsoft.com/rest/api/virtualnetwork/route-tables/update-tags, and likewise for
// public IPs, NICs, NAT gateways, load balancers and virtual networks) and a subnet has none, so what its body sets
// may not be applied at all.
// Imports expressions/ only, besides engine/terraform/.
import { Unknown, isObject } from '../expressions/value.js';
import type { Value } from '../expressions/value.js';
import type { Instance } from './plan.js';
import { azapiBody } from './azapi.js';
import { getAt } from './translation.js';
import type { ArmPath, Translated, Translation } from './translation.js';

/** The resource an update names: `resource_id`, else `parent_id` with the type's last segment and `name`. */
function targetId(tr: Translation, inst: Instance): Value | undefined {
  const r = tr.reader;
  const type = r.value(inst, ['type'], 'value');
  const armType = typeof type === 'string' ? type.split('@')[0] : undefined;
  const id = r.value(inst, ['resource_id'], 'id', armType);
  if (id !== undefined && id !== null && id !== '') return id;
  const parent = r.value(inst, ['parent_id'], 'id');
  const name = r.value(inst, ['name'], 'value');
  if (parent instanceof Unknown) return parent;
  if (name instanceof Unknown) return name;
  if (typeof parent !== 'string' || typeof name !== 'string' || !armType) return undefined;
  const segments = armType.split('/');
  // A child type's parent is its parent resource; a top-level type's, a resource group.
  return segments.length > 2 ? `${parent.replace(/\/+$/, '')}/${segments[segments.length - 1]}/${name}` : `${parent.replace(/\/+$/, '')}/providers/${armType}/${name}`;
}

/**
 * Merges `from` into the object at `path` of a body: objects merge, anything else replaces, as the provider does.
 * With `replace`, the members `from` writes replace the target's whole (a PUT writes the resource as sent).
 */
function merge(t: Translated, path: ArmPath, from: Value, inst: Instance, bodyPath: readonly (string | number)[], replace = false): void {
  const cur = getAt(t.body, path);
  if (!isObject(cur) || !isObject(from)) return;
  const target = cur as Record<string, Value>;
  for (const k of Object.keys(from)) {
    const v = from[k];
    if (!replace && isObject(v) && isObject(target[k])) merge(t, [...path, k], v, inst, [...bodyPath, k]);
    else {
      target[k] = v;
      t.places.push({ arm: [...path, k], inst, path: ['body', ...bodyPath, k], mirror: true });
    }
  }
}

/** azapi_update_resource: its body merged into the translated resource it names, when the plan deploys that resource. */
export function azapiUpdate(tr: Translation, inst: Instance): void {
  fold(tr, inst, 'PATCH');
}

/**
 * azapi_resource_action: a PUT of the resource itself (what it writes replaces) is folded into it; any other request
 * on a resource of the plan (a PATCH, which a network resource takes for its tags only) leaves its paths unknown,
 * naming it. One run only at destroy (`when = "destroy"`) changes nothing that is deployed.
 */
export function azapiAction(tr: Translation, inst: Instance): void {
  const r = tr.reader;
  if (r.value(inst, ['when'], 'value') === 'destroy') return;
  const method = r.value(inst, ['method'], 'value') ?? 'POST';
  const action = r.value(inst, ['action'], 'value') ?? '';
  const m = typeof method === 'string' ? method.toUpperCase() : undefined;
  if (action === '' && m === 'PUT') return fold(tr, inst, m);
  const id = targetId(tr, inst);
  if (id instanceof Unknown) return tr.unfollowable(inst, 'resource_id', id);
  const part = tr.part(id, childList(tr, inst));
  if (!part) return;
  const what = action === '' ? `a ${typeof method === 'string' ? method : 'request whose method is not known'}` : `action ${typeof action === 'string' ? `'${action}'` : 'not known'} (${typeof method === 'string' ? method : 'a method not known'})`;
  tr.unresolved.push({ name: inst.address, at: { file: tr.file, pointer: inst.pointer }, reason: `it sends ${what} to '${part.t.ident.name}', which may change it in ways the plan does not show`, what: `action '${inst.address}'` });
}

/** For a child type, the list of its parent it may be written in (a subnet in its VNet's `subnets`). */
function childList(tr: Translation, inst: Instance): string | undefined {
  const type = tr.reader.value(inst, ['type'], 'value');
  const segments = typeof type === 'string' ? type.split('@')[0].split('/') : [];
  return segments.length > 2 ? segments[segments.length - 1] : undefined;
}

/** The body of an update or an action written into the translated resource it names. */
function fold(tr: Translation, inst: Instance, method: 'PATCH' | 'PUT'): void {
  const id = targetId(tr, inst);
  if (id instanceof Unknown) {
    tr.unfollowable(inst, 'resource_id', id);
    return;
  }
  // A child written inside its parent (a subnet in its VNet's `subnet` blocks) is found in the parent's list.
  const part = tr.part(id, childList(tr, inst));
  // A resource outside the plan: paths through it are unknown already, as anything outside the files is.
  if (!part) return;
  const t = part.t;
  const body = azapiBody(tr, inst);
  if (body === undefined || body instanceof Unknown || !isObject(body)) {
    const why = body instanceof Unknown ? body.origin : 'its body is not an object';
    tr.unresolved.push({ name: inst.address, at: { file: tr.file, pointer: inst.pointer }, reason: `what it sets on '${t.ident.name}' is not known (${why})`, what: `update '${inst.address}'` });
    return;
  }
  merge(t, part.base, body, inst, [], method === 'PUT');
}
