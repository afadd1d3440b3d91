// What dev prints once the answer is in, after the streamed text it already showed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerAfterStream } from '../../src/commands/dev.ts';

test('an answer streamed whole only ends its line', () => {
  assert.equal(answerAfterStream('Socks for a fox.', 'Socks for a fox.', false), '\n');
  assert.equal(answerAfterStream('Socks for a fox.\n', 'Socks for a fox.\n', false), '');
});

test('chunks that never arrived (progress dropped after the result) finish the line instead of repeating it', () => {
  assert.equal(answerAfterStream('Socks in a ', 'Socks in a drawer keep a fox warm.', false), 'drawer keep a fox warm.\n');
});

test('nothing streamed: the answer is printed', () => {
  assert.equal(answerAfterStream('', 'Socks for a fox.', false), 'Socks for a fox.\n');
});

test('an answer other than what streamed (structured output, a fallback model) is printed on its own line', () => {
  assert.equal(answerAfterStream('draft', '{"verdict":"ok"}', false), '\n{"verdict":"ok"}\n');
  assert.equal(answerAfterStream(' Socks for a fox. ', 'Socks for a fox.', false), '\n');
});

test('an error follows the streamed text on a line of its own', () => {
  assert.equal(answerAfterStream('Socks in', 'the model timed out', true), '\nerror: the model timed out\n');
  assert.equal(answerAfterStream('', 'the model timed out', true), 'error: the model timed out\n');
});
