// `agent-mcp call` as a sampling client: it answers the server's sampling/createMessage with a model of ours,
// so a sampling-backed server runs from a shell or CI with no other MCP client.
import { ProtocolError, ProtocolErrorCode, type Client, type CreateMessageRequest } from '@modelcontextprotocol/client';
import { ModelChain } from '../agent/chain.js';
import { resolveModelRef } from '../config/model-ref.js';
import type { Config, ModelConfig } from '../config/types.js';
import { AgentMcpError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { fromCreateMessageParams, toCreateMessageResult } from '../providers/sampling.js';
import { ProviderRegistry } from '../providers/registry.js';
import { suggestion } from '../util/did-you-mean.js';
import { redact } from '../util/redact.js';
import type { SamplingAnswerer } from '../util/task-channel.js';

/** The model named by --sampling-model: an entry of the file's models:, a provider:model-id shorthand, or test. */
export function resolveSamplingModel(
  ref: string | undefined,
  config: Config | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ModelConfig {
  const name = ref ?? 'test';
  const result = resolveModelRef(name, { models: config?.models ?? new Map(), env });
  if (!result.ok) {
    const names = config ? [...config.models.keys()].filter((n) => !n.includes(':')) : [];
    throw new AgentMcpError(
      `--sampling-model: unknown model "${name}"${suggestion(name, [...names, 'test'])}; ` +
        `name an entry of models:${config ? ` in ${config.file}` : ''}, test, or provider:model-id (openai:MODEL, anthropic:MODEL)`,
      2,
    );
  }
  const model = result.model;
  if (model.provider === 'sampling') {
    throw new AgentMcpError(
      `--sampling-model: "${name}" is a sampling model itself; name one that calls a provider (test, openai:MODEL, anthropic:MODEL or such an entry of models:)`,
      2,
    );
  }
  return model;
}

type Params = CreateMessageRequest['params'];

/** Answer one createMessage with `model` (retries as in a tool's chain), in the result shape the request implies. */
export async function answerCreateMessage(
  params: Params,
  signal: AbortSignal,
  model: ModelConfig,
  registry: ProviderRegistry,
  log: Logger,
) {
  // The client SDK checks the result against the with-tools shape exactly when the request names tools.
  const withTools = Boolean(params.tools || params.toolChoice);
  const req = fromCreateMessageParams(params, signal);
  const chain = new ModelChain([model], registry, { signal, log }, { tools: !!req.tools });
  try {
    const result = await chain.generate(req);
    log.debug('answered sampling request', { model: model.name, toolCalls: result.toolCalls.length });
    return toCreateMessageResult(result, withTools);
  } catch (err) {
    if (signal.aborted) throw signal.reason ?? err;
    throw new ProtocolError(ProtocolErrorCode.InternalError, `sampling model ${model.name}: ${redact(errorMessage(err))}`);
  }
}

/**
 * Register the handler on a client that advertises `sampling: { tools: {} }`; returns the same answerer for the
 * sampling requests of a 2026-07-28 task (which come through tasks/get, not to the handler).
 */
export function answerSampling(client: Client, model: ModelConfig, log: Logger): SamplingAnswerer {
  const registry = new ProviderRegistry();
  const answer = (params: Params, signal: AbortSignal) => answerCreateMessage(params, signal, model, registry, log);
  client.setRequestHandler('sampling/createMessage', (request, ctx) => answer(request.params, ctx.mcpReq.signal));
  return (params, signal) => answer(params as Params, signal);
}
