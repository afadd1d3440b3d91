// Hostile input that is not a protocol matter: arguments nested 100,000 deep, a provider answer of 16 MB, and V8
// flags that must not rewrite the installed code cache.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { deliverable } from '../../src/agent/deliverable.ts';
import { FakeOpenAI } from '../fakes/openai-server.ts';
import { cleanEnv, ROOT, runCli } from '../helpers/cli.ts';
import { type Harness, harness } from './harness.ts';

const fake = new FakeOpenAI();
let h: Harness;

before(async () => {
  await fake.start();
  h = harness(`
models:
  gpt: { provider: openai, model: gpt-fake, baseURL: "${fake.url}", apiKey: none, maxRetries: 0 }
tools:
  poet:
    model: test
    prompt: write about {{theme}}
    input:
      theme: { type: object }
  big: { prompt: say a lot, model: gpt }
`);
});

after(() => fake.stop());

test('arguments nested 100,000 deep are refused before validation, and the runner keeps serving', async () => {
  let deep: unknown = {};
  for (let i = 0; i < 100_000; i++) deep = { a: deep };
  const refused = await h.call('poet', { theme: deep });
  assert.deepEqual(
    [refused.outcome.text, refused.outcome.isError],
    ['Invalid arguments for tool poet: nested more than 64 levels deep', true],
  );
  const fine = await h.call('poet', { theme: { a: { b: 1 } } });
  assert.deepEqual([fine.outcome.text, fine.outcome.isError], ['test model received: write about {"a":{"b":1}}', false]);
});

test('a 16 MB answer (four times the limit) is an error naming the limit, streamed or not, never a 16 MB result', async () => {
  for (const stream of [false, true]) {
    // Streamed as a model streams: in pieces (here 256 of 64 KiB), not as one 60 MB event.
    fake.reply({ text: `${'x'.repeat(65_535)} `.repeat(256) });
    const { outcome } = await h.call('big', {}, { stream });
    assert.deepEqual([outcome.text, outcome.isError], ["gpt: the model's answer is over 4 MiB, the limit of one answer", true]);
  }
});

test("a result over 4 MiB from any model (the test model, the client's) is an error naming the limit at the way out", () => {
  const outcome = deliverable({
    text: 'y'.repeat(5 * 1024 * 1024),
    structured: { y: 1 },
    isError: false,
    steps: 1,
    usage: { inputTokens: 1, outputTokens: 1 },
  });
  assert.deepEqual(
    [outcome.text, outcome.isError, outcome.structured],
    ['the answer is 5 MiB, over the 4 MiB a result may carry', true, undefined],
  );
});

test('NODE_OPTIONS with V8 flags does not rewrite dist/cli.cjs.cache', async () => {
  const cache = join(ROOT, 'dist/cli.cjs.cache');
  const hash = () => createHash('sha256').update(readFileSync(cache)).digest('hex');
  const before = hash();
  const run = await runCli(['--version'], { env: cleanEnv({ NODE_OPTIONS: '--max-old-space-size=200' }) });
  assert.equal(run.code, 0);
  assert.equal(hash(), before);
});
