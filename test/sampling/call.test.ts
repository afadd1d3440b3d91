// `agent-mcp call` answers the server's sampling requests with a model it names (--sampling-model).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, runInProcess, writeConfig } from '../helpers/cli.ts';
import { NO_SAMPLING_ERROR } from './scenarios.ts';

const file = writeConfig(`
models:
  client: { provider: sampling }
  scripted: { provider: test, responses: ["Socks for a fox."] }
  tooler: { provider: test, responses: [{ toolCalls: [{ name: rhymes, input: { word: fox } }] }, "A fox in a box."] }
  rhymer: { provider: test, responses: ["box, socks"] }
tools:
  poet:
    system: always reply in rhyme
    prompt: write a poem about {{theme}}
    input:
      theme: { type: string }
    model: sampling
  rhymes:
    prompt: rhymes for {{word}}
    input:
      word: { type: string }
    model: rhymer
  helper:
    prompt: write a poem about {{theme}}
    input:
      theme: { type: string }
    tools: [rhymes]
    model: client
`);

test('call declares sampling only with --sampling-model: without it a sampling-only tool says the client cannot sample', async () => {
  const run = await runInProcess(['call', 'poet', 'theme=socks', '-c', file]);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, `error: ${NO_SAMPLING_ERROR}\n`);
  assert.equal(run.code, 1);
  const answered = await runInProcess(['call', 'poet', 'theme=socks', '-c', file, '--sampling-model', 'test']);
  assert.equal(answered.stderr, 'answered by sampling\n');
  assert.equal(answered.stdout, 'test model received: write a poem about socks\n');
  assert.equal(answered.code, 0);
});

test('without --sampling-model a chain that starts with sampling goes on to the next model, and call says so', async () => {
  const chained = writeConfig(`
models:
  backup: { provider: test, responses: ["from the backup"] }
tools:
  poet: { prompt: hi, model: [sampling, backup] }
`);
  const run = await runInProcess(['call', 'poet', '-c', chained, '-o', 'json']);
  assert.equal(run.code, 0, run.stderr);
  // The fact only: the advice of the full message matters when no model answered.
  const skipped = "sampling: this MCP client does not support sampling (the client's own model)";
  assert.equal(run.stderr, `answered by backup; ${skipped}\n`);
  assert.deepEqual(JSON.parse(run.stdout)._meta['agent-mcp'], {
    model: 'backup',
    skipped: [skipped],
    steps: 1,
    usage: { inputTokens: 8, outputTokens: 4 },
  });
});

test('call --sampling-model names a model of the file', async () => {
  const run = await runInProcess(['call', 'poet', 'theme=socks', '-c', file, '--sampling-model', 'scripted']);
  assert.equal(run.stdout, 'Socks for a fox.\n');
  assert.equal(run.code, 0);
});

test('call answers sampling with tools: the tool round trip runs through its model', async () => {
  const run = await runInProcess(['call', 'helper', 'theme=foxes', '-c', file, '--sampling-model', 'tooler', '-o', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.deepEqual(result.content, [{ type: 'text', text: 'A fox in a box.' }]);
  assert.equal(result._meta['agent-mcp'].model, 'client');
  assert.equal(result._meta['agent-mcp'].steps, 2);
});

test('call --sampling-model: an unknown or sampling model is a usage error', async () => {
  const unknown = await runInProcess(['call', 'poet', 'theme=socks', '-c', file, '--sampling-model', 'scriptd']);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stdout, '');
  assert.equal(
    unknown.stderr,
    `--sampling-model: unknown model "scriptd" (did you mean "scripted"?); name an entry of models: in ${file}, test, or provider:model-id (openai:MODEL, anthropic:MODEL)\n`,
  );
  const itself = await runInProcess(['call', 'poet', 'theme=socks', '-c', file, '--sampling-model', 'client']);
  assert.equal(itself.code, 2);
  assert.equal(
    itself.stderr,
    '--sampling-model: "client" is a sampling model itself; name one that calls a provider (test, openai:MODEL, anthropic:MODEL or such an entry of models:)\n',
  );
});

test('a structured-output tool on sampling works from call and test: the schema travels in the request _meta', async () => {
  const typed = writeConfig(`
tools:
  triage:
    prompt: triage {{issue}}
    input:
      issue: { type: string }
    output:
      type: object
      properties: { severity: { type: string, enum: [low, high] }, reason: { type: string } }
      required: [severity, reason]
    model: sampling
    examples:
      - input: { issue: crash }
        expect: { schema: true }
`);
  const run = await runInProcess(['call', 'triage', 'issue=crash', '-c', typed, '--output', 'json', '--sampling-model', 'test']);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout).structuredContent, { severity: 'low', reason: 'text' });
  const smoke = await runInProcess(['test', typed, '--sampling-model', 'test']);
  assert.equal(smoke.stdout.trim().split('\n').at(-1), '1 passed, 0 failed');
  assert.equal(smoke.code, 0);
});

test('call and test speak the 2026-07-28 era with --protocol: sampling (with tools) runs as input_required round trips', async () => {
  // Spawned: the server's log reaches the terminal straight from the child `call` starts (its stderr is inherited).
  const run = await runCli([
    '--log-level',
    'info',
    'call',
    'helper',
    'theme=foxes',
    '-c',
    file,
    '--sampling-model',
    'tooler',
    '--protocol',
    '2026-07-28',
    '-o',
    'json',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.deepEqual(result.content, [{ type: 'text', text: 'A fox in a box.' }]);
  assert.equal(result._meta['agent-mcp'].steps, 2);
  // The server's log: two legs stopped to ask the client's model, the third answered.
  assert.deepEqual(
    [...run.stderr.matchAll(/call tool=helper .*status=(\w+)/g)].map((m) => m[1]),
    ['input_required', 'input_required', 'ok'],
  );
  const poet = await runInProcess(['call', 'poet', 'theme=socks', '-c', file, '--sampling-model', 'scripted', '--protocol', 'auto']);
  assert.equal(poet.stdout, 'Socks for a fox.\n');
  assert.equal(poet.code, 0, poet.stderr);
  const typed = writeConfig(`
tools:
  poet:
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
    model: sampling
    examples:
      - input: { theme: socks }
        expect: { contains: socks }
`);
  for (const protocol of ['2025', '2026-07-28']) {
    const smoke = await runInProcess(['test', typed, '--sampling-model', 'test', '--protocol', protocol]);
    assert.equal(smoke.stdout.trim().split('\n').at(-1), '1 passed, 0 failed', smoke.stderr);
    assert.equal(smoke.code, 0);
  }
  const bad = await runInProcess(['call', 'poet', '-c', file, '--protocol', '2024']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /option '--protocol <version>' argument '2024' is invalid\. Allowed choices are 2025, 2026-07-28, auto\./);
});
