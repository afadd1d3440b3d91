// A flaky network and broken providers, for both adapters, streamed and not: every fault is an error result with a
// plain message (never a success, never a raw JavaScript message), a chain falls back, the runner keeps serving and
// the planted key appears nowhere.
import assert from 'node:assert/strict';
import dns from 'node:dns';
import { createServer } from 'node:net';
import { after, before, describe, type TestContext, test } from 'node:test';
import { FakeAnthropic } from '../fakes/anthropic-server.ts';
import type { FakeHttpServer, FakeReply } from '../fakes/fake-http.ts';
import { FakeOpenAI } from '../fakes/openai-server.ts';
import { fakeTimeouts, type Harness, harness } from './harness.ts';

const KEY = 'sk-planted-RELIABILITY-0042';

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

for (const provider of ['openai', 'anthropic'] as const) {
  for (const streamed of [false, true]) {
    describe(`${provider}, ${streamed ? 'streamed' : 'not streamed'}`, () => {
      const make = (): FakeHttpServer => (provider === 'openai' ? new FakeOpenAI() : new FakeAnthropic());
      const faulty = make();
      const backup = make();
      const others = [make(), make()];
      let h: Harness;
      let refusedPort: number;
      const call = (tool: string) => h.call(tool, {}, { stream: streamed });
      // The message each adapter gives a cut socket (undici's words, mapped to a connection error).
      const api = provider === 'openai' ? 'chat completion' : 'message';
      const reason = provider === 'openai' ? 'finish reason' : 'stop reason';

      before(async () => {
        await Promise.all([faulty.start(), backup.start(), ...others.map((o) => o.start())]);
        refusedPort = await closedPort();
        const model = (url: string, extra = '') => `{ provider: ${provider}, model: m, baseURL: "${url}", apiKey: "\${KEY}"${extra} }`;
        h = harness(
          `
models:
  faulty: ${model(faulty.url, ', maxRetries: 0, timeout: 30s')}
  stormy: ${model(faulty.url, ', maxRetries: 2')}
  patient: ${model(faulty.url, ', maxRetries: 2, timeout: 30s')}
  second: ${model(others[0]!.url, ', maxRetries: 1')}
  third: ${model(others[1]!.url, ', maxRetries: 0')}
  backup: ${model(backup.url)}
  refused: ${model(`http://127.0.0.1:${refusedPort}${provider === 'openai' ? '/v1' : ''}`, ', maxRetries: 0')}
  nowhere: ${model('http://agent-mcp-test.invalid/v1', ', maxRetries: 0')}
tools:
  solo: { prompt: say hi, model: faulty }
  chained: { prompt: say hi, model: [faulty, backup] }
  storm: { prompt: say hi, model: stormy }
  patient: { prompt: say hi, model: patient }
  across: { prompt: say hi, model: [stormy, second, third] }
  across_then_backup: { prompt: say hi, model: [stormy, second, third, backup] }
  refused: { prompt: say hi, model: [refused, backup] }
  refused_alone: { prompt: say hi, model: refused }
  nowhere: { prompt: say hi, model: nowhere }
`,
          { KEY },
        );
        backup.fallback = { text: 'backup answers' };
      });

      after(async () => {
        await Promise.all([faulty.stop(), backup.stop(), ...others.map((o) => o.stop())]);
      });

      /**
       * The fault as the only model: an error result with exactly this text; as a chain's first: the backup answers.
       * `silent`: the fault is a silence, so the call runs on fake time and the clock jumps the model's 30 s timeout
       * once the fake server has sent what it will send.
       */
      async function faultIs(reply: FakeReply, message: string, silent?: TestContext) {
        const run = async (tool: string) => {
          if (!silent) return call(tool);
          fakeTimeouts(silent);
          try {
            const seen = faulty.requests.length;
            const pending = call(tool);
            await faulty.waitForRequests(seen + 1);
            // Let the bytes the fake sent reach the SDK (I/O, not timers), then jump past the silence.
            for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
            silent.mock.timers.tick(30_000);
            return await pending;
          } finally {
            silent.mock.timers.reset();
          }
        };
        faulty.reply(reply);
        const alone = await run('solo');
        assert.equal(alone.outcome.text, message);
        assert.equal(alone.outcome.isError, true);
        assert.ok(!alone.everything.includes(KEY), 'the key leaked');
        faulty.reply(reply);
        const chained = await run('chained');
        assert.deepEqual([chained.outcome.text, chained.outcome.isError, chained.outcome.model], ['backup answers', false, 'backup']);
        assert.ok(chained.progress.some((p) => p === 'faulty failed; falling back to backup') || !streamed);
        assert.ok(!chained.everything.includes(KEY), 'the key leaked');
      }

      test('a socket cut in the middle of the answer', async () => {
        await faultIs(
          { text: 'The answer is NOT what you think', fault: { kind: 'cut', after: 2 } },
          'faulty: connection error (UND_ERR_SOCKET): Connection error.',
        );
      });

      test('a stall after some text is a timeout, not the partial text', async (t) => {
        await faultIs(
          { text: 'The answer is NOT what you think', fault: { kind: 'stall', after: 2 } },
          // Not streamed, the whole answer is one silence (the headers came, the body never ends).
          streamed ? "faulty: the answer stalled: no data for 30s (the model's timeout)" : 'faulty: request timed out after 30s',
          t,
        );
      });

      test('a provider that never answers times out', async (t) => {
        await faultIs({ hang: true }, 'faulty: request timed out after 30s', t);
      });

      test('a slow drip within the timeout is the whole answer', async () => {
        faulty.reply({ text: 'one two three four five six', chunkDelayMs: 20 });
        const dripped = await call('solo');
        assert.deepEqual([dripped.outcome.text, dripped.outcome.isError], ['one two three four five six', false]);
      });

      test('an HTML page with a 200', async () => {
        await faultIs(
          { fault: { kind: 'raw', body: '<!DOCTYPE html><html><body>Gateway says hi</body></html>' } },
          streamed
            ? `faulty: unreadable answer from the provider: the stream ended without a ${reason} (the body was text/html, not an event stream)`
            : `faulty: unreadable answer from the provider: not a ${api} (an HTML page)`,
        );
      });

      test('an empty 200', async () => {
        await faultIs(
          { fault: { kind: 'raw', body: '', contentType: streamed ? 'text/event-stream' : 'text/plain' } },
          streamed
            ? `faulty: unreadable answer from the provider: the stream ended without a ${reason}`
            : `faulty: unreadable answer from the provider: not a ${api} (an empty body)`,
        );
      });

      test('JSON that cannot be read', async () => {
        await faultIs(
          streamed
            ? { text: 'The answer is', fault: { kind: 'bad-chunk', at: 1 } }
            : { fault: { kind: 'raw', contentType: 'application/json', body: '{"id": "x", "choices": [' } },
          'faulty: unreadable answer from the provider: its body is not valid JSON',
        );
      });

      test('a 200 with no finish reason', async () => {
        await faultIs(
          { text: 'half an answer', finish: '' },
          `faulty: unreadable answer from the provider: ${streamed ? 'the stream ended without a' : `the ${api} has no`} ${reason}`,
        );
      });

      test('a 429 storm: bounded retries, then an error with the provider’s words', async () => {
        const storm: FakeReply = { status: 429, message: 'slow down', headers: { 'retry-after-ms': '0' } };
        const start = faulty.requests.length;
        faulty.reply(storm, storm, storm);
        const result = await call('storm');
        assert.deepEqual([result.outcome.text, result.outcome.isError], ['stormy: HTTP 429: slow down', true]);
        assert.equal(faulty.requests.length - start, 3, 'one attempt and two retries');
      });

      test('a 5xx storm across a chain: every model tried in turn, each reason reported, then the next model', async () => {
        const down: FakeReply = { status: 503, message: 'overloaded', headers: { 'retry-after-ms': '0' } };
        faulty.reply(down, down, down);
        others[0]!.reply(down, down);
        others[1]!.reply(down);
        const failed = await call('across');
        assert.equal(
          failed.outcome.text,
          'no model could answer:\n- stormy: HTTP 503: overloaded\n- second: HTTP 503: overloaded\n- third: HTTP 503: overloaded',
        );
        assert.equal(failed.outcome.isError, true);
        faulty.reply(down, down, down);
        others[0]!.reply(down, down);
        others[1]!.reply(down);
        const rescued = await call('across_then_backup');
        assert.deepEqual([rescued.outcome.text, rescued.outcome.model], ['backup answers', 'backup']);
      });

      test('a refused connection falls back; alone it is a connection error', async () => {
        const rescued = await call('refused');
        assert.deepEqual([rescued.outcome.text, rescued.outcome.model], ['backup answers', 'backup']);
        const alone = await call('refused_alone');
        assert.deepEqual(
          [alone.outcome.text, alone.outcome.isError],
          ['refused: connection error (ECONNREFUSED): Connection error.', true],
        );
      });

      test('an unresolvable host is a connection error (resolved here: no query leaves the machine)', async (t) => {
        const lookups: string[] = [];
        t.mock.method(dns, 'lookup', (host: string, _options: unknown, callback: (err: Error) => void) => {
          lookups.push(host);
          process.nextTick(callback, Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host }));
        });
        const result = await call('nowhere');
        assert.deepEqual(lookups, ['agent-mcp-test.invalid']);
        assert.deepEqual([result.outcome.text, result.outcome.isError], ['nowhere: connection error (ENOTFOUND): Connection error.', true]);
      });

      /** The retry line the chain logs (and reports as progress) before its backoff: its delay, in ms. */
      async function retryAnnounced(attempt: number): Promise<number> {
        const pattern = new RegExp(`retry ${attempt}/2 in (\\d+) ms`);
        const started = performance.now();
        for (;;) {
          const line = h.logs.find((l) => pattern.test(l));
          if (line) return Number(pattern.exec(line)![1]);
          if (performance.now() - started > 10_000) throw new Error(`no "retry ${attempt}/2" in the logs`);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }

      test('a stall is retried like any timeout: on fake time, the second attempt answers', async (t) => {
        h.logs.length = 0;
        fakeTimeouts(t);
        const seen = faulty.requests.length;
        faulty.reply({ text: 'The answer is NOT what you think', fault: { kind: 'stall', after: 2 } }, { text: 'the whole answer' });
        const pending = call('patient');
        await faulty.waitForRequests(seen + 1);
        for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
        t.mock.timers.tick(30_000); // the silence
        t.mock.timers.tick(await retryAnnounced(1)); // the backoff
        const result = await pending;
        assert.deepEqual([result.outcome.text, result.outcome.isError], ['the whole answer', false]);
        assert.equal(faulty.requests.length - seen, 2);
      });

      test('a 503 storm without Retry-After backs off exponentially (on fake time): 3 attempts, then the error', async (t) => {
        h.logs.length = 0;
        fakeTimeouts(t);
        const seen = faulty.requests.length;
        const down: FakeReply = { status: 503, message: 'overloaded' };
        faulty.reply(down, down, down);
        const pending = call('storm');
        const first = await retryAnnounced(1);
        t.mock.timers.tick(first);
        const second = await retryAnnounced(2);
        t.mock.timers.tick(second);
        const result = await pending;
        assert.deepEqual([result.outcome.text, result.outcome.isError], ['stormy: HTTP 503: overloaded', true]);
        assert.equal(faulty.requests.length - seen, 3);
        // Equal jitter: 250-500 ms, then 500-1000 ms.
        assert.ok(first >= 250 && first <= 500 && second >= 500 && second <= 1000, `${first}, ${second}`);
      });

      test('after all of that the runner still serves', async () => {
        faulty.reply({ text: 'still here' });
        const result = await call('solo');
        assert.deepEqual([result.outcome.text, result.outcome.isError], ['still here', false]);
      });
    });
  }
}
