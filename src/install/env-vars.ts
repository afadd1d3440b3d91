// The environment variables a config needs at run time, and where this shell has them.
import type { Config } from '../config/types.js';
import { keyEnvOf } from '../config/model-ref.js';

/** Where the value comes from: this shell, the .env beside the file, the file's own ${VAR:-default}, or nowhere. */
export type EnvSource = 'shell' | 'dotenv' | 'default' | 'unset';

export interface EnvVar {
  name: string;
  source: EnvSource;
}

/**
 * `${VAR}` references, plus the provider key variables (OPENAI_API_KEY, ANTHROPIC_API_KEY) that a model of some
 * tool's chain falls back on. `loaded` is the environment the config was loaded with (shell + .env beside it).
 */
export function configEnvVars(
  config: Config,
  text: string,
  shell: NodeJS.ProcessEnv,
  loaded: NodeJS.ProcessEnv,
  unset: Set<string>,
): EnvVar[] {
  const names = new Set(config.envVars);
  for (const tool of config.tools.values()) {
    for (const model of tool.models) {
      const name = keyEnvOf(model.provider);
      if (!name) continue;
      // No key written: the provider reads its variable (a baseURL endpoint such as Ollama may need none).
      if (model.apiKey === undefined ? !model.baseURL : model.apiKey === loaded[name]) names.add(name);
    }
  }
  return [...names].sort().map((name) => ({
    name,
    source: unset.has(name)
      ? 'unset'
      : shell[name]
        ? 'shell'
        : loaded[name]
          ? 'dotenv'
          : text.includes(`\${${name}:-`)
            ? 'default'
            : 'unset',
  }));
}

/** The values --with-env writes: from the shell only (the server reads the .env beside the file itself). */
export function envValues(vars: EnvVar[], shell: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of vars) if (v.source === 'shell') out[v.name] = shell[v.name]!;
  return out;
}
