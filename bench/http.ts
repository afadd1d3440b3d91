// Streamable HTTP under load, in each protocol era: agent-mcp `serve --http` (test model) against a hand-written
// bare SDK v2 server of one tool (bench/baseline/bare-v2-http-server.mjs). 50 concurrent SDK v2 clients (pinned to
// the 2025 era or to 2026-07-28) x 40 calls each: calls/s, p50/p99, server RSS after, server CPU per call. Then, on
// fresh servers, RSS per idle 2025-era session with 1000 sessions open (each an SDK client with its GET stream, as
// real clients hold it; the modern era keeps no session).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { writeConfig } from '../test/helpers/cli.ts';
import { fmt, percentile, verdict } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const CALLS = Number(process.env.BENCH_CALLS_PER_CLIENT ?? 40);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** The served file: one tool on the offline test model (session-heap.ts serves it too). */
export const CONFIG = `
models:
  offline: { provider: test }
tools:
  poet:
    description: Poem generator
    prompt: write a poem about {{theme}}
    model: offline
    input:
      theme: { type: string, description: What the poem is about }
`;

export interface Spawned {
  url: string;
  child: ChildProcess;
}

/** Start a server (node `flags`, then `args`, keys and tokens left out of its environment) and wait until it listens. */
export function start(args: string[], flags: string[] = []): Promise<Spawned> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/API_KEY|TOKEN/.test(k)) env[k] = v;
  const child = spawn(process.execPath, [...flags, ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((resolvePromise, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d;
      const m = /listening on (\S+)/.exec(err);
      if (m) resolvePromise({ url: m[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

/** Both servers, or neither: one that fails to start must not leave the other running. */
async function startBoth(a: string[], b: string[]): Promise<[Spawned, Spawned]> {
  const started = await Promise.allSettled([start(a), start(b)]);
  const failed = started.find((s) => s.status === 'rejected');
  if (!failed) return started.map((s) => (s as PromiseFulfilledResult<Spawned>).value) as [Spawned, Spawned];
  await Promise.all(started.map((s) => (s.status === 'fulfilled' ? stop(s.value) : undefined)));
  throw failed.reason;
}

async function stop(s: Spawned): Promise<void> {
  s.child.removeAllListeners('exit');
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

type Era = '2025' | '2026-07-28';
const ERAS: Era[] = ['2025', '2026-07-28'];

async function connect(url: string, era: Era): Promise<{ client: Client; transport: StreamableHTTPClientTransport; era: Era }> {
  const transport = new StreamableHTTPClientTransport(new URL(url));
  const client = new Client({ name: 'bench', version: '1' }, { versionNegotiation: { mode: era === '2025' ? 'legacy' : { pin: era } } });
  await client.connect(transport);
  return { client, transport, era };
}

/** A 2025-era client ends its session; a modern one has none. */
async function disconnect(c: Connected): Promise<void> {
  if (c.era === '2025') await c.transport.terminateSession();
  await c.client.close();
}

interface Load {
  callsPerSec: number;
  p50: number;
  p99: number;
  rss: number;
  /** CPU the server spent per call, in microseconds. */
  serverCpuUs: number;
}

type Connected = Awaited<ReturnType<typeof connect>>;

/** CPU time (user + system) a process used so far, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
}

/** One round: every client makes CALLS calls in sequence, all clients at once. */
async function round(s: Spawned, clients: Connected[]): Promise<Load> {
  const latencies: number[] = [];
  const cpu0 = cpuMs(s.child.pid!);
  const started = performance.now();
  await Promise.all(
    clients.map(async (c, i) => {
      for (let k = 0; k < CALLS; k++) {
        const t0 = performance.now();
        const result = await c.client.callTool({ name: 'poet', arguments: { theme: `socks ${i}.${k}` } });
        latencies.push(performance.now() - t0);
        if (result.isError) throw new Error(`call failed: ${JSON.stringify(result.content)}`);
      }
    }),
  );
  const wall = performance.now() - started;
  return {
    callsPerSec: (latencies.length / wall) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    rss: rssMiB(s.child.pid!),
    serverCpuUs: ((cpuMs(s.child.pid!) - cpu0) * 1000) / latencies.length,
  };
}

/**
 * Both servers up at once, rounds alternating between them (ABBA, so neither always goes first) so both see the
 * same machine: other work on a shared machine comes and goes. Each server's figures are its median round; the
 * throughput ratio is the median of the ratios of rounds run back to back.
 */
async function load(ours: Spawned, bare: Spawned, era: Era): Promise<{ ours: Load; bare: Load; ratio: number }> {
  const servers = [ours, bare];
  const clients = await Promise.all(servers.map((s) => Promise.all(Array.from({ length: CLIENTS }, () => connect(s.url, era)))));
  // Warm up (JIT, pools) before the clock starts.
  for (let i = 0; i < servers.length; i++)
    await Promise.all(clients[i]!.map((c, k) => c.client.callTool({ name: 'poet', arguments: { theme: `warm ${k}` } })));
  const rounds: Load[][] = [[], []];
  const ratios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const i of r % 2 ? [1, 0] : [0, 1]) rounds[i]!.push(await round(servers[i]!, clients[i]!));
    ratios.push(rounds[0]!.at(-1)!.callsPerSec / rounds[1]!.at(-1)!.callsPerSec);
    if (process.env.BENCH_VERBOSE)
      console.log(`[${era}] round ${r + 1}: ${rounds.map((rs) => rs.at(-1)!.callsPerSec.toFixed(0)).join(' / ')} calls/s`);
  }
  await Promise.all(clients.flat().map(disconnect));
  const mid = (rs: Load[]) => [...rs].sort((a, b) => a.callsPerSec - b.callsPerSec)[Math.floor(rs.length / 2)]!;
  return { ours: mid(rounds[0]!), bare: mid(rounds[1]!), ratio: [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]! };
}

/** RSS growth per open idle session, in KiB. */
async function idleSessions(s: Spawned): Promise<{ perSession: number; before: number; after: number }> {
  // A few sessions first, so one-time costs (first session's lazy loads, JIT) are not counted per session.
  const warm = await Promise.all(Array.from({ length: 20 }, () => connect(s.url, '2025')));
  await Promise.all(warm.map(disconnect));
  await settle();
  const before = rssMiB(s.child.pid!);
  const open: Awaited<ReturnType<typeof connect>>[] = [];
  for (let i = 0; i < SESSIONS; i += 50)
    open.push(...(await Promise.all(Array.from({ length: Math.min(50, SESSIONS - i) }, () => connect(s.url, '2025')))));
  await settle();
  const after = rssMiB(s.child.pid!);
  await Promise.all(open.map((c) => c.client.close()));
  return { perSession: ((after - before) * 1024) / SESSIONS, before, after };
}

const settle = () => new Promise((r) => setTimeout(r, 1500));

export interface HttpBenchResult {
  byEra: Record<Era, { ours: Load; bare: Load; throughputRatio: number }>;
  perSession: { ours: number; bare: number };
  memoryRatio: number;
}

export async function run(): Promise<HttpBenchResult> {
  const file = writeConfig(CONFIG);
  const oursArgs = [
    join(ROOT, 'bin/agent-mcp.js'),
    'serve',
    file,
    '--http',
    '--port',
    '0',
    '--log-level',
    'warning',
    '--max-sessions',
    String(SESSIONS + 100),
    // Every idle session holds its GET stream open, and clients open more for their POSTs: no cap or budget of
    // ours may close what the bare server keeps.
    '--max-connections',
    String(3 * SESSIONS + 500),
    '--session-memory',
    '1gb',
  ];
  const bareArgs = [join(ROOT, 'bench/baseline/bare-v2-http-server.mjs')];

  const row = (name: string, l: Load) =>
    `${name.padEnd(28)} ${l.callsPerSec.toFixed(0).padStart(6)} calls/s  p50 ${fmt(l.p50)}  p99 ${fmt(l.p99)}  RSS after ${l.rss.toFixed(1)} MiB  server CPU ${l.serverCpuUs.toFixed(0)} us/call`;
  console.log(`${CLIENTS} clients x ${CALLS} calls; ${ROUNDS} rounds alternating between the servers, median round shown`);
  const byEra = {} as HttpBenchResult['byEra'];
  for (const era of ERAS) {
    const both = await startBoth(oursArgs, bareArgs);
    const { ours, bare, ratio } = await load(both[0], both[1], era);
    await Promise.all(both.map(stop));
    byEra[era] = { ours, bare, throughputRatio: ratio };
    console.log(`[${era}] ${row('agent-mcp serve --http', ours)}`);
    console.log(`[${era}] ${row('bare SDK v2 server', bare)}`);
    console.log(`[${era}] ${verdict('http', `${era} throughput ratio`, ratio, '>=', 0.9)} (median of back-to-back rounds)`);
  }

  let s = await start(bareArgs);
  const bareIdle = await idleSessions(s);
  await stop(s);
  s = await start(oursArgs);
  const oursIdle = await idleSessions(s);
  await stop(s);

  const idleRow = (name: string, i: typeof oursIdle) =>
    `${name.padEnd(28)} ${i.perSession.toFixed(1)} KiB/session  (RSS ${i.before.toFixed(1)} -> ${i.after.toFixed(1)} MiB)`;
  console.log(`${SESSIONS} idle 2025-era sessions open`);
  console.log(idleRow('agent-mcp serve --http', oursIdle));
  console.log(idleRow('bare SDK v2 server', bareIdle));
  const mem = oursIdle.perSession / bareIdle.perSession;
  console.log(verdict('http', 'RSS per idle session ratio', mem, '<=', 1.2));
  return { byEra, perSession: { ours: oursIdle.perSession, bare: bareIdle.perSession }, memoryRatio: mem };
}
