// The overhead of an MCP task against a plain call: one `agent-mcp serve --http` process, a tool answered at once by
// the test model (so what is measured is the protocol and the store, not a model), called by a 2026-07-28 client
// with raw JSON-RPC over keep-alive fetch. Plain: one tools/call. Task: tools/call answered with a task, then
// tasks/get polled back to back until it is completed (its result inline): create, queue, run on a worker, poll.
// On Redis (--redis: the record in Redis, the run a BullMQ job) and in memory (no --redis), against the plain call
// on the same process. CALLS of each, interleaved, after a warm-up; p50 / p99 and polls per task.
import { findBinary } from '../test/helpers/components.ts';
import { startRedis, type RedisServer } from '../test/helpers/redis.ts';
import { startHttp, type Running } from '../test/server/http-helpers.ts';
import { fmt, percentile } from './stats.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const WARMUP = 20;

const YAML = `
models:
  now: { provider: test, responses: ["done"] }
tools:
  plain:
    prompt: answer {{word}}
    input:
      word: { type: string }
    model: now
  errand:
    prompt: answer {{word}}
    input:
      word: { type: string }
    model: now
    task: required
`;

const META = (tasks: boolean) => ({
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': tasks ? { extensions: { 'io.modelcontextprotocol/tasks': {} } } : {},
});

let id = 0;
async function rpc(url: string, method: string, params: Record<string, unknown>, name: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      'mcp-name': name,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
  });
  const text = await res.text();
  const line = text.trimStart().startsWith('{')
    ? text
    : (
        text
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .at(-1) ?? ''
      ).slice(5);
  const msg = JSON.parse(line) as { result?: Record<string, unknown>; error?: unknown };
  if (!msg.result) throw new Error(`${method}: ${JSON.stringify(msg.error ?? text.slice(0, 200))}`);
  return msg.result;
}

async function plainCall(url: string, k: number): Promise<void> {
  const r = await rpc(url, 'tools/call', { name: 'plain', arguments: { word: String(k) }, _meta: META(false) }, 'plain');
  if (r.isError || !JSON.stringify(r).includes('done')) throw new Error(`plain call: ${JSON.stringify(r)}`);
}

async function taskRoundTrip(url: string, k: number, polls: number[]): Promise<void> {
  const created = await rpc(url, 'tools/call', { name: 'errand', arguments: { word: String(k) }, _meta: META(true) }, 'errand');
  if (created.resultType !== 'task') throw new Error(`not a task: ${JSON.stringify(created)}`);
  const taskId = created.taskId as string;
  for (let n = 1; n <= 10_000; n++) {
    const task = await rpc(url, 'tasks/get', { taskId, _meta: META(true) }, taskId);
    if (task.status === 'completed') {
      if (!JSON.stringify(task.result).includes('done')) throw new Error(`task result: ${JSON.stringify(task)}`);
      polls.push(n);
      return;
    }
    if (task.status !== 'working') throw new Error(`task ${task.status}: ${JSON.stringify(task)}`);
  }
  throw new Error('the task never completed');
}

interface Row {
  name: string;
  latencies: number[];
  polls?: number[];
}

export async function run(): Promise<void> {
  if (!findBinary('redis-server')) throw new Error('redis-server not installed (apt-get install redis-server)');
  let redis: RedisServer | undefined;
  const servers: Running[] = [];
  try {
    redis = await startRedis();
    const onRedis = await startHttp(['--redis', redis.url, '--log-level', 'error'], { yaml: YAML });
    servers.push(onRedis);
    const inMemory = await startHttp(['--log-level', 'error'], { yaml: YAML });
    servers.push(inMemory);
    const rows: Row[] = [
      { name: 'plain call (the --redis process)', latencies: [] },
      { name: 'task round trip, Redis + BullMQ', latencies: [], polls: [] },
      { name: 'plain call (in-memory process)', latencies: [] },
      { name: 'task round trip, in memory', latencies: [], polls: [] },
    ];
    const steps: ((k: number, row: Row) => Promise<void>)[] = [
      (k) => plainCall(onRedis.url, k),
      (k, row) => taskRoundTrip(onRedis.url, k, row.polls!),
      (k) => plainCall(inMemory.url, k),
      (k, row) => taskRoundTrip(inMemory.url, k, row.polls!),
    ];
    for (let k = 0; k < WARMUP; k++) for (const [i, step] of steps.entries()) await step(k, { ...rows[i]!, polls: [] });
    for (let k = 0; k < CALLS; k++) {
      // ABCD, then DCBA: no kind always runs right after another.
      const order = k % 2 ? [3, 2, 1, 0] : [0, 1, 2, 3];
      for (const i of order) {
        const t0 = performance.now();
        await steps[i]!(k, rows[i]!);
        rows[i]!.latencies.push(performance.now() - t0);
      }
    }
    process.stdout.write(`${CALLS} of each, interleaved, after ${WARMUP} warm-up rounds; polls back to back\n\n`);
    process.stdout.write('| | p50 | p99 | tasks/get per task (median) |\n| --- | ---: | ---: | ---: |\n');
    for (const r of rows) {
      const polls = r.polls ? String(percentile(r.polls, 50)) : '';
      process.stdout.write(`| ${r.name} | ${fmt(percentile(r.latencies, 50))} | ${fmt(percentile(r.latencies, 99))} | ${polls} |\n`);
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await redis?.stop();
  }
}
