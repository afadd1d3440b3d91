// The shared deadline timer behind each call's time limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Deadlines } from '../../src/agent/deadlines.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('deadlines fire in order, an earlier one re-arms the timer, a cancelled one never fires', async () => {
  const deadlines = new Deadlines();
  const fired: string[] = [];
  const started = Date.now();
  const at: Record<string, number> = {};
  const mark = (name: string) => () => {
    fired.push(name);
    at[name] = Date.now() - started;
  };
  deadlines.add(120, mark('late'));
  const cancel = deadlines.add(60, mark('cancelled'));
  deadlines.add(30, mark('early')); // earlier than the armed timer
  cancel();
  await sleep(200);
  assert.deepEqual(fired, ['early', 'late']);
  assert.ok(at.early! >= 29 && at.early! < 110, `early fired at ${at.early} ms`);
  assert.ok(at.late! >= 119, `late fired at ${at.late} ms`);
});

test('a deadline added after the others have finished still fires', async () => {
  const deadlines = new Deadlines();
  let fired = 0;
  deadlines.add(20, () => fired++)();
  await sleep(40); // the timer fired with nothing pending
  deadlines.add(20, () => fired++);
  await sleep(60);
  assert.equal(fired, 1);
});
