import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate, renderTemplate, TemplateSyntaxError } from '../../src/util/template.ts';

const render = (source: string, args: Record<string, unknown>) => renderTemplate(parseTemplate(source), args);

test('values are inserted verbatim: no escaping, no evaluation', () => {
  assert.equal(render('a {{x}} b', { x: '<b>&"{{y}}"</b>' }), 'a <b>&"{{y}}"</b> b');
  assert.equal(render('{{ x }}|{{n}}|{{o}}|{{t}}', { x: 's', n: 3, o: { k: [1] }, t: true }), 's|3|{"k":[1]}|true');
  assert.equal(render('[{{missing}}]', {}), '[]');
});

test('sections render only when the argument is given; inverted sections when it is not', () => {
  const t = '{{#who}}to {{who}}{{/who}}{{^who}}to nobody{{/who}}';
  assert.equal(render(t, { who: 'you' }), 'to you');
  for (const empty of [undefined, '', false, null, []]) assert.equal(render(t, { who: empty }), 'to nobody');
  assert.equal(render('{{#a}}A{{#b}}B{{/b}}{{/a}}', { a: 1, b: 1 }), 'AB');
  assert.equal(render('{{#a}}A{{#b}}B{{/b}}{{/a}}', { a: 1 }), 'A');
});

test('refs name every argument with its offset', () => {
  assert.deepEqual(parseTemplate('x {{a}} {{#b}}{{c}}{{/b}}').refs, [
    { name: 'a', offset: 2 },
    { name: 'b', offset: 8 },
    { name: 'c', offset: 14 },
  ]);
});

test('syntax errors carry their offset', () => {
  const cases: [string, string, number][] = [
    ['a {{#x}} b', 'section "{{#x}}" is never closed', 2],
    ['{{/x}}', '"{{/x}}" closes no open section', 0],
    ['{{#x}}{{/y}}', '"{{/y}}" closes "{{#x}}"', 6],
    ['ab {{x', '"{{" without a matching "}}"', 3],
  ];
  for (const [source, message, offset] of cases) {
    assert.throws(
      () => parseTemplate(source),
      (err: unknown) => err instanceof TemplateSyntaxError && err.message === message && err.offset === offset,
      source,
    );
  }
});
