// The fallback chain of one call: the first usable model answers; retriable failures are retried with
// backoff (honouring Retry-After), then the next model takes over for the rest of the call.
import { ModelUnavailableError, ProviderError, errorMessage } from '../errors.js';
import type { ModelConfig } from '../config/types.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { CallContext, GenerateRequest, GenerateResult, Provider } from '../providers/types.js';
import { lazyBuiltin } from '../util/builtins.js';

// The module object, loaded on first use (a run may never wait): node:test's fake timers replace its properties.
const timers = lazyBuiltin<typeof import('node:timers/promises')>('node:timers/promises');

export const DEFAULT_MAX_RETRIES = 2;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

export interface ChainOptions {
  /** The agent has tools to offer (a model that cannot take tools is unavailable, unless it may drop them). */
  tools: boolean;
  /** Reported before each retry or fallback, for logs and progress. */
  onEvent?: (message: string) => void;
  /** A model was passed over because it cannot run here (no key, a client without sampling): logged at info. */
  onSkip?: (message: string) => void;
  /** When the call must be over (epoch ms): a wait that would outlast it hands over to the next model instead. */
  deadline?: number;
  /** Where a resumed run's chain stood when it suspended. */
  resume?: ChainPosition;
}

/** How far down the chain a call has come, and why the models before it did not answer. */
export interface ChainPosition {
  index: number;
  reasons: string[];
}

export class AllModelsFailedError extends Error {
  constructor(readonly reasons: string[]) {
    super(reasons.length === 1 ? reasons[0]! : `no model could answer:\n${reasons.map((r) => `- ${r}`).join('\n')}`);
    this.name = 'AllModelsFailedError'; // run.ts turns it into an isError result by this name
  }
}

export function backoffDelay(attempt: number, retryAfterMs?: number, random = Math.random): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, MAX_DELAY_MS);
  const exp = Math.min(BASE_DELAY_MS * 2 ** attempt, MAX_DELAY_MS);
  return Math.round(exp / 2 + random() * (exp / 2)); // "equal jitter": never zero, never more than exp
}

export class ModelChain {
  private index = 0;
  private readonly reasons: string[] = [];
  /** The same, without the advice an unavailable model's reason carries (it matters only when nothing answered). */
  private readonly facts: string[] = [];
  private provider: Provider | undefined;

  constructor(
    private readonly models: ModelConfig[],
    private readonly registry: ProviderRegistry,
    private readonly ctx: CallContext,
    private readonly options: ChainOptions,
  ) {
    if (options.resume) {
      this.index = Math.min(Math.max(0, options.resume.index), models.length);
      this.reasons.push(...options.resume.reasons);
    }
  }

  get position(): ChainPosition {
    return { index: this.index, reasons: [...this.reasons] };
  }

  /** The model now answering (after fallbacks), for _meta and logs. */
  get current(): ModelConfig | undefined {
    return this.models[this.index];
  }

  /** Why each model before the current one did not answer ("fast: ANTHROPIC_API_KEY is not set"), in order. */
  get skipped(): string[] {
    return [...this.facts];
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    for (; this.index < this.models.length; this.index++, this.provider = undefined) {
      const model = this.models[this.index]!;
      this.provider ??= this.registry.loaded(model) ?? (await this.registry.get(model));
      const why = this.provider.available(this.ctx, { tools: this.options.tools });
      if (why) {
        this.reasons.push(`${model.name}: ${why}`);
        this.facts.push(`${model.name}: ${why.split('; ')[0]}`);
        const next = this.models[this.index + 1];
        this.options.onSkip?.(`${model.name} skipped (${why})${next ? `; trying ${next.name}` : ''}`);
        continue;
      }
      const retries = model.maxRetries ?? DEFAULT_MAX_RETRIES;
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.provider.generate(req, this.ctx);
        } catch (err) {
          if (req.signal.aborted) throw req.signal.reason ?? err;
          if (err instanceof ModelUnavailableError) {
            this.reasons.push(`${model.name}: ${err.reason}`);
            this.facts.push(`${model.name}: ${err.reason}`);
            break;
          }
          if (!(err instanceof ProviderError)) throw err;
          // 400/401/403/404: another attempt or model would not help; say which model refused.
          if (!err.retryable) throw new ProviderError(`${model.name}: ${err.message}`, false, err.options);
          if (attempt >= retries) {
            this.reasons.push(`${model.name}: ${err.message}`);
            this.facts.push(`${model.name}: ${err.message}`);
            break;
          }
          const delay = backoffDelay(attempt, err.options.retryAfterMs);
          if (this.options.deadline !== undefined && Date.now() + delay >= this.options.deadline) {
            const why = `${model.name}: ${err.message} (a retry in ${Math.ceil(delay / 1000)}s would outlast the call)`;
            this.reasons.push(why);
            this.facts.push(why);
            break;
          }
          this.options.onEvent?.(`${model.name}: ${errorMessage(err)}; retry ${attempt + 1}/${retries} in ${delay} ms`);
          await timers().setTimeout(delay, undefined, { signal: req.signal });
        }
      }
      if (this.index + 1 < this.models.length)
        this.options.onEvent?.(`${model.name} failed; falling back to ${this.models[this.index + 1]!.name}`);
    }
    throw new AllModelsFailedError(this.reasons);
  }
}
