// What one attribute of a resource instance is: its value when the plan or state knows it; when it is known only
// after apply, what its configuration expression names (another resource's id, through modules), so links still
// resolve; else an Unknown saying why. And each instance's Azure identity: type, name and id, the id built from its
// resource group and name (or its parent's id) when the plan does not know it yet. Imports template/, expressions/
// and resources/ only.
import { Unknown } from '../expressions/value.js';
import type { Value } from '../expressions/value.js';
import type { Instance, Json, JsonObject, Model } from './plan.js';
import { isJsonObject, member } from './plan.js';
import { References, pathText } from './references.js';
import type { Block } from './placement.js';
import { pointerJoin } from '../template/template.js';
import type { Scope, Step, Target } from './references.js';

/** What a resource instance is in Azure's terms. */
export interface Identity {
  readonly type: string;
  readonly name: string;
  readonly id: string;
}

/** How a Terraform resource type maps to an ARM resource type, and for a child type, how it names its parent. */
export interface TypeInfo {
  readonly arm: string;
  /** A child resource: the attribute naming its parent (by name in its resource group, or by id) and the child segment. */
  readonly parent?: { readonly attr: string; readonly by: 'name' | 'id'; readonly types: readonly string[]; readonly armType: string; readonly child: string };
  /** Sub-blocks whose `id` is a child id of this resource (`frontend_ip_configuration[0].id`). */
  readonly children?: Readonly<Record<string, string>>;
  /** Type, name and id for a resource whose ARM type its values say (azapi_resource), or whose id is not ARM's usual shape. */
  readonly identify?: (r: Reader, inst: Instance, name: string) => Identity | undefined;
  /** Attributes that are the id of a child Azure creates with the resource (a hub's `default_route_table_id`): its type's segment and name. */
  readonly childIds?: Readonly<Record<string, readonly [string, string]>>;
  /** Attributes Azure assigns (a private IP), by path pattern, and the ARM property path they stand for. */
  readonly assigned?: readonly { readonly attr: RegExp; readonly arm: (path: readonly Step[]) => string }[];
}

/** Where a value's configuration expression is, or why there is none to follow. */
type ConfigAt = { kind: 'expr'; expr: JsonObject } | { kind: 'unset' } | { kind: 'dynamic'; block: string } | { kind: 'opaque'; attr: string } | { kind: 'none' };

/**
 * The part of a built id that the plan does not know (the subscription, which a provider configuration decides; a
 * resource group known only after apply), written as the report writes a placeholder: `{subscription}`. Plain text,
 * not a placeholder string: nothing decides on it, and ids stay one-byte strings, which V8 hashes and lower-cases fast.
 */
export function unknownPart(label: string): string {
  return `{${segment(label)}}`;
}

/** An id segment for a name: a '/' in a name (a for_each key in an address) would split the id. */
export function segment(name: string): string {
  return name.indexOf('/') < 0 ? name : name.replace(/\//g, '%2F');
}

function isExpression(v: Json | undefined): v is JsonObject {
  return isJsonObject(v) && (Object.prototype.hasOwnProperty.call(v, 'references') || Object.prototype.hasOwnProperty.call(v, 'constant_value'));
}

/** The known value at a path of a JSON value. */
export function at(v: Json | undefined, path: readonly Step[]): Json | undefined {
  let cur = v;
  for (const s of path) {
    if (typeof s === 'number') cur = Array.isArray(cur) ? (cur as readonly Json[])[s] : undefined;
    else cur = member(cur, s);
    if (cur === undefined) return undefined;
  }
  return cur;
}

const MAX_DEPTH = 24;

/**
 * True when an expression uses count.index or each.key other than as a whole index (`x[count.index]`) or as
 * element()'s index (`element(x[*].id, count.index)`): the instance it names is computed, which the plan does not show.
 */
export function keyComputed(text: string): boolean {
  const re = /\b(?:count\.index|each\.key)\b/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const before = text.slice(0, m.index).trimEnd();
    const after = text.slice(m.index + m[0].length).trimStart();
    if (before.endsWith('[') && after.startsWith(']')) continue;
    if (before.endsWith(',') && after.startsWith(')') && /\belement\s*\([^()]*$/.test(before)) continue;
    return true;
  }
  return false;
}

/** An attribute's address, made into text only when a message needs it (most values need none). */
export class Where {
  constructor(
    private readonly address: string,
    private readonly path: readonly Step[],
  ) {}
  toString(): string {
    return `${this.address}.${pathText(this.path)}`;
  }
}

const SUBNET = 'Microsoft.Network/virtualNetworks/subnets';
const POOL = 'Microsoft.Network/loadBalancers/backendAddressPools';
/** The ARM type an id attribute names, by the attribute's name (the provider's naming is regular). */
const EXPECT_BY_ATTR: ReadonlyMap<string, string> = new Map([
  ['subnet_id', SUBNET],
  ['vnet_subnet_id', SUBNET],
  ['pod_subnet_id', SUBNET],
  ['public_ip_address_id', 'Microsoft.Network/publicIPAddresses'],
  ['outbound_ip_address_ids', 'Microsoft.Network/publicIPAddresses'],
  ['public_ip_prefix_id', 'Microsoft.Network/publicIPPrefixes'],
  ['node_public_ip_prefix_id', 'Microsoft.Network/publicIPPrefixes'],
  ['outbound_ip_prefix_ids', 'Microsoft.Network/publicIPPrefixes'],
  ['nat_gateway_id', 'Microsoft.Network/natGateways'],
  ['route_table_id', 'Microsoft.Network/routeTables'],
  ['network_interface_id', 'Microsoft.Network/networkInterfaces'],
  ['network_interface_ids', 'Microsoft.Network/networkInterfaces'],
  ['primary_network_interface_id', 'Microsoft.Network/networkInterfaces'],
  ['backend_address_pool_id', POOL],
  ['backend_address_pool_ids', POOL],
  ['load_balancer_backend_address_pool_ids', POOL],
  ['loadbalancer_id', 'Microsoft.Network/loadBalancers'],
  ['availability_set_id', 'Microsoft.Compute/availabilitySets'],
  ['virtual_machine_scale_set_id', 'Microsoft.Compute/virtualMachineScaleSets'],
  ['kubernetes_cluster_id', 'Microsoft.ContainerService/managedClusters'],
  ['virtual_network_id', 'Microsoft.Network/virtualNetworks'],
  ['remote_virtual_network_id', 'Microsoft.Network/virtualNetworks'],
  ['virtual_network_gateway_id', 'Microsoft.Network/virtualNetworkGateways'],
  ['peer_virtual_network_gateway_id', 'Microsoft.Network/virtualNetworkGateways'],
  ['local_network_gateway_id', 'Microsoft.Network/localNetworkGateways'],
  ['default_local_network_gateway_id', 'Microsoft.Network/localNetworkGateways'],
]);

/** The ARM type the id at a path names, by its attribute (the last name in the path). */
export function expectedType(path: readonly Step[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const s = path[i];
    if (typeof s === 'string') return EXPECT_BY_ATTR.get(s);
  }
  return undefined;
}

/** Reads the attributes and identities of one plan's or state's instances. */
export class Reader {
  readonly refs: References;
  private readonly identities = new Map<Instance, Identity>();
  private readonly computing = new Set<Instance>();
  private readonly synthetic = new Map<string, Instance>();
  private readonly byArmName = new Map<string, Instance[]>();
  private readonly parentsOf = new Map<string, Set<string>>();
  private depth = 0;
  /** The .tf block of each instance whose module source was read (its expressions as written). */
  blocks: ReadonlyMap<Instance, Block> | undefined;

  constructor(
    readonly model: Model,
    private readonly types: ReadonlyMap<string, TypeInfo>,
  ) {
    this.refs = new References(model);
  }

  typeOf(inst: Instance): TypeInfo | undefined {
    return this.types.get(inst.type);
  }

  /** The known value at a path, or undefined (absent, null, or known only after apply). */
  known(inst: Instance, path: readonly Step[]): Json | undefined {
    const v = at(inst.values, path);
    return v === null ? undefined : v;
  }

  /** True when the plan says the value at the path (or what holds it) is known only after apply. */
  unknownAt(inst: Instance, path: readonly Step[]): boolean {
    let cur = inst.unknown;
    if (cur === true) return true;
    for (const s of path) {
      if (typeof s === 'number') cur = Array.isArray(cur) ? (cur as readonly Json[])[s] : undefined;
      else cur = member(cur, s);
      if (cur === true) return true;
      if (cur === undefined || cur === false) return false;
    }
    return false;
  }

  /** The configuration expression that sets the value at `path`, matching blocks by name or order. */
  private configAt(inst: Instance, path: readonly Step[]): ConfigAt {
    const expressions = inst.config?.expressions;
    if (!inst.config) return { kind: 'none' };
    let cur: Json | undefined = expressions;
    for (let i = 0; i < path.length; i++) {
      const s = path[i];
      if (typeof s === 'number') return { kind: 'opaque', attr: pathText(path.slice(0, i)) };
      const e: Json | undefined = member(cur, s);
      const last = i === path.length - 1;
      if (e === undefined) {
        // The plan has the block; the configuration does not describe it: it comes from a `dynamic` block.
        if (!last && Array.isArray(at(inst.values, path.slice(0, i + 1)))) return { kind: 'dynamic', block: s };
        return { kind: 'unset' };
      }
      if (isExpression(e)) return last ? { kind: 'expr', expr: e } : { kind: 'opaque', attr: pathText(path.slice(0, i + 1)) };
      if (last) return { kind: 'opaque', attr: s };
      if (Array.isArray(e)) {
        const n = path[i + 1];
        if (typeof n !== 'number') return { kind: 'opaque', attr: s };
        const block = this.matchBlock(inst, path.slice(0, i + 1), e as readonly Json[], n);
        if (block === undefined) return { kind: 'dynamic', block: s };
        cur = block;
        i++;
      } else cur = e;
    }
    return { kind: 'unset' };
  }

  /** The expression that sets a value, undefined when the configuration does not set it, or an Unknown saying why none can be read. */
  configExpression(inst: Instance, path: readonly Step[]): JsonObject | Unknown | undefined {
    const c = this.configAt(inst, path);
    if (c.kind === 'expr') return this.indexNotFollowed(inst, path) ?? c.expr;
    if (c.kind === 'unset') return undefined;
    const where = `${inst.address}.${pathText(path)}`;
    switch (c.kind) {
      case 'dynamic':
        return new Unknown('runtime', `${where} is known only after apply, and it is set in a dynamic "${c.block}" block, which the plan's configuration does not describe`);
      case 'opaque':
        return new Unknown('runtime', `${where} is known only after apply, and it is set by the expression of ${c.attr}, which the plan does not break down`);
      default:
        return new Unknown('runtime', `${where} is known only after apply`);
    }
  }

  /**
   * Why an expression cannot be followed by its references alone, as its .tf source shows (when the module's source
   * is read): the plan lists what an expression reads, not how, so `pip[(count.index + 1) % 2].id` has the references
   * of `pip[count.index].id` (azurerm_public_ip.pip, count.index), which are followed as the instance of the same
   * key. An index computed from count.index or each.key (anything but the key itself, or element()'s index) names
   * another instance: unknown, naming the expression.
   */
  private indexNotFollowed(inst: Instance, path: readonly Step[]): Unknown | undefined {
    const block = this.blocks?.get(inst);
    if (!block) return undefined;
    let pointer = block.pointer;
    for (const s of path) pointer = pointerJoin(pointer, s);
    const text = block.expression(pointer);
    if (text === undefined || !keyComputed(text)) return undefined;
    return new Unknown('runtime', `${inst.address}.${pathText(path)} is known only after apply, and it is written \`${text}\`, an index the plan does not evaluate, so which instance it names is not known`);
  }

  /**
   * For a block known only after apply that the plan's configuration does not write: undefined when the .tf source
   * of the instance was read (and does not write it either: unwritten), else the Unknown that says the plan alone
   * cannot tell an unwritten block from a `dynamic` one over values known only after apply (the plan leaves dynamic
   * blocks out of its configuration; hashicorp/terraform#28346).
   */
  unseenDynamic(inst: Instance, name: string): Unknown | undefined {
    if (this.blocks?.has(inst)) return undefined;
    return new Unknown('runtime', `${inst.address}.${name} is known only after apply, and the plan cannot show whether a dynamic "${name}" block writes it (its module's .tf source is not beside the plan)`);
  }

  /** Whether an instance of `childType`, a child by its parent attribute (azurerm_route of its route table), names `parent`. */
  hasChild(parent: Instance, childType: string): boolean {
    let parents = this.parentsOf.get(childType);
    if (!parents) {
      // The parent ids of every instance of the type, found once: a plan of many tables asks for each.
      parents = new Set();
      const info = this.types.get(childType);
      if (info?.parent) for (const i of this.model.instances) if (i.type === childType) parents.add(this.parentId(i, info).toLowerCase());
      this.parentsOf.set(childType, parents);
    }
    const id = this.identity(parent)?.id.toLowerCase();
    return id !== undefined && parents.has(id);
  }

  /**
   * True when the configuration writes blocks (or an expression) of this name for the instance. A `dynamic` block is
   * not in the plan's configuration (it lists static blocks only); its .tf source, when read, shows it.
   */
  hasBlocks(inst: Instance, name: string): boolean {
    if (member(inst.config?.expressions, name) !== undefined) return true;
    const block = this.blocks?.get(inst);
    return block !== undefined && (block.has(pointerJoin(block.pointer, name)) || block.has(pointerJoin(pointerJoin(block.pointer, name), 0)));
  }

  /** The configuration block the plan's block `n` was written as: by its constant name, else by position. */
  private matchBlock(inst: Instance, blockPath: readonly Step[], config: readonly Json[], n: number): Json | undefined {
    const planned = at(inst.values, blockPath);
    const count = Array.isArray(planned) ? planned.length : undefined;
    const name = at(planned, [n, 'name']);
    if (typeof name === 'string') {
      for (const c of config) if (member(member(c, 'name'), 'constant_value') === name) return c;
    }
    // More or fewer blocks than written: some come from a dynamic block.
    if (count !== undefined && count !== config.length) return undefined;
    return config[n];
  }

  scopeOf(inst: Instance): Scope {
    return { module: inst.module, index: inst.index, forEach: inst.config?.forEach };
  }

  /**
   * The value at `path`: known; else what its expression names (`want` says what the caller reads there: an id, a
   * name, or the value itself); else an Unknown saying why; undefined when it is unset (a default applies).
   */
  value(inst: Instance, path: readonly Step[], want: 'id' | 'name' | 'value', expect?: string): Value | undefined {
    if (inst.invalid !== undefined) return new Unknown('error', `${inst.address}.${pathText(path)} cannot be read: ${inst.invalid}`);
    if (!this.unknownAt(inst, path)) {
      const k = this.known(inst, path);
      return k === undefined ? undefined : (k as Value);
    }
    const c = this.configExpression(inst, path);
    if (c === undefined) return this.assigned(inst, path);
    if (c instanceof Unknown) return c;
    return this.pick(this.refs.resolve(c, this.scopeOf(inst)), want, new Where(inst.address, path), expect ?? (want === 'id' ? expectedType(path) : undefined));
  }

  /**
   * What one expression's targets give a caller that reads one value. A value known only after apply comes from
   * something known only after apply: a resource's attribute, not a constant or a variable's value. Of the resources
   * the expression reads, those of the type the caller expects (`expect`, an ARM type) are kept; one is the answer,
   * several or none an Unknown naming why.
   */
  pick(targets: readonly Target[], want: 'id' | 'name' | 'value', where: string | Where, expect?: string): Value {
    // The usual case: one reference to one resource's attribute of the type expected.
    if (targets.length === 1) {
      const t = targets[0];
      if (t.kind === 'attr' && (expect === undefined || this.typeOfTarget(t)?.toLowerCase() === expect.toLowerCase())) return this.ofTarget(t, want) ?? new Unknown('runtime', `${where} is known only after apply`);
    }
    const none = targets.find((t) => t.kind === 'none');
    if (none && none.kind === 'none') return new Unknown('runtime', `${where} is known only after apply, and ${none.why}`);
    const attrs: Extract<Target, { kind: 'attr' }>[] = [];
    const seen = new Set<string>();
    for (const t of targets) {
      if (t.kind !== 'attr') continue;
      const k = `${t.inst.address}.${pathText(t.path)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      attrs.push(t);
    }
    if (attrs.length === 0) return new Unknown('runtime', `${where} is known only after apply, and its expression reads nothing the plan describes`);
    let kept = attrs;
    if (expect !== undefined) {
      kept = [];
      for (const t of attrs) if (this.typeOfTarget(t)?.toLowerCase() === expect.toLowerCase()) kept.push(t);
      if (kept.length === 0) return new Unknown('runtime', `${where} is known only after apply, and its expression reads ${attrs.map((t) => `${t.inst.address}.${pathText(t.path)}`).join(', ')}, which ${attrs.length > 1 ? 'are' : 'is'} not the id of a ${expect}`);
    } else if (attrs.some((t) => t.candidate) && attrs.length > 1) kept = [];
    if (kept.length !== 1) return new Unknown('runtime', `${where} is known only after apply, and its expression reads ${attrs.map((t) => `${t.inst.address}.${pathText(t.path)}`).join(' and ')}: the plan does not show which one it is`);
    return this.ofTarget(kept[0], want) ?? new Unknown('runtime', `${where} is known only after apply`);
  }

  /** The ARM type of what a target's id is: the resource's, or a sub-block's (`frontend_ip_configuration[0].id`). */
  typeOfTarget(t: { readonly inst: Instance; readonly path: readonly Step[] }): string | undefined {
    const ident = this.identity(t.inst);
    if (!ident) return undefined;
    const p = t.path;
    if (p.length === 0 || (p.length === 1 && p[0] === 'id')) return ident.type;
    const created = p.length === 1 && typeof p[0] === 'string' ? this.typeOf(t.inst)?.childIds?.[p[0]] : undefined;
    if (created) return `${ident.type}/${created[0]}`;
    const child = p.length === 3 && typeof p[0] === 'string' && p[2] === 'id' ? this.typeOf(t.inst)?.children?.[p[0]] : undefined;
    return child === undefined ? undefined : `${ident.type}/${child}`;
  }

  /** The value a resource attribute target stands for: an id (the resource's or a sub-block's), a name, or the value. */
  ofTarget(t: { readonly inst: Instance; readonly path: readonly Step[] }, want: 'id' | 'name' | 'value'): Value | undefined {
    if (this.depth > MAX_DEPTH) return new Unknown('runtime', `${t.inst.address}.${pathText(t.path)} is followed through too many references`);
    this.depth++;
    try {
      const p = t.path;
      const ident = this.identity(t.inst);
      if (ident && p.length === 1 && p[0] === 'id') return ident.id;
      if (ident && p.length === 1 && p[0] === 'name') return ident.name;
      const created = ident && p.length === 1 && typeof p[0] === 'string' ? this.typeOf(t.inst)?.childIds?.[p[0]] : undefined;
      if (ident && created) return `${ident.id}/${created[0]}/${created[1]}`;
      const child = ident && p.length === 3 && typeof p[0] === 'string' && typeof p[1] === 'number' && p[2] === 'id' ? this.typeOf(t.inst)?.children?.[p[0]] : undefined;
      if (ident && child !== undefined) {
        const name = this.value(t.inst, [p[0], p[1], 'name'], 'value');
        if (typeof name === 'string') return `${ident.id}/${child}/${segment(name)}`;
      }
      if (p.length === 0) return want === 'id' && ident ? ident.id : undefined;
      return this.value(t.inst, p, want);
    } finally {
      this.depth--;
    }
  }

  /** An attribute no configuration sets and the plan does not know: Azure assigns it (a private IP), or a default applies. */
  private assigned(inst: Instance, path: readonly Step[]): Value | undefined {
    const assigned = this.typeOf(inst)?.assigned;
    if (!assigned) return undefined;
    const text = pathText(path);
    const ident = this.identity(inst);
    for (const a of assigned) {
      if (a.attr.test(text) && ident) return new Unknown('runtime', `${inst.address}.${text}, which Azure assigns at deployment`, undefined, { id: ident.id, path: a.arm(path) });
    }
    return undefined;
  }

  /** The Azure type, name and id of an instance of a type egress-lint reads; undefined for other types. */
  identity(inst: Instance): Identity | undefined {
    const hit = this.identities.get(inst);
    if (hit) return hit;
    const info = this.typeOf(inst);
    // An identity that depends on itself (a cycle of references, which Terraform rejects) has none.
    if (!info || this.computing.has(inst)) return undefined;
    this.computing.add(inst);
    try {
      const n = this.value(inst, ['name'], 'value');
      // Contract (egress-model.md, Terraform): a resource whose Azure name is unknown in the plan is named by its address.
      const name = typeof n === 'string' ? n : inst.address;
      let out: Identity | undefined;
      if (info.identify) out = info.identify(this, inst, name);
      else {
        const knownId = this.known(inst, ['id']);
        let id: string;
        if (typeof knownId === 'string' && knownId.indexOf('/providers/') >= 0) id = knownId;
        else if (info.parent) id = `${this.parentId(inst, info)}/${info.parent.child}/${segment(name)}`;
        else id = this.syntheticId(inst, info.arm, name);
        out = { type: info.arm, name: info.parent ? `${this.parentName(id)}/${name}` : name, id };
      }
      if (out) this.identities.set(inst, out);
      return out;
    } finally {
      this.computing.delete(inst);
    }
  }

  /** The parent's name in a child id (`…/virtualNetworks/vnet/subnets/s` → vnet). */
  private parentName(id: string): string {
    const parts = id.split('/');
    return parts.length >= 4 ? parts[parts.length - 3] : '';
  }

  /** A child's parent id: what its parent attribute names (a resource of the plan, by reference or by name), else built. */
  private parentId(inst: Instance, info: TypeInfo): string {
    const p = info.parent!;
    if (p.by === 'id') {
      const v = this.value(inst, [p.attr], 'id');
      return typeof v === 'string' ? v.replace(/\/+$/, '') : `/subscriptions/${unknownPart('subscription')}/resourceGroups/${unknownPart(`resource group of ${inst.address}`)}/providers/${p.armType}/${unknownPart(`${p.attr} of ${inst.address}`)}`;
    }
    // By name: the resource its expression names, else a resource of the plan with that name in the same resource group.
    const target = this.parentTarget(inst, p.attr);
    if (target) return target.id;
    const rg = this.resourceGroup(inst);
    const v = this.value(inst, [p.attr], 'name');
    if (typeof v !== 'string') return `/subscriptions/${unknownPart('subscription')}/resourceGroups/${rg}/providers/${p.armType}/${unknownPart(`${p.attr} of ${inst.address}`)}`;
    for (const t of p.types) {
      for (const other of this.named(t, v)) {
        const oid = this.identity(other);
        if (oid && this.resourceGroup(other).toLowerCase() === rg.toLowerCase()) return oid.id;
      }
    }
    return `/subscriptions/${unknownPart('subscription')}/resourceGroups/${rg}/providers/${p.armType}/${segment(v)}`;
  }

  /** The parent resource an attribute's expression names (`azurerm_virtual_network.vnet.name`), when it names one. */
  private parentTarget(inst: Instance, attr: string): Identity | undefined {
    const c = inst.config ? member(inst.config.expressions, attr) : undefined;
    if (!isExpression(c)) return undefined;
    const targets = this.refs.resolve(c, this.scopeOf(inst));
    const attrs = targets.filter((t) => t.kind === 'attr');
    if (attrs.length !== 1 || targets.length !== 1) return undefined;
    const t = attrs[0];
    if (t.kind !== 'attr' || t.path.length !== 1 || t.path[0] !== 'name') return undefined;
    return this.identity(t.inst);
  }

  /** Instances of a type by their Azure name, as written. */
  private named(type: string, name: string): readonly Instance[] {
    if (this.byArmName.size === 0) {
      for (const i of this.model.instances) {
        const n = this.known(i, ['name']);
        if (typeof n !== 'string') continue;
        const k = `${i.type}|${n.toLowerCase()}`;
        const list = this.byArmName.get(k);
        if (list) list.push(i);
        else this.byArmName.set(k, [i]);
      }
    }
    return this.byArmName.get(`${type}|${name.toLowerCase()}`) ?? [];
  }

  /** The resource group an instance is in, as written, or a placeholder when it is known only after apply. */
  resourceGroup(inst: Instance): string {
    const v = this.value(inst, ['resource_group_name'], 'name');
    return typeof v === 'string' ? v : unknownPart(`resource group of ${inst.address}`);
  }

  /**
   * An id for an instance whose id the plan does not know yet, in ARM's shape from its resource group and name. The
   * subscription is not in the plan: a placeholder stands for it, another one for each instance that would otherwise
   * have the same id (a provider alias for another subscription).
   */
  syntheticId(inst: Instance, armType: string, name: string): string {
    const rg = this.resourceGroup(inst);
    let id = `/subscriptions/${unknownPart('subscription')}/resourceGroups/${rg}/providers/${armType}/${segment(name)}`;
    if (this.synthetic.has(id.toLowerCase())) id = `/subscriptions/${unknownPart(`subscription of ${inst.address}`)}/resourceGroups/${rg}/providers/${armType}/${segment(name)}`;
    this.synthetic.set(id.toLowerCase(), inst);
    return id;
  }
}
