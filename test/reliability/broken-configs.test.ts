// At least 40 broken agents.yaml files, each refused with its exact located message, in-process on the serve path
// (no meta-schema) or, for the checks only `validate` and `test` make, the deep one; then through the CLI: `serve`
// refuses what `validate` refuses, with the same lines and exit 2, and a hostile nest is a message, not a crash.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfigText } from '../../src/config/load.ts';
import { ConfigError } from '../../src/errors.ts';
import { runCli, writeConfig } from '../helpers/cli.ts';

const cases: { name: string; yaml: string; deep?: boolean; expect: string[] }[] = [
  {
    name: 'a list at the top',
    yaml: '- a\n- b\n',
    expect: ['1:1: expected a mapping, got a list'],
  },
  {
    name: 'a scalar at the top',
    yaml: 'just text\n',
    expect: ['1:1: expected a mapping, got "just text"'],
  },
  {
    name: 'tools as a list',
    yaml: 'tools:\n  - poet\n',
    expect: ['2:3: tools: expected a mapping, got a list'],
  },
  {
    name: 'a tool that is a string',
    yaml: 'tools:\n  poet: write a poem\n',
    expect: ['2:9: tools.poet: expected a mapping, got "write a poem"'],
  },
  {
    name: 'an unknown top-level key',
    yaml: 'tool:\n  poet: {}\ntools:\n  poet:\n    model: test\n    prompt: hi\n',
    expect: ['1:1: unknown key "tool" (did you mean "tools"?)'],
  },
  {
    name: 'a tab in the indentation',
    yaml: 'tools:\n  poet:\n\tmodel: test\n    prompt: hi\n',
    expect: ['3:1: a tab in the indentation: YAML indents with spaces only'],
  },
  {
    name: 'an unclosed double quote, located where it opens',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: "write about\n    description: x\n  other:\n    model: test\n    prompt: hi\n',
    expect: ['4:13: the double quote opened here is never closed'],
  },
  {
    name: 'an unclosed single quote, located where it opens',
    yaml: "tools:\n  poet:\n    model: test\n    prompt: 'it is\n    description: x\n",
    expect: ['4:13: the single quote opened here is never closed'],
  },
  {
    name: 'an unclosed flow mapping',
    yaml: 'tools:\n  poet: { model: test, prompt: hi\n',
    expect: ['3:1: Flow map in block collection must be sufficiently indented and end with a }'],
  },
  {
    name: 'a flow nest 20,000 deep',
    yaml: `a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
    expect: ['1:103: nested more than 100 levels deep'],
  },
  {
    name: 'a block nest 2,000 deep (200 MB of indentation would be 20,000)',
    yaml: `${Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`,
    expect: ['101:101: nested more than 100 levels deep'],
  },
  {
    name: 'a sequence nest on one line',
    yaml: `a: ${'- '.repeat(200)}x\n`,
    expect: ['1:204: nested more than 100 levels deep'],
  },
  {
    name: 'an unknown provider',
    yaml: 'models:\n  m: { provider: gemini, model: pro }\ntools:\n  poet:\n    model: test\n    prompt: hi\n',
    expect: ['2:18: models.m.provider: expected one of "openai", "anthropic", "sampling", "test", got "gemini"'],
  },
  {
    name: 'openai without a model id',
    yaml: 'models:\n  m: { provider: openai }\ndefaults: { model: m }\ntools:\n  poet:\n    prompt: hi\n',
    expect: ['2:3: models.m: missing required field "model" (the openai model id)'],
  },
  {
    name: 'a baseURL that is not a URL',
    yaml: 'models:\n  m: { provider: openai, model: x, baseURL: "not a url" }\ndefaults: { model: m }\ntools:\n  poet:\n    prompt: hi\n',
    expect: ['2:45: models.m.baseURL: expected a URL such as http://127.0.0.1:11434/v1, got "not a url"'],
  },
  {
    name: 'a timeout that is not a duration',
    yaml: 'models:\n  m: { provider: openai, model: x, timeout: soon }\ndefaults: { model: m }\ntools:\n  poet:\n    prompt: hi\n',
    expect: ['2:45: models.m.timeout: expected a duration such as 90s or 5m, got "soon"'],
  },
  {
    name: 'a negative timeout',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: hi\n    timeout: -5\n',
    expect: ['5:14: tools.poet.timeout: must be more than 0, got number -5'],
  },
  {
    name: 'a temperature that is text',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: hi\n    temperature: warm\n',
    expect: ['5:18: tools.poet.temperature: expected a number, got "warm"'],
  },
  {
    name: 'maxRetries below zero',
    yaml: 'models:\n  m: { provider: test, maxRetries: -1 }\ndefaults: { model: m }\ntools:\n  poet:\n    prompt: hi\n',
    expect: ['2:36: models.m.maxRetries: must be at least 0, got number -1'],
  },
  {
    name: 'maxSteps as a fraction',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: hi\n    maxSteps: 2.5\n',
    expect: ['5:15: tools.poet.maxSteps: expected an integer, got number 2.5'],
  },
  {
    name: 'headers that are not a mapping',
    yaml: 'models:\n  m: { provider: openai, model: x, headers: [a, b] }\ndefaults: { model: m }\ntools:\n  poet:\n    prompt: hi\n',
    expect: ['2:45: models.m.headers: expected a mapping, got a list'],
  },
  {
    name: 'an unclosed placeholder',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: "write {{theme"\n    input:\n      theme: { type: string }\n',
    expect: ['4:20: tools.poet.prompt: "{{" without a matching "}}"'],
  },
  {
    name: 'a closing section that was never opened',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: "x {{/theme}}"\n    input:\n      theme: { type: string, optional: true }\n',
    expect: ['4:16: tools.poet.prompt: "{{/theme}}" closes no open section'],
  },
  {
    name: 'a placeholder in the system prompt naming nothing',
    yaml: 'tools:\n  poet:\n    model: test\n    system: "you are {{persona}}"\n    prompt: hi\n',
    expect: ['4:22: tools.poet.system: placeholder {{persona}} names no declared argument'],
  },
  {
    name: 'an input schema of type string',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: hi\n    input:\n      type: string\n',
    expect: ['6:13: tools.poet.input.type: an input schema must have type: object, got "string"'],
  },
  {
    name: 'required that is not a list',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: hi\n    input:\n      type: object\n      properties: { a: { type: string } }\n      required: a\n',
    expect: ['8:17: tools.poet.input.required: not valid JSON Schema: must be a list of property names'],
  },
  {
    name: 'a $ref to nowhere',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: hi\n    input:\n      type: object\n      properties:\n        a: { $ref: "#/$defs/nope" }\n',
    expect: ["6:7: tools.poet.input: not valid JSON Schema: can't resolve reference #/$defs/nope from id #"],
  },
  {
    name: 'a $ref to another server',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: hi\n    input:\n      type: object\n      properties:\n        a: { $ref: "https://example.test/schema.json" }\n',
    expect: ["6:7: tools.poet.input: not valid JSON Schema: can't resolve reference https://example.test/schema.json from id #"],
  },
  {
    name: 'an output schema that is not an object',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: hi\n    output: { type: string }\n',
    expect: ['5:13: tools.poet.output: the output schema must have type: object (MCP structuredContent is an object)'],
  },
  {
    name: 'an output schema with a misspelt type',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: hi\n    output:\n      type: object\n      properties: { n: { type: numbr } }\n',
    expect: [
      '7:32: tools.poet.output.properties.n.type: not valid JSON Schema: must be one of "array", "boolean", "integer", "null", "number", "object", "string"',
    ],
  },
  {
    name: 'an unsupported $schema dialect',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: hi\n    input:\n      $schema: "http://json-schema.org/draft-04/schema#"\n      type: object\n',
    expect: [
      '6:16: tools.poet.input.$schema: not valid JSON Schema: unsupported dialect (use https://json-schema.org/draft/2020-12/schema or draft-07)',
    ],
  },
  {
    name: 'an example that does not match the input',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: "{{n}}"\n    input:\n      n: { type: integer }\n    examples:\n      - input: { n: lots }\n        expect: { contains: x }\n',
    deep: true,
    expect: ['8:16: tools.poet.examples[0].input: does not match the input schema: n: must be integer'],
  },
  {
    name: 'an example regex that does not compile',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: hi\n    examples:\n      - input: {}\n        expect: { matches: "(" }\n',
    deep: true,
    expect: ['7:28: tools.poet.examples[0].expect.matches: not a regular expression: Invalid regular expression: /(/: Unterminated group'],
  },
  {
    name: 'an example schema check without an output schema',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: hi\n    examples:\n      - input: {}\n        expect: { schema: true }\n',
    deep: true,
    expect: ['7:27: tools.poet.examples[0].expect.schema: the tool has no output schema to check against'],
  },
  {
    name: 'a tool calling an unknown tool',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: hi\n    tools: [rhymer]\n  rhyme:\n    model: test\n    prompt: hi\n',
    expect: ['5:13: tools.poet.tools[0]: unknown tool "rhymer" (did you mean "rhyme"?)'],
  },
  {
    name: 'a tool calling itself',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: hi\n    tools: [poet]\n',
    expect: ['5:13: tools.poet.tools[0]: tool "poet" cannot call itself'],
  },
  {
    name: 'a prompt without messages',
    yaml: 'prompts:\n  p:\n    description: x\ntools:\n  poet:\n    model: test\n    prompt: hi\n',
    expect: ['2:3: prompts.p: missing required field "messages"'],
  },
  {
    name: 'a prompt message with an unknown role',
    yaml: 'prompts:\n  p:\n    messages:\n      - { role: system, text: hi }\ntools:\n  poet:\n    model: test\n    prompt: hi\n',
    expect: ['4:17: prompts.p.messages[0].role: expected one of "user", "assistant", got "system"'],
  },
  {
    name: 'a prompt placeholder naming no argument',
    yaml: 'prompts:\n  p:\n    messages:\n      - { role: user, text: "about {{topic}}" }\ntools:\n  poet:\n    model: test\n    prompt: hi\n',
    expect: ['4:36: prompts.p.messages[0].text: placeholder {{topic}} names no declared prompt argument'],
  },
  {
    name: 'an HTTP port out of range',
    yaml: 'server:\n  http: { port: 70000 }\ntools:\n  poet:\n    model: test\n    prompt: hi\n',
    expect: ['2:17: server.http.port: must be at most 65535, got number 70000'],
  },
  {
    name: 'a body limit that is not a size',
    yaml: 'server:\n  http: { bodyLimit: huge }\ntools:\n  poet:\n    model: test\n    prompt: hi\n',
    expect: ['2:22: server.http.bodyLimit: not a size: "huge" (use e.g. 4mb, 512kb)'],
  },
  {
    name: 'a connection cap of zero',
    yaml: 'server:\n  http: { maxConnections: 0 }\ntools:\n  poet:\n    model: test\n    prompt: hi\n',
    expect: ['2:27: server.http.maxConnections: must be at least 1, got number 0'],
  },
  {
    name: 'a connection cap that is not a number',
    yaml: 'server:\n  http: { maxConnections: many }\ntools:\n  poet:\n    model: test\n    prompt: hi\n',
    expect: ['2:27: server.http.maxConnections: expected a number, got "many"'],
  },
  {
    name: 'a session memory of zero',
    yaml: 'server:\n  http: { sessionMemory: 0kb }\ntools:\n  poet:\n    model: test\n    prompt: hi\n',
    expect: ['2:26: server.http.sessionMemory: a size must be above 0, not "0kb"'],
  },
  {
    name: 'a session memory that is not a size',
    yaml: 'server:\n  http: { sessionMemory: lots }\ntools:\n  poet:\n    model: test\n    prompt: hi\n',
    expect: ['2:26: server.http.sessionMemory: not a size: "lots" (use e.g. 4mb, 512kb)'],
  },
  {
    name: 'a session TTL of zero',
    yaml: 'server:\n  http: { sessionTtl: 0 }\ntools:\n  poet:\n    model: test\n    prompt: hi\n',
    expect: ['2:23: server.http.sessionTtl: must be more than 0, got number 0'],
  },
  {
    name: 'an environment variable in a key position left unset',
    yaml: 'models:\n  m: { provider: openai, model: x, headers: { X-Team: "${AGENT_MCP_TEST_UNSET_TEAM}" } }\ndefaults: { model: m }\ntools:\n  poet:\n    prompt: hi\n',
    expect: [
      '2:56: environment variable AGENT_MCP_TEST_UNSET_TEAM is not set (write ${AGENT_MCP_TEST_UNSET_TEAM:-default} to give a default)',
    ],
  },
  {
    name: 'an unquoted ${VAR}',
    yaml: 'models:\n  m: { provider: openai, model: x, apiKey: ${KEY} }\ndefaults: { model: m }\ntools:\n  poet:\n    prompt: hi\n',
    expect: ['2:45: Unexpected flow-map-start at node end (quote values that hold ${...}, e.g. apiKey: "${KEY}")'],
  },
  {
    name: 'a duplicate model name',
    yaml: 'models:\n  m: { provider: test }\n  m: { provider: test }\ntools:\n  poet:\n    model: test\n    prompt: hi\n',
    expect: ['3:3: duplicate key "m"'],
  },
];

for (const c of cases) {
  test(`refused: ${c.name}`, () => {
    assert.throws(
      () => loadConfigText('/x/agents.yaml', c.yaml, { env: {}, deep: c.deep ?? false }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err));
        assert.equal(err.message, c.expect.map((line) => `/x/agents.yaml:${line}`).join('\n'));
        assert.equal(err.exitCode, 2);
        return true;
      },
    );
  });
}

test('there are at least 40 of them', () => assert.ok(cases.length >= 40, String(cases.length)));

test('serve refuses a $ref to nowhere exactly as validate does: the same located line, exit 2, no call served', async () => {
  const file = writeConfig(cases.find((c) => c.name === 'a $ref to nowhere')!.yaml);
  const expected = `${file}:6:7: tools.poet.input: not valid JSON Schema: can't resolve reference #/$defs/nope from id #\n`;
  for (const command of ['validate', 'serve']) {
    const run = await runCli([command, file], { input: '' });
    assert.deepEqual([run.code, run.stdout, run.stderr], [2, '', expected], command);
  }
});

test('a YAML nest 20,000 deep through the CLI: a located message and exit 2, not a stack overflow', async () => {
  const file = writeConfig(`a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
  const run = await runCli(['validate', file]);
  assert.deepEqual([run.code, run.stdout, run.stderr], [2, '', `${file}:1:103: nested more than 100 levels deep\n`]);
});
