// `egress-lint eval "<expression>"`: evaluates one ARM expression, alone or in the context of a template
// (its parameters, variables, functions and resources), by adding it as an output and expanding.
import { expandDocument, loadTemplate, isObject, isTerraformJson, showPlaceholders } from '../../engine/index.js';
import type { Value } from '../../engine/index.js';
import { UsageError } from '../../api/errors.js';
import { diskHost } from '../../api/files.js';
import type { Io } from '../io.js';
import type { Flags } from '../main.js';
import { documentFor, printable, readJsonFile } from './expand.js';

export const EVAL_HELP = `Usage: egress-lint eval "<expression>" [--template <file>] [--parameters <file>]

Evaluates one ARM template expression and prints its value as JSON. With --template, the
expression sees that template's parameters, variables, user functions and resources.
Values known only at deployment print as {"$unknown": "<why>"}.

Examples:
  egress-lint eval "[uniqueString('aaa')]"
  egress-lint eval "[format('{0:N0}', 8175133)]"
  egress-lint eval "[variables('subnetId')]" --template infra/main.json
`;

export function evalCommand(args: string[], flags: Flags, io: Io, scope: Record<string, string>, write: (io: Io, flags: Flags, text: string) => void): number {
  if (flags.help) {
    io.stdout.write(EVAL_HELP);
    return 0;
  }
  if (args.length !== 1) throw new UsageError('eval takes exactly one expression (quote it).');
  let expr = args[0].trim();
  if (!expr.startsWith('[')) expr = `[${expr}]`;
  const base = flags.template ? readJsonFile(io, flags.template, 'template') : loadTemplate('<expression>', '{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0","resources":[]}');
  if (!isObject(base.value as Value)) throw new UsageError(`${base.file} is not an ARM template.`);
  if (isTerraformJson(base.value)) throw new UsageError(`${base.file} is a Terraform plan or state, which has no ARM template expressions to evaluate; \`egress-lint expand ${base.file}\` prints the resources it translates to.`);
  const template = { ...(base.value as Record<string, Value>) };
  const outputs = isObject(template.outputs) ? { ...template.outputs } : {};
  // Only this output matters: drop the template's own so their errors do not show up here.
  for (const k of Object.keys(outputs)) delete outputs[k];
  template.outputs = { ...outputs, '__egress_lint_eval__': { type: 'object', value: expr } };
  // The template as text again, with the expression as its one output: the pipeline reads it like any other.
  const text = printable(template, `The template ${base.file}`);
  const input = flags.template ? documentFor(io, base.file, text, flags) : { file: base.file, text };
  const { deployment: d, problems } = expandDocument(input, { scope, host: diskHost(io.cwd) });
  const own = problems.filter((f) => f.at.pointer.startsWith('/outputs/__egress_lint_eval__'));
  if (own.length > 0) {
    for (const f of own) io.stderr.write(`egress-lint: ${showPlaceholders(f.message)}\n`);
    return 1;
  }
  const out = d.outputs['__egress_lint_eval__'];
  const value = isObject(out) ? out.value : null;
  write(io, flags, printable(value, 'The value of the expression'));
  return 0;
}
