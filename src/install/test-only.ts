// Nobody should take the test model's canned reply for a real answer: the tools whose chain, with the environment
// install sees, can only be answered by `test` (every real model lacks its key, or needs sampling the client lacks).
import { missingKey } from '../config/model-ref.js';
import type { Config, ModelConfig } from '../config/types.js';

/** Why the model cannot run under this client with this environment, or undefined when it can. */
function unusable(model: ModelConfig, clientSamples: boolean): string | undefined {
  if (model.provider === 'sampling') return clientSamples ? undefined : 'this client has no sampling';
  return missingKey(model);
}

/** Each such tool with why its real models cannot run ("fast: ANTHROPIC_API_KEY is not set"). */
export function testOnlyTools(config: Config, clientSamples: boolean): { tool: string; reasons: string[] }[] {
  const out: { tool: string; reasons: string[] }[] = [];
  for (const tool of config.tools.values()) {
    const real = tool.models.filter((m) => m.provider !== 'test');
    const reasons = real.map((m) => unusable(m, clientSamples));
    if (!real.length || reasons.some((r) => r === undefined)) continue;
    out.push({ tool: tool.name, reasons: real.map((m, i) => `${m.name}: ${reasons[i]}`) });
  }
  return out;
}
