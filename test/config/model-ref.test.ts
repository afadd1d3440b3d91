// The one model-reference resolver: every form a reference takes, the errors each caller words around it, and
// the located errors of the file's model: fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../src/config/load.ts';
import { overrideModels, resolveModelFlag } from '../../src/config/model-override.ts';
import { missingKey, resolveModelChain, resolveModelRef, type ModelScope } from '../../src/config/model-ref.ts';
import { PROVIDER_DESCRIPTORS, PROVIDERS } from '../../src/config/providers/index.ts';
import { modelSchema } from '../../src/config/schema.ts';
import type { ModelConfig } from '../../src/config/types.ts';
import { ConfigError } from '../../src/errors.ts';
import { redact } from '../../src/util/redact.ts';
import { resolveSamplingModel } from '../../src/commands/sampling-handler.ts';

const fast: ModelConfig = { name: 'fast', provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'k' };
const scope = (extra: Partial<ModelScope> = {}): ModelScope => ({ models: new Map([['fast', fast]]), env: {}, ...extra });

function configError(yaml: string): string[] {
  try {
    loadConfigText('/tmp/agents.yaml', yaml, { env: {} });
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.issues.map((i) => `${i.line}:${i.col}: ${i.message}`);
  }
  assert.fail('the config loaded');
}

test('a models: name resolves to its entry itself', () => {
  assert.deepEqual(resolveModelRef('fast', scope()), { ok: true, model: fast });
  assert.equal((resolveModelRef('fast', scope()) as { model: ModelConfig }).model, fast);
});

test('the bare sampling and test are models of their own', () => {
  assert.deepEqual(resolveModelRef('sampling', scope()), { ok: true, model: { name: 'sampling', provider: 'sampling' } });
  assert.deepEqual(resolveModelRef('test', scope()), { ok: true, model: { name: 'test', provider: 'test' } });
});

test('a shorthand takes its key from the provider variable, and the key becomes a secret', () => {
  const env = { OPENAI_API_KEY: 'sk-resolver-openai-key', ANTHROPIC_API_KEY: 'resolver-anthropic-key' };
  assert.deepEqual(resolveModelRef('openai:gpt-4.1-mini', scope({ env })), {
    ok: true,
    model: { name: 'openai:gpt-4.1-mini', provider: 'openai', model: 'gpt-4.1-mini', apiKey: 'sk-resolver-openai-key' },
  });
  assert.deepEqual(resolveModelRef('anthropic:claude-haiku-4-5', scope({ env })), {
    ok: true,
    model: { name: 'anthropic:claude-haiku-4-5', provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'resolver-anthropic-key' },
  });
  assert.equal(redact('said resolver-anthropic-key'), 'said [redacted]');
  // Without the variable the model resolves, and says why it cannot run.
  const keyless = resolveModelRef('openai:gpt-4.1', scope());
  assert.ok(keyless.ok);
  assert.equal(keyless.model.apiKey, undefined);
  assert.equal(missingKey(keyless.model), 'OPENAI_API_KEY is not set');
  assert.equal(missingKey({ ...keyless.model, baseURL: 'http://127.0.0.1:11434/v1' }), undefined);
  assert.equal(missingKey({ name: 'test', provider: 'test' }), undefined);
});

test('a shorthand resolved twice is one shared entry when the scope keeps them', () => {
  const shorthands = new Map<string, ModelConfig>();
  const a = resolveModelRef('openai:gpt-4.1', scope({ shorthands }));
  const b = resolveModelRef('openai:gpt-4.1', scope({ shorthands }));
  assert.ok(a.ok && b.ok);
  assert.equal(a.model, b.model);
  assert.deepEqual([...shorthands.keys()], ['openai:gpt-4.1']);
});

test('unknown providers and models say what would be right', () => {
  assert.deepEqual(resolveModelRef('gemini:pro', scope()), {
    ok: false,
    kind: 'unknown-provider',
    message: 'unknown provider "gemini" in "gemini:pro" (shorthands: openai:MODEL, anthropic:MODEL)',
  });
  // No shorthand for the bare providers.
  assert.equal(
    (resolveModelRef('test:x', scope()) as { message: string }).message,
    'unknown provider "test" in "test:x" (shorthands: openai:MODEL, anthropic:MODEL)',
  );
  assert.deepEqual(resolveModelRef('fats', scope()), {
    ok: false,
    kind: 'unknown-model',
    message: 'unknown model "fats" (did you mean "fast"?)',
  });
  assert.deepEqual(resolveModelRef('tset', scope()), {
    ok: false,
    kind: 'unknown-model',
    message: 'unknown model "tset" (did you mean "test"?)',
  });
  assert.deepEqual(resolveModelRef('cheap', scope({ broken: new Set(['cheap']) })), {
    ok: false,
    kind: 'broken',
    message: 'model "cheap" is not valid',
  });
});

test('a chain resolves in order and places each error at its index', () => {
  const chain = resolveModelChain(['fast', 'nope', 'test', 'gemini:pro'], scope());
  assert.deepEqual(
    chain.models.map((m) => m.name),
    ['fast', 'test'],
  );
  assert.deepEqual(
    chain.errors.map((e) => [e.ref, e.index, e.error.kind]),
    [
      ['nope', 1, 'unknown-model'],
      ['gemini:pro', 3, 'unknown-provider'],
    ],
  );
  const single = resolveModelChain('nope', scope());
  assert.deepEqual(single.models, []);
  assert.equal(single.errors[0]!.index, undefined);
});

test('the file: each bad reference of a chain is located at its item', () => {
  assert.deepEqual(configError('models:\n  fast: { provider: test }\ntools:\n  poet:\n    prompt: hi\n    model: [fast, fsat, "x:y"]\n'), [
    '6:19: tools.poet.model[1]: unknown model "fsat" (did you mean "fast"?); define it under models: or write provider:model-id',
    '6:25: tools.poet.model[2]: unknown provider "x" in "x:y" (shorthands: openai:MODEL, anthropic:MODEL)',
  ]);
});

test('the file: a missing key is a warning at the entry (a named model) or at the reference (a shorthand)', () => {
  const config = loadConfigText(
    '/tmp/agents.yaml',
    'models:\n  gpt: { provider: openai, model: gpt-4.1 }\ndefaults:\n  model: [gpt, anthropic:claude-haiku-4-5, test]\ntools:\n  poet: { prompt: hi }\n',
    { env: {} },
  );
  assert.deepEqual(
    config.warnings.map((w) => `${w.line}:${w.col}: ${w.message}`),
    [
      '2:8: models.gpt: OPENAI_API_KEY is not set; model gpt is unavailable until it is',
      '4:16: defaults.model[1]: ANTHROPIC_API_KEY is not set; model anthropic:claude-haiku-4-5 is unavailable until it is',
    ],
  );
  assert.deepEqual(
    config.tools.get('poet')!.models.map((m) => m.name),
    ['gpt', 'anthropic:claude-haiku-4-5', 'test'],
  );
});

test('--model and --sampling-model word the same resolution their own way', () => {
  const config = loadConfigText('/tmp/agents.yaml', 'models:\n  fast: { provider: test }\ntools:\n  poet: { prompt: hi, model: fast }\n', {
    env: {},
  });
  assert.equal(resolveModelFlag(config, 'fast'), config.models.get('fast'));
  assert.deepEqual(resolveModelFlag(config, 'anthropic:claude-haiku-4-5', { ANTHROPIC_API_KEY: 'flag-key-123' }), {
    name: 'anthropic:claude-haiku-4-5',
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    apiKey: 'flag-key-123',
  });
  assert.throws(() => resolveModelFlag(config, 'fats'), {
    message: '--model: unknown model "fats" (did you mean "fast"?); give a name from models:, provider:model-id, sampling or test',
  });
  assert.throws(() => overrideModels(config, 'gemini:pro'), {
    message: '--model: unknown provider "gemini" in "gemini:pro" (shorthands: openai:MODEL, anthropic:MODEL)',
  });
  assert.deepEqual(overrideModels(config, 'sampling').tools.get('poet')!.models, [{ name: 'sampling', provider: 'sampling' }]);
  assert.deepEqual(resolveSamplingModel(undefined, undefined), { name: 'test', provider: 'test' });
  assert.throws(() => resolveSamplingModel('sampling', config), {
    message:
      '--sampling-model: "sampling" is a sampling model itself; name one that calls a provider (test, openai:MODEL, anthropic:MODEL or such an entry of models:)',
  });
});

test('the providers, their entry fields and the per-provider check all come from the descriptors', () => {
  assert.deepEqual(PROVIDERS, ['openai', 'anthropic', 'sampling', 'test']);
  assert.deepEqual(
    PROVIDER_DESCRIPTORS.map((d) => d.name),
    PROVIDERS,
  );
  // Every field of every descriptor is a field of the merged entry, and nothing else is.
  const fields = new Set(PROVIDER_DESCRIPTORS.flatMap((d) => Object.keys(d.fields)));
  assert.deepEqual(Object.keys(modelSchema.shape).sort(), ['provider', ...fields].sort());
  assert.deepEqual(
    configError('models:\n  m: { provider: sampling, organization: acme, responses: [hi] }\ntools:\n  poet: { prompt: hi, model: m }\n'),
    [
      '2:28: models.m.organization: "organization" does not apply to provider sampling (only to openai)',
      '2:48: models.m.responses: "responses" does not apply to provider sampling (only to test)',
    ],
  );
  assert.deepEqual(configError('models:\n  m: { provider: anthropic }\ntools:\n  poet: { prompt: hi, model: m }\n'), [
    '2:3: models.m: missing required field "model" (the anthropic model id)',
  ]);
});
