// The anthropic adapter end to end: the built CLI over stdio, the real @anthropic-ai/sdk, a fake Messages server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CallToolResultSchema, type CallToolResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { cleanEnv, connectStdio, writeConfig, type Connected } from '../helpers/cli.ts';
import { FakeAnthropic } from '../fakes/anthropic-server.ts';
import { recordWire, type Wire } from './wire.ts';

const KEY = 'sk-test-PLANTED-123456';
const fake = new FakeAnthropic();
const other = new FakeAnthropic();
let server: Connected;
let wire: Wire;

const TITLE = { type: 'object', properties: { title: { type: 'string' }, lines: { type: 'integer' } }, required: ['title', 'lines'] };

const config = () => `
models:
  claude: { provider: anthropic, model: claude-fake, baseURL: "${fake.url}", maxTokens: 1000 }
  other: { provider: anthropic, model: claude-other, baseURL: "${other.url}" }
tools:
  poet:
    system: you are a poet
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
    model: claude
    tools: [rhyme]
  rhyme:
    description: Words that rhyme
    prompt: rhymes for {{word}}
    input: { word: { type: string } }
    model: claude
  titled:
    prompt: a title for {{theme}}
    input: { theme: { type: string } }
    model: claude
    output: ${JSON.stringify(TITLE)}
  researched:
    prompt: a title for {{theme}}, check rhymes first
    input: { theme: { type: string } }
    model: claude
    tools: [rhyme]
    output: ${JSON.stringify(TITLE)}
  busy:
    prompt: say hi
    model: [claude, other]
`;

before(async () => {
  await fake.start();
  await other.start();
  server = await connectStdio(writeConfig(config()), { env: cleanEnv({ ANTHROPIC_API_KEY: KEY }), args: ['--log-level', 'debug'] });
  wire = recordWire(server);
});

after(async () => {
  await server.close();
  await fake.stop();
  await other.stop();
});

async function call(name: string, args: Record<string, unknown> = {}, onprogress?: (p: Progress) => void): Promise<CallToolResult> {
  return (await server.client.callTool(
    { name, arguments: args },
    CallToolResultSchema,
    onprogress ? { onprogress } : undefined,
  )) as CallToolResult;
}

function meta(result: CallToolResult): { model: string; steps: number; usage: { inputTokens: number; outputTokens: number } } {
  return (result._meta as Record<string, never>)['agent-mcp'];
}

test('a streamed two-step run: tool_use assembled from JSON fragments, tool_result sent back, text as progress', async () => {
  const first = fake.requests.length;
  fake.reply(
    {
      text: 'Let me find rhymes. ',
      toolCalls: [{ id: 'toolu_r', name: 'rhyme', input: { word: 'sock' } }],
      usage: { input: 30, output: 12 },
    },
    { text: 'clock, rock', usage: { input: 8, output: 3 } },
    { text: 'A sock by the clock', chunkDelayMs: 40, usage: { input: 50, output: 7 } },
  );
  const progress: Progress[] = [];
  const result = await call('poet', { theme: 'socks' }, (p) => progress.push(p));
  assert.deepEqual(result.content, [{ type: 'text', text: 'A sock by the clock' }]);
  assert.deepEqual(meta(result), { model: 'claude', steps: 2, usage: { inputTokens: 88, outputTokens: 22 } });

  const [step1, nested, step2] = fake.requests.slice(first);
  assert.equal(step1!.headers.authorization, `Bearer ${KEY}`);
  assert.equal(step1!.body.stream, true);
  assert.equal(step1!.body.system, 'you are a poet');
  assert.equal(step1!.body.max_tokens, 1000);
  assert.deepEqual(step1!.body.tools, [
    {
      name: 'rhyme',
      description: 'Words that rhyme',
      input_schema: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] },
    },
  ]);
  assert.equal(step1!.body.tool_choice, undefined);
  assert.deepEqual(nested!.body.messages, [{ role: 'user', content: [{ type: 'text', text: 'rhymes for sock' }] }]);
  assert.deepEqual(step2!.body.messages, [
    { role: 'user', content: [{ type: 'text', text: 'write a poem about socks' }] },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Let me find rhymes. ' },
        { type: 'tool_use', id: 'toolu_r', name: 'rhyme', input: { word: 'sock' } },
      ],
    },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_r', content: [{ type: 'text', text: 'clock, rock' }] }] },
  ]);
  const messages = progress.map((p) => p.message);
  assert.ok(messages.includes('step 1/10: calling rhyme'), JSON.stringify(messages));
  assert.ok(messages.includes('rhyme: step 1/10: thinking'), JSON.stringify(messages));
  assert.ok(messages.includes('step 2/10: continuing'), JSON.stringify(messages));
  const final = messages.slice(messages.indexOf('step 2/10: continuing') + 1);
  assert.ok(final.length >= 2, `the last answer arrived in pieces: ${JSON.stringify(final)}`);
  assert.equal(final.join(''), 'A sock by the clock');
  assert.match(server.stderr(), /agent-mcp info: call tool=poet model=claude steps=2 tokens=110 ms=\d+ status=ok\n/);
});

test('structured output through a forced tool: invalid once, re-asked with the error, then valid', async () => {
  const first = fake.requests.length;
  fake.reply(
    { toolCalls: [{ name: 'final_answer', input: { title: 'Socks' } }] },
    { toolCalls: [{ name: 'final_answer', input: { title: 'Socks', lines: 4 } }] },
  );
  const result = await call('titled', { theme: 'socks' });
  assert.equal(result.isError, undefined);
  assert.deepEqual(result.structuredContent, { title: 'Socks', lines: 4 });
  assert.deepEqual(result.content, [{ type: 'text', text: '{"title":"Socks","lines":4}' }]);
  const [asked, reasked] = fake.requests.slice(first);
  assert.deepEqual(asked!.body.tool_choice, { type: 'tool', name: 'final_answer' });
  assert.deepEqual(asked!.body.tools, [
    {
      name: 'final_answer',
      description: 'Give your final answer by calling this tool once, with the answer as its input. Call it only when you are done.',
      input_schema: TITLE,
    },
  ]);
  assert.deepEqual((reasked!.body.messages as unknown[]).slice(1), [
    { role: 'assistant', content: [{ type: 'text', text: '{"title":"Socks"}' }] },
    {
      role: 'user',
      content: [
        {
          type: 'text',
          text: 'Your answer did not match the required JSON Schema: lines: is required. Reply again with only a JSON object that matches the schema.',
        },
      ],
    },
  ]);
});

test('structured output beside other tools: any tool may be called; the output tool ends the run', async () => {
  const first = fake.requests.length;
  fake.reply(
    { toolCalls: [{ id: 'toolu_1', name: 'rhyme', input: { word: 'sock' } }] },
    { text: 'clock' },
    { toolCalls: [{ name: 'final_answer', input: { title: "Sock o'clock", lines: 2 } }] },
  );
  const result = await call('researched', { theme: 'socks' });
  assert.deepEqual(result.structuredContent, { title: "Sock o'clock", lines: 2 });
  assert.equal(meta(result).steps, 2);
  const [step1, , step2] = fake.requests.slice(first);
  for (const r of [step1!, step2!]) {
    assert.deepEqual(r.body.tool_choice, { type: 'any' });
    assert.deepEqual(
      (r.body.tools as { name: string }[]).map((t) => t.name),
      ['rhyme', 'final_answer'],
    );
  }
});

test('529 overloaded with retry-after-ms is retried on the same model', async () => {
  const first = fake.requests.length;
  fake.reply({ status: 529, message: 'Overloaded', headers: { 'retry-after-ms': '150' } }, { text: 'hi' });
  const result = await call('busy');
  assert.deepEqual(result.content, [{ type: 'text', text: 'hi' }]);
  assert.equal(meta(result).model, 'claude');
  const [failed, retried] = fake.requests.slice(first);
  assert.ok(retried!.at - failed!.at >= 140, `waited ${retried!.at - failed!.at} ms`);
  assert.match(server.stderr(), /agent-mcp warning: claude: HTTP 529: Overloaded; retry 1\/2 in 150 ms tool=busy\n/);
});

test('401 fails at once without the key; the planted key is nowhere on stdout or stderr', async () => {
  const first = fake.requests.length;
  const firstOther = other.requests.length;
  fake.reply({ status: 401, message: 'invalid x-api-key', echoAuth: true });
  const result = await call('busy');
  assert.equal(result.isError, true);
  assert.deepEqual(result.content, [{ type: 'text', text: 'claude: HTTP 401: invalid x-api-key (you sent Bearer [redacted])' }]);
  assert.equal(fake.requests.length - first, 1);
  assert.equal(other.requests.length - firstOther, 0);
  assert.ok(!wire.text().includes(KEY), 'stdout');
  assert.ok(!server.stderr().includes('PLANTED'), 'stderr');
});
