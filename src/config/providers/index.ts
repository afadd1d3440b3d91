// The providers agent-mcp knows, in the order the docs list them. A new provider: a descriptor file here, a line
// in this list, its adapter in src/providers/ and a line in the registry's adapter map (the compiler asks for it).
import { anthropic } from './anthropic.js';
import type { ProviderDescriptor } from './descriptor.js';
import { openai } from './openai.js';
import { sampling } from './sampling.js';
import { test } from './test.js';

export const PROVIDER_DESCRIPTORS = [openai, anthropic, sampling, test] as const;

type Descriptor = (typeof PROVIDER_DESCRIPTORS)[number];
export type ProviderName = Descriptor['name'];
export const PROVIDERS = PROVIDER_DESCRIPTORS.map((d) => d.name) as [ProviderName, ...ProviderName[]];

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** Every field any provider accepts: the shape of one models: entry before the per-provider check. */
export type ModelFieldsShape = UnionToIntersection<Descriptor['fields']>;

const byName = new Map<string, ProviderDescriptor>(PROVIDER_DESCRIPTORS.map((d) => [d.name, d]));

export function descriptorOf(name: ProviderName): ProviderDescriptor {
  return byName.get(name)!;
}

/** The descriptor whose shorthand prefix this is (`openai` of openai:gpt-4.1-mini). */
export function shorthandProvider(prefix: string): ProviderDescriptor | undefined {
  return PROVIDER_DESCRIPTORS.find((d) => 'shorthand' in d && d.shorthand === prefix);
}

/** The fields of all descriptors, in the order they first appear; a field two providers share is one definition. */
export function modelFields(): ModelFieldsShape {
  const shape: Record<string, unknown> = {};
  for (const d of PROVIDER_DESCRIPTORS) {
    for (const [key, field] of Object.entries(d.fields)) {
      if (shape[key] && shape[key] !== field) throw new Error(`provider ${d.name} redefines the shared field "${key}"`);
      shape[key] = field;
    }
  }
  return shape as ModelFieldsShape;
}

/** `sampling`, `test`: the bare provider names that are model references of their own. */
export const BARE_MODELS: string[] = PROVIDER_DESCRIPTORS.filter((d) => 'bare' in d && d.bare).map((d) => d.name);
/** `openai:MODEL, anthropic:MODEL`, for messages. */
export const SHORTHANDS: string[] = PROVIDER_DESCRIPTORS.flatMap((d) => ('shorthand' in d && d.shorthand ? [`${d.shorthand}:MODEL`] : []));

/** The providers whose entries accept `field` (for "only to ..." in messages). */
export function providersWithField(field: string): ProviderName[] {
  return PROVIDER_DESCRIPTORS.filter((d) => field in d.fields).map((d) => d.name);
}
