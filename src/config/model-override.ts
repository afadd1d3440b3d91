// `--model MODEL`: run every agent of a loaded config on one model (e.g. `test` in CI, without keys).
import { AgentMcpError } from '../errors.js';
import { suggestion } from '../util/did-you-mean.js';
import { registerSecret } from '../util/redact.js';
import { KEY_ENV } from './load.js';
import type { Config, ModelConfig } from './types.js';

/** A model reference as the file would write it: a `models:` name, `provider:model-id`, `sampling` or `test`. */
export function resolveModelFlag(config: Config, ref: string, env: NodeJS.ProcessEnv = process.env): ModelConfig {
  const named = config.models.get(ref);
  if (named) return named;
  if (ref === 'sampling' || ref === 'test') return { name: ref, provider: ref };
  const m = /^(openai|anthropic):(.+)$/.exec(ref);
  if (m) {
    const provider = m[1] as 'openai' | 'anthropic';
    const apiKey = env[KEY_ENV[provider]!] || undefined;
    registerSecret(apiKey);
    return { name: ref, provider, model: m[2]!, apiKey };
  }
  const names = [...config.models.keys()].filter((n) => !n.includes(':'));
  throw new AgentMcpError(
    `--model: unknown model "${ref}"${suggestion(ref, [...names, 'sampling', 'test'])}; give a name from models:, provider:model-id, sampling or test`,
    2,
  );
}

/** The same config with every tool's chain replaced by the one model (examples and everything else kept). */
export function overrideModels(config: Config, ref: string, env: NodeJS.ProcessEnv = process.env): Config {
  const model = resolveModelFlag(config, ref, env);
  const tools = new Map([...config.tools].map(([name, tool]) => [name, { ...tool, models: [model] }]));
  // The file's warnings are about its own chains (missing keys), which no longer run.
  return { ...config, tools, warnings: [] };
}
