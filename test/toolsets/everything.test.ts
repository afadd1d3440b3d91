// The real @modelcontextprotocol/server-everything downstream: progress relayed, its sampling request answered by
// the calling agent's model, its elicitation relayed to our client (or declined), an image passed on, the
// per-server timeout, a crash mid-call (tool error, then a restart) and a cancel that reaches the server.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { McpServers } from '../../src/toolsets/mcp-servers.ts';
import type { ClientSession } from '../../src/providers/client-session.ts';
import type { GenerateRequest } from '../../src/providers/types.ts';
import { EVERYTHING_SERVER, isRunning, memoryLogger, runContext, stdioServer } from './helpers.ts';

function everything(extra = {}) {
  const { log, lines } = memoryLogger();
  const servers = new McpServers(new Map([['ev', stdioServer('ev', [EVERYTHING_SERVER, 'stdio'], extra)]]), log);
  return { servers, log, lines, ev: servers.toolset('ev')! };
}

// One server for the tests that only call it (each test that changes it, times out, kills or cancels, starts its own).
let shared: ReturnType<typeof everything> | undefined;
const sharedServer = () => (shared ??= everything());
after(() => shared?.servers.close());

function textOf(result: { content: { type: string; text?: string }[] }): string {
  return result.content.map((p) => (p.type === 'text' ? p.text : `[${p.type}]`)).join('\n');
}

test('progress of a downstream call is relayed as progress of ours', async () => {
  const { log, ev } = sharedServer();
  const ctx = runContext(log);
  const result = await ev.call('ev.trigger-long-running-operation', { duration: 0.3, steps: 3 }, ctx);
  assert.equal(textOf(result), 'Long running operation completed. Duration: 0.3 seconds, Steps: 3.');
  // The last notification may arrive after the result (the SDK then drops it): the first two are certain.
  assert.deepEqual(
    ctx.updates.slice(0, 2).map((u) => u.message),
    ['ev.trigger-long-running-operation: 1/3', 'ev.trigger-long-running-operation: 2/3'],
  );
});

test("a downstream sampling request is answered by the calling agent's model", async () => {
  const { log, ev } = sharedServer();
  const asked: GenerateRequest[] = [];
  const ctx = runContext(log, {
    agent: 'poet',
    generate: async (req: GenerateRequest) => {
      asked.push(req);
      return { content: [{ type: 'text', text: 'Socks for a fox.' }], toolCalls: [], finishReason: 'stop', usage: {}, model: 'test' };
    },
  });
  const result = await ev.call('ev.trigger-sampling-request', { prompt: 'a rhyme', maxTokens: 50 }, ctx);
  assert.equal(result.isError, false, textOf(result));
  assert.match(textOf(result), /"text": "Socks for a fox\."/);
  assert.equal(asked.length, 1);
  assert.equal(asked[0]!.system, 'You are a helpful test server.');
  assert.deepEqual(asked[0]!.messages, [
    { role: 'user', content: [{ type: 'text', text: 'Resource trigger-sampling-request context: a rhyme' }] },
  ]);
  assert.equal(asked[0]!.maxOutputTokens, 50);
});

test('a downstream elicitation is relayed to a client that supports it, declined for one that does not', async () => {
  const { log, ev } = sharedServer();
  const asked: string[] = [];
  const client = {
    era: '2025',
    capabilities: { elicitation: {} },
    createMessage: () => Promise.reject(new Error('unused')),
    elicit: async (params: { message: string }) => {
      asked.push(params.message);
      return { action: 'accept', content: { name: 'Ada', check: true } };
    },
  } as unknown as ClientSession;
  const relayed = await ev.call('ev.trigger-elicitation-request', {}, runContext(log, { client }));
  assert.deepEqual(asked, ['Please provide inputs for the following fields:']);
  assert.match(textOf(relayed), /User inputs:\n- Name: Ada\n- Agreed to terms: true/);

  const without = { ...client, capabilities: {} } as unknown as ClientSession;
  const declined = await ev.call('ev.trigger-elicitation-request', {}, runContext(log, { client: without }));
  assert.match(textOf(declined), /User declined to provide the requested information/);
  assert.equal(asked.length, 1);
});

test('an image result is passed on as an image part; structured content is kept', async () => {
  const { log, ev } = sharedServer();
  const image = await ev.call('ev.get-tiny-image', {}, runContext(log));
  assert.deepEqual(
    image.content.map((p) => p.type),
    ['text', 'image', 'text'],
  );
  const part = image.content[1] as { mediaType: string; data: string };
  assert.equal(part.mediaType, 'image/png');
  assert.ok(Buffer.from(part.data, 'base64').subarray(1, 4).toString() === 'PNG');
  const structured = await ev.call('ev.get-structured-content', { location: 'New York' }, runContext(log));
  assert.equal(structured.isError, false);
  assert.deepEqual(Object.keys(structured.structured ?? {}).sort(), ['conditions', 'humidity', 'temperature']);
});

test('the per-server timeout ends a downstream call with a tool error', async () => {
  const { servers, log, ev } = everything({ timeoutMs: 300 });
  try {
    const result = await ev.call('ev.trigger-long-running-operation', { duration: 30, steps: 1 }, runContext(log));
    assert.deepEqual(result, {
      content: [{ type: 'text', text: 'ev.trigger-long-running-operation did not answer within 0.3s (mcpServers.ev.timeout)' }],
      isError: true,
    });
  } finally {
    await servers.close();
  }
});

test('a server killed mid-call: the call gets a tool error, the next call restarts it', async () => {
  const { servers, log, lines, ev } = everything();
  try {
    await ev.list();
    const [first] = servers.childPids;
    const pending = ev.call('ev.trigger-long-running-operation', { duration: 30, steps: 30 }, runContext(log));
    await new Promise((r) => setTimeout(r, 100));
    process.kill(first!, 'SIGKILL');
    const failed = await pending;
    assert.deepEqual(failed, {
      content: [
        {
          type: 'text',
          text: 'ev.trigger-long-running-operation failed: MCP server ev closed the connection during the call (it restarts on next use)',
        },
      ],
      isError: true,
    });
    assert.equal(servers.statuses()[0]!.state, 'failed');
    const again = await ev.call('ev.echo', { message: 'back' }, runContext(log));
    assert.equal(textOf(again), 'Echo: back');
    const [second] = servers.childPids;
    assert.notEqual(second, first);
    assert.equal(servers.statuses()[0]!.restarts, 1);
    assert.ok(lines.some((l) => l.includes('MCP server ev closed the connection; it restarts on next use')));
  } finally {
    await servers.close();
  }
});

test('cancelling our call cancels the downstream call and leaves the server running', async () => {
  const { servers, log, lines, ev } = everything();
  try {
    await ev.list();
    const controller = new AbortController();
    const pending = ev.call(
      'ev.trigger-long-running-operation',
      { duration: 30, steps: 30 },
      runContext(log, { signal: controller.signal }),
    );
    setTimeout(() => controller.abort(new Error('cancelled by the client')), 100);
    await assert.rejects(pending, /cancelled by the client/);
    const again = await ev.call('ev.echo', { message: 'still here' }, runContext(log));
    assert.equal(textOf(again), 'Echo: still here');
    assert.equal(servers.statuses()[0]!.restarts, 0);
    void lines;
  } finally {
    const pids = servers.childPids;
    await servers.close();
    for (const pid of pids) assert.equal(isRunning(pid), false);
  }
});
