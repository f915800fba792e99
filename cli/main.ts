// The CLI: argv → discover → load → expand → lint → format → exit code (0 clean, 1 errors, 2 could not lint).
// Returns the exit code; only bin.ts touches process.exitCode.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { LintResult } from '../engine/index.js';
import { UsageError } from '../api/errors.js';
import { version } from '../api/version.js';
import type { Owned } from './config-tree.js';
import type { Target } from '../api/discover.js';
import type { Plan } from './plan.js';
import type { Io } from './io.js';
import { useColor } from './io.js';
import type { InputFile } from './outputs.js';

const HELP = `Usage: egress-lint [options] [paths...]
       egress-lint lock [paths...] [--lock <file>]
       egress-lint expand <template> [--parameters <file>]
       egress-lint eval "<expression>" [--template <file>] [--parameters <file>]

Finds every VM, scale set and AKS node pool in ARM templates, Bicep files and Terraform
plan or state JSON (terraform show -json), works out which public IPs their
Internet-bound traffic can carry, offline, and reports every one whose egress IP is not
deterministic.

Paths are files, folders or globs (default: the current folder). Templates are found by
their $schema, Terraform JSON by its format_version; <name>.parameters.json beside a
template is used as its parameter file, the .tf files beside a plan give its positions.
.bicep and .bicepparam files are compiled with the Bicep CLI (bicep, or az bicep);
without one, each is a template-invalid error, and the other files are linted.
Files named one by one that are not templates (package.json) are skipped.

Options:
  -f, --format <name>       stylish (default), json, sarif, markdown, csv, allowlist, addresses, github
                            (addresses: only the known addresses and CIDRs, one per line;
                            exit 1 and a note on stderr when some are not known; github:
                            workflow-command annotations for GitHub Actions)
  -o, --output <file>       write the report to a file instead of standard output
      --report <format>=<file>
                            also write the report in another format (repeatable);
                            markdown:<bytes>=<file> gives that report its own --max-bytes
      --max-bytes <n>       keep the Markdown report within n bytes: default 1000000 (a job
                            summary takes 1 MiB), 65000 fits a pull-request comment, 0 no limit
  -c, --config <file>       the configuration file for every template (default: each
                            template's egress-lint.config.json files, from its folder up
                            to the repository root, the nearest first)
  -p, --parameters <file>   parameter file for the template(s)
      --ignore <glob>       leave out matching files (repeatable; .gitignore is respected)
      --rule <id>=<level>   set a rule's level: error, warning, note or off (repeatable)
      --max-warnings <n>    exit 1 when there are more than n warnings
      --lock <file>         compare every VM's egress with this lock file (egress-changed);
                            with 'lock', the file to write (default egress.lock.json)
      --base <git-ref>      compare every VM's egress with the same paths at this commit
                            (read with git, offline; the Markdown report shows the diff)
  -q, --quiet               report errors only (stylish: only the VMs with a finding)
      --subscription-id <id>, --resource-group <name>, --location <region>
                            deployment scope for resourceGroup(), subscription(), uniqueString()
      --inventory <file>    resources already deployed: az CLI list output, Azure Resource
                            Graph results or an exported template (repeatable)
      --no-color            never colour the output (NO_COLOR is honoured too)
  -v, --version             print the version
  -h, --help                print this help

Flags override the configuration file. Exit codes: 0 no errors, 1 error-level findings
(or too many warnings, or an incomplete address list), 2 could not lint (bad flags or
config, no templates found).

Examples:
  egress-lint infra/                                      # stylish report for people
  egress-lint infra/main.json --parameters infra/prod.parameters.json
  egress-lint infra/main.bicep infra/prod.bicepparam      # compiled with the Bicep CLI
  egress-lint "infra/**/*.json" --ignore "infra/legacy/**" --rule implicit-lb-snat=off
  egress-lint infra/ --format json --output egress.json   # the report contract, for scripts
  egress-lint infra/ --format sarif --output egress-lint.sarif   # GitHub code scanning
  egress-lint infra/ --format markdown >> "$GITHUB_STEP_SUMMARY" # pull-request summary
  egress-lint infra/ --format markdown --max-bytes 65000  # fits a pull-request comment
  egress-lint infra/ --format github                      # annotations in a GitHub Actions log
  egress-lint infra/ --format csv --output egress.csv     # one row per VM path and egress
  egress-lint infra/ --format allowlist                   # one address or CIDR per line, with comments
  egress-lint infra/ --format addresses --inventory pips.json  # only addresses, for a firewall tool
  egress-lint infra/ --report sarif=egress-lint.sarif --report json=egress.json
  egress-lint lock infra/                                 # write egress.lock.json; commit it
  egress-lint infra/ --lock egress.lock.json              # fail when a VM's egress moved
  egress-lint infra/ --base origin/main --format markdown # the egress diff of a pull request
  egress-lint infra/ --inventory pips.json                # real addresses: az network public-ip list
  egress-lint expand infra/main.json
  egress-lint eval "[uniqueString('aaa')]"
`;

const LEVELS = new Set(['error', 'warning', 'note', 'off']);

/** The most --report files of one run. */
const MAX_REPORTS = 100;

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  report: { type: 'string', multiple: true },
  config: { type: 'string', short: 'c' },
  ignore: { type: 'string', multiple: true },
  parameters: { type: 'string', short: 'p' },
  template: { type: 'string', short: 't' },
  rule: { type: 'string', multiple: true },
  'max-warnings': { type: 'string' },
  'max-bytes': { type: 'string' },
  lock: { type: 'string' },
  base: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  'subscription-id': { type: 'string' },
  inventory: { type: 'string', multiple: true },
  'resource-group': { type: 'string' },
  location: { type: 'string' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

type Flags = ReturnType<typeof parseFlags>['values'];

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/, '.'));
  }
}

function scopeOf(flags: Flags): Record<string, string> {
  const scope = Object.create(null) as Record<string, string>;
  if (flags['subscription-id']) scope.subscriptionId = flags['subscription-id'];
  if (flags['resource-group']) scope.resourceGroup = flags['resource-group'];
  if (flags.location) scope.location = flags.location;
  return scope;
}

/**
 * The deployment scope expand and eval see: the configuration's `scope` (of the template's folder, else of the
 * working directory; or --config's) under the flags, as the lint sees it.
 */
async function configuredScope(flags: Flags, io: Io, template: string | undefined): Promise<Record<string, string>> {
  if (flags.help) return scopeOf(flags);
  const [{ rules }, { ConfigTree }] = await Promise.all([import('../rules/index.js'), import('./config-tree.js')]);
  const configs = await ConfigTree.open(io.cwd, flags.config, rules);
  const { scope } = template !== undefined ? await configs.forFile(resolve(io.cwd, template)) : await configs.forDir(io.cwd);
  return { ...scope, ...scopeOf(flags) };
}

/** Writes a report file, creating its missing folders. */
function writeFile(io: Io, file: string, text: string): void {
  const abs = resolve(io.cwd, file);
  try {
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  } catch (e) {
    throw new UsageError(`Cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function write(io: Io, flags: Flags, text: string): void {
  if (flags.output) writeFile(io, flags.output, text);
  else io.stdout.write(text);
}

async function lintCommand(paths: string[], flags: Flags, io: Io, mode: 'lint' | 'lock' = 'lint'): Promise<number> {
  const [{ rules }, { discover, namedRoot }, { displayPath }, { lintTargetsParallel }, { FORMATTERS }, { ConfigTree, ignoredAmong }, { Inventories, planRun }, { progressLine }] = await Promise.all([
    import('../rules/index.js'),
    import('../api/discover.js'),
    import('../api/files.js'),
    import('./parallel.js'),
    import('../api/formatters/index.js'),
    import('./config-tree.js'),
    import('./plan.js'),
    import('./progress.js'),
  ]);
  const formatterFor = (name: string, what: string) => {
    const f = Object.hasOwn(FORMATTERS, name) ? FORMATTERS[name] : undefined;
    if (!f) throw new UsageError(`Unknown format '${name}'${what}; use ${Object.keys(FORMATTERS).join(', ')}.`);
    return f;
  };
  const formatter = formatterFor(flags.format ?? 'stylish', '');
  // Repeatable flags are lists the user gives: bounded as the configuration's are, before any glob is compiled.
  const { MAX_ENTRIES } = await import('../api/limits.js');
  for (const [flag, list, max] of [['--ignore', flags.ignore, MAX_ENTRIES.ignore], ['--inventory', flags.inventory, MAX_ENTRIES.inventory], ['--report', flags.report, MAX_REPORTS]] as const) {
    if (list && list.length > max) throw new UsageError(`${flag} is given ${list.length.toLocaleString('en-US')} times; egress-lint takes at most ${max.toLocaleString('en-US')}.`);
  }
  const maxBytes = flags['max-bytes'] !== undefined ? await markdownBudget(flags['max-bytes'], '--max-bytes') : undefined;
  const reports = await Promise.all(
    (flags.report ?? []).map(async (r) => {
      const m = /^([a-z]+)(?::([^=]*))?=(.+)$/.exec(r);
      if (!m) throw new UsageError(`--report expects <format>=<file>, got '${r}'.`);
      if (m[2] !== undefined && m[1] !== 'markdown') throw new UsageError(`--report ${m[1]}:${m[2]}: only a markdown report takes a size (markdown:<bytes>=<file>).`);
      const own = m[2] !== undefined ? await markdownBudget(m[2], `--report markdown:${m[2]}`) : undefined;
      return { formatter: formatterFor(m[1], ' in --report'), file: m[3], ...(own !== undefined ? { maxBytes: own } : {}) };
    }),
  );
  if (maxBytes !== undefined && (flags.format ?? 'stylish') !== 'markdown' && !reports.some((r) => r.formatter === FORMATTERS.markdown))
    throw new UsageError('--max-bytes sizes the Markdown report: use it with --format markdown or --report markdown=<file>.');
  const levels = Object.create(null) as Record<string, 'error' | 'warning' | 'note' | 'off'>;
  for (const r of flags.rule ?? []) {
    const m = /^([a-z0-9-]+)=([a-z]+)$/.exec(r.trim());
    if (!m) throw new UsageError(`--rule expects <id>=<level>, got '${r}'.`);
    if (!rules.some((x) => x.id === m[1])) throw new UsageError(`Unknown rule '${m[1]}' in --rule; see the rule table in the README.`);
    if (!LEVELS.has(m[2])) throw new UsageError(`Unknown level '${m[2]}' for rule ${m[1]}; use error, warning, note or off.`);
    levels[m[1]] = m[2] as 'error';
  }
  let maxWarnings: number | undefined;
  if (flags['max-warnings'] !== undefined) {
    maxWarnings = Number(flags['max-warnings']);
    if (!/^\d+$/.test(flags['max-warnings'].trim()) || !Number.isSafeInteger(maxWarnings)) throw new UsageError(`--max-warnings expects a non-negative integer, got '${flags['max-warnings']}'.`);
  }
  if (flags.parameters && paths.length !== 1) throw new UsageError('--parameters applies to one template: give exactly one path.');
  if (flags.parameters !== undefined) await checkParameterFile(flags.parameters, io.cwd);
  if (mode === 'lock') {
    const given = [flags.output !== undefined ? '-o' : '', flags.report?.length ? '--report' : '', flags.format !== undefined ? '--format' : ''].filter(Boolean);
    if (given.length) throw new UsageError(`'egress-lint lock' writes the lock file (--lock names it) and prints what changed: ${given.join(', ')} ${given.length === 1 ? 'does' : 'do'} not apply to it.`);
  }
  if (mode === 'lock' && flags.base !== undefined) throw new UsageError("--base compares with a commit, and 'egress-lint lock' writes the lock from the files as they are: give one or the other.");

  // Each template's configuration (the files of its folder and above, or --config), then the flags on top of it.
  const configs = await ConfigTree.open(io.cwd, flags.config, rules);
  const found = await discover(paths.length ? paths : ['.'], io.cwd, flags.ignore ?? [], { bicep: true, ignored: (files) => ignoredAmong(files, configs) });
  if (!flags.quiet) for (const note of found.notes) io.stderr.write(`egress-lint: ${note}\n`);
  if (found.targets.length === 0) {
    if (found.searched) throw new UsageError(`No ARM templates found in ${paths.length ? paths.join(', ') : 'the current folder'} (templates are recognised by their $schema).`);
    // Only files were named (as pre-commit and lint-staged do) and none is a template: nothing to lint.
    if (!flags.quiet) io.stderr.write('egress-lint: none of the files given is an ARM template or Bicep file; nothing to lint.\n');
    return 0;
  }
  // Linked templates: read below the repository that holds each template, else below the folder named here; each
  // configuration's URL prefixes read from its folders.
  const runFlags = {
    levels,
    scope: scopeOf(flags),
    inventory: (flags.inventory ?? []).map((f) => resolve(io.cwd, f)),
    links: { root: namedRoot(paths, io.cwd) },
    ...(flags.parameters !== undefined ? { parameters: flags.parameters } : {}),
  };
  const inventories = new Inventories(io.cwd);
  const plan = await planRun(found.targets, io.cwd, configs, runFlags, inventories);
  let targets = [...plan.targets];
  const lockFlag = flags.lock !== undefined ? resolve(io.cwd, flags.lock) : undefined;
  // A report written over a file this run reads would destroy it: refused before any work.
  const outputs = [...(flags.output !== undefined && mode === 'lint' ? [{ flag: '-o', file: flags.output }] : []), ...reports.map((r) => ({ flag: '--report', file: r.file }))];
  // The files a report or a lock file could overwrite, listed once (a Bicep input's own reads are found by reading it).
  const inputs = outputs.length || mode === 'lock' ? await inputsOf(io.cwd, plan.targets, plan, { ...flags, lock: lockFlag }) : [];
  if (outputs.length) (await import('./outputs.js')).checkOutputs(outputs, inputs, io.cwd);
  /** A file's rule levels and lock file: its configuration's, under the flags. */
  const policyOf = async (file: string) => {
    const fc = await configs.forFile(resolve(io.cwd, file));
    const lock = lockFlag ?? fc.lock?.value;
    return { levels: { ...fc.rules, ...levels }, ...(lock !== undefined ? { lock } : {}) };
  };
  // A lock file or a git base to compare with (cli/compare.ts, loaded only then: git and lock handling are start-up
  // time a plain pre-commit run does not need).
  const compares = lockFlag !== undefined || flags.base !== undefined || plan.configs.some((c) => c.lock !== undefined);
  const policy = mode === 'lock' || compares ? await import('./compare.js') : undefined;

  const progress = progressLine(io.stderr, io.env);
  let results;
  try {
    if (targets.some((t) => t.kind !== undefined)) {
      const { compileBicepTargets } = await import('./bicep.js');
      targets = await compileBicepTargets(targets, { cwd: io.cwd, env: io.env, onProgress: (d, n, f) => progress.update('compiling', d, n, f) });
    }
    // On several threads when there is much to lint (EGRESS_LINT_WORKERS=1: never); each template with its own
    // configuration's session options.
    results = await lintTargetsParallel(targets, {
      env: io.env,
      formatters: [formatter, ...reports.map((r) => r.formatter)],
      cwd: io.cwd,
      rules,
      variants: plan.variants,
      variantOf: plan.variantOf,
      ...(flags.parameters ? { parameters: flags.parameters } : {}),
      onProgress: (d, n, f) => progress.update('linting', d, n, f),
    });
  } finally {
    progress.end();
  }

  if (mode === 'lock' && policy) return writeLocks(results, policyOf, resolve(io.cwd, policy.LOCK_FILE), io, inputs);
  let egress;
  if (policy && compares) {
    const options = { io, rules, policyOf, paths, ignore: flags.ignore ?? [], configs, flags: runFlags, inventories, exclude: plan.inventoryFiles };
    ({ results, shown: egress } = await policy.compareEgress(results, { ...options, ...(flags.base !== undefined ? { base: flags.base } : {}) }));
  }
  if (flags.quiet) results = results.map((r) => ({ ...r, findings: r.findings.filter((f) => f.severity === 'error') }));
  // Annotations (--format github) name files relative to the workspace of a GitHub Actions run.
  const workspace = io.env.GITHUB_WORKSPACE ? resolve(io.cwd, io.env.GITHUB_WORKSPACE) : undefined;
  const ctx = { version: version(), cwd: io.cwd, rules, ...(egress ? { egress } : {}), ...(workspace ? { workspace } : {}), ...(flags.quiet ? { quiet: true } : {}) };
  const color = !flags.output && useColor(io.stdout, io.env, flags['no-color'] === true);
  // What the run read that the list of inputs could not name before it (linked templates): checked again.
  if (outputs.length) (await import('./outputs.js')).checkOutputs(outputs, [...inputs, ...linkedOf(io.cwd, results)], io.cwd);
  write(io, flags, formatter(results, { ...ctx, color, ...(maxBytes !== undefined ? { maxBytes } : {}) }));
  for (const r of reports) writeFile(io, r.file, r.formatter(results, { ...ctx, color: false, ...((r.maxBytes ?? maxBytes) !== undefined ? { maxBytes: r.maxBytes ?? maxBytes } : {}) }));
  const all = results.flatMap((r) => r.findings).filter((f) => !f.suppression);
  const errors = all.filter((f) => f.severity === 'error').length;
  // An address list that leaves something out says so, and fails the run: never a silent partial list.
  const partial = [formatter, ...reports.map((r) => r.formatter)].includes(FORMATTERS.addresses) ? (await import('../api/formatters/addresses.js')).partialList(results) : undefined;
  if (partial !== undefined) io.stderr.write(`egress-lint: ${partial}\n`);
  if (errors > 0 || partial !== undefined) return 1;
  if (maxWarnings !== undefined) {
    const warnings = all.filter((f) => f.severity === 'warning').length;
    if (warnings <= maxWarnings) return 0;
    io.stderr.write(`egress-lint: ${warnings} warnings exceed the maximum of ${maxWarnings} (--max-warnings).\n`);
    return 1;
  }
  // A configuration's maxWarnings counts the warnings of the templates it applies to.
  const counts = new Map<Owned<number>, number>();
  for (const r of results) {
    const limit = (await configs.forFile(resolve(io.cwd, r.file))).maxWarnings;
    if (limit) counts.set(limit, (counts.get(limit) ?? 0) + r.findings.filter((f) => f.severity === 'warning' && !f.suppression).length);
  }
  let over = false;
  for (const [limit, warnings] of counts) {
    if (warnings <= limit.value) continue;
    io.stderr.write(`egress-lint: ${warnings} warnings exceed the maximum of ${limit.value} (maxWarnings in ${displayPath(limit.from.file, io.cwd)}).\n`);
    over = true;
  }
  return over ? 1 : 0;
}

/** Every file the run reads that a report could overwrite: templates, parameter files, configuration, lock and inventory files. */
async function inputsOf(cwd: string, targets: readonly Target[], plan: Plan, flags: { parameters?: string; config?: string; lock?: string }): Promise<InputFile[]> {
  const out: InputFile[] = [];
  const { bicepReads } = await import('./bicep-reads.js');
  for (const t of targets) {
    out.push({ abs: resolve(cwd, t.template), what: 'the template' });
    if (t.kind !== undefined) for (const f of bicepReads(resolve(cwd, t.template))) out.push({ abs: f, what: `a file ${t.template} names` });
    if (t.parameters !== undefined) out.push({ abs: resolve(cwd, t.parameters), what: 'the parameter file' });
  }
  if (flags.parameters !== undefined) out.push({ abs: resolve(cwd, flags.parameters), what: 'the parameter file' });
  if (flags.config !== undefined) out.push({ abs: resolve(cwd, flags.config), what: 'the configuration file' });
  if (flags.lock !== undefined) out.push({ abs: flags.lock, what: 'the lock file' });
  for (const c of plan.configs) {
    for (const f of c.files) out.push({ abs: f.file, what: 'the configuration file' });
    if (c.lock) out.push({ abs: c.lock.value, what: 'the lock file' });
  }
  for (const f of plan.inventoryFiles) out.push({ abs: f, what: 'the inventory file' });
  return out;
}

/** The linked templates the results read (`linked`, relative to the working directory or absolute). */
function linkedOf(cwd: string, results: readonly LintResult[]): InputFile[] {
  const out: InputFile[] = [];
  for (const r of results) for (const f of r.linked ?? []) out.push({ abs: resolve(cwd, f), what: 'the linked template' });
  return out;
}

/** expand and eval never write their output over the template, its parameter file or the configuration they read. */
async function checkCommandOutput(template: string | undefined, flags: Flags, io: Io): Promise<void> {
  const [{ checkOutputs }, { parameterFileFor }, { ConfigTree }] = await Promise.all([import('./outputs.js'), import('../api/discover.js'), import('./config-tree.js')]);
  const inputs: InputFile[] = [];
  if (template !== undefined) {
    inputs.push({ abs: resolve(io.cwd, template), what: 'the template' });
    inputs.push({ abs: resolve(io.cwd, flags.parameters ?? parameterFileFor(template)), what: 'the parameter file' });
  } else if (flags.parameters !== undefined) inputs.push({ abs: resolve(io.cwd, flags.parameters), what: 'the parameter file' });
  if (flags.config !== undefined) inputs.push({ abs: resolve(io.cwd, flags.config), what: 'the configuration file' });
  // The configuration files that apply to the template (or, for eval without one, to the working directory).
  const rules = (await import('../rules/index.js')).rules;
  const configs = await ConfigTree.open(io.cwd, flags.config, rules);
  const fc = await configs.forFile(resolve(io.cwd, template ?? 'x.json'));
  for (const f of fc.files) inputs.push({ abs: f.file, what: 'the configuration file' });
  checkOutputs([{ flag: '-o', file: flags.output! }], inputs, io.cwd);
}

/**
 * expand and eval read the template and the parameter file as lint mode does: a named pipe, device or socket (which
 * could wait forever for a writer) stops the run (exit 2) before anything is read. A missing file or a folder is
 * left to the command, which says so in its own words.
 */
async function checkCommandInputs(template: string | undefined, flags: Flags, io: Io): Promise<void> {
  const [{ statSync }, { inputProblem }] = await Promise.all([import('node:fs'), import('../api/input-files.js')]);
  for (const [file, what] of [[template, 'template'], [flags.parameters, 'parameter file']] as const) {
    if (file === undefined) continue;
    const st = statSync(resolve(io.cwd, file), { throwIfNoEntry: false });
    if (!st || st.isFile() || st.isDirectory()) continue;
    const problem = inputProblem(resolve(io.cwd, file), `the ${what} ${file}`, 'parameters');
    if (problem) throw problem;
  }
}

/**
 * The parameter file of --parameters must be there, a regular file within INPUT_CAPS.parameters: a missing one, a
 * folder, a pipe or device (which would never end) or a huge file stops the run (exit 2), as a missing inventory
 * does. What is there but cannot be used (broken JSON) is the template's finding.
 */
async function checkParameterFile(file: string, cwd: string): Promise<void> {
  const { inputProblem } = await import('../api/input-files.js');
  const problem = inputProblem(resolve(cwd, file), `the parameter file ${file}`, 'parameters');
  if (problem) throw problem;
}

/**
 * `egress-lint lock`: each template's VMs go to its lock file (--lock, else its configuration's `lock`, else
 * egress.lock.json in the working directory); one lock file after the other, the highest exit code.
 */
async function writeLocks(results: readonly LintResult[], policyOf: (file: string) => Promise<{ readonly lock?: string }>, fallback: string, io: Io, inputs: readonly InputFile[]): Promise<number> {
  const [{ lockCommand }, { checkOutputs }] = await Promise.all([import('./commands/lock.js'), import('./outputs.js')]);
  const groups = new Map<string, LintResult[]>();
  for (const r of results) {
    const lock = (await policyOf(r.file)).lock ?? fallback;
    const group = groups.get(lock);
    if (group) group.push(r);
    else groups.set(lock, [r]);
  }
  // A lock written over a file the run reads (a template, its parameter file, a configuration) would destroy it:
  // refused, every lock file, before any is written. The lock files themselves are read, and rewritten.
  const others = inputs.filter((i) => i.what !== 'the lock file');
  for (const lock of groups.keys()) checkOutputs([{ flag: 'the lock file', file: lock, fix: 'name another lock file' }], others, io.cwd);
  let code = 0;
  for (const lock of [...groups.keys()].sort()) {
    const elsewhere = new Set<string>();
    for (const [other, rs] of groups) if (other !== lock) for (const r of rs) elsewhere.add(resolve(io.cwd, r.file));
    code = Math.max(code, lockCommand(groups.get(lock)!, lock, io, elsewhere));
  }
  return code;
}

/** A Markdown size budget from a flag: 0 (no limit) or at least MARKDOWN_MIN_BYTES. */
async function markdownBudget(text: string, what: string): Promise<number> {
  const { MARKDOWN_MIN_BYTES } = await import('../api/formatters/markdown-budget.js');
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || (n !== 0 && n < MARKDOWN_MIN_BYTES))
    throw new UsageError(`${what} expects a number of bytes of at least ${MARKDOWN_MIN_BYTES}, or 0 for no limit; got '${text}'.`);
  return n;
}

/** Runs the CLI and returns its exit code. Never throws: tool problems print a message and return 2. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const { values: flags, positionals } = parseFlags(argv);
    const sub = positionals[0] === 'expand' || positionals[0] === 'eval';
    if (flags.help && !sub) {
      io.stdout.write(HELP);
      return 0;
    }
    if (flags.version) {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    const [first, ...rest] = positionals;
    if (first === 'expand' || first === 'eval') await checkCommandInputs(first === 'expand' ? rest[0] : flags.template, flags, io);
    if ((first === 'expand' || first === 'eval') && flags.output !== undefined) await checkCommandOutput(first === 'expand' ? rest[0] : flags.template, flags, io);
    if (first === 'expand') return (await import('./commands/expand.js')).expandCommand(rest, flags, io, await configuredScope(flags, io, rest[0]), write);
    if (first === 'eval') return (await import('./commands/eval.js')).evalCommand(rest, flags, io, await configuredScope(flags, io, flags.template), write);
    if (first === 'lock') return await lintCommand(rest, flags, io, 'lock');
    return await lintCommand(positionals, flags, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`egress-lint: ${e.message}\n`);
      // A problem that is not a usage mistake (a bad configuration file, a git error): --help would not help.
      if (!/--help/.test(e.message) && !(e as { noHint?: boolean }).noHint) io.stderr.write("Run 'egress-lint --help' for usage.\n");
      return 2;
    }
    io.stderr.write(`egress-lint: internal error: ${(e as Error).stack ?? String(e)}\nPlease report this with the template that caused it.\n`);
    return 2;
  }
}

export type { Flags };
