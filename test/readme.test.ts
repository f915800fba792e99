// The README's rule table is generated from the registry (UPDATE=1 rewrites it); CI fails when they drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rules } from '../rules/index.js';
import { main } from '../cli/main.js';
import { capture } from './harness/io.js';

const file = new URL('../README.md', import.meta.url);

export function ruleTable(): string {
  const rows = rules.map((r) => `| [\`${r.id}\`](rules/${r.id}.md) | ${r.severity} | ${r.description.replace(/\|/g, '\\|')} |`);
  return ['| rule | default | what it checks |', '|---|---|---|', ...rows].join('\n');
}

test('the README rule table matches the registry', () => {
  const text = readFileSync(file, 'utf8');
  const m = /<!-- rules:start -->\n([\s\S]*?)<!-- rules:end -->/.exec(text);
  assert.ok(m, 'README.md needs <!-- rules:start --> and <!-- rules:end --> markers');
  const want = `${ruleTable()}\n`;
  if (process.env.UPDATE && m![1] !== want) writeFileSync(file, text.replace(m![0], `<!-- rules:start -->\n${want}<!-- rules:end -->`));
  else assert.is(m![1], want, 'run UPDATE=1 npm test to regenerate the rule table');
});

test('the README shows the real output of npm start on the bundled examples', async () => {
  const c = capture(new URL('..', import.meta.url).pathname);
  const code = await main(['examples', '--no-color'], c.io);
  const want = `\`\`\`console\n$ npx egress-lint examples\n${c.out()}\`\`\`\n(exit code ${code})\n`;
  const text = readFileSync(file, 'utf8');
  const m = /<!-- output:start -->\n([\s\S]*?)<!-- output:end -->/.exec(text);
  assert.ok(m, 'README.md needs <!-- output:start --> and <!-- output:end --> markers');
  if (process.env.UPDATE && m![1] !== want) writeFileSync(file, text.replace(m![0], `<!-- output:start -->\n${want}<!-- output:end -->`));
  else assert.is(m![1], want, 'run UPDATE=1 npm test to refresh the README output');
});

test('the README starts with the install-and-run and the test commands', () => {
  const head = readFileSync(file, 'utf8').split('\n').slice(0, 8).join('\n');
  assert.match(head, /npm ci && npm start/);
  assert.match(head, /npm test/);
});

test.run();
