// `--stateless` throughput through nginx (deploy/nginx/agent-mcp.conf) with 1, 2 and 3 replicas, against one
// replica reached directly. The test model waits 20 ms per reply, so a call's work is mostly waiting, as with a
// real model; what limits throughput is each process's CPU per request. CONCURRENCY workers each send CALLS
// `tools/call` POSTs in sequence (raw fetch with keep-alive: a load generator that costs little CPU itself).
import { findBinary } from '../test/helpers/components.ts';
import { deployConf, type Nginx, startNginx } from '../test/helpers/nginx.ts';
import { startHttp, type Running } from '../test/server/http-helpers.ts';
import { fmt, median, percentile } from './stats.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const CALLS = Number(process.env.BENCH_CALLS_PER_WORKER ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const YAML = `
models:
  waits: { provider: test, delay: 20ms }
tools:
  poet:
    prompt: write a poem about {{theme}}
    model: waits
    input:
      theme: { type: string }
`;

const HEADERS = {
  'Content-Type': 'application/json',
  Accept: 'application/json, text/event-stream',
  'Mcp-Protocol-Version': '2025-11-25',
};

interface Figures {
  callsPerSec: number;
  p50: number;
  p99: number;
}

async function load(url: string): Promise<Figures> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let k = 0; k < CALLS; k++) {
        const body = JSON.stringify({
          jsonrpc: '2.0',
          id: k,
          method: 'tools/call',
          params: { name: 'poet', arguments: { theme: `${w}.${k}` } },
        });
        const t0 = performance.now();
        const res = await fetch(url, { method: 'POST', headers: HEADERS, body });
        const text = await res.text();
        latencies.push(performance.now() - t0);
        if (res.status !== 200 || !text.includes('test model received') || text.includes('"isError":true')) {
          throw new Error(`call failed: HTTP ${res.status}: ${text.slice(0, 300)}`);
        }
      }
    }),
  );
  const wall = performance.now() - started;
  return { callsPerSec: (latencies.length / wall) * 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Figures of the median round by throughput. */
function medianRound(rounds: Figures[]): Figures {
  const mid = median(rounds.map((r) => r.callsPerSec));
  return rounds.find((r) => r.callsPerSec === mid)!;
}

export async function run(): Promise<void> {
  const rows: [string, Figures][] = [];
  if (!findBinary('nginx')) throw new Error('nginx not installed (apt-get install nginx)');
  const replicas: Running[] = [];
  const proxies: Nginx[] = [];
  const targets: [string, string][] = [];
  try {
    for (let i = 0; i < 3; i++) replicas.push(await startHttp(['--stateless', '--log-level', 'error'], { yaml: YAML }));
    targets.push(['1 replica, direct', replicas[0]!.url]);
    for (const n of [1, 2, 3]) {
      const nginx = await startNginx(deployConf(replicas.slice(0, n).map((r) => Number(new URL(r.url).port))));
      proxies.push(nginx);
      targets.push([`nginx + ${n} replica${n > 1 ? 's' : ''}`, `${nginx.origin}/mcp`]);
    }
    for (const [, url] of targets) await load(url); // warm-up: JIT, keep-alive pools
    // Rounds go round the targets, so each sees the same machine: other work on a shared machine comes and goes.
    const rounds = targets.map((): Figures[] => []);
    // Odd rounds go the other way round, so no target always comes first (after the longest idle) or last.
    for (let r = 0; r < ROUNDS; r++) {
      const order = targets.map((_, t) => t);
      if (r % 2 === 1) order.reverse();
      for (const t of order) rounds[t]!.push(await load(targets[t]![1]));
    }
    for (const [t, [name]] of targets.entries()) rows.push([name, medianRound(rounds[t]!)]);
  } finally {
    await Promise.all(proxies.map((p) => p.stop()));
    await Promise.all(replicas.map((r) => r.stop()));
  }
  process.stdout.write(`${CONCURRENCY} concurrent workers x ${CALLS} calls, test model with a 20 ms delay, median of ${ROUNDS} rounds\n\n`);
  process.stdout.write('| | calls/s | p50 | p99 |\n| --- | ---: | ---: | ---: |\n');
  for (const [name, f] of rows) process.stdout.write(`| ${name} | ${f.callsPerSec.toFixed(0)} | ${fmt(f.p50)} | ${fmt(f.p99)} |\n`);
}
