// MCP tasks in the 2025-11-25 era, in process over the SDK's in-memory transport, driven by the task-aware client of
// @modelcontextprotocol/ext-tasks and by raw requests checked against its generated 2025-11-25 wire schemas.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { createTaskSessionFromClient, resultFromTaskOutcome } from '@modelcontextprotocol/ext-tasks/client';
import {
  CancelTaskResultV1Schema,
  CreateTaskResultV1Schema,
  GetTaskResultV1Schema,
  ListTasksResultV1Schema,
  ServerCapabilitiesV1Schema,
  TaskStatusNotificationV1Schema,
  ToolV1Schema,
} from '@modelcontextprotocol/ext-tasks/core/v1';
import { z } from 'zod';
import { FakeOpenAI } from '../fakes/openai-server.ts';
import { manualClock } from './store-contract.ts';
import { serveLegacy, taskConfig, until, type Served } from './harness.ts';

const openai = new FakeOpenAI();
const clock = manualClock(Date.now());
let s: Served & { connect(): Promise<Client>; received: { method?: string; params?: Record<string, unknown> }[] };
const anything = z.record(z.string(), z.unknown());

before(async () => {
  await openai.start();
  s = await serveLegacy(taskConfig(openai.url), { now: clock.now });
});
after(async () => {
  await s?.close();
  await openai.stop();
});

async function createTask(name: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const created = await s.client.request(
    { method: 'tools/call', params: { name, arguments: args, task: { ttl: 60_000 }, ...extra } } as never,
    CreateTaskResultV1Schema,
  );
  return created.task;
}

const getTask = (client: Client, taskId: string) =>
  client.request({ method: 'tasks/get', params: { taskId } } as never, GetTaskResultV1Schema);
const taskResult = (taskId: string) => s.client.request({ method: 'tasks/result', params: { taskId } } as never, anything);
const cancelTask = (taskId: string) => s.client.request({ method: 'tasks/cancel', params: { taskId } } as never, CancelTaskResultV1Schema);

test('capabilities and tools: tasks advertised, execution.taskSupport per tool, NAME_start / NAME_result listed', async () => {
  const capabilities = s.client.getServerCapabilities();
  assert.deepEqual(capabilities?.tasks, { list: {}, cancel: {}, requests: { tools: { call: {} } } });
  ServerCapabilitiesV1Schema.parse(capabilities);
  const { tools } = await s.client.listTools();
  for (const tool of tools) ToolV1Schema.parse(tool);
  const support = Object.fromEntries(tools.map((t) => [t.name, t.execution?.taskSupport ?? '-']));
  assert.deepEqual(support, {
    research: 'optional',
    long: 'required',
    long_start: '-',
    long_result: '-',
    huge: 'optional',
    poet: 'optional',
    summary: 'required',
    summary_start: '-',
    summary_result: '-',
    brief: 'optional',
    plain: '-',
  });
  const start = tools.find((t) => t.name === 'summary_start')!;
  const result = tools.find((t) => t.name === 'summary_result')!;
  assert.deepEqual(start.inputSchema, tools.find((t) => t.name === 'summary')!.inputSchema);
  assert.deepEqual(start.outputSchema?.required, ['taskId', 'status']);
  assert.deepEqual(result.inputSchema, {
    type: 'object',
    properties: { taskId: { type: 'string', description: 'The taskId summary_start returned.' } },
    required: ['taskId'],
  });
  assert.deepEqual((result.outputSchema!.properties as Record<string, unknown>).result, {
    type: 'object',
    properties: { summary: { type: 'string' } },
    required: ['summary'],
  });
});

test('the task-aware client: a task at once, then its result (with the related-task _meta)', async () => {
  const session = createTaskSessionFromClient(s.client, { endpointId: 'legacy-tests' });
  try {
    const execution = await session.callTool('research', { topic: 'socks' }, { task: { preference: 'require' } });
    assert.equal(execution.kind, 'task');
    const { outcome } = await execution.settle();
    assert.equal(outcome.status, 'completed');
    const result = resultFromTaskOutcome(outcome) as { content: unknown; _meta: Record<string, unknown> };
    assert.deepEqual(result.content, [{ type: 'text', text: 'a quick answer' }]);
    assert.deepEqual(result._meta['io.modelcontextprotocol/related-task'], { taskId: execution.handle!.taskId });
  } finally {
    await session.close();
  }
});

test('raw wire: CreateTaskResult, tasks/get, a blocking tasks/result, tasks/list of this connection only', async () => {
  const task = await createTask('research', { topic: 'wool' });
  assert.equal(task.status, 'working');
  assert.equal(task.ttl, 60_000, 'the ttl the client asked for (under server.tasks.resultTtl)');
  assert.equal(task.pollInterval, 20);
  const result = await taskResult(task.taskId);
  assert.deepEqual(result.content, [{ type: 'text', text: 'a quick answer' }]);
  const done = await getTask(s.client, task.taskId);
  assert.equal(done.status, 'completed');
  const listed = await s.client.request({ method: 'tasks/list', params: {} } as never, ListTasksResultV1Schema);
  assert.ok(listed.tasks.some((t) => t.taskId === task.taskId));
  const other = await s.connect();
  const theirs = await other.request({ method: 'tasks/list', params: {} } as never, ListTasksResultV1Schema);
  assert.deepEqual(theirs.tasks, [], 'another connection lists none of them');
});

test('progress and status: notifications/progress to the call’s token, notifications/tasks/status on each change', async () => {
  const task = await createTask('research', { topic: 'yarn' }, { _meta: { progressToken: 'tok-1' } });
  await taskResult(task.taskId);
  const mine = () => s.received.filter((n) => n.params?.taskId === task.taskId || n.params?.progressToken === 'tok-1');
  await until('the completed status notification', () =>
    mine().some((n) => n.method === 'notifications/tasks/status' && n.params!.status === 'completed'),
  );
  const status = mine().filter((n) => n.method === 'notifications/tasks/status');
  for (const n of status) TaskStatusNotificationV1Schema.parse(n);
  const progress = mine().filter((n) => n.method === 'notifications/progress');
  assert.ok(progress.length > 0, 'progress reached the client after the task was answered');
  assert.ok(progress.every((n) => n.params?.progressToken === 'tok-1'));
});

test('tasks/cancel aborts the run: the provider request is closed, the task says cancelled', async () => {
  openai.reply({ hang: true });
  const before = openai.requests.length;
  const task = await createTask('long', { topic: 'forever' });
  const [request] = (await openai.waitForRequests(before + 1)).slice(-1);
  const cancelled = await cancelTask(task.taskId);
  assert.equal(cancelled.status, 'cancelled');
  assert.equal(cancelled.statusMessage, 'cancelled by the client');
  await request!.closed; // the fake server saw the socket close: cancellation reached the provider request
  assert.equal((await getTask(s.client, task.taskId)).status, 'cancelled');
  await assert.rejects(cancelTask(task.taskId), { message: `Cannot cancel task ${task.taskId}: it is already cancelled` });
  await assert.rejects(taskResult(task.taskId), { message: `task ${task.taskId} was cancelled` });
});

test('required without params.task, and params.task on a tool without task:, are refused with -32601', async () => {
  await assert.rejects(s.client.callTool({ name: 'long', arguments: { topic: 'x' } }), {
    code: -32601,
    message: 'Tool long runs only as a task (task: required): call it with params.task, or use long_start and long_result',
  });
  await assert.rejects(createTask('plain', {}), { code: -32601, message: 'Tool plain does not run as a task (it declares no task:)' });
  // An optional tool called plainly is a plain call.
  const plain = await s.client.callTool({ name: 'research', arguments: { topic: 'x' } });
  assert.deepEqual(plain.content, [{ type: 'text', text: 'a quick answer' }]);
});

test('a result over maxResultBytes fails the task with a clear status, not a truncated result', async () => {
  const task = await createTask('huge', {});
  await assert.rejects(taskResult(task.taskId), (err: Error & { code?: number }) => {
    assert.equal(err.code, -32603);
    assert.match(err.message, /^the result is \d+ bytes, over the 2048 bytes kept for a task \(server\.tasks\.maxResultBytes\)$/);
    return true;
  });
  const failed = await getTask(s.client, task.taskId);
  assert.equal(failed.status, 'failed');
  assert.match(failed.statusMessage!, /over the 2048 bytes kept for a task/);
});

test('a finished task is kept for its ttl, then tasks/get says it expired', async () => {
  const task = await createTask('research', { topic: 'ttl' });
  await taskResult(task.taskId);
  clock.advance(59_999);
  assert.equal((await getTask(s.client, task.taskId)).status, 'completed');
  clock.advance(1);
  await assert.rejects(getTask(s.client, task.taskId), {
    code: -32602,
    message: `Task ${task.taskId} has expired: its result was kept for server.tasks.resultTtl`,
  });
  await assert.rejects(getTask(s.client, 'no-such-task'), { code: -32602, message: 'Task not found: no-such-task' });
});

test('the number of tasks is bounded: over maxTasks a clear error, and room again once one is cancelled', async () => {
  const ids: string[] = [];
  openai.fallback = { hang: true };
  try {
    for (;;) {
      try {
        ids.push((await createTask('long', { topic: `n${ids.length}` })).taskId);
      } catch (err) {
        assert.equal((err as { code?: number }).code, -32603);
        assert.equal(
          (err as Error).message,
          'too many tasks running: 5 at once is the limit (server.tasks.maxTasks); try again when one has finished',
        );
        break;
      }
      assert.ok(ids.length <= 5, 'the limit holds');
    }
    await cancelTask(ids[0]!);
    ids.push((await createTask('long', { topic: 'again' })).taskId);
  } finally {
    openai.fallback = { text: 'ok' };
    for (const id of ids) await cancelTask(id).catch(() => {});
  }
});

test('sampling inside a task: input_required while the client is asked, the request tagged with the task', async () => {
  const asked: Record<string, unknown>[] = [];
  let seen: string | undefined;
  s.client.setRequestHandler('sampling/createMessage', async (request) => {
    asked.push(request.params as never);
    const taskId = (request.params._meta as Record<string, { taskId: string }>)['io.modelcontextprotocol/related-task']!.taskId;
    seen = (await getTask(s.client, taskId)).status;
    return { role: 'assistant', content: { type: 'text', text: 'Socks for a fox.' }, model: 'client-model' };
  });
  const task = await createTask('poet', { theme: 'socks' });
  const result = await taskResult(task.taskId);
  assert.deepEqual(result.content, [{ type: 'text', text: 'Socks for a fox.' }]);
  assert.equal(asked.length, 1);
  assert.deepEqual((asked[0]!._meta as Record<string, unknown>)['io.modelcontextprotocol/related-task'], { taskId: task.taskId });
  assert.equal(seen, 'input_required');
});

test('NAME_start / NAME_result: a task id as text and structured, then the result (structured under result)', async () => {
  const started = await s.client.callTool({ name: 'summary_start', arguments: { topic: 'socks' } });
  const { taskId, status } = started.structuredContent as { taskId: string; status: string };
  assert.equal(status, 'working');
  assert.deepEqual(started.content, [
    { type: 'text', text: `Started summary as task ${taskId}. Call summary_result with taskId "${taskId}" for its result.` },
  ]);
  const result = await s.client.callTool({ name: 'summary_result', arguments: { taskId } });
  assert.equal(result.isError, undefined);
  assert.deepEqual(result.structuredContent, { taskId, status: 'completed', result: { summary: 'text' } });
  const unknown = await s.client.callTool({ name: 'summary_result', arguments: { taskId: 'nope' } });
  assert.deepEqual(unknown, { content: [{ type: 'text', text: 'Task not found: nope' }], isError: true });
});

test('NAME_result waits at most server.tasks.resultWait, then says "still working" (not an error) with the progress', async () => {
  const quick = await serveLegacy(taskConfig(openai.url).replace('resultWait: 40s', 'resultWait: 1ms'));
  openai.reply({ hang: true });
  const before = openai.requests.length;
  try {
    const started = await quick.client.callTool({ name: 'long_start', arguments: { topic: 'slow' } });
    const { taskId } = started.structuredContent as { taskId: string };
    await openai.waitForRequests(before + 1);
    const waiting = await quick.client.callTool({ name: 'long_result', arguments: { taskId } });
    assert.equal(waiting.isError, undefined);
    assert.deepEqual(waiting.structuredContent, {
      taskId,
      status: 'working',
      statusMessage: 'step 1/10: thinking',
      progress: { progress: 1, message: 'step 1/10: thinking' },
    });
    assert.deepEqual(waiting.content, [
      { type: 'text', text: `long is still working (step 1/10: thinking). Call long_result again with taskId "${taskId}".` },
    ]);
    await quick.client.request({ method: 'tasks/cancel', params: { taskId } } as never, CancelTaskResultV1Schema);
    const cancelled = await quick.client.callTool({ name: 'long_result', arguments: { taskId } });
    assert.deepEqual(cancelled, { content: [{ type: 'text', text: `Task ${taskId} was cancelled.` }], isError: true });
  } finally {
    await quick.close();
  }
});
