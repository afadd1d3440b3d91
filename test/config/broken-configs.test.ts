// Every broken config is reported by `agent-mcp validate` as exact FILE:LINE:COL: message lines, exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigFile } from '../../src/config/load.ts';
import { ConfigError } from '../../src/errors.ts';
import { redact } from '../../src/util/redact.ts';
import { cleanEnv, runCli, runInProcess, writeConfig } from '../helpers/cli.ts';

const OK_TOOL = 'tools:\n  poet:\n    model: test\n    prompt: write about {{theme}}\n    input:\n      theme: { type: string }\n';

const cases: { name: string; yaml: string; expect: string[]; env?: Record<string, string> }[] = [
  {
    name: 'unknown key with a did-you-mean',
    yaml: 'server:\n  nmae: poets\n' + OK_TOOL,
    expect: ['2:3: server: unknown key "nmae" (did you mean "name"?)'],
  },
  {
    name: 'unknown key in a tool',
    yaml: 'tools:\n  poet:\n    model: test\n    promt: hi\n    prompt: hi\n',
    expect: ['4:5: tools.poet: unknown key "promt" (did you mean "prompt"?)'],
  },
  {
    name: 'wrong type',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: hi\n    maxSteps: ten\n',
    expect: ['5:15: tools.poet.maxSteps: expected a number, got "ten"'],
  },
  {
    name: 'missing field',
    yaml: 'tools:\n  poet:\n    model: test\n    description: no prompt here\n',
    expect: ['2:3: tools.poet: missing required field "prompt"'],
  },
  {
    name: 'unknown model reference',
    yaml: 'models:\n  fast: { provider: test }\ntools:\n  poet:\n    model: fats\n    prompt: hi\n',
    expect: ['5:12: tools.poet.model: unknown model "fats" (did you mean "fast"?); define it under models: or write provider:model-id'],
  },
  {
    name: 'unknown model in a chain',
    yaml: 'defaults:\n  model: [test, gemini:pro]\ntools:\n  poet:\n    prompt: hi\n',
    expect: ['2:17: defaults.model[1]: unknown provider "gemini" in "gemini:pro" (shorthands: openai:MODEL, anthropic:MODEL)'],
  },
  {
    name: 'placeholder naming no declared argument',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: write about {{theem}}\n    input:\n      theme: { type: string }\n',
    expect: ['4:25: tools.poet.prompt: placeholder {{theem}} names no declared argument (did you mean "theme"?)'],
  },
  {
    name: 'placeholder in a block literal',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: |\n      first line\n      then {{who}}\n',
    expect: ['6:12: tools.poet.prompt: placeholder {{who}} names no declared argument'],
  },
  {
    name: 'unclosed section',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: "x {{#theme}} y"\n    input:\n      theme: { type: string, optional: true }\n',
    expect: ['4:16: tools.poet.prompt: section "{{#theme}}" is never closed'],
  },
  {
    name: 'duplicate names',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: a\n  poet:\n    model: test\n    prompt: b\n',
    expect: ['5:3: duplicate key "poet"'],
  },
  {
    name: 'tool name outside the MCP rule',
    yaml: 'tools:\n  write poem:\n    model: test\n    prompt: hi\n',
    expect: ['2:3: tools.write poem: tool name "write poem" must be 1-128 characters of A-Z a-z 0-9 _ - .'],
  },
  {
    name: 'YAML syntax error',
    yaml: 'tools:\n  poet:\n    prompt: [unclosed\n    model: test\n',
    expect: ['4:5: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  },
  {
    name: 'missing environment variable',
    yaml: 'models:\n  m: { provider: openai, model: gpt-4.1-mini, apiKey: "${AGENT_MCP_TEST_NOPE}" }\ndefaults: { model: m }\ntools:\n  poet:\n    prompt: hi\n',
    expect: ['2:56: environment variable AGENT_MCP_TEST_NOPE is not set (write ${AGENT_MCP_TEST_NOPE:-default} to give a default)'],
  },
  {
    name: 'a field of another provider',
    yaml: 'models:\n  m: { provider: test, hints: [claude] }\ndefaults: { model: m }\ntools:\n  poet:\n    prompt: hi\n',
    expect: ['2:24: models.m.hints: "hints" does not apply to provider test (only to sampling)'],
  },
  {
    name: 'an agent-tool cycle',
    yaml: 'defaults: { model: test }\ntools:\n  a:\n    prompt: hi\n    tools: [b]\n  b:\n    prompt: hi\n    tools: [a]\n',
    expect: ['8:13: tools.b.tools[0]: cycle: a -> b -> a'],
  },
  {
    name: 'no model anywhere',
    yaml: 'tools:\n  poet:\n    prompt: hi\n',
    expect: ['2:3: tools.poet: no model: set model: on the tool or defaults.model (e.g. test, for an offline start)'],
  },
  {
    name: 'an invalid JSON Schema',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: hi\n    input:\n      n: { type: integr }\n',
    expect: [
      '6:18: tools.poet.input.n.type: not valid JSON Schema: must be one of "array", "boolean", "integer", "null", "number", "object", "string"',
    ],
  },
  {
    name: 'a duration a Node timer cannot hold (it would fire at once)',
    yaml: 'models:\n  client: { provider: sampling, timeout: 9999999h }\ndefaults: { model: client, timeout: "0ms" }\ntools:\n  poet:\n    prompt: hi\n    timeout: 0\n',
    expect: [
      '2:42: models.client.timeout: must be a duration from 1ms to 24 days',
      '3:37: defaults.timeout: must be a duration from 1ms to 24 days',
      '7:14: tools.poet.timeout: must be more than 0, got number 0',
    ],
  },
  {
    name: 'an alias naming no anchor',
    yaml: 'tools:\n  poet:\n    model: test\n    prompt: *nope\n',
    expect: ['4:13: alias *nope names no anchor before it (write &nope on an earlier value)'],
  },
  {
    name: 'an alias bomb',
    yaml: 'a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
    expect: ['2:8: aliases expand to too many values (over 1000): write the values out'],
  },
  {
    name: 'every problem at once, in file order',
    yaml: 'server:\n  nam: x\ntools:\n  poet:\n    model: nope\n    prompt: "{{x}}"\n    maxSteps: 0\n',
    expect: [
      '2:3: server: unknown key "nam" (did you mean "name"?)',
      '5:12: tools.poet.model: unknown model "nope"; define it under models: or write provider:model-id',
      '6:14: tools.poet.prompt: placeholder {{x}} names no declared argument',
      '7:15: tools.poet.maxSteps: must be at least 1, got number 0',
    ],
  },
  {
    name: 'every mistake of a file in one run: a broken entry still has its model checked, every bad argument schema, no echo',
    yaml: [
      'models:',
      '  fast: { provider: anthropc, model: x }',
      'tools:',
      '  poet:',
      '    prompt: write about {{theme}} in {{styl}}',
      '    input:',
      '      theme: { type: strin }',
      '      lines: { type: integer, minimum: "two" }',
      '    model: [fast, nosuch]',
      '  critic:',
      '    promt: hi',
      '    model: gpt-x',
      '',
    ].join('\n'),
    expect: [
      '2:21: models.fast.provider: expected one of "openai", "anthropic", "sampling", "test", got "anthropc" (did you mean "anthropic"?)',
      // {{theme}} names an argument that is declared (its schema is the mistake): reported once, at the schema.
      '5:38: tools.poet.prompt: placeholder {{styl}} names no declared argument',
      '7:22: tools.poet.input.theme.type: not valid JSON Schema: must be one of "array", "boolean", "integer", "null", "number", "object", "string"',
      '8:40: tools.poet.input.lines.minimum: not valid JSON Schema: must be number',
      '9:19: tools.poet.model[1]: unknown model "nosuch"; define it under models: or write provider:model-id',
      '10:3: tools.critic: missing required field "prompt"',
      '11:5: tools.critic: unknown key "promt" (did you mean "prompt"?)',
      '12:12: tools.critic.model: unknown model "gpt-x"; define it under models: or write provider:model-id',
    ],
  },
  {
    name: 'a key indented less than its siblings: the line itself, the columns it could mean',
    yaml: 'tools:\n  poet:\n    prompt: hi\n   model: test\n',
    expect: [
      '4:4: bad indentation: this line starts at column 4, where no mapping of the lines above starts; move it to column 5 (like "prompt:" on line 3) or column 3 (like "poet:" on line 2), the one it belongs to',
    ],
  },
  {
    name: 'a key indented under a key that already has a value',
    yaml: 'tools:\n  poet:\n    prompt: hi\n      model: test\n',
    expect: [
      '4:7: bad indentation: this line is indented under "prompt:" on line 3, which already has a value; to make it a sibling of "prompt:", start it at column 5',
    ],
  },
  {
    name: 'a tab in the indentation',
    yaml: 'tools:\n  poet:\n\tprompt: hi\n',
    expect: ['3:1: a tab in the indentation: YAML indents with spaces only'],
  },
];

// In-process: the loader `validate` runs (the same deep checks), its error as the CLI prints it. The test after the
// table runs the CLI itself on one case: FILE:LINE:COL lines on stderr, nothing on stdout, exit 2.
for (const c of cases) {
  test(`validate reports ${c.name}`, () => {
    const file = writeConfig(c.yaml);
    assert.throws(
      () => loadConfigFile(file, { deep: true, env: cleanEnv() }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err));
        assert.equal(`${redact(err.message)}\n`, c.expect.map((line) => `${file}:${line}\n`).join(''));
        assert.equal(err.exitCode, 2);
        return true;
      },
    );
  });
}

test('validate prints each problem as FILE:LINE:COL: message on stderr, nothing on stdout, exit 2', async () => {
  const c = cases.find((k) => k.name === 'unknown model reference')!;
  const file = writeConfig(c.yaml);
  const run = await runCli(['validate', file]);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, c.expect.map((line) => `${file}:${line}\n`).join(''));
  assert.equal(run.code, 2);
});

test('validate of a missing file is a usage error, not a stack trace', async () => {
  const run = await runCli(['validate', '/nonexistent/agents.yaml']);
  assert.equal(run.stderr, 'cannot read /nonexistent/agents.yaml: no such file (run `agent-mcp init` to create one)\n');
  assert.equal(run.code, 2);
});

test('--log-format json: validate reports each problem and warning as a JSON line', async () => {
  const file = writeConfig('models:\n  fast: { provider: anthropic, model: x }\ntools:\n  poet:\n    promt: hi\n    model: fast\n');
  const run = await runInProcess(['--log-format', 'json', 'validate', file]);
  assert.equal(run.code, 2);
  const lines = run.stderr
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    lines.map(({ time, ...rest }) => (assert.match(String(time), /^\d{4}-/), rest)),
    [
      { level: 'error', msg: 'tools.poet: missing required field "prompt"', file, line: 4, col: 3 },
      { level: 'error', msg: 'tools.poet: unknown key "promt" (did you mean "prompt"?)', file, line: 5, col: 5 },
    ],
  );
  const ok = writeConfig('models:\n  fast: { provider: anthropic, model: x }\ntools:\n  poet: { prompt: hi, model: [fast, test] }\n');
  const warned = await runInProcess(['validate', ok, '--log-format', 'json']);
  assert.equal(warned.code, 0, warned.stderr);
  assert.equal(warned.stdout, 'ok: 1 tool, 0 prompts, 2 models\n');
  const { time, ...warning } = JSON.parse(warned.stderr);
  assert.ok(time);
  assert.deepEqual(warning, {
    level: 'warning',
    msg: 'models.fast: ANTHROPIC_API_KEY is not set; model fast is unavailable until it is',
    file: ok,
    line: 2,
    col: 9,
  });
  const usage = await runInProcess(['--log-format', 'json', 'validate', '--bogus']);
  assert.equal(usage.code, 2);
  assert.equal(JSON.parse(usage.stderr.split('\n')[0]!).msg, "error: unknown option '--bogus'");
});
