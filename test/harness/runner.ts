// A simulated GitHub Actions runner for action.yml: the file is read with a small YAML reader, each step runs as the
// runner runs it (a `run:` script with bash, `${{ inputs.* }}` and `${{ steps.*.outputs.* }}` filled in, `if:`
// evaluated), the actions/cache steps are played against a cache kept in memory, and the environment is the
// runner's: GITHUB_ACTION_PATH, GITHUB_WORKSPACE, GITHUB_OUTPUT (a file per step), GITHUB_STEP_SUMMARY, RUNNER_TEMP,
// RUNNER_OS and the run's GITHUB_* variables. Also: the workflow commands of a log, and a check that Markdown
// constructs are whole.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// ---- A YAML reader for action.yml, workflows and the README's snippets only -------------------------------------
// Block mappings and sequences (of mappings or scalars), plain or quoted scalars on one line (a plain one may end
// with a `# comment`), `|` literal blocks, and `#` comments on their own lines. Anything else (flow collections,
// folded strings, anchors) throws, which keeps the files simple enough for people to read too.
export type Yaml = string | Yaml[] | { [key: string]: Yaml };

export function readYaml(text: string, name = 'action.yml'): Yaml {
  const raw = text.split('\n');
  const lines: { n: number; indent: number; text: string }[] = [];
  for (let k = 0; k < raw.length; k++) {
    const t = raw[k].trim();
    if (t === '' || t.startsWith('#')) continue;
    const indent = raw[k].length - raw[k].trimStart().length;
    lines.push({ n: k + 1, indent, text: t });
    // A literal block: the lines indented further (blank lines and '#' lines included) are its text.
    if (/:\s\|-?$/.test(t) || /^- [^:]+:\s\|-?$/.test(t)) {
      const body: string[] = [];
      let j = k + 1;
      for (; j < raw.length; j++) {
        const r = raw[j];
        // The key of "- key: |" sits two columns further in than its dash.
        if (r.trim() !== '' && r.length - r.trimStart().length <= indent + (t.startsWith('- ') ? 2 : 0)) break;
        body.push(r);
      }
      while (body.length && body[body.length - 1].trim() === '') body.pop();
      const cut = Math.min(...body.filter((b) => b.trim() !== '').map((b) => b.length - b.trimStart().length));
      lines[lines.length - 1].text = t.replace(/\|-?$/, '') + JSON.stringify(body.map((b) => b.slice(cut)).join('\n') + (t.endsWith('-') ? '' : '\n'));
      k = j - 1;
    }
  }
  let i = 0;
  const scalar = (s: string, n: number): string => {
    if (/^"(?:[^"\\]|\\.)*"$/.test(s)) return JSON.parse(s) as string;
    if (/^'(?:[^']|'')*'$/.test(s)) return s.slice(1, -1).replace(/''/g, "'");
    if (/^[[{&*!|>"']/.test(s)) throw new Error(`${name}:${n}: keep values plain one-line scalars (${s})`);
    return s.replace(/\s+#.*$/, '');
  };
  const block = (indent: number): Yaml => {
    if (lines[i].text.startsWith('- ')) {
      const list: Yaml[] = [];
      while (i < lines.length && lines[i].indent === indent && lines[i].text.startsWith('- ')) {
        const item = lines[i].text.slice(2);
        if (!/^[A-Za-z0-9_-]+:( |$)/.test(item)) {
          list.push(scalar(item, lines[i].n));
          i++;
          continue;
        }
        // "- key: value" starts a mapping whose other keys sit two columns further in.
        lines[i] = { ...lines[i], indent: indent + 2, text: item };
        list.push(block(indent + 2));
      }
      return list;
    }
    const map: { [key: string]: Yaml } = {};
    while (i < lines.length && lines[i].indent === indent && !lines[i].text.startsWith('- ')) {
      const { n, text } = lines[i];
      const m = /^([A-Za-z0-9_-]+):(?: (.*))?$/.exec(text);
      if (!m) throw new Error(`${name}:${n}: expected 'key: value', got '${text}'`);
      i++;
      if (m[2] !== undefined) map[m[1]] = scalar(m[2], n);
      else if (i < lines.length && lines[i].indent > indent) map[m[1]] = block(lines[i].indent);
      else map[m[1]] = '';
    }
    if (i < lines.length && lines[i].indent > indent) throw new Error(`${name}:${lines[i].n}: unexpected indentation`);
    return map;
  };
  const doc = block(0);
  if (i !== lines.length) throw new Error(`${name}:${lines[i].n}: unexpected line`);
  return doc;
}

export interface Step {
  name: string;
  id?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
export interface Action {
  name: string;
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

// ---- Expressions ------------------------------------------------------------------------------------------------

interface Context {
  inputs: Record<string, string>;
  steps: Record<string, Record<string, string>>;
}

function value(expr: string, ctx: Context): string {
  const input = /^inputs\.([A-Za-z0-9_-]+)$/.exec(expr);
  if (input) return ctx.inputs[input[1]] ?? '';
  const out = /^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/.exec(expr);
  if (out) return ctx.steps[out[1]]?.[out[2]] ?? '';
  throw new Error(`the simulated runner does not evaluate \${{ ${expr} }}`);
}

/** Replaces `${{ inputs.x }}` and `${{ steps.s.outputs.x }}` as the runner does. */
export function expand(text: string, ctx: Context): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => value(expr, ctx));
}

/** An `if:` of `a == 'b'` and `a != 'b'` terms joined by &&; GitHub compares strings ignoring case. */
export function condition(text: string, ctx: Context): boolean {
  return text.split('&&').every((term) => {
    const m = /^\s*(.+?)\s*(==|!=)\s*'([^']*)'\s*$/.exec(term);
    if (!m) throw new Error(`the simulated runner does not evaluate if: ${text}`);
    const same = value(m[1], ctx).toLowerCase() === m[3].toLowerCase();
    return m[2] === '==' ? same : !same;
  });
}

// ---- Running the steps -------------------------------------------------------------------------------------------

/** What actions/cache keeps between runs: a copy of the cached folder per key. */
export class CacheStore {
  readonly saved = new Map<string, string>();
  private readonly dir = mkdtempSync(join(tmpdir(), 'egress-lint-cache-'));

  restore(path: string, key: string, prefix: string): Record<string, string> {
    const hit = this.saved.get(key) ?? [...this.saved.entries()].find(([k]) => prefix && k.startsWith(prefix))?.[1];
    if (hit) cpSync(hit, path, { recursive: true });
    return { 'cache-hit': this.saved.has(key) ? 'true' : 'false' };
  }

  save(path: string, key: string): void {
    if (this.saved.has(key) || !existsSync(path)) return; // actions/cache warns and keeps the first
    const copy = join(this.dir, String(this.saved.size));
    cpSync(path, copy, { recursive: true });
    this.saved.set(key, copy);
  }
}

export interface StepRun {
  readonly step: Step;
  readonly ran: boolean;
  readonly with?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly outputs: Record<string, string>;
}

export interface Outcome {
  code: number;
  log: string;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
  /** RUNNER_TEMP. */
  temp: string;
  steps: StepRun[];
  /** Seconds each `run:` step took. */
  seconds: Record<string, number>;
}

export interface RunOptions {
  /** GITHUB_ACTION_PATH. */
  readonly checkout: string;
  /** GITHUB_WORKSPACE and the working directory. */
  readonly workspace: string;
  readonly inputs?: Record<string, string>;
  /** Added to every step's environment (after the runner's: it can override GITHUB_STEP_SUMMARY). */
  readonly env?: Record<string, string>;
  readonly cache?: CacheStore;
}

/** Runs the action's steps as a workflow step `uses: ./` `with: inputs` does. */
export function runSteps(action: Action, o: RunOptions): Outcome {
  const top = mkdtempSync(join(tmpdir(), 'egress-lint-runner-'));
  const temp = join(top, 'runner-temp');
  mkdirSync(temp);
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = o.inputs?.[name] ?? spec.default ?? '';
  const ctx: Context = { inputs, steps: {} };
  const summaryFile = join(top, 'step-summary.md');
  writeFileSync(summaryFile, '');
  const cache = o.cache ?? new CacheStore();
  const runs: StepRun[] = [];
  const seconds: Record<string, number> = {};
  let log = '';
  let code = 0;
  for (const [i, step] of action.runs.steps.entries()) {
    const id = step.id ?? `step${i}`;
    if (step.if !== undefined && !condition(step.if, ctx)) {
      runs.push({ step, ran: false, outputs: {} });
      continue;
    }
    if (step.uses !== undefined) {
      const w = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(v, ctx)]));
      let outputs: Record<string, string> = {};
      if (/^actions\/cache\/restore@/.test(step.uses)) outputs = cache.restore(w.path, w.key, w['restore-keys'] ?? '');
      else if (/^actions\/cache\/save@/.test(step.uses)) cache.save(w.path, w.key);
      else throw new Error(`the simulated runner does not know ${step.uses}`);
      ctx.steps[id] = outputs;
      runs.push({ step, ran: true, with: w, outputs });
      continue;
    }
    const outputFile = join(top, `output-${i}`);
    writeFileSync(outputFile, '');
    const script = join(top, `step-${i}.sh`);
    writeFileSync(script, expand(step.run ?? '', ctx));
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, ctx)]));
    const runner: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? top,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_TEMP: temp,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'octo-org/infra',
      GITHUB_RUN_ID: '4242',
    };
    const start = process.hrtime.bigint();
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: o.workspace,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: { ...runner, GITHUB_ACTION_PATH: o.checkout, GITHUB_WORKSPACE: o.workspace, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, ...stepEnv, ...o.env },
    });
    seconds[id] = Number(process.hrtime.bigint() - start) / 1e9;
    log += r.stdout + r.stderr;
    code = r.status ?? -1;
    const outputs = Object.fromEntries(
      readFileSync(outputFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    ctx.steps[id] = outputs;
    runs.push({ step, ran: true, env: stepEnv, outputs });
    if (code !== 0) break;
  }
  const outputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.outputs)) outputs[name] = expand(spec.value, ctx);
  return { code, log, outputs, summary: readFileSync(summaryFile, 'utf8'), workspace: o.workspace, temp, steps: runs, seconds };
}

// ---- What the runner reads from a log ---------------------------------------------------------------------------

export interface Command {
  readonly command: string;
  readonly properties: Record<string, string>;
  readonly message: string;
  readonly line: string;
}

/** Undoes the toolkit's escapes in one pass (so '%250A' stays '%0A'). */
function unescape(s: string): string {
  const map: Record<string, string> = { '%25': '%', '%0D': '\r', '%0A': '\n', '%3A': ':', '%2C': ',' };
  return s.replace(/%(25|0D|0A|3A|2C)/g, (m) => map[m]);
}

/** The annotation commands (error, warning, notice) of a log, as the runner parses them. */
export function annotations(log: string): Command[] {
  const out: Command[] = [];
  for (const line of log.split('\n')) {
    const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const properties: Record<string, string> = {};
    for (const p of (m[2] ?? '').split(',').filter(Boolean)) properties[p.slice(0, p.indexOf('='))] = unescape(p.slice(p.indexOf('=') + 1));
    out.push({ command: m[1], properties, message: unescape(m[3]), line });
  }
  return out;
}

/** Problems with the Markdown's constructs: an unclosed code fence, a <details> not closed, or closed inside a fence. */
export function brokenMarkdown(text: string): string[] {
  const problems: string[] = [];
  let fence: string | undefined;
  let open = 0;
  text.split('\n').forEach((line, n) => {
    const f = /^(`{3,}|~{3,})/.exec(line);
    if (f && (fence === undefined || line.trim() === fence)) {
      fence = fence === undefined ? f[1] : undefined;
      return;
    }
    if (fence !== undefined) return;
    open += (line.match(/<details>/g) ?? []).length;
    open -= (line.match(/<\/details>/g) ?? []).length;
    if (open < 0) problems.push(`line ${n + 1}: </details> without <details>`);
  });
  if (fence !== undefined) problems.push(`a ${fence} fence is not closed`);
  if (open > 0) problems.push(`${open} <details> not closed`);
  if (!text.endsWith('\n')) problems.push('no final newline');
  return problems;
}
