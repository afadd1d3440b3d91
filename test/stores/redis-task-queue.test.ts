// The BullMQ task queue against a real redis-server: jobs run once on whichever process has a free worker; a
// process that dies mid-run (SIGKILL of a child process) has its job taken over by another, or, for a tool whose
// task says repeat: false, the task fails with a clear status; shutdown aborts the runs; Redis away fails at once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Logger } from '../../src/log.ts';
import { openRedis, type RedisConnection } from '../../src/stores/redis.ts';
import { NOT_REPEATED, RedisTaskQueue } from '../../src/stores/redis-task-queue.ts';
import { RedisTaskStore } from '../../src/stores/redis-task-store.ts';
import type { TaskJob } from '../../src/tasks/queue.ts';
import type { TaskRecord } from '../../src/tasks/types.ts';
import { redisSkip, startRedis, type RedisServer } from '../helpers/redis.ts';
import { Runtime } from '../../src/agent/runtime.ts';
import { loadConfigFile } from '../../src/config/load.ts';
import { TaskRuntime } from '../../src/server/task-runtime.ts';
import { writeConfig } from '../helpers/cli.ts';

let n = 0;
const namespace = () => `q-${process.pid}-${++n}`;
const quiet = () => new Logger({ level: 'error', format: 'text', write: () => {} });
const spec = { tool: 'poet', ttlMs: 60_000, pollIntervalMs: 500 };
const WORKER = fileURLToPath(new URL('./fixtures/task-worker.ts', import.meta.url));

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function connect(url: string): Promise<RedisConnection> {
  const redis = await openRedis(url, quiet(), { commandTimeoutMs: 1000, maxReconnectDelayMs: 100 });
  await until('the connection', () => redis.problem() === undefined);
  return redis;
}

async function settled(store: RedisTaskStore, taskId: string): Promise<TaskRecord> {
  let task: TaskRecord | undefined;
  await until(`task ${taskId} to settle`, async () => {
    const got = await store.get(taskId);
    task = got.state === 'found' ? got.task : undefined;
    return task !== undefined && ['completed', 'failed', 'cancelled'].includes(task.status);
  });
  return task!;
}

const job = (taskId: string, over: Partial<TaskJob> = {}): TaskJob => ({
  taskId,
  tool: 'poet',
  args: { theme: 'socks' },
  era: 'modern',
  ...over,
});

describe('RedisTaskQueue', { skip: redisSkip }, () => {
  let server: RedisServer;
  let redis: RedisConnection;
  before(async () => {
    server = await startRedis();
    redis = await connect(server.url);
  });
  after(async () => {
    await redis?.close();
    await server?.stop();
  });

  test('each job runs once, on the worker of one of two processes sharing Redis, with the job as submitted', async () => {
    const ns = namespace();
    const other = await connect(server.url);
    const store = new RedisTaskStore(redis, { namespace: ns });
    const ran: [string, TaskJob][] = [];
    const queues = await Promise.all(
      [redis, other].map(async (conn, i) => {
        const q = await RedisTaskQueue.open(conn, store, quiet(), { namespace: ns });
        q.process(async (j) => {
          ran.push([`p${i}`, j]);
          await store.finish(j.taskId, { status: 'completed', result: { content: [{ type: 'text', text: `done by p${i}` }] } });
        });
        return q;
      }),
    );
    try {
      const tasks = await Promise.all(Array.from({ length: 6 }, () => store.create(spec)));
      for (const t of tasks) await queues[0]!.submit(job(t.taskId, { args: { theme: t.taskId } }));
      for (const t of tasks) assert.equal((await settled(store, t.taskId)).status, 'completed');
      assert.equal(ran.length, 6);
      assert.deepEqual(ran.map(([, j]) => j.taskId).sort(), tasks.map((t) => t.taskId).sort());
      for (const [, j] of ran) assert.deepEqual(j, job(j.taskId, { args: { theme: j.taskId } }));
    } finally {
      await Promise.all(queues.map((q) => q.close()));
      await store.close();
      await other.close();
    }
  });

  test('a process killed mid-run: another takes the job over; a repeat: false task fails with a clear status', async () => {
    const ns = namespace();
    const store = new RedisTaskStore(redis, { namespace: ns });
    const queue = await RedisTaskQueue.open(redis, store, quiet(), { namespace: ns, lockMs: 1000 });
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, server.url, ns, '1000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await until('the child worker', () => out.includes('ready\n'), 20_000);
      const again = await store.create(spec);
      const once = await store.create(spec);
      await queue.submit(job(again.taskId));
      await queue.submit(job(once.taskId, { repeat: false }));
      await until('the child to take both jobs', () => out.includes(again.taskId) && out.includes(once.taskId));
      child.kill('SIGKILL');
      await exited;
      const taken: string[] = [];
      queue.process(async (j) => {
        taken.push(j.taskId);
        await store.finish(j.taskId, { status: 'completed', result: { content: [{ type: 'text', text: 'taken over' }] } });
      });
      const done = await settled(store, again.taskId);
      assert.equal(done.status, 'completed');
      assert.deepEqual(done.result, { content: [{ type: 'text', text: 'taken over' }] });
      const failed = await settled(store, once.taskId);
      assert.equal(failed.status, 'failed');
      assert.deepEqual(failed.error, { code: -32603, message: NOT_REPEATED });
      assert.equal(NOT_REPEATED, 'the process running this task stopped; the tool says repeat: false, so it was not run again');
      assert.deepEqual(taken, [again.taskId], 'the repeat: false job never reached a handler again');
    } finally {
      child.kill('SIGKILL');
      await queue.close();
      await store.close();
    }
  });

  test('a task cancelled before a worker took it is not run; close() aborts the runs', async () => {
    const ns = namespace();
    const store = new RedisTaskStore(redis, { namespace: ns });
    const queue = await RedisTaskQueue.open(redis, store, quiet(), { namespace: ns });
    const cancelled = await store.create(spec);
    const running = await store.create(spec);
    await queue.submit(job(cancelled.taskId));
    await store.cancel(cancelled.taskId);
    await queue.submit(job(running.taskId));
    const seen: string[] = [];
    let stop: AbortSignal | undefined;
    queue.process(async (j, signal) => {
      seen.push(j.taskId);
      stop = signal;
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      await store.finish(j.taskId, { status: 'failed', error: { code: -32603, message: String((signal.reason as Error).message) } });
    });
    await until('the second job to start', () => seen.length === 1);
    assert.deepEqual(seen, [running.taskId]);
    await queue.close();
    assert.equal(stop?.aborted, true);
    const failed = await settled(store, running.taskId);
    assert.equal(failed.error?.message, 'the server shut down while the task ran');
    assert.equal((await settled(store, cancelled.taskId)).status, 'cancelled');
    await store.close();
  });

  test('Redis away: submit fails at once with a clear error', async () => {
    const own = await startRedis();
    const conn = await connect(own.url);
    const store = new RedisTaskStore(conn, { namespace: namespace() });
    const queue = await RedisTaskQueue.open(conn, store, quiet(), { namespace: namespace() });
    try {
      await own.kill();
      await until('the connection to be refused', () => conn.problem() === 'connection refused');
      await assert.rejects(queue.submit(job('00000000-0000-4000-8000-000000000000')), {
        name: 'RedisUnavailableError',
        message: `Redis unavailable at ${own.url}: connection refused`,
      });
    } finally {
      await queue.close();
      await store.close();
      await conn.close();
      await own.stop();
    }
  });

  test('a run that ends while Redis does not answer keeps its outcome and stores it once Redis answers again', async () => {
    // Its own Redis, frozen (SIGSTOP) while the run goes on: no answers, nothing lost, as in a network blip.
    const own = await startRedis();
    const conn = await openRedis(own.url, quiet(), { commandTimeoutMs: 200, maxReconnectDelayMs: 100 });
    await until('the connection', () => conn.problem() === undefined);
    const ns = namespace();
    const store = new RedisTaskStore(conn, { namespace: ns });
    const queue = await RedisTaskQueue.open(conn, store, quiet(), { namespace: ns });
    const file = writeConfig(`models:
  slow: { provider: test, delay: 600ms }
tools:
  poet: { prompt: "a poem about {{theme}}", input: { theme: { type: string } }, model: slow, task: required }
`);
    const lines: string[] = [];
    const log = new Logger({ level: 'debug', format: 'text', write: (line) => lines.push(line) });
    const runner = new Runtime(loadConfigFile(file), { log });
    const tasks = new TaskRuntime(runner, log, store, queue);
    let frozen = false;
    try {
      const task = await tasks.start({ tool: 'poet', args: { theme: 'socks' }, era: 'modern' });
      await until('the run to start', () => lines.some((l) => l.includes('call started')));
      process.kill(own.pid(), 'SIGSTOP');
      frozen = true;
      // The run ends (600 ms) and cannot store its outcome; it keeps it and tries again.
      await until('a failed try', () => lines.some((l) => l.includes('the outcome could not be stored')), 5_000);
      process.kill(own.pid(), 'SIGCONT');
      frozen = false;
      const done = await settled(store, task.taskId);
      assert.equal(done.status, 'completed', JSON.stringify(done));
      assert.deepEqual(done.result?.content, [{ type: 'text', text: 'test model received: a poem about socks' }]);
      assert.ok(
        lines.some((l) => /outcome stored \(try \d+\)/.test(l)),
        lines.join(''),
      );
    } finally {
      if (frozen) process.kill(own.pid(), 'SIGCONT');
      await tasks.close();
      await runner.close();
      await conn.close();
      await own.stop();
    }
  });
});
