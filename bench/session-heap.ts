// What an idle 2025-era HTTP session keeps alive, by heap snapshot: agent-mcp `serve --http` and the bare SDK v2
// server (bench/baseline/bare-v2-http-server.mjs), each started with --heapsnapshot-signal, 20 sessions opened and
// closed first (one-time costs), a snapshot, SESSIONS more sessions opened (an SDK v2 client each, with its GET
// stream), another snapshot. The difference of the two, per session and by kind of object, is what a session
// retains. The http benchmark's RSS figure also counts garbage not yet collected; this one does not.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { writeConfig } from '../test/helpers/cli.ts';
import { CONFIG, start } from './http.ts';
import { figure } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 300);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ask for a snapshot and wait until its file is written whole. */
async function snapshot(child: ChildProcess, dir: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  child.kill('SIGUSR2');
  let file: string | undefined;
  while (!file) {
    await pause(100);
    file = readdirSync(dir).find((f) => !before.has(f));
  }
  for (let last = -1; ; ) {
    await pause(500);
    const size = statSync(join(dir, file)).size;
    if (size > 0 && size === last) return join(dir, file);
    last = size;
  }
}

/** Self size by kind of node (objects and closures by constructor name). */
function byKind(file: string): Map<string, { count: number; bytes: number }> {
  const s = JSON.parse(readFileSync(file, 'utf8'));
  const { node_fields: fields, node_types: nodeTypes } = s.snapshot.meta;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < s.nodes.length; i += fields.length) {
    const type = nodeTypes[0][s.nodes[i + typeAt]];
    const key = type === 'object' || type === 'closure' ? `${type} ${s.strings[s.nodes[i + nameAt]] || '(anonymous)'}` : type;
    const k = out.get(key) ?? { count: 0, bytes: 0 };
    k.count++;
    k.bytes += s.nodes[i + sizeAt];
    out.set(key, k);
  }
  return out;
}

async function retainedPerSession(args: string[]): Promise<{ bytes: number; top: [string, number][] }> {
  const dir = mkdtempSync(join(tmpdir(), 'agent-mcp-heap-'));
  const server = await start(args, ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`]);
  const connect = async () => {
    const client = new Client({ name: 'bench', version: '1' }, { versionNegotiation: { mode: 'legacy' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    return client;
  };
  const open: Client[] = [];
  try {
    const warm = await Promise.all(Array.from({ length: 20 }, connect));
    await Promise.all(warm.map((c) => c.close()));
    await pause(1000);
    const before = byKind(await snapshot(server.child, dir));
    for (let i = 0; i < SESSIONS; i += 50) open.push(...(await Promise.all(Array.from({ length: Math.min(50, SESSIONS - i) }, connect))));
    await pause(1000);
    const after = byKind(await snapshot(server.child, dir));
    let bytes = 0;
    const grew: [string, number][] = [];
    for (const [kind, b] of after) {
      const delta = b.bytes - (before.get(kind)?.bytes ?? 0);
      bytes += delta;
      if (delta > 0) grew.push([kind, delta / SESSIONS]);
    }
    return { bytes: bytes / SESSIONS, top: grew.sort((x, y) => y[1] - x[1]).slice(0, 5) };
  } finally {
    await Promise.all(open.map((c) => c.close().catch(() => {})));
    server.child.removeAllListeners('exit');
    server.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const file = writeConfig(CONFIG);
  const ours = ['bin/agent-mcp.js', 'serve', file, '--http', '--port', '0', '--max-connections', String(3 * SESSIONS + 500)];
  const bare = [join(ROOT, 'bench/baseline/bare-v2-http-server.mjs')];
  console.log(`${SESSIONS} idle 2025-era sessions, heap snapshots before and after`);
  const a = await retainedPerSession(ours);
  const b = await retainedPerSession(bare);
  const show = (name: string, r: typeof a) =>
    `${name.padEnd(28)} ${(r.bytes / 1024).toFixed(1)} KiB/session retained  (most: ${r.top.map(([k, v]) => `${k} ${(v / 1024).toFixed(1)}`).join(', ')})`;
  console.log(show('agent-mcp serve --http', a));
  console.log(show('bare SDK v2 server', b));
  console.log(figure('session-heap', 'retained JS heap per idle session ratio', (a.bytes / b.bytes).toFixed(2)));
}
