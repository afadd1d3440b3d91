// The pure mappings between our request/result types and sampling/createMessage, both directions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateMessageRequestParamsSchema,
  CreateMessageResultSchema,
  CreateMessageResultWithToolsSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { SdkError, SdkErrorCode, type ClientCapabilities } from '@modelcontextprotocol/client';
import type { ClientSession } from '../../src/providers/client-session.ts';
import type { ModelConfig } from '../../src/config/types.ts';
import { ModelUnavailableError } from '../../src/errors.ts';
import { Logger } from '../../src/log.ts';
import {
  createProvider,
  fromCreateMessageParams,
  fromCreateMessageResult,
  samplingUnavailable,
  toCreateMessageParams,
  toCreateMessageResult,
} from '../../src/providers/sampling.ts';
import type { CallContext, GenerateRequest, Message } from '../../src/providers/types.ts';

const signal = new AbortController().signal;
const log = new Logger({ level: 'error', format: 'text' });
const sampling: ModelConfig = { name: 'sampling', provider: 'sampling' };

const conversation: Message[] = [
  { role: 'user', content: [{ type: 'text', text: 'rhyme with fox' }] },
  {
    role: 'assistant',
    content: [{ type: 'text', text: 'let me look' }],
    toolCalls: [
      { id: 'c1', name: 'rhymes', input: '{"word":"fox"}' },
      { id: 'c2', name: 'count', input: 'not json' },
    ],
  },
  { role: 'tool', toolCallId: 'c1', toolName: 'rhymes', content: [{ type: 'text', text: 'box, socks' }] },
  { role: 'tool', toolCallId: 'c2', toolName: 'count', content: [{ type: 'text', text: 'bad arguments' }], isError: true },
  { role: 'assistant', content: [{ type: 'text', text: 'Socks for a fox.' }] },
];

test('params: system prompt, single-block user message, defaults, preferences', () => {
  const req: GenerateRequest = { system: 'always reply in rhyme', messages: [conversation[0]!], signal };
  assert.deepEqual(toCreateMessageParams(req, sampling, true), {
    messages: [{ role: 'user', content: { type: 'text', text: 'rhyme with fox' } }],
    systemPrompt: 'always reply in rhyme',
    maxTokens: 1024,
  });
  const model: ModelConfig = {
    name: 'client',
    provider: 'sampling',
    maxTokens: 300,
    temperature: 0.2,
    stopSequences: ['END'],
    hints: ['claude-haiku', 'gpt'],
    costPriority: 0.1,
    speedPriority: 0.9,
    intelligencePriority: 0.5,
  };
  const params = toCreateMessageParams({ ...req, temperature: 0.7 }, model, true);
  assert.equal(params.maxTokens, 300);
  assert.equal(params.temperature, 0.7); // the agent's temperature wins over the entry's
  assert.deepEqual(params.stopSequences, ['END']);
  assert.deepEqual(params.modelPreferences, {
    hints: [{ name: 'claude-haiku' }, { name: 'gpt' }],
    costPriority: 0.1,
    speedPriority: 0.9,
    intelligencePriority: 0.5,
  });
  assert.equal(toCreateMessageParams(req, model, true).temperature, 0.2);
  assert.equal(toCreateMessageParams({ ...req, maxOutputTokens: 99 }, model, true).maxTokens, 99);
  CreateMessageRequestParamsSchema.parse(params);
});

test('params: tools, tool_use and tool_result blocks (results merged into one user message)', () => {
  const tools = [
    { name: 'rhymes', description: 'Rhymes of a word', inputSchema: { type: 'object', properties: { word: { type: 'string' } } } },
  ];
  const params = toCreateMessageParams({ messages: conversation, tools, signal }, sampling, true);
  assert.deepEqual(params.tools, tools);
  assert.deepEqual(params.toolChoice, { mode: 'auto' });
  assert.deepEqual(params.messages, [
    { role: 'user', content: { type: 'text', text: 'rhyme with fox' } },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'let me look' },
        { type: 'tool_use', id: 'c1', name: 'rhymes', input: { word: 'fox' } },
        { type: 'tool_use', id: 'c2', name: 'count', input: {} },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', toolUseId: 'c1', content: [{ type: 'text', text: 'box, socks' }] },
        { type: 'tool_result', toolUseId: 'c2', content: [{ type: 'text', text: 'bad arguments' }], isError: true },
      ],
    },
    { role: 'assistant', content: { type: 'text', text: 'Socks for a fox.' } },
  ]);
  CreateMessageRequestParamsSchema.parse(params);
});

test('params without tool blocks: tools dropped, earlier tool use written out as text', () => {
  const tools = [{ name: 'rhymes', inputSchema: { type: 'object' } }];
  const params = toCreateMessageParams({ messages: conversation, tools, signal }, sampling, false);
  assert.equal(params.tools, undefined);
  assert.equal(params.toolChoice, undefined);
  assert.deepEqual(params.messages.slice(1, 3), [
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'let me look' },
        { type: 'text', text: '[called rhymes with {"word":"fox"}]' },
        { type: 'text', text: '[called count with not json]' },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'text', text: '[rhymes returned: box, socks]' },
        { type: 'text', text: '[count failed: bad arguments]' },
      ],
    },
  ]);
});

test('params: structured output is asked for in the system prompt', () => {
  const output = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };
  const params = toCreateMessageParams({ system: 'count', messages: [conversation[0]!], output, signal }, sampling, true);
  assert.equal(
    params.systemPrompt,
    `count\n\nReply with only a JSON object that matches this JSON Schema, with no other text:\n${JSON.stringify(output)}`,
  );
  const bare = toCreateMessageParams({ messages: [conversation[0]!], output, signal }, sampling, true);
  assert.equal(
    bare.systemPrompt,
    `Reply with only a JSON object that matches this JSON Schema, with no other text:\n${JSON.stringify(output)}`,
  );
});

test('result: text, tool_use, stop reasons', () => {
  assert.deepEqual(
    fromCreateMessageResult({ role: 'assistant', model: 'm1', content: { type: 'text', text: 'hi' }, stopReason: 'endTurn' }),
    {
      content: [{ type: 'text', text: 'hi' }],
      toolCalls: [],
      finishReason: 'stop',
      usage: {},
      model: 'm1',
    },
  );
  assert.deepEqual(
    fromCreateMessageResult({
      role: 'assistant',
      model: 'm2',
      stopReason: 'toolUse',
      content: [
        { type: 'text', text: 'looking' },
        { type: 'tool_use', id: 't1', name: 'rhymes', input: { word: 'fox' } },
      ],
    }),
    {
      content: [{ type: 'text', text: 'looking' }],
      toolCalls: [{ id: 't1', name: 'rhymes', input: '{"word":"fox"}' }],
      finishReason: 'tool-calls',
      usage: {},
      model: 'm2',
    },
  );
  const reason = (stopReason?: string) =>
    fromCreateMessageResult({ role: 'assistant', model: 'm', content: { type: 'text', text: '' }, stopReason }).finishReason;
  assert.deepEqual([reason(), reason('stopSequence'), reason('maxTokens'), reason('refusal')], ['stop', 'stop', 'length', 'other']);
});

test('reverse: createMessage params back to a request, a result back to createMessage', () => {
  const tools = [{ name: 'rhymes', inputSchema: { type: 'object' } }];
  const params = toCreateMessageParams({ system: 'be brief', messages: conversation, tools, temperature: 0.5, signal }, sampling, true);
  const req = fromCreateMessageParams(params, signal);
  assert.equal(req.system, 'be brief');
  assert.equal(req.temperature, 0.5);
  assert.equal(req.maxOutputTokens, 1024);
  assert.deepEqual(req.tools, [{ name: 'rhymes', inputSchema: { type: 'object' } }]);
  // The round trip keeps the conversation, apart from the unparsable input that became {}.
  const expected = structuredClone(conversation);
  (expected[1] as { toolCalls: { input: string }[] }).toolCalls[1]!.input = '{}';
  assert.deepEqual(req.messages, expected);
  assert.equal(fromCreateMessageParams({ ...params, toolChoice: { mode: 'none' } }, signal).tools, undefined);

  const answer = {
    content: [
      { type: 'text' as const, text: 'a' },
      { type: 'text' as const, text: 'b' },
    ],
    toolCalls: [],
    finishReason: 'stop' as const,
    usage: {},
    model: 'test',
  };
  const single = toCreateMessageResult(answer, false);
  assert.deepEqual(single, { role: 'assistant', model: 'test', stopReason: 'endTurn', content: { type: 'text', text: 'ab' } });
  CreateMessageResultSchema.parse(single);
  const withCalls = toCreateMessageResult(
    { ...answer, content: [], toolCalls: [{ id: 'x', name: 'rhymes', input: '{"word":"fox"}' }], finishReason: 'tool-calls' },
    true,
  );
  assert.deepEqual(withCalls, {
    role: 'assistant',
    model: 'test',
    stopReason: 'toolUse',
    content: [{ type: 'tool_use', id: 'x', name: 'rhymes', input: { word: 'fox' } }],
  });
  CreateMessageResultWithToolsSchema.parse(withCalls);
  assert.equal(toCreateMessageResult({ ...answer, finishReason: 'length' }, true).stopReason, 'maxTokens');
});

test('availability per client: no sampling, sampling without tools, toolsOptional', () => {
  const ctx = (capabilities?: ClientCapabilities): CallContext => ({
    signal,
    log,
    client: {
      era: '2025',
      capabilities,
      createMessage: async () => {
        throw new Error('unused');
      },
      elicit: async () => {
        throw new Error('unused');
      },
    },
  });
  assert.match(
    samplingUnavailable(sampling, ctx({}), { tools: false })!,
    /^this MCP client does not support sampling \(the client's own model\); to serve clients without sampling, give the tool a model with an API key/,
  );
  assert.match(samplingUnavailable(sampling, { signal, log }, { tools: false })!, /^no MCP client is connected to sample from/);
  assert.equal(samplingUnavailable(sampling, ctx({ sampling: {} }), { tools: false }), undefined);
  assert.equal(
    samplingUnavailable(sampling, ctx({ sampling: {} }), { tools: true }),
    'this MCP client supports sampling but not sampling with tools, and the agent has tools (set toolsOptional: true on the model to run it without them there)',
  );
  assert.equal(samplingUnavailable({ ...sampling, toolsOptional: true }, ctx({ sampling: {} }), { tools: true }), undefined);
  assert.equal(samplingUnavailable(sampling, ctx({ sampling: { tools: {} } }), { tools: true }), undefined);
});

test('provider: the request goes out with the signal and timeout; client failures make the model unavailable', async () => {
  const seen: { timeoutMs: number; signal: AbortSignal; tools?: unknown }[] = [];
  let answer: () => Promise<never> | Promise<{ role: 'assistant'; model: string; content: { type: 'text'; text: string } }> = async () => ({
    role: 'assistant',
    model: 'client-model',
    content: { type: 'text', text: 'ok' },
  });
  const client = (createMessage: ClientSession['createMessage']): ClientSession => ({
    era: '2025',
    capabilities: { sampling: {} },
    createMessage,
    elicit: async () => {
      throw new Error('unused');
    },
  });
  const ctx: CallContext = {
    signal,
    log,
    client: client((params, options) => {
      seen.push({ ...options, tools: params.tools });
      return answer() as ReturnType<ClientSession['createMessage']>;
    }),
  };
  const provider = createProvider({ name: 'client', provider: 'sampling', toolsOptional: true, timeoutMs: 5000 });
  const tools = [{ name: 'rhymes', inputSchema: { type: 'object' } }];
  const result = await provider.generate({ messages: [conversation[0]!], tools, signal }, ctx);
  assert.equal(result.model, 'client-model');
  assert.equal(seen[0]!.timeoutMs, 5000);
  assert.equal(seen[0]!.signal, signal);
  assert.equal(seen[0]!.tools, undefined); // toolsOptional: runs without them

  answer = async () => {
    throw Object.assign(new Error('MCP error -32001: Request timed out'), { code: -32001 });
  };
  await assert.rejects(
    provider.generate({ messages: [conversation[0]!], signal }, ctx),
    (err: unknown) =>
      err instanceof ModelUnavailableError &&
      err.message === 'client: the client did not answer the sampling request within 5s (raise timeout: on the model)',
  );
  answer = async () => {
    throw new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out');
  };
  await assert.rejects(
    provider.generate({ messages: [conversation[0]!], signal }, ctx),
    (err: unknown) =>
      err instanceof ModelUnavailableError &&
      err.message === 'client: the client did not answer the sampling request within 5s (raise timeout: on the model)',
  );
  answer = async () => {
    throw Object.assign(new Error('MCP error -1: User rejected sampling request'), { code: -1 });
  };
  await assert.rejects(
    provider.generate({ messages: [conversation[0]!], signal }, ctx),
    (err: unknown) =>
      err instanceof ModelUnavailableError &&
      err.message === "client: the client's sampling request failed: MCP error -1: User rejected sampling request",
  );
  const defaults = createProvider(sampling);
  await defaults.generate(
    { messages: [conversation[0]!], signal },
    {
      ...ctx,
      client: client((_params, options) => {
        seen.push(options);
        return Promise.resolve({ role: 'assistant', model: 'm', content: { type: 'text', text: '' } });
      }),
    },
  );
  assert.equal(seen.at(-1)!.timeoutMs, 300_000);
});
