// The JSON that `terraform show -json` prints for a saved plan or for state
// (https://developer.hashicorp.com/terraform/internals/json-format), read into resource instances with their known
// values, the values known only after apply (`after_unknown`), and the configuration they were written with (module
// calls, outputs, expressions with their references). Pure: a parsed value in, an index out. Imports template/ only.
import type { RawFinding } from '../template/finding.js';
import { pointerJoin } from '../template/template.js';

/** A JSON object as `JSON.parse` gives it. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
export type JsonObject = { readonly [key: string]: Json };

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An own member of a JSON object (never one of Object.prototype's: JSON holds no functions, and __proto__ is asked). */
export function member(o: unknown, key: string): Json | undefined {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
  if (key === '__proto__') return Object.prototype.hasOwnProperty.call(o, key) ? (o as JsonObject)[key] : undefined;
  const v = (o as Record<string, unknown>)[key];
  return typeof v === 'function' ? undefined : (v as Json | undefined);
}

/** One `resource` or `data` block of a module's configuration (`configuration.root_module.resources[]`). */
export interface ConfigResource {
  /** Module-local address: `azurerm_public_ip.pip`, `data.azurerm_subnet.s`. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /** The block expressions representation of its arguments (absent when the plan leaves them out). */
  readonly expressions: JsonObject | undefined;
  /** Its `for_each` expression, when it has one. */
  readonly forEach: JsonObject | undefined;
}

/** A module's configuration: its resources by module-local address, its module calls and its outputs. */
export interface ConfigModule {
  readonly resources: ReadonlyMap<string, ConfigResource>;
  readonly calls: ReadonlyMap<string, ModuleCall>;
  /** Output expressions by name. */
  readonly outputs: ReadonlyMap<string, JsonObject>;
  /** Variable defaults by name (`variables.<name>.default`), for a variable the module call does not set. */
  readonly defaults: ReadonlyMap<string, Json>;
}

export interface ModuleCall {
  readonly name: string;
  /** `source` as written (`./modules/net`, a registry address). */
  readonly source: string;
  /** The expressions of the arguments that set the child module's variables. */
  readonly expressions: JsonObject;
  readonly module: ConfigModule;
  /** Its `for_each` expression, when it has one (evaluated in the calling module). */
  readonly forEach: JsonObject | undefined;
}

/** Where an instance's known values are, under its entry. */
export type ValuesKey = 'values' | 'change/after' | 'change/before';

/** One resource instance of the plan or state, with what is known of it. */
export interface Instance {
  /** Absolute address: `module.net.azurerm_subnet.app["a"]`. */
  readonly address: string;
  /** The module instance it sits in (`module.net`, `module.vm[0]`), '' for the root module. */
  readonly module: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  /** The `count` index or `for_each` key; undefined for a resource without either. */
  readonly index: number | string | undefined;
  /** Its known values (`values`, or a change's `after`): a value unknown until apply is absent or null here. */
  readonly values: JsonObject;
  /** The change's `after_unknown` (true where a value is known only after apply); undefined for state. */
  readonly unknown: Json | undefined;
  /** Where its entry is (a values representation entry, else its resource change). */
  readonly pointer: string;
  /** Where its known values are written, under `pointer`: `values`, `change/after`, or `change/before` (forgotten). */
  readonly valuesKey: ValuesKey;
  /** Its block in the configuration, when the plan has one (state has none). */
  readonly config: ConfigResource | undefined;
  /** Where its resource change is (a plan's), whose `after_unknown` shows what is known only after apply. */
  readonly changePointer: string | undefined;
  /** Why none of its attributes can be read (its values are not an object: reported as template-invalid). */
  readonly invalid?: string;
}

/** What a plan or state holds: its instances, indexes over them, the configuration and the root variables. */
export interface Model {
  readonly kind: 'plan' | 'state';
  readonly instances: readonly Instance[];
  /** Instances by `<module>|<module-local resource address>`, in index order. */
  readonly byResource: ReadonlyMap<string, readonly Instance[]>;
  /** The root module's configuration (undefined for state, which has none). */
  readonly root: ConfigModule | undefined;
  /** Root variable values (`variables.<name>.value`). */
  readonly variables: ReadonlyMap<string, Json>;
  readonly findings: RawFinding[];
  /** Resource changes Terraform deferred to a later plan (`deferred_changes`): what they will be, this plan does not say. */
  readonly deferred: readonly Deferred[];
  /** Of a plan that is not complete (made with -target): the managed resources of its configuration it has no instance of. */
  readonly untargeted: readonly Deferred[];
}

/** A resource change Terraform deferred (`deferred_changes[]`): its address, type, reason and entry. */
export interface Deferred {
  readonly address: string;
  readonly type: string;
  readonly reason: string;
  readonly pointer: string;
}

/**
 * True when a parsed document is `terraform show -json` output (a `format_version` and a `terraform_version`), or
 * Terraform's own state file (`terraform.tfstate`: a numeric `version`, a `terraform_version` and a `lineage`), which
 * the front-end refuses with a finding that says which command makes the JSON it reads.
 */
export function isTerraformJson(value: unknown): boolean {
  return typeof member(value, 'terraform_version') === 'string' && (typeof member(value, 'format_version') === 'string' || isStateFile(value));
}

/** Terraform's state file itself, not `terraform show -json` of it. */
function isStateFile(value: unknown): boolean {
  return typeof member(value, 'version') === 'number' && typeof member(value, 'lineage') === 'string' && member(value, 'format_version') === undefined;
}

const EMPTY: JsonObject = Object.freeze(Object.create(null) as JsonObject);

function readConfigModule(m: Json | undefined): ConfigModule {
  const resources = new Map<string, ConfigResource>();
  const calls = new Map<string, ModuleCall>();
  const outputs = new Map<string, JsonObject>();
  const defaults = new Map<string, Json>();
  const list = member(m, 'resources');
  if (Array.isArray(list)) {
    for (const r of list) {
      const address = member(r, 'address');
      const type = member(r, 'type');
      const name = member(r, 'name');
      if (typeof address !== 'string' || typeof type !== 'string' || typeof name !== 'string') continue;
      const expressions = member(r, 'expressions');
      const forEach = member(r, 'for_each_expression');
      resources.set(address, { address, type, name, expressions: isJsonObject(expressions) ? expressions : undefined, forEach: isJsonObject(forEach) ? forEach : undefined });
    }
  }
  const mc = member(m, 'module_calls');
  if (isJsonObject(mc)) {
    for (const name of Object.keys(mc)) {
      const call = mc[name];
      // `source` is what Terraform prints; the documentation's example calls it `resolved_source`.
      const source = member(call, 'source') ?? member(call, 'resolved_source');
      const expressions = member(call, 'expressions');
      const forEach = member(call, 'for_each_expression');
      calls.set(name, { name, source: typeof source === 'string' ? source : '', expressions: isJsonObject(expressions) ? expressions : EMPTY, module: readConfigModule(member(call, 'module')), forEach: isJsonObject(forEach) ? forEach : undefined });
    }
  }
  const out = member(m, 'outputs');
  if (isJsonObject(out)) {
    for (const name of Object.keys(out)) {
      const e = member(out[name], 'expression');
      if (isJsonObject(e)) outputs.set(name, e);
    }
  }
  const vars = member(m, 'variables');
  if (isJsonObject(vars)) for (const name of Object.keys(vars)) if (isJsonObject(vars[name]) && Object.prototype.hasOwnProperty.call(vars[name], 'default')) defaults.set(name, member(vars[name], 'default') ?? null);
  return { resources, calls, outputs, defaults };
}

/** The configuration of a module instance (`module.a[0].module.b` → root's call a, then its call b). */
export function configOf(root: ConfigModule | undefined, moduleAddress: string): ConfigModule | undefined {
  let m = root;
  for (const step of moduleSteps(moduleAddress)) m = m?.calls.get(step.name)?.module;
  return m;
}

/** The steps of a module instance address: `module.a[0].module.b["x"]` → a (key 0), b (key "x"). */
export function moduleSteps(moduleAddress: string): { name: string; key: number | string | undefined }[] {
  const out: { name: string; key: number | string | undefined }[] = [];
  let i = 0;
  const s = moduleAddress;
  while (i < s.length) {
    if (!s.startsWith('module.', i)) break;
    i += 'module.'.length;
    let j = i;
    while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
    const name = s.slice(i, j);
    let key: number | string | undefined;
    if (s[j] === '[') {
      const k = readKey(s, j);
      if (!k) break;
      key = k.key;
      j = k.end;
    }
    out.push({ name, key });
    i = s[j] === '.' ? j + 1 : j;
  }
  return out;
}

/** The module instance an absolute resource address sits in (`module.a[0].azurerm_lb.lb` → `module.a[0]`). */
export function moduleOfAddress(address: string): string {
  let i = 0;
  let end = 0;
  while (address.startsWith('module.', i)) {
    let j = i + 'module.'.length;
    while (j < address.length && address[j] !== '.' && address[j] !== '[') j++;
    if (address[j] === '[') {
      const k = readKey(address, j);
      if (!k) break;
      j = k.end;
    }
    if (address[j] !== '.') break;
    end = j;
    i = j + 1;
  }
  return address.slice(0, end);
}

/** The module instance that calls this one (`module.a[0].module.b` → `module.a[0]`), '' for a root module call. */
export function parentModule(moduleAddress: string): string {
  const steps = moduleSteps(moduleAddress);
  let out = '';
  for (let i = 0; i < steps.length - 1; i++) out += `${i === 0 ? '' : '.'}module.${steps[i].name}${keyText(steps[i].key)}`;
  return out;
}

/** A bracketed instance key at `at` (`[0]`, `["a"]`): the key and the index after the bracket. */
export function readKey(s: string, at: number): { key: number | string; end: number } | undefined {
  if (s[at] !== '[') return undefined;
  if (s[at + 1] === '"') {
    // A quoted key as Terraform prints it (Go's %q): JSON reads it for the escapes Terraform's keys use.
    let j = at + 2;
    while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
    if (s[j + 1] !== ']') return undefined;
    try {
      return { key: JSON.parse(s.slice(at + 1, j + 1)) as string, end: j + 2 };
    } catch {
      return { key: s.slice(at + 2, j), end: j + 2 };
    }
  }
  const close = s.indexOf(']', at);
  if (close < 0) return undefined;
  const n = Number(s.slice(at + 1, close));
  return Number.isInteger(n) ? { key: n, end: close + 1 } : undefined;
}

/** An instance key as addresses write it. */
export function keyText(key: number | string | undefined): string {
  return key === undefined ? '' : typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

/** The index key of the byResource map. */
export function resourceKey(moduleAddress: string, localAddress: string): string {
  return `${moduleAddress}|${localAddress}`;
}

interface Change {
  readonly unknown: Json | undefined;
  /** As written: an `after` or `before` that is not an object is reported where the instance is read. */
  readonly after: Json | undefined;
  readonly before: Json | undefined;
  readonly pointer: string;
  readonly actions: readonly string[];
  readonly entry: JsonObject;
}

/** The module-local address of an instance's resource (`data.azurerm_subnet.s`, `azurerm_lb.lb`). */
function localAddress(mode: 'managed' | 'data', type: string, name: string): string {
  return mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
}

class ModelBuilder {
  readonly instances: Instance[] = [];
  readonly byResource = new Map<string, Instance[]>();
  readonly seen = new Set<string>();
  private readonly configs = new Map<string, ConfigModule | undefined>();
  constructor(
    readonly root: ConfigModule | undefined,
    readonly changes: ReadonlyMap<string, Change>,
    readonly file: string,
    readonly findings: RawFinding[],
  ) {}

  /** The configuration of a module instance, looked up once per module instance. */
  configOf(moduleAddress: string): ConfigModule | undefined {
    if (this.configs.has(moduleAddress)) return this.configs.get(moduleAddress);
    const m = configOf(this.root, moduleAddress);
    this.configs.set(moduleAddress, m);
    return m;
  }

  add(r: Json, pointer: string, _container: string, valuesKey: ValuesKey, values: Json | undefined, unknownOverride?: Json): void {
    const address = member(r, 'address');
    const mode = member(r, 'mode') === 'data' ? 'data' : 'managed';
    const type = member(r, 'type');
    const name = member(r, 'name');
    if (typeof address !== 'string' || typeof type !== 'string' || typeof name !== 'string' || this.seen.has(address)) return;
    this.seen.add(address);
    const idx = member(r, 'index');
    const index = typeof idx === 'number' || typeof idx === 'string' ? idx : undefined;
    const local = localAddress(mode, type, name);
    // The address says which module instance it is in (the values representation nests it in that module too).
    const moduleAddress = moduleOfAddress(address);
    const change = this.changes.get(address);
    // Values that are there but not an object say nothing of the resource: never read as a resource with no attributes.
    const invalid = values !== undefined && !isJsonObject(values) ? this.invalidValues(address, pointer, valuesKey, values) : undefined;
    const inst: Instance = {
      address,
      module: moduleAddress,
      mode,
      type,
      name,
      index,
      values: isJsonObject(values) ? values : EMPTY,
      unknown: invalid !== undefined ? true : (unknownOverride ?? change?.unknown),
      pointer,
      valuesKey,
      config: this.configOf(moduleAddress)?.resources.get(local),
      changePointer: change?.pointer,
      invalid,
    };
    this.instances.push(inst);
    const key = resourceKey(moduleAddress, local);
    const list = this.byResource.get(key);
    if (list) list.push(inst);
    else this.byResource.set(key, [inst]);
  }

  /** Reports an instance's values that are not an object, and says why its attributes are read as unknown. */
  private invalidValues(address: string, pointer: string, valuesKey: ValuesKey, values: Json): string {
    const at = valuesKey === 'values' ? pointerJoin(pointer, 'values') : pointerJoin(pointerJoin(pointer, 'change'), valuesKey === 'change/before' ? 'before' : 'after');
    const written = values === null ? 'null' : Array.isArray(values) ? 'an array' : `a ${typeof values}`;
    const what = valuesKey === 'values' ? 'values' : valuesKey === 'change/before' ? 'change.before' : 'change.after';
    const is = valuesKey === 'values' ? 'are' : 'is';
    this.findings.push({ ruleId: 'template-invalid', message: `The ${what} of Terraform resource '${address}' ${is} ${written}, not an object: none of its attributes can be read, so each is unknown.`, at: { file: this.file, pointer: at } });
    return `the ${what} of ${address} in the file ${is} ${written}, not an object`;
  }

  /** Every resource of a values representation module and of its child modules ('unchanged': data sources and those without a change). */
  walk(m: Json | undefined, pointer: string, filter: 'all' | 'data' | 'unchanged'): void {
    const address = member(m, 'address');
    const moduleAddress = typeof address === 'string' ? address : '';
    const list = member(m, 'resources');
    if (Array.isArray(list)) {
      for (let i = 0; i < list.length; i++) {
        const r = list[i];
        if (filter !== 'all' && member(r, 'mode') !== 'data') {
          const address = member(r, 'address');
          // A deposed object (`deposed_key`) is one a plan destroys.
          if (filter === 'data' || typeof address !== 'string' || this.changes.has(address) || member(r, 'deposed_key') !== undefined) continue;
        }
        this.add(r, pointerJoin(pointerJoin(pointer, 'resources'), i), moduleAddress, 'values', member(r, 'values'));
      }
    }
    const children = member(m, 'child_modules');
    if (Array.isArray(children)) for (let i = 0; i < children.length; i++) this.walk(children[i], pointerJoin(pointerJoin(pointer, 'child_modules'), i), filter);
  }
}

/** The resource changes of a plan by address (current objects only: a deposed object is being replaced). */
function readChanges(doc: JsonObject): Map<string, Change> {
  const out = new Map<string, Change>();
  const list = member(doc, 'resource_changes');
  if (!Array.isArray(list)) return out;
  for (let i = 0; i < list.length; i++) {
    const rc = list[i];
    const address = member(rc, 'address');
    if (typeof address !== 'string' || member(rc, 'deposed') !== undefined || !isJsonObject(rc)) continue;
    const change = member(rc, 'change');
    const actions = member(change, 'actions');
    const after = member(change, 'after');
    const before = member(change, 'before');
    out.set(address, {
      unknown: member(change, 'after_unknown'),
      after,
      before,
      pointer: pointerJoin(pointerJoin('', 'resource_changes'), i),
      actions: Array.isArray(actions) ? actions.filter((a): a is string => typeof a === 'string') : [],
      entry: rc,
    });
  }
  return out;
}

/** The resource changes Terraform deferred (`deferred_changes`, each with its `reason` and `resource_change`). */
function readDeferred(doc: JsonObject): Deferred[] {
  const out: Deferred[] = [];
  const list = member(doc, 'deferred_changes');
  if (!Array.isArray(list)) return out;
  for (let i = 0; i < list.length; i++) {
    const rc = member(list[i], 'resource_change');
    const address = member(rc, 'address');
    const type = member(rc, 'type');
    const reason = member(list[i], 'reason');
    if (typeof address !== 'string' || typeof type !== 'string') continue;
    out.push({ address, type, reason: typeof reason === 'string' ? reason : 'unknown', pointer: pointerJoin(pointerJoin(pointerJoin('', 'deferred_changes'), i), 'resource_change') });
  }
  return out;
}

/** The configuration address (module path without instance keys, and the module-local address) of each instance. */
function instancesByConfig(instances: readonly Instance[]): Set<string> {
  const out = new Set<string>();
  for (const inst of instances) out.add(`${inst.module.replace(/\[[^\]]*\]/g, '')}|${localAddress(inst.mode, inst.type, inst.name)}`);
  return out;
}

/** The managed resources of a configuration module (and of the modules it calls) that have no instance. */
function readUntargeted(m: Json | undefined, pointer: string, modulePath: string, seen: ReadonlySet<string>, out: Deferred[]): Deferred[] {
  const list = member(m, 'resources');
  if (Array.isArray(list)) {
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      const type = member(r, 'type');
      const name = member(r, 'name');
      if (member(r, 'mode') === 'data' || typeof type !== 'string' || typeof name !== 'string') continue;
      const local = localAddress('managed', type, name);
      if (seen.has(`${modulePath}|${local}`)) continue;
      out.push({ address: modulePath === '' ? local : `${modulePath}.${local}`, type, reason: '', pointer: pointerJoin(pointerJoin(pointer, 'resources'), i) });
    }
  }
  const calls = member(m, 'module_calls');
  if (isJsonObject(calls)) {
    for (const name of Object.keys(calls)) {
      const at = pointerJoin(pointerJoin(pointerJoin(pointer, 'module_calls'), name), 'module');
      readUntargeted(member(calls[name], 'module'), at, modulePath === '' ? `module.${name}` : `${modulePath}.module.${name}`, seen, out);
    }
  }
  return out;
}

/**
 * Reads plan or state JSON. A plan's resources are its `planned_values` (what exists after apply), with the unknown
 * values of its `resource_changes` and the data sources Terraform read while planning (kept in `prior_state`); a
 * resource whose change creates it but that `planned_values` leaves out (a data source read only at apply) is taken
 * from its change. A resource being destroyed (`delete`) is left out, as `planned_values` leaves it out; one that
 * Terraform forgets (`forget`, a `removed` block with `destroy = false`) stays in Azure, so it is read from its change's
 * `before`. A resource of `prior_state` (the refreshed state) without a change stays as it is, so it is read from
 * there: all of a refresh-only plan's (`terraform plan -refresh-only`: no changes, empty `planned_values`), and those
 * outside the targets of a plan made with `-target`. State's are its `values`, all known.
 */
export function readModel(file: string, doc: unknown): Model {
  const findings: RawFinding[] = [];
  const variables = new Map<string, Json>();
  if (!isJsonObject(doc)) return { kind: 'state', instances: [], byResource: new Map(), root: undefined, variables, findings, deferred: [], untargeted: [] };
  if (isStateFile(doc)) {
    // The state file's layout is Terraform's own and not a stable interface; `terraform show -json` prints it in the
    // documented values representation (https://developer.hashicorp.com/terraform/internals/json-format).
    findings.push({ ruleId: 'template-invalid', message: 'This is a Terraform state file (terraform.tfstate), not the JSON that `terraform show -json` prints: run `terraform show -json > state.json` and lint state.json.', at: { file, pointer: '/version' } });
    return { kind: 'state', instances: [], byResource: new Map(), root: undefined, variables, findings, deferred: [], untargeted: [] };
  }
  const version = member(doc, 'format_version');
  // "Reject any input which reports an unsupported major version" (json-format, format_version).
  if (typeof version === 'string' && !/^[01]\./.test(version))
    findings.push({ ruleId: 'template-invalid', message: `Terraform JSON format_version ${version} is not one egress-lint reads (it reads 0.x and 1.x).`, at: { file, pointer: '/format_version' } });
  if (member(doc, 'errored') === true)
    findings.push({ ruleId: 'template-invalid', message: 'Terraform reports that planning failed ("errored": true): the plan is incomplete, so what it lacks is not analysed.', at: { file, pointer: '/errored' } });
  const vars = member(doc, 'variables');
  if (isJsonObject(vars)) for (const k of Object.keys(vars)) if (isJsonObject(vars[k])) variables.set(k, member(vars[k], 'value') ?? null);
  const planned = member(doc, 'planned_values');
  const isPlan = planned !== undefined || member(doc, 'resource_changes') !== undefined || member(doc, 'configuration') !== undefined;
  const config = member(doc, 'configuration');
  const root = isJsonObject(config) ? readConfigModule(member(config, 'root_module')) : undefined;
  const changes = readChanges(doc);
  const deferred = readDeferred(doc);
  const b = new ModelBuilder(root, changes, file, findings);
  if (findings.some((f) => f.at.pointer === '/format_version')) return { kind: isPlan ? 'plan' : 'state', instances: [], byResource: new Map(), root, variables, findings, deferred, untargeted: [] };
  if (isPlan) {
    const prior = member(member(member(doc, 'prior_state'), 'values'), 'root_module');
    b.walk(member(planned, 'root_module'), '/planned_values/root_module', 'all');
    // A complete plan has a change (no-op included) for every resource of its prior state. One without a change stays
    // as it is: every resource of a refresh-only plan, and those outside the targets of a plan made with -target
    // ("complete": false). Not when planning failed (errored: incomplete, and said so above).
    b.walk(prior, '/prior_state/values/root_module', member(doc, 'errored') === true ? 'data' : 'unchanged');
    for (const [address, c] of changes) {
      if (b.seen.has(address)) continue;
      const ma = member(c.entry, 'module_address');
      const moduleAddress = typeof ma === 'string' ? ma : '';
      if (c.actions.length === 1 && c.actions[0] === 'forget') b.add(c.entry, c.pointer, moduleAddress, 'change/before', c.before, EMPTY);
      else if (c.actions.some((a) => a === 'create' || a === 'read' || a === 'update' || a === 'no-op')) b.add(c.entry, c.pointer, moduleAddress, 'change/after', c.after);
    }
  } else {
    b.walk(member(member(doc, 'values'), 'root_module'), '/values/root_module', 'all');
  }
  // "complete": false (Terraform 1.8 and later) says a plan was made with -target: a resource of the configuration
  // that is neither planned nor in its prior state may be created by the next full apply
  // (https://developer.hashicorp.com/terraform/internals/json-format). Without the field (earlier releases), a
  // resource with no instance is one whose count or for_each gives none, and is read so.
  const untargeted = isPlan && member(doc, 'complete') === false ? readUntargeted(member(config, 'root_module'), '/configuration/root_module', '', instancesByConfig(b.instances), []) : [];
  return { kind: isPlan ? 'plan' : 'state', instances: b.instances, byResource: b.byResource, root, variables, findings, deferred, untargeted };
}
