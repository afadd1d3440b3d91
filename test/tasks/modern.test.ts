import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTaskSessionFromClient, resultFromTaskOutcome } from '@modelcontextprotocol/ext-tasks/client';
import { FakeOpenAI } from '../fakes/openai-server.ts';
import { serveModern, taskConfig, type ServedModern } from './harness.ts';

const openai = new FakeOpenAI();
let s: ServedModern;
before(async () => {
  await openai.start();
  s = await serveModern(taskConfig(openai.url));
});
after(async () => {
  await s?.close();
  await openai.stop();
});

test('experiment', async () => {
  console.error(JSON.stringify(s.client.getServerCapabilities()));
  const session = createTaskSessionFromClient(s.client, {
    endpointId: 'test',
    rawDispatch: s.rawDispatch,
    v2RequestFraming: s.framing as never,
  });
  const execution = await session.callTool('long', { topic: 'socks' });
  console.error(execution.kind);
  const r = await s.rawDispatch({
    method: 'tasks/get',
    params: {
      taskId: execution.handle!.taskId,
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientInfo': { name: 'x', version: '1' },
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    },
  });
  console.error(JSON.stringify(r));
  const ex2 = await session.callTool('research', { topic: 'socks' });
  console.error(ex2.kind);
  const { outcome } = await ex2.settle();
  console.error(JSON.stringify(outcome), (outcome as any).error?.message, (outcome as any).error?.cause);
  await execution.cancel();
  console.error(
    JSON.stringify(
      await s.rawDispatch({
        method: 'tasks/get',
        params: {
          taskId: execution.handle!.taskId,
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientInfo': { name: 'x', version: '1' },
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      }),
    ),
  );
  await session.close();
});
