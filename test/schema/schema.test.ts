// The JSON Schema of agents.yaml (and the README reference) stay in sync with the zod schema, and every example file
// of the repository is valid against it and tells editors where it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { README_FILE, SCHEMA_FILE, agentsJsonSchema, referenceMarkdown, schemaText, sectionOf } from '../../scripts/gen-schema.ts';
import { ROOT, runCli } from '../helpers/cli.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
type Schema = Record<string, unknown>;

function validator() {
  // strict: an unknown keyword or format in the generated schema is an error, as it would be for some editors.
  const ajv = addFormats(new Ajv({ strict: true, allErrors: true }));
  return ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Schema);
}

/** Every example agents file the repository ships: ./agents.yaml and examples/*.yaml. */
function exampleFiles(): string[] {
  const dir = join(ROOT, 'examples');
  const examples = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => join(dir, f))
    : [];
  return [join(ROOT, 'agents.yaml'), ...examples];
}

test('schema/agents.schema.json is what the zod schema generates (run `npm run schema` when this fails)', () => {
  assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), schemaText());
});

test('the README reference section is what the schema generates (run `npm run schema` when this fails)', () => {
  assert.equal(sectionOf(readFileSync(README_FILE, 'utf8'), 'reference'), referenceMarkdown());
});

test('every field of the schema has a description', () => {
  const missing: string[] = [];
  const walk = (s: Schema, path: string) => {
    for (const [key, prop] of Object.entries((s.properties as Record<string, Schema> | undefined) ?? {})) {
      if (typeof prop.description !== 'string' || prop.description.length < 8) missing.push(`${path}${key}`);
      walk(prop, `${path}${key}.`);
    }
    const values = s.additionalProperties;
    if (values && typeof values === 'object') walk(values as Schema, `${path}NAME.`);
    if (s.items && typeof s.items === 'object') walk(s.items as Schema, `${path.replace(/\.$/, '')}[].`);
    for (const alt of (s.anyOf as Schema[] | undefined) ?? []) walk(alt, path);
  };
  const schema = agentsJsonSchema();
  walk(schema, '');
  assert.deepEqual(missing, []);
  // The walk reaches the deep corners (it would pass vacuously otherwise).
  const tools = (schema.properties as Record<string, Schema>).tools!;
  assert.ok(((tools.additionalProperties as Schema).properties as Schema).examples);
});

test('the schema accepts a full file and rejects what the loader rejects (unknown keys, bad enums, bad durations)', () => {
  const validate = validator();
  const full = {
    server: { name: 's', version: '1', instructions: 'i', http: { port: 0, path: '/mcp', sessionTtl: '30m', bodyLimit: '4mb' } },
    models: { a: { provider: 'openai', model: 'm', baseURL: '${BASE_URL:-https://x/v1}', apiKey: '${K}', maxTokens: 5, timeout: 30 } },
    defaults: { model: ['a', 'test'], timeout: '2m' },
    tools: {
      t: {
        prompt: 'p {{x}}',
        input: { x: { type: 'string' } },
        output: { type: 'object' },
        annotations: { readOnlyHint: true },
        examples: [{ input: { x: 'y' }, expect: { contains: ['a'] } }],
      },
    },
    prompts: { p: { arguments: { x: { required: true, complete: ['a'] } }, messages: [{ role: 'user', text: '{{x}}' }] } },
  };
  assert.equal(validate(full), true, JSON.stringify(validate.errors));
  const bad: [unknown, string][] = [
    [{ tools: { t: { prompt: 'p', promt: 'x' } } }, 'additionalProperties'],
    [{ models: { a: { provider: 'gemini' } } }, 'enum'],
    [{ defaults: { timeout: 'soon' } }, 'anyOf'],
    [{ tools: { t: { description: 'no prompt' } } }, 'required'],
    [{ prompts: { p: { messages: [] } } }, 'minItems'],
  ];
  for (const [doc, keyword] of bad) {
    assert.equal(validate(doc), false, JSON.stringify(doc));
    assert.ok(
      validate.errors!.some((e) => e.keyword === keyword),
      `${JSON.stringify(doc)}: ${JSON.stringify(validate.errors)}`,
    );
  }
});

test('every example file begins with the yaml-language-server $schema comment and is valid against the schema', () => {
  const validate = validator();
  const files = exampleFiles();
  assert.ok(files.length >= 1);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const m = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text);
    assert.ok(m, `${file} must begin with # yaml-language-server: $schema=...`);
    // A relative reference must reach the shipped schema from where the file is.
    if (!/^https?:/.test(m[1]!)) assert.equal(resolve(dirname(file), m[1]!), SCHEMA_FILE, file);
    assert.equal(validate(parse(text)), true, `${file}: ${JSON.stringify(validate.errors)}`);
  }
});

test('the starter file of `agent-mcp init` begins with the $schema comment and is valid against the schema', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-mcp-init-'));
  const r = await runCli(['init'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(join(dir, 'agents.yaml'), 'utf8');
  assert.ok(text.startsWith('# yaml-language-server: $schema=https://unpkg.com/agent-mcp@'), text.slice(0, 100));
  const validate = validator();
  assert.equal(validate(parse(text)), true, JSON.stringify(validate.errors));
});
