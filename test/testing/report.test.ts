// The reporter's terminal and plain output, and JUnit escaping of text no file should break on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toJUnitXml } from '../../src/testing/junit.js';
import { Reporter } from '../../src/testing/reporter.js';
import type { CaseOutcome, TestCase } from '../../src/testing/runner.js';
import { parseXml } from './xml.js';

const cases: TestCase[] = ['poet #1', 'poet #2', 'critic #1'].map((label) => ({
  label,
  tool: label.split(' ')[0]!,
  input: {},
  expect: {},
  timeoutMs: 1000,
}));

const outcome = (i: number, status: CaseOutcome['status'], messages: string[] = [], ms = 5): CaseOutcome => ({
  case: cases[i]!,
  status,
  messages,
  ms,
  text: 'x',
  runs: 1,
  passes: status === 'passed' ? 1 : 0,
  usage: { inputTokens: 0, outputTokens: 0 },
  verdicts: [],
  exchanges: [],
  live: 0,
});

const extra = { runs: 1, passes: 0, usage: { inputTokens: 0, outputTokens: 0 }, verdicts: [], exchanges: [], live: 0 };

function sink(isTTY: boolean) {
  let text = '';
  return { stream: { isTTY, columns: 40, write: (s: string) => (text += s) }, text: () => text };
}

test('plain output: lines in declaration order whatever finishes first, summary last', () => {
  const out = sink(false);
  const r = new Reporter(out.stream, cases);
  for (const i of [0, 1, 2]) r.start(i);
  r.done(outcome(2, 'passed'), 2);
  assert.equal(out.text(), ''); // waits for #1 and #2
  r.done(outcome(0, 'failed', ['expected text to contain "a", got "b"']), 0);
  assert.equal(out.text(), 'FAIL poet #1: expected text to contain "a", got "b"\n');
  r.done(outcome(1, 'error', ['no result: MCP error -32001: Request timed out']), 1);
  r.summary([outcome(0, 'failed'), outcome(1, 'error'), outcome(2, 'passed')]);
  assert.equal(
    out.text(),
    'FAIL poet #1: expected text to contain "a", got "b"\nFAIL poet #2: no result: MCP error -32001: Request timed out\nok critic #1\n1 passed, 2 failed\n',
  );
});

test('on a terminal: a status line rewritten in place, cleared before each result and the summary', () => {
  const out = sink(true);
  const r = new Reporter(out.stream, cases, { NO_COLOR: '1' });
  r.start(0);
  r.start(1);
  r.done(outcome(0, 'passed', [], 1500), 0);
  r.done(outcome(1, 'passed', [], 12), 1);
  r.summary([outcome(0, 'passed'), outcome(1, 'passed')]);
  assert.equal(
    out.text(),
    [
      'running 0/3: poet #1',
      '\r\x1b[Krunning 0/3: poet #1, poet #2',
      '\r\x1b[Kok poet #1 (1.5 s)\nrunning 1/3: poet #2',
      '\r\x1b[Kok poet #2 (12 ms)\n',
      '2 passed, 0 failed\n',
    ].join(''),
  );
});

test('JUnit XML: control characters, quotes, ampersands and newlines survive a strict parse', () => {
  const nasty = 'a\u0000b\u001b[31m "q" \'s\' <tag> & &amp; ]]> \n\tend \uFFFF';
  const xml = toJUnitXml(
    [
      {
        case: { ...cases[0]!, label: `poet #1 (${nasty})` },
        status: 'failed',
        messages: [`got ${nasty}`],
        text: nasty,
        ms: 1234,
        ...extra,
      },
      { case: cases[2]!, status: 'error', messages: ['no result: connection closed'], ms: 0, ...extra },
    ],
    { name: 'agents.yaml', startedAt: new Date('2026-01-02T03:04:05.678Z'), totalMs: 2000 },
  );
  const root = parseXml(xml);
  assert.deepEqual(root.attrs, { name: 'agents.yaml', tests: '2', failures: '1', errors: '1', time: '2.000' });
  const [poet, critic] = root.children;
  assert.equal(poet!.attrs.timestamp, '2026-01-02T03:04:05');
  const expected = 'a\uFFFDb\uFFFD[31m "q" \'s\' <tag> & &amp; ]]> \n\tend \uFFFD';
  const testcase = poet!.children[0]!;
  assert.equal(testcase.attrs.name, `poet #1 (${expected})`);
  assert.equal(testcase.attrs.time, '1.234');
  assert.equal(testcase.children[0]!.name, 'failure');
  assert.equal(testcase.children[0]!.attrs.message, `got ${expected}`);
  assert.equal(testcase.children[0]!.text, `got ${expected}\n\nresult:\n${expected}`);
  assert.equal(critic!.children[0]!.children[0]!.name, 'error');
  assert.equal(critic!.children[0]!.children[0]!.text, 'no result: connection closed');
});
