// Without a task runtime of its own (no --redis), a server's tasks run in one in-memory runtime per Runtime, made
// when a server first needs it: closing the Runtime ends the runs still going (as failed) before its toolsets close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime } from '../../src/agent/runtime.ts';
import { loadConfigFile } from '../../src/config/load.ts';
import { Logger } from '../../src/log.ts';
import { taskRuntimeFor } from '../../src/server/tasks-wire.ts';
import { writeConfig } from '../helpers/cli.ts';

test("the in-memory task runtime is the Runtime's own: one for all its servers, its runs ended when the Runtime closes", async () => {
  const file = writeConfig(`models:
  slow: { provider: test, delay: 30s }
tools:
  poet: { prompt: "a poem about {{theme}}", input: { theme: { type: string } }, model: slow, task: optional }
`);
  const lines: string[] = [];
  const log = new Logger({ level: 'debug', format: 'text', write: (line) => lines.push(line) });
  const runner = new Runtime(loadConfigFile(file), { log });
  const tasks = taskRuntimeFor(runner, log);
  assert.equal(taskRuntimeFor(runner, log), tasks, 'every server of the Runtime gets the same one');
  const task = await tasks.start({ tool: 'poet', args: { theme: 'socks' }, era: 'modern' });
  while (!lines.some((l) => l.includes('call started'))) await new Promise((r) => setTimeout(r, 5));
  await runner.close();
  const after = await tasks.store.get(task.taskId);
  assert.equal(after.state, 'found');
  assert.equal(after.state === 'found' && after.task.status, 'failed');
  await assert.rejects(tasks.start({ tool: 'poet', args: { theme: 'wool' }, era: 'modern' }), /shutting down/);
});
