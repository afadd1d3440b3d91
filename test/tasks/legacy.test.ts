import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTaskSessionFromClient, resultFromTaskOutcome } from '@modelcontextprotocol/ext-tasks/client';
import { FakeOpenAI } from '../fakes/openai-server.ts';
import { serveInProcess, taskConfig, type Served } from './harness.ts';

const openai = new FakeOpenAI();
let s: Served;
before(async () => {
  await openai.start();
  s = await serveInProcess(taskConfig(openai.url));
});
after(async () => {
  await s?.close();
  await openai.stop();
});

test('experiment', async () => {
  const tools = await s.client.listTools();
  console.error(JSON.stringify(tools.tools.map((t) => [t.name, (t as any).execution])));
  console.error(JSON.stringify(s.client.getServerCapabilities()));
  const session = createTaskSessionFromClient(s.client, { endpointId: 'test' });
  const execution = await session.callTool('research', { topic: 'socks' }, { task: { preference: 'require' } });
  console.error(execution.kind);
  const { outcome } = await execution.settle();
  console.error(JSON.stringify(outcome));
  console.error(JSON.stringify(resultFromTaskOutcome(outcome)));
  await session.close();
});
