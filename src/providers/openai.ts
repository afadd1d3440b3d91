// The openai adapter: Chat Completions through the openai SDK, for OpenAI and any OpenAI-compatible endpoint.
import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { ModelConfig } from '../config/types.js';
import { toProviderError } from './error-mapping.js';
import { IdleWatchdog } from './idle-watchdog.js';
import { ChunkAccumulator, fromCompletion, toOpenAIMessages, toOpenAITools, toResponseFormat } from './openai-mapping.js';
import { ToolNames } from './tool-name-mapping.js';
import type { GenerateRequest, GenerateResult, Provider, ProviderOptions } from './types.js';

// The SDK loads with the model's first request, not with the adapter: a chain that skips this model (no key set)
// never pays for it (tens of milliseconds of the first call).
let sdk: typeof OpenAI | undefined;
async function loadSdk(): Promise<typeof OpenAI> {
  return (sdk ??= (await import('./openai-sdk.js')).default);
}

export const DEFAULT_TIMEOUT_MS = 60_000;
/** Local endpoints (Ollama, LM Studio, vLLM) want no key, but the SDK insists on one. */
const PLACEHOLDER_KEY = 'no-key';

export function requestBody(model: ModelConfig, req: GenerateRequest, names: ToolNames): ChatCompletionCreateParamsBase {
  const maxTokens = req.maxOutputTokens ?? model.maxTokens;
  const temperature = req.temperature ?? model.temperature;
  return {
    model: model.model!,
    messages: toOpenAIMessages(req.system, req.messages, names),
    ...(req.tools?.length && { tools: toOpenAITools(req.tools, names) }),
    ...(req.output && { response_format: toResponseFormat(req.output) }),
    // OpenAI's own API wants max_completion_tokens (reasoning models refuse max_tokens); compatible servers know max_tokens.
    ...(maxTokens !== undefined && (model.baseURL ? { max_tokens: maxTokens } : { max_completion_tokens: maxTokens })),
    ...(temperature !== undefined && { temperature }),
  };
}

export function createProvider(model: ModelConfig, options: ProviderOptions = {}): Provider {
  const timeoutMs = model.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let client: OpenAI | undefined;
  const createClient = (Sdk: typeof OpenAI) =>
    (client ??= new Sdk({
      apiKey: model.apiKey || PLACEHOLDER_KEY,
      baseURL: model.baseURL,
      organization: model.organization,
      defaultHeaders: model.headers,
      timeout: timeoutMs,
      maxRetries: 0, // the fallback chain retries, with backoff and Retry-After
      logLevel: 'off', // its log lines would go to the console, unredacted
      ...(options.fetch && { fetch: options.fetch }),
    }));

  return {
    name: model.name,
    available: () => (model.apiKey || model.baseURL ? undefined : 'OPENAI_API_KEY is not set'),
    async generate(req): Promise<GenerateResult> {
      const names = new ToolNames(req.tools?.map((t) => t.name) ?? []);
      const body = requestBody(model, req, names);
      const watch = new IdleWatchdog(req.signal, timeoutMs);
      const options = { signal: watch.signal };
      try {
        const api = client ?? createClient(sdk ?? (await loadSdk()));
        if (!req.onTextDelta) return fromCompletion(await api.chat.completions.create({ ...body, stream: false }, options), names);
        const { data: stream, response } = await api.chat.completions
          .create({ ...body, stream: true, stream_options: { include_usage: true } }, options)
          .withResponse();
        const acc = new ChunkAccumulator(names);
        for await (const chunk of stream) {
          watch.kick();
          const delta = acc.add(chunk);
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
