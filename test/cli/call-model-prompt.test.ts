// `call --model` (every tool on one model, as serve and test have) and `call --prompt NAME key=value`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeConfig, runInProcess } from '../helpers/cli.ts';

const file = writeConfig(`
models:
  fast: { provider: anthropic, model: claude-haiku-4-5 }
  canned: { provider: test, responses: ["from canned"] }
tools:
  poet:
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
    model: fast
prompts:
  rhyme:
    description: Ask for a rhyming poem
    arguments:
      theme: { required: true }
      mood: {}
    messages:
      - { role: user, text: "Write a{{#mood}} {{mood}}{{/mood}} rhyming poem about {{theme}}" }
      - { role: assistant, text: "Gladly." }
`);

test('call --model runs the tool on that model instead of its own', async () => {
  const own = await runInProcess(['call', 'poet', 'theme=socks', '-c', file]);
  assert.equal(own.code, 1);
  assert.equal(own.stderr, 'error: fast: ANTHROPIC_API_KEY is not set\n');
  const canned = await runInProcess(['call', 'poet', 'theme=socks', '-c', file, '--model', 'canned']);
  assert.equal(canned.stdout, 'from canned\n');
  assert.equal(canned.stderr, 'answered by canned\n');
  assert.equal(canned.code, 0);
  const unknown = await runInProcess(['call', 'poet', 'theme=socks', '-c', file, '--model', 'canend']);
  assert.equal(unknown.code, 2);
  assert.equal(
    unknown.stderr,
    '--model: unknown model "canend" (did you mean "canned"?); give a name from models:, provider:model-id, sampling or test\n',
  );
  const remote = await runInProcess(['call', 'poet', '--url', 'http://127.0.0.1:9/mcp', '--model', 'test']);
  assert.equal(remote.code, 2);
  assert.equal(remote.stderr, 'call: --model applies to the file it serves, not with --url\n');
});

test('call --prompt renders a prompt with key=value arguments', async () => {
  const run = await runInProcess(['call', '--prompt', 'rhyme', 'theme=socks', 'mood=merry', '-c', file]);
  assert.equal(run.stderr, '');
  assert.equal(run.stdout, 'user: Write a merry rhyming poem about socks\nassistant: Gladly.\n');
  assert.equal(run.code, 0);
  const json = await runInProcess(['call', '--prompt', 'rhyme', 'theme=socks', '-c', file, '-o', 'json']);
  assert.deepEqual(JSON.parse(json.stdout).messages[0], {
    role: 'user',
    content: { type: 'text', text: 'Write a rhyming poem about socks' },
  });

  const unknown = await runInProcess(['call', '--prompt', 'rhym', '-c', file]);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, 'no prompt "rhym" (did you mean "rhyme"?); prompts: rhyme\n');
  const badArg = await runInProcess(['call', '--prompt', 'rhyme', 'them=socks', '-c', file]);
  assert.equal(badArg.code, 2);
  assert.equal(badArg.stderr, 'prompt rhyme has no argument "them" (did you mean "theme"?); arguments: theme, mood\n');
  const missing = await runInProcess(['call', '--prompt', 'rhyme', '-c', file]);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'Missing required argument for prompt rhyme: theme\n');
});
