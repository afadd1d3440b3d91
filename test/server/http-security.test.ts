// `serve --http` guards: Origin and Host checks, the bearer token, the body limit, the session cap.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { cleanEnv } from '../helpers/cli.ts';
import { connect, disconnect, health, initializeBody, post, rawSession, startHttp, waitForHealth, type Running } from './http-helpers.ts';

const errorBody = (code: number, message: string) => ({ jsonrpc: '2.0', error: { code, message }, id: null });

/** fetch will not let a caller set Host: use node:http for that one. */
function postWithHost(url: string, host: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { Host: host, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

describe('Origin and Host', () => {
  let server: Running;
  before(async () => {
    server = await startHttp(['--allow-origin', 'https://app.example.com']);
  });
  after(async () => {
    await server.stop();
  });

  test('a foreign Origin gets 403', async () => {
    const res = await post(server.url, initializeBody(), { Origin: 'https://evil.example' });
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), errorBody(-32000, 'Forbidden: Origin not allowed: https://evil.example'));
    const nul = await post(server.url, initializeBody(), { Origin: 'null' });
    assert.equal(nul.status, 403);
  });

  test('localhost origins are allowed by default, --allow-origin adds one, and both get CORS headers', async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8080', 'https://app.example.com']) {
      const res = await post(server.url, initializeBody(), { Origin: origin });
      assert.equal(res.status, 200, origin);
      assert.equal(res.headers.get('access-control-allow-origin'), origin);
      assert.match(res.headers.get('access-control-expose-headers') ?? '', /Mcp-Session-Id/);
      await res.text();
      await fetch(server.url, { method: 'DELETE', headers: { 'Mcp-Session-Id': res.headers.get('mcp-session-id')! } });
    }
    const preflight = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Mcp-Session-Id, Mcp-Protocol-Version, Mcp-Method, Mcp-Name/);
  });

  test('a Host that is not this server is refused (DNS rebinding)', async () => {
    const bad = await postWithHost(server.url, 'attacker.example:80', initializeBody());
    assert.equal(bad.status, 403);
    assert.deepEqual(JSON.parse(bad.body), errorBody(-32000, 'Forbidden: Host not allowed: attacker.example:80'));
    const port = new URL(server.url).port;
    const good = await postWithHost(server.url, `localhost:${port}`, initializeBody());
    assert.equal(good.status, 200);
  });
});

describe('bearer token', () => {
  let server: Running;
  before(async () => {
    // From the environment, as a deployment would set it.
    server = await startHttp([], { env: cleanEnv({ AGENT_MCP_TOKEN: 'tok-correct-horse' }) });
  });
  after(async () => {
    await server.stop();
  });

  test('a missing token gets 401 with WWW-Authenticate', async () => {
    const res = await post(server.url, initializeBody());
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="agent-mcp"');
    assert.deepEqual(await res.json(), errorBody(-32000, 'Unauthorized: missing bearer token'));
  });

  test('a wrong token gets 401 invalid_token', async () => {
    for (const auth of ['Bearer tok-correct-horsf', 'Bearer tok', 'Basic dG9rLWNvcnJlY3QtaG9yc2U=']) {
      const res = await post(server.url, initializeBody(), { Authorization: auth });
      assert.equal(res.status, 401, auth);
      const expected = auth.startsWith('Bearer') ? 'Unauthorized: invalid bearer token' : 'Unauthorized: missing bearer token';
      assert.deepEqual(await res.json(), errorBody(-32000, expected));
    }
    const res = await post(server.url, initializeBody(), { Authorization: 'Bearer nope' });
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="agent-mcp", error="invalid_token"');
  });

  test('the right token works through the SDK client; /healthz needs none', async () => {
    const c = await connect(server.url, { Authorization: 'Bearer tok-correct-horse' });
    const result = (await c.client.callTool({ name: 'echo', arguments: { word: 'open' } })) as CallToolResult;
    assert.deepEqual(result.content, [{ type: 'text', text: 'test model received: say open' }]);
    await disconnect(c);
    assert.equal((await health(server.origin)).status, 'ok');
    assert.ok(!server.stderr().includes('tok-correct-horse'));
  });
});

describe('limits', () => {
  let server: Running;
  before(async () => {
    server = await startHttp(['--max-sessions', '3']);
  });
  after(async () => {
    await server.stop();
  });

  test('a 5 MiB body gets 413 (the default limit is 4 MiB)', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { pad: 'x'.repeat(5 * 1024 * 1024) } });
    const res = await post(server.url, big);
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), errorBody(-32000, 'Payload Too Large: Request body must not exceed 4194304 bytes'));
    // Just under the limit is read (and then refused for what it is, not its size).
    const fits = await post(
      server.url,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(4 * 1024 * 1024 - 100) } }),
    );
    assert.equal(fits.status, 400);
    await fits.text();
  });

  test('beyond --max-sessions: 503, and room again once one ends', async () => {
    const ids = [await rawSession(server.url), await rawSession(server.url), await rawSession(server.url)];
    const res = await post(server.url, initializeBody());
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), errorBody(-32000, 'Service Unavailable: too many sessions (at most 3)'));
    await fetch(server.url, { method: 'DELETE', headers: { 'Mcp-Session-Id': ids.pop()! } });
    ids.push(await rawSession(server.url));
    for (const id of ids) await fetch(server.url, { method: 'DELETE', headers: { 'Mcp-Session-Id': id } });
    assert.equal((await waitForHealth(server.origin, (h) => h.sessions === 0)).sessions, 0);
  });
});

test('--body-limit sets the limit', async () => {
  const server = await startHttp(['--body-limit', '1kb']);
  try {
    const res = await post(server.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { pad: 'x'.repeat(2000) } }));
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), errorBody(-32000, 'Payload Too Large: Request body must not exceed 1024 bytes'));
  } finally {
    await server.stop();
  }
});

test('sessions opened and closed, four times --max-sessions of them, leave zero sessions held', async () => {
  // A session that was not released would count against the cap: the 26th leak would be refused with 503 (10
  // clients at a time stay below it even while the last ones' bookkeeping lags).
  const server = await startHttp(['--max-sessions', '25']);
  try {
    let opened = 0;
    // 10 clients at a time, each a full SDK session: initialize, initialized, its GET stream, DELETE.
    const worker = async () => {
      while (opened < 100) {
        opened++;
        const c = await connect(server.url);
        await disconnect(c);
      }
    };
    await Promise.all(Array.from({ length: 10 }, worker));
    assert.equal(opened, 100);
    assert.deepEqual(await waitForHealth(server.origin, (h) => h.sessions === 0), { status: 'ok', sessions: 0, inflight: 0 });
  } finally {
    await server.stop();
  }
});

test('a non-loopback bind without a token warns, and prints a URL a local client can use as is', async () => {
  const server = await startHttp(['--host', '0.0.0.0']);
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    await waitForHealth(server.origin, () => true);
    const session = await connect(server.url);
    assert.deepEqual(
      (await session.client.listTools()).tools.map((t) => t.name),
      ['echo', 'slow', 'stuck'],
    );
    await disconnect(session);
    assert.match(
      server.stderr(),
      /agent-mcp warning: listening on 0\.0\.0\.0, beyond this machine, without a token: anyone who can reach the port can call the tools \(set --auth-token or AGENT_MCP_TOKEN\)\n/,
    );
  } finally {
    await server.stop();
  }
});
