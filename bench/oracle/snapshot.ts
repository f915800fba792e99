// Azure's template engine, offline: the Bicep CLI's snapshot of a .bicepparam (the resources a deployment would
// create, evaluated by the engine Azure Resource Manager runs). The CLI is started once per worker in JSON-RPC
// mode (`bicep jsonrpc --stdio`), whose `bicep/getSnapshot` runs the same code as `bicep snapshot <file>`
// (Bicep.Cli/Rpc/CliJsonRpcServer.cs GetSnapshot and Commands/SnapshotCommand.cs both call
// SnapshotHelper.GetSnapshot), without the few seconds .NET takes to start a process per template.
// Results are cached by content hash in .oracle-cache/ (gitignored), so a rerun only evaluates what changed.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The deployment context both engines use: egress-lint's defaults (engine/expressions/scope.ts DEFAULT_SCOPE). */
export interface SnapshotMetadata {
  readonly tenantId: string;
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  readonly managementGroupId?: string;
  readonly location: string;
  readonly deploymentName: string;
}

/** What `bicep snapshot` writes: the predicted resources, the engine's diagnostics, the outputs. */
export interface Snapshot {
  readonly predictedResources: readonly Record<string, unknown>[];
  readonly diagnostics: readonly string[];
  readonly outputs?: Record<string, unknown>;
}

export type SnapshotResult = { readonly snapshot: Snapshot } | { readonly failed: string };

/** The first `bicep` on PATH, or undefined. */
export function findBicep(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, 'bicep');
    if (existsSync(p)) return p;
  }
  return undefined;
}

interface Pending {
  readonly resolve: (v: { result?: unknown; error?: { message?: string; data?: unknown } }) => void;
}

/** One `bicep jsonrpc --stdio` process: requests framed with Content-Length headers (StreamJsonRpc's framing). */
class RpcServer {
  private proc: ChildProcessWithoutNullStreams;
  private buf = Buffer.alloc(0);
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private exited = false;

  constructor(private readonly bicep: string) {
    this.proc = spawn(bicep, ['jsonrpc', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (d: Buffer) => this.onData(d));
    this.proc.stderr.on('data', () => undefined);
    this.proc.on('exit', () => {
      this.exited = true;
      for (const p of this.pending.values()) p.resolve({ error: { message: 'the Bicep CLI exited' } });
      this.pending.clear();
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const h = this.buf.indexOf('\r\n\r\n');
      if (h < 0) return;
      const m = /Content-Length:\s*(\d+)/i.exec(this.buf.subarray(0, h).toString());
      const len = m ? Number(m[1]) : 0;
      if (this.buf.length < h + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(h + 4, h + 4 + len).toString('utf8')) as { id?: number; result?: unknown; error?: { message?: string } };
      this.buf = this.buf.subarray(h + 4 + len);
      if (typeof msg.id === 'number') {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.resolve(msg);
      }
    }
  }

  call(method: string, params: unknown, timeoutMs: number): Promise<{ result?: unknown; error?: { message?: string; data?: unknown } }> {
    if (this.exited) return Promise.resolve({ error: { message: 'the Bicep CLI exited' } });
    const id = ++this.nextId;
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ error: { message: `no answer within ${timeoutMs / 1000} s` } });
        // A request that hangs would hold the next ones: start over with a new process.
        this.kill();
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
      });
      this.proc.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  }

  kill(): void {
    if (!this.exited) this.proc.kill();
  }
}

/** The first line of an error, without the CLI's stack trace. */
function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

/** Bicep's errors for a .bicepparam that did not compile (`bicep/compileParams`), as one sentence. */
async function compileErrors(server: RpcServer, path: string): Promise<string | undefined> {
  const r = await server.call('bicep/compileParams', { path, parameterOverrides: {} }, 120_000);
  const diags = (r.result as { diagnostics?: { level?: string; code?: string; message?: string }[] } | undefined)?.diagnostics ?? [];
  const errors = diags.filter((d) => d.level === 'Error');
  if (errors.length === 0) return undefined;
  return errors.map((d) => `${d.code}: ${firstLine(d.message ?? '')}`).join('; ');
}

/** A pool of Bicep JSON-RPC processes with a content-hash cache in front. */
export class SnapshotPool {
  private readonly servers: RpcServer[] = [];
  private readonly idle: RpcServer[] = [];
  private readonly waiting: ((s: RpcServer) => void)[] = [];
  private version = '';
  hits = 0;
  misses = 0;

  constructor(
    private readonly bicep: string,
    private readonly size: number,
    private readonly cacheDir: string,
    private readonly timeoutMs = 120_000,
  ) {}

  /** Starts the processes and reads the CLI's version (part of every cache key). */
  async start(): Promise<string> {
    for (let i = 0; i < this.size; i++) {
      const s = new RpcServer(this.bicep);
      this.servers.push(s);
      this.idle.push(s);
    }
    const s = await this.take();
    const r = await s.call('bicep/version', {}, 120_000);
    this.give(s);
    this.version = String((r.result as { version?: string } | undefined)?.version ?? 'unknown');
    mkdirSync(this.cacheDir, { recursive: true });
    return this.version;
  }

  private take(): Promise<RpcServer> {
    const s = this.idle.pop();
    if (s) return Promise.resolve(s);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private give(used: RpcServer): void {
    let s = used;
    if (!s.alive) {
      // A request timed out (the process was stopped) or the CLI crashed: a new process takes its place.
      s = new RpcServer(this.bicep);
      this.servers.push(s);
    }
    const w = this.waiting.shift();
    if (w) w(s);
    else this.idle.push(s);
  }

  /** The cache key of a snapshot: the CLI version, the metadata, and every input file's text. */
  key(files: Record<string, string>, metadata: SnapshotMetadata): string {
    const h = createHash('sha256');
    h.update(this.version);
    h.update(JSON.stringify(metadata));
    for (const name of Object.keys(files).sort()) h.update(`\0${name}\0${files[name]}`);
    return h.digest('hex');
  }

  /**
   * The snapshot of `paramFile` (a .bicepparam already written with the template beside it), from the cache when
   * `key` is there. A failure is a result too (cached the same way), with the reason Bicep gave.
   */
  async snapshot(paramFile: string, key: string, metadata: SnapshotMetadata): Promise<SnapshotResult & { cached: boolean }> {
    const cached = join(this.cacheDir, `${key}.json`);
    if (existsSync(cached)) {
      this.hits++;
      return { ...(JSON.parse(readFileSync(cached, 'utf8')) as SnapshotResult), cached: true };
    }
    this.misses++;
    const s = await this.take();
    let out: SnapshotResult;
    try {
      const r = await s.call('bicep/getSnapshot', { path: paramFile, metadata }, this.timeoutMs);
      if (r.result && typeof (r.result as { snapshot?: unknown }).snapshot === 'string') {
        out = { snapshot: JSON.parse((r.result as { snapshot: string }).snapshot) as Snapshot };
      } else {
        const message = firstLine(String(r.error?.message ?? 'no snapshot'));
        const why = /Compilation failed/i.test(message) && s.alive ? await compileErrors(s, paramFile) : undefined;
        out = { failed: why ? `the .bicepparam did not compile: ${why}` : message };
      }
    } finally {
      this.give(s);
    }
    // A timeout or a crash may not repeat: only answers are cached.
    if (!('failed' in out) || !/no answer within|exited/.test(out.failed)) writeFileSync(cached, JSON.stringify(out));
    return { ...out, cached: false };
  }

  stop(): void {
    for (const s of this.servers) s.kill();
  }
}
