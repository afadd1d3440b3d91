// The one model-reference resolver: a `models:` name, `provider:model-id`, a bare `sampling` / `test`, or a list
// of those (a chain). Used by the file's `model:` fields, `--model` and `--sampling-model` alike; each caller
// words and places its own errors around the messages here.
import { suggestion } from '../util/did-you-mean.js';
import { registerSecret } from '../util/redact.js';
import { BARE_MODELS, descriptorOf, SHORTHANDS, shorthandProvider, type ProviderName } from './providers/index.js';
import type { ModelConfig } from './types.js';

export interface ModelScope {
  /** The file's models: entries (keys already applied). */
  models: ReadonlyMap<string, ModelConfig>;
  /** Keep each shorthand resolved here, so that every reference to openai:x shares one entry (the file's load). */
  shorthands?: Map<string, ModelConfig>;
  env: NodeJS.ProcessEnv;
  /** Entries that failed the schema: a reference to one is already reported where it is defined. */
  broken?: ReadonlySet<string>;
}

/** Why a reference resolves to nothing; `message` reads on its own, callers add where and what to do. */
export type ModelRefError =
  | { kind: 'unknown-provider'; message: string }
  | { kind: 'unknown-model'; message: string }
  | { kind: 'broken'; message: string };

export type ModelRefResult = { ok: true; model: ModelConfig } | ({ ok: false } & ModelRefError);

const SHORTHAND = /^([a-z]+):(.+)$/;

export function resolveModelRef(ref: string, scope: ModelScope): ModelRefResult {
  const named = scope.models.get(ref) ?? scope.shorthands?.get(ref);
  if (named) return { ok: true, model: named };
  if (BARE_MODELS.includes(ref)) return { ok: true, model: { name: ref, provider: ref as ProviderName } };
  const m = SHORTHAND.exec(ref);
  if (m) {
    const provider = shorthandProvider(m[1]!);
    if (provider) {
      const model = withKey({ name: ref, provider: provider.name as ProviderName, model: m[2]! }, scope.env);
      scope.shorthands?.set(ref, model);
      return { ok: true, model };
    }
    return {
      ok: false,
      kind: 'unknown-provider',
      message: `unknown provider "${m[1]}" in "${ref}" (shorthands: ${SHORTHANDS.join(', ')})`,
    };
  }
  if (scope.broken?.has(ref)) return { ok: false, kind: 'broken', message: `model "${ref}" is not valid` };
  return { ok: false, kind: 'unknown-model', message: `unknown model "${ref}"${suggestion(ref, modelNames(scope))}` };
}

/** What a reference may name, for did-you-mean: entries (not the shorthands already resolved) and bare names. */
export function modelNames(scope: ModelScope): string[] {
  const names = [...scope.models.keys(), ...(scope.broken ?? [])].filter((n) => !n.includes(':'));
  return [...names, ...BARE_MODELS];
}

export interface ChainResolution {
  /** The models that resolved, in chain order. */
  models: ModelConfig[];
  /** The references that did not; `index` is the position in a list, undefined for a single reference. */
  errors: { ref: string; index: number | undefined; error: ModelRefError }[];
}

/** A `model:` value: one reference, or a list of them (a fallback chain, first usable model answers). */
export function resolveModelChain(value: string | readonly string[], scope: ModelScope): ChainResolution {
  const out: ChainResolution = { models: [], errors: [] };
  const refs = typeof value === 'string' ? [value] : value;
  refs.forEach((ref, i) => {
    const result = resolveModelRef(ref, scope);
    if (result.ok) out.models.push(result.model);
    else out.errors.push({ ref, index: typeof value === 'string' ? undefined : i, error: result });
  });
  return out;
}

const SECRET_HEADER = /auth|key|token|secret|cookie|password/i;

/** API keys: the entry's own, else its provider's variable; remembered as secrets for redaction. */
export function withKey(model: ModelConfig, env: NodeJS.ProcessEnv): ModelConfig {
  const envName = descriptorOf(model.provider).keyEnv;
  if (envName && !model.apiKey) model.apiKey = env[envName] || undefined;
  registerSecret(model.apiKey);
  registerTransportSecrets(model);
  return model;
}

/**
 * Keys also travel in headers (X-Api-Key, Authorization for a proxy) and in a baseURL (?key=..., user:password@):
 * values under a secret-looking name are secrets.
 */
function registerTransportSecrets(model: ModelConfig): void {
  for (const [name, value] of Object.entries(model.headers ?? {})) if (SECRET_HEADER.test(name)) registerSecret(value);
  if (!model.baseURL) return;
  try {
    const url = new URL(model.baseURL);
    registerSecret(decodeURIComponent(url.password));
    for (const [name, value] of url.searchParams)
      if (SECRET_HEADER.test(name) || /^(sig|signature|code)$/i.test(name)) registerSecret(value);
  } catch {
    // not a URL: the schema reports it
  }
}

/** Why the model cannot run for want of a key (undefined when it has one or needs none). */
export function missingKey(model: ModelConfig): string | undefined {
  const envName = descriptorOf(model.provider).keyEnv;
  return envName && !model.apiKey && !model.baseURL ? `${envName} is not set` : undefined;
}

/** The variable a provider's key comes from, when it has one. */
export function keyEnvOf(provider: ProviderName): string | undefined {
  return descriptorOf(provider).keyEnv;
}
