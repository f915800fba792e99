// Where a finding about a translated resource points: the graph places it in the resource's ARM-shaped body (a
// pointer below the instance's entry, such as `…/resources/3/properties/ipConfigurations/0`); this turns that back
// into the attribute Terraform wrote (`…/resources/3/values/ip_configuration/0`), in the plan or state JSON, or in the
// resource block of a .tf file when the module's source is there. Imports template/ only, besides engine/terraform/.
import type { Location } from '../template/finding.js';
import type { LineColumn, LoadProblem, SourceRange, TemplateDoc } from '../template/template.js';
import { pointerJoin } from '../template/template.js';
import type { Instance } from './plan.js';
import type { Step } from './references.js';
import type { ArmPath } from './translation.js';

/** Where an instance's block is written in a .tf file (a document whose pointers follow the HCL block structure). */
export interface Block {
  readonly file: string;
  /** The pointer of the resource block (`/resource/azurerm_lb/lb`, `/data/azurerm_subnet/s`). */
  readonly pointer: string;
  /** True when a pointer names something written in the block (a nested block by index, an argument). */
  readonly has: (pointer: string) => boolean;
}

interface Source {
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
  private readonly sources = new Map<string, Source>();
  /** The .tf block of each instance, when its module's source was read. */
  readonly blocks = new Map<Instance, Block>();

  constructor(
    private readonly file: string,
    private readonly root: unknown,
  ) {}

  /** Records that the ARM path `arm` of the resource whose entry is at `at` is written at `path` of `inst`. */
  add(at: string, arm: ArmPath, inst: Instance, path: readonly Step[], mirror?: true): void {
    let p = at;
    for (const s of arm) p = pointerJoin(p, s);
    this.sources.set(p, mirror ? { inst, path, mirror } : { inst, path });
  }

  /** Where an ARM-shaped pointer below a translated resource's entry is written; undefined for any other pointer. */
  place(pointer: string): Location | undefined {
    let p = pointer;
    for (;;) {
      const hit = this.sources.get(p);
      // A pointer into the entry as Terraform wrote it (a problem found reading it) is already where it belongs.
      if (hit && hit.path.length === 0 && !hit.mirror && p.length < pointer.length && ENTRY_KEYS.has(pointer.slice(p.length + 1).split('/')[0])) return undefined;
      if (hit) {
        if (!hit.mirror || p.length === pointer.length) return this.locate(hit.inst, hit.path);
        const rest = pointer.slice(p.length + 1).split('/');
        const steps: Step[] = [];
        for (const s of rest) steps.push(/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~'));
        return this.locate(hit.inst, [...hit.path, ...steps]);
      }
      const cut = p.lastIndexOf('/');
      if (cut <= 0) return undefined;
      p = p.slice(0, cut);
    }
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
    const base = inst.valuesKey === 'values' ? pointerJoin(inst.pointer, 'values') : pointerJoin(pointerJoin(inst.pointer, 'change'), 'after');
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
}
