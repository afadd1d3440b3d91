// MCP tasks in the 2026-07-28 era (the SEP-2663 extension), in process through the SDK's web-standard HTTP handler,
// driven by @modelcontextprotocol/ext-tasks (its v2 requester) and by raw requests checked against its generated
// wire schemas. Also: a run inside a task can ask the client from anywhere (nested agents, a downstream server's
// elicitation), which outside a task this era cannot serve.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTaskSessionFromClient, resultFromTaskOutcome, type TaskEnabledSession } from '@modelcontextprotocol/ext-tasks/client';
import {
  CancelTaskResultV2Schema,
  CreateTaskResultV2Schema,
  GetTaskResultV2Schema,
  UpdateTaskResultV2Schema,
} from '@modelcontextprotocol/ext-tasks/core/v2';
import { FakeOpenAI } from '../fakes/openai-server.ts';
import { EVERYTHING_SERVER } from '../toolsets/helpers.ts';
import { envelope, serveModern, taskConfig, until, type ServedModern } from './harness.ts';

const TASKS = { extensions: { 'io.modelcontextprotocol/tasks': {} } };
const EXTRA = `
  asker:
    prompt: ask
    model: elicits
    tools: [ev.trigger-elicitation-request]
    task: optional
  askerNow:
    prompt: ask
    model: elicitsNow
    tools: [ev.trigger-elicitation-request]
  nest:
    prompt: nest
    model: nester
    tools: [poet]
    task: optional
mcpServers:
  ev: { command: "${process.execPath}", args: ["${EVERYTHING_SERVER}", "stdio"] }
`;
const MODELS = `
  elicits: { provider: test, responses: [{ toolCalls: [{ name: ev.trigger-elicitation-request, input: {} }] }, done] }
  elicitsNow: { provider: test, responses: [{ toolCalls: [{ name: ev.trigger-elicitation-request, input: {} }] }, done] }
  nester: { provider: test, responses: [{ toolCalls: [{ name: poet, input: { theme: socks } }] }, nested done] }`;

const openai = new FakeOpenAI();
const logs: string[] = [];
let s: ServedModern;
let session: TaskEnabledSession;
const asked: { kind: string; params?: Record<string, unknown> }[] = [];

before(async () => {
  await openai.start();
  const yaml = taskConfig(openai.url, EXTRA).replace('\ntools:\n', `${MODELS}\ntools:\n`);
  s = await serveModern(yaml, { logs, capabilities: { sampling: {}, elicitation: {} } });
  session = createTaskSessionFromClient(s.client, {
    endpointId: 'modern-tests',
    rawDispatch: s.rawDispatch,
    v2RequestFraming: s.framing as never,
    onInputRequest: async (request) => {
      asked.push(request as never);
      if (request.kind === 'elicitation') return { action: 'accept', content: { name: 'Ada' } } as never;
      return { role: 'assistant', content: { type: 'text', text: 'Socks for a fox.' }, model: 'client-model' } as never;
    },
  });
});
after(async () => {
  await session?.close();
  await s?.close();
  await openai.stop();
});

/** One request as a 2026-07-28 client with the tasks extension sends it; the JSON-RPC result, or the error thrown. */
async function raw(method: string, params: Record<string, unknown>, capabilities: Record<string, unknown> = TASKS) {
  const answer = await s.rawDispatch({ method, params: { ...params, _meta: envelope(capabilities) } } as never);
  if (answer.kind === 'error') throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
  return answer.result as Record<string, unknown>;
}

test('discover lists the extension; the task-aware client gets a task for required and long optional tools', async () => {
  assert.deepEqual(s.client.getServerCapabilities()?.extensions, { 'io.modelcontextprotocol/tasks': {} });
  const summary = await session.callTool('summary', { topic: 'socks' });
  assert.equal(summary.kind, 'task');
  const { outcome } = await summary.settle();
  assert.equal(outcome.status, 'completed');
  assert.deepEqual((resultFromTaskOutcome(outcome) as { structuredContent: unknown }).structuredContent, { summary: 'text' });
  assert.equal((await session.callTool('research', { topic: 'socks' })).kind, 'task', 'optional, timeout 120s: a task');
  const brief = await session.callTool('brief', { topic: 'socks' });
  assert.equal(brief.kind, 'immediate', 'optional, timeout 30s: a plain call');
  assert.equal((await brief.settle()).outcome.status, 'completed');
});

test('raw wire: the flat task, tasks/get with the result inline, Mcp-Name must be the task id', async () => {
  const created = CreateTaskResultV2Schema.parse(await raw('tools/call', { name: 'summary', arguments: { topic: 'wool' } }));
  assert.equal(created.resultType, 'task');
  assert.equal(created.status, 'working');
  assert.equal(created.ttlMs, 600_000);
  assert.equal(created.pollIntervalMs, 20);
  let task = GetTaskResultV2Schema.parse(await raw('tasks/get', { taskId: created.taskId }));
  await until('completion', async () => {
    task = GetTaskResultV2Schema.parse(await raw('tasks/get', { taskId: created.taskId }));
    return task.status === 'completed';
  });
  assert.ok(task.status === 'completed');
  assert.deepEqual(task.result.structuredContent, { summary: 'text' });
  assert.equal(task.result.resultType, 'complete');
  // The SDK checks that Mcp-Name mirrors the task id (what lets a router send every request of a task one way).
  const wrong = await s.post(
    { method: 'tasks/get', params: { taskId: created.taskId, _meta: envelope(TASKS) } },
    { 'mcp-method': 'tasks/get', 'mcp-name': 'another-task' },
  );
  assert.ok(wrong.kind === 'error');
  assert.equal(wrong.error.code, -32020);
  assert.equal(
    wrong.error.message,
    `Bad Request: the request headers and body disagree: the body carries params.taskId="${created.taskId}" but the Mcp-Name header names "another-task"`,
  );
});

test('without the extension: a required tool is refused with -32601, an optional one is a plain call', async () => {
  await assert.rejects(raw('tools/call', { name: 'long', arguments: { topic: 'x' } }, {}), {
    code: -32601,
    message:
      'Tool long runs only as a task (task: required): the client must list the io.modelcontextprotocol/tasks extension in its capabilities, or use long_start and long_result',
  });
  const plain = await raw('tools/call', { name: 'research', arguments: { topic: 'x' } }, {});
  assert.equal(plain.resultType, 'complete');
  assert.deepEqual(plain.content, [{ type: 'text', text: 'a quick answer' }]);
});

test('tasks/cancel: an empty ack, the provider request aborted, the task cancelled; any id is acknowledged', async () => {
  openai.reply({ hang: true });
  const before = openai.requests.length;
  const created = CreateTaskResultV2Schema.parse(await raw('tools/call', { name: 'long', arguments: { topic: 'forever' } }));
  const [request] = (await openai.waitForRequests(before + 1)).slice(-1);
  const ack = CancelTaskResultV2Schema.parse(await raw('tasks/cancel', { taskId: created.taskId }));
  assert.deepEqual(
    Object.keys(ack).filter((k) => k !== '_meta'),
    ['resultType'],
  );
  await request!.closed;
  const task = GetTaskResultV2Schema.parse(await raw('tasks/get', { taskId: created.taskId }));
  assert.equal(task.status, 'cancelled');
  CancelTaskResultV2Schema.parse(await raw('tasks/cancel', { taskId: 'no-such-task' }));
  await assert.rejects(raw('tasks/get', { taskId: 'no-such-task' }), { code: -32602, message: 'Task not found: no-such-task' });
});

test('tasks/result and tasks/list do not exist in this era', async () => {
  const created = CreateTaskResultV2Schema.parse(await raw('tools/call', { name: 'summary', arguments: { topic: 'x' } }));
  await assert.rejects(raw('tasks/result', { taskId: created.taskId }), { code: -32601 });
  await assert.rejects(raw('tasks/list', {}), { code: -32601 });
});

test('sampling inside a task: input_required with inputRequests on tasks/get, answered by tasks/update', async () => {
  const created = CreateTaskResultV2Schema.parse(
    await raw('tools/call', { name: 'poet', arguments: { theme: 'socks' } }, { sampling: {}, ...TASKS }),
  );
  let task = GetTaskResultV2Schema.parse(await raw('tasks/get', { taskId: created.taskId }));
  await until('the sampling request', async () => {
    task = GetTaskResultV2Schema.parse(await raw('tasks/get', { taskId: created.taskId }));
    return task.status === 'input_required';
  });
  assert.ok(task.status === 'input_required');
  const [key, request] = Object.entries(task.inputRequests)[0]!;
  assert.equal(request.method, 'sampling/createMessage');
  UpdateTaskResultV2Schema.parse(await raw('tasks/update', { taskId: created.taskId, inputResponses: { 'not-asked': {} } }));
  const answer = { role: 'assistant', content: { type: 'text', text: 'Socks for a fox.' }, model: 'client-model' };
  UpdateTaskResultV2Schema.parse(await raw('tasks/update', { taskId: created.taskId, inputResponses: { [key]: answer } }));
  await until('completion', async () => (await raw('tasks/get', { taskId: created.taskId })).status === 'completed');
  const done = GetTaskResultV2Schema.parse(await raw('tasks/get', { taskId: created.taskId }));
  assert.ok(done.status === 'completed');
  assert.deepEqual(done.result.content, [{ type: 'text', text: 'Socks for a fox.' }]);
  await assert.rejects(raw('tasks/update', { taskId: 'no-such-task', inputResponses: {} }), {
    code: -32602,
    message: 'Task not found: no-such-task',
  });
});

test('a nested agent samples from the client: inside a task, and outside one by round trips that resume both runs', async () => {
  asked.length = 0;
  const nest = await session.callTool('nest', {});
  assert.equal(nest.kind, 'task');
  const { outcome } = await nest.settle();
  assert.equal(outcome.status, 'completed');
  assert.deepEqual((resultFromTaskOutcome(outcome) as { content: unknown }).content, [{ type: 'text', text: 'nested done' }]);
  assert.deepEqual(
    asked.map((a) => a.kind),
    ['sampling'],
  );
  // A plain call: the nested agent's question stops it and the agent that called it; the client's answer on the
  // retry resumes both (the key names the step of each run down to the one asking).
  logs.length = 0;
  const first = await raw('tools/call', { name: 'nest', arguments: {} }, { sampling: {} });
  assert.equal(first.resultType, 'input_required');
  const requests = first.inputRequests as Record<string, { method: string; params: { messages: unknown[] } }>;
  assert.deepEqual(Object.keys(requests), ['sample-1-1']);
  assert.equal(requests['sample-1-1']!.method, 'sampling/createMessage');
  assert.match(JSON.stringify(requests['sample-1-1']!.params.messages), /poem about socks/);
  const answer = { role: 'assistant', content: { type: 'text', text: 'Socks for a fox.' }, model: 'client-model' };
  const done = await raw(
    'tools/call',
    { name: 'nest', arguments: {}, requestState: first.requestState, inputResponses: { 'sample-1-1': answer } },
    { sampling: {} },
  );
  assert.equal(done.resultType, 'complete');
  assert.deepEqual(done.content, [{ type: 'text', text: 'nested done' }]);
  // The nested run finished on the client's answer (not down its chain, not as an error)
  assert.ok(
    logs.some((l) => /call tool=poet model=sampling steps=1 .*status=ok/.test(l)),
    logs.join(''),
  );
});

test('a downstream server’s elicitation: relayed inside a task; outside one, declined with a clear reason', async () => {
  asked.length = 0;
  const inside = await session.callTool('asker', {});
  assert.equal(inside.kind, 'task');
  const { outcome } = await inside.settle();
  assert.equal(outcome.status, 'completed');
  assert.deepEqual(
    asked.map((a) => [a.kind, a.params?.message]),
    [['elicitation', 'Please provide inputs for the following fields:']],
  );

  const outside = await raw('tools/call', { name: 'askerNow', arguments: {} }, { elicitation: {}, ...TASKS });
  assert.deepEqual(outside.content, [{ type: 'text', text: 'done' }]);
  assert.ok(
    logs.some((l) =>
      l.includes(
        'the relayed elicitation failed: elicitation in the 2026-07-28 era is served only inside a task: declare the tool with task: optional or task: required; declined',
      ),
    ),
    logs.join('\n'),
  );
});
