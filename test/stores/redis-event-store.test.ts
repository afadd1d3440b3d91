// The Redis EventStore against a real redis-server: the in-memory store's contract (replay after an id, one stream
// only, bounded by count and bytes), a TTL, isolation between namespaces; and Redis going away: a clear error at
// once (nothing hangs), then service again without a restart.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { Logger } from '../../src/log.ts';
import { openRedis, parseRedisUrl, shownUrl, type RedisConnection } from '../../src/stores/redis.ts';
import { RedisEventStore } from '../../src/stores/redis-event-store.ts';
import { redisSkip, startRedis, type RedisServer } from '../helpers/redis.ts';

const note = (n: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/progress',
  params: { progressToken: 1, progress: n },
});

async function replay(store: RedisEventStore, after: string): Promise<[string, string[]]> {
  const sent: string[] = [];
  const stream = await store.replayEventsAfter(after, {
    send: async (id, message) => void sent.push(`${id}=${JSON.stringify((message as { params?: unknown }).params ?? message)}`),
  });
  return [stream, sent];
}

let n = 0;
const namespace = () => `test-${process.pid}-${++n}`;

/** Poll (bounded) until the connection's state is what the test waits for: Redis's state changes are not ours to time. */
async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('RedisEventStore', { skip: redisSkip }, () => {
  let server: RedisServer;
  let redis: RedisConnection;
  const logs: string[] = [];
  before(async () => {
    server = await startRedis();
    const log = new Logger({ level: 'info', format: 'text', write: (line) => void logs.push(line) });
    redis = await openRedis(server.url, log, { commandTimeoutMs: 500, maxReconnectDelayMs: 100 });
    await until('the first connection', () => redis.problem() === undefined);
  });
  after(async () => {
    await redis?.close();
    await server?.stop();
  });

  test('replays only the events of the same stream after the given id, without priming events', async () => {
    const store = new RedisEventStore(redis, namespace());
    const priming = await store.storeEvent('s1', {} as JSONRPCMessage);
    const a = await store.storeEvent('s1', note(1));
    await store.storeEvent('s2', note(99));
    await store.storeEvent('s1', note(2));
    await store.storeEvent('s1', note(3));
    assert.equal(priming, 's1_1');
    assert.equal(await store.getStreamIdForEventId(a), 's1');
    assert.deepEqual(await replay(store, a), ['s1', ['s1_4={"progressToken":1,"progress":2}', 's1_5={"progressToken":1,"progress":3}']]);
    assert.deepEqual(await replay(store, priming), [
      's1',
      ['s1_2={"progressToken":1,"progress":1}', 's1_4={"progressToken":1,"progress":2}', 's1_5={"progressToken":1,"progress":3}'],
    ]);
  });

  test('another process (another connection) with the same namespace replays the same events', async () => {
    const ns = namespace();
    const first = await new RedisEventStore(redis, ns).storeEvent('s', note(1));
    await new RedisEventStore(redis, ns).storeEvent('s', note(2));
    const log = new Logger({ level: 'error', format: 'text', write: () => {} });
    const other = await openRedis(server.url, log);
    try {
      await until('the second connection', () => other.problem() === undefined);
      assert.deepEqual(await replay(new RedisEventStore(other, ns), first), ['s', ['s_2={"progressToken":1,"progress":2}']]);
      // ...and nothing of another namespace.
      assert.equal(await new RedisEventStore(other, namespace()).getStreamIdForEventId(first), undefined);
    } finally {
      await other.close();
    }
  });

  test('unknown or future ids name no stream', async () => {
    const store = new RedisEventStore(redis, namespace());
    await store.storeEvent('s1', note(1));
    for (const id of ['nope', 's1_2', 's1_0', 's1_x', '_1']) assert.equal(await store.getStreamIdForEventId(id), undefined, id);
    await assert.rejects(store.replayEventsAfter('s1_9', { send: async () => {} }), /^Error: unknown event id s1_9$/);
  });

  test('bounded by count and by bytes: the oldest events go first', async () => {
    const byCount = new RedisEventStore(redis, namespace(), { maxEvents: 3, maxBytes: 1e9, ttlMs: 60_000 });
    for (let i = 1; i <= 200; i++) await byCount.storeEvent('s', note(i));
    assert.equal((await byCount.size()).events, 3);
    assert.deepEqual(
      (await replay(byCount, 's_1'))[1].map((e) => e.split('=')[0]),
      ['s_198', 's_199', 's_200'],
    );

    const byBytes = new RedisEventStore(redis, namespace(), { maxEvents: 1000, maxBytes: 1000, ttlMs: 60_000 });
    for (let i = 1; i <= 100; i++) await byBytes.storeEvent('s', note(i));
    const size = await byBytes.size();
    assert.ok(size.bytes <= 1000, `${size.bytes} bytes`);
    assert.ok(size.events >= 10 && size.events < 100, `${size.events} events`);
    // One event bigger than the budget is still kept (it is the newest), alone.
    await byBytes.storeEvent('s', { jsonrpc: '2.0', method: 'big', params: { pad: 'x'.repeat(5000) } });
    assert.equal((await byBytes.size()).events, 1);
  });

  test('every event refreshes the TTL of the namespace’s keys', async () => {
    const ns = namespace();
    const store = new RedisEventStore(redis, ns, { maxEvents: 10, maxBytes: 1e6, ttlMs: 90_000 });
    await store.storeEvent('s', note(1));
    for (const key of [`agent-mcp:events:{${ns}}`, `agent-mcp:meta:{${ns}}`]) {
      const ttl = await redis.client.pttl(key);
      assert.ok(ttl > 80_000 && ttl <= 90_000, `${key}: ${ttl}`);
    }
  });

  test('Redis down: a clear error at once; back: service resumes without a restart', async () => {
    const store = new RedisEventStore(redis, namespace());
    const before = await store.storeEvent('s', note(1));
    await server.kill();
    await until('the connection to be refused', () => redis.problem() === 'connection refused');
    await assert.rejects(store.storeEvent('s', note(2)), {
      name: 'RedisUnavailableError',
      message: `Redis unavailable at ${server.url}: connection refused`,
    });
    await assert.rejects(store.getStreamIdForEventId(before), { message: `Redis unavailable at ${server.url}: connection refused` });
    assert.match(
      logs.join(''),
      new RegExp(`agent-mcp warning: redis: (lost the connection to ${server.url}; reconnecting|${server.url}: connection refused)`),
    );

    await server.start(); // empty: a Redis without persistence lost its events, and no longer knows the script
    await until('the connection to come back', () => redis.problem() === undefined);
    assert.match(logs.join(''), new RegExp(`agent-mcp info: redis: connected again to ${server.url}\\n`));
    const fresh = new RedisEventStore(redis, namespace());
    const first = await fresh.storeEvent('s', note(1));
    await fresh.storeEvent('s', note(2));
    assert.deepEqual(await replay(fresh, first), ['s', ['s_2={"progressToken":1,"progress":2}']]);
    // The events stored before the outage went with that Redis: their ids are unknown now, not a hang or a crash.
    assert.equal(await store.getStreamIdForEventId(before), undefined);
  });

  test('a Redis that stops answering: the command fails after the command timeout, then works again', async () => {
    const store = new RedisEventStore(redis, namespace());
    await store.storeEvent('s', note(1));
    const pid = server.pid();
    process.kill(pid, 'SIGSTOP');
    try {
      await assert.rejects(store.storeEvent('s', note(2)), {
        name: 'RedisUnavailableError',
        message: `Redis unavailable at ${server.url}: no reply within 500 ms`,
      });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await until('the connection to be usable', () => redis.problem() === undefined);
    const id = await store.storeEvent('s', note(3));
    assert.match(id, /^s_\d+$/);
  });
});

describe('the Redis URL', () => {
  test('a password never shows', () => {
    assert.equal(shownUrl(parseRedisUrl('redis://user:s3cret-pass@cache.example:6380/2')), 'redis://user:***@cache.example:6380/2');
    assert.equal(shownUrl(parseRedisUrl('rediss://cache.example')), 'rediss://cache.example');
  });

  test('a value that is not a redis URL is a usage error', () => {
    assert.throws(() => parseRedisUrl('localhost:6379'), {
      message: '--redis: expected a redis:// or rediss:// URL, got localhost://',
      exitCode: 2,
    } as never);
    assert.throws(() => parseRedisUrl('http://cache.example'), {
      message: '--redis: expected a redis:// or rediss:// URL, got http://',
    } as never);
    assert.throws(() => parseRedisUrl('not a url'), { message: '--redis: not a URL: not a url' } as never);
  });
});
