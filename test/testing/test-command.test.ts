// `agent-mcp test`: the built CLI runs a file's examples against its own `serve` child over MCP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCli, writeConfig, runInProcess } from '../helpers/cli.js';
import { parseXml, type XmlElement } from './xml.js';

const PASSING = `
models:
  canned: { provider: test, responses: ["Roses are red, socks are blue"] }
  shaped: { provider: test }
defaults:
  model: canned
tools:
  poet:
    prompt: write a poem about {{theme}}
    input:
      theme: { type: string }
    examples:
      - input: { theme: socks }
        expect: { contains: [Roses, socks], matches: "^Roses .* blue$" }
      - name: exact
        input: { theme: hats }
        expect: { equals: "Roses are red, socks are blue" }
  counter:
    model: shaped
    prompt: count
    output: { type: object, properties: { n: { type: integer } }, required: [n] }
    examples:
      - input: {}
        expect: { schema: true, equals: '{"n":0}' }
`;

const FAILING = `
models:
  canned: { provider: test, responses: ["Roses are red, socks are blue"] }
  missing: { provider: openai, model: gpt-4.1-mini, maxRetries: 0 }
defaults:
  model: canned
tools:
  poet:
    prompt: write a poem about {{theme}}
    input:
      theme: { type: string }
    examples:
      - input: { theme: socks }
        expect: { contains: socks }
      - name: "quotes \\" & <angles>"
        input: { theme: hats }
        expect: { contains: ["<hats> & \\"caps\\"", shoes] }
      - input: { theme: x }
        expect: { isError: true }
      - input: { theme: y }
        expect: { matches: "^violets" }
  paid:
    model: missing
    prompt: hello
    examples:
      - input: {}
        expect: { contains: hello }
`;

function child(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

test('a passing example set: ok lines in declaration order, the summary last, exit 0, JUnit XML', async () => {
  const file = writeConfig(PASSING);
  const junit = join(dirname(file), 'reports/nested/junit.xml');
  const run = await runInProcess(['test', file, '--junit', junit]);
  // Which model answered each case, on stderr: one line per distinct answer.
  assert.equal(run.stderr, 'poet #1, poet #2 (exact): answered by canned\ncounter #1: answered by shaped\n');
  assert.equal(
    run.stdout,
    'ok poet #1 [21 tokens]\nok poet #2 (exact) [21 tokens]\nok counter #1 [10 tokens]\ntotal: 52 tokens (34 in, 18 out)\n3 passed, 0 failed\n',
  );
  assert.equal(run.code, 0);

  const root = parseXml(readFileSync(junit, 'utf8'));
  assert.equal(root.name, 'testsuites');
  assert.deepEqual([root.attrs.name, root.attrs.tests, root.attrs.failures, root.attrs.errors], ['agents.yaml', '3', '0', '0']);
  assert.match(root.attrs.time!, /^\d+\.\d{3}$/);
  const suites = child(root, 'testsuite');
  assert.deepEqual(
    suites.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures]),
    [
      ['poet', '2', '0'],
      ['counter', '1', '0'],
    ],
  );
  assert.match(suites[0]!.attrs.timestamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  const cases = suites.flatMap((s) => child(s, 'testcase'));
  assert.deepEqual(
    cases.map((c) => [c.attrs.name, c.attrs.classname, c.children.map((k) => `${k.name}: ${k.text}`)]),
    [
      ['poet #1', 'poet', ['system-out: 21 tokens']],
      ['poet #2 (exact)', 'poet', ['system-out: 21 tokens']],
      ['counter #1', 'counter', ['system-out: 10 tokens']],
    ],
  );
  for (const c of cases) assert.match(c.attrs.time!, /^\d+\.\d{3}$/);
});

test('a failing example set: FAIL lines say why, exit 1, failures in JUnit XML escaped and parsed back', async () => {
  const file = writeConfig(FAILING);
  const junit = join(dirname(file), 'junit.xml');
  const run = await runCli(['test', file, '--junit', junit, '-j', '3']);
  const got = '"Roses are red, socks are blue"';
  assert.equal(
    run.stdout,
    [
      'ok poet #1 [21 tokens]',
      `FAIL poet #2 (quotes " & <angles>) [21 tokens]: expected text to contain "<hats> & \\"caps\\"" and "shoes", got ${got}`,
      `FAIL poet #3 [20 tokens]: expected an error, got ${got}`,
      `FAIL poet #4 [20 tokens]: expected text to match /^violets/, got ${got}`,
      'FAIL paid #1: the tool returned an error: "missing: OPENAI_API_KEY is not set"',
      'total: 82 tokens (50 in, 32 out)',
      '1 passed, 4 failed',
      '',
    ].join('\n'),
  );
  assert.equal(run.code, 1);

  const root = parseXml(readFileSync(junit, 'utf8'));
  assert.deepEqual([root.attrs.tests, root.attrs.failures, root.attrs.errors], ['5', '4', '0']);
  const cases = child(root, 'testsuite').flatMap((s) => child(s, 'testcase'));
  assert.equal(cases[1]!.attrs.name, 'poet #2 (quotes " & <angles>)');
  const failure = child(cases[1]!, 'failure')[0]!;
  assert.equal(failure.attrs.message, `expected text to contain "<hats> & \\"caps\\"" and "shoes", got ${got}`);
  assert.equal(
    failure.text,
    `expected text to contain "<hats> & \\"caps\\"" and "shoes", got ${got}\n\nresult:\nRoses are red, socks are blue`,
  );
  assert.equal(child(cases[0]!, 'failure').length, 0);
  assert.equal(child(cases[4]!, 'failure')[0]!.attrs.message, 'the tool returned an error: "missing: OPENAI_API_KEY is not set"');
});

test('--model test runs every agent on the offline model (a chain that needs a key then passes)', async () => {
  const file = writeConfig(`
models:
  paid: { provider: openai, model: gpt-4.1-mini }
tools:
  poet:
    model: paid
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
    examples:
      - input: { theme: socks }
        expect: { equals: "test model received: write a poem about socks" }
`);
  const without = await runInProcess(['test', file]);
  assert.equal(without.code, 1);
  assert.match(without.stdout, /^FAIL poet #1: the tool returned an error: "paid: OPENAI_API_KEY is not set"\n0 passed, 1 failed\n$/);
  const run = await runInProcess(['test', file, '--model', 'test']);
  assert.equal(run.stdout, 'ok poet #1 [25 tokens]\ntotal: 25 tokens (13 in, 12 out)\n1 passed, 0 failed\n');
  assert.equal(run.code, 0);
});

test('bad usage and bad files exit 2 with a located message; no examples is not a failure', async () => {
  const bad = writeConfig(
    'tools:\n  poet:\n    prompt: hi {{theme}}\n    input: { theme: { type: string } }\n    model: test\n    examples:\n      - input: { theme: 3 }\n',
  );
  const run = await runInProcess(['test', bad]);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, `${bad}:7:16: tools.poet.examples[0].input: does not match the input schema: theme: must be string\n`);

  const ok = writeConfig('tools:\n  poet:\n    prompt: hi\n    model: test\n    examples: [{ input: {} }]\n');
  const model = await runInProcess(['test', ok, '--model', 'tset']);
  assert.equal(model.code, 2);
  assert.equal(
    model.stderr,
    '--model: unknown model "tset" (did you mean "test"?); give a name from models:, provider:model-id, sampling or test\n',
  );
  const filter = await runInProcess(['test', ok, '--filter', 'critic']);
  assert.equal(filter.code, 2);
  assert.equal(filter.stderr, '--filter "critic" matches no case; cases: poet #1\n');

  const none = writeConfig('tools:\n  poet:\n    prompt: hi\n    model: test\n');
  const empty = await runInProcess(['test', none]);
  assert.equal(empty.code, 0);
  assert.equal(empty.stdout, '0 passed, 0 failed\n');
  assert.equal(empty.stderr, `no examples in ${none}: add examples: to a tool to test it (the server started and listed 1 tool)\n`);
});

test('--filter runs only the cases whose name contains the text', async () => {
  const file = writeConfig(PASSING);
  const run = await runInProcess(['test', file, '--filter', 'EXACT']);
  assert.equal(run.stdout, 'ok poet #2 (exact) [21 tokens]\ntotal: 21 tokens (13 in, 8 out)\n1 passed, 0 failed\n');
  assert.equal(run.code, 0);
});

test('a --junit file that cannot be written fails the run (exit 1) after the summary, which stays the last line', async () => {
  const file = writeConfig(PASSING);
  const junit = join(file, 'junit.xml'); // under a regular file: not writable
  const run = await runInProcess(['test', file, '--junit', junit]);
  assert.equal(
    run.stdout,
    'ok poet #1 [21 tokens]\nok poet #2 (exact) [21 tokens]\nok counter #1 [10 tokens]\ntotal: 52 tokens (34 in, 18 out)\n3 passed, 0 failed\n',
  );
  assert.match(run.stderr, /\n--junit: cannot write .*agents\.yaml\/junit\.xml: EEXIST/);
  assert.equal(run.code, 1);
});
