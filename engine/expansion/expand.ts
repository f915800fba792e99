// Expands a template with its parameters and scope into the flat list of resources Azure would deploy:
// parameters, variables (lazy), copy loops, conditions, child resources, nested and linked deployments,
// languageVersion 2.0 symbolic resources. The expansion's public entry; imports template/ and expressions/ only.
import type { TemplateDoc } from '../template/template.js';
import { pointerJoin } from '../template/template.js';
import { DEFAULT_SCOPE } from '../expressions/scope.js';
import type { Scope } from '../expressions/scope.js';
import type { Value } from '../expressions/value.js';
import { getProp, isObject, newObject } from '../expressions/value.js';
import type { Deployment, ExpandOptions } from './types.js';
import { Expansion } from './expansion.js';
import { CapReached } from './limits.js';
import { registerResources } from './resource-declarations.js';
import { TemplateRun } from './template-run.js';

export { utf8Length } from './limits.js';
export { parameterEntry } from './nested-deployments.js';

/**
 * Expands a loaded template into the resources Azure would deploy. Never throws for template content:
 * problems become findings (template-invalid, expression-invalid, limit-exceeded).
 */
export function expand(doc: TemplateDoc, options: ExpandOptions = {}): Deployment {
  const expansion = new Expansion(options);
  expansion.docs.set(doc.file, doc);
  const scope: Scope = { ...DEFAULT_SCOPE, ...options.scope };
  for (const p of doc.problems) expansion.report('template-invalid', p.message, { file: doc.file, pointer: '', offset: p.offset });
  for (const p of doc.duplicates ?? []) expansion.report('template-invalid', p.message, { file: doc.file, pointer: '', offset: p.offset });
  const value = doc.value as Value;
  if (!isObject(value)) {
    if (doc.problems.length === 0) expansion.report('template-invalid', 'The file is not an ARM template: its top level must be an object.', { file: doc.file, pointer: '' });
    return emptyDeployment(expansion, doc, scope);
  }
  const provided = new Map<string, Value>();
  for (const [k, v] of Object.entries(options.parameters ?? {})) provided.set(k.toLowerCase(), v);
  const root = new TemplateRun(expansion, doc, '', value, scope, provided, scope.deploymentName, [], 0, undefined, []);
  if (options.parameters && options.parametersFile) {
    const declared = getProp(value, 'parameters');
    for (const k of Object.keys(options.parameters)) {
      if (!isObject(declared) || getProp(declared, k) === undefined)
        expansion.report('template-invalid', `The parameter file sets '${k}', which the template does not declare.`, { file: options.parametersFile, pointer: pointerJoin('/parameters', k) });
    }
  }
  expansion.runs.push(root);
  try {
    registerResources(root);
    return expansion.finish(root);
  } catch (e) {
    if (!(e instanceof CapReached)) throw e;
    return expansion.result(root, newObject());
  }
}

function emptyDeployment(expansion: Expansion, doc: TemplateDoc, scope: Scope): Deployment {
  return { file: doc.file, resources: [], outputs: newObject(), findings: expansion.findings, unresolved: expansion.unresolved, stats: expansion.stats, docs: expansion.docs, scope };
}
