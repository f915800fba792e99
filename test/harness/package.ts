// Builds the package (tsc with tsconfig.build.json) into a temporary folder holding a copy of package.json and a
// link to node_modules, so tests import 'egress-lint' and 'egress-lint/eslint-plugin' through "exports", as users
// do, without touching the repository's own dist/. Built once per test process, removed on exit.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname;

let built: string | undefined;

/** A fresh temporary folder, removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The folder of the built package (package.json, dist/, node_modules → the repository's). */
export function builtPackage(): string {
  if (built) return built;
  const dir = tempDir('egress-lint-pkg-');
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')], { stdio: 'pipe' });
  built = dir;
  return dir;
}

/** Runs node on a script; returns stdout, stderr and the exit code (never throws on a non-zero exit). */
export function runNode(args: string[], cwd: string): { code: number; out: string; err: string } {
  try {
    const env = { ...process.env };
    delete env.FORCE_COLOR; // uvu's; node warns when both are set, and nothing here prints colour
    const out = execFileSync(process.execPath, args, { cwd, encoding: 'utf8', stdio: 'pipe', env });
    return { code: 0, out, err: '' };
  } catch (e) {
    const x = e as { status?: number; stdout?: string; stderr?: string };
    return { code: x.status ?? -1, out: x.stdout ?? '', err: x.stderr ?? '' };
  }
}
