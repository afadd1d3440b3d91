// A reload reaches every server instance sharing the runner (stdio has one; HTTP one per session), and only
// for lists that changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { PromptListChangedNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { Runtime } from '../../src/agent/runtime.js';
import { loadConfigText } from '../../src/config/load.js';
import { Logger } from '../../src/log.js';
import { buildServer } from '../../src/server/build.js';

const config = (tools: string, prompt = 'rhyme') =>
  loadConfigText(
    '/tmp/agents.yaml',
    `defaults: { model: test }\ntools:\n${tools}prompts:\n  rhyme:\n    messages: [{ role: user, text: ${prompt} }]\n`,
  );
const POET = '  poet: { prompt: write }\n';
const CRITIC = '  critic: { prompt: review }\n';

async function connect(runner: Runtime, log: Logger) {
  const server = buildServer({ runner, log });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'test', version: '1.0.0' });
  const seen: string[] = [];
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => void seen.push('tools'));
  client.setNotificationHandler(PromptListChangedNotificationSchema, () => void seen.push('prompts'));
  await server.connect(serverSide);
  await client.connect(clientSide);
  return { client, seen };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

test('every connected server is told; unchanged lists send nothing; a closed session is dropped', async () => {
  const log = new Logger({ level: 'emergency', format: 'text', write: () => {} });
  const runner = new Runtime(config(POET), { log });
  const a = await connect(runner, log);
  const b = await connect(runner, log);

  runner.setConfig(config(POET + CRITIC));
  await settle();
  assert.deepEqual(a.seen, ['tools']);
  assert.deepEqual(b.seen, ['tools']);
  assert.deepEqual(
    (await b.client.listTools()).tools.map((t) => t.name),
    ['poet', 'critic'],
  );

  runner.setConfig(config(POET + CRITIC, 'rhyme again')); // a template is not part of any list
  await settle();
  assert.deepEqual(a.seen, ['tools']);

  await a.client.close();
  runner.setConfig(config(POET));
  await settle();
  assert.deepEqual(a.seen, ['tools']);
  assert.deepEqual(b.seen, ['tools', 'tools']);
  await b.client.close();
});
