// Where a finding about a translated resource points: the graph places it in the resource's ARM-shaped body (a
// pointer below the instance's entry, such as `…/resources/3/properties/ipConfigurations/0`); this turns that back
// into the attribute Terraform wrote (`…/resources/3/values/ip_configuration/0`), in the plan or state JSON, or in the
// resource block of a .tf file when the module's source is there. Imports template/ only, besides engine/terraform/.
import type { Location } from '../template/finding.js';
import type { LineColumn, LoadProblem, SourceRange, TemplateDoc } from '../template/template.js';
import { pointerJoin, pointerSegments } from '../template/template.js';
import type { Instance } from './plan.js';
import type { Step } from './references.js';
import type { ArmPath } from './translation.js';
import type { Wording } from './wording.js';

/** Where an instance's block is written in a .tf file (a document whose pointers follow the HCL block structure). */
export interface Block {
  readonly file: string;
  /** The pointer of the resource block (`/resource/azurerm_lb/lb`, `/data/azurerm_subnet/s`). */
  readonly pointer: string;
  /** True when a pointer names something written in the block (a nested block by index, an argument). */
  readonly has: (pointer: string) => boolean;
  /** The expression an argument of the block is written with, when the pointer names one. */
  readonly expression: (pointer: string) => string | undefined;
}

/** Where part of a translated body is written (translation.ts's Place, with azapi's mirror). */
export interface Source {
  readonly arm: ArmPath;
  readonly inst: Instance;
  readonly path: readonly Step[];
  /** The rest of the ARM pointer is the same path in the Terraform value (an azapi_resource's `body`). */
  readonly mirror?: true;
}

/** The members of a values representation or resource change entry: a pointer through them is a real one. */
const ENTRY_KEYS = new Set(['address', 'mode', 'type', 'index', 'provider_name', 'schema_version', 'values', 'sensitive_values', 'change', 'module_address', 'action_reason', 'previous_address']);

/** The deepest pointer below `base` along `path` that exists in a JSON value. */
export function deepest(root: unknown, base: string, path: readonly (string | number)[]): string {
  let cur: unknown = root;
  const segments = base === '' ? [] : base.slice(1).split('/');
  for (const s of segments) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (cur !== null && typeof cur === 'object') cur = Object.prototype.hasOwnProperty.call(cur, s) ? (cur as Record<string, unknown>)[s] : undefined;
    else return base;
  }
  let out = base;
  for (const s of path) {
    if (Array.isArray(cur) && typeof s === 'number' && s < cur.length) cur = cur[s];
    else if (cur !== null && typeof cur === 'object' && !Array.isArray(cur) && typeof s === 'string' && Object.prototype.hasOwnProperty.call(cur, s)) cur = (cur as Record<string, unknown>)[s];
    else break;
    out = pointerJoin(out, s);
  }
  return out;
}

/** The ARM-shaped places of one plan's translated resources, and where each is written. */
export class Placement {
  /** The places of each translated resource, by the pointer of its entry (what its ARM-shaped pointers start with). */
  private readonly resources = new Map<string, readonly Source[]>();
  /** The .tf block of each instance, when its module's source was read. */
  readonly blocks = new Map<Instance, Block>();

  constructor(
    private readonly file: string,
    private readonly root: unknown,
  ) {}

  /** Records the places of the resource whose entry is at `at`. */
  addResource(at: string, places: readonly Source[]): void {
    this.resources.set(at, places);
  }

  /** Where an ARM-shaped pointer below a translated resource's entry is written; undefined for any other pointer. */
  place(pointer: string): Location | undefined {
    let p = pointer;
    let places = this.resources.get(p);
    while (!places) {
      const cut = p.lastIndexOf('/');
      if (cut <= 0) return undefined;
      p = p.slice(0, cut);
      places = this.resources.get(p);
    }
    const rest = p.length === pointer.length ? [] : pointerSegments(pointer.slice(p.length));
    // A pointer into the entry as Terraform wrote it (a problem found reading it) is already where it belongs.
    if (rest.length > 0 && ENTRY_KEYS.has(rest[0])) return undefined;
    let best: Source | undefined;
    for (const src of places) {
      if (src.arm.length > rest.length || (best && best.arm.length >= src.arm.length)) continue;
      let match = true;
      for (let i = 0; match && i < src.arm.length; i++) match = String(src.arm[i]) === rest[i];
      if (match) best = src;
    }
    if (!best) return undefined;
    if (best.mirror && best.arm.length === rest.length) return this.locate(best.inst, []);
    if (!best.mirror) return this.locate(best.inst, best.path);
    const steps: Step[] = [...best.path];
    for (const seg of rest.slice(best.arm.length)) steps.push(/^(0|[1-9]\d*)$/.test(seg) ? Number(seg) : seg);
    return this.locate(best.inst, steps);
  }

  /** The place of an attribute path of an instance: in its .tf block when read, else in the JSON. */
  locate(inst: Instance, path: readonly Step[]): Location {
    const block = this.blocks.get(inst);
    if (block) {
      let p = block.pointer;
      for (const s of path) {
        const next = pointerJoin(p, s);
        if (!block.has(next)) break;
        p = next;
      }
      return { file: block.file, pointer: p };
    }
    const base = inst.valuesKey === 'values' ? pointerJoin(inst.pointer, 'values') : pointerJoin(pointerJoin(inst.pointer, 'change'), inst.valuesKey === 'change/before' ? 'before' : 'after');
    const at = deepest(this.root, base, path);
    if (path.length === 0) return { file: this.file, pointer: inst.pointer };
    // A value known only after apply is not in the known values: where the plan says so is closer.
    if (inst.changePointer !== undefined) {
      const unknownBase = pointerJoin(pointerJoin(inst.changePointer, 'change'), 'after_unknown');
      const u = deepest(this.root, unknownBase, path);
      if (u.length - unknownBase.length > at.length - base.length) return { file: this.file, pointer: u };
    }
    if (at !== base) return { file: this.file, pointer: at };
    return { file: this.file, pointer: inst.pointer };
  }
}

/** A plan or state document whose ARM-shaped pointers are placed where Terraform wrote them. */
export class PlacedDoc implements TemplateDoc {
  constructor(
    private readonly doc: TemplateDoc,
    private readonly placement: Placement,
    private readonly wording: Wording,
  ) {}
  get file(): string {
    return this.doc.file;
  }
  get text(): string {
    return this.doc.text;
  }
  get value(): unknown {
    return this.doc.value;
  }
  get problems(): readonly LoadProblem[] {
    return this.doc.problems;
  }
  range(pointer: string): SourceRange {
    return this.doc.range(pointer);
  }
  start(pointer: string): number {
    return this.doc.start(pointer);
  }
  lineColumn(offset: number): LineColumn {
    return this.doc.lineColumn(offset);
  }
  place(pointer: string): Location | undefined {
    return this.placement.place(pointer);
  }
  reword(pointer: string, text: string): string {
    return this.wording.reword(pointer, text);
  }
}
