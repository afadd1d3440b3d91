// `serve --http` over time: shutdown with calls in flight, idle expiry, stateless mode, start-up errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Runtime } from '../../src/agent/runtime.ts';
import { loadConfigText } from '../../src/config/load.ts';
import { Logger } from '../../src/log.ts';
import { type HttpServerHandle, resolveHttpOptions, startHttpServer } from '../../src/server/http.ts';
import { runCli, runInProcess, writeConfig } from '../helpers/cli.ts';
import { PROTOCOL, YAML, connect, post, rawSession, startHttp, waitForHealth } from './http-helpers.ts';

/** The HTTP server in-process, for what runs on fake time (the session sweeper is a setInterval reading Date.now()). */
function startInProcess(sessionTtlMs: number): Promise<HttpServerHandle> {
  const config = loadConfigText('/virtual/agents.yaml', YAML, { env: {} });
  const log = new Logger({ level: 'error', format: 'text', write: () => {} });
  return startHttpServer({ runner: new Runtime(config, { log }), log }, { ...resolveHttpOptions({}, { port: 0 }), sessionTtlMs }, log);
}

test('SIGTERM with a call in flight: the client gets an error, sessions close, exit 0 without waiting for the call', async () => {
  const server = await startHttp();
  const c = await connect(server.url);
  const idle = await connect(server.url); // a second session, with its GET stream open
  let progressed!: () => void;
  const started = new Promise<void>((r) => (progressed = r));
  const call = c.client.callTool({ name: 'stuck', arguments: { word: 'x' } }, undefined, {
    onprogress: () => progressed(),
    timeout: 30_000,
  });
  const outcome = call.then(
    () => 'answered',
    (err: Error) => err.message,
  );
  await started;
  const t0 = Date.now();
  server.child.kill('SIGTERM');
  const code = await server.exited;
  const took = Date.now() - t0;
  assert.equal(code, 0);
  // The call would take 20 s; shutdown waits at most 2 s for answers to drain (a generous bound for a loaded machine).
  assert.ok(took < 15_000, `exit took ${took} ms`);
  assert.equal(await outcome, 'MCP error -32000: agent-mcp is shutting down: the call was cancelled');
  assert.match(server.stderr(), /agent-mcp info: stopping: SIGTERM\n/);
  await c.client.close();
  await idle.client.close();
});

test('SIGINT with nothing in flight exits 0 at once', async () => {
  const server = await startHttp();
  await rawSession(server.url);
  const t0 = Date.now();
  server.child.kill('SIGINT');
  assert.equal(await server.exited, 0);
  assert.ok(Date.now() - t0 < 10_000, 'nothing held the process (a generous bound for a loaded machine)');
});

test('idle sessions expire after --session-ttl', async () => {
  // The flag reaches the server: without it the session would stay for the default 30 minutes. (When exactly a
  // session expires is checked on fake time below.)
  const server = await startHttp(['--session-ttl', '300ms']);
  try {
    const id = await rawSession(server.url);
    assert.deepEqual(await waitForHealth(server.origin, (h) => h.sessions === 0, 10_000), { status: 'ok', sessions: 0, inflight: 0 });
    const res = await post(server.url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), {
      'Mcp-Session-Id': id,
      'Mcp-Protocol-Version': PROTOCOL,
    });
    assert.equal(res.status, 404);
  } finally {
    await server.stop();
  }
});

test('on fake time: a session expires once idle for the TTL, and not while a call of its is in flight', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval', 'Date'] });
  const server = await startInProcess(1000);
  try {
    const idle = await rawSession(server.url);
    t.mock.timers.tick(900);
    assert.equal(server.stats().sessions, 1);
    t.mock.timers.tick(400); // past the TTL, and a sweep (every 250 ms) has run
    assert.equal(server.stats().sessions, 0);
    const gone = await post(server.url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), {
      'Mcp-Session-Id': idle,
      'Mcp-Protocol-Version': PROTOCOL,
    });
    assert.equal(gone.status, 404);

    // A call of 20 s (real time, never reached: it is cancelled) keeps its session through ten TTLs of silence.
    const c = await connect(server.url);
    const cancel = new AbortController();
    const call = c.client.callTool({ name: 'stuck', arguments: { word: 'x' } }, undefined, { signal: cancel.signal }).then(
      () => 'answered',
      (err: Error) => err.message,
    );
    while (server.stats().inflight === 0) await new Promise((resolve) => setImmediate(resolve));
    t.mock.timers.tick(10_000);
    assert.deepEqual([server.stats().sessions, server.stats().inflight], [1, 1]);
    cancel.abort(new Error('enough'));
    assert.equal(await call, 'MCP error -32001: Error: enough'); // (the SDK client's words for its own cancel)
    while (server.stats().inflight > 0) await new Promise((resolve) => setImmediate(resolve));
    // The session still answers, then expires a TTL after its last activity.
    assert.deepEqual(
      (await c.client.listTools()).tools.map((tool) => tool.name),
      ['echo', 'slow', 'stuck'],
    );
    t.mock.timers.tick(1300);
    assert.equal(server.stats().sessions, 0);
    await c.client.close();
  } finally {
    await server.stop();
  }
});

test('--stateless: concurrent clients, each POST on its own, no sessions held', async () => {
  const server = await startHttp(['--stateless']);
  try {
    const clients = await Promise.all(Array.from({ length: 8 }, () => connect(server.url)));
    assert.ok(clients.every((c) => c.transport.sessionId === undefined));
    const words = clients.flatMap((_, i) => [`w${i}a`, `w${i}b`, `w${i}c`]);
    const results = await Promise.all(
      words.map(
        (word, i) =>
          clients[i % clients.length]!.client.callTool({
            name: i % 3 === 0 ? 'slow' : 'echo',
            arguments: { word },
          }) as Promise<CallToolResult>,
      ),
    );
    results.forEach((r, i) => {
      const expected = i % 3 === 0 ? `test model received: wait for ${words[i]}` : `test model received: say ${words[i]}`;
      assert.deepEqual(r.content, [{ type: 'text', text: expected }]);
    });
    assert.deepEqual(await waitForHealth(server.origin, (h) => h.inflight === 0), { status: 'ok', sessions: 0, inflight: 0 });
    const get = await fetch(server.url, { headers: { Accept: 'text/event-stream' } });
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    assert.deepEqual(await get.json(), {
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Method not allowed: this server is stateless (POST only).' },
      id: null,
    });
    await Promise.all(clients.map((c) => c.client.close()));
  } finally {
    await server.stop();
  }
});

test('--stateless with a sampling model says at start-up what will not work', async () => {
  const yaml =
    'models:\n  t: { provider: test }\ntools:\n  a:\n    model: [sampling, t]\n    prompt: hi\n  b:\n    model: t\n    prompt: hi\n';
  const server = await startHttp(['--stateless'], { yaml });
  try {
    assert.match(
      server.stderr(),
      /agent-mcp warning: stateless mode: 2025-era clients cannot be sampled \(the client's own model needs a session\); tools a will use the next model of their chain for them, or fail if there is none\n/,
    );
    assert.match(
      server.stderr(),
      /agent-mcp notice: no --state-secret: a 2026-07-28 client answering a sampling round trip must come back to this process \(give every replica the same AGENT_MCP_STATE_SECRET to let any of them resume it\)\n/,
    );
    const c = await connect(server.url, {}, { sampling: {} });
    const result = (await c.client.callTool({ name: 'a', arguments: {} })) as CallToolResult;
    assert.deepEqual(result.content, [{ type: 'text', text: 'test model received: hi' }]);
    await c.client.close();
  } finally {
    await server.stop();
  }
});

test('the server.http block of the file applies; flags override it', async () => {
  const yaml = 'server:\n  http:\n    path: /agents\n    port: 1\n    maxSessions: 1\ntools:\n  a:\n    model: test\n    prompt: hi\n';
  const server = await startHttp(['--path', '/x'], { yaml }); // --port 0 (from the helper) overrides port: 1
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/x$/);
    await rawSession(server.url);
    const res = await post(
      server.url,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'x', version: '1' } },
      }),
    );
    assert.equal(res.status, 503);
  } finally {
    await server.stop();
  }
});

test('start-up errors: a port in use, HTTP flags without --http, bad flag values', async () => {
  const file = writeConfig('tools:\n  a:\n    model: test\n    prompt: hi\n');
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
  const port = (busy.address() as { port: number }).port;
  try {
    const inUse = await runCli(['serve', file, '--http', '--port', String(port)]);
    assert.deepEqual([inUse.code, inUse.stderr], [1, `cannot listen on 127.0.0.1:${port}: the address is already in use\n`]);
  } finally {
    busy.close();
  }
  const noHttp = await runInProcess(['serve', file, '--port', '3000']);
  assert.deepEqual([noHttp.code, noHttp.stderr], [2, 'serve: --port only applies with --http\n']);
  const badPort = await runInProcess(['serve', file, '--http', '--port', '70000']);
  assert.equal(badPort.code, 2);
  assert.match(badPort.stderr, /^error: option '--port <n>' argument '70000' is invalid\. expected a whole number from 0 to 65535\n/);
  const badTtl = await runInProcess(['serve', file, '--http', '--session-ttl', 'soon']);
  assert.equal(badTtl.code, 2);
  assert.match(
    badTtl.stderr,
    /^error: option '--session-ttl <duration>' argument 'soon' is invalid\. not a duration: "soon" \(use e\.g\. 90s, 5m, 500ms\)\n/,
  );
});
