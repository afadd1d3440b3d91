// The fallback chain's retry arithmetic, and its use of the call's remaining time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../../src/agent/chain.ts';
import { connectStdio, writeConfig } from '../helpers/cli.ts';

test('backoff: exponential with equal jitter, capped; Retry-After wins, also capped', () => {
  assert.equal(
    backoffDelay(0, undefined, () => 0),
    250,
  );
  assert.equal(
    backoffDelay(0, undefined, () => 1),
    500,
  );
  assert.equal(
    backoffDelay(3, undefined, () => 1),
    4000,
  );
  assert.equal(
    backoffDelay(20, undefined, () => 1),
    30_000,
  );
  assert.equal(backoffDelay(0, 1200), 1200);
  assert.equal(backoffDelay(5, 0), 0);
  assert.equal(backoffDelay(0, 3_600_000), 30_000);
});

test('a Retry-After longer than the call has left hands over to the next model at once', async (t) => {
  const file = writeConfig(`
models:
  limited: { provider: test, responses: [{ error: { status: 429, message: slow down, retryAfter: 25 } }] }
  offline: { provider: test, responses: [fine] }
tools:
  ask: { prompt: hi, model: [limited, offline], timeout: 20s }
`);
  const { client, stderr, close } = await connectStdio(file);
  t.after(close);
  const result = await client.callTool({ name: 'ask', arguments: {} });
  assert.deepEqual(result.content, [{ type: 'text', text: 'fine' }]);
  assert.equal((result._meta as { 'agent-mcp': { model: string } })['agent-mcp'].model, 'offline');
  assert.match(stderr(), /agent-mcp warning: limited failed; falling back to offline/);
  // No wait was planned (the log names every retry with its delay; no wall-clock bound: the machine may be loaded).
  assert.match(stderr(), /a retry in 25s would outlast the call/);
  assert.doesNotMatch(stderr(), /retry 1\//);
});
