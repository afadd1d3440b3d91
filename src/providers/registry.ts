// Provider name -> lazy adapter. The only place that imports adapters, so an unused provider's SDK never loads.
// The names come from the descriptors (config/providers/): a provider described there without an adapter here
// does not compile.
import type { ProviderName } from '../config/providers/index.js';
import type { ModelConfig } from '../config/types.js';
import type { Provider, ProviderOptions } from './types.js';

export interface ProviderModule {
  createProvider(model: ModelConfig, options?: ProviderOptions): Provider;
}

const adapters: { readonly [P in ProviderName]: () => Promise<ProviderModule> } = {
  openai: () => import('./openai.js'),
  anthropic: () => import('./anthropic.js'),
  sampling: () => import('./sampling.js'),
  test: () => import('./test.js'),
};

/** One provider instance per configured model, created on first use. */
export class ProviderRegistry {
  private readonly cache = new Map<string, Promise<Provider>>();
  private readonly ready = new Map<string, Provider>();

  /** `options` reach every adapter's createProvider (a custom fetch, for record/replay). */
  constructor(private readonly options: ProviderOptions = {}) {}

  get(model: ModelConfig): Promise<Provider> {
    let provider = this.cache.get(model.name);
    if (!provider) {
      provider = adapters[model.provider]().then((m) => {
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
