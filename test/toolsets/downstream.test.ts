// A bare-SDK downstream server: cancel reaches it, its tools/list_changed refreshes our cached list, an isError
// result is a failed tool call (not a failure of ours), and a server that cannot start is a tool error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { McpServers } from '../../src/toolsets/mcp-servers.ts';
import { ROOT } from '../helpers/cli.ts';
import { memoryLogger, runContext, stdioServer } from './helpers.ts';

const DOWNSTREAM = join(ROOT, 'test/fakes/downstream-server.mjs');

function downstream(extra = {}) {
  const { log, lines } = memoryLogger();
  const servers = new McpServers(new Map([['down', stdioServer('down', [DOWNSTREAM], extra)]]), log);
  return { servers, log, lines, down: servers.toolset('down')! };
}

/** Poll for what the downstream child does on its own time: a generous bound for a loaded machine (no cost when quick). */
async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), 'condition never became true');
}

test('cancelling our call sends notifications/cancelled downstream', async () => {
  const { servers, log, lines, down } = downstream();
  try {
    await down.list();
    const controller = new AbortController();
    const pending = down.call('down.wait', {}, runContext(log, { signal: controller.signal }));
    await until(() => servers.statuses()[0]!.inFlight === 1);
    await new Promise((r) => setTimeout(r, 50));
    controller.abort(new Error('the client cancelled'));
    await assert.rejects(pending, /the client cancelled/);
    await until(() => lines.some((l) => l.includes('[down] cancelled:')));
  } finally {
    await servers.close();
  }
});

test('tools/list_changed refreshes the cached tool list', async () => {
  const { servers, log, down } = downstream();
  try {
    const before = (await down.list()).map((t) => t.name);
    assert.deepEqual(before, ['down.echo', 'down.wait', 'down.grow', 'down.fail', 'down.pid']);
    await down.call('down.grow', {}, runContext(log));
    await until(() => servers.statuses()[0]!.tools === 6);
    assert.deepEqual((await down.list()).map((t) => t.name).at(-1), 'down.extra');
  } finally {
    await servers.close();
  }
});

test('an isError result is a failed tool call the model sees; tools/exclude filter the list', async () => {
  const { servers, log, down } = downstream({ tools: ['echo', 'fail'] });
  try {
    assert.deepEqual(
      (await down.list()).map((t) => t.name),
      ['down.echo', 'down.fail'],
    );
    assert.deepEqual(await down.call('down.fail', {}, runContext(log)), {
      content: [{ type: 'text', text: 'it went wrong' }],
      structured: undefined,
      isError: true,
    });
  } finally {
    await servers.close();
  }
});

test('a server that cannot start is a tool error naming why, and a later call tries again', async () => {
  const { log } = memoryLogger();
  const servers = new McpServers(new Map([['gone', { ...stdioServer('gone', []), command: '/nonexistent/mcp-server' }]]), log);
  try {
    const result = await servers.toolset('gone')!.call('gone.x', {}, runContext(log));
    assert.deepEqual(result, {
      content: [{ type: 'text', text: 'gone.x failed: MCP server gone did not start: spawn /nonexistent/mcp-server ENOENT' }],
      isError: true,
    });
    assert.equal(servers.statuses()[0]!.state, 'failed');
    assert.equal(servers.statuses()[0]!.lastError, 'spawn /nonexistent/mcp-server ENOENT');
    const again = await servers.toolset('gone')!.call('gone.x', {}, runContext(log));
    assert.deepEqual(again, result);
    assert.equal(servers.statuses()[0]!.restarts, 1);
  } finally {
    await servers.close();
  }
});
