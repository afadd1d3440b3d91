// Tokens and money: `pricing:` gives input and output prices per million tokens, by model name, shorthand or id.
import type { Config } from '../config/types.js';

export interface Tokens {
  inputTokens: number;
  outputTokens: number;
}

/** The cost of `usage` on `model` (a chain model's name, as results report it); undefined when it has no price. */
export function priceOf(config: Pick<Config, 'pricing' | 'models'>, model: string | undefined, usage: Tokens): number | undefined {
  if (!model) return undefined;
  const ids = [model, config.models.get(model)?.model, model.includes(':') ? model.slice(model.indexOf(':') + 1) : undefined];
  for (const id of ids) {
    const price = id !== undefined ? config.pricing[id] : undefined;
    if (price) return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
  }
  return undefined;
}

export function formatCost(cost: number): string {
  if (cost === 0) return '$0';
  return cost < 1 ? `$${Number(cost.toPrecision(3))}` : `$${cost.toFixed(2)}`;
}

export function formatTokens(t: Tokens): string {
  const total = t.inputTokens + t.outputTokens;
  return `${total} token${total === 1 ? '' : 's'}`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
