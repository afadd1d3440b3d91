// The commands a newcomer types, with their exit codes: 0 ok, 1 the job failed, 2 bad usage or config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, runCli, runInProcess, writeConfig } from '../helpers/cli.ts';

const FILE = writeConfig(`
models:
  offline: { provider: test }
  failing: { provider: test, responses: [{ error: { status: 401, message: bad key } }] }
defaults: { model: offline }
tools:
  poet:
    description: Poem generator
    prompt: write a poem about {{theme}} in {{lines}} lines{{#tags}} tagged {{tags}}{{/tags}}
    input:
      theme: { type: string, description: What the poem is about }
      lines: { type: integer, default: 4 }
      tags: { type: array, items: { type: string }, optional: true }
  broken:
    prompt: hi
    model: failing
`);

test('the README first command: call poet theme=socks on the shipped agents.yaml', async () => {
  const run = await runCli(['call', 'poet', 'theme=socks'], { cwd: ROOT });
  assert.equal(run.stdout, 'test model received: write a poem about socks in 4 lines\n');
  assert.equal(run.code, 0);
});

test('call types key=value by the input schema and merges --json', async () => {
  const run = await runInProcess(['call', '-c', FILE, 'poet', 'theme=the sea', 'lines=6', 'tags=["a","b"]']);
  assert.equal(run.stdout, 'test model received: write a poem about the sea in 6 lines tagged ["a","b"]\n');
  assert.equal(run.code, 0);
  const json = await runInProcess(['call', '-c', FILE, 'poet', '--json', '{"theme":"rain","lines":3}', 'lines=5']);
  assert.equal(json.stdout, 'test model received: write a poem about rain in 5 lines\n');
});

test('call with --output json prints the whole result', async () => {
  const run = await runInProcess(['call', '-c', FILE, 'poet', 'theme=x', '--output', 'json']);
  const result = JSON.parse(run.stdout);
  assert.deepEqual(result.content, [{ type: 'text', text: 'test model received: write a poem about x in 4 lines' }]);
  assert.equal(result._meta['agent-mcp'].model, 'offline');
  assert.equal(run.code, 0);
});

test('call with no tool lists the tools and their arguments', async () => {
  const run = await runInProcess(['call', '-c', FILE]);
  assert.equal(
    run.stdout,
    'poet - Poem generator\n' +
      '  theme=string (required)  What the poem is about\n' +
      '  lines=integer (default 4)\n' +
      '  tags=array (optional)\n' +
      'broken\n',
  );
  assert.equal(run.code, 0);
});

test('call exit codes: a failed tool is 1, bad usage is 2', async () => {
  const failed = await runCli(['call', '-c', FILE, 'broken']);
  assert.equal(failed.stderr, 'error: failing: test model error 401: bad key\n');
  assert.equal(failed.code, 1);

  const unknownTool = await runCli(['call', '-c', FILE, 'peot']);
  assert.equal(unknownTool.stderr, 'no tool "peot" (did you mean "poet"?); tools: poet, broken\n');
  assert.equal(unknownTool.code, 2);

  // The exit code is the one the process exits with (main.ts): the two above went through a process, the rest in-process.
  const unknownArg = await runInProcess(['call', '-c', FILE, 'poet', 'them=x']);
  assert.equal(unknownArg.stderr, 'tool poet has no argument "them" (did you mean "theme"?); it takes: theme, lines, tags\n');
  assert.equal(unknownArg.code, 2);

  const badNumber = await runInProcess(['call', '-c', FILE, 'poet', 'theme=x', 'lines=many']);
  assert.equal(badNumber.stderr, 'argument lines: "many" is not a number\n');
  assert.equal(badNumber.code, 2);

  const invalid = await runInProcess(['call', '-c', FILE, 'poet']);
  assert.equal(invalid.stderr, 'error: Invalid arguments for tool poet: theme: is required\n');
  assert.equal(invalid.code, 1);

  const badConfig = await runInProcess(['call', '-c', writeConfig('tools: [1]\n'), 'poet']);
  assert.match(badConfig.stderr, /agents\.yaml:1:8: tools: expected a mapping, got a list\n$/);
  assert.equal(badConfig.code, 2);
});

test('validate prints a summary, and warnings do not fail it', async () => {
  const file = writeConfig(
    'models:\n  gpt: { provider: openai, model: gpt-4.1-mini }\ndefaults: { model: [gpt, test] }\ntools:\n  a: { prompt: hi }\n  b: { prompt: ho }\n',
  );
  const run = await runInProcess(['validate', file]);
  assert.equal(run.stdout, 'ok: 2 tools, 0 prompts, 2 models\n');
  assert.equal(run.stderr, `${file}:2:8: models.gpt: OPENAI_API_KEY is not set; model gpt is unavailable until it is (warning)\n`);
  assert.equal(run.code, 0);
});

test('${VAR} reads the environment and a .env beside the file', async () => {
  const file = writeConfig(
    'server:\n  name: "${SERVER_NAME:-fallback}"\n  version: ${FROM_DOTENV}\ndefaults: { model: test }\ntools:\n  a: { prompt: "hi $${literal}" }\n',
    {
      '.env': 'FROM_DOTENV=9.9.9\n',
    },
  );
  const run = await runInProcess(['call', '-c', file, 'a', '--output', 'json']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).content[0].text, 'test model received: hi ${literal}');
  void dirname(file);
});

test('--version, --help and bad usage', async () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const version = await runInProcess(['--version']);
  assert.equal(version.stdout, `${pkg.version}\n`);
  assert.equal(version.code, 0);

  const help = await runInProcess(['--help']);
  assert.equal(help.code, 0);
  for (const command of ['serve', 'validate', 'call']) assert.match(help.stdout, new RegExp(`\\n  ${command} `));

  const unknown = await runInProcess(['serv']);
  assert.match(unknown.stderr, /unknown command 'serv'/);
  assert.equal(unknown.code, 2);

  const badLevel = await runInProcess(['--log-level', 'loud', 'validate']);
  assert.match(badLevel.stderr, /option '--log-level <level>' argument 'loud' is invalid/);
  assert.equal(badLevel.code, 2);
});

test('call gives up after --timeout with a plain message, exit 1', async () => {
  const slow = writeConfig('models:\n  slow: { provider: test, delay: 20s }\ntools:\n  wait: { prompt: hi, model: slow }\n');
  const run = await runInProcess(['call', '-c', slow, 'wait', '--timeout', '1s']);
  assert.equal(run.stderr, 'no answer within 1s and no progress meanwhile (raise --timeout)\n');
  assert.equal(run.code, 1);
});

test('a --timeout a Node timer cannot hold (zero, or over 24 days) is bad usage, not an instant timeout', async () => {
  for (const value of ['0', '9999999h']) {
    const run = await runInProcess(['call', '-c', FILE, 'poet', 'theme=socks', '--timeout', value]);
    assert.equal(
      run.stderr,
      `error: option '--timeout <duration>' argument '${value}' is invalid. not a duration from 1ms to 24 days: ${value === '0' ? '0' : `"${value}"`}\n(run with --help for usage)\n`,
    );
    assert.equal(run.code, 2);
  }
});

test('call refuses an argument named like an Object method (toString), as any undeclared one', async () => {
  const run = await runInProcess(['call', '-c', FILE, 'poet', 'theme=socks', 'toString=1']);
  assert.equal(run.stderr, 'tool poet has no argument "toString"; it takes: theme, lines, tags\n');
  assert.equal(run.code, 2);
});
