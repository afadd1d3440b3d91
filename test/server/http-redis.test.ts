// `serve --http --redis URL` against a real redis-server: resumable streams kept in Redis, /healthz and new
// requests saying plainly when Redis is away (503, nothing hangs), service back without a restart, the password
// never shown, and the Redis client loaded only when asked for.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Logger } from '../../src/log.ts';
import { openRedis, type RedisConnection } from '../../src/stores/redis.ts';
import { cjsLoadRecorder, cleanEnv, runInProcess, writeConfig } from '../helpers/cli.ts';
import { redisSkip, startRedis, type RedisServer } from '../helpers/redis.ts';
import {
  PROTOCOL,
  connect,
  disconnect,
  initializeBody,
  post,
  rawSession,
  sseEvents,
  startHttp,
  waitForHealth,
  type Running,
} from './http-helpers.ts';

interface Health {
  status: string;
  sessions: number;
  inflight: number;
  redis?: string;
}

async function healthOf(origin: string): Promise<{ code: number; body: Health }> {
  const res = await fetch(`${origin}/healthz`);
  return { code: res.status, body: (await res.json()) as Health };
}

/** Poll /healthz until it says what the test waits for (Redis's comings and goings are not ours to time); bounded. */
async function healthUntil(
  origin: string,
  ok: (h: { code: number; body: Health }) => boolean,
  ms = 5000,
): Promise<{ code: number; body: Health }> {
  const end = Date.now() + ms;
  for (;;) {
    const h = await healthOf(origin);
    if (ok(h)) return h;
    if (Date.now() > end) throw new Error(`/healthz never got there: ${JSON.stringify(h)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A NODE_OPTIONS that records every CommonJS file the child compiles (the vendor bundles are CommonJS). */
const usesIoredis = (files: string[]) => files.some((f) => f.endsWith('/dist/vendor/ioredis.cjs'));

describe('serve --http --redis', { skip: redisSkip }, () => {
  let redis: RedisServer;
  let server: Running;
  let peek: RedisConnection;
  const recorder = cjsLoadRecorder();
  before(async () => {
    redis = await startRedis();
    server = await startHttp(['--redis', redis.url], { env: cleanEnv({ NODE_OPTIONS: recorder.nodeOptions }) });
    peek = await openRedis(redis.url, new Logger({ level: 'error', format: 'text', write: () => {} }));
  });
  after(async () => {
    await server?.stop();
    await peek?.close();
    await redis?.stop();
  });

  test('/healthz says Redis is there; the Redis client was loaded for it', async () => {
    const h = await healthUntil(server.origin, (x) => x.code === 200);
    assert.deepEqual(h.body, { status: 'ok', sessions: 0, inflight: 0, redis: 'ok' });
    assert.ok(usesIoredis(recorder.loaded()), 'dist/vendor/ioredis.cjs loaded');
  });

  test('a client reconnecting with Last-Event-ID gets what it missed, from Redis', async () => {
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
    const seen: { id?: string; data: string }[] = [];
    for await (const event of sseEvents(res)) {
      seen.push(event);
      if (event.data.includes('step 1/10: thinking')) break;
    }
    abort.abort();
    const lastId = seen[1]!.id!;
    assert.match(lastId, /_[1-9]\d*$/);
    await waitForHealth(server.origin, (h) => h.inflight === 0);
    // The events are in Redis, under the session's own namespace.
    const keys = await peek.client.keys('agent-mcp:events:{*}');
    assert.equal(keys.length, 1, keys.join());
    assert.ok((await peek.client.llen(keys[0]!)) >= 3);

    const resumed = await fetch(server.url, { headers: { ...headers, Accept: 'text/event-stream', 'Last-Event-ID': lastId } });
    assert.equal(resumed.status, 200);
    let answer: { id?: number; result?: CallToolResult } | undefined;
    for await (const event of sseEvents(resumed)) {
      const message = JSON.parse(event.data) as { id?: number; result?: CallToolResult };
      if (message.id === 7) {
        answer = message;
        break;
      }
    }
    await resumed.body?.cancel().catch(() => {});
    assert.deepEqual(answer!.result!.content, [{ type: 'text', text: 'test model received: wait for rain' }]);
    await fetch(server.url, { method: 'DELETE', headers });
  });

  test('Redis away: /healthz 503 and new requests 503 with the reason, at once; back: served again, no restart', async () => {
    const reason = `Redis unavailable at ${redis.url}: connection refused`;
    await redis.kill();
    const down = await healthUntil(server.origin, (h) => h.body.redis === reason);
    assert.equal(down.code, 503);
    assert.deepEqual(down.body, { status: 'degraded', sessions: 0, inflight: 0, redis: reason });
    const res = await post(server.url, initializeBody());
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '5');
    assert.deepEqual(await res.json(), { jsonrpc: '2.0', error: { code: -32000, message: `Service Unavailable: ${reason}` }, id: null });
    assert.match(
      server.stderr(),
      new RegExp(`agent-mcp warning: redis: (lost the connection to ${redis.url}; reconnecting|${redis.url}: connection refused)`),
    );

    await redis.start();
    const up = await healthUntil(server.origin, (h) => h.code === 200);
    assert.deepEqual(up.body, { status: 'ok', sessions: 0, inflight: 0, redis: 'ok' });
    assert.match(server.stderr(), new RegExp(`agent-mcp info: redis: connected again to ${redis.url}\\n`));
    const c = await connect(server.url);
    const result = (await c.client.callTool({ name: 'echo', arguments: { word: 'back' } })) as CallToolResult;
    assert.deepEqual(result.content, [{ type: 'text', text: 'test model received: say back' }]);
    await disconnect(c);
  });
});

describe('--redis, bad and secret', () => {
  test('without --http, or not a redis URL: a usage error (exit 2)', async () => {
    const file = writeConfig('tools:\n  t: { prompt: hi, model: test }\n');
    const stdio = await runInProcess(['serve', file, '--redis', 'redis://127.0.0.1:6379']);
    assert.equal(stdio.code, 2);
    assert.equal(stdio.stderr, 'serve: --redis only applies with --http\n');
    const bad = await runInProcess(['serve', file, '--http', '--port', '0', '--redis', 'http://user:hunter22@cache.example']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, '--redis: expected a redis:// or rediss:// URL, got http://\n');
  });

  test('server.http.redis in the file is checked where it is written', async () => {
    const file = writeConfig('server:\n  http:\n    redis: localhost:6379\ntools:\n  t: { prompt: hi, model: test }\n');
    const run = await runInProcess(['validate', file]);
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr,
      `${file}:3:12: server.http.redis: expected a redis:// or rediss:// URL such as redis://127.0.0.1:6379, got "localhost:6379"\n`,
    );
  });

  test('the password never shows, even when Redis refuses it', { skip: redisSkip }, async () => {
    const redis = await startRedis({ password: 'another-one' });
    const url = `redis://:hunter2-secret@127.0.0.1:${redis.port}`;
    const server = await startHttp(['--redis', url]);
    try {
      // Redis wants another password, so AUTH fails: the reason is Redis's, the URL is shown without the password.
      const h = await healthUntil(
        server.origin,
        (x) => x.body.redis !== undefined && x.body.redis !== 'ok' && !x.body.redis.endsWith(': connecting'),
      );
      assert.equal(h.code, 503);
      assert.match(h.body.redis!, new RegExp(`^Redis unavailable at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}: `));
      assert.ok(!server.stderr().includes('hunter2-secret'), server.stderr());
      assert.ok(!JSON.stringify(h.body).includes('hunter2-secret'));
    } finally {
      await server.stop();
      await redis.stop();
    }
  });

  test('serve --http without --redis never loads the Redis client', async () => {
    const recorder = cjsLoadRecorder();
    const server = await startHttp([], { env: cleanEnv({ NODE_OPTIONS: recorder.nodeOptions }) });
    try {
      const c = await connect(server.url);
      await c.client.callTool({ name: 'echo', arguments: { word: 'x' } });
      await disconnect(c);
      // The same recorder sees the bundle load with --redis (the first suite): here it must not.
      assert.ok(!usesIoredis(recorder.loaded()), 'dist/vendor/ioredis.cjs not loaded');
    } finally {
      await server.stop();
    }
  });
});
