// Where a finding on a compiled Bicep file is in the Bicep source. The Bicep CLI writes no source map (its
// `sourceMapping` feature stays inside the compiler: `bicep build` prints only the template), so the compiled JSON
// is matched back to the declarations api/bicep-syntax.ts reads:
// - resources: by symbolic name when the template has them (languageVersion 2.0 keys `resources` by the Bicep
//   symbol, `parent::child` for a nested one); otherwise in the order the compiler writes them (every nested resource
//   before the top-level ones, as Bicep's ResourceSymbolVisitor walks its scopes, then the modules), checked type by
//   type, and by type and order within the type when the whole order does not match;
// - inside a resource or module body: property by property along the JSON pointer (a loop's items to its body, a
//   `copy` entry to the property it loops), up to the deepest property that is written as a literal;
// - parameters, variables, outputs, types and functions: by name;
// - a module's nested template: the place in the module's own file (a local .bicep or JSON template) goes in a note,
//   and the finding stays on the `module` line, as the file a finding names is the file that was linted;
// - a .bicepparam: `param` assignments by name; the rest on its `using` line, with the place in the template it
//   names in a note.
import { posix } from 'node:path';
import { compareFindings, loadTemplate, pointerSegments } from '../engine/index.js';
import type { Finding, LintResult, SourceHost, VmReport } from '../engine/index.js';
import type { BicepDecl, BicepProgram, BicepValue, Place } from './bicep-syntax.js';
import { parseBicep } from './bicep-syntax.js';

/** A place in the linted file, and where the thing is declared when that is another file (a module, a `using` target). */
export interface Located {
  readonly place: Place;
  readonly inner?: { readonly file: string; readonly place: Place };
  /** No declaration was found for the pointer: the place is the file's start. */
  readonly unmatched?: true;
}

const FILE_START: Place = { line: 1, column: 1, endLine: 1, endColumn: 1 };
const REMOTE = /^(br|ts)(\/[^:]*)?:/i;

const isIndex = (s: string | undefined): boolean => s !== undefined && /^\d+$/.test(s);

function lookup<T extends { readonly name?: string; readonly key?: string }>(list: readonly T[], name: string, of: (x: T) => string): T | undefined {
  for (const x of list) if (of(x) === name) return x;
  const lower = name.toLowerCase();
  for (const x of list) if (of(x).toLowerCase() === lower) return x;
  return undefined;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A resource or module body without its loop and condition. */
function bodyOf(v: BicepValue | undefined): BicepValue | undefined {
  let b = v;
  while (b && (b.kind === 'for' || b.kind === 'if')) b = b.body;
  return b;
}

function findIn(v: BicepValue | undefined, kind: 'for' | 'if'): Place | undefined {
  let b = v;
  while (b && (b.kind === 'for' || b.kind === 'if')) {
    if (b.kind === kind) return b.at;
    b = b.body;
  }
  return undefined;
}

function nestedOf(d: BicepDecl): readonly BicepDecl[] {
  const b = bodyOf(d.value);
  return b && b.kind === 'object' ? b.nested : [];
}

interface Resource {
  readonly decl: BicepDecl;
  /** The full resource type (`Microsoft.Network/virtualNetworks/subnets`), or the deployments type for a module. */
  readonly type: string;
}

function typeOf(target: string | undefined, parent: string | undefined): string {
  const type = (target ?? '').split('@')[0].replace(/^[A-Za-z]+:/, '');
  return parent === undefined || type.includes('/') ? type : `${parent}/${type}`;
}

/** Nested resources of `d` in the compiler's order: each nested resource's own nested ones first, then the nested ones. */
function nestedInOrder(d: BicepDecl, type: string, out: Resource[]): void {
  const children = nestedOf(d);
  for (const c of children) nestedInOrder(c, typeOf(c.target, type), out);
  for (const c of children) out.push({ decl: c, type: typeOf(c.target, type) });
}

/** The template's own declarations and how its compiled `resources` map to them. */
class TemplateMap {
  private readonly byIndex = new Map<string, BicepDecl>();

  constructor(
    readonly file: string,
    private readonly program: BicepProgram,
    private readonly compiled: Record<string, unknown>,
    private readonly host: SourceHost,
  ) {
    const resources = compiled.resources;
    if (Array.isArray(resources)) this.matchByOrder(resources);
    else if (record(resources)) this.matchBySymbol(record(resources)!);
  }

  private decls(keyword: string): BicepDecl[] {
    const out: BicepDecl[] = [];
    for (const d of this.program.decls) if (d.keyword === keyword) out.push(d);
    return out;
  }

  private matchBySymbol(resources: Record<string, unknown>): void {
    for (const key of Object.keys(resources)) {
      const path = key.split('::');
      let d: BicepDecl | undefined = lookup([...this.decls('resource'), ...this.decls('module')], path[0], (x) => x.name);
      for (let k = 1; d && k < path.length; k++) d = lookup(nestedOf(d), path[k], (x) => x.name);
      if (d) this.byIndex.set(key, d);
    }
  }

  private matchByOrder(resources: readonly unknown[]): void {
    const nested: Resource[] = [];
    const top: Resource[] = [];
    for (const d of this.decls('resource')) {
      const type = typeOf(d.target, undefined);
      nestedInOrder(d, type, nested);
      top.push({ decl: d, type });
    }
    const order: Resource[] = [];
    for (const r of [...nested, ...top]) if (!r.decl.existing) order.push(r);
    for (const d of this.decls('module')) order.push({ decl: d, type: 'Microsoft.Resources/deployments' });
    const typeAt = (i: number): string => String(record(resources[i])?.type ?? '').toLowerCase();
    let same = order.length === resources.length;
    for (let i = 0; same && i < order.length; i++) same = order[i].type.toLowerCase() === typeAt(i);
    if (same) {
      for (let i = 0; i < order.length; i++) this.byIndex.set(String(i), order[i].decl);
      return;
    }
    // The order differs from what this reader expects: pair each compiled resource with the next declaration of its type.
    const used = new Set<number>();
    for (let i = 0; i < resources.length; i++) {
      const j = order.findIndex((r, k) => !used.has(k) && r.type.toLowerCase() === typeAt(i));
      if (j < 0) continue;
      used.add(j);
      this.byIndex.set(String(i), order[j].decl);
    }
  }

  /** Where the value at `segs` of the compiled template is declared. */
  locate(segs: readonly string[]): Located {
    if (segs.length === 0) return { place: FILE_START };
    const [section, name] = segs;
    const named = (keyword: string, n: string | undefined): Located => {
      const d = n === undefined ? undefined : lookup(this.decls(keyword), n, (x) => x.name);
      return d ? { place: d.at } : { place: FILE_START, unmatched: true };
    };
    switch (section) {
      case 'parameters':
        return named('param', name);
      case 'outputs':
        return named('output', name);
      case 'definitions':
        return named('type', name);
      case 'functions':
        return named('func', segs[2] === 'members' ? segs[3] : undefined);
      case 'variables': {
        if (name === 'copy' && isIndex(segs[2])) {
          const copy = record(this.compiled.variables)?.copy;
          return named('var', Array.isArray(copy) ? String(record(copy[Number(segs[2])])?.name ?? '') : undefined);
        }
        return named('var', name);
      }
      case 'resources': {
        const d = name === undefined ? undefined : this.byIndex.get(name);
        if (!d) return { place: FILE_START, unmatched: true };
        const json = record(Array.isArray(this.compiled.resources) ? this.compiled.resources[Number(name)] : record(this.compiled.resources)?.[name]);
        return d.keyword === 'module' ? this.inModule(d, json, segs, 2) : { place: inResource(d, json, segs, 2) };
      }
      default:
        return { place: FILE_START };
    }
  }

  private inModule(d: BicepDecl, json: Record<string, unknown> | undefined, segs: readonly string[], k: number): Located {
    const body = bodyOf(d.value);
    if (segs[k] === 'properties' && segs[k + 1] === 'parameters' && segs[k + 2] !== undefined && body?.kind === 'object') {
      const params = lookup(body.props, 'params', (p) => p.key);
      const p = params?.value.kind === 'object' ? lookup(params.value.props, segs[k + 2], (x) => x.key) : undefined;
      if (p) return { place: segs[k + 3] === 'value' ? walk(p.value, segs, k + 4, p.at, undefined) : p.at };
      return { place: params?.at ?? d.at };
    }
    if (segs[k] === 'properties' && segs[k + 1] === 'template') {
      const inner = this.moduleTemplate(d, record(record(json?.properties)?.template), segs.slice(k + 2));
      return inner ? { place: d.at, inner } : { place: d.at };
    }
    return { place: inResource(d, json, segs, k) };
  }

  /** Where a pointer into a module's nested template is in the module's own file (a local .bicep or JSON template). */
  private moduleTemplate(d: BicepDecl, template: Record<string, unknown> | undefined, rest: readonly string[]): Located['inner'] {
    const path = d.target;
    if (!path || REMOTE.test(path) || !template) return undefined;
    const file = posix.normalize(posix.join(posix.dirname(this.file), path.replace(/\\/g, '/')));
    const text = this.host.readText(file);
    if (typeof text !== 'string') return undefined;
    if (/\.bicep$/i.test(file)) {
      const loc = new TemplateMap(file, parseBicep(text), template, this.host).locate(rest);
      if (loc.inner) return loc.inner;
      return loc.unmatched ? undefined : { file, place: loc.place };
    }
    const place = jsonPlace(file, text, rest);
    return place ? { file, place } : undefined;
  }
}

/** The place of a pointer in a JSON template's text (a module or `using` target that is not Bicep). */
function jsonPlace(file: string, text: string, segs: readonly string[]): Place | undefined {
  const doc = loadTemplate(file, text);
  if (doc.problems.length > 0) return undefined;
  let pointer = '';
  for (const s of segs) pointer += `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const r = doc.range(pointer);
  const a = doc.lineColumn(r.offset);
  return { line: a.line + 1, column: a.column + 1, endLine: a.line + 1, endColumn: a.column + 1 };
}

/** Inside a resource (or a module's own properties): its loop, its condition, or a property of its body. */
function inResource(d: BicepDecl, json: Record<string, unknown> | undefined, segs: readonly string[], k: number): Place {
  if (segs[k] === 'copy') return findIn(d.value, 'for') ?? d.at;
  if (segs[k] === 'condition') return findIn(d.value, 'if') ?? d.at;
  const body = bodyOf(d.value);
  return body ? walk(body, segs, k, d.at, json) : d.at;
}

/** Where an array item is: its `name` property when it has one (ARM names the items of most arrays), else `fallback`. */
function itemPlace(item: BicepValue, fallback: Place): Place {
  if (item.kind !== 'object') return fallback;
  return lookup(item.props, 'name', (p) => p.key)?.at ?? fallback;
}

/**
 * Follows `segs` from `k` through a Bicep value; `here` is where the value is written (its key), `json` the compiled
 * value at the same place (it names what a `copy` entry loops). Stops at the deepest place the source spells out.
 */
function walk(v: BicepValue, segs: readonly string[], k: number, here: Place, json: unknown): Place {
  if (k >= segs.length) return here;
  const seg = segs[k];
  switch (v.kind) {
    case 'object': {
      const obj = record(json);
      if (seg === 'copy' && Array.isArray(obj?.copy) && isIndex(segs[k + 1])) {
        const entry = record(obj.copy[Number(segs[k + 1])]);
        const p = lookup(v.props, String(entry?.name ?? ''), (x) => x.key);
        if (!p) return here;
        if (segs[k + 2] !== 'input' || p.value.kind !== 'for') return p.at;
        return walk(p.value.body, segs, k + 3, p.at, entry?.input);
      }
      const p = lookup(v.props, seg, (x) => x.key);
      return p ? walk(p.value, segs, k + 1, p.at, obj?.[p.key]) : here;
    }
    case 'array': {
      const item = isIndex(seg) ? v.items[Number(seg)] : undefined;
      return item ? walk(item, segs, k + 1, itemPlace(item, item.at), Array.isArray(json) ? json[Number(seg)] : undefined) : here;
    }
    case 'for':
      // An item of a looped property (`ipConfigurations: [for …: {…}]`): every item is the loop's body.
      return isIndex(seg) ? walk(v.body, segs, k + 1, itemPlace(v.body, v.at), undefined) : here;
    case 'if':
      return walk(v.body, segs, k, here, json);
    default:
      return here;
  }
}

/** Maps JSON pointers of a compiled Bicep input to places in its source; built once per linted file. */
export class BicepPositions {
  private readonly located = new Map<string, Located>();
  /** A .bicep file's map. */
  private readonly map: TemplateMap | undefined;
  /** A .bicepparam's declarations (its `param` assignments and `using`), and the compiled template `using` names. */
  private readonly params: BicepProgram | undefined;
  private readonly compiled: Record<string, unknown> | undefined;

  constructor(
    readonly file: string,
    readonly kind: 'bicep' | 'bicepparam',
    compiledTemplate: string,
    private readonly host: SourceHost,
  ) {
    const text = host.readText(file);
    try {
      this.compiled = record(JSON.parse(compiledTemplate));
    } catch {
      this.compiled = undefined;
    }
    if (typeof text !== 'string' || !this.compiled) return;
    const program = parseBicep(text);
    if (kind === 'bicep') this.map = new TemplateMap(file, program, this.compiled, host);
    else this.params = program;
  }

  /** Where the value at `pointer` of the compiled template is. */
  locate(pointer: string): Located {
    let hit = this.located.get(pointer);
    if (hit === undefined) {
      hit = this.find(pointerSegments(pointer));
      this.located.set(pointer, hit);
    }
    return hit;
  }

  private find(segs: readonly string[]): Located {
    if (segs.length === 0) return { place: FILE_START };
    if (this.map) return this.map.locate(segs);
    if (!this.params) return { place: FILE_START, unmatched: true };
    if (segs[0] === 'parameters' && segs[1] !== undefined) {
      const p = lookup(this.params.decls.filter((d) => d.keyword === 'param'), segs[1], (d) => d.name);
      if (p) return { place: p.at };
    }
    const using = this.params.decls.find((d) => d.keyword === 'using');
    if (!using) return { place: FILE_START, unmatched: true };
    const inner = this.usingPlace(using, segs);
    return inner ? { place: using.at, inner } : { place: using.at };
  }

  /** The place in the template a .bicepparam's `using` names. */
  private usingPlace(using: BicepDecl, segs: readonly string[]): Located['inner'] {
    const path = using.target;
    if (!path || REMOTE.test(path) || !this.compiled) return undefined;
    const file = posix.normalize(posix.join(posix.dirname(this.file), path.replace(/\\/g, '/')));
    const text = this.host.readText(file);
    if (typeof text !== 'string') return undefined;
    if (/\.bicep$/i.test(file)) {
      const loc = new TemplateMap(file, parseBicep(text), this.compiled, this.host).locate(segs);
      if (loc.inner) return loc.inner;
      return loc.unmatched ? undefined : { file, place: loc.place };
    }
    const place = jsonPlace(file, text, segs);
    return place ? { file, place } : undefined;
  }

  /** The sentence a finding's help gets for this place, if any. */
  note(pointer: string, loc: Located): string | undefined {
    if (loc.unmatched) return `egress-lint found no Bicep declaration for ${pointer} of the compiled JSON (\`bicep build ${this.file} --stdout\` prints it), so the position is the start of the file.`;
    if (!loc.inner) return undefined;
    const at = `${loc.inner.file}:${loc.inner.place.line}:${loc.inner.place.column}`;
    return this.kind === 'bicep' ? `It is declared at ${at}, which the module on this line compiles into this file.` : `It is declared at ${at}, in the template that 'using' names.`;
  }
}

/**
 * The result with the positions of its own file's findings and VMs moved from the compiled JSON to the Bicep source
 * (a finding's help names the module file or `using` target where it is declared, when that is another file).
 */
export function placeInBicep(r: LintResult, positions: BicepPositions): LintResult {
  const file = positions.file;
  let findings: Finding[] | undefined;
  for (let i = 0; i < r.findings.length; i++) {
    const f = r.findings[i];
    if (f.file !== file) continue;
    const loc = positions.locate(f.pointer);
    const note = positions.note(f.pointer, loc);
    const p = loc.place;
    (findings ??= r.findings.slice())[i] = { ...f, line: p.line, column: p.column, endLine: p.endLine, endColumn: p.endColumn, ...(note ? { help: f.help ? `${f.help} ${note}` : note } : {}) };
  }
  let vms: VmReport[] | undefined;
  for (let i = 0; i < r.vms.length; i++) {
    const v = r.vms[i];
    if (v.file !== file) continue;
    const p = positions.locate(v.pointer).place;
    (vms ??= r.vms.slice())[i] = { ...v, line: p.line, column: p.column };
  }
  // Findings stay in file, line, column order (the report's order), now the Bicep one.
  if (findings) findings.sort(compareFindings);
  return findings || vms ? { ...r, ...(findings ? { findings } : {}), ...(vms ? { vms } : {}) } : r;
}
