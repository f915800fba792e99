// Runs every fixture (style.md §d): fixtures/rules/<id>/{pass,fail}-*.json with only that rule on, and
// fixtures/egress/<scenario>/main.json with every rule on; one uvu suite per folder. UPDATE=1 rewrites the answers.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ruleById, rules } from '../rules/index.js';
import { UPDATE, checkFixture, discoverFixtures, loadFixture, runFixture, strayRuleFiles, writeUpdate } from './harness/fixtures.js';
import type { FixtureCase } from './harness/fixtures.js';

// FIXTURE=<text> runs (and, with UPDATE=1, rewrites) only the fixtures whose path contains <text>.
const only = process.env.FIXTURE;
/** Fails with a multi-line report printed once (uvu prints a stack after the message; this one has none). */
function fail(text: string): never {
  const e = new Error(text);
  e.stack = 'Error';
  throw e;
}

const cases = discoverFixtures().filter((c) => only === undefined || c.name.includes(only));
const folders = new Map<string, FixtureCase[]>();
for (const c of cases) folders.set(c.folder, [...(folders.get(c.folder) ?? []), c]);

const layout = suite('fixtures layout');
layout('every file under fixtures/rules/<id>/ is a pass-* or fail-* fixture (or its parameter file)', () => {
  assert.equal(strayRuleFiles(), []);
});
layout('every fixtures/rules/<id>/ folder names a rule', () => {
  const unknown = [...new Set(discoverFixtures().filter((c) => c.kind === 'rules' && !ruleById.has(c.ruleId ?? '')).map((c) => c.folder))];
  assert.equal(unknown, []);
});
layout.run();

for (const [folder, list] of folders) {
  const s = suite(folder);
  for (const c of list) {
    s(c.name, () => {
      const fixture = loadFixture(c.path, c.answer);
      const rule = c.ruleId !== undefined ? ruleById.get(c.ruleId) : undefined;
      if (c.kind === 'rules' && !rule) fail(`no rule named ${c.ruleId ?? ''}`);
      const run = runFixture(c, fixture, rule ? [rule] : rules);
      // A rule fixture is a valid template: problems in it would hide behind the single rule that runs.
      if (rule && rule.kind !== 'template' && run.templateFindings.length > 0)
        fail(`the template itself has problems:\n${run.templateFindings.map((f) => `  ${f.ruleId} at ${JSON.stringify(f.at.pointer)}: ${f.message}`).join('\n')}`);
      if (UPDATE) writeUpdate(c, fixture, run);
      const problems = checkFixture(c, UPDATE ? loadFixture(c.path, c.answer) : fixture, run);
      if (problems.length > 0) fail(problems.join('\n'));
    });
  }
  s.run();
}
