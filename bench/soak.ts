// npm run soak: the built server (`serve --http`) under mixed load and faults for SOAK_MINUTES (default 30) on
// loopback, its RSS sampled from /proc every few seconds. Passes when RSS after warm-up stays flat within 10% (see
// rssVerdict), the server is alive and no request got an answer it should not have. Not in CI (it takes minutes by
// design).
//
// Eight clients at a time, each doing one of (weights in brackets): a 2025-era session that calls and ends [4]; one
// that calls and is abandoned (left to the session TTL) [2]; a modern-era call [4]; a call whose client drops the
// connection mid-answer [1]; seeded hostile bodies [3]; an idle socket left open [1]; a big answer [1]; a sampling
// round trip through the SDK client, 2025 era (a server-to-client request) or 2026-07-28 (input_required, the run
// resumed from its requestState) [2]; a provider fault (the real openai SDK against the fake server on loopback:
// stall, cut, bad chunk, HTML 200, 500, 429), streamed or not, behind a chain that falls back [2].
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { FakeReply } from '../test/fakes/fake-http.ts';
import { FakeOpenAI } from '../test/fakes/openai-server.ts';
import { BIN, cleanEnv, writeConfig } from '../test/helpers/cli.ts';
import { ENVELOPE, hostileLines, prng } from '../test/reliability/hostile.ts';

const minutes = Number(process.env.SOAK_MINUTES ?? 30);
const durationMs = minutes * 60_000;
const warmupMs = Math.min(5 * 60_000, Math.max(30_000, durationMs / 5));
const sampleMs = Number(process.env.SOAK_SAMPLE_MS ?? 5_000);
const WORKERS = 8;
// Small enough that the sessions' events outgrow it every few seconds: the longest-idle sessions (most of them
// abandoned ones) are closed to make room, all through the run. Drift in that accounting would show as 503s.
const SESSION_MEMORY = process.env.SOAK_SESSION_MEMORY ?? '8kb';
/**
 * Flat or not, from the samples after warm-up. RSS saws up and down by a quarter as the heap fills and is
 * collected, so single samples say little: compare the median of the first tenth after warm-up (at least 3
 * samples) with the median of the last tenth, and report the floors (lowest samples, near the live heap) too.
 */
function rssVerdict(all: { t: number; rss: number }[], warmup: number) {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const mib = (kib: number) => +(kib / 1024).toFixed(1);
  const after = all.filter((s) => s.t >= warmup).map((s) => s.rss);
  const window = Math.max(3, Math.floor(after.length / 10));
  const first = after.slice(0, window);
  const last = after.slice(-window);
  const start = median(first);
  const end = median(last);
  const growth = start ? (end - start) / start : 0;
  return {
    flat: after.length >= 2 * window && growth <= 0.1,
    report: {
      samplesAfterWarmup: after.length,
      rssMiB: {
        firstTenthMedian: mib(start),
        lastTenthMedian: mib(end),
        firstTenthFloor: mib(Math.min(...first)),
        lastTenthFloor: mib(Math.min(...last)),
        peak: mib(Math.max(...after)),
      },
      growthPercent: +(growth * 100).toFixed(1),
    },
  };
}

// `bench/soak.ts --analyze FILE`: the verdict of a finished run again, from its SOAK_LOG.
if (process.argv[2] === '--analyze') {
  const lines = readFileSync(process.argv[3]!, 'utf8').trim().split('\n');
  const logged = lines.map((l) => JSON.parse(l) as { t: number; rss: number; minutes?: number });
  const last = logged.at(-1)!.t;
  const warmup = Math.min(5 * 60_000, Math.max(30_000, last / 5));
  const v = rssVerdict(logged, warmup);
  console.log(JSON.stringify({ warmupSeconds: warmup / 1000, ...v.report, verdict: v.flat ? 'flat' : 'GREW' }, null, 2));
  process.exit(v.flat ? 0 : 1);
}

/** Every RSS sample, one JSON line each (SOAK_LOG=path; default: none). */
const logFile = process.env.SOAK_LOG;
if (logFile) writeFileSync(logFile, '');

// The provider behind the fault jobs: a healthy answer unless a job queued a fault for the next request.
const fake = await new FakeOpenAI().start();
fake.fallback = { text: 'the fake provider answers' };

const YAML = `
models:
  quick: { provider: test }
  slow: { provider: test, delay: 2s }
  big: { provider: test, responses: ["${'x'.repeat(200_000)}"] }
  flaky: { provider: openai, model: m, baseURL: "${fake.url}", apiKey: soak-key, maxRetries: 0, timeout: 1s }
defaults:
  model: quick
tools:
  echo:
    prompt: say {{text}}
    input:
      text: { type: string }
  slow:
    model: slow
    prompt: wait {{text}}
    input:
      text: { type: string }
  big:
    model: big
    prompt: a lot
  flaky:
    model: [flaky, quick]
    prompt: try {{text}}
    input:
      text: { type: string }
  poet:
    model: sampling
    prompt: a poem about {{text}}
    input:
      text: { type: string }
`;

const file = writeConfig(YAML);
const child = spawn(
  process.execPath,
  [BIN, '--log-level', 'info', 'serve', file, '--http', '--port', '0', '--session-ttl', '5s', '--session-memory', SESSION_MEMORY],
  {
    env: cleanEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
  },
);
let stderr = '';
// The server's log, read line by line and not kept: sessions it closed to stay within --session-memory, and the
// first few warnings and errors (a fault's fallback is a warning; a stack trace would be a finding).
const server = { closedForMemory: 0, warnings: 0, errors: 0, firstProblems: [] as string[] };
let partial = '';
function readLog(chunk: string): void {
  const lines = (partial + chunk).split('\n');
  partial = lines.pop()!;
  for (const line of lines) {
    const closed = /closed (\d+) idle sessions?: /.exec(line);
    if (closed) server.closedForMemory += Number(closed[1]);
    const level = /^agent-mcp (warning|error|critical|alert|emergency):/.exec(line)?.[1];
    if (level) {
      if (level === 'warning') server.warnings++;
      else server.errors++;
      if (level !== 'warning' && server.firstProblems.length < 5) server.firstProblems.push(line.slice(0, 300));
    }
  }
}
const url = await new Promise<string>((resolve, reject) => {
  const onData = (d: Buffer) => {
    stderr += d.toString();
    const m = /^agent-mcp listening on (\S+)$/m.exec(stderr);
    if (!m) return;
    child.stderr!.off('data', onData).on('data', (more: Buffer) => readLog(more.toString()));
    readLog(stderr.slice(m.index + m[0].length));
    resolve(m[1]!);
  };
  child.stderr!.on('data', onData);
  child.once('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
});

function rssKiB(): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0);
}

interface Reply {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

function post(body: string | Buffer, headers: Record<string, string> = {}, dropAfterMs?: number): Promise<Reply> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
        res.on('error', () => resolve({ status: -1, text, headers: res.headers }));
        res.on('close', () => resolve({ status: -1, text, headers: res.headers })); // after a drop: no end, no error
        if (dropAfterMs !== undefined) setTimeout(() => req.destroy(), dropAfterMs);
      },
    );
    req.on('error', () => resolve({ status: -1, text: '', headers: {} }));
    req.end(body);
  });
}

const counts = {
  calls: 0,
  errors: 0,
  hostile: 0,
  sessions: 0,
  abandoned: 0,
  evicted: 0,
  drops: 0,
  idle: 0,
  sampling: 0,
  faults: 0,
  unexpected: 0,
};
const rand = prng(42);

async function legacySession(end: boolean): Promise<void> {
  const init = await post(
    JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'soak', version: '1' } },
    }),
  );
  const sid = init.headers['mcp-session-id'];
  if (typeof sid !== 'string') {
    counts.unexpected++;
    return;
  }
  counts.sessions++;
  const h = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
  await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), h);
  for (let i = 0; i < 3; i++) {
    const r = await post(
      JSON.stringify({ jsonrpc: '2.0', id: 10 + i, method: 'tools/call', params: { name: 'echo', arguments: { text: `s${i}` } } }),
      h,
    );
    counts.calls++;
    // Closed to keep the sessions within --session-memory: a client starts over, as after the TTL.
    if (r.status === 404 && r.text.includes('Session not found')) {
      counts.evicted++;
      return;
    }
    if (!r.text.includes('test model received')) counts.unexpected++;
  }
  if (end) {
    await new Promise<void>((resolve) => {
      const req = request(url, { method: 'DELETE', agent: false, headers: h }, (res) => res.resume().on('end', resolve));
      req.on('error', () => resolve());
      req.end();
    });
  } else counts.abandoned++;
}

async function modernCall(tool = 'echo'): Promise<void> {
  const r = await post(
    JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: tool, arguments: tool === 'big' ? {} : { text: 'm' }, _meta: ENVELOPE },
    }),
    { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': tool },
  );
  counts.calls++;
  if (r.status !== 200) counts.unexpected++;
}

async function dropMidCall(): Promise<void> {
  await post(
    JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'slow', arguments: { text: 'd' }, _meta: ENVELOPE } }),
    { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'slow' },
    100,
  );
  counts.drops++;
}

let seed = 1;
async function hostile(): Promise<void> {
  const modern = rand() < 0.5;
  for (const line of hostileLines(seed++, 20, { modern, toolName: 'echo' })) {
    const r = await post(line.bytes, modern ? { 'mcp-protocol-version': '2026-07-28' } : {});
    counts.hostile++;
    if (r.status >= 500) counts.unexpected++;
  }
}

async function idleSocket(): Promise<void> {
  const { hostname, port } = new URL(url);
  await new Promise<void>((resolve) => {
    const s = connectTcp(Number(port), hostname);
    s.resume(); // read the server's 408, or its close never surfaces
    s.on('error', () => resolve());
    s.on('close', () => resolve()); // the server closes it (headers timeout)
  });
  counts.idle++;
}

/** The SDK client, pinned to one era, answering sampling at once; one call of the sampling tool, then closed. */
async function samplingRoundTrip(era: '2025' | '2026-07-28'): Promise<void> {
  const client = new Client(
    { name: 'soak', version: '1' },
    { capabilities: { sampling: {} }, versionNegotiation: { mode: era === '2025' ? 'legacy' : { pin: era } } },
  );
  client.setRequestHandler('sampling/createMessage', async () => ({
    role: 'assistant',
    model: 'soak-llm',
    content: { type: 'text', text: 'Socks for a fox.' },
  }));
  const transport = new StreamableHTTPClientTransport(new URL(url));
  try {
    await client.connect(transport);
    const result = await client.callTool({ name: 'poet', arguments: { text: 'socks' } });
    counts.sampling++;
    const text = JSON.stringify(result.content);
    if (result.isError || !text.includes('Socks for a fox.')) counts.unexpected++;
  } finally {
    // Ends the 2025-era session (DELETE); nothing to end for 2026-07-28.
    await transport.terminateSession?.().catch(() => {});
    await client.close().catch(() => {});
  }
}

const FAULTS: FakeReply[] = [
  { fault: { kind: 'stall', after: 2 } },
  { fault: { kind: 'cut', after: 2 } },
  { fault: { kind: 'bad-chunk', at: 1 } },
  { fault: { kind: 'raw', body: '<!doctype html><p>maintenance</p>' } },
  { status: 500, message: 'overloaded' },
  { status: 429, message: 'slow down', headers: { 'retry-after-ms': '0' } },
];

/** A fault queued for the provider's next request, then a call of the chained tool: whatever request meets the fault, the call falls back and succeeds. */
async function providerFault(): Promise<void> {
  fake.reply(FAULTS[Math.floor(rand() * FAULTS.length)]!);
  const streamed = rand() < 0.5;
  const r = await post(
    JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'flaky', arguments: { text: 'f' }, _meta: { ...ENVELOPE, ...(streamed && { progressToken: 1 }) } },
    }),
    { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'flaky' },
  );
  counts.faults++;
  // The last SSE event (or the JSON body) is the result: a success, from the fake or from the fallback.
  const last =
    r.text
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('data: ') || l.startsWith('{'))
      .pop() ?? '';
  const result = JSON.parse(last.replace(/^data: /, '') || 'null') as { result?: { isError?: boolean } } | null;
  if (r.status !== 200 || !result?.result || result.result.isError) counts.unexpected++;
}

const jobs: [number, string, () => Promise<void>][] = [
  [4, 'session', () => legacySession(true)],
  [2, 'abandoned session', () => legacySession(false)],
  [4, '2026-07-28 call', () => modernCall()],
  [1, 'dropped call', dropMidCall],
  [3, 'hostile bodies', hostile],
  [1, 'idle socket', idleSocket],
  [1, 'big answer', () => modernCall('big')],
  [1, 'sampling 2025', () => samplingRoundTrip('2025')],
  [1, 'sampling 2026-07-28', () => samplingRoundTrip('2026-07-28')],
  [2, 'provider fault', providerFault],
];
const total = jobs.reduce((n, [w]) => n + w, 0);
/** The first few jobs that threw or hung, with when and what. */
const firstErrors: string[] = [];
function pickJob(): { name: string; run: () => Promise<void> } {
  let r = rand() * total;
  for (const [w, name, run] of jobs) if ((r -= w) < 0) return { name, run };
  return { name: jobs[0]![1], run: jobs[0]![2] };
}

const started = Date.now();
const samples: { t: number; rss: number }[] = [];
const sampler = setInterval(() => {
  const s = { t: Date.now() - started, rss: rssKiB() };
  samples.push(s);
  fake.requests.length = 0; // the fake records every request: the soak's own memory, not the server's
  if (logFile) appendFileSync(logFile, `${JSON.stringify({ ...s, rssMiB: +(s.rss / 1024).toFixed(1), ...counts })}\n`);
  process.stderr.write(`soak ${(s.t / 1000).toFixed(0)}s rss=${(s.rss / 1024).toFixed(1)} MiB ${JSON.stringify(counts)}\n`);
}, sampleMs);

await Promise.all(
  Array.from({ length: WORKERS }, async () => {
    while (Date.now() - started < durationMs) {
      const job = pickJob();
      try {
        // Bounded: a job that hangs (a server that stopped answering) counts as an error, not a stuck worker.
        let timer: NodeJS.Timeout | undefined;
        const hung = new Promise<void>((_, reject) => {
          timer = setTimeout(() => reject(new Error('hung for 30 s')), 30_000);
        });
        await Promise.race([job.run(), hung]).finally(() => clearTimeout(timer));
      } catch (err) {
        counts.errors++;
        const line = `${Math.round((Date.now() - started) / 1000)}s ${job.name}: ${err instanceof Error ? err.message : String(err)}`;
        if (firstErrors.length < 10) {
          firstErrors.push(line.slice(0, 300));
          process.stderr.write(`soak error: ${line.slice(0, 300)}\n`);
        }
      }
    }
  }),
);
clearInterval(sampler);
const alive = child.exitCode === null;
child.kill('SIGTERM');
await fake.stop();

const verdict = rssVerdict(samples, warmupMs);
const passed = verdict.flat && alive && counts.unexpected === 0 && server.errors === 0;
console.log(
  JSON.stringify(
    {
      minutes,
      warmupSeconds: warmupMs / 1000,
      ...verdict.report,
      serverAlive: alive,
      ...counts,
      firstErrors,
      server,
      verdict: passed ? 'flat' : 'FAILED',
    },
    null,
    2,
  ),
);
process.exit(passed ? 0 : 1);
