// expect.judge with a grader model, --repeat with passRate, tokens and cost, --max-cost: against scripted models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cleanEnv, writeConfig, runInProcess } from '../helpers/cli.ts';
import { FakeOpenAI } from '../fakes/openai-server.ts';
import { parseXml } from './xml.ts';

const JUDGED = `
models:
  canned: { provider: test, responses: ["Socks are warm, socks are neat"] }
  grader: { provider: test, responses: [{ pass: true, reason: "It mentions socks and rhymes." }] }
  harsh: { provider: test, responses: [{ pass: false, reason: "It does not rhyme." }] }
defaults: { model: canned, judge: grader }
tools:
  poet:
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
    examples:
      - input: { theme: socks }
        expect: { contains: socks, judge: the poem rhymes and mentions socks }
`;

test('expect.judge: the grader says pass or fail with a reason, in the report and in JUnit', async () => {
  const file = writeConfig(JUDGED);
  const passed = await runInProcess(['test', file]);
  assert.equal(
    passed.stdout,
    'ok poet #1 [126 tokens]\n  judge: pass: It mentions socks and rhymes.\ntotal: 126 tokens (104 in, 22 out)\n1 passed, 0 failed\n',
  );
  assert.equal(passed.code, 0);

  const junit = join(dirname(file), 'junit.xml');
  const failed = await runInProcess(['test', file, '--judge-model', 'harsh', '--junit', junit]);
  assert.equal(
    failed.stdout,
    'FAIL poet #1 [123 tokens]: judge: It does not rhyme.\n  judge: fail: It does not rhyme.\ntotal: 123 tokens (104 in, 19 out)\n0 passed, 1 failed\n',
  );
  assert.equal(failed.code, 1);
  const testcase = parseXml(readFileSync(junit, 'utf8')).children[0]!.children[0]!;
  assert.deepEqual(
    testcase.children.map((c) => [c.name, c.attrs.message, c.text]),
    [
      ['failure', 'judge: It does not rhyme.', 'judge: It does not rhyme.\n\nresult:\nSocks are warm, socks are neat'],
      ['system-out', undefined, '123 tokens\njudge: fail: It does not rhyme.'],
    ],
  );

  const ungraded = writeConfig(JUDGED.replace('judge: grader }', '}'));
  const none = await runInProcess(['test', ungraded]);
  assert.equal(none.stderr, 'poet #1: expect.judge needs a grader model: give --judge-model MODEL or set defaults.judge\n');
  assert.equal(none.code, 2);
  const unknown = await runInProcess(['test', file, '--judge-model', 'hrash']);
  assert.equal(
    unknown.stderr,
    '--judge-model: unknown model "hrash" (did you mean "harsh"?); give a name from models:, provider:model-id, sampling or test\n',
  );
  assert.equal(unknown.code, 2);
});

test('judge calls are recorded and replayed like the others', async () => {
  const fake = await new FakeOpenAI().start();
  const file = writeConfig(
    JUDGED.replace(
      'grader: { provider: test, responses: [{ pass: true, reason: "It mentions socks and rhymes." }] }',
      `grader: { provider: openai, model: gpt-judge, baseURL: "${fake.url}" }`,
    ),
  );
  const dir = join(dirname(file), 'rec');
  fake.reply({ text: '{"pass":true,"reason":"Rhymes, and socks are there."}', usage: { input: 50, output: 12 } });
  const recorded = await runInProcess(['test', file, '--record', dir], { env: cleanEnv({ OPENAI_API_KEY: 'judge-PLANTED-key-99' }) });
  await fake.stop();
  const report =
    'ok poet #1 [83 tokens]\n  judge: pass: Rhymes, and socks are there.\ntotal: 83 tokens (63 in, 20 out)\n1 passed, 0 failed\n';
  assert.equal(recorded.stdout, report);
  assert.equal(fake.requests[0]!.body.response_format !== undefined, true);
  assert.deepEqual(readdirSync(dir), ['poet-1.json']);
  assert.ok(!readFileSync(join(dir, 'poet-1.json'), 'utf8').includes('judge-PLANTED-key-99'));
  const replayed = await runInProcess(['test', file, '--replay', dir]);
  assert.equal(replayed.stdout, report);
  assert.equal(replayed.code, 0);
});

test('--repeat N with passRate: 4 of 5 passes at 0.8, fails at 1.0', async () => {
  const fake = await new FakeOpenAI().start();
  try {
    const file = writeConfig(`
models:
  gpt: { provider: openai, model: gpt-4.1-mini, baseURL: "${fake.url}" }
defaults: { model: gpt }
pricing:
  gpt-4.1-mini: { input: 1000, output: 2000 }
tools:
  poet:
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
    examples:
      - name: mostly
        input: { theme: socks }
        expect: { contains: socks, passRate: 0.8 }
      - name: always
        input: { theme: socks }
        expect: { contains: socks }
`);
    const answers = ['socks', 'socks', 'hats', 'socks', 'socks'];
    for (const text of [...answers, ...answers]) fake.reply({ text, usage: { input: 10, output: 5 } });
    const run = await runInProcess(['test', file, '--repeat', '5', '-j', '1'], { env: cleanEnv({ OPENAI_API_KEY: 'k-repeat-123456' }) });
    assert.equal(
      run.stdout,
      [
        'ok poet #1 (mostly) [4/5 passed, 75 tokens, $0.1]',
        'FAIL poet #2 (always) [4/5 passed, 75 tokens, $0.1]: 4/5 runs passed; expected text to contain "socks", got "hats"',
        'total: 150 tokens (100 in, 50 out), $0.2',
        '1 passed, 1 failed',
        '',
      ].join('\n'),
    );
    assert.equal(run.code, 1);
    assert.equal(fake.requests.length, 10);
  } finally {
    await fake.stop();
  }
});

test('--max-cost stops starting runs once the run costs more, and fails it', async () => {
  const file = writeConfig(`
models:
  canned: { provider: test, responses: ["socks"] }
defaults: { model: canned }
pricing:
  canned: { input: 100, output: 100 }
tools:
  poet:
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
    examples:
      - input: { theme: socks }
        expect: { contains: socks }
      - input: { theme: hats }
        expect: { contains: socks }
`);
  const run = await runInProcess(['test', file, '--repeat', '3', '-j', '1', '--max-cost', '0.001']);
  assert.equal(
    run.stdout,
    [
      'FAIL poet #1 [15 tokens, $0.0015]: 1/3 runs passed; stopped after 1 runs: --max-cost',
      'FAIL poet #2: not run: the run had cost $0.0015, past --max-cost $0.001',
      'total: 15 tokens (13 in, 2 out), $0.0015',
      '0 passed, 2 failed',
      '',
    ].join('\n'),
  );
  assert.equal(run.stderr, 'poet #1: answered by canned\nstopped: the run cost $0.0015, past --max-cost $0.001\n');
  assert.equal(run.code, 1);
  const bad = await runInProcess(['test', file, '--max-cost', 'lots']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /option '--max-cost <amount>' argument 'lots' is invalid\. expected an amount above 0, such as 0\.50/);
});
