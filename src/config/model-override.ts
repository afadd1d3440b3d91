// `--model MODEL`: run every agent of a loaded config on one model (e.g. `test` in CI, without keys).
import { AgentMcpError } from '../errors.js';
import { resolveModelRef } from './model-ref.js';
import type { Config, ModelConfig } from './types.js';

/** A model reference as the file would write it: a `models:` name, `provider:model-id`, `sampling` or `test`. */
export function resolveModelFlag(config: Config, ref: string, env: NodeJS.ProcessEnv = process.env): ModelConfig {
  const result = resolveModelRef(ref, { models: config.models, env });
  if (result.ok) return result.model;
  const hint = result.kind === 'unknown-model' ? '; give a name from models:, provider:model-id, sampling or test' : '';
  throw new AgentMcpError(`--model: ${result.message}${hint}`, 2);
}

/** The same config with every tool's chain replaced by the one model (examples and everything else kept). */
export function overrideModels(config: Config, ref: string, env: NodeJS.ProcessEnv = process.env): Config {
  const model = resolveModelFlag(config, ref, env);
  const tools = new Map([...config.tools].map(([name, tool]) => [name, { ...tool, models: [model] }]));
  // The file's warnings are about its own chains (missing keys), which no longer run.
  return { ...config, tools, warnings: [] };
}
