// What the config layer knows about a provider: the fields of its models: entries, where its key comes from,
// how a model reference names it. The adapter itself is loaded by providers/registry.ts, by the same name.
import type { z } from 'zod';

export interface ProviderDescriptor<N extends string = string, F extends z.ZodRawShape = z.ZodRawShape> {
  name: N;
  /** How the `provider:` field's description presents it. */
  summary: string;
  /** The fields a models: entry of this provider accepts besides `provider` (others are config errors). */
  fields: F;
  /** An entry must name the provider's model id (`model:`). */
  requiresModelId?: boolean;
  /** The environment variable an entry without `apiKey` (and without `baseURL`) reads its key from. */
  keyEnv?: string;
  /** `PREFIX:model-id` is a model reference of its own (openai:gpt-4.1-mini). */
  shorthand?: string;
  /** The bare name is a model reference of its own (sampling, test). */
  bare?: boolean;
}

/** Keeps the literal name and field shape, so the merged entry type knows every field. */
export function defineProvider<const N extends string, F extends z.ZodRawShape>(d: ProviderDescriptor<N, F>): ProviderDescriptor<N, F> {
  return d;
}
