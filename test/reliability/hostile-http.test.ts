// The HTTP server in-process on a real loopback port: seeded hostile JSON-RPC in both eras (each readable request
// answered once, never with a success), and the socket limits (a cap answered 503, idle sockets closed early).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect as connectTcp, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { Runtime } from '../../src/agent/runtime.ts';
import { loadConfigText } from '../../src/config/load.ts';
import { Logger } from '../../src/log.ts';
import { type HttpServerHandle, resolveHttpOptions, startHttpServer } from '../../src/server/http.ts';
import type { HttpOptions } from '../../src/server/http/options.ts';
import { ENVELOPE, ECHO_AND_STUCK_YAML as YAML, hostileLines, isSuccess, responsesById } from './hostile.ts';

const logs: string[] = [];

async function start(extra: Partial<HttpOptions> = {}): Promise<HttpServerHandle> {
  const config = loadConfigText('/virtual/agents.yaml', YAML, { env: {} });
  const log = new Logger({ level: 'info', format: 'text', write: (line) => logs.push(line) });
  const runner = new Runtime(config, { log });
  return startHttpServer({ runner, log }, { ...resolveHttpOptions({}, { port: 0 }), ...extra }, log);
}

interface Reply {
  status: number;
  /** JSON-RPC messages in the body (one JSON value, or the data of SSE events). */
  messages: unknown[];
  headers: Record<string, string | string[] | undefined>;
}

/** One raw POST (no keep-alive pool, so every request is on its own connection). */
function post(url: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          const messages: unknown[] = [];
          if ((res.headers['content-type'] ?? '').includes('text/event-stream')) {
            for (const line of text.split('\n')) if (line.startsWith('data: ') && line.length > 6) messages.push(JSON.parse(line.slice(6)));
          } else if (text) {
            const value = JSON.parse(text) as unknown;
            messages.push(...(Array.isArray(value) ? value : [value]));
          }
          resolve({ status: res.statusCode ?? 0, messages, headers: res.headers });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The headers a 2026-07-28 client sends beside its body (the SDK checks they agree), as far as the body says. */
function modernHeaders(body: Buffer | string): Record<string, string> {
  const headers: Record<string, string> = { 'mcp-protocol-version': '2026-07-28' };
  try {
    const m = JSON.parse(body.toString()) as { method?: unknown; params?: { name?: unknown } };
    if (typeof m.method === 'string' && /^[\x21-\x7e]+$/.test(m.method)) headers['mcp-method'] = m.method;
    const name = m.params?.name;
    if (typeof name === 'string' && /^[\x21-\x7e]{1,200}$/.test(name)) headers['mcp-name'] = name;
  } catch {}
  return headers;
}

let server: HttpServerHandle;
before(async () => {
  // A dropped POST stream is given 50 ms to be resumed (5 s by default) before its call is cancelled.
  server = await start({ resumeGraceMs: 50 });
});
after(() => server.stop());

for (const era of ['2025', 'modern'] as const) {
  test(`http (${era} era): 300 seeded hostile bodies, one response per request, never a success, still serving`, async () => {
    const modern = era === 'modern';
    const headers: Record<string, string> = {};
    if (!modern) {
      const init = await post(
        server.url,
        JSON.stringify({
          jsonrpc: '2.0',
          id: 'init',
          method: 'initialize',
          params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'hostile', version: '1' } },
        }),
      );
      assert.equal(init.status, 200);
      headers['mcp-session-id'] = init.headers['mcp-session-id'] as string;
      headers['mcp-protocol-version'] = '2025-11-25';
      await post(server.url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), headers);
    }
    const lines = hostileLines(modern ? 21 : 22, 300, { modern, toolName: 'echo' });
    // Eight clients at a time, each body on its own connection.
    const check = async (line: (typeof lines)[number]) => {
      // A duplicate-id line is two messages: on HTTP, two POSTs.
      const bodies = line.kind === 'duplicate-id' ? line.bytes.toString().split('\n') : [line.bytes];
      const replies = await Promise.all(bodies.map((b) => post(server.url, b, modern ? { ...headers, ...modernHeaders(b) } : headers)));
      const why = `${line.kind}: ${line.bytes.toString().slice(0, 200)}`;
      for (const reply of replies) {
        assert.ok(reply.status < 500, `${why}: HTTP ${reply.status}`);
        for (const m of reply.messages) assert.ok(!isSuccess(m), `${why}: a success: ${JSON.stringify(m).slice(0, 300)}`);
      }
      const byId = responsesById(replies.flatMap((r) => r.messages));
      for (const id of new Set(line.ids)) {
        const want = line.ids.filter((i) => i === id).length;
        const got = byId.get(JSON.stringify(id))?.length ?? 0;
        // A body the transport refuses as a whole is answered with one error (id null) instead of by id.
        const refused = replies.every((r) => r.status >= 400 && r.messages.length === 1);
        assert.ok(got === want || (got === 0 && refused), `${why}: ${want} request(s) with id ${id}, ${got} response(s)`);
      }
    };
    for (let i = 0; i < lines.length; i += 8) await Promise.all(lines.slice(i, i + 8).map(check));
    const meta = modern ? { _meta: ENVELOPE } : {};
    const last = await post(
      server.url,
      JSON.stringify({ jsonrpc: '2.0', id: 'last', method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' }, ...meta } }),
      modern ? { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' } : headers,
    );
    assert.equal(last.status, 200);
    assert.ok(isSuccess(last.messages[0]), JSON.stringify(last.messages));
    assert.doesNotMatch(logs.join('\n'), /\n\s+at /, 'no stack trace in the log');
  });
}

function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connectTcp(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('connections over the cap are answered 503 and closed; under it again, served', async (t) => {
  const capped = await start({ maxConnections: 3 });
  t.after(() => capped.stop());
  const health = new URL('/healthz', capped.url).href;
  const idle = await Promise.all([1, 2, 3].map(() => openSocket(capped.url)));
  const over = await get(health);
  assert.deepEqual(over, {
    status: 503,
    body: JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Service Unavailable: too many connections' }, id: null }),
  });
  await Promise.all(idle.map((s) => new Promise<void>((r) => s.end(() => r()))));
  // The server sees the closes asynchronously: poll until a connection is accepted again (bounded by the test).
  for (;;) {
    const res = await get(health);
    if (res.status === 200) break;
    await new Promise((r) => setImmediate(r));
  }
});

test('a socket that never sends a request is closed by the server (headers timeout), not held for 90 s', async (t) => {
  const quick = await start({ headersTimeoutMs: 100 });
  t.after(() => quick.stop());
  const socket = await openSocket(quick.url);
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString()));
  // Node answers a timed-out request with 408 and closes; the test waits for the close (its own timeout bounds it).
  await new Promise((resolve) => socket.once('close', resolve));
  assert.match(received, /^HTTP\/1\.1 408 Request Timeout/);
});

test('stateful HTTP: a client that drops its POST mid-call and does not resume it gets the call cancelled; the session can expire', async () => {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
  const init = await post(
    server.url,
    JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'dropper', version: '1' } },
    }),
  );
  const session = { ...headers, 'mcp-session-id': init.headers['mcp-session-id'] as string, 'mcp-protocol-version': '2025-11-25' };
  await post(server.url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), session);
  const before = logs.length;
  const req = request(server.url, { method: 'POST', agent: false, headers: session });
  req.on('error', () => {});
  const started = new Promise<void>((resolve) => req.once('response', () => resolve()));
  req.end(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'stuck', arguments: { text: 'x' } } }));
  await started; // the SSE stream is open: the call is running
  req.destroy();
  // The provider waits 20 s; the call ends now, cancelled (the test's own timeout bounds the wait).
  while (!logs.slice(before).some((l) => l.includes('tool=stuck'))) await new Promise((r) => setTimeout(r, 10));
  assert.match(logs.slice(before).join(''), /agent-mcp info: call tool=stuck ms=\d+ status=cancelled/);
  const health = JSON.parse((await get(new URL('/healthz', server.url).href)).body) as { inflight: number };
  assert.equal(health.inflight, 0, 'nothing in flight keeps the session from expiring');
});
