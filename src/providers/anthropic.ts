// The anthropic adapter: the Messages API through @anthropic-ai/sdk.
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ModelConfig } from '../config/types.js';
import { toProviderError } from './error-mapping.js';
import { IdleWatchdog } from './idle-watchdog.js';
import {
  EventAccumulator,
  fromMessage,
  toAnthropicMessages,
  toAnthropicTools,
  toToolChoice,
  toolNames,
  type AnthropicTools,
} from './anthropic-mapping.js';
import type { GenerateRequest, GenerateResult, Provider, ProviderOptions } from './types.js';

// The SDK loads with the model's first request, not with the adapter: a chain that skips this model (no key set)
// never pays for it (tens of milliseconds of the first call).
let sdk: typeof Anthropic | undefined;
async function loadSdk(): Promise<typeof Anthropic> {
  return (sdk ??= (await import('./anthropic-sdk.js')).default);
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_TOKENS = 4096;
/** A proxy at baseURL may hold the key itself, but the SDK insists on one. */
const PLACEHOLDER_KEY = 'no-key';

export function requestBody(model: ModelConfig, req: GenerateRequest, tools: AnthropicTools): MessageCreateParamsBase {
  const temperature = req.temperature ?? model.temperature;
  const specs = toAnthropicTools(req.tools, req.output, tools);
  const choice = toToolChoice(req.tools, tools);
  return {
    model: model.model!,
    max_tokens: req.maxOutputTokens ?? model.maxTokens ?? DEFAULT_MAX_TOKENS,
    messages: toAnthropicMessages(req.messages, tools.names),
    ...(req.system && { system: req.system }),
    ...(specs.length && { tools: specs }),
    ...(choice && { tool_choice: choice }),
    // Not in this SDK's types, still accepted by the API for the models that take it.
    ...(temperature !== undefined && ({ temperature } as object)),
  };
}

export function createProvider(model: ModelConfig, options: ProviderOptions = {}): Provider {
  const timeoutMs = model.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let client: Anthropic | undefined;
  const createClient = (Sdk: typeof Anthropic) =>
    (client ??= new Sdk({
      apiKey: model.apiKey || PLACEHOLDER_KEY,
      baseURL: model.baseURL,
      defaultHeaders: model.headers,
      timeout: timeoutMs,
      maxRetries: 0, // the fallback chain retries, with backoff and Retry-After
      logLevel: 'off', // its log lines would go to the console, unredacted
      ...(options.fetch && { fetch: options.fetch }),
      openTelemetry: false,
    }));

  return {
    name: model.name,
    available: () => (model.apiKey || model.baseURL ? undefined : 'ANTHROPIC_API_KEY is not set'),
    async generate(req): Promise<GenerateResult> {
      const tools = toolNames(req.tools, req.output);
      const body = requestBody(model, req, tools);
      const watch = new IdleWatchdog(req.signal, timeoutMs);
      const options = { signal: watch.signal };
      try {
        const api = client ?? createClient(sdk ?? (await loadSdk()));
        if (!req.onTextDelta) return fromMessage(await api.messages.create({ ...body, stream: false }, options), tools);
        const { data: stream, response } = await api.messages.create({ ...body, stream: true }, options).withResponse();
        const acc = new EventAccumulator(tools);
        for await (const event of stream) {
          watch.kick();
          const delta = acc.add(event);
          if (delta) req.onTextDelta(delta);
        }
        return acc.result(response.headers.get('content-type'));
      } catch (err) {
        if (req.signal.aborted) throw err;
        throw watch.timeoutError() ?? (sdk && toProviderError(err, sdk, timeoutMs)) ?? err;
      } finally {
        watch.dispose();
      }
    },
  };
}
