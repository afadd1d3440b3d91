// The agent loop against real SDKs and fake servers: cancellation reaches the HTTP socket, limits end calls cleanly.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CallToolResultSchema, type CallToolResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { cleanEnv, connectStdio, writeConfig, type Connected } from '../helpers/cli.ts';
import { FakeOpenAI } from '../fakes/openai-server.ts';
import { FakeAnthropic } from '../fakes/anthropic-server.ts';

const openai = new FakeOpenAI();
const anthropic = new FakeAnthropic();
const spare = new FakeOpenAI();
let server: Connected;

const config = () => `
models:
  gpt: { provider: openai, model: gpt-fake, baseURL: "${openai.url}" }
  claude: { provider: anthropic, model: claude-fake, baseURL: "${anthropic.url}" }
  sluggish: { provider: openai, model: gpt-slow, baseURL: "${openai.url}", timeout: 200ms, maxRetries: 0 }
  spare: { provider: openai, model: gpt-spare, baseURL: "${spare.url}" }
  helper: { provider: test, responses: [helped] }
tools:
  ask:
    prompt: say hi
    model: gpt
  askClaude:
    prompt: say hi
    model: claude
  looper:
    prompt: keep going
    model: gpt
    tools: [help]
    maxSteps: 2
  help:
    prompt: help
    model: helper
  sleepy:
    prompt: say hi
    model: gpt
    timeout: 300ms
  budget:
    prompt: say hi
    model: gpt
    tokenBudget: 20
  patient:
    prompt: say hi
    model: [sluggish, spare]
`;

before(async () => {
  await openai.start();
  await anthropic.start();
  await spare.start();
  // The test key is planted for both providers; the fakes take any key.
  server = await connectStdio(writeConfig(config()), {
    env: cleanEnv({ OPENAI_API_KEY: 'sk-test-loop-1234567', ANTHROPIC_API_KEY: 'sk-test-loop-1234567' }),
  });
});

after(async () => {
  await server.close();
  await openai.stop();
  await anthropic.stop();
  await spare.stop();
});

async function call(name: string): Promise<CallToolResult> {
  return (await server.client.callTool({ name, arguments: {} }, CallToolResultSchema)) as CallToolResult;
}

test('cancel while waiting for the answer: the provider socket closes at once, not at the model timeout (openai)', async () => {
  openai.reply({ hang: true });
  const ac = new AbortController();
  const pending = server.client.callTool({ name: 'ask', arguments: {} }, CallToolResultSchema, { signal: ac.signal });
  const requests = await openai.waitForRequests(openai.requests.length + 1);
  const request = requests[requests.length - 1]!;
  ac.abort();
  await assert.rejects(pending, /AbortError|aborted/i);
  // Nothing but the abort closes it before the model's 60 s timeout (no wall-clock bound: the machine may be loaded).
  assert.equal(
    await Promise.race([request.closed.then(() => 'closed'), new Promise((r) => setTimeout(r, 30_000, 'open').unref())]),
    'closed',
  );
  // The server lives on, and says the call was cancelled.
  assert.deepEqual((await call('ask')).content, [{ type: 'text', text: 'ok' }]);
  assert.match(server.stderr(), /agent-mcp info: call tool=ask ms=\d+ status=cancelled\n/);
});

test('cancel in the middle of a streamed answer: the provider socket closes at once, not at the stream end (anthropic)', async () => {
  // The fake sends the first word, then holds the rest (it never releases them: only the abort can end the request).
  anthropic.reply({ text: 'one two three four five six seven eight', gate: { after: 3, open: new Promise(() => {}) } });
  const ac = new AbortController();
  let firstText: () => void;
  const gotText = new Promise<void>((r) => (firstText = r));
  const progress: Progress[] = [];
  const pending = server.client.callTool({ name: 'askClaude', arguments: {} }, CallToolResultSchema, {
    signal: ac.signal,
    onprogress: (p) => {
      progress.push(p);
      if (!p.message?.startsWith('step')) firstText();
    },
  });
  const requests = await anthropic.waitForRequests(anthropic.requests.length + 1);
  const request = requests[requests.length - 1]!;
  await gotText;
  ac.abort();
  await assert.rejects(pending, /AbortError|aborted/i);
  // Without the abort the held stream would stay open (no wall-clock bound).
  assert.equal(
    await Promise.race([request.closed.then(() => 'closed'), new Promise((r) => setTimeout(r, 30_000, 'open').unref())]),
    'closed',
  );
  assert.equal(progress[1]!.message, 'one ', 'the stream had begun');
});

test('maxSteps ends the call with an error naming the limit', async () => {
  const first = openai.requests.length;
  openai.reply({ toolCalls: [{ name: 'help', input: {} }] }, { toolCalls: [{ name: 'help', input: {} }] });
  const result = await call('looper');
  assert.equal(result.isError, true);
  assert.deepEqual(result.content, [
    { type: 'text', text: 'maxSteps: the agent used all 2 steps without finishing (raise maxSteps on the tool)' },
  ]);
  assert.equal(openai.requests.length - first, 2);
  const second = openai.requests[first + 1]!.body.messages as { role: string; content: unknown }[];
  assert.deepEqual(second[2], { role: 'tool', tool_call_id: 'call_' + (first + 1) + '_0', content: 'helped' });
});

test('the call timeout ends the call with an error naming the limit, and aborts the request', async () => {
  openai.reply({ hang: true });
  const result = await call('sleepy');
  assert.equal(result.isError, true);
  assert.deepEqual(result.content, [{ type: 'text', text: 'timeout: the call took longer than 0.3s (set timeout: on the tool)' }]);
  // The fake never answers: only the abort closes the request (no wall-clock bound: the machine may be loaded).
  const request = openai.requests[openai.requests.length - 1]!;
  const closed = await Promise.race([request.closed, new Promise<number>((r) => setTimeout(() => r(Infinity), 30_000).unref())]);
  assert.ok(closed < Infinity, 'the provider request was aborted');
});

test('a token budget ends the call with an error naming the limit', async () => {
  openai.reply({ text: 'a long answer', usage: { input: 18, output: 12 } });
  const result = await call('budget');
  assert.equal(result.isError, true);
  assert.deepEqual(result.content, [{ type: 'text', text: 'tokenBudget: the call used 30 tokens, over its budget of 20' }]);
});

test('a model request timeout is a retriable failure: the chain moves to the next model', async () => {
  openai.reply({ hang: true });
  spare.reply({ text: 'spare here' });
  const result = await call('patient');
  assert.deepEqual(result.content, [{ type: 'text', text: 'spare here' }]);
  assert.equal((result._meta as Record<string, { model: string }>)['agent-mcp']!.model, 'spare');
  assert.match(server.stderr(), /sluggish failed; falling back to spare/);
});
