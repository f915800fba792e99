// The resources of a plan or state in ARM's shape, as they are being built: each one's body, and where each part of
// the body comes from (the attribute of the instance, or of the association resource folded into it), so findings
// point back at what Terraform wrote. Imports template/, expressions/ and resources/ only.
import type { RawFinding } from '../template/finding.js';
import type { UnresolvedDeployment } from '../resources/types.js';
import { Unknown, isObject } from '../expressions/value.js';
import type { Value } from '../expressions/value.js';
import type { Instance } from './plan.js';
import type { Identity, Reader } from './reader.js';
import type { Step } from './references.js';

export type ArmPath = readonly (string | number)[];

/** Where part of a translated body is written: an attribute path of an instance ([] for the instance itself). */
export interface Place {
  readonly arm: ArmPath;
  readonly inst: Instance;
  readonly path: readonly Step[];
  /** The rest of the ARM path is the same path below `path` (an azapi_resource's body is ARM's). */
  readonly mirror?: true;
}

/** One resource in ARM's shape, still being built. */
export interface Translated {
  readonly inst: Instance;
  readonly ident: Identity;
  readonly body: Record<string, Value>;
  readonly places: Place[];
  /** A data source: Terraform reads it, the plan does not deploy it (ARM's `existing`). */
  readonly existing: boolean;
  /** The ARM API version, when the resource names one (an azapi_resource's type): some defaults depend on it. */
  apiVersion: string;
}

/** A part of a resource that an association resource changes: the resource and the path of the object to change. */
export interface Part {
  readonly t: Translated;
  readonly base: ArmPath;
}

/** Sets a value at an ARM path of a body, making the objects and arrays on the way. */
export function setAt(body: Record<string, Value>, path: ArmPath, v: Value): void {
  let cur = body as Record<string | number, Value>;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i];
    let next = cur[k];
    if (!(isObject(next) || Array.isArray(next))) {
      next = typeof path[i + 1] === 'number' ? [] : obj();
      cur[k] = next;
    }
    cur = next as Record<string | number, Value>;
  }
  cur[path[path.length - 1]] = v;
}

/** The value at an ARM path of a body. */
export function getAt(body: Value, path: ArmPath): Value | undefined {
  let cur: Value | undefined = body;
  for (const k of path) {
    if (typeof k === 'number') cur = Array.isArray(cur) ? (cur as readonly Value[])[k] : undefined;
    else cur = isObject(cur) ? cur[k] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** The translation of one plan: its resources by id, and what could not be folded into them. */
export class Translation {
  readonly list: Translated[] = [];
  private readonly byKey = new Map<string, Translated>();
  readonly unresolved: UnresolvedDeployment[] = [];
  readonly findings: RawFinding[] = [];

  constructor(
    readonly reader: Reader,
    readonly file: string,
  ) {}

  add(t: Translated): void {
    this.list.push(t);
    const k = t.ident.id.toLowerCase();
    if (!this.byKey.has(k)) this.byKey.set(k, t);
  }

  /** The translated resource with this id, if the plan has it. */
  find(id: Value | undefined): Translated | undefined {
    return typeof id === 'string' ? this.byKey.get(id.replace(/\/+$/, '').toLowerCase()) : undefined;
  }

  /**
   * The part of a resource an id names: a resource of the plan, or an inline child of one (a subnet written in its
   * VNet, a frontend in its load balancer) under `list` (`subnets`), matched by name.
   */
  part(id: Value | undefined, list?: string): Part | undefined {
    const t = this.find(id);
    if (t) return { t, base: [] };
    if (typeof id !== 'string' || list === undefined) return undefined;
    const cut = id.replace(/\/+$/, '').lastIndexOf('/');
    const parentCut = cut > 0 ? id.lastIndexOf('/', cut - 1) : -1;
    if (parentCut < 0 || id.slice(parentCut + 1, cut).toLowerCase() !== list.toLowerCase()) return undefined;
    const parent = this.find(id.slice(0, parentCut));
    const name = id.slice(cut + 1).toLowerCase();
    const entries = parent ? getAt(parent.body, ['properties', list]) : undefined;
    if (!parent || !Array.isArray(entries)) return undefined;
    for (let i = 0; i < entries.length; i++) {
      const n = getAt(entries[i] as Value, ['name']);
      if (typeof n === 'string' && n.toLowerCase() === name) return { t: parent, base: ['properties', list, i] };
    }
    return undefined;
  }

  /**
   * An association resource whose target is known only after apply and cannot be followed: whatever it changes could
   * be any resource of the plan, so every path stays unknown, naming it (contract: never a guess).
   */
  unfollowable(inst: Instance, attr: string, why: Unknown): void {
    this.unresolved.push({ name: inst.address, at: { file: this.file, pointer: inst.pointer }, reason: `which resource its ${attr} names is not known (${why.origin})`, what: `association '${inst.address}'` });
  }
}

/** A value and the attribute it was read from, written into a body and placed. */
export function put(t: Translated, arm: ArmPath, v: Value | undefined, path?: readonly Step[], from: Instance = t.inst): void {
  if (v === undefined) return;
  setAt(t.body, arm, v);
  if (path) t.places.push({ arm, inst: from, path });
}

/** Records that an entry of a body (an ipconfig, a subnet, a route) is written at a block of the instance. */
export function block(t: Translated, arm: ArmPath, path: readonly Step[]): void {
  t.places.push({ arm, inst: t.inst, path });
}

/** An ARM reference object (`{ "id": … }`) for an id, or undefined when there is none. */
export function idRef(id: Value | undefined): Value | undefined {
  if (id === undefined || id === null || id === '') return undefined;
  return { id };
}

/**
 * A new empty object for a translated body. Its keys are ARM's property names, which the translators write, never
 * keys from the plan: a plain object (a prototype-less one is a slow dictionary in V8, and bodies are many).
 */
export function obj(): Record<string, Value> {
  return {};
}

export { Unknown };
