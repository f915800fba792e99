// Bicep inputs as users lint them: .bicep and .bicepparam files compiled by the Bicep CLI found on PATH. The CLI
// here is a stand-in (a shell script using builtins only, first and alone on PATH) that prints what the real one
// printed for the fixtures in fixtures/bicep/cli-output and logs its command line, so these tests of the command
// lines, the failures and the timeout run anywhere; test/bicep-cli.test.ts runs the real CLI, and checks that
// those recordings are still what it prints.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../cli/main.js';
import { INSTALL_HINT, NO_COMPILER, compileBicepTargets, diagnostics, readBuildParams } from '../cli/bicep.js';
import { capture } from './harness/io.js';

const root = new URL('..', import.meta.url).pathname;
const FIXTURES = join(root, 'fixtures/bicep');

const STAND_IN = `#!/bin/sh
# Stand-in for the Bicep CLI (and for az): replays recorded output; shell builtins only, so PATH can hold just it.
printf '%s\\n' "\${0##*/} $*" >> "@LOG@"
if [ "$1" = bicep ]; then shift; fi
cmd=$1; shift
if [ "$1" = --file ]; then shift; fi
file=$1; shift
[ "$1" = --stdout ] || { echo "stand-in: expected --stdout, got: $*" >&2; exit 64; }
base="@OUT@/\${file##*/}.$cmd"
[ -f "$base.hang" ] && while :; do :; done
[ -f "$base.stdout" ] || [ -f "$base.stderr" ] || { echo "stand-in: nothing recorded for $base" >&2; exit 70; }
code=0
[ -f "$base.exit" ] && read -r code < "$base.exit"
if [ -f "$base.stderr" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in *@FILE@*) line="\${line%%@FILE@*}$file\${line#*@FILE@}" ;; esac
    printf '%s\\n' "$line" >&2
  done < "$base.stderr"
fi
if [ -f "$base.stdout" ]; then
  while IFS= read -r line || [ -n "$line" ]; do printf '%s\\n' "$line"; done < "$base.stdout"
fi
exit "$code"
`;

interface World {
  /** The working directory, with the fixture's Bicep files. */
  readonly dir: string;
  /** Recorded output the stand-in replays (a copy of fixtures/bicep/cli-output; tests add more). */
  readonly out: string;
  readonly env: Record<string, string>;
  /** The stand-in's command lines so far. */
  calls(): string[];
}

/** A working directory with `files` copied from fixtures/bicep, and a PATH holding only a stand-in `bicep` or `az`. */
function world(files: Record<string, string>, exe: 'bicep' | 'az' | 'none' = 'bicep'): World {
  const top = mkdtempSync(join(tmpdir(), 'egress-lint-bicep-'));
  const dir = join(top, 'work');
  const bin = join(top, 'bin');
  const out = join(top, 'out');
  const log = join(top, 'calls.log');
  for (const d of [dir, bin, out, join(dir, '.git')]) mkdirSync(d, { recursive: true });
  for (const f of readdirSync(join(FIXTURES, 'cli-output'))) copyFileSync(join(FIXTURES, 'cli-output', f), join(out, f));
  for (const [to, from] of Object.entries(files)) {
    mkdirSync(join(dir, to, '..'), { recursive: true });
    if (from.startsWith('fixtures/')) copyFileSync(join(root, from), join(dir, to));
    else writeFileSync(join(dir, to), from);
  }
  writeFileSync(log, '');
  if (exe !== 'none') {
    writeFileSync(join(bin, exe), STAND_IN.replace('@LOG@', log).replace('@OUT@', out));
    chmodSync(join(bin, exe), 0o755);
  }
  return { dir, out, env: { PATH: bin }, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => l.split(dir + '/').join('')) };
}

async function run(w: World, args: string[]) {
  const c = capture(w.dir, w.env);
  const code = await main(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

interface JsonReport {
  files: { path: string }[];
  vms: { name: string; file: string; verdict: string; line: number }[];
  findings: { ruleId: string; severity: string; file: string; line: number; column: number; message: string }[];
}

async function json(w: World, args: string[]): Promise<{ code: number; report: JsonReport; err: string }> {
  const r = await run(w, [...args, '--format', 'json']);
  assert.ok(r.code !== 2, r.err);
  return { code: r.code, report: JSON.parse(r.out) as JsonReport, err: r.err };
}

const MAIN = { 'infra/main.bicep': 'fixtures/bicep/main.bicep' };
const WITH_PARAMS = { ...MAIN, 'infra/prod.bicepparam': 'fixtures/bicep/prod.bicepparam' };

const bicep = suite('bicep');

bicep('a .bicep file is compiled with `bicep build <file> --stdout` and linted under its own name', async () => {
  const w = world(MAIN);
  const { code, report } = await json(w, ['infra/main.bicep']);
  assert.is(code, 0);
  assert.equal(w.calls(), ['bicep build infra/main.bicep --stdout']);
  assert.equal(report.files.map((f) => f.path), ['infra/main.bicep']);
  assert.equal(report.vms.map((v) => [v.name, v.file, v.verdict, v.line]), [['vm-app', 'infra/main.bicep', 'deterministic', 63]], "the line of the VM's `resource` declaration");
  assert.equal(report.findings, []);
});

bicep('a .bicepparam file is compiled with `bicep build-params`: its template and its parameters', async () => {
  const w = world(WITH_PARAMS);
  const r = await run(w, ['infra/prod.bicepparam', '--no-color']);
  assert.is(r.code, 1);
  assert.equal(w.calls(), ['bicep build-params infra/prod.bicepparam --stdout']);
  assert.match(r.out, /^infra\/prod\.bicepparam\n/);
  assert.match(r.out, /vm-app \(virtualMachines, line 1\)  non-deterministic/);
  assert.match(r.out, /warning .* retired-sku/);
  assert.match(r.out, /error .* dynamic-public-ip/);
  // On the `using` line of the .bicepparam, with the place in the template it names.
  assert.equal([...r.out.matchAll(/^ {2}(\d+:\d+) .*?(\S+)\n.*(It is declared at .*)$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`), [
    "1:1 dynamic-public-ip It is declared at infra/main.bicep:54:11, in the template that 'using' names.",
    "1:1 retired-sku It is declared at infra/main.bicep:35:3, in the template that 'using' names.",
  ]);
  const { report } = await json(w, ['infra/prod.bicepparam']);
  assert.equal(report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`), ['infra/prod.bicepparam:1:1 dynamic-public-ip', 'infra/prod.bicepparam:1:1 retired-sku']);
});

bicep('a folder: the .bicepparam deploys main.bicep, so main.bicep is not linted a second time on its own', async () => {
  const w = world(WITH_PARAMS);
  const { report } = await json(w, ['.']);
  assert.equal(report.files.map((f) => f.path), ['infra/prod.bicepparam']);
  assert.equal(w.calls(), ['bicep build-params infra/prod.bicepparam --stdout']);
});

bicep('a named .bicep file is linted through each .bicepparam beside it that deploys it (pre-commit passes what changed)', async () => {
  const w = world({ ...WITH_PARAMS, 'infra/dev.bicepparam': "using './main.bicep'\nparam publicIpSku = 'Standard'\n", 'infra/other.bicepparam': "using './other.bicep'\n" });
  writeFileSync(join(w.out, 'dev.bicepparam.build-params.stdout'), JSON.stringify({ ...JSON.parse(readFileSync(join(w.out, 'prod.bicepparam.build-params.stdout'), 'utf8')), parametersJson: '{"parameters": {}}' }));
  const { report } = await json(w, ['infra/main.bicep']);
  assert.equal(report.files.map((f) => f.path), ['infra/dev.bicepparam', 'infra/prod.bicepparam']);
  assert.equal(w.calls().sort(), ['bicep build-params infra/dev.bicepparam --stdout', 'bicep build-params infra/prod.bicepparam --stdout']);
});

bicep('main.parameters.json beside main.bicep is its parameter file, as for JSON templates', async () => {
  const w = world({ ...MAIN, 'infra/main.parameters.json': 'fixtures/config/basic.parameters.json' });
  const { code, report } = await json(w, ['infra']);
  assert.is(code, 1);
  assert.equal(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`), ['infra/main.bicep:35 retired-sku', 'infra/main.bicep:54 dynamic-public-ip']);
});

bicep('only az on PATH: `az bicep build --file <file> --stdout`', async () => {
  const w = world(WITH_PARAMS, 'az');
  assert.is((await json(w, ['infra/main.bicep', 'infra/prod.bicepparam'])).report.files.length, 1, 'main.bicep named with its .bicepparam: linted through it');
  const v = world(MAIN, 'az');
  assert.is((await json(v, ['infra/main.bicep'])).code, 0);
  assert.equal([...w.calls(), ...v.calls()], ['az bicep build-params --file infra/prod.bicepparam --stdout', 'az bicep build --file infra/main.bicep --stdout']);
});

bicep('neither bicep nor az on PATH: one error on each Bicep file, naming how to install Bicep, and every other file linted (exit 1)', async () => {
  const w = world({ ...MAIN, 'infra/app.json': 'fixtures/rules/dynamic-public-ip/fail-basic-dynamic.json' }, 'none');
  const { code, report, err } = await json(w, ['.']);
  assert.is(code, 1);
  assert.is(err, '');
  assert.equal(report.files.map((f) => f.path), ['infra/app.json', 'infra/main.bicep']);
  const bicepFindings = report.findings.filter((f) => f.file === 'infra/main.bicep');
  assert.equal(bicepFindings.map((f) => `${f.line}:${f.column} ${f.severity} ${f.ruleId} ${f.message}`), [`1:1 error template-invalid ${NO_COMPILER}`]);
  assert.match(INSTALL_HINT, /https:\/\/learn\.microsoft\.com\/azure\/azure-resource-manager\/bicep\/install/);
  // The ARM template's own findings, as without the Bicep file.
  const alone = await json(world({ 'infra/app.json': 'fixtures/rules/dynamic-public-ip/fail-basic-dynamic.json' }, 'none'), ['.']);
  assert.ok(alone.report.findings.length > 0);
  assert.equal(report.findings.filter((f) => f.file === 'infra/app.json'), alone.report.findings);
  const text = await run(w, ['.', '--no-color']);
  assert.is(text.code, 1);
  assert.match(text.out, /\ninfra\/main\.bicep\n {2}1:1 +error +It is a Bicep file, and neither 'bicep' nor 'az' is on PATH.* template-invalid\n +help: Install the Bicep CLI \(/);
  const jsonOnly = world({ 'main.json': 'fixtures/config/vm.json' }, 'none');
  assert.is((await run(jsonOnly, ['.'])).code, 0, 'JSON templates need no Bicep CLI');
});

bicep('a Bicep CLI that cannot be started is an error on each Bicep file, not a stopped run', async () => {
  const w = world(MAIN);
  // Executable by its mode, but its interpreter is missing: the system cannot start it (ENOENT).
  writeFileSync(join(w.env.PATH, 'bicep'), '#!/nonexistent/interpreter\n');
  chmodSync(join(w.env.PATH, 'bicep'), 0o755);
  const { code, report } = await json(w, ['.']);
  assert.is(code, 1);
  assert.equal(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`), ['infra/main.bicep:1 template-invalid']);
  assert.match(report.findings[0].message, /could not start .*bicep \(E[A-Z]+\) to compile this Bicep file, so it was not linted\./);
});

bicep('a compile error is a template-invalid finding at the place Bicep names, exit 1', async () => {
  const w = world({ 'infra/broken.bicep': 'fixtures/bicep/broken/broken.bicep' });
  const { code, report } = await json(w, ['infra']);
  assert.is(code, 1);
  assert.equal(report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message}`), [
    'infra/broken.bicep:5:12 template-invalid Bicep could not compile it: BCP018 Expected the ":" character at this location. [https://aka.ms/bicep/core-diagnostics#BCP018]',
    'infra/broken.bicep:5:36 template-invalid Bicep could not compile it: BCP009 Expected a literal value, an array, an object, a parenthesized expression, or a function call at this location. [https://aka.ms/bicep/core-diagnostics#BCP009]',
  ]);
  assert.equal(report.vms, []);
});

bicep('a failure without diagnostics keeps what the Bicep CLI said; a template spec has no template to lint', async () => {
  const w = world({ 'a.bicep': 'param x string\n', 'ts.bicepparam': "using 'ts:00000000-0000-0000-0000-000000000000/rg/spec:1.0'\n" });
  writeFileSync(join(w.out, 'a.bicep.build.stderr'), 'Unhandled exception. System.IO.IOException: disk full\n   at Bicep.Cli.Program.Main()\n');
  writeFileSync(join(w.out, 'a.bicep.build.exit'), '134\n');
  writeFileSync(join(w.out, 'ts.bicepparam.build-params.stdout'), '{"parametersJson":"{\\"parameters\\":{}}","templateJson":null,"templateSpecId":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Resources/templateSpecs/spec/versions/1.0"}');
  const { code, report } = await json(w, ['.']);
  assert.is(code, 1);
  assert.equal(report.findings.map((f) => `${f.file}:${f.line} ${f.message}`), [
    'a.bicep:1 Bicep could not compile it (exit code 134): Unhandled exception. System.IO.IOException: disk full\n   at Bicep.Cli.Program.Main()',
    "ts.bicepparam:1 Its 'using' declaration names template spec /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Resources/templateSpecs/spec/versions/1.0, so there is no template to lint.",
  ]);
});

bicep('a Bicep CLI that hangs is stopped at the timeout: a finding, not a stuck run', async () => {
  const w = world({ 'slow.bicep': 'param x string\n' });
  writeFileSync(join(w.out, 'slow.bicep.build.hang'), '');
  const [t] = await compileBicepTargets([{ template: 'slow.bicep', kind: 'bicep' }], { cwd: w.dir, env: w.env, timeoutMs: 300 });
  assert.equal(t.failed?.map((f) => f.message), ['The Bicep CLI did not finish compiling it within 0.3 s.']);
  // EGRESS_LINT_BICEP_TIMEOUT sets it for the CLI (in seconds); the other files are still linted.
  const v = world({ 'slow.bicep': 'param x string\n', 'app.json': 'fixtures/config/vm.json' });
  writeFileSync(join(v.out, 'slow.bicep.build.hang'), '');
  const { code, report } = await json({ ...v, env: { ...v.env, EGRESS_LINT_BICEP_TIMEOUT: '0.4' } }, ['.']);
  assert.is(code, 1);
  assert.equal(report.findings.map((f) => `${f.file} ${f.ruleId} ${f.message}`), ['slow.bicep template-invalid The Bicep CLI did not finish compiling it within 0.4 s.']);
  assert.equal(report.vms.map((vm) => vm.file), ['app.json']);
});

bicep('Bicep modules are compiled into their parent, not linted on their own', async () => {
  const w = world({ 'main.bicep': "module nic './modules/nic.bicep' = {\n  name: 'nic'\n}\n", 'modules/nic.bicep': 'param x string\n' });
  writeFileSync(join(w.out, 'main.bicep.build.stdout'), readFileSync(join(FIXTURES, 'cli-output/main.bicep.build.stdout')));
  const { report } = await json(w, ['.']);
  assert.equal(report.files.map((f) => f.path), ['main.bicep']);
  assert.equal(w.calls(), ['bicep build main.bicep --stdout']);
});

bicep('same input, byte-identical output (JSON and SARIF name the .bicep file)', async () => {
  const w = world(WITH_PARAMS);
  const a = await run(w, ['.', '--format', 'sarif']);
  const b = await run(w, ['.', '--format', 'sarif']);
  assert.is(a.out, b.out);
  const uris = new Set((JSON.parse(a.out).runs[0].results as { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[]).map((r) => r.locations[0].physicalLocation.artifactLocation.uri));
  assert.equal([...uris], ['infra/prod.bicepparam']);
});

bicep.run();

const parts = suite('bicep: output parsing');

parts('build-params --stdout: parametersJson and templateJson are strings of JSON', () => {
  assert.equal(readBuildParams('{"parametersJson":"{}","templateJson":"{\\"resources\\":[]}","templateSpecId":null}'), { parameters: '{}', template: '{"resources":[]}' });
  assert.equal(readBuildParams('{"parametersJson":"{}","templateJson":null,"templateSpecId":"/x"}'), { parameters: '{}', templateSpecId: '/x' });
  assert.is(readBuildParams('{"$schema": "…deploymentParameters.json#"}'), undefined);
  assert.is(readBuildParams('not json'), undefined);
});

parts('diagnostics: errors with their file, line and column; warnings left to Bicep', () => {
  const stderr = [
    '/w/infra/main.bicep(3,1) : Warning no-unused-params: Parameter "x" is declared but never used. [https://aka.ms/bicep/linter/no-unused-params]',
    '/w/infra/modules/nic.bicep(12,7) : Error BCP037: The property "bogus" is not allowed on objects of type "NetworkInterfaceProperties".',
    '/elsewhere/shared.bicep(1,1) : Error BCP091: An error occurred reading file.',
  ].join('\n');
  assert.equal(diagnostics(stderr, 'infra/main.bicep', '/w').map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`), [
    'infra/modules/nic.bicep:12:7 Bicep could not compile it: BCP037 The property "bogus" is not allowed on objects of type "NetworkInterfaceProperties".',
    'infra/main.bicep:1:1 Bicep could not compile it: BCP091 An error occurred reading file.',
  ]);
});

parts.run();
