// `agent-mcp dev`: the interactive session in a real terminal (tmux), keystrokes in, the screen read back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FakeOpenAI } from '../fakes/openai-server.ts';
import { BIN, cleanEnv, writeConfig } from '../helpers/cli.ts';
import { Terminal, terminalSkip } from '../helpers/terminal.ts';
import { complete, splitWords } from '../../src/commands/dev.ts';

const yaml = (url: string, extra = '') => `models:
  gpt: { provider: openai, model: gpt-fake, baseURL: "${url}", apiKey: sk-fake }
tools:
  poet:
    description: Writes a poem
    prompt: write a poem about {{theme}}
    input:
      theme: { type: string }
      lines: { type: integer, default: 4 }
    model: gpt
  critic:
    prompt: judge {{text}}
    input: { text: { type: string } }
    model: test
${extra}prompts:
  rhyme:
    arguments:
      theme: { required: true }
    messages:
      - { role: user, text: "Write a rhyming poem about {{theme}}" }
`;

test('dev: list, Tab completion, a streamed answer with who answered, a prompt, a reload that keeps history, Ctrl+D', {
  skip: terminalSkip,
}, async (t) => {
  const openai = await new FakeOpenAI().start();
  t.after(() => openai.stop());
  const file = writeConfig(yaml(openai.url));
  const term = new Terminal([process.execPath, BIN, 'dev', 'agents.yaml'], { cwd: dirname(file), env: cleanEnv({ TERM: 'xterm' }) });
  t.after(() => term.close());

  await term.waitFor('agent-mcp dev: serving agents.yaml (reloaded on save): 2 tools, 1 prompt\nType a tool name');
  await term.waitFor(/^>$/m); // (the screen is read without trailing spaces)

  // Tab completes the tool name, then an argument name.
  term.type('po');
  term.press('Tab');
  await term.waitFor(/^> poet$/m);
  term.type('th');
  term.press('Tab');
  await term.waitFor(/^> poet theme=$/m);

  // The answer streams in: its first words are on the screen while the rest is held back by the fake. Then the
  // pieces come apart enough (more than the 100 ms progress batching) that each is its own progress notification,
  // as from a model: the last one and the result arriving together can print the answer twice.
  let release!: () => void;
  const open = new Promise<void>((resolve) => (release = resolve));
  openai.reply({
    text: 'Socks in a drawer, warm forevermore',
    gate: { after: 3, open },
    chunkDelayMs: 150,
    usage: { input: 12, output: 7 },
  });
  term.type('socks');
  term.press('Enter');
  const partial = await term.waitFor(/^Socks in$/m); // (role, "Socks ", "in "; trailing spaces are not read)
  assert.ok(!partial.includes('answered by'), partial);
  assert.ok(!partial.includes('forevermore'), partial);
  release();
  const done = await term.waitFor(/\(answered by gpt · 19 tokens · \d+\.\ds\)/);
  assert.match(done, /^> poet theme=socks\nSocks in a drawer, warm forevermore\n\(answered by gpt · 19 tokens · \d+\.\ds\)\n>$/m);
  assert.equal(JSON.parse(JSON.stringify(openai.requests.at(-1)!.body.messages)).at(-1).content, 'write a poem about socks');

  term.type('tools');
  term.press('Enter');
  await term.waitFor(
    /^poet - Writes a poem\n {2}theme=string \(required\)\n {2}lines=integer \(default 4\)\ncritic\n {2}text=string \(required\)\n>$/m,
  );

  term.type('prompt rhyme theme=foxes');
  term.press('Enter');
  await term.waitFor(/^user: Write a rhyming poem about foxes\n>$/m);

  term.type('critic');
  term.press('Enter');
  await term.waitFor(/^error: argument text is required|^error: .*text/m);

  // Saving the file reloads it; the session, its history included, carries on.
  writeFileSync(file, yaml(openai.url, '  haiku:\n    prompt: a haiku\n    model: test\n'));
  await term.waitFor('reloaded agents.yaml: 3 tools, 1 prompt');
  term.press('Up', 'Up');
  await term.waitFor(/^> prompt rhyme theme=foxes$/m);
  term.press('C-u');
  term.type('hai');
  term.press('Tab');
  await term.waitFor(/^> haiku$/m);
  term.press('Enter');
  await term.waitFor(/^test model received: a haiku\n\(answered by test · \d+ tokens · \d+\.\ds\)$/m);

  term.press('C-d');
  for (let i = 0; i < 200 && term.exitStatus() === undefined; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(term.exitStatus(), 0);
  assert.ok(readFileSync(file, 'utf8').includes('haiku'));
});

test('dev: words and completions', () => {
  assert.deepEqual(splitWords(`poet theme="two words" lines=3 note='it''s' empty=""`), [
    'poet',
    'theme=two words',
    'lines=3',
    'note=its',
    'empty=',
  ]);
  const tools = [
    { name: 'poet', inputSchema: { type: 'object' as const, properties: { theme: {}, lines: {} } } },
    { name: 'poll', inputSchema: { type: 'object' as const } },
  ];
  const prompts = [{ name: 'rhyme', arguments: [{ name: 'theme' }] }];
  assert.deepEqual(complete('po', tools, prompts), [['poet ', 'poll '], 'po']);
  assert.deepEqual(complete('pr', tools, prompts), [['prompts ', 'prompt '], 'pr']);
  assert.deepEqual(complete('poet ', tools, prompts), [['theme=', 'lines='], '']);
  assert.deepEqual(complete('poet theme=x l', tools, prompts), [['lines='], 'l']);
  assert.deepEqual(complete('poet theme=x ', tools, prompts), [['lines='], '']);
  assert.deepEqual(complete('prompt r', tools, prompts), [['rhyme '], 'r']);
  assert.deepEqual(complete('prompt rhyme ', tools, prompts), [['theme='], '']);
});

test('serve started by hand in a terminal says in one line what it waits for; Ctrl+C stops it', { skip: terminalSkip }, async (t) => {
  const file = writeConfig('tools:\n  poet: { prompt: hi, model: test }\n');
  const term = new Terminal([process.execPath, BIN, 'serve', 'agents.yaml'], {
    cwd: dirname(file),
    env: cleanEnv({ TERM: 'xterm' }),
    columns: 200,
  });
  t.after(() => term.close());
  const screen = await term.waitFor('waiting for');
  assert.equal(
    screen,
    'agent-mcp notice: serving 1 tool and 0 prompts of agents.yaml on stdio, waiting for an MCP client (Ctrl+C stops; agent-mcp dev agents.yaml tries it here)',
  );
  term.press('C-c');
  for (let i = 0; i < 200 && term.exitStatus() === undefined; i++) await new Promise((r) => setTimeout(r, 50));
  assert.notEqual(term.exitStatus(), undefined);
});
