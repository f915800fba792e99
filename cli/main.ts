// The CLI: argv → discover → load → expand → lint → format → exit code (0 clean, 1 errors, 2 could not lint).
// Returns the exit code; only bin.ts touches process.exitCode.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from '../api/errors.js';
import { version } from '../api/version.js';
import type { Io } from './io.js';
import { useColor } from './io.js';

const HELP = `Usage: egress-lint [options] [paths...]
       egress-lint lock [paths...] [--lock <file>]
       egress-lint expand <template> [--parameters <file>]
       egress-lint eval "<expression>" [--template <file>] [--parameters <file>]

Finds every VM, scale set and AKS node pool in ARM templates and Bicep files, works out
which public IPs their Internet-bound traffic can carry, offline, and reports every one
whose egress IP is not deterministic.

Paths are files, folders or globs (default: the current folder). Templates are found by
their $schema; <name>.parameters.json beside a template is used as its parameter file.
.bicep and .bicepparam files are compiled with the Bicep CLI (bicep, or az bicep);
without one, each is a template-invalid error, and the other files are linted.
Files named one by one that are not templates (package.json) are skipped.

Options:
  -f, --format <name>       stylish (default), json, sarif, markdown, csv or allowlist
  -o, --output <file>       write the report to a file instead of standard output
      --report <format>=<file>
                            also write the report in another format (repeatable)
  -c, --config <file>       the configuration file (default: the nearest
                            egress-lint.config.json upwards, up to the repository root)
  -p, --parameters <file>   parameter file for the template(s)
      --ignore <glob>       leave out matching files (repeatable; .gitignore is respected)
      --rule <id>=<level>   set a rule's level: error, warning, note or off (repeatable)
      --max-warnings <n>    exit 1 when there are more than n warnings
      --lock <file>         compare every VM's egress with this lock file (egress-changed);
                            with 'lock', the file to write (default egress.lock.json)
      --base <git-ref>      compare every VM's egress with the same paths at this commit
                            (read with git, offline; the Markdown report shows the diff)
  -q, --quiet               report errors only
      --subscription-id <id>, --resource-group <name>, --location <region>
                            deployment scope for resourceGroup(), subscription(), uniqueString()
      --inventory <file>    resources already deployed: az CLI list output, Azure Resource
                            Graph results or an exported template (repeatable)
      --no-color            never colour the output (NO_COLOR is honoured too)
  -v, --version             print the version
  -h, --help                print this help

Flags override the configuration file. Exit codes: 0 no errors, 1 error-level findings
(or too many warnings), 2 could not lint (bad flags or config, no templates found).

Examples:
  egress-lint infra/                                      # stylish report for people
  egress-lint infra/main.json --parameters infra/prod.parameters.json
  egress-lint infra/main.bicep infra/prod.bicepparam      # compiled with the Bicep CLI
  egress-lint "infra/**/*.json" --ignore "infra/legacy/**" --rule implicit-lb-snat=off
  egress-lint infra/ --format json --output egress.json   # the report contract, for scripts
  egress-lint infra/ --format sarif --output egress-lint.sarif   # GitHub code scanning
  egress-lint infra/ --format markdown >> "$GITHUB_STEP_SUMMARY" # pull-request summary
  egress-lint infra/ --format csv --output egress.csv     # one row per VM path and egress
  egress-lint infra/ --format allowlist                   # one address or resource per line
  egress-lint infra/ --report sarif=egress-lint.sarif --report json=egress.json
  egress-lint lock infra/                                 # write egress.lock.json; commit it
  egress-lint infra/ --lock egress.lock.json              # fail when a VM's egress moved
  egress-lint infra/ --base origin/main --format markdown # the egress diff of a pull request
  egress-lint infra/ --inventory pips.json                # real addresses: az network public-ip list
  egress-lint expand infra/main.json
  egress-lint eval "[uniqueString('aaa')]"
`;

const LEVELS = new Set(['error', 'warning', 'note', 'off']);

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
  const scope: Record<string, string> = {};
  if (flags['subscription-id']) scope.subscriptionId = flags['subscription-id'];
  if (flags['resource-group']) scope.resourceGroup = flags['resource-group'];
  if (flags.location) scope.location = flags.location;
  return scope;
}

function writeFile(io: Io, file: string, text: string): void {
  try {
    writeFileSync(resolve(io.cwd, file), text);
  } catch (e) {
    throw new UsageError(`Cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function write(io: Io, flags: Flags, text: string): void {
  if (flags.output) writeFile(io, flags.output, text);
  else io.stdout.write(text);
}

async function lintCommand(paths: string[], flags: Flags, io: Io, mode: 'lint' | 'lock' = 'lint'): Promise<number> {
  const [{ rules }, { discover, namedRoot }, { lintTargetsParallel }, { FORMATTERS }, config, { progressLine }] = await Promise.all([
    import('../rules/index.js'),
    import('../api/discover.js'),
    import('./parallel.js'),
    import('../api/formatters/index.js'),
    import('./config.js'),
    import('./progress.js'),
  ]);
  const formatterFor = (name: string, what: string) => {
    const f = Object.hasOwn(FORMATTERS, name) ? FORMATTERS[name] : undefined;
    if (!f) throw new UsageError(`Unknown format '${name}'${what}; use ${Object.keys(FORMATTERS).join(', ')}.`);
    return f;
  };
  const formatter = formatterFor(flags.format ?? 'stylish', '');
  const reports = (flags.report ?? []).map((r) => {
    const m = /^([a-z]+)=(.+)$/.exec(r);
    if (!m) throw new UsageError(`--report expects <format>=<file>, got '${r}'.`);
    return { formatter: formatterFor(m[1], ' in --report'), file: m[2] };
  });
  const levels: Record<string, 'error' | 'warning' | 'note' | 'off'> = {};
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

  // The configuration file, then the flags on top of it.
  const loaded = await config.resolveConfig(io.cwd, flags.config, rules);
  const cfg = loaded?.config ?? {};
  const allLevels = { ...(cfg.rules ?? {}), ...levels };
  maxWarnings ??= cfg.maxWarnings;
  const scope = { ...(cfg.scope ?? {}), ...scopeOf(flags) };
  // The egress policy: the allow-list, and a lock file or a git base to compare with (cli/compare.ts, loaded only
  // when one is configured: git and lock handling are start-up time a plain pre-commit run does not need).
  const needsPolicy = mode === 'lock' || flags.lock !== undefined || flags.base !== undefined || cfg.lock !== undefined || (cfg.allow?.length ?? 0) > 0;
  const policy = needsPolicy ? await import('./compare.js') : undefined;
  const settings = policy?.settingsOf(cfg) ?? {};
  const lockFile = policy?.lockPathOf(flags.lock, loaded, io.cwd);
  if (mode === 'lock' && flags.base !== undefined) throw new UsageError("--base compares with a commit, and 'egress-lint lock' writes the lock from the files as they are: give one or the other.");
  // Inventory files: the configuration's (relative to it), then --inventory's; read once for every template.
  const inventoryFiles = [...(loaded ? (cfg.inventory ?? []).map((f) => resolve(loaded.dir, f)) : []), ...(flags.inventory ?? []).map((f) => resolve(io.cwd, f))];
  const inventory = inventoryFiles.length > 0 ? (await import('../api/inventory.js')).loadInventory(inventoryFiles, io.cwd, scope) : undefined;

  // Linked templates: read below the repository that holds each template, else below the folder named here; the
  // configuration's URL prefixes read from its folders.
  const links = { root: namedRoot(paths, io.cwd), ...(loaded && cfg.links ? { map: Object.fromEntries(Object.entries(cfg.links).map(([prefix, folder]) => [prefix, resolve(loaded.dir, folder)])) } : {}) };
  const found = await discover(paths.length ? paths : ['.'], io.cwd, flags.ignore ?? [], {
    bicep: true,
    ...(loaded && cfg.ignore?.length ? { ignoreFrom: { dir: loaded.dir, patterns: cfg.ignore } } : {}),
  });
  if (!flags.quiet) for (const note of found.notes) io.stderr.write(`egress-lint: ${note}\n`);
  if (found.targets.length === 0) {
    if (found.searched) throw new UsageError(`No ARM templates found in ${paths.length ? paths.join(', ') : 'the current folder'} (templates are recognised by their $schema).`);
    // Only files were named (as pre-commit and lint-staged do) and none is a template: nothing to lint.
    if (!flags.quiet) io.stderr.write('egress-lint: none of the files given is an ARM template or Bicep file; nothing to lint.\n');
    return 0;
  }
  // An exported template given as inventory is reference data, not a template to lint.
  let targets = inventoryFiles.length > 0 ? found.targets.filter((t) => !inventoryFiles.includes(resolve(io.cwd, t.template))) : found.targets;
  if (loaded && cfg.parameters && !flags.parameters) targets = await config.applyConfigParameters(targets, loaded, io.cwd);

  const progress = progressLine(io.stderr, io.env);
  let results;
  try {
    if (targets.some((t) => t.kind !== undefined)) {
      const { compileBicepTargets } = await import('./bicep.js');
      targets = await compileBicepTargets(targets, { cwd: io.cwd, env: io.env, onProgress: (d, n, f) => progress.update('compiling', d, n, f) });
    }
    // On several threads when there is much to lint (EGRESS_LINT_WORKERS=1: never).
    results = await lintTargetsParallel(targets, {
      env: io.env,
      formatters: [formatter, ...reports.map((r) => r.formatter)],
      cwd: io.cwd,
      rules,
      levels: allLevels,
      scope,
      settings,
      links,
      ...(inventory ? { inventory } : {}),
      ...(flags.parameters ? { parameters: flags.parameters } : {}),
      onProgress: (d, n, f) => progress.update('linting', d, n, f),
    });
  } finally {
    progress.end();
  }

  if (mode === 'lock' && policy) return (await import('./commands/lock.js')).lockCommand(results, lockFile ?? resolve(io.cwd, policy.LOCK_FILE), io);
  let egress;
  if (policy && (lockFile !== undefined || flags.base !== undefined)) {
    const run = { scope, links, ...(inventory ? { inventory } : {}) };
    const common = { io, rules, levels: allLevels, settings, paths, ignore: flags.ignore ?? [], loaded, run, exclude: inventoryFiles, ...(flags.parameters ? { parameters: flags.parameters } : {}) };
    ({ results, shown: egress } = await policy.compareEgress(results, { ...common, ...(lockFile !== undefined ? { lockFile } : {}), ...(flags.base !== undefined ? { base: flags.base } : {}) }));
  }
  if (flags.quiet) results = results.map((r) => ({ ...r, findings: r.findings.filter((f) => f.severity === 'error') }));
  const ctx = { version: version(), cwd: io.cwd, rules, ...(egress ? { egress } : {}) };
  const color = !flags.output && useColor(io.stdout, io.env, flags['no-color'] === true);
  write(io, flags, formatter(results, { ...ctx, color }));
  for (const r of reports) writeFile(io, r.file, r.formatter(results, { ...ctx, color: false }));
  const all = results.flatMap((r) => r.findings).filter((f) => !f.suppression);
  const errors = all.filter((f) => f.severity === 'error').length;
  const warnings = all.filter((f) => f.severity === 'warning').length;
  if (errors > 0) return 1;
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    io.stderr.write(`egress-lint: ${warnings} warnings exceed the maximum of ${maxWarnings} (${flags['max-warnings'] !== undefined ? '--max-warnings' : 'maxWarnings in the configuration'}).\n`);
    return 1;
  }
  return 0;
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
    if (first === 'expand') return (await import('./commands/expand.js')).expandCommand(rest, flags, io, scopeOf(flags), write);
    if (first === 'eval') return (await import('./commands/eval.js')).evalCommand(rest, flags, io, scopeOf(flags), write);
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
