// The TaskStore contract (src/tasks/store.ts) as a reusable suite: every implementation runs it with its own
// factory (memory-store.test.ts; the Redis store's test). The clock is a manual one handed to the factory, so expiry
// is tested without waiting whatever the store keeps its data in.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_INPUT_REQUESTS, TaskCursorError, TaskInputLimitError, TaskLimitError, type TaskStore } from '../../src/tasks/store.ts';
import type { NewTask } from '../../src/tasks/types.ts';

export interface ManualClock {
  now: () => number;
  advance(ms: number): void;
}

export function manualClock(start = 1_800_000_000_000): ManualClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

export interface StoreFactoryOptions {
  maxTasks: number;
  now: () => number;
}

/** Make a fresh, empty store (the suite closes it); `teardown` runs after each test if given. */
export type StoreFactory = (options: StoreFactoryOptions) => Promise<TaskStore>;

const HOUR = 3_600_000;
const spec = (over: Partial<NewTask> = {}): NewTask => ({ tool: 'poet', owner: 's1', ttlMs: HOUR, pollIntervalMs: 1000, ...over });

export function taskStoreContract(name: string, factory: StoreFactory, suiteOptions: { skip?: string | false } = {}): void {
  describe(`TaskStore contract: ${name}`, { skip: suiteOptions.skip }, () => {
    async function withStore(fn: (store: TaskStore, clock: ManualClock) => Promise<void>, maxTasks = 100): Promise<void> {
      const clock = manualClock();
      const store = await factory({ maxTasks, now: clock.now });
      try {
        await fn(store, clock);
      } finally {
        await store.close();
      }
    }

    test('create: working, an unguessable id, times from the clock, version 1', () =>
      withStore(async (store, clock) => {
        const a = await store.create(spec());
        const b = await store.create(spec({ owner: undefined }));
        assert.match(a.taskId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.notEqual(a.taskId, b.taskId);
        assert.deepEqual(a, {
          taskId: a.taskId,
          tool: 'poet',
          owner: 's1',
          status: 'working',
          createdAt: clock.now(),
          lastUpdatedAt: clock.now(),
          ttlMs: HOUR,
          pollIntervalMs: 1000,
          cancelRequested: false,
          inputRequests: {},
          inputResponses: {},
          version: 1,
        });
        assert.equal(b.owner, undefined);
        assert.deepEqual(await store.get(a.taskId), { state: 'found', task: a });
        assert.deepEqual(await store.get('no-such-task'), { state: 'unknown' });
      }));

    test('status and progress changes bump the version and lastUpdatedAt; records are copies', () =>
      withStore(async (store, clock) => {
        const t = await store.create(spec());
        clock.advance(10);
        const s = await store.setStatus(t.taskId, 'working', 'reading');
        assert.equal(s?.statusMessage, 'reading');
        assert.equal(s?.version, 2);
        assert.equal(s?.lastUpdatedAt, t.createdAt + 10);
        const p = await store.setProgress(t.taskId, { progress: 2, total: 4, message: 'step 2' });
        assert.deepEqual(p?.progress, { progress: 2, total: 4, message: 'step 2' });
        assert.equal(p?.version, 3);
        p!.progress!.progress = 99;
        const again = await store.get(t.taskId);
        assert.equal(again.state === 'found' && again.task.progress?.progress, 2);
        assert.equal((await store.setStatus(t.taskId, 'working'))?.statusMessage, undefined);
        assert.equal(await store.setProgress('no-such-task', { progress: 1 }), undefined);
      }));

    test('finish completed: the result is kept for ttlMs, then expired (a tombstone), then unknown', () =>
      withStore(async (store, clock) => {
        const t = await store.create(spec({ ttlMs: 1000 }));
        clock.advance(5 * HOUR); // a running task never expires
        assert.equal((await store.get(t.taskId)).state, 'found');
        const result = { content: [{ type: 'text', text: 'a poem' }] };
        const done = await store.finish(t.taskId, { status: 'completed', result });
        assert.equal(done?.status, 'completed');
        assert.deepEqual(done?.result, result);
        assert.equal(done?.expiresAt, clock.now() + 1000);
        clock.advance(999);
        assert.equal((await store.get(t.taskId)).state, 'found');
        clock.advance(1);
        assert.deepEqual(await store.get(t.taskId), { state: 'expired' });
        assert.equal(await store.setProgress(t.taskId, { progress: 1 }), undefined);
        clock.advance(1000);
        assert.deepEqual(await store.get(t.taskId), { state: 'unknown' });
      }));

    test('terminal is final: the first terminal write wins, later writes return the record unchanged', () =>
      withStore(async (store) => {
        const t = await store.create(spec());
        const failed = await store.finish(t.taskId, { status: 'failed', error: { code: -32603, message: 'the model failed' } });
        assert.equal(failed?.status, 'failed');
        assert.deepEqual(failed?.error, { code: -32603, message: 'the model failed' });
        assert.equal(failed?.statusMessage, 'the model failed');
        const v = failed!.version;
        for (const late of [
          store.finish(t.taskId, { status: 'completed', result: { content: [] } }),
          store.cancel(t.taskId),
          store.setStatus(t.taskId, 'working'),
          store.setProgress(t.taskId, { progress: 1 }),
          store.addInputRequest(t.taskId, 'k', { method: 'elicitation/create', params: {} }),
        ]) {
          const r = await late;
          assert.equal(r?.status, 'failed');
          assert.equal(r?.version, v);
        }
      }));

    test('cancel: a running task is cancelled at once with cancelRequested, and a later finish is ignored', () =>
      withStore(async (store, clock) => {
        const t = await store.create(spec({ ttlMs: 500 }));
        const c = await store.cancel(t.taskId);
        assert.equal(c?.status, 'cancelled');
        assert.equal(c?.cancelRequested, true);
        assert.equal(c?.statusMessage, 'cancelled by the client');
        assert.equal(c?.expiresAt, clock.now() + 500);
        const late = await store.finish(t.taskId, { status: 'completed', result: { content: [] } });
        assert.equal(late?.status, 'cancelled');
        assert.equal(late?.result, undefined);
        assert.equal(await store.cancel('no-such-task'), undefined);
      }));

    test('bounded: at the limit the finished task expiring soonest is evicted; all running -> TaskLimitError', () =>
      withStore(async (store, clock) => {
        const a = await store.create(spec());
        const b = await store.create(spec());
        await store.finish(b.taskId, { status: 'completed', result: { content: [] } });
        clock.advance(1);
        await store.finish(a.taskId, { status: 'completed', result: { content: [] } });
        const c = await store.create(spec());
        assert.deepEqual(await store.get(b.taskId), { state: 'expired' });
        assert.equal((await store.get(a.taskId)).state, 'found');
        await store.create(spec()); // evicts a
        assert.deepEqual(await store.get(a.taskId), { state: 'expired' });
        await assert.rejects(store.create(spec()), (e: unknown) => {
          assert.ok(e instanceof TaskLimitError);
          assert.equal(
            e.message,
            'too many tasks running: 2 at once is the limit (server.tasks.maxTasks); try again when one has finished',
          );
          return true;
        });
        await store.cancel(c.taskId);
        await store.create(spec());
      }, 2));

    test('list: one owner, oldest first, in pages; expired left out; bad cursors refused', () =>
      withStore(async (store, clock) => {
        const mine = [];
        for (let i = 0; i < 5; i++) {
          mine.push((await store.create(spec())).taskId);
          await store.create(spec({ owner: 's2' }));
        }
        await store.finish(mine[0]!, { status: 'completed', result: { content: [] } });
        clock.advance(HOUR);
        const first = await store.list('s1', undefined, 2);
        assert.deepEqual(
          first.tasks.map((t) => t.taskId),
          mine.slice(1, 3),
        );
        assert.ok(first.nextCursor);
        const second = await store.list('s1', first.nextCursor, 2);
        assert.deepEqual(
          second.tasks.map((t) => t.taskId),
          mine.slice(3, 5),
        );
        assert.equal(second.nextCursor, undefined);
        assert.equal((await store.list('s2')).tasks.length, 5);
        assert.deepEqual(await store.list('nobody'), { tasks: [] });
        await assert.rejects(store.list('s2', first.nextCursor), TaskCursorError);
        await assert.rejects(store.list('s1', 'garbage!'), TaskCursorError);
      }));

    test('input: a parked request sets input_required; answers move to responses, taken once; bounded', () =>
      withStore(async (store) => {
        const t = await store.create(spec());
        const request = { method: 'sampling/createMessage' as const, params: { maxTokens: 10, messages: [] } };
        const parked = await store.addInputRequest(t.taskId, 'sampling-1', request);
        assert.equal(parked?.status, 'input_required');
        assert.deepEqual(parked?.inputRequests, { 'sampling-1': request });
        assert.deepEqual(await store.answerInput(t.taskId, { other: 1 }), []);
        assert.equal(await store.takeInputResponse(t.taskId, 'sampling-1'), undefined);
        const answer = { role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'm' };
        assert.deepEqual(await store.answerInput(t.taskId, { 'sampling-1': answer, other: 2 }), ['sampling-1']);
        const after = await store.get(t.taskId);
        assert.ok(after.state === 'found');
        assert.equal(after.task.status, 'working');
        assert.deepEqual(after.task.inputRequests, {});
        assert.deepEqual(after.task.inputResponses, { 'sampling-1': answer });
        assert.deepEqual(await store.answerInput(t.taskId, { 'sampling-1': answer }), [], 'answered once');
        assert.deepEqual(await store.takeInputResponse(t.taskId, 'sampling-1'), answer);
        assert.equal(await store.takeInputResponse(t.taskId, 'sampling-1'), undefined);
        for (let i = 0; i < MAX_INPUT_REQUESTS; i++) await store.addInputRequest(t.taskId, `k${i}`, request);
        await assert.rejects(store.addInputRequest(t.taskId, 'one-more', request), TaskInputLimitError);
        const done = await store.finish(t.taskId, { status: 'completed', result: { content: [] } });
        assert.deepEqual(done?.inputRequests, {}, 'a terminal task has no pending input');
      }));

    test('waitForChange: at once when newer, on a change, on timeout, on abort, on expiry', () =>
      withStore(async (store, clock) => {
        const t = await store.create(spec({ ttlMs: 10 }));
        assert.equal((await store.waitForChange(t.taskId, 0, { timeoutMs: 60_000 }))?.version, 1);
        const changed = store.waitForChange(t.taskId, 1, { timeoutMs: 60_000 });
        await store.setProgress(t.taskId, { progress: 1 });
        assert.equal((await changed)?.version, 2);
        assert.equal((await store.waitForChange(t.taskId, 2, { timeoutMs: 5 }))?.version, 2, 'timed out: as it stands');
        const abort = new AbortController();
        const aborted = store.waitForChange(t.taskId, 2, { timeoutMs: 60_000, signal: abort.signal });
        abort.abort();
        assert.equal((await aborted)?.version, 2);
        await store.finish(t.taskId, { status: 'completed', result: { content: [] } });
        clock.advance(10);
        assert.equal(await store.waitForChange(t.taskId, 0, { timeoutMs: 60_000 }), undefined);
        assert.equal(await store.waitForChange('no-such-task', 0, { timeoutMs: 60_000 }), undefined);
      }));
  });
}
