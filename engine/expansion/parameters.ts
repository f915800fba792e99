// Reads a parameter file (deploymentParameters schema) into parameter values; Key Vault references are unknown.
import type { RawFinding } from '../template/finding.js';
import type { TemplateDoc } from '../template/template.js';
import { pointerJoin } from '../template/template.js';
import type { Value } from '../expressions/value.js';
import { getProp, isObject, newObject } from '../expressions/value.js';
import { utf8Length } from './limits.js';
import { parameterEntry } from './nested-deployments.js';
import { ARM_LIMITS } from './types.js';

export interface ParameterValues {
  readonly values: Record<string, Value>;
  readonly findings: readonly RawFinding[];
}

/** True when a parsed JSON document is a parameter file (its $schema names deploymentParameters). */
export function isParameterFile(value: unknown): boolean {
  if (!isObject(value as Value)) return false;
  const schema = getProp(value as Record<string, Value>, '$schema');
  return typeof schema === 'string' && /deploymentparameters\.json/i.test(schema);
}

/** True when a parsed JSON document is an ARM template (its $schema names a deploymentTemplate). */
export function isTemplate(value: unknown): boolean {
  if (!isObject(value as Value)) return false;
  const schema = getProp(value as Record<string, Value>, '$schema');
  return typeof schema === 'string' && /deploymenttemplate\.json/i.test(schema);
}

/** Parameter values from a parameter file. Values are literal: ARM does not evaluate expressions in them. */
export function readParameterFile(doc: TemplateDoc): ParameterValues {
  const findings: RawFinding[] = doc.problems.map((p) => ({ ruleId: 'template-invalid', message: p.message, at: { file: doc.file, pointer: '', offset: p.offset } }));
  // A key written twice (a parameter given two values): ARM keeps the last one, as JSON.parse did, and the other is
  // ignored without a word. Reported as a template's duplicates are (expand.ts), at the later key.
  for (const p of doc.duplicates ?? []) findings.push({ ruleId: 'template-invalid', message: p.message, at: { file: doc.file, pointer: '', offset: p.offset } });
  // "The parameter file is also limited to 4 MB" (https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits).
  const bytes = doc.text.length * 3 > ARM_LIMITS.templateBytes ? utf8Length(doc.text) : 0;
  if (bytes > ARM_LIMITS.templateBytes)
    findings.push({ ruleId: 'limit-exceeded', message: `The parameter file is ${bytes} bytes; ARM accepts at most 4 MB.`, at: { file: doc.file, pointer: '' } });
  const values = newObject();
  const root = doc.value as Value;
  const params = isObject(root) ? getProp(root, 'parameters') : undefined;
  if (!isObject(params)) {
    if (doc.problems.length === 0)
      findings.push({ ruleId: 'template-invalid', message: "The parameter file has no 'parameters' object.", at: { file: doc.file, pointer: '' } });
    return { values, findings };
  }
  for (const k of Object.keys(params)) {
    const entry = params[k];
    if (!isObject(entry)) {
      findings.push({ ruleId: 'template-invalid', message: `The parameter '${k}' must be an object with a 'value'.`, at: { file: doc.file, pointer: pointerJoin('/parameters', k) } });
      continue;
    }
    values[k] = parameterEntry(entry, (v) => v);
  }
  return { values, findings };
}
