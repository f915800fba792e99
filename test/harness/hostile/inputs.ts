// Issue 21, items 2 and 4: files other than templates (config, lock, inventory, parameters) and discovery. A correct
// run refuses a bounded-size or wrong-kind file with exit 2 naming it, and never drops or overwrites a file silently.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, symlinkSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { HostileInput } from './types.js';
import { templateText } from './types.js';

const EMPTY = templateText({});

/** A sparse file of `bytes` (no disk used): stat gives its size, and reading it would read that many zero bytes. */
function sparse(name: string, bytes: number): (dir: string) => void {
  return (dir) => {
    closeSync(openSync(join(dir, name), 'w'));
    truncateSync(join(dir, name), bytes);
  };
}

const fifo = (name: string) => (dir: string) => execFileSync('mkfifo', [join(dir, name)]);

const GIB = 1024 * 1024 * 1024;

/** The file stays as it was written. */
const fileKept = (name: string, text: string) => (dir: string) => (readFileSync(join(dir, name), 'utf8') === text ? undefined : `${name} was overwritten`);

const symlink = (target: string, name: string) => (dir: string) => execFileSync('ln', ['-s', target, join(dir, name)]);

/** The template stays as it was written (a report over it would replace it). */
const templateKept = (name: string) => (dir: string) => (readFileSync(join(dir, name), 'utf8') === EMPTY ? undefined : `${name} was overwritten`);

export const inputsInputs: readonly HostileInput[] = [
  { name: '-c /dev/zero', files: () => ({ 'main.json': EMPTY }), args: ['-c', '/dev/zero', 'main.json'], expect: { exit: [2], output: /\/dev\/zero: it is a character device, not a regular file/ } },
  {
    name: 'a config with 200,000 ignore globs',
    files: () => ({ 'main.json': EMPTY, 'egress-lint.config.json': JSON.stringify({ ignore: Array.from({ length: 200_000 }, (_, i) => `legacy-${i}/**`) }) }),
    args: ['-c', 'egress-lint.config.json', 'main.json'],
    expect: { exit: [2], output: /egress-lint\.config\.json: ignore has 200,000 entries; egress-lint takes at most 1,000/ },
  },
  {
    name: 'a config with 3,000,000 ignore globs',
    files: () => ({ 'main.json': EMPTY, 'egress-lint.config.json': JSON.stringify({ ignore: Array.from({ length: 3_000_000 }, (_, i) => `l${i}`) }) }),
    args: ['-c', 'egress-lint.config.json', 'main.json'],
    expect: { exit: [2], output: /egress-lint\.config\.json: it is [\d.]+ MiB, and egress-lint reads at most 4 MiB/ },
  },
  {
    name: 'a config with the largest allowed number of ignore globs (1,000), found by the folder search',
    files: () => ({ 'main.json': EMPTY, 'egress-lint.config.json': JSON.stringify({ ignore: Array.from({ length: 1000 }, (_, i) => `legacy-${i}/**`) }) }),
    args: ['.', '--format', 'json'],
    expect: { exit: [0], output: /"path": "main\.json"/ },
  },
  {
    name: '--ignore given 1,001 times',
    files: () => ({ 'main.json': EMPTY }),
    args: ['.', ...Array.from({ length: 1001 }, (_, i) => `--ignore=legacy-${i}/**`)],
    expect: { exit: [2], output: /--ignore is given 1,001 times; egress-lint takes at most 1,000/ },
  },
  { name: '-c naming a named pipe with no writer', files: () => ({ 'main.json': EMPTY }), prepare: fifo('pipe.json'), args: ['-c', 'pipe.json', 'main.json'], expect: { exit: [2], output: /configuration file pipe\.json: it is a named pipe \(FIFO\)/ } },
  { name: '-c naming a folder', files: () => ({ 'main.json': EMPTY, 'conf/x.json': '{}' }), args: ['-c', 'conf', 'main.json'], expect: { exit: [2], output: /configuration file conf: it is a folder/ } },
  {
    name: '--ignore with a glob whose brace groups expand to 4 million patterns',
    files: () => ({ 'main.json': EMPTY }),
    args: ['main.json', '--ignore', `${'{a,b}'.repeat(22)}.json`],
    expect: { exit: [2], output: /The ignore glob "\{a,b\}.*" expands to more than 1,000 patterns/ },
  },
  {
    name: 'a path glob whose brace groups expand to 4 million patterns',
    files: () => ({ 'main.json': EMPTY }),
    args: [`${'{a,b}'.repeat(22)}.json`, 'main.json'],
    expect: { exit: [2], output: /The glob "\{a,b\}.*" expands to more than 1,000 patterns/ },
  },
  {
    // Matched as one globby call with a pattern per named file, this took minutes (review of issue 21).
    name: '20,000 files named one by one with an --ignore glob',
    files: () => Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`t/f${i}.json`, EMPTY])),
    args: [...Array.from({ length: 20_000 }, (_, i) => `t/f${i}.json`), '--ignore', 't/f1*.json'],
    // f1, f10-f19, f100-f199, f1000-f1999 and f10000-f19999 (11,111 files) are left out.
    expect: { exit: [0], output: /t\/f19999\.json: skipped: it matches an ignore glob\.[\s\S]*0 VMs in 8889 templates|0 VMs in 8889 templates[\s\S]*t\/f19999\.json: skipped: it matches an ignore glob\./ },
  },
  {
    // micromatch compiles each '*' to a lazy '[^/]*?': on a name the glob nearly matches it backtracks through every
    // split (this one ran more than two minutes on a 40-character name).
    name: "--ignore with 13 '*' in one segment, over a file whose name it nearly matches",
    files: () => ({ 'main.json': EMPTY, [`${'a'.repeat(40)}.json`]: EMPTY }),
    args: ['.', '--ignore', '*a*a*a*a*a*a*a*a*a*a*a*a*b'],
    expect: { exit: [2], output: /The ignore glob "\*a\*a.*" has 13 '\*' wildcards in the path segment .*egress-lint takes at most 3 '\*' in a path segment/ },
  },
  {
    // globby turns .gitignore rules into fast-glob ignore patterns (to skip ignored folders), compiled as globs are:
    // a pull request can add both files, and the folder search ran past a 30 s kill.
    name: "a .gitignore rule with 13 '*' in one segment, over a file whose name it nearly matches",
    files: () => ({ 'main.json': EMPTY, [`${'a'.repeat(40)}.json`]: EMPTY, '.gitignore': 'build/\n*a*a*a*a*a*a*a*a*a*a*a*a*b\n' }),
    args: ['.'],
    expect: { exit: [2], output: /\.gitignore:2: the \.gitignore rule "\*a\*a.*" has 13 '\*' wildcards/ },
  },
  {
    name: "a configuration ignore entry repeating overlapping alternatives, over a name it nearly matches",
    files: () => ({ 'main.json': EMPTY, [`x${'ab'.repeat(60)}z.json`]: EMPTY, 'egress-lint.config.json': JSON.stringify({ ignore: ['x+(ab|abab).json'] }) }),
    args: ['.'],
    expect: { exit: [2], output: /ignore entry "x\+\(ab\|abab\)\.json" repeats a group of alternatives/ },
  },
  {
    name: 'a configuration ignore entry and a parameters key with a range of 100,000',
    files: () => ({ 'main.json': EMPTY, 'egress-lint.config.json': JSON.stringify({ ignore: ['legacy/**'], parameters: { 'env{1..100000}/main.json': 'p.json' } }) }),
    args: ['main.json'],
    expect: { exit: [2], output: /egress-lint\.config\.json: parameters key "env\{1\.\.100000\}\/main\.json" expands to more than 1,000 patterns/ },
  },
  {
    name: 'three inventory files of 50 MiB each, each under its cap',
    files: () => ({ 'main.json': EMPTY }),
    prepare: (dir) => {
      for (const n of ['a', 'b', 'c']) sparse(`inv-${n}.json`, 50 * 1024 * 1024)(dir);
    },
    args: ['main.json', '--inventory', 'inv-a.json', '--inventory', 'inv-b.json', '--inventory', 'inv-c.json'],
    expect: { exit: [2], output: /The inventory files come to more than 128 MiB together \(at inv-c\.json\)/ },
  },
  {
    name: 'a folder search meeting symbolic links to a template and to a folder',
    files: () => ({ 'real/main.json': EMPTY, 'scan/own.json': EMPTY }),
    prepare: (dir) => {
      symlinkSync('../real/main.json', join(dir, 'scan/link.json'));
      symlinkSync('../real', join(dir, 'scan/folder'));
    },
    args: ['scan'],
    expect: { exit: [0], output: /scan\/folder: skipped: a symbolic link, which the folder search does not follow[^]*scan\/link\.json: skipped: a symbolic link/ },
  },
  {
    name: 'a glob over a folder whose name holds a line break',
    files: () => ({ 'a\nb/main.json': EMPTY, 'ok.json': EMPTY }),
    args: ['**/*.json'],
    expect: { exit: [0], output: /"a\\nb\/main\.json": not searched by "\*\*\/\*\.json": its path holds a line break/ },
  },
  {
    name: 'a configuration file of 16 KB nesting 8,000 levels',
    files: () => ({ 'main.json': EMPTY, 'deep.json': `{"ignore":\n${'['.repeat(8000)}${']'.repeat(8000)}}` }),
    args: ['-c', 'deep.json', 'main.json'],
    expect: { exit: [2], output: /configuration file deep\.json: its values nest more than 1,000 levels deep \(line 2\)/ },
  },
  {
    name: '--lock naming a file nesting 8,000 levels',
    files: () => ({ 'main.json': EMPTY, 'egress.lock.json': `{"version":1,"vms":${'['.repeat(8000)}${']'.repeat(8000)}}` }),
    args: ['main.json', '--lock', 'egress.lock.json'],
    expect: { exit: [2], output: /lock file egress\.lock\.json: its values nest more than 1,000 levels deep \(line 1\)/ },
  },
  {
    name: "'lock' with a lock file nesting 8,000 levels where it writes",
    files: () => ({ 'main.json': EMPTY, 'egress.lock.json': `{"version":1,"vms":${'['.repeat(8000)}${']'.repeat(8000)}}` }),
    args: ['lock', 'main.json'],
    expect: { exit: [2], output: /lock file egress\.lock\.json: its values nest more than 1,000 levels deep/ },
  },
  { name: 'a 2 GiB configuration file found beside the template', files: () => ({ 'main.json': EMPTY }), prepare: sparse('egress-lint.config.json', 2 * GIB), args: ['main.json'], expect: { exit: [2], output: /egress-lint\.config\.json: it is 2 GiB, and egress-lint reads at most 4 MiB/ } },
  { name: '--lock naming a 2 GiB file', files: () => ({ 'main.json': EMPTY }), prepare: sparse('egress.lock.json', 2 * GIB), args: ['main.json', '--lock', 'egress.lock.json'], expect: { exit: [2], output: /lock file egress\.lock\.json: it is 2 GiB, and egress-lint reads at most 64 MiB/ } },
  { name: '--lock naming a named pipe', files: () => ({ 'main.json': EMPTY }), prepare: fifo('egress.lock.json'), args: ['main.json', '--lock', 'egress.lock.json'], expect: { exit: [2], output: /lock file egress\.lock\.json: it is a named pipe/ } },
  { name: "'lock' with a named pipe where the lock file is", files: () => ({ 'main.json': EMPTY }), prepare: fifo('egress.lock.json'), args: ['lock', 'main.json'], expect: { exit: [2], output: /lock file egress\.lock\.json: it is a named pipe/ } },
  { name: '--inventory naming a 2 GiB file', files: () => ({ 'main.json': EMPTY }), prepare: sparse('pips.json', 2 * GIB), args: ['main.json', '--inventory', 'pips.json'], expect: { exit: [2], output: /inventory file pips\.json: it is 2 GiB, and egress-lint reads at most 64 MiB/ } },
  { name: '--inventory naming a named pipe', files: () => ({ 'main.json': EMPTY }), prepare: fifo('pips.json'), args: ['main.json', '--inventory', 'pips.json'], expect: { exit: [2], output: /inventory file pips\.json: it is a named pipe/ } },
  { name: '--parameters naming a 2 GiB file', files: () => ({ 'main.json': EMPTY }), prepare: sparse('big.parameters.json', 2 * GIB), args: ['main.json', '--parameters', 'big.parameters.json'], expect: { exit: [2], output: /parameter file big\.parameters\.json: it is 2 GiB, and egress-lint reads at most 64 MiB/ } },
  { name: '--parameters naming a named pipe with no writer', files: () => ({ 'main.json': EMPTY }), prepare: fifo('p.json'), args: ['main.json', '--parameters', 'p.json'], expect: { exit: [2], output: /parameter file p\.json: it is a named pipe/ } },
  {
    name: "a configuration's parameters naming a 2 GiB file",
    files: () => ({ 'main.json': EMPTY, 'egress-lint.config.json': JSON.stringify({ parameters: { 'main.json': 'big.parameters.json' } }) }),
    prepare: sparse('big.parameters.json', 2 * GIB),
    args: ['main.json'],
    expect: { exit: [2], output: /egress-lint\.config\.json: parameters\["main\.json"\]: .*big\.parameters\.json: it is 2 GiB/ },
  },
  {
    name: 'a "__proto__" key in a configuration\'s links',
    files: () => ({ 'main.json': EMPTY, 'egress-lint.config.json': '{ "links": { "__proto__": "elsewhere" } }' }),
    args: ['main.json'],
    expect: { exit: [2], output: /egress-lint\.config\.json: links.*__proto__/ },
  },
  {
    name: 'a template in a folder whose name holds a line break',
    files: () => ({ 'infra/a\nb/main.json': EMPTY }),
    args: ['.', '--format', 'json'],
    expect: { exit: [0], output: /"path": "infra\/a\\nb\/main\.json"/ },
  },
  {
    name: 'a template in a folder whose name holds a line break, left out by --ignore',
    files: () => ({ 'infra/a\nb/legacy.json': EMPTY, 'infra/ok/main.json': EMPTY }),
    args: ['.', '--ignore', '**/legacy.json'],
    // Left out without a note, as the search leaves out every file an ignore glob matches; linted, it is 2 templates.
    expect: { exit: [0], output: /^✔ 0 VMs in 1 template;/ },
  },
  {
    name: "a template in a folder whose name holds a line break, left out by its configuration's ignore",
    files: () => ({ 'infra/a\nb/legacy.json': EMPTY, 'infra/ok/main.json': EMPTY, 'egress-lint.config.json': JSON.stringify({ ignore: ['**/legacy.json'] }) }),
    args: ['.'],
    // Left out without a note, as the search leaves out every file an ignore glob matches; linted, it is 2 templates.
    expect: { exit: [0], output: /^✔ 0 VMs in 1 template;/ },
  },
  { name: '-o naming the template being linted', files: () => ({ 'main.json': EMPTY }), args: ['main.json', '-o', './main.json'], expect: { exit: [2], output: /-o \.\/main\.json would overwrite the template main\.json/ }, check: templateKept('main.json') },
  {
    name: '--report naming the template through a symbolic link',
    files: () => ({ 'main.json': EMPTY }),
    prepare: (dir) => execFileSync('ln', ['-s', 'main.json', join(dir, 'report.sarif')]),
    args: ['main.json', '--report', 'sarif=report.sarif'],
    expect: { exit: [2], output: /--report report\.sarif would overwrite the template main\.json/ },
    check: templateKept('main.json'),
  },
  { name: "'expand' with -o naming the template it expands", files: () => ({ 'main.json': EMPTY }), args: ['expand', 'main.json', '-o', 'main.json'], expect: { exit: [2], output: /-o main\.json would overwrite the template main\.json/ }, check: templateKept('main.json') },
  {
    name: '-o naming the configuration file',
    files: () => ({ 'main.json': EMPTY, 'egress-lint.config.json': '{}' }),
    args: ['main.json', '-o', 'egress-lint.config.json'],
    expect: { exit: [2], output: /would overwrite the configuration file egress-lint\.config\.json/ },
    check: (dir) => (readFileSync(join(dir, 'egress-lint.config.json'), 'utf8') === '{}' ? undefined : 'the configuration was overwritten'),
  },
  {
    name: '-o into a folder that does not exist',
    files: () => ({ 'main.json': EMPTY }),
    args: ['main.json', '--format', 'json', '-o', 'reports/today/egress.json'],
    expect: { exit: [0] },
    check: (dir) => (existsSync(join(dir, 'reports/today/egress.json')) && /"version": 1/.test(readFileSync(join(dir, 'reports/today/egress.json'), 'utf8')) ? undefined : 'reports/today/egress.json was not written'),
  },
  { name: "'lock' with --lock naming the template it locks", files: () => ({ 'main.json': EMPTY }), args: ['lock', 'main.json', '--lock', 'main.json'], expect: { exit: [2], output: /the lock file .*main\.json would overwrite the template main\.json/ }, check: templateKept('main.json') },
  {
    name: "'lock' where egress.lock.json is a symbolic link to the template",
    files: () => ({ 'main.json': EMPTY }),
    prepare: symlink('main.json', 'egress.lock.json'),
    args: ['lock', 'main.json'],
    expect: { exit: [2], output: /would overwrite the template main\.json/ },
    check: templateKept('main.json'),
  },
  {
    name: "'lock' where egress.lock.json is a symbolic link to a file the run does not read",
    files: () => ({ 'main.json': EMPTY, 'notes.txt': 'mine\n' }),
    prepare: symlink('notes.txt', 'egress.lock.json'),
    args: ['lock', 'main.json'],
    expect: { exit: [2], output: /egress\.lock\.json is a symbolic link/ },
    check: fileKept('notes.txt', 'mine\n'),
  },
  { name: "'lock' with --lock naming a file that is not a lock file", files: () => ({ 'main.json': EMPTY, 'notes.txt': 'mine\n' }), args: ['lock', 'main.json', '--lock', 'notes.txt'], expect: { exit: [2], output: /notes\.txt is not a lock file/ }, check: fileKept('notes.txt', 'mine\n') },
  {
    name: "'lock' with --lock naming an empty file",
    files: () => ({ 'main.json': EMPTY, 'new.lock.json': '' }),
    args: ['lock', 'main.json', '--lock', 'new.lock.json'],
    expect: { exit: [0], output: /Wrote new\.lock\.json/ },
    check: (dir) => (/"version"/.test(readFileSync(join(dir, 'new.lock.json'), 'utf8')) ? undefined : 'new.lock.json was not written'),
  },
  {
    name: "a configuration's lock outside the repository",
    files: () => ({ 'repo/main.json': EMPTY, 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/egress-lint.config.json': '{ "lock": "../victim.txt" }', 'victim.txt': 'mine\n' }),
    args: ['lock', 'repo/main.json'],
    expect: { exit: [2], output: /egress-lint\.config\.json: lock "\.\.\/victim\.txt" is outside the repository/ },
    check: fileKept('victim.txt', 'mine\n'),
  },
  {
    name: '-o naming a linked template the run reads',
    files: () => ({
      'main.json': templateText({ resources: [{ type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: 'net', properties: { mode: 'Incremental', templateLink: { relativePath: 'nested/vnet.json' } } }] }),
      'nested/vnet.json': EMPTY,
    }),
    args: ['main.json', '-o', 'nested/vnet.json'],
    expect: { exit: [2], output: /-o nested\/vnet\.json would overwrite the linked template nested\/vnet\.json/ },
    check: templateKept('nested/vnet.json'),
  },
  { name: '-o naming a .tf file (read beside a Terraform plan)', files: () => ({ 'main.json': EMPTY, 'main.tf': 'resource "x" "y" {}\n' }), args: ['main.json', '-o', 'main.tf'], expect: { exit: [2], output: /-o main\.tf names a Terraform or Bicep source file/ }, check: fileKept('main.tf', 'resource "x" "y" {}\n') },
  {
    name: "--report naming the JSON template of a .bicepparam's using",
    files: () => ({ 'main.json': EMPTY, 'prod.bicepparam': "using './main.json'\n" }),
    args: ['prod.bicepparam', '--report', 'json=main.json'],
    expect: { exit: [2], output: /--report main\.json would overwrite a file prod\.bicepparam names main\.json/ },
    check: templateKept('main.json'),
  },
  {
    name: "'expand' with -o naming the configuration file found beside the template",
    files: () => ({ 'main.json': EMPTY, 'egress-lint.config.json': '{}' }),
    args: ['expand', 'main.json', '-o', 'egress-lint.config.json'],
    expect: { exit: [2], output: /would overwrite the configuration file egress-lint\.config\.json/ },
    check: fileKept('egress-lint.config.json', '{}'),
  },
  {
    name: '-o naming a hard link to the template',
    files: () => ({ 'main.json': EMPTY }),
    prepare: (dir) => execFileSync('ln', [join(dir, 'main.json'), join(dir, 'hard.json')]),
    args: ['main.json', '-o', 'hard.json'],
    expect: { exit: [2], output: /-o hard\.json would overwrite the template main\.json/ },
    check: templateKept('main.json'),
  },
  { name: "'expand' with --parameters naming a named pipe with no writer", files: () => ({ 'main.json': EMPTY }), prepare: fifo('pp.json'), args: ['expand', 'main.json', '--parameters', 'pp.json'], expect: { exit: [2], output: /parameter file pp\.json: it is a named pipe/ } },
  { name: "'eval' with --template naming a named pipe with no writer", files: () => ({}), prepare: fifo('tt.json'), args: ['eval', '1', '--template', 'tt.json'], expect: { exit: [2], output: /template tt\.json: it is a named pipe/ } },
  { name: "'expand' of a named pipe with no writer", files: () => ({}), prepare: fifo('tt.json'), args: ['expand', 'tt.json'], expect: { exit: [2], output: /template tt\.json: it is a named pipe/ } },
  {
    name: 'egress-lint.config.json a symbolic link to a missing file',
    files: () => ({ 'main.json': EMPTY }),
    prepare: symlink('missing.json', 'egress-lint.config.json'),
    args: ['main.json'],
    expect: { exit: [2], output: /configuration file egress-lint\.config\.json: it is a symbolic link to missing\.json, which does not exist/ },
  },
  {
    name: "'lock' with -o, --report and --format",
    files: () => ({ 'main.json': EMPTY }),
    args: ['lock', 'main.json', '-o', 'out.txt', '--report', 'json=r.json', '--format', 'json'],
    expect: { exit: [2], output: /'egress-lint lock' writes the lock file .*: -o, --report, --format do not apply to it\.\nRun 'egress-lint --help'/ },
    check: (dir) => (existsSync(join(dir, 'egress.lock.json')) ? 'egress.lock.json was written' : undefined),
  },
  {
    name: '--report into a "folder" that is a file',
    files: () => ({ 'main.json': EMPTY }),
    args: ['main.json', '--report', 'json=main.json/x'],
    expect: { exit: [2], output: /^egress-lint: --report main\.json\/x: main\.json is a file, not a folder, so the report cannot be written there; write the report to another file\.\n$/ },
    check: templateKept('main.json'),
  },
];
