// Replay under the real adapters and SDKs: what was recorded from the fake servers (streamed or not, tool calls,
// structured output) answers again with the fakes shut down, in either streaming mode, to the same result.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelConfig } from '../../src/config/types.ts';
import { createProvider as createAnthropic } from '../../src/providers/anthropic.ts';
import { createProvider as createOpenAI } from '../../src/providers/openai.ts';
import type { Exchange } from '../../src/providers/recording/cassette.ts';
import { recordingFetch } from '../../src/providers/recording/fetch.ts';
import { ReplayStore } from '../../src/providers/recording/replay-store.ts';
import { onTape } from '../../src/providers/recording/tape.ts';
import type { CallContext, GenerateRequest, GenerateResult, ProviderOptions } from '../../src/providers/types.ts';
import { FakeAnthropic } from '../fakes/anthropic-server.ts';
import type { FakeHttpServer, FakeReply } from '../fakes/fake-http.ts';
import { FakeOpenAI } from '../fakes/openai-server.ts';

const openai = new FakeOpenAI();
const anthropic = new FakeAnthropic();
before(async () => {
  await openai.start();
  await anthropic.start();
});
after(async () => {
  await openai.stop().catch(() => {});
  await anthropic.stop().catch(() => {});
});

const ctx = {} as CallContext;
const TOOLS = [
  { name: 'rhyme', description: 'Words that rhyme', inputSchema: { type: 'object', properties: { word: { type: 'string' } } } },
];
const OUTPUT = { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] };

type Case = { name: string; reply: FakeReply; req: Omit<GenerateRequest, 'signal'> };
const user = (text: string) => ({ role: 'user' as const, content: [{ type: 'text' as const, text }] });
const CASES: Case[] = [
  {
    name: 'text',
    reply: { text: 'Socks are warm and socks are neat', usage: { input: 12, output: 7 } },
    req: { system: 'rhyme', messages: [user('a poem about socks')] },
  },
  {
    name: 'a tool call',
    reply: { text: 'Let me look.', toolCalls: [{ name: 'rhyme', input: { word: 'sock' } }] },
    req: { messages: [user('rhymes please')], tools: TOOLS },
  },
  {
    name: 'the turn after a tool result',
    reply: { text: 'Sock rhymes with clock.' },
    req: {
      messages: [
        user('rhymes please'),
        { role: 'assistant', content: [], toolCalls: [{ id: 'call_9', name: 'rhyme', input: '{"word":"sock"}' }] },
        { role: 'tool', toolCallId: 'call_9', toolName: 'rhyme', content: [{ type: 'text', text: 'clock, rock' }] },
      ],
      tools: TOOLS,
    },
  },
];

function model(provider: 'openai' | 'anthropic', fake: FakeHttpServer): ModelConfig {
  return { name: provider, provider, model: `${provider}-fake`, baseURL: fake.url, apiKey: 'sk-recording-test-key-123' };
}

async function generate(m: ModelConfig, options: ProviderOptions, req: Case['req'], stream: boolean) {
  const provider = m.provider === 'openai' ? createOpenAI(m, options) : createAnthropic(m, options);
  const deltas: string[] = [];
  const result: GenerateResult = await provider.generate(
    { ...req, signal: AbortSignal.timeout(10_000), ...(stream && { onTextDelta: (d: string) => deltas.push(d) }) },
    ctx,
  );
  return { result, deltas };
}

for (const provider of ['openai', 'anthropic'] as const) {
  const fake = () => (provider === 'openai' ? openai : anthropic);
  const structured: Case = {
    name: 'structured output',
    reply:
      provider === 'openai'
        ? { text: '{"title":"Ode to Socks"}' }
        : { toolCalls: [{ name: 'final_answer', input: { title: 'Ode to Socks' } }] },
    req: { messages: [user('a title')], output: OUTPUT },
  };
  for (const c of [...CASES, structured]) {
    for (const recordStreamed of [false, true]) {
      test(`${provider}, ${c.name}: recorded ${recordStreamed ? 'streamed' : 'not streamed'}, replayed both ways to the same result`, async () => {
        fake().reply(c.reply);
        const live = await onTape('wire', () =>
          generate(model(provider, fake()), { fetch: recordingFetch({ record: true }) }, c.req, recordStreamed),
        );
        assert.equal(live.tape.exchanges.length, 1);
        const exchange = live.tape.exchanges[0]!;
        assert.equal(exchange.streamed, recordStreamed);
        // No header and no key in what is kept.
        assert.doesNotMatch(JSON.stringify(exchange), /sk-recording-test-key/);

        const store = new ReplayStore([{ version: 1, example: 'wire', exchanges: [exchange], file: 'wire.json' }]);
        const before = fake().requests.length;
        // Keyless and pointing nowhere: only the recording can answer.
        const offline: ModelConfig = { ...model(provider, fake()), apiKey: 'replay-needs-no-key', baseURL: 'http://127.0.0.1:9/v1' };
        for (const stream of [false, true]) {
          const again = await onTape('wire', () =>
            generate(offline, { fetch: recordingFetch({ replay: store, record: false }) }, c.req, stream),
          );
          assert.deepEqual(again.value.result, live.value.result, `replayed ${stream ? 'streamed' : 'plain'}`);
          // Anthropic's structured output arrives as a tool's input, not as text deltas.
          if (stream && !(provider === 'anthropic' && c.req.output))
            assert.equal(again.value.deltas.join(''), live.value.result.content.map((p) => (p.type === 'text' ? p.text : '')).join(''));
          assert.deepEqual(again.tape.misses, []);
        }
        assert.equal(fake().requests.length, before);
      });
    }
  }
}

test('a request that matches no recording fails with the difference from the nearest one, and is not retried', async () => {
  openai.reply({ text: 'Socks!' });
  const m = model('openai', openai);
  const live = await onTape('poet #1', () => generate(m, { fetch: recordingFetch({ record: true }) }, CASES[0]!.req, false));
  const store = new ReplayStore([{ version: 1, example: 'poet #1', exchanges: live.tape.exchanges as Exchange[], file: 'poet-1.json' }]);
  const changed = { ...CASES[0]!.req, messages: [user('a poem about hats')] };
  const { tape, value } = await onTape('poet #1', () =>
    generate(m, { fetch: recordingFetch({ replay: store, record: false }) }, changed, true).then(
      () => 'answered',
      (err: Error) => err.message,
    ),
  );
  const miss =
    'no recorded openai request matches this one (model, messages, tools, output schema); the nearest recording (poet-1.json, exchange 1) differs:\n' +
    '  messages[1].content: recorded "a poem about socks", now "a poem about hats"';
  assert.deepEqual(tape.misses, [miss]);
  // The error message travels on one line.
  assert.equal(value, `HTTP 400: replay: ${miss.replace(/\n\s*/g, ' ')}`);
});
