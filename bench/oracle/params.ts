// The inputs both engines see in the differential check: a value for every parameter that has no default (the
// corpus parameter file's value, else one generated from the declared type), written once as a .bicepparam for
// `bicep snapshot` and once as a JSON parameter file for egress-lint.

/** A JSON value as the parameter files and the snapshot hold it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A member looked up case-insensitively (ARM's schema keywords and parameter names ignore case). */
function member(o: Record<string, unknown>, key: string): unknown {
  if (key in o) return o[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

/** The declaration a `$ref` names (`#/definitions/x`), merged under the referring schema's own keywords. */
function deref(schema: Record<string, unknown>, defs: Record<string, unknown>, depth: number): Record<string, unknown> {
  const ref = member(schema, '$ref');
  if (typeof ref !== 'string' || depth > 16) return schema;
  const m = /^#\/definitions\/(.+)$/.exec(ref);
  const target = m ? member(defs, decodeURIComponent(m[1])) : undefined;
  if (!isRecord(target)) return schema;
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) if (k !== '$ref') rest[k] = v;
  return { ...deref(target, defs, depth + 1), ...rest };
}

/** A lower-case, letters-and-digits name from a parameter name, of an allowed length. */
function stringFor(name: string, schema: Record<string, unknown>): string {
  let s = name.toLowerCase().replace(/[^a-z0-9]/g, '') || 'value';
  const min = member(schema, 'minLength');
  const max = member(schema, 'maxLength');
  if (typeof max === 'number' && s.length > max) s = s.slice(0, Math.max(1, max));
  if (typeof min === 'number') while (s.length < min) s += 'x';
  return s;
}

/**
 * A value of the declared type for a parameter (or a property of a typed object) with no value: the first allowed
 * value, else the smallest valid one (a name-like string, the minimum integer, false, an empty array, an object
 * with its required properties). Deterministic, so the cache and the expectations file stay stable.
 */
export function generate(name: string, schemaIn: unknown, defs: Record<string, unknown>, depth = 0): Json {
  const schema = isRecord(schemaIn) ? deref(schemaIn, defs, 0) : {};
  const allowed = member(schema, 'allowedValues');
  if (Array.isArray(allowed) && allowed.length > 0) {
    const type = String(member(schema, 'type') ?? '').toLowerCase();
    // An array parameter's allowedValues lists the values its items may take.
    return type === 'array' ? [allowed[0] as Json] : (allowed[0] as Json);
  }
  const discriminator = member(schema, 'discriminator');
  if (isRecord(discriminator)) {
    const mapping = member(discriminator, 'mapping');
    const prop = member(discriminator, 'propertyName');
    if (isRecord(mapping) && typeof prop === 'string') {
      const first = Object.keys(mapping).sort()[0];
      if (first !== undefined) {
        const variant = generate(name, { ...(mapping[first] as Record<string, unknown>) }, defs, depth + 1);
        return isRecord(variant) ? { [prop]: first, ...variant } : { [prop]: first };
      }
    }
  }
  switch (String(member(schema, 'type') ?? 'string').toLowerCase()) {
    case 'int': {
      const min = member(schema, 'minValue');
      const max = member(schema, 'maxValue');
      if (typeof min === 'number') return min;
      if (typeof max === 'number' && max < 1) return max;
      return 1;
    }
    case 'bool':
      return false;
    case 'array': {
      const min = member(schema, 'minLength');
      const items = member(schema, 'items');
      const prefix = member(schema, 'prefixItems');
      const out: Json[] = [];
      if (Array.isArray(prefix)) for (const [i, p] of prefix.entries()) out.push(generate(`${name}${i}`, p, defs, depth + 1));
      if (typeof min === 'number' && depth < 8) while (out.length < min) out.push(generate(`${name}${out.length}`, items, defs, depth + 1));
      return out;
    }
    case 'object':
    case 'secureobject': {
      const out: Record<string, Json> = {};
      const props = member(schema, 'properties');
      if (isRecord(props) && depth < 8) {
        for (const [k, p] of Object.entries(props)) {
          const ps = isRecord(p) ? deref(p, defs, 0) : {};
          // Nullable properties may be left out; the rest are required.
          if (member(ps, 'nullable') === true) continue;
          out[k] = generate(k, ps, defs, depth + 1);
        }
      }
      return out;
    }
    default:
      return stringFor(name, schema);
  }
}

type Skeleton = { [key: string]: Skeleton } | Skeleton[] | null;

/**
 * The members a template reads of an object or array parameter (`parameters('p').a.b`, `parameters('p')[0].c`),
 * as a skeleton: a nested template gets its object parameters from its parent, so an empty object would stop Azure's
 * engine at the first member it reads. Leaves are strings named after the member.
 */
export function readMembers(text: string, name: string): Skeleton {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`parameters\\(\\s*'${escaped}'\\s*\\)((?:\\.[A-Za-z_][\\w]*|\\[\\d+\\])+)`, 'gi');
  let root: Skeleton = null;
  for (const m of text.matchAll(re)) {
    const steps = m[1].match(/\.[A-Za-z_]\w*|\[\d+\]/g) ?? [];
    const add = (node: Skeleton, i: number): Skeleton => {
      if (i >= steps.length) return node;
      const step = steps[i];
      // A member read as another kind elsewhere (an object here, an array there) keeps the kind first seen.
      if (node !== null && step.startsWith('[') !== Array.isArray(node)) return node;
      if (step.startsWith('[')) {
        const arr: Skeleton[] = Array.isArray(node) ? node : [];
        const at = Number(step.slice(1, -1));
        while (arr.length <= at) arr.push(null);
        arr[at] = add(arr[at], i + 1);
        return arr;
      }
      const obj: { [key: string]: Skeleton } = node && !Array.isArray(node) ? node : {};
      const key = step.slice(1);
      obj[key] = add(obj[key] ?? null, i + 1);
      return obj;
    };
    root = add(root, 0);
  }
  return root;
}

/** A skeleton with its leaves filled in: each a string named after its member. */
function fill(s: Skeleton, name: string): Json {
  if (s === null) return name.toLowerCase();
  if (Array.isArray(s)) return s.map((x, i) => fill(x, `${name}${i}`));
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(s)) out[k] = fill(v, k);
  return out;
}

/** True when a value reads the template link of the deployment, which a snapshot has no value for. */
function readsTemplateLink(v: unknown): boolean {
  return typeof v === 'string' && /deployment\(\)\.properties\.templateLink/i.test(v);
}

/** Where a value came from. */
export type Origin = 'file' | 'generated' | 'replaced' | 'link';

export interface ParameterInputs {
  /** Values by the template's own parameter names, in declaration order. */
  readonly values: Record<string, Json>;
  /**
   * Where each value came from: 'file' (the corpus parameter file), 'generated', 'replaced' (the file's value does
   * not fit the declaration: a quickstart placeholder such as GEN-UNIQUE for an int, or longer than maxLength), or
   * 'link' (the folder a template link would name).
   */
  readonly origin: Record<string, Origin>;
}

/** True when a value fits a parameter's declared type, lengths and allowed values (what Bicep checks in a .bicepparam). */
export function fits(v: unknown, schemaIn: Record<string, unknown>, defs: Record<string, unknown>): boolean {
  const schema = deref(schemaIn, defs, 0);
  if (v === null) return member(schema, 'nullable') === true;
  const type = String(member(schema, 'type') ?? '').toLowerCase();
  const ok =
    type === 'string' || type === 'securestring'
      ? typeof v === 'string'
      : type === 'int'
        ? typeof v === 'number' && Number.isInteger(v)
        : type === 'bool'
          ? typeof v === 'boolean'
          : type === 'array'
            ? Array.isArray(v)
            : type === 'object' || type === 'secureobject'
              ? isRecord(v)
              : true;
  if (!ok) return false;
  const allowed = member(schema, 'allowedValues');
  if (Array.isArray(allowed) && allowed.length > 0) {
    const items = Array.isArray(v) ? v : [v];
    for (const x of items) if (!allowed.some((a) => JSON.stringify(a) === JSON.stringify(x))) return false;
  }
  const len = typeof v === 'string' || Array.isArray(v) ? v.length : undefined;
  const min = member(schema, 'minLength');
  const max = member(schema, 'maxLength');
  if (len !== undefined && typeof min === 'number' && len < min) return false;
  if (len !== undefined && typeof max === 'number' && len > max) return false;
  const minV = member(schema, 'minValue');
  const maxV = member(schema, 'maxValue');
  if (typeof v === 'number' && typeof minV === 'number' && v < minV) return false;
  if (typeof v === 'number' && typeof maxV === 'number' && v > maxV) return false;
  return true;
}

/**
 * The parameter values both engines get. A parameter without a default takes the parameter file's value, else a
 * generated one; a Key Vault reference in the file is replaced by a generated value (neither engine reads a vault).
 * A parameter whose default reads `deployment().properties.templateLink` (the `_artifactsLocation` pattern) gets
 * `linkBase`, the URL the template would be deployed from: a snapshot has no template link, and a deployment from
 * a local file fails on that default too.
 */
export function parameterInputs(template: Record<string, unknown>, text: string, file: Record<string, unknown> | undefined, linkBase: string): ParameterInputs {
  const declared = member(template, 'parameters');
  const defs = member(template, 'definitions');
  const given = file && isRecord(member(file, 'parameters')) ? (member(file, 'parameters') as Record<string, unknown>) : {};
  const values: Record<string, Json> = {};
  const origin: Record<string, Origin> = {};
  if (!isRecord(declared)) return { values, origin };
  const definitions = isRecord(defs) ? defs : {};
  for (const [name, declIn] of Object.entries(declared)) {
    const decl = isRecord(declIn) ? declIn : {};
    const entry = member(given, name);
    if (isRecord(entry) && 'value' in entry) {
      const fit = fits(entry.value, decl, definitions);
      values[name] = fit ? (entry.value as Json) : generate(name, decl, definitions);
      origin[name] = fit ? 'file' : 'replaced';
      continue;
    }
    const dflt = member(decl, 'defaultValue');
    if (readsTemplateLink(dflt) || (dflt === undefined && /^_artifactsLocation$/i.test(name))) {
      values[name] = linkBase;
      origin[name] = 'link';
      continue;
    }
    // A default of null is no default to Bicep (it asks for a value): the parameter gets one like those without.
    if (dflt !== undefined && dflt !== null) continue;
    // A nullable parameter (languageVersion 2.0) may be left without a value: both engines get none.
    if (member(deref(decl, definitions, 0), 'nullable') === true) continue;
    const type = String(member(decl, 'type') ?? '').toLowerCase();
    const skeleton = (type === 'object' || type === 'secureobject' || type === 'array') && !member(decl, 'properties') && !member(decl, '$ref') ? readMembers(text, name) : null;
    values[name] =
      skeleton !== null && (Array.isArray(skeleton) === (type === 'array'))
        ? fill(skeleton, name)
        : /(uri|url)$/i.test(name)
          ? `https://example.com/${name.toLowerCase()}/`
          : generate(name, decl, definitions);
    origin[name] = 'generated';
  }
  return { values, origin };
}

/** A Bicep string literal: single quotes, with Bicep's escapes (`\'`, `\\`, `\${`, control characters). */
export function bicepString(s: string): string {
  let out = "'";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    if (c === "'") out += "\\'";
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '$' && s[i + 1] === '{') out += '\\$';
    else if (code < 0x20) out += `\\u{${code.toString(16)}}`;
    else out += c;
  }
  return out + "'";
}

/** A JSON value as a Bicep expression (multi-line arrays and objects; a fraction through json(), which Bicep needs). */
export function bicepValue(v: Json, indent = ''): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) return v < 0 ? `-${-v}` : String(v);
    return `json(${bicepString(JSON.stringify(v))})`;
  }
  if (typeof v === 'string') return bicepString(v);
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + bicepValue(x, inner)).join('\n')}\n${indent}]`;
  }
  const keys = Object.keys(v);
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${bicepString(k)}: ${bicepValue(v[k], inner)}`).join('\n')}\n${indent}}`;
}

/** The .bicepparam text: `using` the template by a path relative to the .bicepparam, then one `param` per value. */
export function bicepparamText(usingPath: string, values: Record<string, Json>): string {
  let out = `using ${bicepString(usingPath)}\n`;
  for (const [name, v] of Object.entries(values)) out += `param ${name} = ${bicepValue(v)}\n`;
  return out;
}

/** The same values as a JSON parameter file, for egress-lint. */
export function parameterFileText(values: Record<string, Json>): string {
  const parameters: Record<string, { value: Json }> = {};
  for (const [name, v] of Object.entries(values)) parameters[name] = { value: v };
  return JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', contentVersion: '1.0.0.0', parameters }, null, 2) + '\n';
}
