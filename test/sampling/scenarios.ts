// Sampling scenarios shared by the stdio and HTTP tests: a config, and a client whose sampling handler is scripted.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  type CallToolResult,
  type CreateMessageRequest,
  type CreateMessageResult,
  type CreateMessageResultWithTools,
} from '@modelcontextprotocol/sdk/types.js';

export const SAMPLING_CONFIG = `
models:
  client: { provider: sampling }
  optional: { provider: sampling, toolsOptional: true }
  slow: { provider: sampling, timeout: 300ms }
  backup: { provider: test, responses: ["from the backup"] }
  rhymer: { provider: test, responses: ["box, socks"] }
tools:
  poet:
    system: always reply in rhyme
    prompt: write a poem about {{theme}}
    input:
      theme: { type: string }
    model: sampling
  chained:
    prompt: write a poem about {{theme}}
    input:
      theme: { type: string }
    model: [sampling, backup]
  rhymes:
    description: Words that rhyme with a word
    prompt: rhymes for {{word}}
    input:
      word: { type: string }
    model: rhymer
  helper:
    prompt: write a poem about {{theme}}
    input:
      theme: { type: string }
    tools: [rhymes]
    model: [client, backup]
  helper-optional:
    prompt: write a poem about {{theme}}
    input:
      theme: { type: string }
    tools: [rhymes]
    model: [optional, backup]
  counter:
    system: count things
    prompt: count the words in {{text}}
    input:
      text: { type: string }
    output:
      type: object
      properties: { n: { type: integer } }
      required: [n]
    model: sampling
  patient:
    prompt: wait for {{theme}}
    input:
      theme: { type: string }
    model: [slow, backup]
`;

export const NO_SAMPLING_ERROR =
  "sampling: this MCP client does not support sampling (the client's own model); to serve clients without sampling, " +
  'give the tool a model with an API key, e.g. model: [sampling, anthropic:claude-haiku-4-5] with ANTHROPIC_API_KEY set (or openai:MODEL with OPENAI_API_KEY)';

type Params = CreateMessageRequest['params'];
type Answer = (params: Params, signal: AbortSignal) => Promise<CreateMessageResult | CreateMessageResultWithTools>;

/** A client's sampling side: every request recorded, answered by the current script. */
export class SamplingScript {
  readonly requests: Params[] = [];
  readonly signals: AbortSignal[] = [];
  answer: Answer = async () => text('Socks for a fox.');

  attach(client: Client): void {
    client.setRequestHandler(CreateMessageRequestSchema, async (request, extra) => {
      this.requests.push(request.params);
      this.signals.push(extra.signal);
      return this.answer(request.params, extra.signal);
    });
  }

  reset(answer?: Answer): void {
    this.requests.length = 0;
    this.signals.length = 0;
    if (answer) this.answer = answer;
  }
}

export function text(value: string): CreateMessageResult {
  return { role: 'assistant', model: 'client-llm', content: { type: 'text', text: value }, stopReason: 'endTurn' };
}

export function resultText(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join('');
}

function meta(result: CallToolResult): { model?: string; steps?: number } {
  return (result._meta?.['agent-mcp'] ?? {}) as { model?: string; steps?: number };
}

async function call(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  options: { signal?: AbortSignal } = {},
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, undefined, options)) as CallToolResult;
}

/** The idea's own scenario, exactly. */
export async function poetScenario(client: Client, script: SamplingScript): Promise<void> {
  script.reset(async () => text('Socks for a fox.'));
  const result = await call(client, 'poet', { theme: 'socks' });
  assert.deepEqual(result.content, [{ type: 'text', text: 'Socks for a fox.' }]);
  assert.equal(result.isError, undefined);
  assert.equal(meta(result).model, 'sampling');
  assert.equal(script.requests.length, 1);
  const params = script.requests[0]!;
  assert.equal(params.systemPrompt, 'always reply in rhyme');
  assert.deepEqual(params.messages, [{ role: 'user', content: { type: 'text', text: 'write a poem about socks' } }]);
  assert.equal(params.maxTokens, 1024);
  assert.equal(params.tools, undefined);
}

/**
 * The client's model in the tool round trip: first it asks for the `rhymes` tool, then, given its result, answers
 * `A fox in <result>.` (the scenario below, and the replica tests' modern client).
 */
export function toolRoundTripAnswer(params: Params): CreateMessageResultWithTools {
  const last = params.messages.at(-1)!;
  const blocks = Array.isArray(last.content) ? last.content : [last.content];
  const result = blocks.find((b) => b.type === 'tool_result');
  if (!result) {
    return {
      role: 'assistant',
      model: 'client-llm',
      stopReason: 'toolUse',
      content: [{ type: 'tool_use', id: 'use-1', name: 'rhymes', input: { word: 'fox' } }],
    };
  }
  const said = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
  return { role: 'assistant', model: 'client-llm', stopReason: 'endTurn', content: [{ type: 'text', text: `A fox in ${said}.` }] };
}

/** Sampling with tools: tool_use answered, the tool runs on the server, tool_result comes back, then the final text. */
export async function toolRoundTripScenario(client: Client, script: SamplingScript): Promise<void> {
  script.reset(async (params) => toolRoundTripAnswer(params));
  const result = await call(client, 'helper', { theme: 'foxes' });
  assert.equal(resultText(result), 'A fox in box, socks.');
  assert.deepEqual(meta(result), { ...meta(result), model: 'client', steps: 2 });
  assert.equal(script.requests.length, 2);
  assert.deepEqual(script.requests[0]!.tools, [
    {
      name: 'rhymes',
      description: 'Words that rhyme with a word',
      inputSchema: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] },
    },
  ]);
  assert.deepEqual(script.requests[0]!.toolChoice, { mode: 'auto' });
  assert.deepEqual(script.requests[1]!.messages, [
    { role: 'user', content: { type: 'text', text: 'write a poem about foxes' } },
    { role: 'assistant', content: { type: 'tool_use', id: 'use-1', name: 'rhymes', input: { word: 'fox' } } },
    { role: 'user', content: { type: 'tool_result', toolUseId: 'use-1', content: [{ type: 'text', text: 'box, socks' }] } },
  ]);
}

/** Structured output through sampling: asked for in the system prompt, validated (and re-asked) by the loop. */
export async function structuredScenario(client: Client, script: SamplingScript): Promise<void> {
  let turn = 0;
  script.reset(async () => text(turn++ === 0 ? 'three words' : '```json\n{"n": 3}\n```'));
  const result = await call(client, 'counter', { text: 'a b c' });
  assert.deepEqual(result.structuredContent, { n: 3 });
  assert.equal(script.requests.length, 2);
  assert.equal(
    script.requests[0]!.systemPrompt,
    'count things\n\nReply with only a JSON object that matches this JSON Schema, with no other text:\n' +
      '{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}',
  );
  const retry = script.requests[1]!.messages.at(-1)!;
  assert.equal(retry.role, 'user');
  assert.match((retry.content as { text: string }).text, /^Your answer did not match the required JSON Schema: not JSON/);
}

/** A client that does not answer within the entry's timeout: the request is cancelled and the chain moves on. */
export async function timeoutScenario(client: Client, script: SamplingScript): Promise<void> {
  script.reset(
    (_params, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled')))),
  );
  const result = await call(client, 'patient', { theme: 'socks' });
  assert.equal(resultText(result), 'from the backup');
  assert.equal(meta(result).model, 'backup');
  assert.equal(script.requests.length, 1);
  await waitFor(() => script.signals[0]!.aborted);
}

/** A cancelled tool call cancels its sampling request: the client's handler sees notifications/cancelled. */
export async function cancelScenario(client: Client, script: SamplingScript): Promise<void> {
  let entered!: () => void;
  const started = new Promise<void>((r) => (entered = r));
  script.reset((_params, signal) => {
    entered();
    return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled'))));
  });
  const controller = new AbortController();
  const pending = call(client, 'poet', { theme: 'socks' }, { signal: controller.signal });
  await started;
  controller.abort(new Error('user pressed stop'));
  await assert.rejects(pending, /user pressed stop/);
  await waitFor(() => script.signals[0]!.aborted);
  assert.equal(script.requests.length, 1);
}

/** Poll a condition for a while (bounded: 5 s). */
export async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 250 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(condition(), 'condition not met within 5 s');
}
