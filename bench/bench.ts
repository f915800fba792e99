// Benchmark: expansion and full lint of every corpus template against a parse-only baseline (the same files read
// and JSON.parse'd in the same process). Medians of several runs; ratios are what to compare across machines.
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { clearParseCache, expand, lintTemplate, loadTemplate, readParameterFile } from '../engine/index.js';
import { fileLinkResolver } from '../cli/links.js';
import { rules } from '../rules/index.js';
import { corpusEntries } from './corpus-files.js';

const dir = process.argv[2] ?? '../shared/corpus';
const runs = Number(process.env.BENCH_RUNS ?? 7);
let entries;
try {
  entries = corpusEntries(dir);
} catch {
  console.log(`${dir} not found: corpus benchmark skipped`);
  process.exit(0);
}
const resolveLink = fileLinkResolver(dir, process.cwd());

function parseOnly(): number {
  let n = 0;
  for (const e of entries!) {
    const text = readFileSync(e.template, 'utf8');
    try {
      n += Object.keys(JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)).length;
    } catch {
      n++;
    }
    if (e.parameters) {
      const p = readFileSync(e.parameters, 'utf8');
      try {
        n += Object.keys(JSON.parse(p.charCodeAt(0) === 0xfeff ? p.slice(1) : p)).length;
      } catch {
        n++;
      }
    }
  }
  return n;
}

function params(file: string | undefined) {
  return file ? readParameterFile(loadTemplate(file, readFileSync(file, 'utf8'))).values : undefined;
}

function expandAll(): number {
  clearParseCache();
  let n = 0;
  for (const e of entries!) {
    const d = expand(loadTemplate(e.template, readFileSync(e.template, 'utf8')), { parameters: params(e.parameters), resolveLink });
    n += d.resources.length;
  }
  return n;
}

function lintAll(): number {
  clearParseCache();
  let n = 0;
  for (const e of entries!) {
    const r = lintTemplate(loadTemplate(e.template, readFileSync(e.template, 'utf8')), { rules, parameters: params(e.parameters), resolveLink });
    n += r.vms.length + r.findings.length;
  }
  return n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// CPU time of this process (user + system), not wall time: the machines are shared, and other processes'
// load inflates wall time far more than this process's own CPU time.
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const times: Record<string, number[]> = { parse: [], expand: [], lint: [] };
// Warm-up run of each (JIT, file cache), then interleaved measured runs so drift hits all three alike.
parseOnly();
expandAll();
lintAll();
for (let i = 0; i < runs; i++) {
  for (const [name, fn] of [['parse', parseOnly], ['expand', expandAll], ['lint', lintAll]] as const) {
    const t0 = cpuMs();
    fn();
    times[name].push(cpuMs() - t0);
  }
}
const p = median(times.parse);
const ex = median(times.expand);
const li = median(times.lint);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log(`corpus: ${entries.length} templates, ${runs} runs each, medians of CPU time`);
console.log(`parse-only baseline (read + JSON.parse): ${p.toFixed(1)} ms`);
console.log(`expand (load + parameters + expansion):  ${ex.toFixed(1)} ms  = ${(ex / p).toFixed(2)}x baseline`);
console.log(`lint (expand + graph + egress + rules):  ${li.toFixed(1)} ms  = ${(li / p).toFixed(2)}x baseline`);
