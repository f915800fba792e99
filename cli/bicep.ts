// Compiles .bicep and .bicepparam inputs to ARM JSON with the Bicep CLI (`bicep`, or `az bicep` when only the
// Azure CLI is on PATH), in memory: the linted document is the compiled JSON, named after the Bicep file.
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Finding } from '../engine/index.js';
import type { Target } from '../api/discover.js';
import { fileProblem } from '../api/run.js';

export const COMPILE_TIMEOUT_MS = 60_000;

/**
 * How long one Bicep CLI process may take: EGRESS_LINT_BICEP_TIMEOUT=<seconds> (a busy CI runner can need more than
 * the default), else COMPILE_TIMEOUT_MS.
 */
export function compileTimeoutMs(env: Readonly<Record<string, string | undefined>>): number {
  const s = Number(env.EGRESS_LINT_BICEP_TIMEOUT?.trim());
  return Number.isFinite(s) && s > 0 ? Math.round(s * 1000) : COMPILE_TIMEOUT_MS;
}
/** Compiled templates are far below this; the cap only stops a runaway child from exhausting memory. */
export const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

export const INSTALL_HINT =
  'Install the Bicep CLI (https://learn.microsoft.com/azure/azure-resource-manager/bicep/install) and put `bicep` on PATH, or install the Azure CLI (`az`), which runs `az bicep build`.';

export interface BicepCompiler {
  readonly kind: 'bicep' | 'az';
  /** Absolute path of the executable. */
  readonly path: string;
}

/** The first executable called `name` on PATH (PATHEXT on Windows). */
function which(name: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').map((e) => e.toLowerCase()) : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const file = join(dir, name + ext);
      try {
        const st = statSync(file);
        if (st.isFile() && (process.platform === 'win32' || (st.mode & 0o111) !== 0)) return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** `bicep` when it is on PATH, else `az` (which runs its own Bicep install), else undefined. */
export function findBicep(env: Readonly<Record<string, string | undefined>>): BicepCompiler | undefined {
  const bicep = which('bicep', env);
  if (bicep) return { kind: 'bicep', path: bicep };
  const az = which('az', env);
  return az ? { kind: 'az', path: az } : undefined;
}

/** The command line for one input. */
export function bicepArgs(compiler: BicepCompiler, kind: 'bicep' | 'bicepparam', file: string): string[] {
  const command = kind === 'bicep' ? 'build' : 'build-params';
  return compiler.kind === 'bicep' ? [command, file, '--stdout'] : ['bicep', command, '--file', file, '--stdout'];
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly problem?: 'timeout' | 'too-large' | 'spawn';
  readonly spawnError?: string;
}

function run(compiler: BicepCompiler, args: string[], cwd: string, env: Readonly<Record<string, string | undefined>>, timeout: number): Promise<Run> {
  // Windows runs az.cmd / bicep.cmd only through a shell; quote the arguments for cmd.exe.
  const shell = process.platform === 'win32' && /\.(cmd|bat)$/i.test(compiler.path);
  const argv = shell ? args.map((a) => `"${a.replace(/"/g, '""')}"`) : args;
  return new Promise((done) => {
    execFile(
      shell ? `"${compiler.path}"` : compiler.path,
      argv,
      { cwd, env: env as NodeJS.ProcessEnv, timeout, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8', windowsHide: true, shell },
      (error, stdout, stderr) => {
        if (!error) return done({ code: 0, stdout, stderr });
        const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return done({ code: -1, stdout: '', stderr, problem: 'too-large' });
        if (e.killed) return done({ code: -1, stdout: '', stderr, problem: 'timeout' });
        if (typeof e.code === 'string') return done({ code: -1, stdout: '', stderr, problem: 'spawn', spawnError: e.code });
        done({ code: typeof e.code === 'number' ? e.code : 1, stdout, stderr });
      },
    );
  });
}

function finding(file: string, message: string, help: string, line = 1, column = 1): Finding {
  return fileProblem(file, message, help, line, column);
}

const COMPILE_HELP = 'Fix the Bicep error (`bicep build <file>` shows it too), then lint again.';

/**
 * Bicep's diagnostics on stderr, `<path>(<line>,<column>) : Error BCP018: <message>`, as findings at that place in
 * the Bicep source (a module's error names the module file). Warnings are Bicep's own linter and left to it.
 */
export function diagnostics(stderr: string, input: string, cwd: string): Finding[] {
  const out: Finding[] = [];
  for (const line of stderr.split(/\r?\n/)) {
    const m = /^(.*)\((\d+),(\d+)\)\s*:\s*Error\s+([A-Za-z]+\d+)\s*:\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    const abs = resolve(cwd, m[1]);
    const rel = relative(cwd, abs);
    const file = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : input;
    out.push(finding(file, `Bicep could not compile it: ${m[4]} ${m[5].trim()}`, COMPILE_HELP, Number(m[2]), Number(m[3])));
  }
  return out;
}

/** Text for a message: trimmed, absolute paths under the working directory made relative, at most 20 lines. */
function tidy(text: string, cwd: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.split(cwd + sep).join('').trimEnd()).filter((l) => l.trim() !== '');
  return lines.slice(0, 20).join('\n') + (lines.length > 20 ? `\n(${lines.length - 20} more lines)` : '');
}

/** The `bicep build-params --stdout` output: {"parametersJson": "…", "templateJson": "…" | null, "templateSpecId": … }. */
export function readBuildParams(stdout: string): { template?: string; parameters: string; templateSpecId?: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.parametersJson !== 'string') return undefined;
  return {
    parameters: v.parametersJson,
    ...(typeof v.templateJson === 'string' ? { template: v.templateJson } : {}),
    ...(typeof v.templateSpecId === 'string' ? { templateSpecId: v.templateSpecId } : {}),
  };
}

async function compileOne(target: Target, compiler: BicepCompiler, cwd: string, env: Readonly<Record<string, string | undefined>>, timeout: number): Promise<Target> {
  const kind = target.kind === 'bicepparam' ? 'bicepparam' : 'bicep';
  const file = target.template;
  const r = await run(compiler, bicepArgs(compiler, kind, resolve(cwd, file)), cwd, env, timeout);
  const fail = (...findings: Finding[]): Target => ({ ...target, failed: findings });
  if (r.problem === 'spawn') return fail(finding(file, `egress-lint could not start ${compiler.path} (${r.spawnError}) to compile this Bicep file, so it was not linted.`, INSTALL_HINT));
  if (r.problem === 'timeout') return fail(finding(file, `The Bicep CLI did not finish compiling it within ${timeout / 1000} s.`, 'Compile it by hand (`bicep build <file>`) to see what hangs, set EGRESS_LINT_BICEP_TIMEOUT=<seconds> on a busy machine, or lint the compiled JSON instead.'));
  if (r.problem === 'too-large') return fail(finding(file, `The Bicep CLI printed more than ${MAX_OUTPUT_BYTES / 1048576} MB for it.`, 'Lint the compiled JSON instead.'));
  if (r.code !== 0) {
    const found = diagnostics(r.stderr, file, cwd);
    if (found.length) return fail(...found);
    const said = tidy(r.stderr || r.stdout, cwd);
    return fail(finding(file, `Bicep could not compile it (exit code ${r.code})${said ? `: ${said}` : '.'}`, COMPILE_HELP));
  }
  if (kind === 'bicep') return { ...target, compiled: { template: r.stdout } };
  const built = readBuildParams(r.stdout);
  if (!built) return fail(finding(file, 'The Bicep CLI printed something other than the JSON that `bicep build-params --stdout` prints (parametersJson, templateJson).', 'Check the Bicep CLI version (0.18.4 or later builds .bicepparam files).'));
  if (built.template === undefined) {
    const what = built.templateSpecId ? `template spec ${built.templateSpecId}` : 'no local template';
    return fail(finding(file, `Its 'using' declaration names ${what}, so there is no template to lint.`, "Point 'using' at a local .bicep or JSON template, or lint that template with a JSON parameter file."));
  }
  return { ...target, compiled: { template: built.template, parameters: built.parameters } };
}

export interface CompileOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** At most this many Bicep CLI processes at once (each is a .NET process; default 4, at most one per CPU). */
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  onProgress?(done: number, total: number, file: string): void;
}

/** Why a Bicep input was not linted when there is no Bicep CLI: a finding on it, so the other files are still linted. */
export const NO_COMPILER = "It is a Bicep file, and neither 'bicep' nor 'az' is on PATH to compile it, so it was not linted.";

/**
 * Compiles every Bicep target (others pass through unchanged), keeping the order. A Bicep input that cannot be
 * compiled (no `bicep` or `az` on PATH, a compile error, a CLI that cannot start or hangs) gets a template-invalid
 * finding instead of its lint, and every other file is linted as usual.
 */
export async function compileBicepTargets(targets: readonly Target[], options: CompileOptions): Promise<Target[]> {
  const todo = targets.map((t, i) => ({ t, i })).filter(({ t }) => t.kind !== undefined && !t.compiled && !t.failed);
  if (todo.length === 0) return [...targets];
  const out = [...targets];
  const compiler = findBicep(options.env);
  if (!compiler) {
    for (const { t, i } of todo) out[i] = { ...t, failed: [finding(t.template, NO_COMPILER, INSTALL_HINT)] };
    return out;
  }
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const { t, i } = todo[next++];
      options.onProgress?.(done, todo.length, t.template);
      out[i] = await compileOne(t, compiler, options.cwd, options.env, options.timeoutMs ?? compileTimeoutMs(options.env));
      done++;
    }
  };
  // A .NET start is mostly CPU: more processes than CPUs only makes each one slower (and nearer its timeout).
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? Math.max(1, Math.min(4, availableParallelism())), todo.length) }, worker));
  return out;
}
