// Progress of one call: steps at once, streamed text batched, a heartbeat while the model is silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressReporter, type ProgressUpdate } from '../../src/agent/progress.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('text deltas are batched to one notification per interval; steps flush what is pending first', (t) => {
  // Fake time: on a loaded machine real time between two statements can exceed the interval.
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000_000 });
  const seen: ProgressUpdate[] = [];
  const p = new ProgressReporter((u) => seen.push(u), { intervalMs: 50, heartbeatMs: 60_000 });
  p.step('step 1/10: thinking');
  for (const d of ['a', 'b', 'c']) p.text(d);
  assert.deepEqual(
    seen.map((u) => u.message),
    ['step 1/10: thinking'],
  );
  t.mock.timers.tick(80);
  assert.deepEqual(
    seen.map((u) => u.message),
    ['step 1/10: thinking', 'abc'],
  );
  p.text('d');
  p.step('step 2/10: calling rhyme');
  p.close();
  p.text('late');
  p.step('late step');
  assert.deepEqual(
    seen.map((u) => u.message),
    ['step 1/10: thinking', 'abc', 'd', 'step 2/10: calling rhyme'],
  );
  assert.deepEqual(
    seen.map((u) => u.progress),
    [1, 2, 3, 4],
    'progress only increases',
  );
});

test('a silent model still produces a heartbeat naming the step, until the call is closed', async () => {
  const seen: string[] = [];
  const p = new ProgressReporter((u) => seen.push(u.message), { heartbeatMs: 100 });
  p.step('step 1/10: thinking');
  await sleep(260);
  p.close();
  const beats = seen.filter((m) => m === 'step 1/10: thinking (still working)').length;
  assert.ok(beats >= 1 && beats <= 2, `beats: ${JSON.stringify(seen)}`);
  const after = seen.length;
  await sleep(150);
  assert.equal(seen.length, after, 'no heartbeat after close');
});

test('without a progress token nothing is sent and no timer runs', () => {
  const p = new ProgressReporter(undefined);
  assert.equal(p.enabled, false);
  p.step('x');
  p.text('y');
  p.close();
});
