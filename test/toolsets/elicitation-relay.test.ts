// A downstream server's elicitation reaches the user of OUR client, through agent-mcp served over stdio and over
// Streamable HTTP (the relayed request is tied to the client's tool call, so it travels on that call's stream).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { connectStdio, writeConfig } from '../helpers/cli.ts';
import { connect, disconnect, startHttp } from '../server/http-helpers.ts';
import { EVERYTHING_SERVER } from './helpers.ts';

const YAML = `
models:
  offline: { provider: test, responses: [{ toolCalls: [{ name: ev.trigger-elicitation-request, input: {} }] }, done] }
mcpServers:
  ev: { command: "${process.execPath}", args: ["${EVERYTHING_SERVER}", "stdio"] }
tools:
  asker: { prompt: ask, model: offline, tools: [ev.trigger-elicitation-request] }
`;

function answering(client: Client): string[] {
  const asked: string[] = [];
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    asked.push(request.params.message);
    return { action: 'accept', content: { name: 'Ada' } };
  });
  return asked;
}

test('over stdio: the elicitation of a downstream server is relayed to our client', async () => {
  const served = await connectStdio(writeConfig(YAML), { capabilities: { capabilities: { elicitation: {} } } });
  try {
    const asked = answering(served.client);
    const result = await served.client.callTool({ name: 'asker', arguments: {} });
    assert.deepEqual(result.content, [{ type: 'text', text: 'done' }]);
    assert.deepEqual(asked, ['Please provide inputs for the following fields:']);
  } finally {
    await served.close();
  }
});

test('over Streamable HTTP: the elicitation of a downstream server is relayed to our client', async () => {
  const server = await startHttp([], { yaml: YAML });
  try {
    const session = await connect(server.url, {}, { elicitation: {} });
    const asked = answering(session.client);
    const result = await session.client.callTool({ name: 'asker', arguments: {} });
    assert.deepEqual(result.content, [{ type: 'text', text: 'done' }]);
    assert.deepEqual(asked, ['Please provide inputs for the following fields:']);
    await disconnect(session);
  } finally {
    await server.stop();
  }
});
