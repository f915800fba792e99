// `egress-lint expand <template>`: prints the expanded resources as JSON, unknowns as {"$unknown": "<origin>"}.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expand, loadTemplate, readParameterFile } from '../../engine/index.js';
import type { Value } from '../../engine/index.js';
import type { Io } from '../io.js';
import { UsageError } from '../io.js';
import { fileLinkResolver, readTemplateText } from '../links.js';
import { parameterFileFor } from '../discover.js';
import type { Flags } from '../main.js';

export const EXPAND_HELP = `Usage: egress-lint expand <template> [--parameters <file>] [--output <file>]

Prints the resources Azure would deploy from the template, as JSON: copy loops expanded,
conditions applied, nested deployments flattened, every expression evaluated. Values that
are known only at deployment print as {"$unknown": "<why>"}; findings go to stderr.
`;

export function readJsonFile(io: Io, file: string, what: string) {
  // The lint command's reader: the same size cap, encodings and binary check (a 100 MB file or /dev/zero is refused).
  const text = readTemplateText(resolve(io.cwd, file), { pipes: true });
  if (typeof text !== 'string') throw new UsageError(`Cannot read the ${what} ${file}: ${text.error.charAt(0).toLowerCase()}${text.error.slice(1)}`);
  return loadTemplate(file, text);
}

/** JSON text of a value for printing; a value nested too deeply for JSON.stringify is a message, not a crash. */
export function printable(value: unknown, what: string): string {
  try {
    return JSON.stringify(value, null, 2) + '\n';
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw Object.assign(new UsageError(`${what} nests too deeply to print as JSON.`), { noHint: true });
  }
}

export function parametersFor(io: Io, template: string, flags: Flags): { values?: Record<string, Value>; file?: string } {
  let file = flags.parameters;
  if (!file) {
    const guess = parameterFileFor(template);
    try {
      readFileSync(resolve(io.cwd, guess));
      file = guess;
    } catch {
      return {};
    }
  }
  const read = readParameterFile(readJsonFile(io, file, 'parameter file'));
  for (const f of read.findings) io.stderr.write(`${f.at.file}: ${f.message} [${f.ruleId}]\n`);
  return { values: read.values, file };
}

export function expandCommand(args: string[], flags: Flags, io: Io, scope: Record<string, string>, write: (io: Io, flags: Flags, text: string) => void): number {
  if (flags.help) {
    io.stdout.write(EXPAND_HELP);
    return 0;
  }
  if (args.length !== 1) throw new UsageError('expand takes exactly one template.');
  const doc = readJsonFile(io, args[0], 'template');
  const params = parametersFor(io, args[0], flags);
  const d = expand(doc, { scope, resolveLink: fileLinkResolver(io.cwd, io.cwd), ...(params.values ? { parameters: params.values, parametersFile: params.file } : {}) });
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
  for (const f of d.findings) {
    const doc2 = d.docs.get(f.at.file);
    const pos = doc2 ? doc2.lineColumn(doc2.start(f.at.pointer)) : { line: 0, column: 0 };
    io.stderr.write(`${f.at.file}:${pos.line + 1}:${pos.column + 1}: ${f.message} [${f.ruleId}]\n`);
  }
  return d.findings.length > 0 ? 1 : 0;
}
