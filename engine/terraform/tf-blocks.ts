// The .tf blocks of a plan's resources, when the source of their modules is beside the plan: the root module is the
// plan file's folder (terraform show -json runs there), a module called with a local `source` (./modules/net) is
// that folder below its caller's, and a registry or git module is where `terraform init` put it
// (.terraform/modules/modules.json: each module's key, the call names joined by '.', and its folder). Each instance
// is found by `resource "TYPE" "NAME"` (or `data`) in the .tf files of its module's folder. The host reads the files.
// Imports template/ only, besides engine/terraform/.
import type { TemplateDoc } from '../template/template.js';
import type { ConfigModule, Instance, Model } from './plan.js';
import { member, moduleSteps } from './plan.js';
import type { Placement } from './placement.js';
import { HclDoc } from './hcl.js';

/** What the front-end needs to read module sources (the lint pipeline's SourceHost). */
export interface TfSourceHost {
  readText(file: string): string | { readonly error: string };
  /** The files of a folder (named as `readText` takes them), or undefined when it cannot be listed. */
  listFiles?(dir: string): readonly string[] | undefined;
}

/** A folder path joined and normalised with '/' ('' is the working directory). */
function join(dir: string, rel: string): string {
  const out: string[] = [];
  for (const part of `${dir}/${rel}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

function folderOf(file: string): string {
  const cut = file.lastIndexOf('/');
  return cut < 0 ? '' : file.slice(0, cut);
}

/** Reads module folders and their .tf files once each. */
class Sources {
  private readonly docs = new Map<string, HclDoc[]>();
  private installed: Map<string, string> | undefined;

  constructor(
    private readonly host: TfSourceHost,
    private readonly rootDir: string,
  ) {}

  /** `terraform init`'s record of where it installed each module call (by key `net` or `net.subnet`). */
  private modulesJson(): Map<string, string> {
    if (this.installed) return this.installed;
    this.installed = new Map();
    const text = this.host.readText(join(this.rootDir, '.terraform/modules/modules.json'));
    if (typeof text !== 'string') return this.installed;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      return this.installed;
    }
    const list = member(v, 'Modules');
    if (Array.isArray(list)) {
      for (const m of list) {
        const key = member(m, 'Key');
        const dir = member(m, 'Dir');
        if (typeof key === 'string' && typeof dir === 'string' && key !== '') this.installed.set(key, join(this.rootDir, dir));
      }
    }
    return this.installed;
  }

  /** The folder of a module instance's source, or undefined when it is not on disk. */
  folder(root: ConfigModule | undefined, moduleAddress: string): string | undefined {
    // State has no configuration: only its root module's resources are found (in the state file's folder).
    let dir = this.rootDir;
    let m = root;
    const names: string[] = [];
    for (const step of moduleSteps(moduleAddress)) {
      const call = m?.calls.get(step.name);
      if (!call) return undefined;
      names.push(step.name);
      if (/^\.\.?\//.test(call.source)) dir = join(dir, call.source);
      else {
        const installed = this.modulesJson().get(names.join('.'));
        if (installed === undefined) return undefined;
        dir = installed;
      }
      m = call.module;
    }
    return dir;
  }

  /** The .tf files of a folder, read. */
  files(dir: string): readonly HclDoc[] {
    let docs = this.docs.get(dir);
    if (docs) return docs;
    docs = [];
    for (const f of this.host.listFiles?.(dir) ?? []) {
      if (!f.endsWith('.tf')) continue;
      const text = this.host.readText(f);
      if (typeof text === 'string') docs.push(new HclDoc(f, text));
    }
    this.docs.set(dir, docs);
    return docs;
  }
}

/**
 * Finds the .tf block of every instance whose module source is on disk, records it in the placement, and returns
 * the .tf documents read (for positions).
 */
export function readBlocks(host: TfSourceHost, planFile: string, placement: Placement, instances: readonly Instance[], model: Model): ReadonlyMap<string, TemplateDoc> {
  const out = new Map<string, TemplateDoc>();
  if (!host.listFiles) return out;
  const sources = new Sources(host, folderOf(planFile));
  const folders = new Map<string, string | undefined>();
  for (const inst of instances) {
    let dir = folders.get(inst.module);
    if (!folders.has(inst.module)) {
      dir = sources.folder(model.root, inst.module);
      folders.set(inst.module, dir);
    }
    if (dir === undefined) continue;
    const pointer = `/${inst.mode === 'data' ? 'data' : 'resource'}/${inst.type}/${inst.name}`;
    for (const doc of sources.files(dir)) {
      if (!doc.has(pointer)) continue;
      placement.blocks.set(inst, { file: doc.file, pointer, has: (p) => doc.has(p), expression: (p) => doc.expression(p) });
      out.set(doc.file, doc);
      break;
    }
  }
  return out;
}
