// The Bicep examples of the rule pages (rules/*.md) compile with the real Bicep CLI, and under "How to fix" each ARM
// JSON fix has its Bicep twin, whose compiled template contains the JSON fix: the examples cannot rot or drift apart.
//
// How a ```bicep block is compiled:
// - `param location string = resourceGroup().location` comes first, so examples may use `location` (the JSON fixes
//   write `[resourceGroup().location]`, which the compiled `[parameters('location')]` stands for here);
// - an HTML comment right before the block, `<!-- bicep-example … -->`, holds the Bicep that the example takes for
//   granted (the `existing` resources it names, the resource a property fragment belongs in): the block goes where a
//   line `%EXAMPLE%` stands, else after it. Directive lines in the comment: `%file <name>: <text>` writes a file
//   beside the example (a module, the template a .bicepparam uses); `%params` compiles the block as a .bicepparam;
//   `%unpaired <why>` says why the compiled template cannot contain the JSON fix it follows.
// Without `bicep` on PATH, the compiling test says by name that it is skipped; the pairing of blocks is checked anyway.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BICEP, bicep, skipped } from './harness/bicep-cli.js';

const RULES = new URL('../rules/', import.meta.url).pathname;
const PRELUDE = 'param location string = resourceGroup().location\n';

interface Block {
  readonly lang: string;
  readonly text: string;
  readonly line: number;
  readonly section: string;
  /** The `<!-- bicep-example … -->` comment right before it (its body). */
  readonly context?: string;
}

interface Example {
  readonly id: string;
  readonly page: string;
  readonly line: number;
  readonly params: boolean;
  readonly source: string;
  readonly files: Readonly<Record<string, string>>;
  /** The JSON fix this block is the twin of (under How to fix). */
  readonly json?: Block;
  readonly unpaired?: string;
}

function blocksOf(text: string): Block[] {
  const out: Block[] = [];
  const lines = text.split('\n');
  let section = '';
  let comment: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('## ')) section = line.slice(3).trim();
    if (line.startsWith('<!-- bicep-example')) {
      const body: string[] = [line.slice('<!-- bicep-example'.length)];
      while (!lines[i].includes('-->') && i + 1 < lines.length) body.push(lines[++i]);
      comment = body.join('\n').replace(/-->\s*$/, '').trim();
      continue;
    }
    const fence = /^```(\w*)\s*$/.exec(line);
    if (fence && fence[1]) {
      const start = i + 1;
      const body: string[] = [];
      while (++i < lines.length && !/^```\s*$/.test(lines[i])) body.push(lines[i]);
      out.push({ lang: fence[1], text: body.join('\n'), line: start, section, ...(fence[1] === 'bicep' && comment !== undefined ? { context: comment } : {}) });
      comment = undefined;
      continue;
    }
    if (line.trim() !== '') comment = undefined;
  }
  return out;
}

function examples(): { list: Example[]; problems: string[] } {
  const list: Example[] = [];
  const problems: string[] = [];
  for (const page of readdirSync(RULES).filter((f) => f.endsWith('.md')).sort()) {
    const blocks = blocksOf(readFileSync(join(RULES, page), 'utf8'));
    let json: Block | undefined;
    for (const b of blocks) {
      const fix = b.section === 'How to fix';
      if (b.lang === 'json' && fix) {
        if (json) problems.push(`${page}:${json.line}: a JSON fix without its Bicep twin after it`);
        json = b;
      }
      if (b.lang !== 'bicep') continue;
      const files: Record<string, string> = {};
      const context: string[] = [];
      let params = false;
      let unpaired: string | undefined;
      for (const l of (b.context ?? '').split('\n')) {
        const file = /^%file\s+([\w.-]+):\s?(.*)$/.exec(l.trim());
        if (file) files[file[1]] = `${file[2]}\n`;
        else if (l.trim() === '%params') params = true;
        else if (l.trim().startsWith('%unpaired ')) unpaired = l.trim().slice('%unpaired '.length);
        else context.push(l);
      }
      const ctx = context.join('\n').trim();
      const source = ctx.includes('%EXAMPLE%') ? ctx.replace('%EXAMPLE%', b.text) : `${ctx}\n${b.text}`;
      if (fix && !json) problems.push(`${page}:${b.line}: a Bicep fix without a JSON fix before it`);
      list.push({ id: `${page.replace(/\.md$/, '')}-${b.line}`, page, line: b.line, params, source: params ? `${source}\n` : `${PRELUDE}${source}\n`, files, ...(fix && json ? { json } : {}), ...(unpaired ? { unpaired } : {}) });
      if (fix) json = undefined;
    }
    if (json) problems.push(`${page}:${json.line}: a JSON fix without its Bicep twin after it`);
  }
  return { list, problems };
}

/** A JSON block as a value: a whole value, or a fragment of an object (`"key": value`). */
function jsonValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(`{${text}}`);
  }
}

function same(have: unknown, want: unknown): boolean {
  if (typeof want === 'string' && typeof have === 'string') return have.replace(/\[parameters\('location'\)\]/g, '[resourceGroup().location]') === want;
  if (Array.isArray(want)) return Array.isArray(have) && have.length === want.length && want.every((w, i) => same(have[i], w));
  if (want !== null && typeof want === 'object') {
    if (have === null || typeof have !== 'object' || Array.isArray(have)) return false;
    const h = have as Record<string, unknown>;
    return Object.entries(want as Record<string, unknown>).every(([k, w]) => Object.hasOwn(h, k) && same(h[k], w));
  }
  return have === want;
}

/** True when `want` is contained (every key, equal values) in `tree` or in a value inside it. */
function occurs(tree: unknown, want: unknown): boolean {
  if (same(tree, want)) return true;
  if (tree !== null && typeof tree === 'object') for (const v of Object.values(tree as Record<string, unknown>)) if (occurs(v, want)) return true;
  return false;
}

const pages = suite('rule pages: Bicep examples');

pages('under How to fix, every JSON fix has a Bicep twin right after it', () => {
  const { list, problems } = examples();
  assert.equal(problems, []);
  assert.ok(list.filter((e) => e.json).length >= 20, `${list.filter((e) => e.json).length} pairs`);
  for (const e of list) if (e.unpaired !== undefined) assert.ok(e.unpaired.length > 20, `${e.id}: say why it is unpaired`);
});

pages('every Bicep example compiles with the real CLI, and contains the JSON fix it stands beside', async () => {
  if (!BICEP) return skipped('rules-bicep: every Bicep example compiles with the real CLI, and contains the JSON fix it stands beside');
  const started = Date.now();
  const { list } = examples();
  const dir = mkdtempSync(join(tmpdir(), 'egress-lint-rule-bicep-'));
  for (const e of list) {
    mkdirSync(join(dir, e.id));
    writeFileSync(join(dir, e.id, e.params ? 'example.bicepparam' : 'example.bicep'), e.source);
    for (const [name, text] of Object.entries(e.files)) writeFileSync(join(dir, e.id, name), text);
  }
  // One Bicep process for all templates, one for all parameter files.
  const builds = [await bicep(['build', '--pattern', '*/example.bicep'], dir)];
  if (list.some((e) => e.params)) builds.push(await bicep(['build-params', '--pattern', '*/example.bicepparam'], dir));
  const errors = builds.flatMap((b) => b.stderr.split('\n').filter((l) => /: Error /.test(l)).map((l) => l.split(dir + '/').join('')));
  assert.equal(errors, [], 'Bicep errors (the file names are <page>-<line of the block>)');
  const wrong: string[] = [];
  for (const e of list) {
    const out = join(dir, e.id, 'example.json');
    if (!existsSync(out)) {
      wrong.push(`${e.page}:${e.line}: not compiled`);
      continue;
    }
    if (!e.json || e.unpaired !== undefined) continue;
    const compiled: unknown = JSON.parse(readFileSync(out, 'utf8'));
    if (!occurs(compiled, jsonValue(e.json.text))) wrong.push(`${e.page}:${e.line}: the compiled Bicep does not contain the JSON fix of line ${e.json.line}:\n${readFileSync(out, 'utf8')}`);
  }
  assert.equal(wrong, []);
  console.log(`  (rules-bicep: ${list.length} examples compiled in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
});

pages.run();
