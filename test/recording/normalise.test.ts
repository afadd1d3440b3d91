// What makes two requests the same for replay: not key order, not made-up ids, not streaming or token limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cassetteFile } from '../../src/providers/recording/cassette.ts';
import { matchKey, normalise } from '../../src/providers/recording/normalise.ts';
import { ReplayStore } from '../../src/providers/recording/replay-store.ts';

const recorded = {
  model: 'claude-haiku-4-5',
  max_tokens: 4096,
  system: 'rhyme',
  messages: [
    { role: 'user', content: 'rhymes please' },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01A', name: 'rhyme', input: { word: 'sock', id: 'kept' } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: 'clock' }] },
  ],
  tools: [{ name: 'rhyme', input_schema: { type: 'object', properties: { word: { type: 'string' } } } }],
};

test('key order, tool-call ids, stream and max_tokens do not change the match; content and data ids do', () => {
  const asked = {
    stream: true,
    tools: [{ input_schema: { properties: { word: { type: 'string' } }, type: 'object' }, name: 'rhyme' }],
    messages: [
      { content: 'rhymes please', role: 'user' },
      { role: 'assistant', content: [{ input: { id: 'kept', word: 'sock' }, name: 'rhyme', id: 'toolu_99Z', type: 'tool_use' }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_99Z', content: 'clock' }] },
    ],
    max_tokens: 1024,
    system: 'rhyme',
    model: 'claude-haiku-4-5',
  };
  assert.equal(matchKey(normalise('anthropic', asked)), matchKey(normalise('anthropic', recorded)));
  const store = new ReplayStore([
    {
      version: 1,
      example: 'poet #1',
      file: 'poet-1.json',
      exchanges: [
        {
          provider: 'anthropic',
          request: { path: '/v1/messages', body: recorded },
          response: { status: 200, body: { n: 1 } },
          streamed: false,
        },
      ],
    },
  ]);
  assert.deepEqual(store.find('anthropic', asked, 'poet #1'), store.find('anthropic', recorded, undefined));
  // An id inside the tool's arguments is data: a different one is a different request.
  const otherData = structuredClone(asked);
  (otherData.messages[1]!.content as { input: { id: string } }[])[0]!.input.id = 'changed';
  const miss = store.find('anthropic', otherData, 'poet #1');
  assert.deepEqual(miss, {
    miss:
      'no recorded anthropic request matches this one (model, messages, tools, output schema); the nearest recording (poet-1.json, exchange 1) differs:\n' +
      '  messages[1].content[0].input.id: recorded "kept", now "changed"',
  });
  // The same ids in a different pattern (two calls sharing one id) are not the same conversation.
  const swapped = structuredClone(recorded);
  (swapped.messages[2]!.content as { tool_use_id: string }[])[0]!.tool_use_id = 'toolu_other';
  assert.notEqual(matchKey(normalise('anthropic', swapped)), matchKey(normalise('anthropic', recorded)));
  // Nothing of the other provider is offered as nearest.
  assert.match((store.find('openai', { model: 'x', messages: [] }, undefined) as { miss: string }).miss, /there is no openai recording/);
});

test('the same request asked again gets the next recorded answer, cycling; file names from example names', () => {
  const exchange = (n: number) => ({
    provider: 'openai' as const,
    request: { path: '/v1/chat/completions', body: { model: 'm', messages: [{ role: 'user', content: 'hi' }] } },
    response: { status: 200, body: { n } },
    streamed: false,
  });
  const store = new ReplayStore([{ version: 1, example: 'poet #1', file: 'poet-1.json', exchanges: [exchange(1), exchange(2)] }]);
  const body = { messages: [{ content: 'hi', role: 'user' }], model: 'm', stream: true };
  const answers = [1, 2, 3].map(
    () => (store.find('openai', body, 'poet #1') as { exchange: { response: { body: { n: number } } } }).exchange.response.body.n,
  );
  assert.deepEqual(answers, [1, 2, 1]);
  assert.equal(cassetteFile('poet #1'), 'poet-1.json');
  assert.equal(cassetteFile('poet #2 (socks & hats)'), 'poet-2-socks-hats.json');
  assert.equal(cassetteFile('../../etc #1'), 'etc-1.json');
});
