// The openai adapter end to end: the built CLI over stdio, the real openai SDK, a fake Chat Completions server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CallToolResultSchema, type CallToolResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { cleanEnv, connectStdio, writeConfig, type Connected } from '../helpers/cli.ts';
import { FakeOpenAI } from '../fakes/openai-server.ts';
import { recordWire, type Wire } from './wire.ts';

const KEY = 'sk-test-PLANTED-123456';
const primary = new FakeOpenAI();
const backup = new FakeOpenAI();
let server: Connected;
let wire: Wire;

const config = () => `
models:
  gpt: { provider: openai, model: gpt-fake, baseURL: "${primary.url}" }
  backup: { provider: openai, model: gpt-backup, baseURL: "${backup.url}" }
  flaky: { provider: openai, model: gpt-flaky, baseURL: "${primary.url}", maxRetries: 1 }
tools:
  poet:
    description: Writes a poem, using rhymes
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
    model: gpt
    tools: [rhyme]
  rhyme:
    description: Words that rhyme
    prompt: rhymes for {{word}}
    input: { word: { type: string } }
    model: gpt
  retrying:
    prompt: say hi
    model: gpt
  chained:
    prompt: say hi
    model: [flaky, backup]
  strict:
    prompt: say hi
    model: [gpt, backup]
  titled:
    prompt: a title for {{theme}}
    input: { theme: { type: string } }
    model: gpt
    output:
      type: object
      properties:
        title: { type: string }
        lines: { type: integer }
      required: [title, lines]
  keyless:
    prompt: say hi
    model: anthropic:claude-haiku-4-5
`;

before(async () => {
  await primary.start();
  await backup.start();
  server = await connectStdio(writeConfig(config()), { env: cleanEnv({ OPENAI_API_KEY: KEY }), args: ['--log-level', 'debug'] });
  wire = recordWire(server);
});

after(async () => {
  await server.close();
  await primary.stop();
  await backup.stop();
});

async function call(name: string, args: Record<string, unknown> = {}, onprogress?: (p: Progress) => void): Promise<CallToolResult> {
  return (await server.client.callTool(
    { name, arguments: args },
    CallToolResultSchema,
    onprogress ? { onprogress } : undefined,
  )) as CallToolResult;
}

function meta(result: CallToolResult): {
  model: string;
  skipped?: string[];
  steps: number;
  usage: { inputTokens: number; outputTokens: number };
} {
  return (result._meta as Record<string, never>)['agent-mcp'];
}

test("a two-step run: the agent calls another tool of the file, then answers; usage is the providers' own", async () => {
  const first = primary.requests.length;
  primary.reply(
    { toolCalls: [{ id: 'call_rhyme', name: 'rhyme', input: { word: 'sock' } }], usage: { input: 11, output: 3 } },
    { text: 'clock, rock', usage: { input: 7, output: 2 } }, // the nested rhyme agent
    { text: 'A sock by the clock', usage: { input: 20, output: 9 } },
  );
  const result = await call('poet', { theme: 'socks' });
  assert.deepEqual(result.content, [{ type: 'text', text: 'A sock by the clock' }]);
  assert.equal(result.isError, undefined);
  assert.deepEqual(meta(result), { model: 'gpt', steps: 2, usage: { inputTokens: 38, outputTokens: 14 } });

  const [step1, nested, step2] = primary.requests.slice(first);
  assert.equal(step1!.headers.authorization, `Bearer ${KEY}`);
  assert.equal(step1!.body.stream, false);
  assert.deepEqual(step1!.body.messages, [{ role: 'user', content: 'write a poem about socks' }]);
  assert.deepEqual(step1!.body.tools, [
    {
      type: 'function',
      function: {
        name: 'rhyme',
        description: 'Words that rhyme',
        parameters: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] },
      },
    },
  ]);
  assert.deepEqual(nested!.body.messages, [{ role: 'user', content: 'rhymes for sock' }]);
  assert.deepEqual(step2!.body.messages, [
    { role: 'user', content: 'write a poem about socks' },
    {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_rhyme', type: 'function', function: { name: 'rhyme', arguments: '{"word":"sock"}' } }],
    },
    { role: 'tool', tool_call_id: 'call_rhyme', content: 'clock, rock' },
  ]);
  assert.match(server.stderr(), /agent-mcp info: call tool=rhyme model=gpt steps=1 tokens=9 ms=\d+ status=ok\n/);
  assert.match(server.stderr(), /agent-mcp info: call tool=poet model=gpt steps=2 tokens=52 ms=\d+ status=ok\n/);
});

test('streamed text reaches the client as progress notifications; usage comes from the stream', async () => {
  const first = primary.requests.length;
  const text = 'one two three four five six';
  primary.reply({ text, chunkDelayMs: 45, usage: { input: 4, output: 6 } });
  const progress: Progress[] = [];
  const result = await call('retrying', {}, (p) => progress.push(p));
  assert.deepEqual(result.content, [{ type: 'text', text }]);
  assert.deepEqual(meta(result).usage, { inputTokens: 4, outputTokens: 6 });
  const request = primary.requests[first]!;
  assert.equal(request.body.stream, true);
  assert.deepEqual(request.body.stream_options, { include_usage: true });
  assert.equal(progress[0]!.message, 'step 1/10: thinking');
  const streamed = progress.slice(1).map((p) => p.message);
  assert.ok(streamed.length >= 2, `text arrived in pieces: ${JSON.stringify(streamed)}`);
  assert.equal(streamed.join(''), text);
  assert.deepEqual(
    progress.map((p) => p.progress),
    progress.map((_, i) => i + 1),
  );
});

test('429 with Retry-After: the wait is honoured, then the same model answers', async () => {
  const first = primary.requests.length;
  primary.reply({ status: 429, message: 'Rate limit reached', headers: { 'retry-after': '1' } }, { text: 'hi after waiting' });
  const result = await call('retrying');
  assert.deepEqual(result.content, [{ type: 'text', text: 'hi after waiting' }]);
  assert.equal(meta(result).model, 'gpt');
  const [failed, retried] = primary.requests.slice(first);
  const waited = retried!.at - failed!.at;
  assert.ok(waited >= 950, `waited ${waited} ms for Retry-After: 1`); // (the log line below names the planned wait)
  assert.match(server.stderr(), /agent-mcp warning: gpt: HTTP 429: Rate limit reached; retry 1\/2 in 1000 ms tool=retrying\n/);
});

test('500s exhaust the retries, then the next model of the chain answers and _meta names it', async () => {
  const first = primary.requests.length;
  const firstBackup = backup.requests.length;
  primary.reply({ status: 500, message: 'upstream exploded' }, { status: 503, message: 'still down' });
  backup.reply({ text: 'hi from the backup', usage: { input: 3, output: 4 } });
  const result = await call('chained');
  assert.deepEqual(result.content, [{ type: 'text', text: 'hi from the backup' }]);
  assert.deepEqual(meta(result), {
    model: 'backup',
    skipped: ['flaky: HTTP 503: still down'],
    steps: 1,
    usage: { inputTokens: 3, outputTokens: 4 },
  });
  assert.equal(primary.requests.length - first, 2, 'one try and one retry (maxRetries: 1)');
  assert.equal(backup.requests.length - firstBackup, 1);
  assert.equal(backup.requests[firstBackup]!.body.model, 'gpt-backup');
  assert.match(server.stderr(), /agent-mcp warning: flaky failed; falling back to backup tool=chained\n/);
});

test("401 fails at once: no retry, no fallback, the provider's message without the key", async () => {
  const first = primary.requests.length;
  const firstBackup = backup.requests.length;
  primary.reply({ status: 401, message: 'Incorrect API key provided', echoAuth: true });
  const result = await call('strict');
  assert.equal(result.isError, true);
  assert.deepEqual(result.content, [{ type: 'text', text: 'gpt: HTTP 401: Incorrect API key provided (you sent Bearer [redacted])' }]);
  assert.equal(primary.requests.length - first, 1);
  assert.equal(backup.requests.length - firstBackup, 0);
});

test('structured output: json_schema response_format; an invalid answer is re-asked with the error, then valid', async () => {
  const first = primary.requests.length;
  primary.reply({ text: '{"title": "Socks", "lines": "four"}' }, { text: '```json\n{"title": "Socks", "lines": 4}\n```' });
  const result = await call('titled', { theme: 'socks' });
  assert.equal(result.isError, undefined);
  assert.deepEqual(result.structuredContent, { title: 'Socks', lines: 4 });
  assert.deepEqual(result.content, [{ type: 'text', text: '{"title":"Socks","lines":4}' }]);
  const [asked, reasked] = primary.requests.slice(first);
  assert.deepEqual(asked!.body.response_format, {
    type: 'json_schema',
    json_schema: {
      name: 'output',
      strict: false,
      schema: { type: 'object', properties: { title: { type: 'string' }, lines: { type: 'integer' } }, required: ['title', 'lines'] },
    },
  });
  assert.deepEqual((reasked!.body.messages as unknown[]).slice(1), [
    { role: 'assistant', content: '{"title": "Socks", "lines": "four"}' },
    {
      role: 'user',
      content:
        'Your answer did not match the required JSON Schema: lines: must be integer. Reply again with only a JSON object that matches the schema.',
    },
  ]);
});

test('a model without its key is unavailable, naming the variable', async () => {
  const result = await call('keyless');
  assert.equal(result.isError, true);
  assert.deepEqual(result.content, [{ type: 'text', text: 'anthropic:claude-haiku-4-5: ANTHROPIC_API_KEY is not set' }]);
});

test('the planted key never reaches stdout, stderr or a result', async () => {
  primary.reply(
    { status: 400, message: 'Bad request', echoAuth: true },
    { status: 500, message: 'boom', echoAuth: true },
    { status: 500, message: 'boom', echoAuth: true },
  );
  backup.reply({ status: 403, message: 'Forbidden', echoAuth: true });
  const results = [await call('strict'), await call('chained')];
  assert.deepEqual(
    results.map((r) => r.content),
    [
      [{ type: 'text', text: 'gpt: HTTP 400: Bad request (you sent Bearer [redacted])' }],
      [{ type: 'text', text: 'backup: HTTP 403: Forbidden (you sent Bearer [redacted])' }],
    ],
  );
  assert.ok(
    primary.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`),
    'the key did reach the provider',
  );
  assert.ok(wire.text().length > 1000, 'the wire was recorded');
  assert.ok(!wire.text().includes(KEY), 'stdout');
  assert.ok(server.stderr().includes('flaky: HTTP 500: boom (you sent Bearer [redacted])'), 'the failure was logged');
  assert.ok(!server.stderr().includes(KEY), 'stderr');
  assert.ok(!server.stderr().includes('PLANTED'), 'stderr (any part of the key)');
});
