// The Redis TaskStore against a real redis-server: the TaskStore contract every store keeps (the suite the
// in-memory store runs too), then what only a shared store shows: two stores on one Redis (two replicas) see each
// other's tasks and wake each other's waiters; and Redis going away fails at once with a clear error.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Logger } from '../../src/log.ts';
import { openRedis, type RedisConnection } from '../../src/stores/redis.ts';
import { RedisTaskStore } from '../../src/stores/redis-task-store.ts';
import { redisSkip, startRedis, type RedisServer } from '../helpers/redis.ts';
import { taskStoreContract } from '../tasks/store-contract.ts';

let n = 0;
const namespace = () => `test-${process.pid}-${++n}`;
const quiet = () => new Logger({ level: 'error', format: 'text', write: () => {} });

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function connect(url: string): Promise<RedisConnection> {
  const redis = await openRedis(url, quiet(), { commandTimeoutMs: 500, maxReconnectDelayMs: 100 });
  await until('the connection', () => redis.problem() === undefined);
  return redis;
}

let server: RedisServer | undefined;
let shared: RedisConnection | undefined;
before(async () => {
  if (redisSkip) return;
  server = await startRedis();
  shared = await connect(server.url);
});
after(async () => {
  await shared?.close();
  await server?.stop();
});

taskStoreContract('RedisTaskStore', async (options) => new RedisTaskStore(shared!, { ...options, namespace: namespace() }), {
  skip: redisSkip,
});

describe('RedisTaskStore shared by two processes', { skip: redisSkip }, () => {
  const spec = { tool: 'poet', owner: 's1', ttlMs: 60_000, pollIntervalMs: 500 };

  test("one store sees the other's tasks and changes, and its waiters wake on the other's writes", async () => {
    const ns = namespace();
    const other = await connect(server!.url);
    const a = new RedisTaskStore(shared!, { namespace: ns });
    const b = new RedisTaskStore(other, { namespace: ns });
    try {
      const t = await a.create(spec);
      const seen = await b.get(t.taskId);
      assert.deepEqual(seen, { state: 'found', task: t });
      const waiting = a.waitForChange(t.taskId, 1, { timeoutMs: 10_000 });
      await b.setProgress(t.taskId, { progress: 1, message: 'elsewhere' });
      assert.deepEqual((await waiting)?.progress, { progress: 1, message: 'elsewhere' });
      const cancelled = await a.cancel(t.taskId);
      assert.equal(cancelled?.status, 'cancelled');
      const late = await b.finish(t.taskId, { status: 'completed', result: { content: [] } });
      assert.equal(late?.status, 'cancelled', 'the first terminal write wins across processes');
      assert.deepEqual(
        (await b.list('s1')).tasks.map((x) => x.taskId),
        [t.taskId],
      );
    } finally {
      await a.close();
      await b.close();
      await other.close();
    }
  });

  test('concurrent changes from both stores are all kept (compare-and-set)', async () => {
    const ns = namespace();
    const other = await connect(server!.url);
    const a = new RedisTaskStore(shared!, { namespace: ns });
    const b = new RedisTaskStore(other, { namespace: ns });
    try {
      const t = await a.create(spec);
      const keys = Array.from({ length: 8 }, (_, i) => `k${i}`);
      await Promise.all(keys.map((k, i) => (i % 2 ? a : b).addInputRequest(t.taskId, k, { method: 'elicitation/create', params: { i } })));
      const got = await a.get(t.taskId);
      assert.ok(got.state === 'found');
      assert.deepEqual(Object.keys(got.task.inputRequests).sort(), keys);
      assert.equal(got.task.version, 1 + keys.length);
    } finally {
      await a.close();
      await b.close();
      await other.close();
    }
  });

  test('Redis away: a call fails at once with a clear error, nothing hangs; back: it works again', async () => {
    const own = await startRedis();
    const redis = await connect(own.url);
    const store = new RedisTaskStore(redis, { namespace: namespace() });
    try {
      const t = await store.create(spec);
      await own.kill();
      await until('the connection to be refused', () => redis.problem() === 'connection refused');
      await assert.rejects(store.get(t.taskId), {
        name: 'RedisUnavailableError',
        message: `Redis unavailable at ${own.url}: connection refused`,
      });
      await assert.rejects(store.create(spec), { name: 'RedisUnavailableError' });
      await own.start();
      await until('the connection to return', () => redis.problem() === undefined);
      assert.equal((await store.create(spec)).status, 'working');
    } finally {
      await store.close();
      await redis.close();
      await own.stop();
    }
  });
});
