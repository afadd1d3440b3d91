// The openai adapter's pure mapping: messages, tools, structured output, finish reasons, usage, streamed chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import {
  ChunkAccumulator,
  fromCompletion,
  isStrictCompatible,
  toFinishReason,
  toOpenAIMessages,
  toOpenAITools,
  toResponseFormat,
  toUsage,
} from '../../src/providers/openai-mapping.ts';
import { requestBody } from '../../src/providers/openai.ts';
import { ToolNames } from '../../src/providers/tool-name-mapping.ts';
import type { Message } from '../../src/providers/types.ts';

const names = new ToolNames(['rhyme', 'notes.search']);

test('messages: system first, user text and images, assistant tool calls, tool results (errors said in text)', () => {
  const messages: Message[] = [
    { role: 'user', content: [{ type: 'text', text: 'hi' }] },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'look: ' },
        { type: 'image', mediaType: 'image/png', data: 'AAAA' },
      ],
    },
    {
      role: 'assistant',
      content: [],
      toolCalls: [
        { id: 'c1', name: 'notes.search', input: '{"q":"x"}' },
        { id: 'c2', name: 'rhyme', input: '' },
      ],
    },
    { role: 'tool', toolCallId: 'c1', toolName: 'notes.search', content: [{ type: 'text', text: 'found' }] },
    { role: 'tool', toolCallId: 'c2', toolName: 'rhyme', content: [{ type: 'text', text: 'boom' }], isError: true },
    { role: 'assistant', content: [{ type: 'text', text: 'done' }] },
  ];
  assert.deepEqual(toOpenAIMessages('be brief', messages, names), [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'hi' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'look: ' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
      ],
    },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'c1', type: 'function', function: { name: 'notes_search', arguments: '{"q":"x"}' } },
        { id: 'c2', type: 'function', function: { name: 'rhyme', arguments: '{}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'c1', content: 'found' },
    { role: 'tool', tool_call_id: 'c2', content: 'Error: boom' },
    { role: 'assistant', content: 'done' },
  ]);
  assert.deepEqual(toOpenAIMessages(undefined, [], names), []);
});

test("images a tool returned follow the turn's tool messages in one user message (a tool message takes text only)", () => {
  const messages: Message[] = [
    {
      role: 'assistant',
      content: [],
      toolCalls: [
        { id: 'c1', name: 'notes.search', input: '{}' },
        { id: 'c2', name: 'rhyme', input: '{}' },
      ],
    },
    {
      role: 'tool',
      toolCallId: 'c1',
      toolName: 'notes.search',
      content: [
        { type: 'text', text: 'a chart' },
        { type: 'image', mediaType: 'image/png', data: 'AAAA' },
      ],
    },
    { role: 'tool', toolCallId: 'c2', toolName: 'rhyme', content: [{ type: 'text', text: 'moon' }] },
  ];
  assert.deepEqual(toOpenAIMessages(undefined, messages, names).slice(1), [
    { role: 'tool', tool_call_id: 'c1', content: 'a chart\n[1 image: in the next message]' },
    { role: 'tool', tool_call_id: 'c2', content: 'moon' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'The image notes.search returned:' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
      ],
    },
  ]);
});

test('tool specs: API-safe names, schema as parameters', () => {
  const schema = { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] };
  assert.deepEqual(
    toOpenAITools(
      [
        { name: 'notes.search', description: 'Search notes', inputSchema: schema },
        { name: 'rhyme', inputSchema: schema },
      ],
      names,
    ),
    [
      { type: 'function', function: { name: 'notes_search', description: 'Search notes', parameters: schema } },
      { type: 'function', function: { name: 'rhyme', parameters: schema } },
    ],
  );
});

test('tool names: dots and long names mapped both ways, collisions kept apart', () => {
  const n = new ToolNames(['a.b', 'a_b', 'x'.repeat(70)]);
  assert.equal(n.api('a.b'), 'a_b_2');
  assert.equal(n.api('a_b'), 'a_b');
  assert.equal(n.local('a_b_2'), 'a.b');
  assert.equal(n.api('x'.repeat(70)), 'x'.repeat(64));
  assert.equal(n.local('x'.repeat(64)), 'x'.repeat(70));
  assert.equal(n.local('unknown'), 'unknown');
  assert.equal(n.free('a_b'), 'a_b_3');
});

test('structured output: strict only when OpenAI strict mode accepts the schema as written', () => {
  const closed = {
    type: 'object',
    properties: {
      a: { type: 'string' },
      b: { type: 'array', items: { type: 'object', properties: { c: { type: 'integer' } }, required: ['c'], additionalProperties: false } },
    },
    required: ['a', 'b'],
    additionalProperties: false,
  };
  assert.equal(isStrictCompatible(closed), true);
  assert.equal(isStrictCompatible({ ...closed, required: ['a'] }), false, 'optional property');
  assert.equal(isStrictCompatible({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }), false, 'open object');
  assert.equal(
    isStrictCompatible({ ...closed, properties: { ...closed.properties, d: { allOf: [] } }, required: ['a', 'b', 'd'] }),
    false,
    'allOf',
  );
  assert.equal(
    isStrictCompatible({ ...closed, properties: { a: { type: 'object', properties: {} } }, required: ['a'] }),
    false,
    'nested open object',
  );
  assert.deepEqual(toResponseFormat({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...closed }), {
    type: 'json_schema',
    json_schema: { name: 'output', schema: closed, strict: true },
  });
  assert.equal(toResponseFormat({ type: 'object', properties: { a: { type: 'string' } } }).json_schema.strict, false);
});

test('finish reasons and usage', () => {
  assert.equal(toFinishReason('stop'), 'stop');
  assert.equal(toFinishReason('length'), 'length');
  assert.equal(toFinishReason('tool_calls'), 'tool-calls');
  assert.equal(toFinishReason('function_call'), 'tool-calls');
  assert.equal(toFinishReason('content_filter'), 'content-filter');
  assert.equal(toFinishReason(null), 'other');
  assert.deepEqual(toUsage({ prompt_tokens: 12, completion_tokens: 7 }), { inputTokens: 12, outputTokens: 7 });
  assert.deepEqual(toUsage(undefined), { inputTokens: 0, outputTokens: 0 });
});

test('a completion: text, tool calls (names mapped back), usage, model', () => {
  const completion = {
    id: 'x',
    object: 'chat.completion',
    created: 0,
    model: 'gpt-4.1-mini-2025',
    choices: [
      {
        index: 0,
        finish_reason: 'tool_calls',
        logprobs: null,
        message: {
          role: 'assistant',
          content: 'let me look',
          refusal: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'notes_search', arguments: '{"q":1}' } }],
        },
      },
    ],
    usage: { prompt_tokens: 30, completion_tokens: 4, total_tokens: 34 },
  } as ChatCompletion;
  assert.deepEqual(fromCompletion(completion, names), {
    content: [{ type: 'text', text: 'let me look' }],
    toolCalls: [{ id: 'c1', name: 'notes.search', input: '{"q":1}' }],
    finishReason: 'tool-calls',
    usage: { inputTokens: 30, outputTokens: 4 },
    model: 'gpt-4.1-mini-2025',
  });
  const refusal = {
    ...completion,
    choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content: null, refusal: 'I cannot help' } }],
  } as ChatCompletion;
  assert.equal(fromCompletion(refusal, names).finishReason, 'content-filter');
  assert.deepEqual(fromCompletion(refusal, names).content, [{ type: 'text', text: 'I cannot help' }]);
});

test('streamed chunks: text deltas returned for progress, tool arguments assembled across fragments', () => {
  const acc = new ChunkAccumulator(names);
  const chunk = (delta: object, finish: string | null = null) =>
    ({
      id: 'x',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'm1',
      choices: [{ index: 0, delta, finish_reason: finish }],
    }) as ChatCompletionChunk;
  const deltas = [
    acc.add(chunk({ role: 'assistant', content: '' })),
    acc.add(chunk({ content: 'Hel' })),
    acc.add(chunk({ content: 'lo' })),
    acc.add(chunk({ tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'notes_search', arguments: '' } }] })),
    acc.add(chunk({ tool_calls: [{ index: 1, id: 'c2', type: 'function', function: { name: 'rhyme', arguments: '{"w":' } }] })),
    acc.add(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] })),
    acc.add(chunk({ tool_calls: [{ index: 0, function: { arguments: '"x"}' } }] })),
    acc.add(chunk({ tool_calls: [{ index: 1, function: { arguments: '"y"}' } }] })),
    acc.add(chunk({}, 'tool_calls')),
    acc.add({
      id: 'x',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'm1',
      choices: [],
      usage: { prompt_tokens: 9, completion_tokens: 8, total_tokens: 17 },
    } as ChatCompletionChunk),
  ];
  assert.deepEqual(deltas.filter(Boolean), ['Hel', 'lo']);
  assert.deepEqual(acc.result(), {
    content: [{ type: 'text', text: 'Hello' }],
    toolCalls: [
      { id: 'c1', name: 'notes.search', input: '{"q":"x"}' },
      { id: 'c2', name: 'rhyme', input: '{"w":"y"}' },
    ],
    finishReason: 'tool-calls',
    usage: { inputTokens: 9, outputTokens: 8 },
    model: 'm1',
  });
});

test('request body: model settings as fallbacks, max_tokens for compatible servers, max_completion_tokens for OpenAI', () => {
  const req = {
    messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }],
    signal: new AbortController().signal,
  };
  const openai = { name: 'gpt', provider: 'openai' as const, model: 'gpt-4.1-mini', maxTokens: 100, temperature: 0.2 };
  assert.deepEqual(requestBody(openai, req, names), {
    model: 'gpt-4.1-mini',
    messages: [{ role: 'user', content: 'hi' }],
    max_completion_tokens: 100,
    temperature: 0.2,
  });
  const local = { ...openai, baseURL: 'http://127.0.0.1:11434/v1' };
  assert.deepEqual(requestBody(local, { ...req, temperature: 0.9 }, names), {
    model: 'gpt-4.1-mini',
    messages: [{ role: 'user', content: 'hi' }],
    max_tokens: 100,
    temperature: 0.9,
  });
  assert.deepEqual(requestBody({ name: 'g', provider: 'openai', model: 'g' }, req, names), {
    model: 'g',
    messages: [{ role: 'user', content: 'hi' }],
  });
});
