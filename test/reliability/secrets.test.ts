// Configured secrets planted where a model or a provider can repeat them: none reaches any output channel
// (result text, structuredContent, progress, log lines on stderr and to the client, error results).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ProgressReporter } from '../../src/agent/progress.ts';
import { loadConfigText } from '../../src/config/load.ts';
import { redact } from '../../src/util/redact.ts';
import { FakeOpenAI } from '../fakes/openai-server.ts';
import { type Harness, harness } from './harness.ts';

const KEY = 'sk-planted-SECRETS-7731';
const HEADER = 'team-token-from-env-5512'; // under a header name that does not look secret
const OTHER = 'another-key-of-the-file-9920'; // a second model's key, which this model was never sent
const ALL = [KEY, HEADER, OTHER];

const fake = new FakeOpenAI();
let h: Harness;

before(async () => {
  await fake.start();
  h = harness(
    `
models:
  gpt:
    provider: openai
    model: gpt-fake
    baseURL: "${fake.url}"
    apiKey: "\${KEY}"
    headers: { X-Team: "\${TEAM}" }
    maxRetries: 0
  other: { provider: anthropic, model: claude-fake, apiKey: "${OTHER}" }
tools:
  plain: { prompt: say hi, model: gpt }
  titled:
    prompt: a title
    model: gpt
    output: { type: object, properties: { title: { type: string } }, required: [title] }
`,
    { KEY, TEAM: HEADER },
  );
});

after(() => fake.stop());

function assertClean(text: string) {
  for (const secret of ALL) assert.ok(!text.includes(secret), `${secret} leaked in: ${text.slice(0, 400)}`);
}

const repeated = `Here you go: ${KEY} and ${HEADER} and ${OTHER} done`;

test('a model repeating the secrets: result and progress redacted, streamed or not', async () => {
  for (const stream of [true, false]) {
    fake.reply({ text: repeated });
    const { outcome, progress, everything } = await h.call('plain', {}, { stream });
    assert.equal(outcome.text, 'Here you go: [redacted] and [redacted] and [redacted] done');
    assert.equal(outcome.isError, false);
    if (stream) assert.ok(progress.join('').includes('[redacted]'), 'the streamed text went through progress');
    assertClean(everything);
  }
});

test('structuredContent redacted', async () => {
  fake.reply({ text: JSON.stringify({ title: `the key is ${KEY}` }) });
  const { outcome, everything } = await h.call('titled');
  assert.deepEqual(outcome.structured, { title: 'the key is [redacted]' });
  assertClean(everything);
});

test('an error that echoes the credentials: redacted in the error result and the log lines', async () => {
  fake.reply({ status: 401, message: `bad team ${HEADER}`, echoAuth: true });
  const { outcome, everything } = await h.call('plain');
  assert.equal(outcome.text, 'gpt: HTTP 401: bad team [redacted] (you sent Bearer [redacted])');
  assert.equal(outcome.isError, true);
  assertClean(everything);
  assertClean(h.logs.join('\n'));
});

test('log records to the client: fields redacted, not only the message', async () => {
  const lines: string[] = [];
  const { Logger } = await import('../../src/log.ts');
  const log = new Logger({ level: 'emergency', format: 'json' }).child(
    {},
    { wants: () => true, write: (r) => lines.push(JSON.stringify(r)) },
  );
  log.info(`tried ${KEY}`, { header: HEADER, nested: { list: [OTHER] } });
  assert.equal(lines.length, 1);
  assertClean(lines[0]!);
  assert.match(lines[0]!, /"nested":\{"list":\["\[redacted\]"\]\}/);
});

test('a secret split across streamed pieces never reaches progress whole or in two halves', () => {
  const sent: string[] = [];
  const reporter = new ProgressReporter((u) => sent.push(u.message), { intervalMs: 0 });
  reporter.text('the key is sk-planted-SEC');
  reporter.text('RETS-7731 and more');
  reporter.close();
  assert.equal(sent.join(''), 'the key is [redacted] and more');
  assert.ok(!sent.some((s) => s.includes('sk-planted-SEC')), `a half was sent: ${JSON.stringify(sent)}`);
});

test('header values from ${VAR} are secrets whatever their name; written-out ones under plain names are not', () => {
  loadConfigText(
    '/x/agents.yaml',
    `models:
  m:
    provider: openai
    model: gpt-4.1-mini
    baseURL: "https://user:url-password-1234@example.test/v1?key=url-query-4321&api-version=2024-10-21"
    headers: { X-Title: my-agents-app, X-Org: "org-\${ORG}" }
defaults: { model: m }
tools:
  a: { prompt: hi }
`,
    { env: { ORG: 'org-from-env-3456' } },
  );
  assert.equal(
    redact('my-agents-app org-org-from-env-3456 url-password-1234 url-query-4321 2024-10-21'),
    'my-agents-app org-[redacted] [redacted] [redacted] 2024-10-21',
  );
});
