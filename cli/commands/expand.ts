// `egress-lint expand <template>`: prints the expanded resources as JSON, unknowns as {"$unknown": "<origin>"}.
import { resolve } from 'node:path';
import { expandDocument, hasPlaceholder, loadTemplate, showPlaceholders } from '../../engine/index.js';
import type { DocumentInput, RawFinding, TemplateDoc } from '../../engine/index.js';
import { parameterFileFor } from '../../api/discover.js';
import { UsageError } from '../../api/errors.js';
import { diskHost, readTemplateText } from '../../api/files.js';
import type { Io } from '../io.js';
import type { Flags } from '../main.js';

export const EXPAND_HELP = `Usage: egress-lint expand <template> [--parameters <file>] [--output <file>]

Prints the resources Azure would deploy from the template, as JSON: copy loops expanded,
conditions applied, nested deployments flattened, every expression evaluated. Values that
are known only at deployment print as {"$unknown": "<why>"}; findings go to stderr.
Given a Terraform plan or state (terraform show -json), prints the ARM resources it is read
as, each with its Terraform address as symbolicName.
`;

export function readJsonFile(io: Io, file: string, what: string) {
  // The lint command's reader: the same size cap, encodings and binary check (a 100 MB file or /dev/zero is refused).
  const text = readTemplateText(resolve(io.cwd, file), { pipes: true });
  if (typeof text !== 'string') throw new UsageError(`Cannot read the ${what} ${file}: ${text.error.charAt(0).toLowerCase()}${text.error.slice(1)}`);
  return loadTemplate(file, text);
}

/** Placeholders as outputs show them, `{vmName}-nic`, in values and keys (an Unknown's origin included: toJSON runs first). */
function shown(_key: string, v: unknown): unknown {
  if (typeof v === 'string') return showPlaceholders(v);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(v)) if (hasPlaceholder(k)) out ??= {};
  if (!out) return v;
  for (const [k, x] of Object.entries(v)) out[showPlaceholders(k)] = x;
  return out;
}

/** JSON text of a value for printing; a value nested too deeply for JSON.stringify is a message, not a crash. */
export function printable(value: unknown, what: string): string {
  try {
    return JSON.stringify(value, shown, 2) + '\n';
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw Object.assign(new UsageError(`${what} nests too deeply to print as JSON.`), { noHint: true });
  }
}

/** The parameter file of a template: --parameters, else <name>.parameters.json beside it when that exists. */
export function parameterFileOf(io: Io, template: string, flags: Flags): string | undefined {
  if (flags.parameters) {
    // Read here so a missing file stops the run (exit 2) like a missing template, not as a finding.
    readJsonFile(io, flags.parameters, 'parameter file');
    return flags.parameters;
  }
  const guess = parameterFileFor(template);
  return typeof readTemplateText(resolve(io.cwd, guess)) === 'string' ? guess : undefined;
}

/** The document input of a template for expand and eval: its text (given) and its parameter file. */
export function documentFor(io: Io, file: string, text: string, flags: Flags): DocumentInput {
  const parameters = parameterFileOf(io, file, flags);
  return { file, text, ...(parameters !== undefined ? { parameters: { file: parameters } } : {}) };
}

/** A problem as one stderr line: file:line:column: message [rule]. */
export function problemLine(f: RawFinding, docs: ReadonlyMap<string, TemplateDoc>): string {
  const doc = docs.get(f.at.file);
  const pos = doc ? doc.lineColumn(f.at.offset ?? doc.start(f.at.pointer)) : { line: 0, column: 0 };
  return `${f.at.file}:${pos.line + 1}:${pos.column + 1}: ${showPlaceholders(f.message)} [${f.ruleId}]\n`;
}

export function expandCommand(args: string[], flags: Flags, io: Io, scope: Record<string, string>, write: (io: Io, flags: Flags, text: string) => void): number {
  if (flags.help) {
    io.stdout.write(EXPAND_HELP);
    return 0;
  }
  if (args.length !== 1) throw new UsageError('expand takes exactly one template.');
  const doc = readJsonFile(io, args[0], 'template');
  const input = documentFor(io, doc.file, doc.text, flags);
  const { deployment: d, problems, docs } = expandDocument(input, { scope, host: diskHost(io.cwd) });
  const params = input.parameters && 'file' in input.parameters ? { file: input.parameters.file } : {};
  const out = {
    template: doc.file,
    ...(params.file ? { parameters: params.file } : {}),
    resources: d.resources.map((r) => ({
      id: r.id,
      type: r.type,
      name: r.name,
      ...(r.symbolicName !== undefined ? { symbolicName: r.symbolicName } : {}),
      apiVersion: r.apiVersion,
      ...(r.condition !== true ? { condition: r.condition } : {}),
      ...(r.existing ? { existing: true } : {}),
      ...(r.deployments.length ? { deployments: r.deployments } : {}),
      at: `${r.at.file}#${r.at.pointer}`,
      ...r.body,
    })),
    outputs: d.outputs,
    unresolved: d.unresolved.map((u) => ({ name: u.name, at: `${u.at.file}#${u.at.pointer}`, reason: u.reason })),
  };
  write(io, flags, printable(out, `The expansion of ${doc.file}`));
  for (const f of problems) io.stderr.write(problemLine(f, docs));
  return problems.length > 0 ? 1 : 0;
}
