// The anthropic adapter's pure mapping: messages, tools, the structured-output tool, stop reasons, usage, stream events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message as AnthropicMessage, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import {
  EventAccumulator,
  fromMessage,
  toAnthropicMessages,
  toAnthropicTools,
  toFinishReason,
  toToolChoice,
  toUsage,
  toolNames,
} from '../../src/providers/anthropic-mapping.ts';
import { requestBody } from '../../src/providers/anthropic.ts';
import type { Message, ToolSpec } from '../../src/providers/types.ts';

const schema = { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] };
const specs: ToolSpec[] = [
  { name: 'notes.search', description: 'Search notes', inputSchema: schema },
  { name: 'final_answer', inputSchema: schema },
];
const output = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: { title: { type: 'string' } },
  required: ['title'],
};

test('messages: user blocks, assistant text + tool_use, tool results merged into one user turn, empty turns dropped', () => {
  const { names } = toolNames(specs, undefined);
  const messages: Message[] = [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'hi' },
        { type: 'image', mediaType: 'image/png', data: 'AAAA' },
      ],
    },
    {
      role: 'assistant',
      content: [{ type: 'text', text: 'looking' }],
      toolCalls: [
        { id: 't1', name: 'notes.search', input: '{"q":"x"}' },
        { id: 't2', name: 'final_answer', input: '' },
      ],
    },
    { role: 'tool', toolCallId: 't1', toolName: 'notes.search', content: [{ type: 'text', text: 'found' }] },
    { role: 'tool', toolCallId: 't2', toolName: 'final_answer', content: [{ type: 'text', text: 'boom' }], isError: true },
    { role: 'tool', toolCallId: 't3', toolName: 'notes.search', content: [{ type: 'text', text: '' }] },
    { role: 'assistant', content: [{ type: 'text', text: '' }] },
    { role: 'user', content: [{ type: 'text', text: 'again' }] },
  ];
  assert.deepEqual(toAnthropicMessages(messages, names), [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'hi' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'looking' },
        { type: 'tool_use', id: 't1', name: 'notes_search', input: { q: 'x' } },
        { type: 'tool_use', id: 't2', name: 'final_answer', input: {} },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'found' }] },
        { type: 'tool_result', tool_use_id: 't2', content: [{ type: 'text', text: 'boom' }], is_error: true },
        { type: 'tool_result', tool_use_id: 't3' },
        { type: 'text', text: 'again' },
      ],
    },
  ]);
});

test('structured output: an output tool whose name no agent tool takes; forced alone, "any" beside other tools', () => {
  const alone = toolNames(undefined, output);
  assert.equal(alone.output, 'final_answer');
  assert.deepEqual(toAnthropicTools(undefined, output, alone), [
    {
      name: 'final_answer',
      description: 'Give your final answer by calling this tool once, with the answer as its input. Call it only when you are done.',
      input_schema: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] },
    },
  ]);
  assert.deepEqual(toToolChoice(undefined, alone), { type: 'tool', name: 'final_answer' });

  const beside = toolNames(specs, output);
  assert.equal(beside.output, 'final_answer_2', 'an agent tool is already called final_answer');
  assert.deepEqual(
    toAnthropicTools(specs, output, beside).map((t) => t.name),
    ['notes_search', 'final_answer', 'final_answer_2'],
  );
  assert.deepEqual(toToolChoice(specs, beside), { type: 'any' });
  assert.equal(toToolChoice(specs, toolNames(specs, undefined)), undefined);
});

test('stop reasons and usage (cached input counted as input)', () => {
  assert.equal(toFinishReason('end_turn'), 'stop');
  assert.equal(toFinishReason('stop_sequence'), 'stop');
  assert.equal(toFinishReason('max_tokens'), 'length');
  assert.equal(toFinishReason('tool_use'), 'tool-calls');
  assert.equal(toFinishReason('refusal'), 'content-filter');
  assert.equal(toFinishReason('pause_turn'), 'other');
  assert.deepEqual(toUsage({ input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 9 }), {
    inputTokens: 125,
    outputTokens: 9,
  });
});

function message(content: unknown[], stop = 'tool_use'): AnthropicMessage {
  return {
    id: 'm',
    type: 'message',
    role: 'assistant',
    model: 'claude-x',
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage: { input_tokens: 11, output_tokens: 3 },
  } as unknown as AnthropicMessage;
}

test('a message: text and tool calls; a call of the output tool is the final answer', () => {
  const tools = toolNames(specs, output);
  assert.deepEqual(
    fromMessage(
      message([
        { type: 'text', text: 'ok ' },
        { type: 'tool_use', id: 't1', name: 'notes_search', input: { q: 'x' } },
      ]),
      tools,
    ),
    {
      content: [{ type: 'text', text: 'ok ' }],
      toolCalls: [{ id: 't1', name: 'notes.search', input: '{"q":"x"}' }],
      finishReason: 'tool-calls',
      usage: { inputTokens: 11, outputTokens: 3 },
      model: 'claude-x',
    },
  );
  assert.deepEqual(
    fromMessage(
      message([
        { type: 'text', text: 'here:' },
        { type: 'tool_use', id: 't2', name: 'final_answer_2', input: { title: 'T' } },
      ]),
      tools,
    ),
    {
      content: [{ type: 'text', text: '{"title":"T"}' }],
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 11, outputTokens: 3 },
      model: 'claude-x',
    },
  );
});

test('stream events: text deltas for progress, tool input assembled from JSON fragments, cumulative usage', () => {
  const tools = toolNames(specs, undefined);
  const acc = new EventAccumulator(tools);
  const events = [
    { type: 'message_start', message: { ...message([]), usage: { input_tokens: 40, output_tokens: 1 } } },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 't1', name: 'notes_search', input: {} } },
    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"q":' } },
    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '"x"}' } },
    { type: 'content_block_stop', index: 1 },
    { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 17 } },
    { type: 'message_stop' },
  ] as unknown as RawMessageStreamEvent[];
  assert.deepEqual(events.map((e) => acc.add(e)).filter(Boolean), ['Hel', 'lo']);
  assert.deepEqual(acc.result(), {
    content: [{ type: 'text', text: 'Hello' }],
    toolCalls: [{ id: 't1', name: 'notes.search', input: '{"q":"x"}' }],
    finishReason: 'tool-calls',
    usage: { inputTokens: 40, outputTokens: 17 },
    model: 'claude-x',
  });
});

test('request body: max_tokens default 4096, system, forced output tool', () => {
  const req = {
    system: 'be brief',
    messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }],
    output,
    signal: new AbortController().signal,
  };
  const model = { name: 'fast', provider: 'anthropic' as const, model: 'claude-haiku-4-5' };
  const tools = toolNames(undefined, output);
  assert.deepEqual(requestBody(model, req, tools), {
    model: 'claude-haiku-4-5',
    max_tokens: 4096,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    system: 'be brief',
    tools: toAnthropicTools(undefined, output, tools),
    tool_choice: { type: 'tool', name: 'final_answer' },
  });
  assert.equal(requestBody({ ...model, maxTokens: 512 }, req, tools).max_tokens, 512);
});
