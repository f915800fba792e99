// Bicep with the real Bicep CLI: the fixtures under fixtures/bicep/real (modules, loops, conditions, user-defined types
// and functions, `existing`, .bicepparam files) linted as users lint them, and the positions of their findings checked
// against the compiler's own output. Without `bicep` on PATH each test says by name that it is skipped.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../cli/main.js';
import { capture } from './harness/io.js';
import { BICEP, bicep, buildCopy, checkResources, filesUnder, hostAt, markersOf, skipped } from './harness/bicep-cli.js';
import type { Marker } from './harness/bicep-cli.js';

const root = new URL('..', import.meta.url).pathname;
const REAL = 'fixtures/bicep/real';

interface JsonReport {
  files: { path: string }[];
  vms: { name: string; file: string; verdict: string; line: number; column: number; primaryEgress: { name: string }[]; egress: { name: string }[] }[];
  findings: { ruleId: string; severity: string; file: string; line: number; column: number; message: string }[];
}

/** The CLI as users run it, with the real Bicep CLI on PATH (and time for it on a busy test machine). */
async function lint(args: string[], cwd = root, env: Record<string, string | undefined> = { PATH: process.env.PATH, EGRESS_LINT_BICEP_TIMEOUT: '600' }): Promise<{ code: number; out: string; err: string }> {
  const c = capture(cwd, env);
  const code = await main(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

const real = suite('bicep: the real Bicep CLI');

/** A test that needs the real CLI: without one it says so by name and passes nothing off as checked. */
function withCli(name: string, fn: () => Promise<void>): void {
  real(name, async () => {
    if (!BICEP) return skipped(`bicep-cli: ${name}`);
    const start = Date.now();
    await fn();
    console.log(`  (${name}: ${((Date.now() - start) / 1000).toFixed(1)} s)`);
  });
}

withCli('the real fixtures: verdicts, egress and findings where their comments say, each at a Bicep declaration', async () => {
  // One run (every start of the Bicep CLI costs seconds): the JSON report, and the text one for the help lines.
  const text = join(mkdtempSync(join(tmpdir(), 'egress-lint-bicep-report-')), 'report.txt');
  const r = await lint([REAL, '--format', 'json', '--report', `stylish=${text}`]);
  assert.is(r.code, 1, r.err);
  const report = JSON.parse(r.out) as JsonReport;
  const stylish = readFileSync(text, 'utf8');
  const markers: Marker[] = [];
  for (const f of filesUnder(join(root, REAL))) if (/\.bicep(param)?$/.test(f)) markers.push(...markersOf(`${REAL}/${f}`, readFileSync(join(root, REAL, f), 'utf8')));
  const want = (kind: Marker['kind']) => markers.filter((m) => m.kind === kind);

  // Findings: every `expect` marker is one finding of that rule on that line, and there are no others.
  const got = report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort();
  assert.equal(got, want('expect').map((m) => `${m.file}:${m.line} ${m.words[0]}`).sort());
  // VMs: name, verdict, primary egress, and the line of their declaration.
  const vms = report.vms.map((v) => `${v.file}:${v.line} ${v.name} ${v.verdict} ${v.primaryEgress.map((e) => e.name).sort().join(',') || '-'}`).sort();
  assert.equal(vms, want('expect-vm').map((m) => `${m.file}:${m.line} ${m.words.join(' ')}`).sort());
  // A finding placed on a module's or a `using` line names the line of the module file or template where it is.
  const declared = [...stylish.matchAll(/ (\S+)\n +help: .*?It is declared at ([^\s:]+):(\d+):\d+/g)].map((m) => `${m[2]}:${m[3]} ${m[1]}`);
  assert.equal([...new Set(declared)].sort(), want('declared').map((m) => `${m.file}:${m.line} ${m.words[0]}`).sort());
  assert.not.match(stylish, /compiled JSON/, 'every finding was placed in Bicep');
  // Columns are in the Bicep text: each finding starts at a word there (a key, a keyword), not at JSON.
  for (const f of report.findings) {
    const line = readFileSync(join(root, f.file), 'utf8').split('\n')[f.line - 1];
    assert.match(line.slice(f.column - 1), /^(resource|module|param|using|[A-Za-z_]\w*:|'[^']*':)/, `${f.file}:${f.line}:${f.column} in '${line}'`);
  }
  // The fixtures cover what they should: at least ten Bicep files, nested resources, loops, conditions, modules,
  // user-defined types and functions, `existing`, .bicepparam.
  const sources = filesUnder(join(root, REAL)).filter((f) => /\.bicep$/.test(f)).map((f) => readFileSync(join(root, REAL, f), 'utf8'));
  assert.ok(sources.length >= 10, `${sources.length} Bicep files`);
  for (const [what, re] of Object.entries({ nested: /^\s+resource \w+ '\w+'/m, loop: /\[for /, condition: /= if \(/, module: /^module /m, type: /^type /m, func: /^func /m, existing: / existing = /, decorator: /^@/m })) {
    assert.ok(sources.some((s) => re.test(s)), `no fixture has ${what}`);
  }
  assert.ok(report.files.some((f) => f.path.endsWith('.bicepparam')));
});

withCli('every compiled resource is placed on the declaration of the symbol the compiler gave it (modules too)', async () => {
  const [plain, symbolic] = await Promise.all([buildCopy(join(root, REAL), false), buildCopy(join(root, REAL), true)]);
  assert.is(plain.build.code, 0, plain.build.stderr);
  assert.is(symbolic.build.code, 0, symbolic.build.stderr);
  const host = hostAt(plain.dir);
  let checked = 0;
  let files = 0;
  const wrong: string[] = [];
  for (const f of filesUnder(plain.dir).filter((x) => x.endsWith('.bicep'))) {
    const json = f.replace(/\.bicep$/, '.json');
    const { checks, problems } = checkResources(f, readFileSync(join(plain.dir, json), 'utf8'), readFileSync(join(symbolic.dir, json), 'utf8'), host);
    wrong.push(...problems);
    for (const c of checks) if (!c.want || c.want.file !== c.got.file || c.want.line !== c.got.line) wrong.push(`${f} ${c.pointer} (${c.symbol}): want ${c.want ? `${c.want.file}:${c.want.line}` : 'a declaration'}, got ${c.got.file}:${c.got.line}`);
    checked += checks.length;
    files++;
  }
  assert.equal(wrong, []);
  assert.ok(files >= 10 && checked >= 50, `${checked} resources in ${files} files`);
});

withCli('a compile error from the real CLI: each error at its Bicep line and column, and the other files linted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'egress-lint-bicep-broken-'));
  mkdirSync(join(dir, '.git'));
  copyFileSync(join(root, 'fixtures/bicep/broken/broken.bicep'), join(dir, 'broken.bicep'));
  copyFileSync(join(root, 'fixtures/rules/dynamic-public-ip/fail-basic-dynamic.json'), join(dir, 'arm.json'));
  const r = await lint(['.', '--format', 'json'], dir);
  assert.is(r.code, 1, r.err);
  const report = JSON.parse(r.out) as JsonReport;
  assert.equal(report.findings.filter((f) => f.file === 'broken.bicep').map((f) => `${f.line}:${f.column} ${f.ruleId} ${f.message.slice(0, 41)}`), [
    '5:12 template-invalid Bicep could not compile it: BCP018 Expect',
    '5:36 template-invalid Bicep could not compile it: BCP009 Expect',
  ]);
  assert.ok(report.findings.some((f) => f.file === 'arm.json' && f.ruleId === 'dynamic-public-ip'));
});

withCli('the stand-in of test/bicep.test.ts replays what this Bicep CLI prints (fixtures/bicep/cli-output)', async () => {
  const out = join(root, 'fixtures/bicep/cli-output');
  const generator = (s: string) => s.replace(/"version": "[\d.]+",\s*"templateHash": "\d+"/g, '"version": "…", "templateHash": "…"').replace(/\\"version\\": \\"[\d.]+\\",\\n\s*\\"templateHash\\": \\"\d+\\"/g, '…');
  const build = await bicep(['build', 'fixtures/bicep/main.bicep', '--stdout'], root);
  assert.is(generator(build.stdout.trimEnd()), generator(readFileSync(join(out, 'main.bicep.build.stdout'), 'utf8').trimEnd()));
  const params = await bicep(['build-params', 'fixtures/bicep/prod.bicepparam', '--stdout'], root);
  assert.is(generator(params.stdout.trimEnd()), generator(readFileSync(join(out, 'prod.bicepparam.build-params.stdout'), 'utf8').trimEnd()));
  const broken = await bicep(['build', 'fixtures/bicep/broken/broken.bicep', '--stdout'], root);
  assert.is(String(broken.code), readFileSync(join(out, 'broken.bicep.build.exit'), 'utf8').trim());
  const errors = (s: string) => s.split('\n').filter((l) => /: Error /.test(l)).map((l) => l.replace(/^.*?\(/, '('));
  assert.equal(errors(broken.stderr), errors(readFileSync(join(out, 'broken.bicep.build.stderr'), 'utf8')));
});

real.run();
