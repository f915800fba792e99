// The real Bicep CLI for the tests that need it (scripts/ci/install-bicep.sh puts the pinned one in .tools/bin, and
// .ci/run puts that on PATH): finding it, saying by name which tests are skipped without it, compiling many files
// in one process (`bicep build --pattern`: every CLI start is a .NET start), the expectations the fixtures under
// fixtures/bicep/real carry in comments, and the oracle for positions: the compiler's own symbolic names.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { findBicep } from '../../cli/bicep.js';
import { BicepPositions } from '../../api/bicep-positions.js';
import type { SourceHost } from '../../engine/index.js';

/** The `bicep` executable on PATH (az alone does not do: the tests build many files at once with --pattern). */
export const BICEP: string | undefined = ((c) => (c?.kind === 'bicep' ? c.path : undefined))(findBicep(process.env));

/** The line a test prints instead of running when there is no Bicep CLI. */
export function skipped(name: string): void {
  console.log(`  skipped: ${name} (no 'bicep' on PATH; 'bash scripts/ci/install-bicep.sh' installs the pinned Bicep CLI into .tools/bin)`);
}

export interface Build {
  readonly code: number;
  readonly stderr: string;
}

/** Runs the Bicep CLI in `cwd`. */
export function bicep(args: readonly string[], cwd: string): Promise<Build & { stdout: string }> {
  return new Promise((done) => {
    execFile(BICEP!, [...args], { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** Every file under `dir` (relative, with '/'). */
export function filesUnder(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...filesUnder(abs, base));
    else out.push(relative(base, abs).split('\\').join('/'));
  }
  return out;
}

/**
 * A copy of `from` in a temporary folder with every .bicep file built next to itself (`<name>.json`) in one Bicep
 * process; with `symbolic`, with symbolic names (the experimental `symbolicNameCodegen` through --config, so the
 * template is keyed by the Bicep symbols the positions are checked against).
 */
export async function buildCopy(from: string, symbolic: boolean): Promise<{ dir: string; build: Build }> {
  const dir = mkdtempSync(join(tmpdir(), `egress-lint-bicep-${symbolic ? 'symbolic' : 'plain'}-`));
  cpSync(from, dir, { recursive: true });
  const args = ['build', '--pattern', '**/*.bicep'];
  if (symbolic) {
    writeFileSync(join(dir, 'symbolic.bicepconfig.json'), JSON.stringify({ experimentalFeaturesEnabled: { symbolicNameCodegen: true } }));
    args.push('--config', join(dir, 'symbolic.bicepconfig.json'));
  }
  return { dir, build: await bicep(args, dir) };
}

// ---- Expectations in the fixtures ----------------------------------------------------------------------------------

export interface Marker {
  readonly file: string;
  readonly line: number;
  /** `expect <rule>`: a finding of that rule on this line; `declared <rule>`: a finding whose help names this line. */
  readonly kind: 'expect' | 'expect-vm' | 'declared';
  readonly words: readonly string[];
}

/**
 * The markers of a fixture file: a line's trailing comment `// expect <rule-id>`, `// expect-vm <name> <verdict>
 * <egress,…|->` or `// declared <rule-id>`, several separated by `;`.
 */
export function markersOf(file: string, text: string): Marker[] {
  const out: Marker[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /\/\/\s*((?:expect|expect-vm|declared)\s.*)$/.exec(lines[i]);
    if (!m) continue;
    for (const part of m[1].split(';')) {
      const [kind, ...words] = part.trim().split(/\s+/);
      out.push({ file, line: i + 1, kind: kind as Marker['kind'], words });
    }
  }
  return out;
}

// ---- The oracle: the compiler's symbolic names -------------------------------------------------------------------

export interface ResourceCheck {
  /** The compiled resource, as a pointer into the top file's compiled template. */
  readonly pointer: string;
  /** The Bicep symbol the compiler gave it (`parent::child` when nested). */
  readonly symbol: string;
  readonly want: { readonly file: string; readonly line: number } | undefined;
  readonly got: { readonly file: string; readonly line: number };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The line (1-based) that declares `symbol` (`a::b`: `resource b` after `resource a`), found by a plain text search. */
export function declarationLine(text: string, symbol: string): { line: number; path?: string } | undefined {
  const lines = text.split('\n');
  let from = 0;
  let found: { line: number; path?: string } | undefined;
  const parts = symbol.split('::');
  for (let p = 0; p < parts.length; p++) {
    const re = new RegExp(`^\\s*(resource|module)\\s+${escape(parts[p])}\\s+'([^']*)'`);
    found = undefined;
    for (let i = from; i < lines.length; i++) {
      const m = re.exec(lines[i]);
      if (m) {
        found = { line: i + 1, ...(m[1] === 'module' ? { path: m[2] } : {}) };
        from = i + 1;
        break;
      }
    }
    if (!found) return undefined;
  }
  return found;
}

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * Checks where every compiled resource of `file` (and of the local modules it compiles in) is placed, against the
 * declaration of the symbol the compiler itself gave it: `plain` is the template as egress-lint lints it, `symbolic`
 * the same file built with symbolic names. In a plain template, resources come in the order of the symbolic one's
 * keys, `existing` ones left out (both are written by the same loop of Bicep's TemplateWriter).
 */
export function checkResources(file: string, plain: string, symbolic: string, host: SourceHost): { checks: ResourceCheck[]; problems: string[] } {
  const positions = new BicepPositions(file, 'bicep', plain, host);
  const checks: ResourceCheck[] = [];
  const problems: string[] = [];
  const visit = (prefix: string, source: string, p: Record<string, unknown>, s: Record<string, unknown>): void => {
    const text = host.readText(source);
    if (typeof text !== 'string') {
      problems.push(`${source}: cannot be read`);
      return;
    }
    const sym = record(s.resources);
    const keys = Object.keys(sym).filter((k) => record(sym[k]).existing !== true);
    const pres = p.resources;
    const pairs: [string, string][] = Array.isArray(pres) ? keys.map((k, i) => [String(i), k]) : Object.keys(record(pres)).map((k) => [k, k]);
    if (Array.isArray(pres) && pres.length !== keys.length) problems.push(`${source}: ${pres.length} resources compiled, ${keys.length} symbols`);
    for (const [index, symbol] of pairs) {
      const res = record(Array.isArray(pres) ? pres[Number(index)] : record(pres)[index]);
      if (String(res.type).toLowerCase() !== String(record(sym[symbol]).type).toLowerCase()) problems.push(`${source}: resource ${index} is ${String(res.type)}, symbol ${symbol} is ${String(record(sym[symbol]).type)}`);
      const pointer = `${prefix}/resources/${index.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const decl = declarationLine(text, symbol);
      const loc = positions.locate(pointer);
      const got = loc.inner ? { file: loc.inner.file, line: loc.inner.place.line } : { file, line: loc.place.line };
      checks.push({ pointer, symbol, want: decl ? { file: source, line: decl.line } : undefined, got });
      // A local Bicep module: its own resources, in its own file.
      if (decl?.path && /\.bicep$/i.test(decl.path) && !/^(br|ts)[:/]/.test(decl.path)) {
        const inner = source.split('/').slice(0, -1).concat(decl.path.replace(/^\.\//, '')).join('/');
        visit(`${pointer}/properties/template`, normalize(inner), record(record(res.properties).template), record(record(record(sym[symbol]).properties).template));
      }
    }
  };
  try {
    visit('', file, record(JSON.parse(plain)), record(JSON.parse(symbolic)));
  } catch (e) {
    problems.push(`${file}: ${(e as Error).message}`);
  }
  return { checks, problems };
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

/** A host that reads files relative to `dir`. */
export function hostAt(dir: string): SourceHost {
  return {
    readText(file: string) {
      try {
        return readFileSync(join(dir, file), 'utf8');
      } catch (e) {
        return { error: (e as Error).message };
      }
    },
  };
}
