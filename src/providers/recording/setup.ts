// Recording and replay as the commands switch them on: the fetch for the provider registry, and keyless models.
import { descriptorOf } from '../../config/providers/index.js';
import type { Config, ModelConfig } from '../../config/types.js';
import type { ProviderOptions } from '../types.js';
import { recordingFetch } from './fetch.js';
import { ReplayStore } from './replay-store.js';

export interface RecordingFlags {
  /** The folder of recordings to answer from. */
  replay?: string;
  /** Record the exchanges (on the example's tape). */
  record?: boolean;
}

export function recordingProviderOptions(flags: RecordingFlags, store?: ReplayStore): ProviderOptions {
  if (!flags.replay && !flags.record) return {};
  const replay = store ?? (flags.replay ? ReplayStore.load(flags.replay) : undefined);
  return { fetch: recordingFetch({ replay, record: flags.record === true }) };
}

/** Replay needs no key, but an adapter without one says it is unavailable: give keyless API models a stand-in. */
export function allowKeyless(config: Config): Config {
  const models = new Set<ModelConfig>(config.models.values());
  for (const tool of config.tools.values()) for (const m of tool.models) models.add(m);
  for (const m of models) standIn(m);
  return config;
}

export function standIn(model: ModelConfig): ModelConfig {
  if (descriptorOf(model.provider).keyEnv && !model.apiKey) model.apiKey = 'replay-needs-no-key';
  return model;
}
