// The sealed requestState of 2026-07-28 round trips: what it keeps, what it refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStateSealer, RequestStateError } from '../../src/server/request-state.ts';
import { AgentMcpError } from '../../src/errors.ts';

const SECRET = 'a-secret-shared-by-every-replica-0123456789';

function refused(reason: string, message: string) {
  return (err: unknown) => err instanceof RequestStateError && err.reason === reason && err.message === message;
}

test('a sealed state opens, with the same secret, until it expires', () => {
  let now = 1_000_000;
  const sealer = createStateSealer(SECRET, () => now);
  assert.equal(sealer.shared, true);
  const payload = { tool: 'poet', messages: [{ role: 'user', content: [{ type: 'text', text: 'socks '.repeat(200) }] }] };
  const state = sealer.seal(payload, 60_000);
  assert.match(state, /^am1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  assert.ok(state.length < 300, `compressed: ${state.length} characters for 1.2 kB of repeated text`);
  // Another process with the same secret opens it.
  assert.deepEqual(createStateSealer(SECRET, () => now).open(state), payload);
  now += 59_999;
  assert.deepEqual(sealer.open(state), payload);
  now += 1;
  assert.throws(
    () => sealer.open(state),
    refused('expired', "requestState: expired 0s ago (the client must answer within the sampling model's timeout and the tool's)"),
  );
  now += 12_345;
  assert.throws(
    () => sealer.open(state),
    refused('expired', "requestState: expired 13s ago (the client must answer within the sampling model's timeout and the tool's)"),
  );
});

test('a changed, foreign or malformed state is refused', () => {
  const sealer = createStateSealer(SECRET);
  const state = sealer.seal({ steps: 1 }, 60_000);
  const forged = 'requestState: the signature does not match (changed on the way, or issued by a server with another --state-secret)';
  // Another body under the old signature.
  const [prefix, , mac] = state.split('.');
  const other = sealer.seal({ steps: 9 }, 60_000).split('.')[1];
  assert.throws(() => sealer.open(`${prefix}.${other}.${mac}`), refused('forged', forged));
  // Another secret, and a process without one.
  assert.throws(() => createStateSealer(`${SECRET}!`).open(state), refused('forged', forged));
  assert.throws(() => createStateSealer(undefined).open(state), refused('forged', forged));
  // Not ours at all.
  for (const junk of ['', 'state', 'am1.', 'v1.abc.def']) {
    assert.throws(() => sealer.open(junk), refused('malformed', 'requestState: not a state this server issued'));
  }
});

test('without a secret the process makes its own; a short secret is refused at start-up', () => {
  const own = createStateSealer(undefined);
  assert.equal(own.shared, false);
  assert.deepEqual(own.open(own.seal({ ok: true }, 1000)), { ok: true });
  assert.throws(
    () => createStateSealer('too short'),
    (err: unknown) =>
      err instanceof AgentMcpError &&
      err.exitCode === 2 &&
      err.message === '--state-secret: must be at least 32 characters (e.g. the output of: openssl rand -hex 32)',
  );
});
