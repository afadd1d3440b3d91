// The task wire through the real CLI: stdio (2025 era; closing stdin ends a task still running, its provider request
// included), Streamable HTTP on a loopback port in the 2026-07-28 era (Mcp-Name) and in the 2025 era (tasks bound to
// their session).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createTaskSessionFromClient, resultFromTaskOutcome } from '@modelcontextprotocol/ext-tasks/client';
import { CreateTaskResultV1Schema, ListTasksResultV1Schema } from '@modelcontextprotocol/ext-tasks/core/v1';
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

test('agent-mcp call and agent-mcp test run a task: required tool, as a 2025-era task', async () => {
  const file = writeConfig(`tools:
  summary:
    prompt: summarise {{topic}}
    input: { topic: { type: string } }
    model: test
    task: required
    examples:
      - { input: { topic: socks }, expect: { contains: "summarise socks" } }
`);
  const call = await runInProcess(['call', '-c', file, 'summary', 'topic=socks']);
  assert.deepEqual([call.code, call.stdout], [0, 'test model received: summarise socks\n'], call.stderr);
  const run = await runInProcess(['test', file]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
});
