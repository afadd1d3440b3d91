// Hostile task requests over HTTP, in-process on a real loopback port, both eras: unknown and forged task ids (of
// every JSON type, huge, another session's), tasks/result and tasks/cancel on a cancelled task, ttls that are huge,
// negative or not numbers, and more tasks than server.tasks.maxTasks. Each request gets exactly one response, never
// a success where there is nothing to answer, and the server holds only what its bounds allow.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Runtime } from '../../src/agent/runtime.ts';
import { loadConfigText } from '../../src/config/load.ts';
import { Logger } from '../../src/log.ts';
import { type HttpServerHandle, resolveHttpOptions, startHttpServer } from '../../src/server/http.ts';
import { TaskRuntime } from '../../src/server/task-runtime.ts';
import { openSession, post, responsesTo, until } from './http-client.ts';
import { ENVELOPE } from './hostile.ts';

const YAML = `
server:
  tasks: { resultTtl: 10m, maxTasks: 4 }
models:
  quick: { provider: test }
  stuck: { provider: test, delay: 20s }
tools:
  quick:
    prompt: say {{text}}
    input: { text: { type: string } }
    model: quick
    task: optional
  stuck:
    prompt: wait {{text}}
    input: { text: { type: string } }
    model: stuck
    task: optional
`;

const logs: string[] = [];
let server: HttpServerHandle;
let tasks: TaskRuntime;

before(async () => {
  const config = loadConfigText('/virtual/agents.yaml', YAML, { env: {} });
  const log = new Logger({ level: 'info', format: 'text', write: (line) => logs.push(line) });
  const runner = new Runtime(config, { log });
  tasks = TaskRuntime.inMemory(runner, log);
  server = await startHttpServer({ runner, log, tasks }, resolveHttpOptions({}, { port: 0 }), log);
});
after(() => server.stop());

type Message = { id?: unknown; result?: Record<string, unknown>; error?: { code: number; message: string } };

/** One request, its one response (asserted): the message itself. */
async function ask(body: Record<string, unknown>, headers: Record<string, string>): Promise<Message> {
  const reply = await post(server.url, { jsonrpc: '2.0', ...body }, headers);
  const answers = responsesTo(reply.messages, body.id as number);
  assert.equal(answers.length, 1, `one response to ${JSON.stringify(body).slice(0, 200)}: ${JSON.stringify(reply.messages).slice(0, 500)}`);
  return answers[0] as Message;
}

const FORGED: unknown[] = [
  randomUUID(),
  '',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'x'.repeat(100_000),
  42,
  null,
  { $ne: null },
  ['a'],
];

const shown = (v: unknown) => JSON.stringify(v).slice(0, 40);

test('2025 era: forged and unknown task ids on tasks/get, tasks/result, tasks/cancel: one error each, never a success', async () => {
  const session = await openSession(server.url, 'forger');
  let id = 100;
  for (const taskId of FORGED) {
    for (const method of ['tasks/get', 'tasks/result', 'tasks/cancel']) {
      const m = await ask({ id: ++id, method, params: { taskId } }, session);
      assert.equal(m.result, undefined, `${method} ${shown(taskId)} succeeded`);
      assert.equal(m.error?.code, -32602, `${method} ${shown(taskId)}: ${JSON.stringify(m.error).slice(0, 200)}`);
      if (typeof taskId === 'string' && taskId.length < 100) assert.equal(m.error?.message, `Task not found: ${taskId}`);
      else if (typeof taskId !== 'string')
        assert.match(m.error!.message, /^Invalid params for tasks\/\w+: taskId: Invalid input: expected string, received \w+$/);
    }
  }
  // Another session's task is no more visible than a forged one.
  const owner = await openSession(server.url, 'owner');
  const created = await ask({ id: 1, method: 'tools/call', params: { name: 'quick', arguments: { text: 'mine' }, task: {} } }, owner);
  const taskId = (created.result?.task as { taskId: string } | undefined)?.taskId as string;
  for (const method of ['tasks/get', 'tasks/result', 'tasks/cancel']) {
    const m = await ask({ id: ++id, method, params: { taskId } }, session);
    assert.deepEqual(m.error, { code: -32602, message: `Task not found: ${taskId}` });
  }
  const mine = await ask({ id: 2, method: 'tasks/result', params: { taskId } }, owner);
  assert.deepEqual((mine.result?.content as unknown[] | undefined)?.[0], { type: 'text', text: 'test model received: say mine' });
});

test('2025 era: tasks/result and tasks/cancel on a cancelled task; ttls huge, negative, not numbers', async () => {
  const session = await openSession(server.url, 'canceller');
  const created = await ask(
    { id: 1, method: 'tools/call', params: { name: 'stuck', arguments: { text: 'x' }, task: { ttl: 60_000 } } },
    session,
  );
  const taskId = (created.result?.task as { taskId: string } | undefined)?.taskId as string;
  const cancelled = await ask({ id: 2, method: 'tasks/cancel', params: { taskId } }, session);
  assert.equal(cancelled.result?.status, 'cancelled');
  const result = await ask({ id: 3, method: 'tasks/result', params: { taskId } }, session);
  assert.deepEqual(result.error, { code: -32600, message: `task ${taskId} was cancelled` });
  const again = await ask({ id: 4, method: 'tasks/cancel', params: { taskId } }, session);
  assert.deepEqual(again.error, { code: -32602, message: `Cannot cancel task ${taskId}: it is already cancelled` });
  await until(
    () => logs.some((l) => l.includes(` call task=${taskId} tool=stuck `) && l.includes(' status=cancelled')),
    'the run to be aborted',
  );

  // The ttl a client asks for is bounded by resultTtl (10 min) and at least 1 s; one that is no number is refused.
  let id = 10;
  for (const [ttl, expected] of [
    [1e308, 600_000],
    [Number.MAX_SAFE_INTEGER, 600_000],
    [-5, 1000],
    [0, 1000],
  ] as const) {
    const m = await ask({ id: ++id, method: 'tools/call', params: { name: 'quick', arguments: { text: 't' }, task: { ttl } } }, session);
    assert.equal((m.result?.task as { ttl: number } | undefined)?.ttl, expected, `ttl ${ttl}`);
  }
  for (const ttl of ['forever', {}, [], true]) {
    const m = await ask({ id: ++id, method: 'tools/call', params: { name: 'quick', arguments: { text: 't' }, task: { ttl } } }, session);
    assert.equal(m.result, undefined, `ttl ${JSON.stringify(ttl)} made a task: ${JSON.stringify(m.result)}`);
    assert.equal(m.error?.code, -32602, `ttl ${JSON.stringify(ttl)}: ${JSON.stringify(m.error)}`);
  }
});

test('2026-07-28 era: forged task ids; Mcp-Name that does not match; one response each', async () => {
  const meta = { ...ENVELOPE, 'io.modelcontextprotocol/clientCapabilities': { extensions: { 'io.modelcontextprotocol/tasks': {} } } };
  const headers = (method: string, name?: string) => ({
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': method,
    ...(name !== undefined && { 'mcp-name': name }),
  });
  let id = 200;
  for (const taskId of FORGED) {
    for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel']) {
      const name = typeof taskId === 'string' && /^[\x21-\x7e]{1,200}$/.test(taskId) ? taskId : undefined;
      const m = await ask({ id: ++id, method, params: { taskId, _meta: meta } }, headers(method, name));
      if (method === 'tasks/cancel' && typeof taskId === 'string' && name !== undefined) {
        // Cancellation is an empty acknowledgement whatever the id names: it tells a stranger nothing.
        assert.deepEqual(Object.keys(m.result ?? {}).sort(), ['_meta', 'resultType'], `${method} ${shown(taskId)}`);
        assert.equal(m.result?.resultType, 'complete');
        continue;
      }
      assert.equal(m.result, undefined, `${method} ${shown(taskId)} succeeded: ${JSON.stringify(m.result)}`);
      assert.ok(m.error && m.error.code < 0, `${method} ${shown(taskId)}: ${JSON.stringify(m.error).slice(0, 200)}`);
      if (name !== undefined && method !== 'tasks/cancel')
        assert.deepEqual(m.error, { code: -32602, message: `Task not found: ${taskId}` });
    }
  }
  // A real task, asked for under another Mcp-Name: refused, not served.
  const created = await ask(
    { id: 1, method: 'tools/call', params: { name: 'quick', arguments: { text: 'modern' }, _meta: meta } },
    headers('tools/call', 'quick'),
  );
  assert.equal(created.result?.resultType, 'task', JSON.stringify(created));
  const taskId = created.result?.taskId as string;
  const other = randomUUID();
  const wrong = await ask({ id: 2, method: 'tasks/get', params: { taskId, _meta: meta } }, headers('tasks/get', other));
  assert.equal(wrong.result, undefined, JSON.stringify(wrong.result));
  assert.equal(wrong.error?.code, -32020);
  assert.equal(
    wrong.error?.message,
    `Bad Request: the request headers and body disagree: the body carries params.taskId="${taskId}" but the Mcp-Name header names "${other}"`,
  );
  const right = await ask({ id: 3, method: 'tasks/get', params: { taskId, _meta: meta } }, headers('tasks/get', taskId));
  assert.equal(right.result?.taskId, taskId);
});

test('more tasks than server.tasks.maxTasks: the finished make room, running ones are never dropped, then "too many tasks running"', async () => {
  const session = await openSession(server.url, 'greedy');
  let id = 300;
  const running: string[] = [];
  let refused: Message | undefined;
  // maxTasks 4 (earlier tests left finished and cancelled tasks: they make room first).
  for (let i = 0; i < 10 && !refused; i++) {
    const m = await ask({ id: ++id, method: 'tools/call', params: { name: 'stuck', arguments: { text: `${i}` }, task: {} } }, session);
    if (m.error) refused = m;
    else running.push((m.result?.task as { taskId: string } | undefined)?.taskId as string);
  }
  assert.equal(running.length, 4);
  assert.deepEqual(refused?.error, {
    code: -32603,
    message: 'too many tasks running: 4 at once is the limit (server.tasks.maxTasks); try again when one has finished',
  });
  for (const taskId of running) {
    const got = await ask({ id: ++id, method: 'tasks/get', params: { taskId } }, session);
    assert.equal(got.result?.status, 'working');
    await ask({ id: ++id, method: 'tasks/cancel', params: { taskId } }, session);
  }
  // Cancelled, they make room again.
  const next = await ask({ id: ++id, method: 'tools/call', params: { name: 'quick', arguments: { text: 'room' }, task: {} } }, session);
  assert.equal((next.result?.task as { status: string } | undefined)?.status, 'working');
});
