// completion/complete for prompt arguments, over stdio against the built server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { connectStdio, writeConfig } from '../helpers/cli.js';

const many = Array.from({ length: 150 }, (_, i) => `topic-${String(i).padStart(3, '0')}`);

const CONFIG = `
tools:
  poet:
    model: test
    prompt: write about {{theme}}
    input: { theme: { type: string, enum: [socks, shoes] } }
prompts:
  rhyme:
    arguments:
      theme: { required: true, complete: [socks, Sockets, shoes, hats, socks] }
      mood: { description: free text }
      topic: { complete: [${many.join(', ')}] }
    messages:
      - { role: user, text: "Write a {{mood}} rhyming poem about {{theme}} {{topic}}" }
`;

test('prompt arguments complete from their complete: list: case-insensitive prefix, at most 100, total and hasMore', async () => {
  const server = await connectStdio(writeConfig(CONFIG));
  try {
    const { client } = server;
    assert.deepEqual(client.getServerCapabilities()?.completions, {});
    const ask = (name: string, value: string, prompt = 'rhyme') =>
      client.complete({ ref: { type: 'ref/prompt', name: prompt }, argument: { name, value } });

    assert.deepEqual((await ask('theme', 'SO')).completion, { values: ['socks', 'Sockets'], total: 2, hasMore: false });
    assert.deepEqual((await ask('theme', '')).completion, { values: ['socks', 'Sockets', 'shoes', 'hats'], total: 4, hasMore: false });
    assert.deepEqual((await ask('theme', 'x')).completion, { values: [], total: 0, hasMore: false });
    assert.deepEqual((await ask('mood', 'ha')).completion, { values: [], total: 0, hasMore: false });
    assert.deepEqual((await ask('nope', '')).completion, { values: [], total: 0, hasMore: false });

    const topics = (await ask('topic', 'topic-')).completion;
    assert.deepEqual(topics, { values: many.slice(0, 100), total: 150, hasMore: true });
    assert.deepEqual((await ask('topic', 'TOPIC-14')).completion, { values: many.slice(140, 150), total: 10, hasMore: false });

    // No resources here; tools have no completion reference in MCP (clients read the enum from inputSchema).
    const resource = await client.complete({ ref: { type: 'ref/resource', uri: 'file:///x' }, argument: { name: 'a', value: '' } });
    assert.deepEqual(resource.completion, { values: [], total: 0, hasMore: false });

    await assert.rejects(ask('theme', 's', 'rhym'), (err: unknown) => {
      assert.ok(err instanceof McpError);
      assert.equal(err.code, -32602);
      // The SDK prefixes the code on both sides (the same for every McpError this server throws).
      assert.equal(err.message, 'MCP error -32602: Unknown prompt: rhym');
      return true;
    });
  } finally {
    await server.close();
  }
});
