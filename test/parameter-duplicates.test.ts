// A parameter file that writes a key twice: JSON.parse (and Azure Resource Manager) keep the last value and drop the
// other without a word, so the duplicate is template-invalid in the parameter file, at the later key.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { lintText } from '../api/index.js';

const FOLDER = 'fixtures/rules/template-invalid';
const template = readFileSync(`${FOLDER}/fail-duplicate-key-parameter-file.json`, 'utf8');
const parameters = readFileSync(`${FOLDER}/fail-duplicate-key-parameter-file.parameters.json`, 'utf8');

test('a parameter given twice in a parameter file is template-invalid at the later key, in the parameter file', () => {
  const report = lintText(template, { file: 'main.json', parameters, parametersFile: 'prod.parameters.json' });
  const lines = parameters.split('\n');
  const later = lines.findIndex((l) => l.includes('"Standard"'));
  const dup = report.findings.filter((f) => f.ruleId === 'template-invalid');
  assert.equal(
    dup.map((f) => [f.file, f.line, f.column, f.message]),
    [['prod.parameters.json', later + 1, lines[later].indexOf('"sku"') + 1, "The key 'sku' is written twice in one object: Azure Resource Manager reads the last one and the other is ignored."]],
  );
});

test('a key written twice deeper in a parameter file (inside a value) is reported too', () => {
  const text = '{\n  "parameters": {\n    "sku": { "value": "Basic", "value": "Standard" }\n  }\n}\n';
  const report = lintText(template, { file: 'main.json', parameters: text, parametersFile: 'prod.parameters.json' });
  const dup = report.findings.filter((f) => f.ruleId === 'template-invalid');
  assert.equal(dup.map((f) => [f.file, f.line, f.column]), [['prod.parameters.json', 3, 32]]);
});

test.run();
