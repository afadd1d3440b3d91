// `serve --http`: the built CLI on a loopback port, driven by the SDK's Streamable HTTP client and by raw HTTP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult, LoggingMessageNotification, Progress } from '@modelcontextprotocol/sdk/types.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { createServer } from 'node:net';
import { runInProcess } from '../helpers/cli.ts';
import {
  PROTOCOL,
  connect,
  disconnect,
  health,
  initializeBody,
  post,
  rawSession,
  sseEvents,
  startHttp,
  waitForHealth,
  type Running,
} from './http-helpers.ts';

describe('serve --http (stateful sessions)', () => {
  let server: Running;
  before(async () => {
    server = await startHttp();
  });
  after(async () => {
    await server.stop();
  });

  test('prints the URL it listens on, with the port picked', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    assert.notEqual(new URL(server.url).port, '0');
  });

  test('lists and calls tools over the SDK client', async () => {
    const c = await connect(server.url);
    const { tools } = await c.client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      ['echo', 'slow', 'stuck'],
    );
    const result = (await c.client.callTool({ name: 'echo', arguments: { word: 'hello' } })) as CallToolResult;
    assert.deepEqual(result.content, [{ type: 'text', text: 'test model received: say hello' }]);
    assert.equal(result.isError, undefined);
    await disconnect(c);
  });

  test("streams progress on the call's own stream", async () => {
    const c = await connect(server.url);
    const progress: Progress[] = [];
    const result = (await c.client.callTool({ name: 'slow', arguments: { word: 'tea' } }, undefined, {
      onprogress: (p) => progress.push(p),
    })) as CallToolResult;
    assert.deepEqual(result.content, [{ type: 'text', text: 'test model received: wait for tea' }]);
    assert.equal(progress[0]?.message, 'step 1/10: thinking');
    // The rest is the reply's text, streamed in pieces.
    assert.equal(
      progress
        .slice(1)
        .map((p) => p.message)
        .join(''),
      'test model received: wait for tea',
    );
    assert.deepEqual(
      progress.map((p) => p.progress),
      progress.map((_, i) => i + 1),
    );
    await disconnect(c);
  });

  test('two concurrent sessions are isolated', async () => {
    const a = await connect(server.url);
    const b = await connect(server.url);
    assert.notEqual(a.transport.sessionId, b.transport.sessionId);
    // Only A asks for log messages: they must reach A alone.
    const logsA: LoggingMessageNotification[] = [];
    const logsB: LoggingMessageNotification[] = [];
    a.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logsA.push(n));
    b.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logsB.push(n));
    await a.client.setLoggingLevel('info');
    const [ra, rb] = (await Promise.all([
      a.client.callTool({ name: 'slow', arguments: { word: 'A' } }),
      b.client.callTool({ name: 'slow', arguments: { word: 'B' } }),
    ])) as CallToolResult[];
    assert.deepEqual(ra!.content, [{ type: 'text', text: 'test model received: wait for A' }]);
    assert.deepEqual(rb!.content, [{ type: 'text', text: 'test model received: wait for B' }]);
    assert.deepEqual(
      logsA.map((n) => [n.params.level, (n.params.data as { msg: string; tool: string }).msg, (n.params.data as { tool: string }).tool]),
      [['info', 'call', 'slow']],
    );
    assert.deepEqual(logsB, []);
    // Ending A's session leaves B's alone.
    const idA = a.transport.sessionId!;
    await disconnect(a);
    const gone = await post(server.url, JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }), {
      'Mcp-Session-Id': idA,
      'Mcp-Protocol-Version': PROTOCOL,
    });
    assert.equal(gone.status, 404);
    assert.deepEqual(await gone.json(), { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null });
    assert.equal((await b.client.listTools()).tools.length, 3);
    await disconnect(b);
  });

  test('a client reconnecting with Last-Event-ID gets the events it missed', async () => {
    const session = await rawSession(server.url);
    const headers = { 'Mcp-Session-Id': session, 'Mcp-Protocol-Version': PROTOCOL };
    const call = JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'slow', arguments: { word: 'rain' }, _meta: { progressToken: 'p' } },
    });
    const abort = new AbortController();
    const res = await post(server.url, call, headers, abort.signal);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    // Read the priming event and the first progress, then drop the connection mid-call.
    const seen: { id?: string; data: string }[] = [];
    for await (const event of sseEvents(res)) {
      seen.push(event);
      if (event.data.includes('step 1/10: thinking')) break;
    }
    abort.abort();
    assert.equal(seen.length, 2);
    assert.equal(seen[0]!.data, '');
    const lastId = seen[1]!.id!;
    assert.match(lastId, /_\d+$/);
    // The call finishes while nobody listens; its answer waits in the session's event store.
    await waitForHealth(server.origin, (h) => h.inflight === 0);

    const resumed = await fetch(server.url, { headers: { ...headers, Accept: 'text/event-stream', 'Last-Event-ID': lastId } });
    assert.equal(resumed.status, 200);
    const missed: { id?: string; data: string }[] = [];
    for await (const event of sseEvents(resumed)) {
      missed.push(event);
      if (event.data.includes('"id":7')) break;
    }
    await resumed.body?.cancel().catch(() => {});
    const messages = missed.map(
      (e) => JSON.parse(e.data) as { method?: string; id?: number; params?: { message: string }; result?: CallToolResult },
    );
    const answer = messages.at(-1)!;
    assert.equal(answer.id, 7);
    assert.deepEqual(answer.result!.content, [{ type: 'text', text: 'test model received: wait for rain' }]);
    // Everything before the answer is the progress that came after the last event seen, and nothing seen twice.
    const texts = messages.slice(0, -1).map((m) => (assert.equal(m.method, 'notifications/progress'), m.params!.message));
    assert.equal(texts.join(''), 'test model received: wait for rain');
    assert.ok(missed.every((e) => e.id && e.id !== lastId && e.id !== seen[0]!.id));
    await fetch(server.url, { method: 'DELETE', headers });
  });

  test('an unknown Last-Event-ID is refused', async () => {
    const session = await rawSession(server.url);
    const headers = { 'Mcp-Session-Id': session, 'Mcp-Protocol-Version': PROTOCOL };
    const res = await fetch(server.url, { headers: { ...headers, Accept: 'text/event-stream', 'Last-Event-ID': 'nope_99' } });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { jsonrpc: '2.0', error: { code: -32000, message: 'Invalid event ID format' }, id: null });
    await fetch(server.url, { method: 'DELETE', headers });
  });

  test('protocol errors get their status and a JSON-RPC error body', async () => {
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const expect = async (res: Response, status: number, code: number, message: string) => {
      assert.equal(res.status, status, message);
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.deepEqual(await res.json(), { jsonrpc: '2.0', error: { code, message }, id: null });
    };
    await expect(await post(server.url, list), 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
    await expect(
      await fetch(server.url, { headers: { Accept: 'text/event-stream' } }),
      400,
      -32000,
      'Bad Request: Mcp-Session-Id header is required',
    );
    await expect(await post(server.url, list, { 'Mcp-Session-Id': 'no-such-session' }), 404, -32001, 'Session not found');
    await expect(
      await fetch(server.url, { method: 'DELETE', headers: { 'Mcp-Session-Id': 'no-such-session' } }),
      404,
      -32001,
      'Session not found',
    );
    const session = await rawSession(server.url);
    await expect(
      await post(server.url, list, { 'Mcp-Session-Id': session, 'Mcp-Protocol-Version': '1999-01-01' }),
      400,
      -32000,
      'Bad Request: Unsupported protocol version: 1999-01-01 (supported versions: 2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05, 2024-10-07)',
    );
    const put = await fetch(server.url, { method: 'PUT', body: list });
    assert.equal(put.headers.get('allow'), 'GET, POST, DELETE');
    await expect(put, 405, -32000, 'Method not allowed.');
    await expect(
      await post(server.url, initializeBody(), { Accept: 'application/json' }),
      406,
      -32000,
      'Not Acceptable: Client must accept both application/json and text/event-stream',
    );
    await expect(
      await post(server.url, initializeBody(), { 'Content-Type': 'text/plain' }),
      415,
      -32000,
      'Unsupported Media Type: Content-Type must be application/json',
    );
    await expect(await post(server.url, '{"jsonrpc": "2.0", "id": 1, "meth', {}), 400, -32700, 'Parse error: Invalid JSON');
    await expect(await post(`${server.origin}/elsewhere`, list), 404, -32000, 'Not Found: the MCP endpoint is /mcp');
    await expect(
      await fetch(server.url, { headers: { Accept: 'application/json', 'Mcp-Session-Id': session } }),
      406,
      -32000,
      'Not Acceptable: Client must accept text/event-stream',
    );
    const ended = await fetch(server.url, { method: 'DELETE', headers: { 'Mcp-Session-Id': session } });
    assert.equal(ended.status, 200);
  });

  test('GET /healthz answers without auth: status, sessions, in-flight calls', async () => {
    const before = await waitForHealth(server.origin, (h) => h.sessions === 0);
    assert.deepEqual(before, { status: 'ok', sessions: 0, inflight: 0 });
    const c = await connect(server.url);
    const pending = c.client.callTool({ name: 'slow', arguments: { word: 'x' } });
    assert.deepEqual(await waitForHealth(server.origin, (h) => h.inflight === 1), { status: 'ok', sessions: 1, inflight: 1 });
    await pending;
    await disconnect(c);
    assert.deepEqual(await waitForHealth(server.origin, (h) => h.sessions === 0), { status: 'ok', sessions: 0, inflight: 0 });
    const res = await fetch(`${server.origin}/healthz`, { method: 'POST' });
    assert.equal(res.status, 405);
  });
});

describe('agent-mcp call --url', () => {
  let server: Running;
  before(async () => {
    server = await startHttp(['--auth-token', 'sesame-123456']);
  });
  after(async () => {
    await server.stop();
  });

  test('calls a tool of a running server, with the token in a header, and ends its session', async () => {
    const run = await runInProcess(['call', '--url', server.url, '--header', 'Authorization: Bearer sesame-123456', 'echo', 'word=remote']);
    assert.equal(run.stderr, 'answered by t\n');
    assert.equal(run.stdout, 'test model received: say remote\n');
    assert.equal(run.code, 0);
    assert.equal((await health(server.origin)).sessions, 0);
  });

  test('lists the tools of a running server', async () => {
    const run = await runInProcess(['call', '--url', server.url, '--header', 'Authorization: Bearer sesame-123456']);
    assert.equal(run.stdout, 'echo\n  word=string (required)\nslow\n  word=string (required)\nstuck\n  word=string (required)\n');
    assert.equal(run.code, 0);
  });

  test('a wrong token is a clear failure that does not echo the token', async () => {
    const run = await runInProcess(['call', '--url', server.url, '--header', 'Authorization: Bearer wrong-token-42', 'echo', 'word=x']);
    assert.equal(run.stderr, `${server.url}: HTTP 401: Unauthorized: invalid bearer token\n`);
    assert.equal(run.stdout, '');
    assert.equal(run.code, 1);
  });

  test('bad --url and --header are usage errors', async () => {
    const bad = await runInProcess(['call', '--url', 'not a url', 'echo']);
    assert.deepEqual([bad.code, bad.stderr], [2, '--url: not a URL: "not a url"\n']);
    const header = await runInProcess(['call', '--url', server.url, '--header', 'no colon here', 'echo']);
    assert.deepEqual([header.code, header.stderr], [2, '--header: expected "Name: value", got "no colon here"\n']);
  });

  test('nothing listening: says so', async () => {
    const port = await freePort();
    const run = await runInProcess(['call', '--url', `http://127.0.0.1:${port}/mcp`, 'echo', 'word=x']);
    assert.equal(run.stderr, `http://127.0.0.1:${port}/mcp: connection refused (is \`agent-mcp serve --http\` running?)\n`);
    assert.equal(run.code, 1);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
