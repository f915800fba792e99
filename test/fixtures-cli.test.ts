// The fixture harness and the CLI agree: every fixture linted by `egress-lint <fixture> --format json` (with the
// same rules on, and the fixture's allow-list and lock given as a config file and --lock) gives the findings and
// verdicts the harness checks. A fixture true only of the test path would not be a test of the product.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../cli/main.js';
import { ruleById, rules } from '../rules/index.js';
import { discoverFixtures, loadFixture, runFixture } from './harness/fixtures.js';
import { capture } from './harness/io.js';
import { tempDir } from './harness/package.js';

const cwd = process.cwd();
const only = process.env.FIXTURE;

interface Shown {
  readonly findings: string[];
  readonly vms: string[];
}

function line(f: { ruleId: string; severity: string; file: string; line: number; column: number; message: string }): string {
  return `${f.file}:${f.line}:${f.column} ${f.severity} ${f.ruleId}: ${f.message}`;
}

function vmLine(v: { name: string; verdict: string; egress: readonly { name: string }[] }): string {
  return `${v.name} ${v.verdict} ${v.egress.map((e) => e.name).sort().join(',')}`;
}

const scratch = tempDir('egress-lint-fixtures-cli-');

test('every fixture gives the same findings and verdicts through the CLI as through the harness', async () => {
  const cases = discoverFixtures().filter((c) => only === undefined || c.name.includes(only));
  assert.ok(only !== undefined || cases.length >= 100, `only ${cases.length} fixtures found`);
  const differ: string[] = [];
  for (let n = 0; n < cases.length; n++) {
    const c = cases[n];
    const fixture = loadFixture(c.path, c.answer);
    const rule = c.ruleId !== undefined ? ruleById.get(c.ruleId) : undefined;
    const harness = runFixture(c, fixture, rule ? [rule] : rules);
    const want: Shown = {
      findings: harness.findings.map((a) => a.finding).filter((f) => !f.suppression).map(line).sort(),
      vms: Object.entries(harness.vms).map(([name, v]) => `${name} ${v.verdict} ${v.egress.join(',')}`).sort(),
    };

    // The same run through the CLI: only the fixture's rule on under fixtures/rules/<id>/, its settings as a config.
    const dir = join(scratch, String(n));
    mkdirSync(dir);
    const config = join(dir, 'egress-lint.config.json');
    writeFileSync(config, JSON.stringify(fixture.block.settings?.allow ? { allow: fixture.block.settings.allow } : {}));
    const args = [c.name, '--format', 'json', '--no-color', '-c', config];
    if (rule) for (const r of rules) if (r.id !== rule.id) args.push('--rule', `${r.id}=off`);
    const lock = fixture.block.settings?.lock as { vms?: Record<string, { file: string }> } | undefined;
    let lockShown: string | undefined;
    if (lock) {
      // The lock's template paths are relative to the lock file's folder: the fixture's are relative to the repository.
      const file = join(dir, 'egress.lock.json');
      const vms = Object.fromEntries(Object.entries(lock.vms ?? {}).map(([k, v]) => [k, { ...v, file: relative(dir, resolve(cwd, v.file)) }]));
      writeFileSync(file, JSON.stringify({ ...lock, vms }));
      args.push('--lock', file);
      lockShown = relative(cwd, file);
    }
    const io = capture(cwd);
    const code = await main(args, io.io);
    if (code === 2) {
      differ.push(`${c.name}: the CLI could not lint it: ${io.err()}`);
      continue;
    }
    const report = JSON.parse(io.out()) as { findings: Parameters<typeof line>[0][]; vms: Parameters<typeof vmLine>[0][] };
    // The CLI names the lock by its path; the harness by the default name.
    const named = (s: string): string => (lockShown ? s.split(lockShown).join('egress.lock.json') : s);
    const got: Shown = { findings: report.findings.map((f) => named(line(f))).sort(), vms: report.vms.map(vmLine).sort() };
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      const missing = want.findings.filter((f) => !got.findings.includes(f)).map((f) => `    - harness only: ${f}`);
      const extra = got.findings.filter((f) => !want.findings.includes(f)).map((f) => `    + CLI only:     ${f}`);
      const vms = JSON.stringify(got.vms) === JSON.stringify(want.vms) ? [] : [`    vms: harness ${JSON.stringify(want.vms)}, CLI ${JSON.stringify(got.vms)}`];
      differ.push([`  ${c.name}`, ...missing, ...extra, ...vms].join('\n'));
    }
  }
  assert.ok(differ.length === 0, `${differ.length} fixtures differ:\n${differ.join('\n')}`);
});

test.run();
