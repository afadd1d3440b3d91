// The MCP client's own model: each model request becomes a sampling/createMessage sent back to the client.
// The pure mapping functions (both directions) live here too: `agent-mcp call` uses the reverse ones to answer.
import type {
  ContentBlock,
  CreateMessageRequestParams,
  CreateMessageResult,
  CreateMessageResultWithTools,
  ModelPreferences,
  SamplingMessage,
  SamplingMessageContentBlock,
} from '@modelcontextprotocol/server';
import { ModelUnavailableError, errorMessage } from '../errors.js';
import { ClientInputRequired } from './client-session.js';
import type { ModelConfig } from '../config/types.js';
import { redact } from '../util/redact.js';
import type {
  CallContext,
  FinishReason,
  JsonSchema,
  GenerateRequest,
  GenerateResult,
  Message,
  Part,
  Provider,
  ToolCall,
  ToolSpec,
} from './types.js';

/** The protocol requires maxTokens; this is what a request asks for when the entry does not say. */
export const DEFAULT_SAMPLING_MAX_TOKENS = 1024;
/** The SDK's 60 s default is too short for a model a human may have to approve first. */
export const DEFAULT_SAMPLING_TIMEOUT_MS = 300_000;
/** A request that timed out: MCP's -32001 on the wire, the SDK v2's own SdkErrorCode.RequestTimeout locally. */
const REQUEST_TIMEOUT: readonly unknown[] = [-32001, 'REQUEST_TIMEOUT'];

const KEY_HINT =
  'to serve clients without sampling, give the tool a model with an API key, ' +
  'e.g. model: [sampling, anthropic:claude-haiku-4-5] with ANTHROPIC_API_KEY set (or openai:MODEL with OPENAI_API_KEY)';

/** undefined when this client can run the model for this call; else why not (the chain moves on). */
export function samplingUnavailable(model: ModelConfig, ctx: CallContext, needs: { tools: boolean }): string | undefined {
  if (!ctx.client) return `no MCP client is connected to sample from; ${KEY_HINT}`;
  const sampling = ctx.client.capabilities?.sampling;
  if (!sampling) return `this MCP client does not support sampling (the client's own model); ${KEY_HINT}`;
  if (needs.tools && !sampling.tools && !model.toolsOptional) {
    return (
      'this MCP client supports sampling but not sampling with tools, and the agent has tools ' +
      '(set toolsOptional: true on the model to run it without them there)'
    );
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Our request -> createMessage params

function toBlock(part: Part): SamplingMessageContentBlock {
  return part.type === 'text' ? { type: 'text', text: part.text } : { type: 'image', mimeType: part.mediaType, data: part.data };
}

function partsText(parts: Part[]): string {
  return parts.map((p) => (p.type === 'text' ? p.text : `[${p.mediaType}]`)).join('');
}

/** A tool_use block needs an object; the loop already answered unparsable input with an error result. */
function inputObject(input: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(input);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** One block goes out as a single block: older clients only read `content` as one block. */
function message(role: 'user' | 'assistant', blocks: SamplingMessageContentBlock[]): SamplingMessage {
  const content = blocks.length ? blocks : [{ type: 'text' as const, text: '' }];
  return { role, content: content.length === 1 ? content[0]! : content };
}

/**
 * Our conversation as sampling messages. With toolBlocks, tool calls become tool_use blocks and consecutive
 * tool results one user message of tool_result blocks (as the protocol requires); without (a client that cannot
 * sample with tools, after another model of the chain used them), they are written out as plain text.
 */
export function toSamplingMessages(messages: Message[], toolBlocks: boolean): SamplingMessage[] {
  const out: SamplingMessage[] = [];
  let results: SamplingMessageContentBlock[] = [];
  const flushResults = () => {
    if (results.length) out.push(message('user', results));
    results = [];
  };
  for (const m of messages) {
    if (m.role === 'tool') {
      if (toolBlocks) {
        results.push({
          type: 'tool_result',
          toolUseId: m.toolCallId,
          content: m.content.map(toBlock) as ContentBlock[],
          ...(m.isError && { isError: true }),
        });
      } else {
        results.push({ type: 'text', text: `[${m.toolName} ${m.isError ? 'failed' : 'returned'}: ${partsText(m.content)}]` });
      }
      continue;
    }
    flushResults();
    const blocks = m.content.filter((p) => p.type !== 'text' || p.text !== '').map(toBlock);
    if (m.role === 'assistant' && m.toolCalls?.length) {
      for (const call of m.toolCalls) {
        blocks.push(
          toolBlocks
            ? { type: 'tool_use', id: call.id, name: call.name, input: inputObject(call.input) }
            : { type: 'text', text: `[called ${call.name} with ${call.input || '{}'}]` },
        );
      }
    }
    out.push(message(m.role, blocks));
  }
  flushResults();
  return out;
}

function modelPreferences(model: ModelConfig): ModelPreferences | undefined {
  const prefs: ModelPreferences = {
    ...(model.hints?.length && { hints: model.hints.map((name) => ({ name })) }),
    ...(model.costPriority !== undefined && { costPriority: model.costPriority }),
    ...(model.speedPriority !== undefined && { speedPriority: model.speedPriority }),
    ...(model.intelligencePriority !== undefined && { intelligencePriority: model.intelligencePriority }),
  };
  return Object.keys(prefs).length ? prefs : undefined;
}

export const OUTPUT_SCHEMA_META = 'agent-mcp/output-schema';

/** Sampling has no structured-output mode: ask for the JSON in the system prompt; the loop validates it. */
function systemPrompt(req: GenerateRequest): string | undefined {
  if (!req.output) return req.system;
  const ask = `Reply with only a JSON object that matches this JSON Schema, with no other text:\n${JSON.stringify(req.output)}`;
  return req.system ? `${req.system}\n\n${ask}` : ask;
}

/** The createMessage params of one model request; `withTools` when the client can sample with tools. */
export function toCreateMessageParams(req: GenerateRequest, model: ModelConfig, withTools: boolean): CreateMessageRequestParams {
  const tools = withTools && req.tools?.length ? req.tools : undefined;
  const system = systemPrompt(req);
  const prefs = modelPreferences(model);
  const temperature = req.temperature ?? model.temperature;
  return {
    messages: toSamplingMessages(req.messages, withTools),
    ...(system !== undefined && { systemPrompt: system }),
    ...(prefs && { modelPreferences: prefs }),
    maxTokens: req.maxOutputTokens ?? model.maxTokens ?? DEFAULT_SAMPLING_MAX_TOKENS,
    ...(temperature !== undefined && { temperature }),
    ...(model.stopSequences?.length && { stopSequences: model.stopSequences }),
    ...(tools && {
      tools: tools.map((t) => ({
        name: t.name,
        ...(t.description !== undefined && { description: t.description }),
        inputSchema: t.inputSchema as { type: 'object' },
      })),
      toolChoice: { mode: 'auto' as const },
    }),
    // The schema also travels in _meta, so a client that can ask its model for structured output (our own
    // `call` and `test` do) need not rely on the system prompt alone.
    ...(req.output && { _meta: { [OUTPUT_SCHEMA_META]: req.output } }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// createMessage result -> our result

function blocksOf<T>(content: T | T[]): T[] {
  return Array.isArray(content) ? content : [content];
}

function finishReason(stopReason: string | undefined, toolCalls: number): FinishReason {
  if (toolCalls > 0 || stopReason === 'toolUse') return 'tool-calls';
  if (stopReason === undefined || stopReason === 'endTurn' || stopReason === 'stopSequence') return 'stop';
  if (stopReason === 'maxTokens') return 'length';
  return 'other';
}

export function fromCreateMessageResult(result: CreateMessageResultWithTools): GenerateResult {
  const content: Part[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of blocksOf(result.content)) {
    if (block.type === 'text') content.push({ type: 'text', text: block.text });
    else if (block.type === 'image') content.push({ type: 'image', mediaType: block.mimeType, data: block.data });
    else if (block.type === 'tool_use') toolCalls.push({ id: block.id, name: block.name, input: JSON.stringify(block.input ?? {}) });
    // audio and stray tool_result blocks mean nothing to the loop
  }
  return { content, toolCalls, finishReason: finishReason(result.stopReason, toolCalls.length), usage: {}, model: result.model };
}

// ---------------------------------------------------------------------------------------------------------
// The reverse, for a client that answers sampling with one of our providers (`agent-mcp call`)

function fromBlock(block: SamplingMessageContentBlock | ContentBlock): Part | undefined {
  if (block.type === 'text') return { type: 'text', text: block.text };
  if (block.type === 'image') return { type: 'image', mediaType: block.mimeType, data: block.data };
  return undefined;
}

export function fromSamplingMessages(messages: SamplingMessage[]): Message[] {
  const out: Message[] = [];
  const toolNames = new Map<string, string>();
  for (const m of messages) {
    const parts: Part[] = [];
    const toolCalls: ToolCall[] = [];
    for (const block of blocksOf(m.content)) {
      if (block.type === 'tool_use') {
        toolNames.set(block.id, block.name);
        toolCalls.push({ id: block.id, name: block.name, input: JSON.stringify(block.input ?? {}) });
      } else if (block.type === 'tool_result') {
        const content = block.content.map(fromBlock).filter((p): p is Part => p !== undefined);
        out.push({
          role: 'tool',
          toolCallId: block.toolUseId,
          toolName: toolNames.get(block.toolUseId) ?? '',
          content,
          ...(block.isError && { isError: true }),
        });
      } else {
        const part = fromBlock(block);
        if (part) parts.push(part);
      }
    }
    if (m.role === 'assistant') out.push({ role: 'assistant', content: parts, ...(toolCalls.length && { toolCalls }) });
    else if (parts.length) out.push({ role: 'user', content: parts });
  }
  return out;
}

export function fromCreateMessageParams(params: CreateMessageRequestParams, signal: AbortSignal): GenerateRequest {
  const tools: ToolSpec[] | undefined =
    params.toolChoice?.mode === 'none'
      ? undefined
      : params.tools?.map((t) => ({
          name: t.name,
          ...(t.description !== undefined && { description: t.description }),
          inputSchema: t.inputSchema,
        }));
  const meta = params._meta?.[OUTPUT_SCHEMA_META];
  const output = meta && typeof meta === 'object' && !Array.isArray(meta) ? (meta as JsonSchema) : undefined;
  return {
    ...(params.systemPrompt !== undefined && { system: params.systemPrompt }),
    messages: fromSamplingMessages(params.messages),
    ...(output && { output }),
    ...(tools?.length && { tools }),
    maxOutputTokens: params.maxTokens,
    ...(params.temperature !== undefined && { temperature: params.temperature }),
    signal,
  };
}

function stopReason(result: GenerateResult): string {
  if (result.toolCalls.length) return 'toolUse';
  return result.finishReason === 'length' ? 'maxTokens' : 'endTurn';
}

/** A request without tools must get one content block back (the pre-tools result shape). */
export function toCreateMessageResult(result: GenerateResult, withTools: boolean): CreateMessageResult | CreateMessageResultWithTools {
  if (!withTools) {
    const image = result.content.length === 1 && result.content[0]!.type === 'image' ? result.content[0] : undefined;
    return {
      role: 'assistant',
      model: result.model,
      stopReason: stopReason(result),
      content: image ? { type: 'image', mimeType: image.mediaType, data: image.data } : { type: 'text', text: partsText(result.content) },
    };
  }
  const blocks: SamplingMessageContentBlock[] = result.content.map(toBlock);
  for (const call of result.toolCalls) blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: inputObject(call.input) });
  return {
    role: 'assistant',
    model: result.model,
    stopReason: stopReason(result),
    content: blocks.length ? blocks : [{ type: 'text', text: '' }],
  };
}

// ---------------------------------------------------------------------------------------------------------
// The provider

/** Every failure of the client's side moves the chain on: retrying a refusal or a 5-minute wait rarely helps. */
function samplingFailure(model: ModelConfig, timeoutMs: number, err: unknown): ModelUnavailableError {
  const code = (err as { code?: unknown }).code;
  if (REQUEST_TIMEOUT.includes(code)) {
    return new ModelUnavailableError(
      model.name,
      `the client did not answer the sampling request within ${timeoutMs / 1000}s (raise timeout: on the model)`,
    );
  }
  return new ModelUnavailableError(model.name, `the client's sampling request failed: ${redact(errorMessage(err))}`);
}

export function createProvider(model: ModelConfig): Provider {
  const timeoutMs = model.timeoutMs ?? DEFAULT_SAMPLING_TIMEOUT_MS;
  return {
    name: model.name,
    available: (ctx, needs) => samplingUnavailable(model, ctx, needs),
    async generate(req, ctx) {
      const why = samplingUnavailable(model, ctx, { tools: !!req.tools?.length });
      if (why) throw new ModelUnavailableError(model.name, why);
      // Without sampling.tools the entry said toolsOptional: the agent runs without its tools here.
      const client = ctx.client!;
      const withTools = !!client.capabilities?.sampling?.tools;
      const params = toCreateMessageParams(req, model, withTools);
      let result: CreateMessageResultWithTools;
      try {
        result = await client.createMessage(params, { signal: req.signal, timeoutMs });
      } catch (err) {
        if (req.signal.aborted) throw req.signal.reason ?? err;
        if (err instanceof ClientInputRequired) throw err; // a 2026-07-28 round trip: the run suspends here
        throw samplingFailure(model, timeoutMs, err);
      }
      return fromCreateMessageResult(result);
    },
  };
}
