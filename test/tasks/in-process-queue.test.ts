// The in-process task queue: runs jobs after submit() returned, at most `concurrency` at once in arrival order;
// close() aborts the running jobs' signal, drops the waiting ones and waits for the handlers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InProcessTaskQueue } from '../../src/tasks/in-process-queue.ts';
import type { TaskJob } from '../../src/tasks/queue.ts';

const job = (n: number): TaskJob => ({ taskId: `t${n}`, tool: 'poet', args: { n }, era: 'modern' });

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

test('InProcessTaskQueue: bounded concurrency, arrival order, a run starts only after submit returned', async () => {
  const queue = new InProcessTaskQueue({ concurrency: 2 });
  const started: string[] = [];
  const gates = new Map<string, ReturnType<typeof gate>>();
  queue.process(async (j) => {
    started.push(j.taskId);
    const g = gate();
    gates.set(j.taskId, g);
    await g.promise;
  });
  for (let i = 1; i <= 4; i++) await queue.submit(job(i));
  assert.deepEqual(started, [], 'nothing ran before the submitter got control back');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, ['t1', 't2']);
  assert.deepEqual(queue.size, { running: 2, waiting: 2 });
  gates.get('t2')!.open();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, ['t1', 't2', 't3']);
  for (const g of gates.values()) g.open();
  await new Promise((r) => setImmediate(r));
  gates.get('t4')!.open();
  await queue.close();
  assert.deepEqual(started, ['t1', 't2', 't3', 't4']);
});

test('InProcessTaskQueue: close aborts the running signal, drops waiting jobs, refuses new ones; errors are reported', async () => {
  const errors: string[] = [];
  const queue = new InProcessTaskQueue({ concurrency: 1, onError: (j, e) => errors.push(`${j.taskId}: ${(e as Error).message}`) });
  const ran: string[] = [];
  queue.process(async (j, signal) => {
    ran.push(j.taskId);
    if (j.taskId === 't1') throw new Error('boom');
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    ran.push(`${j.taskId} aborted`);
  });
  await queue.submit(job(1));
  await queue.submit(job(2));
  await queue.submit(job(3));
  while (ran.length < 2) await new Promise((r) => setImmediate(r));
  await queue.close();
  assert.deepEqual(ran, ['t1', 't2', 't2 aborted']);
  assert.deepEqual(errors, ['t1: boom']);
  await assert.rejects(queue.submit(job(4)), { message: 'the task queue is closed' });
  assert.throws(() => queue.process(async () => {}), { message: 'the task queue already has a handler' });
});
