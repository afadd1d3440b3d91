// Provider name -> lazy factory. The only place that imports adapters, so an unused provider's SDK never loads.
import type { ModelConfig } from '../config/types.js';
import type { ProviderName } from '../config/schema.js';
import type { Provider, ProviderOptions } from './types.js';

export interface ProviderModule {
  createProvider(model: ModelConfig, options?: ProviderOptions): Provider;
}

const factories: Record<ProviderName, () => Promise<ProviderModule>> = {
  test: () => import('./test.js'),
  openai: () => import('./openai.js'),
  anthropic: () => import('./anthropic.js'),
  sampling: () => import('./sampling.js'),
};

/** One provider instance per configured model, created on first use. */
export class ProviderRegistry {
  private readonly cache = new Map<string, Promise<Provider>>();
  private readonly ready = new Map<string, Provider>();

  constructor(private readonly options: ProviderOptions = {}) {}

  get(model: ModelConfig): Promise<Provider> {
    let provider = this.cache.get(model.name);
    if (!provider) {
      provider = factories[model.provider]().then((m) => {
        const created = m.createProvider(model, this.options);
        this.ready.set(model.name, created);
        return created;
      });
      this.cache.set(model.name, provider);
    }
    return provider;
  }

  /** The provider when it is already loaded: lets every call after the first skip an await. */
  loaded(model: ModelConfig): Provider | undefined {
    return this.ready.get(model.name);
  }
}
