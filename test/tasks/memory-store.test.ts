// The in-memory task store keeps the TaskStore contract; plus what only it can show (waiters released on close).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryTaskStore } from '../../src/tasks/memory-store.ts';
import { taskStoreContract } from './store-contract.ts';

taskStoreContract('MemoryTaskStore', async (options) => new MemoryTaskStore(options));

test('MemoryTaskStore: close releases a pending wait, and holds no more than maxTasks', async () => {
  const store = new MemoryTaskStore({ maxTasks: 3 });
  const t = await store.create({ tool: 'poet', ttlMs: 1000, pollIntervalMs: 100 });
  const waiting = store.waitForChange(t.taskId, 1, { timeoutMs: 60_000 });
  await store.close();
  assert.equal((await waiting)?.version, 1);
  for (let i = 0; i < 2; i++) await store.create({ tool: 'poet', ttlMs: 1000, pollIntervalMs: 100 });
  assert.equal(store.size, 3);
});
