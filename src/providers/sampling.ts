// Placeholder until the sampling adapter lands: the model reports itself unavailable.
import type { ModelConfig } from '../config/types.js';
import type { Provider } from './types.js';

export function createProvider(model: ModelConfig): Provider {
  return {
    name: model.name,
    available: () => 'the sampling provider is not implemented yet',
    generate: () => Promise.reject(new Error('the sampling provider is not implemented yet')),
  };
}
