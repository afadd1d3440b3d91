// `agent-mcp test --record` against the fake OpenAI and Anthropic servers, then `--replay` with the fakes shut down
// and no keys: the same report. A changed prompt fails with the difference; no key ever reaches a recording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CallToolResultSchema, type CallToolResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { cleanEnv, connectStdio, writeConfig, runInProcess } from '../helpers/cli.ts';
import { FakeAnthropic } from '../fakes/anthropic-server.ts';
import { FakeOpenAI } from '../fakes/openai-server.ts';

const OPENAI_KEY = 'opn-PLANTED-key-778899';
const ANTHROPIC_KEY = 'ant-PLANTED-key-445566';
const PROXY_KEY = 'proxy-PLANTED-secret-112233';
const KEYS = { OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY, PROXY_SECRET: PROXY_KEY };

/** With `bases` the models reach the fakes; without, they name no endpoint and have no key: only replay can answer. */
const config = (bases?: { openai: string; anthropic: string }, prompt = 'write a poem about {{theme}}') => `
models:
  gpt: { provider: openai, model: gpt-4.1-mini, maxRetries: 0${bases ? `, baseURL: "${bases.openai}", headers: { X-Proxy-Key: "\${PROXY_SECRET}" }` : ''} }
  claude: { provider: anthropic, model: claude-haiku-4-5, maxRetries: 0${bases ? `, baseURL: "${bases.anthropic}"` : ''} }
pricing:
  gpt-4.1-mini: { input: 400, output: 1600 }
defaults:
  model: gpt
tools:
  poet:
    prompt: ${prompt}
    input: { theme: { type: string } }
    tools: [rhyme]
    examples:
      - input: { theme: socks }
        expect: { contains: clock }
  rhyme:
    prompt: words that rhyme with {{word}}
    input: { word: { type: string } }
  titled:
    model: claude
    prompt: a title for {{theme}}
    input: { theme: { type: string } }
    output: { type: object, properties: { title: { type: string } }, required: [title] }
    examples:
      - input: { theme: socks }
        expect: { schema: true, contains: Ode }
  critic:
    model: claude
    prompt: criticise {{poem}}
    input: { poem: { type: string } }
    examples:
      - input: { poem: roses }
        expect: { equals: Too many roses. }
  denied:
    prompt: say hi
    examples:
      - input: {}
        expect: { isError: true, contains: "401" }
`;

function script(openai: FakeOpenAI, anthropic: FakeAnthropic): void {
  // -j 1: the examples run in order, so the scripts answer them in order.
  openai.reply(
    { toolCalls: [{ name: 'rhyme', input: { word: 'sock' } }], usage: { input: 20, output: 10 } },
    { text: 'clock, rock', usage: { input: 8, output: 3 } },
    { text: 'Socks tick like a clock', usage: { input: 30, output: 6 } },
    // A key echoed back in an error body must not reach the recording either.
    { status: 401, message: 'invalid key', echoAuth: true },
  );
  anthropic.reply({ toolCalls: [{ name: 'final_answer', input: { title: 'Ode to Socks' } }] }, { text: 'Too many roses.' });
}

const EXPECTED = [
  'ok poet #1 [77 tokens, $0.0536]',
  'ok titled #1 [15 tokens]',
  'ok critic #1 [15 tokens]',
  'ok denied #1',
  'total: 107 tokens (78 in, 29 out), $0.0536',
  '4 passed, 0 failed',
  '',
].join('\n');

async function startFakes() {
  const openai = await new FakeOpenAI().start();
  const anthropic = await new FakeAnthropic().start();
  return { openai, anthropic, bases: { openai: openai.url, anthropic: anthropic.url } };
}

test('record against the fakes, replay offline without keys: the same report; a changed prompt fails with the diff', async () => {
  const { openai, anthropic, bases } = await startFakes();
  script(openai, anthropic);
  const file = writeConfig(config(bases));
  const dir = join(dirname(file), 'recordings');
  const recorded = await runInProcess(['test', file, '--record', dir, '-j', '1'], { env: cleanEnv(KEYS) });
  await openai.stop();
  await anthropic.stop();
  assert.equal(recorded.stdout, EXPECTED);
  const answered = 'poet #1: answered by gpt\ntitled #1, critic #1: answered by claude\n';
  assert.equal(recorded.stderr, `${answered}recorded 4 examples in ${dir}\n`);
  assert.equal(recorded.code, 0);
  assert.equal(openai.requests.length, 4);
  assert.equal(anthropic.requests.length, 2);

  assert.deepEqual(readdirSync(dir).sort(), ['critic-1.json', 'denied-1.json', 'poet-1.json', 'titled-1.json']);
  for (const name of readdirSync(dir)) {
    const text = readFileSync(join(dir, name), 'utf8');
    for (const key of [OPENAI_KEY, ANTHROPIC_KEY, PROXY_KEY]) assert.ok(!text.includes(key), `${name} holds ${key}`);
  }
  const poet = JSON.parse(readFileSync(join(dir, 'poet-1.json'), 'utf8'));
  assert.equal(poet.example, 'poet #1');
  // The tool-call turns, the nested agent's request included, in the order they were made.
  assert.deepEqual(
    poet.exchanges.map((e: { request: { body: { messages: { content: string }[] } } }) => e.request.body.messages[0]!.content),
    ['write a poem about socks', 'words that rhyme with sock', 'write a poem about socks'],
  );
  const denied = JSON.parse(readFileSync(join(dir, 'denied-1.json'), 'utf8'));
  assert.equal(denied.exchanges[0].response.status, 401);
  assert.equal(denied.exchanges[0].response.body.error.message, 'invalid key (you sent Bearer [redacted])');

  // No endpoint, no key, no server: only the recordings answer.
  const offline = writeConfig(config());
  const replayed = await runInProcess(['test', offline, '--replay', dir]);
  assert.equal(replayed.stderr, answered);
  assert.equal(replayed.stdout, EXPECTED);
  assert.equal(replayed.code, 0);

  const changed = writeConfig(config(undefined, 'write a sonnet about {{theme}}'));
  const miss = await runInProcess(['test', changed, '--replay', dir, '--filter', 'poet']);
  assert.equal(
    miss.stdout,
    'FAIL poet #1: no recorded openai request matches this one (model, messages, tools, output schema); ' +
      'the nearest recording (poet-1.json, exchange 1) differs:\n' +
      '  messages[0].content: recorded "write a poem about socks", now "write a sonnet about socks"\n' +
      '0 passed, 1 failed\n',
  );
  assert.equal(miss.code, 1);
});

test('--record-missing records only the examples that need it; serve --replay streams a recording made without streaming', async () => {
  const { openai, anthropic, bases } = await startFakes();
  try {
    const dir = mkdtempSync(join(tmpdir(), 'agent-mcp-recordings-'));
    const one = `
models:
  gpt: { provider: openai, model: gpt-4.1-mini, baseURL: "${bases.openai}" }
defaults: { model: gpt }
tools:
  poet:
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
    examples:
      - input: { theme: socks }
        expect: { contains: socks }
`;
    const file = writeConfig(one);
    openai.reply({ text: 'socks, soft socks' });
    assert.equal((await runInProcess(['test', file, '--record', dir], { env: cleanEnv(KEYS) })).code, 0);
    const first = readFileSync(join(dir, 'poet-1.json'), 'utf8');

    writeFileSync(file, `${one}      - name: hats\n        input: { theme: hats }\n        expect: { contains: hats }\n`);
    openai.reply({ text: 'hats, tall hats' });
    const missing = await runInProcess(['test', file, '--replay', dir, '--record-missing'], { env: cleanEnv(KEYS) });
    assert.equal(
      missing.stdout,
      'ok poet #1 [15 tokens]\nok poet #2 (hats) [15 tokens]\ntotal: 30 tokens (20 in, 10 out)\n2 passed, 0 failed\n',
    );
    assert.equal(missing.stderr, `poet #1, poet #2 (hats): answered by gpt\nrecorded 1 example in ${dir}\n`);
    assert.equal(openai.requests.length, 2); // hats only
    assert.equal(readFileSync(join(dir, 'poet-1.json'), 'utf8'), first);
    assert.deepEqual(readdirSync(dir).sort(), ['poet-1.json', 'poet-2-hats.json']);
    assert.equal(JSON.parse(first).exchanges[0].streamed, false);

    // A client that asks for progress gets the recorded answer as a stream.
    const served = await connectStdio(file, { args: ['--replay', dir] });
    try {
      const progress: Progress[] = [];
      const result = (await served.client.callTool({ name: 'poet', arguments: { theme: 'socks' } }, CallToolResultSchema, {
        onprogress: (p) => progress.push(p),
      })) as CallToolResult;
      assert.deepEqual(result.content, [{ type: 'text', text: 'socks, soft socks' }]);
      // Asking for progress makes the adapter stream, so the plain recording was played back as events (the
      // streamed text itself may land after the result: test/recording/wire-replay.test.ts checks the deltas).
      assert.equal(progress[0]?.message, 'step 1/10: thinking');
      const unknown = (await served.client.callTool({ name: 'poet', arguments: { theme: 'gloves' } })) as CallToolResult;
      assert.equal(unknown.isError, true);
      assert.match(
        (unknown.content[0] as { text: string }).text,
        /^gpt: HTTP 400: replay: no recorded openai request matches this one .* messages\[0\]\.content: recorded "write a poem about (socks|hats)", now "write a poem about gloves"$/,
      );
    } finally {
      await served.close();
    }
    assert.equal(openai.requests.length, 2);
  } finally {
    await openai.stop();
    await anthropic.stop();
  }
});

test('sampling answered by --sampling-model is recorded and replayed with the example', async () => {
  const fake = await new FakeOpenAI().start();
  const sampled = (base?: string) => `
models:
  client: { provider: sampling }
  gpt: { provider: openai, model: gpt-4.1-mini${base ? `, baseURL: "${base}"` : ''} }
tools:
  poet:
    model: client
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
    examples:
      - input: { theme: socks }
        expect: { equals: "Sampled socks" }
`;
  const file = writeConfig(sampled(fake.url));
  const dir = join(dirname(file), 'rec');
  fake.reply({ text: 'Sampled socks' });
  const recorded = await runInProcess(['test', file, '--sampling-model', 'gpt', '--record', dir], { env: cleanEnv(KEYS) });
  await fake.stop();
  // A sampling result carries no usage: the line has no tokens.
  const report = 'ok poet #1\n1 passed, 0 failed\n';
  assert.equal(recorded.stdout, report);
  assert.equal(fake.requests.length, 1);
  const cassette = JSON.parse(readFileSync(join(dir, 'poet-1.json'), 'utf8'));
  assert.deepEqual(
    cassette.exchanges.map((e: { provider: string; request: { body: { model: string } } }) => [e.provider, e.request.body.model]),
    [['openai', 'gpt-4.1-mini']],
  );
  const replayed = await runInProcess(['test', writeConfig(sampled()), '--sampling-model', 'gpt', '--replay', dir]);
  assert.equal(replayed.stdout, report);
  assert.equal(replayed.code, 0);
});
