// Architecture check: imports point one way only (cli → api → rules → engine, the ESLint plugin on the api; inside
// the engine network and expansion → resources → expressions → template), and the engine does no I/O.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = new URL('..', import.meta.url).pathname;

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
}

/** The layer of a repository path, by folder. */
function layer(path: string): string {
  const p = path.replace(/\\/g, '/');
  for (const l of ['engine/template', 'engine/expressions', 'engine/resources', 'engine/expansion', 'engine/network', 'engine/terraform']) if (p.startsWith(l + '/')) return l;
  if (p.startsWith('engine/')) return 'engine';
  return p.split('/')[0];
}

// What each layer may import (besides itself).
const ALLOWED: Record<string, string[]> = {
  'engine/template': [],
  'engine/expressions': ['engine/template'],
  'engine/expansion': ['engine/template', 'engine/expressions', 'engine/resources'],
  'engine/resources': ['engine/template', 'engine/expressions'],
  'engine/network': ['engine/template', 'engine/expressions', 'engine/resources'],
  // The Terraform front-end reads plan or state JSON into the input seam, beside the ARM expansion, never the graph.
  'engine/terraform': ['engine/template', 'engine/expressions', 'engine/resources'],
  engine: ['engine/template', 'engine/expressions', 'engine/resources', 'engine/expansion', 'engine/network', 'engine/terraform'],
  rules: ['engine'],
  // The library: discovery, file reading, formatters and the pipeline's host, over the engine and the rules.
  api: ['engine', 'rules'],
  // The command line on top of the library; the ESLint plugin uses the library too.
  cli: ['engine', 'rules', 'api'],
  'eslint-plugin': ['rules', 'api'],
};

const IO_MODULES = /^(node:)?(fs|fs\/promises|child_process|net|http|https|process|os|worker_threads)$/;

test('imports point down the pipeline', () => {
  const bad: string[] = [];
  for (const f of [...files('engine'), ...files('rules'), ...files('cli'), ...files('api'), ...files('eslint-plugin')]) {
    const from = layer(f);
    for (const spec of imports(f)) {
      if (!spec.startsWith('.')) {
        if (from.startsWith('engine') && IO_MODULES.test(spec)) bad.push(`${f}: the engine must not import ${spec}`);
        continue;
      }
      const target = relative(root, join(root, f, '..', spec)).replace(/\.js$/, '.ts');
      const to = layer(target);
      if (to === from) continue;
      if (!from.startsWith('engine') && to.startsWith('engine') && target !== 'engine/index.ts') bad.push(`${f}: ${from} may import only engine/index.ts from the engine, not ${target}`);
      else if (!(ALLOWED[from] ?? []).includes(to)) bad.push(`${f}: ${from} may not import ${to} (${spec})`);
    }
  }
  assert.equal(bad, []);
});

test('the engine touches no process, console, clock or randomness', () => {
  const bad: string[] = [];
  for (const f of files('engine')) {
    const text = readFileSync(join(root, f), 'utf8').replace(/\/\/.*$/gm, '');
    for (const word of ['process.', 'console.', 'Date.now', 'new Date(', 'Math.random', 'fetch(']) if (text.includes(word)) bad.push(`${f}: ${word}`);
  }
  assert.equal(bad, []);
});


test('start-up: linting strict JSON does not load jsonc-parser (kept lazy for pre-commit)', async () => {
  const { runNode } = await import('./harness/package.js');
  const script = [
    "import { createRequire } from 'node:module';",
    "const { main } = await import('./cli/main.ts');",
    "const sink = { write() { return true; }, isTTY: false };",
    "const code = await main(['examples/multi-nic/main.json', '--format', 'json'], { cwd: process.cwd(), env: {}, stdout: sink, stderr: sink });",
    "const cache = Object.keys(createRequire(import.meta.url).cache);",
    "console.log(JSON.stringify({ code, jsonc: cache.some((k) => k.includes('jsonc-parser')) }));",
  ].join('\n');
  const r = runNode(['--import', 'tsx', '--input-type=module', '-e', script], root);
  assert.is(r.err, '');
  const got = JSON.parse(r.out.trim().split('\n').pop() ?? '{}') as { code: number; jsonc: boolean };
  assert.equal(got, { code: 1, jsonc: false });
});

test.run();
