// The shared deadline timer behind each call's time limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Deadlines } from '../../src/agent/deadlines.ts';

test('deadlines fire in order, an earlier one re-arms the timer, a cancelled one never fires', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
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
  t.mock.timers.tick(30);
  assert.deepEqual(at, { early: 30 });
  t.mock.timers.tick(90);
  assert.deepEqual(fired, ['early', 'late']);
  assert.deepEqual(at, { early: 30, late: 120 });
});

test('deadlines due together (a timer that ran late) fire in deadline order', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const deadlines = new Deadlines();
  const fired: string[] = [];
  deadlines.add(120, () => fired.push('late'));
  deadlines.add(30, () => fired.push('early'));
  // The event loop was busy: by the time the timer runs, both are due.
  t.mock.timers.setTime(Date.now() + 500);
  t.mock.timers.tick(30);
  assert.deepEqual(fired, ['early', 'late']);
});

test('a deadline added after the others have finished still fires', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const deadlines = new Deadlines();
  let fired = 0;
  deadlines.add(20, () => fired++)();
  t.mock.timers.tick(40); // the timer fired with nothing pending
  deadlines.add(20, () => fired++);
  t.mock.timers.tick(60);
  assert.equal(fired, 1);
});
