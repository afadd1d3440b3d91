// Three `agent-mcp serve --http` processes behind real nginx with deploy/nginx/agent-mcp.conf as shipped: what one
// process does over HTTP holds through the proxy: the 2026-07-28 era and --stateless 2025 traffic (round robin), and
// 2025-era stateful sessions (routed to the replica that created them by the prefix nginx puts on the session id).
// A 2026-07-28 client-sampling run is resumed from its sealed requestState by whichever replica gets the next leg.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from '@modelcontextprotocol/client';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {
  CallToolResult,
  CreateMessageRequest,
  CreateMessageResult,
  CreateMessageResultWithTools,
  Progress,
} from '@modelcontextprotocol/sdk/types.js';
import { Redis } from 'ioredis';
import { cleanEnv } from '../helpers/cli.ts';
import { deployConf, nginxSkip, startNginx, type Nginx } from '../helpers/nginx.ts';
import { redisSkip, startRedis, type RedisServer } from '../helpers/redis.ts';
import { dispatcher, envelope } from '../tasks/harness.ts';
import { toolRoundTripAnswer } from '../sampling/scenarios.ts';
import { connect, disconnect, health, initializeBody, post, startHttp, type Running } from '../server/http-helpers.ts';

const TOKEN = 'tok-replicas-horse';
/** Every replica signs and opens 2026-07-28 round-trip states with it. */
const STATE_SECRET = 'one-state-secret-shared-by-the-three-replicas';
const AUTH = { Authorization: `Bearer ${TOKEN}` };

/** Each replica answers with its own name, so a test sees which one served a call. */
const replicaYaml = (n: number) => `
models:
  t: { provider: test, responses: ["replica${n}"] }
  slow: { provider: test, delay: 200ms }
  client: { provider: sampling }
  rhymer: { provider: test, responses: ["box, socks"] }
  slowly: { provider: test, delay: 2s, responses: ["slowly on replica${n}"] }
defaults:
  model: t
tools:
  who:
    prompt: who are you {{word}}
    input:
      word: { type: string }
  slow:
    model: slow
    prompt: wait for {{word}}
    input:
      word: { type: string }
  rhymes:
    prompt: rhymes for {{word}}
    input:
      word: { type: string }
    model: rhymer
  helper:
    prompt: write a poem about {{theme}}
    input:
      theme: { type: string }
    tools: [rhymes]
    model: client
  errand:
    prompt: run {{word}}
    input:
      word: { type: string }
    task: required
  chore:
    prompt: take long over {{word}}
    input:
      word: { type: string }
    model: slowly
    task: required
  errand_once:
    prompt: take long once over {{word}}
    input:
      word: { type: string }
    model: slowly
    task: { mode: required, repeat: false }
`;

const TOOLS = ['who', 'slow', 'rhymes', 'helper', 'errand', 'chore', 'errand_once'];

const errorBody = (code: number, message: string) => ({ jsonrpc: '2.0', error: { code, message }, id: null });

/** A client of the 2026-07-28 era: no initialize, no session; every request stands alone (and may land anywhere). */
async function modernClient(
  url: string,
  headers: Record<string, string> = {},
  sample?: (params: CreateMessageRequest['params']) => CreateMessageResult | CreateMessageResultWithTools,
): Promise<ModernClient> {
  const c = new ModernClient(
    { name: 'replica-tests', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } }, ...(sample && { capabilities: { sampling: { tools: {} } } }) },
  );
  if (sample) c.setRequestHandler('sampling/createMessage', async (request) => sample(request.params as never) as never);
  await c.connect(new ModernTransport(new URL(url), { requestInit: { headers } }));
  return c;
}

interface TaskState {
  taskId: string;
  status: string;
  result?: CallToolResult;
}

interface Deployment {
  replicas: Running[];
  nginx: Nginx;
  url: string;
  stop(): Promise<void>;
}

async function deploy(args: string[], env?: Record<string, string>): Promise<Deployment> {
  const replicas = await Promise.all([1, 2, 3].map((n) => startHttp(args, { yaml: replicaYaml(n), ...(env && { env }) })));
  const nginx = await startNginx(deployConf(replicas.map((r) => Number(new URL(r.url).port)))).catch(async (err: unknown) => {
    await Promise.all(replicas.map((r) => r.stop()));
    throw err;
  });
  return {
    replicas,
    nginx,
    url: `${nginx.origin}/mcp`,
    stop: async () => {
      await nginx.stop();
      await Promise.all(replicas.map((r) => r.stop()));
    },
  };
}

/** Poll (bounded, generously for a loaded machine: no cost when it comes at once) for what a replica logs. */
async function waitFor(ok: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!ok() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}

const textOf = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text;

/** fetch will not let a caller set Host: use node:http for that one. */
function postWithHost(url: string, host: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { Host: host, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...AUTH },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

// One deployment for all of these (each set-up is 3 processes, nginx and Redis): the test that kills a replica is last.
describe('--stateless replicas behind nginx, tasks on Redis', { skip: nginxSkip || redisSkip }, () => {
  let redis: RedisServer;
  let d: Deployment;
  let peek: Redis;
  const taskClient = { extensions: { 'io.modelcontextprotocol/tasks': {} } };
  before(async () => {
    redis = await startRedis();
    d = await deploy(
      [
        ...['--stateless', '--auth-token', TOKEN, '--allow-origin', 'https://app.example.com', '--body-limit', '4kb'],
        ...['--state-secret', STATE_SECRET, '--log-level', 'info', '--redis', redis.url],
      ],
      // A replica's claim on a running task lapses 2 s after it stops renewing it: another takes the task over then.
      cleanEnv({ AGENT_MCP_TASK_LOCK: '2s' }),
    );
    peek = new Redis(redis.url, { lazyConnect: true });
  });
  after(async () => {
    peek?.disconnect();
    await d?.stop();
    await redis?.stop();
  });

  /** The replicas want the bearer token. */
  const authFetch: typeof fetch = (u, init) => fetch(u, { ...init, headers: { ...(init?.headers as Record<string, string>), ...AUTH } });

  /** tools/call as a task-aware 2026-07-28 client (raw JSON-RPC through `url`): the task it got. */
  async function startTask(url: string, tool: string, word: string): Promise<TaskState> {
    const { rawDispatch } = dispatcher(url, authFetch);
    const answer = await rawDispatch(
      { jsonrpc: '2.0', id: 0, method: 'tools/call', params: { name: tool, arguments: { word }, _meta: envelope(taskClient) } } as never,
      {} as never,
    );
    assert.equal(answer.kind, 'result', JSON.stringify(answer));
    const created = (answer as unknown as { result: TaskState & { resultType: string } }).result;
    assert.equal(created.resultType, 'task');
    return created;
  }

  async function getTask(url: string, taskId: string): Promise<TaskState> {
    const { rawDispatch } = dispatcher(url, authFetch);
    const answer = await rawDispatch(
      { jsonrpc: '2.0', id: 0, method: 'tasks/get', params: { taskId, _meta: envelope(taskClient) } } as never,
      {} as never,
    );
    assert.equal(answer.kind, 'result', JSON.stringify(answer));
    return (answer as unknown as { result: TaskState }).result;
  }

  /** Which replica runs the task: BullMQ records the worker that took the job (its name carries the process id). */
  async function runnerOf(taskId: string): Promise<number> {
    let name = '';
    const end = Date.now() + 10_000;
    while (!name && Date.now() < end) {
      name = (await peek.hget(`agent-mcp:bull:{main}:tasks:${taskId}`, 'pb')) ?? '';
      if (!name) await new Promise((r) => setTimeout(r, 50));
    }
    const index = d.replicas.findIndex((r) => name === `agent-mcp pid ${r.child.pid}`);
    assert.ok(index >= 0, `the task is run by one of the replicas (${name})`);
    return index;
  }

  /** Poll through `url` (nginx: round robin, so a different replica each time) until the task is terminal. */
  async function settle(url: string, taskId: string, ms = 20_000): Promise<TaskState> {
    const end = Date.now() + ms;
    for (;;) {
      const task = await getTask(url, taskId);
      if (['completed', 'failed', 'cancelled'].includes(task.status)) return task;
      if (Date.now() > end) throw new Error(`task ${taskId} still ${task.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  test('lists and calls; the calls go round the replicas', async () => {
    const c = await connect(d.url, AUTH);
    const { tools } = await c.client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      TOOLS,
    );
    const answers = new Set<string>();
    for (let i = 0; i < 6; i++) answers.add(textOf(await c.client.callTool({ name: 'who', arguments: { word: String(i) } })));
    assert.deepEqual([...answers].sort(), ['replica1', 'replica2', 'replica3']);
    await c.client.close();
  });

  test('progress streams through the proxy', async () => {
    const c = await connect(d.url, AUTH);
    const progress: Progress[] = [];
    const result = await c.client.callTool({ name: 'slow', arguments: { word: 'tea' } }, undefined, {
      onprogress: (p) => progress.push(p),
    });
    assert.equal(textOf(result), 'test model received: wait for tea');
    assert.equal(progress[0]?.message, 'step 1/10: thinking');
    assert.equal(
      progress
        .slice(1)
        .map((p) => p.message)
        .join(''),
      'test model received: wait for tea',
    );
    await c.client.close();
  });

  test('the 2026-07-28 era: lists and calls go round the replicas, progress streams through', async () => {
    const c = await modernClient(d.url, AUTH);
    try {
      const { tools } = await c.listTools();
      assert.deepEqual(
        tools.map((t) => t.name),
        TOOLS,
      );
      const answers = new Set<string>();
      for (let i = 0; i < 6; i++) answers.add(textOf(await c.callTool({ name: 'who', arguments: { word: String(i) } })));
      assert.deepEqual([...answers].sort(), ['replica1', 'replica2', 'replica3']);
      const progress: string[] = [];
      const slow = await c.callTool({ name: 'slow', arguments: { word: 'tea' } }, { onprogress: (p) => progress.push(p.message ?? '') });
      assert.equal(textOf(slow), 'test model received: wait for tea');
      assert.equal(progress[0], 'step 1/10: thinking');
      assert.equal(progress.slice(1).join(''), 'test model received: wait for tea');
    } finally {
      await c.close();
    }
  });

  test("the 2026-07-28 era: a run on the client's model goes on at whichever replica gets each leg", async () => {
    const asked: CreateMessageRequest['params'][] = [];
    // The client's model: first it asks for the rhymes tool, then it writes the poem from the tool's result.
    const c = await modernClient(d.url, AUTH, (params) => {
      asked.push(params);
      return toolRoundTripAnswer(params);
    });
    const legs = () => d.replicas.map((r) => [...r.stderr().matchAll(/call tool=helper .*status=(\w+)/g)].map((m) => m[1]));
    try {
      const before = legs().map((l) => l.length);
      const result = await c.callTool({ name: 'helper', arguments: { theme: 'foxes' } });
      assert.equal(textOf(result), 'A fox in box, socks.');
      assert.equal(asked.length, 2);
      // Three legs (two questions for the client's model, then the answer), each one logged by the replica serving it.
      let served: (string | undefined)[][] = [];
      await waitFor(() => {
        served = legs().map((l, i) => l.slice(before[i]));
        return served.flat().length === 3;
      });
      assert.deepEqual(served.flat().sort(), ['input_required', 'input_required', 'ok']);
      // Round robin put the legs on different replicas: the run was resumed elsewhere from its requestState.
      assert.ok(served.filter((l) => l.length > 0).length >= 2, `legs per replica: ${JSON.stringify(served)}`);
      for (const r of d.replicas) assert.doesNotMatch(r.stderr(), /requestState:|no --state-secret/);
    } finally {
      await c.close();
    }
  });

  test('the 2026-07-28 era: a client without the token is refused', async () => {
    let err: unknown;
    let c: ModernClient | undefined;
    try {
      c = await modernClient(d.url, { Authorization: 'Bearer nope' });
      await c.listTools();
    } catch (e) {
      err = e;
    } finally {
      await c?.close();
    }
    assert.ok(err instanceof Error, 'refused');
    assert.equal(err.message, 'Version negotiation failed: the server requires authorization (HTTP 401)');
  });

  test('the bearer token is checked by the replicas', async () => {
    const res = await post(d.url, initializeBody());
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="agent-mcp"');
    assert.deepEqual(await res.json(), errorBody(-32000, 'Unauthorized: missing bearer token'));
    const wrong = await post(d.url, initializeBody(), { Authorization: 'Bearer nope' });
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), errorBody(-32000, 'Unauthorized: invalid bearer token'));
  });

  test('Origin and Host are checked as the client sent them', async () => {
    const evil = await post(d.url, initializeBody(), { ...AUTH, Origin: 'https://evil.example' });
    assert.equal(evil.status, 403);
    assert.deepEqual(await evil.json(), errorBody(-32000, 'Forbidden: Origin not allowed: https://evil.example'));
    const app = await post(d.url, initializeBody(), { ...AUTH, Origin: 'https://app.example.com' });
    assert.equal(app.status, 200);
    assert.equal(app.headers.get('access-control-allow-origin'), 'https://app.example.com');
    await app.text();
    const host = await postWithHost(d.url, 'evil.example', initializeBody());
    assert.equal(host.status, 403);
    assert.deepEqual(JSON.parse(host.body), errorBody(-32000, 'Forbidden: Host not allowed: evil.example'));
  });

  test('a body over the limit gets the replica’s 413, not an nginx page', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { pad: 'x'.repeat(8000) } });
    const res = await post(d.url, big, AUTH);
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), errorBody(-32000, 'Payload Too Large: Request body must not exceed 4096 bytes'));
  });

  test('a task started through nginx is polled and its result read through every replica', async () => {
    const created = await startTask(d.url, 'errand', 'a');
    const done = await settle(d.url, created.taskId);
    assert.equal(done.status, 'completed');
    const ran = textOf(done.result);
    assert.match(ran, /^replica[1-3]$/);
    // Each replica, asked directly, knows the task and its result: the record lives in Redis, not in a process.
    for (const r of d.replicas) {
      const seen = await getTask(r.url, created.taskId);
      assert.equal(seen.status, 'completed');
      assert.equal(textOf(seen.result), ran);
    }
  });

  test('tasks/cancel through another replica reaches the replica running the task', async () => {
    const created = await startTask(d.url, 'chore', 'c');
    const runner = await runnerOf(created.taskId);
    const other = d.replicas.find((_, i) => i !== runner)!;
    const { rawDispatch } = dispatcher(other.url, authFetch);
    const ack = await rawDispatch(
      { jsonrpc: '2.0', id: 0, method: 'tasks/cancel', params: { taskId: created.taskId, _meta: envelope(taskClient) } } as never,
      {} as never,
    );
    assert.equal(ack.kind, 'result', JSON.stringify(ack));
    const done = await settle(d.url, created.taskId);
    assert.equal(done.status, 'cancelled');
    // The run on the other replica was stopped (its model call aborted), not left to finish in the background.
    const stopped = new RegExp(`agent-mcp info: call task=${created.taskId} tool=chore ms=\\d+ status=cancelled`);
    await waitFor(() => stopped.test(d.replicas[runner]!.stderr()));
    assert.match(d.replicas[runner]!.stderr(), stopped);
  });

  test('SIGKILL of the replicas running two tasks: one is taken over and completes, the repeat: false one fails clearly', async () => {
    const again = await startTask(d.url, 'chore', 'b');
    const once = await startTask(d.url, 'errand_once', 'c');
    // Kill whichever replicas run them (one or two of the three): a survivor takes both jobs over.
    const victims = [...new Set([await runnerOf(again.taskId), await runnerOf(once.taskId)])];
    for (const v of victims) d.replicas[v]!.child.kill('SIGKILL');
    for (const v of victims) assert.equal(await d.replicas[v]!.exited, 'SIGKILL');

    const done = await settle(d.url, again.taskId);
    assert.equal(done.status, 'completed');
    const by = Number(/^slowly on replica([1-3])$/.exec(textOf(done.result))?.[1]);
    assert.ok(by >= 1 && !victims.includes(by - 1), `completed by a surviving replica: ${textOf(done.result)}`);
    assert.match(
      d.replicas[by - 1]!.stderr(),
      new RegExp(`task ${again.taskId}: taken over from a process that stopped; running it again`),
    );

    const failed = await settle(d.url, once.taskId);
    assert.equal(failed.status, 'failed');
    assert.deepEqual((failed as unknown as { error: unknown }).error, {
      code: -32603,
      message: 'the process running this task stopped; the tool says repeat: false, so it was not run again',
    });
  });
});

describe('stateful sessions behind nginx', { skip: nginxSkip }, () => {
  let d: Deployment;
  before(async () => {
    d = await deploy([]);
  });
  after(async () => {
    await d?.stop();
  });

  test("a session's requests all reach the replica that created it", async () => {
    const c = await connect(d.url);
    const id = c.transport.sessionId!;
    const m = /^r([1-3])\.[0-9a-f-]{36}$/.exec(id);
    assert.ok(m, `session id ${id}`);
    const n = Number(m[1]);
    for (let i = 0; i < 4; i++)
      assert.equal(textOf(await c.client.callTool({ name: 'who', arguments: { word: String(i) } })), `replica${n}`);
    const progress: Progress[] = [];
    await c.client.callTool({ name: 'slow', arguments: { word: 'x' } }, undefined, { onprogress: (p) => progress.push(p) });
    assert.equal(progress[0]?.message, 'step 1/10: thinking');
    const sessions = await Promise.all(d.replicas.map(async (r) => (await health(r.origin)).sessions));
    assert.deepEqual(
      sessions,
      [1, 2, 3].map((k) => (k === n ? 1 : 0)),
    );
    await disconnect(c);
    assert.equal((await health(d.replicas[n - 1]!.origin)).sessions, 0);
  });

  test('new sessions spread over the replicas', async () => {
    const clients = [await connect(d.url), await connect(d.url), await connect(d.url)];
    const routes = clients.map((c) => c.transport.sessionId!.slice(0, 2)).sort();
    assert.deepEqual(routes, ['r1', 'r2', 'r3']);
    for (const c of clients) await disconnect(c);
  });

  test('a session whose replica died gets 404, and the client starts a new one elsewhere', async () => {
    let c = await connect(d.url);
    const n = Number(c.transport.sessionId![1]);
    assert.equal(textOf(await c.client.callTool({ name: 'who', arguments: { word: 'a' } })), `replica${n}`);
    const victim = d.replicas[n - 1]!;
    victim.child.kill('SIGKILL');
    assert.equal(await victim.exited, 'SIGKILL');

    const err = await c.client.callTool({ name: 'who', arguments: { word: 'b' } }).then(
      () => assert.fail('the call should fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof StreamableHTTPError);
    assert.equal(err.code, 404);
    assert.match(err.message, /Session not found/);
    await c.client.close();

    // What the spec asks of a client on 404: a new session, without the old id.
    c = await connect(d.url);
    const again = Number(c.transport.sessionId![1]);
    assert.notEqual(again, n);
    assert.equal(textOf(await c.client.callTool({ name: 'who', arguments: { word: 'c' } })), `replica${again}`);
    await disconnect(c);
  });
});
