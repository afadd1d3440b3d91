// `serve --watch`: a connected client sees a valid edit (list_changed, new lists) and keeps the old config on an
// invalid one, which is reported on stderr with its location.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  PromptListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { connectStdio, writeConfig } from '../helpers/cli.js';

const V1 = `
models:
  offline: { provider: test }
defaults:
  model: offline
tools:
  poet:
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
`;

const V2 = `${V1}
  critic:
    description: Reviews a poem
    prompt: review {{poem}}
    input: { poem: { type: string } }
prompts:
  rhyme:
    messages:
      - { role: user, text: rhyme }
`;

// Line 12 col 5 is the misspelt key; line 13 col 20 an unknown placeholder: both reported, located.
const BROKEN = `${V1}
  critic:
    descripton: Reviews a poem
    prompt: review {{poem}}
    input: { text: { type: string } }
`;

/** Resolves when `predicate` holds, polling; rejects after a generous bound. */
async function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a valid edit applies without a restart; an invalid one is reported and the old config keeps serving', async () => {
  const file = writeConfig(V1);
  const server = await connectStdio(file, { args: ['--watch', '--log-level', 'info'] });
  try {
    const { client } = server;
    let toolsChanged = 0;
    let promptsChanged = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void toolsChanged++);
    client.setNotificationHandler(PromptListChangedNotificationSchema, () => void promptsChanged++);
    assert.deepEqual(
      (await client.listTools()).tools.map((t) => t.name),
      ['poet'],
    );

    // Saved the way many editors do: a temporary file renamed over the original.
    const temp = join(dirname(file), '.agents.yaml.swp');
    writeFileSync(temp, V2);
    renameSync(temp, file);
    await until(() => toolsChanged === 1 && promptsChanged === 1, 'list_changed notifications');
    assert.deepEqual(
      (await client.listTools()).tools.map((t) => [t.name, t.description]),
      [
        ['poet', undefined],
        ['critic', 'Reviews a poem'],
      ],
    );
    assert.deepEqual(
      (await client.listPrompts()).prompts.map((p) => p.name),
      ['rhyme'],
    );
    const review = (await client.callTool({ name: 'critic', arguments: { poem: 'socks' } })) as CallToolResult;
    assert.deepEqual(review.content, [{ type: 'text', text: 'test model received: review socks' }]);
    assert.match(server.stderr(), /agent-mcp info: reloaded .*agents\.yaml tools=2 prompts=1\n/);

    writeFileSync(file, BROKEN);
    await until(() => server.stderr().includes('still serving the previous config'), 'the reload error');
    const log = server.stderr();
    assert.ok(log.includes(`agent-mcp error: ${file}:12:5: tools.critic: unknown key "descripton" (did you mean "description"?)\n`), log);
    assert.ok(log.includes(`agent-mcp error: ${file}:13:20: tools.critic.prompt: placeholder {{poem}} names no declared argument\n`), log);
    assert.ok(log.includes(`agent-mcp error: ${file} has errors; still serving the previous config\n`), log);
    assert.equal(toolsChanged, 1);
    assert.deepEqual(
      (await client.listTools()).tools.map((t) => t.name),
      ['poet', 'critic'],
    );
    const again = (await client.callTool({ name: 'critic', arguments: { poem: 'hats' } })) as CallToolResult;
    assert.deepEqual(again.content, [{ type: 'text', text: 'test model received: review hats' }]);

    // Back to the first version: the tool disappears, the client is told again.
    writeFileSync(file, V1);
    await until(() => toolsChanged === 2 && promptsChanged === 2, 'the second list_changed');
    assert.deepEqual(
      (await client.listTools()).tools.map((t) => t.name),
      ['poet'],
    );
  } finally {
    await server.close();
  }
});

test('without --watch an edit changes nothing', async () => {
  const file = writeConfig(V1);
  const server = await connectStdio(file);
  try {
    let changed = 0;
    server.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed++);
    writeFileSync(file, V2);
    await new Promise((r) => setTimeout(r, 400)); // well past the watch debounce
    assert.equal(changed, 0);
    assert.deepEqual(
      (await server.client.listTools()).tools.map((t) => t.name),
      ['poet'],
    );
  } finally {
    await server.close();
  }
});

test('a call in flight runs its agent tools on the config it started with, even after a reload', async () => {
  const version = (helperModel: string) => `
models:
  old: { provider: test }
  fresh: { provider: test }
  slow: { provider: test, delay: 1s, responses: [{ toolCalls: [{ name: helper, input: {} }] }, done] }
tools:
  lead:
    prompt: lead
    model: slow
    tools: [helper]
  helper:
    prompt: help
    model: ${helperModel}
`;
  const file = writeConfig(version('old'));
  const server = await connectStdio(file, { args: ['--watch', '--log-level', 'info'] });
  try {
    const call = server.client.callTool({ name: 'lead', arguments: {} });
    // The reload lands while the lead's first model request waits; its helper call comes after.
    await new Promise((r) => setTimeout(r, 100));
    writeFileSync(file, version('fresh'));
    await until(() => server.stderr().includes('reloaded'), 'the reload');
    const result = (await call) as CallToolResult;
    assert.deepEqual(result.content, [{ type: 'text', text: 'done' }]);
    assert.match(server.stderr(), /agent-mcp info: call tool=helper model=old steps=1 /);
    assert.doesNotMatch(server.stderr(), /tool=helper model=fresh/);
  } finally {
    await server.close();
  }
});
