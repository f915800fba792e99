// Reads a commit of the git repository around the working directory, for --base: the repository root, a ref
// resolved to a commit, and the commit's template files copied into a private folder. git runs with argument
// arrays (never a shell), never prompts, and never fetches: a blob missing from a partial clone is an error.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../api/errors.js';

/** A git problem that stops the run: exit 2 with the message, without the "run --help" hint. */
export class GitError extends UsageError {
  readonly noHint = true;
}

/** Files the base lint needs: templates, parameter files, Bicep, bicepconfig.json, and .gitignore for discovery. */
const WANTED = /(?:\.(?:jsonc?|bicep|bicepparam)|(?:^|\/)\.gitignore)$/i;
/** The same cap as for files in the working tree (api/files.ts): nothing larger is linted. */
const MAX_BLOB_BYTES = 64 * 1024 * 1024;

interface Run {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function git(args: readonly string[], cwd: string, env: Env, input?: string): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn('git', ['-c', 'protocol.allow=never', ...args], {
      cwd,
      // No prompt for credentials, no lazy fetch of missing objects (git 2.44+; protocol.allow=never covers older).
      env: { ...env, GIT_TERMINAL_PROMPT: '0', GIT_NO_LAZY_FETCH: '1', GIT_OPTIONAL_LOCKS: '0' } as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    child.on('error', (e: NodeJS.ErrnoException) => fail(new GitError(e.code === 'ENOENT' ? '--base needs git on PATH, and there is none.' : `Cannot run git (${e.code ?? e.message}).`)));
    child.on('close', (code) => done({ code: code ?? -1, stdout: Buffer.concat(out), stderr: err.trim() }));
    child.stdin.on('error', () => undefined); // git may exit before reading everything; its exit code tells
    child.stdin.end(input ?? '');
  });
}

/** The repository holding `cwd`: its root and the working directory's path inside it ('' or 'infra/app/'). */
export async function gitRepository(cwd: string, env: Env): Promise<{ root: string; prefix: string }> {
  const r = await git(['rev-parse', '--show-toplevel', '--show-prefix'], cwd, env);
  if (r.code !== 0) throw new GitError(`--base compares with a git commit, but ${cwd} is not inside a git repository${r.stderr ? ` (git: ${firstLine(r.stderr)})` : ''}.`);
  const [root, prefix = ''] = r.stdout.toString('utf8').split('\n');
  return { root, prefix };
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/[.\s]+$/, '');
}

/** The commit a ref names (a branch, tag, sha, HEAD~1, origin/main...), as a full sha. */
export async function resolveCommit(root: string, ref: string, env: Env): Promise<string> {
  if (ref.trim() === '' || ref.startsWith('-')) throw new GitError(`--base expects a git ref such as main, origin/main or HEAD~1, got '${ref}'.`);
  const r = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], root, env);
  const sha = r.stdout.toString('utf8').trim();
  if (r.code !== 0 || !/^[0-9a-f]{40,64}$/.test(sha)) {
    throw new GitError(`--base ${ref}: git knows no commit by that name in ${root}. In a shallow clone fetch it first (actions/checkout with fetch-depth: 0, or git fetch origin ${ref.replace(/^origin\//, '')}).`);
  }
  return sha;
}

/**
 * Writes the template files of `commit` (see WANTED) into `dest`, at the same paths as in the repository, and
 * returns how many. Symbolic links and submodules are left out, and so are files larger than 64 MB.
 */
export async function materialiseCommit(root: string, commit: string, dest: string, env: Env): Promise<number> {
  const list = await git(['ls-tree', '-r', '-z', '-l', '--full-tree', commit], root, env);
  if (list.code !== 0) throw new GitError(`git cannot list commit ${commit.slice(0, 12)}: ${firstLine(list.stderr)}.`);
  const blobs: { sha: string; path: string }[] = [];
  for (const rec of list.stdout.toString('utf8').split('\0')) {
    const m = /^(\d+) (\w+) ([0-9a-f]+) +(-|\d+)\t(.+)$/s.exec(rec);
    if (!m || m[2] !== 'blob' || (m[1] !== '100644' && m[1] !== '100755')) continue;
    const path = m[5];
    const segments = path.split('/');
    if (!WANTED.test(path) || Number(m[4]) > MAX_BLOB_BYTES || segments.some((s) => s === '..' || s === '' || s.toLowerCase() === '.git')) continue;
    blobs.push({ sha: m[3], path });
  }
  if (blobs.length === 0) return 0;
  const cat = await git(['cat-file', '--batch'], root, env, blobs.map((b) => `${b.sha}\n`).join(''));
  if (cat.code !== 0) throw new GitError(`git cannot read the files of commit ${commit.slice(0, 12)}: ${firstLine(cat.stderr)}.`);
  // Each answer is "<sha> <type> <size>\n<content>\n", or "<sha> missing\n" (a blob a partial clone never fetched).
  let at = 0;
  for (const b of blobs) {
    const nl = cat.stdout.indexOf(10, at);
    const header = cat.stdout.subarray(at, nl).toString('utf8').split(' ');
    if (header[1] !== 'blob') throw new GitError(`git cannot read ${b.path} at commit ${commit.slice(0, 12)} (${header.slice(1).join(' ') || 'no answer'}); egress-lint never fetches it.`);
    const size = Number(header[2]);
    const file = join(dest, ...b.path.split('/'));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, cat.stdout.subarray(nl + 1, nl + 1 + size));
    at = nl + 1 + size + 1;
  }
  return blobs.length;
}
