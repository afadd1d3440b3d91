// The task wire through the real CLI: stdio (2025 era; closing stdin ends a task still running, its provider request
// included), Streamable HTTP on a loopback port in the 2026-07-28 era (Mcp-Name) and in the 2025 era (tasks bound to
// their session).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createTaskSessionFromClient, resultFromTaskOutcome } from '@modelcontextprotocol/ext-tasks/client';
import { CreateTaskResultV1Schema, ListTasksResultV1Schema } from '@modelcontextprotocol/ext-tasks/core/v1';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { BIN, cleanEnv, runInProcess, writeConfig } from '../helpers/cli.ts';
import { FakeOpenAI } from '../fakes/openai-server.ts';
import { startHttp } from '../server/http-helpers.ts';
import { dispatcher, envelope, taskConfig } from './harness.ts';

const openai = new FakeOpenAI();
before(() => openai.start());
after(() => openai.stop());

test('stdio, 2025 era: a task runs to its result; closing the connection ends a running one and its provider request', async () => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'serve', writeConfig(taskConfig(openai.url))],
    env: cleanEnv(),
    stderr: 'pipe',
  });
  const client = new Client({ name: 'task-tests', version: '1.0.0' }, { versionNegotiation: { mode: 'legacy' } });
  await client.connect(transport);
  const session = createTaskSessionFromClient(client, { endpointId: 'stdio-tests' });
  const execution = await session.callTool('summary', { topic: 'socks' });
  assert.equal(execution.kind, 'task');
  const { outcome } = await execution.settle();
  assert.deepEqual((resultFromTaskOutcome(outcome) as { structuredContent: unknown }).structuredContent, { summary: 'text' });

  openai.reply({ hang: true });
  const before = openai.requests.length;
  const running = await session.callTool('long', { topic: 'forever' });
  assert.equal(running.kind, 'task');
  const [request] = (await openai.waitForRequests(before + 1)).slice(-1);
  await session.close();
  await client.close();
  await request!.closed; // the process ended the run on its way out: the provider's socket closed
});

test('http, 2026-07-28 era: the extension over a loopback port, Mcp-Name checked by the server', async () => {
  const server = await startHttp([], { yaml: taskConfig(openai.url) });
  try {
    const client = new Client(
      { name: 'task-tests', version: '1.0.0' },
      { capabilities: {}, versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    const { rawDispatch, post } = dispatcher(server.url, fetch);
    const framing = { protocolVersion: '2026-07-28', clientInfo: { name: 'task-tests', version: '1.0.0' }, clientCapabilities: {} };
    const session = createTaskSessionFromClient(client, { endpointId: 'http-tests', rawDispatch, v2RequestFraming: framing });
    const execution = await session.callTool('summary', { topic: 'wool' });
    assert.equal(execution.kind, 'task');
    const { outcome } = await execution.settle();
    assert.deepEqual((resultFromTaskOutcome(outcome) as { structuredContent: unknown }).structuredContent, { summary: 'text' });
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': framing.clientInfo,
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    const mismatch = await post(
      { method: 'tasks/get', params: { taskId: execution.handle!.taskId, _meta: meta } },
      { 'mcp-method': 'tasks/get', 'mcp-name': 'someone-else' },
    );
    assert.equal(mismatch.kind, 'error');
    await session.close();
    await client.close();
  } finally {
    await server.stop();
  }
});

test('http, 2025 era: a task belongs to its session (another session neither lists nor reads it)', async () => {
  const server = await startHttp([], { yaml: taskConfig(openai.url) });
  const connect = async () => {
    const client = new Client({ name: 'task-tests', version: '1.0.0' }, { versionNegotiation: { mode: 'legacy' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    return client;
  };
  const anything = z.record(z.string(), z.unknown());
  try {
    const [mine, theirs] = [await connect(), await connect()];
    const created = await mine.request(
      { method: 'tools/call', params: { name: 'summary', arguments: { topic: 'x' }, task: {} } } as never,
      CreateTaskResultV1Schema,
    );
    const taskId = created.task.taskId;
    const result = await mine.request({ method: 'tasks/result', params: { taskId } } as never, anything);
    assert.deepEqual(result.structuredContent, { summary: 'text' });
    const list = (client: Client) => client.request({ method: 'tasks/list', params: {} } as never, ListTasksResultV1Schema);
    assert.deepEqual(
      (await list(mine)).tasks.map((t) => t.taskId),
      [taskId],
    );
    assert.deepEqual((await list(theirs)).tasks, []);
    await assert.rejects(theirs.request({ method: 'tasks/get', params: { taskId } } as never, anything), {
      message: `Task not found: ${taskId}`,
    });
    // Nor does a 2026-07-28 request that knows its id.
    const modern = await dispatcher(server.url, fetch).rawDispatch({ method: 'tasks/get', params: { taskId, _meta: envelope() } } as never);
    assert.deepEqual(modern, { kind: 'error', error: { code: -32602, message: `Task not found: ${taskId}` } });
    await mine.close();
    await theirs.close();
  } finally {
    await server.stop();
  }
});

test('agent-mcp call and agent-mcp test run task: required tools in both eras, sampling answered with --sampling-model', async () => {
  const yaml = `tools:
  summary:
    prompt: summarise {{topic}}
    input: { topic: { type: string } }
    model: test
    task: required
    examples:
      - { input: { topic: socks }, expect: { contains: "summarise socks" } }
  poet:
    prompt: a poem about {{topic}}
    input: { topic: { type: string } }
    model: sampling
    task: required
    examples:
      - { input: { topic: wool }, expect: { contains: "a poem about wool" } }
`;
  // One server for the calls of both eras (call --url); `test` starts its own, as it always does.
  const server = await startHttp([], { yaml });
  try {
    for (const protocol of ['2025', '2026-07-28']) {
      const era = ['--url', server.url, '--protocol', protocol];
      const call = await runInProcess(['call', ...era, 'summary', 'topic=socks']);
      assert.deepEqual([call.code, call.stdout], [0, 'test model received: summarise socks\n'], `${protocol}: ${call.stderr}`);
      // The run asks the client for a completion: a 2025 client answers the request, a 2026-07-28 one tasks/get's.
      const sampled = await runInProcess(['call', ...era, 'poet', 'topic=wool', '--sampling-model', 'test']);
      assert.deepEqual([sampled.code, sampled.stdout], [0, 'test model received: a poem about wool\n'], `${protocol}: ${sampled.stderr}`);
    }
    // Without a model to sample with, the task ends in the tool's error: exit 1 with the server's reason.
    const unanswered = await runInProcess(['call', '--url', server.url, '--protocol', '2026-07-28', 'poet', 'topic=wool']);
    assert.equal(unanswered.code, 1);
    assert.match(unanswered.stdout + unanswered.stderr, /this MCP client does not support sampling/);
  } finally {
    await server.stop();
  }
  const file = writeConfig(yaml);
  for (const protocol of ['2025', '2026-07-28']) {
    const run = await runInProcess(['test', file, '--sampling-model', 'test', '--protocol', protocol]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /2 passed, 0 failed/);
  }
});

test('2026-07-28 era: a task that shows no change within call --timeout is cancelled, provider request included', async () => {
  // Over HTTP, where the server outlives the call: only tasks/cancel can end the run.
  const server = await startHttp([], { yaml: taskConfig(openai.url) });
  try {
    openai.reply({ hang: true });
    const before = openai.requests.length;
    const args = ['call', '--url', server.url, 'long', 'topic=forever', '--protocol', '2026-07-28', '--timeout', '1s'];
    const waiting = runInProcess(args);
    const [request] = (await openai.waitForRequests(before + 1)).slice(-1);
    const call = await waiting;
    assert.equal(call.code, 1);
    assert.match(call.stderr, /no answer within 1s and no progress meanwhile/);
    // tasks/cancel reached the run: the provider's socket closed (left alone, the run would go on to its 60 s limit)
    const cancelled = await Promise.race([request!.closed.then(() => true), sleep(10_000, false, { ref: false })]);
    assert.ok(cancelled, 'the provider request still open 10 s after the call gave up');
  } finally {
    await server.stop();
  }
});
