// Pure mapping between the provider interface and OpenAI Chat Completions (no network, no SDK at runtime).
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import type { FinishReason, GenerateResult, JsonSchema, Message, Part, ToolCall, ToolSpec, Usage } from './types.js';
import { answerTooLarge, describeBody, MAX_ANSWER_CHARS, malformedAnswer } from './error-mapping.js';
import type { ToolNames } from './tool-name-mapping.js';

function textOf(parts: Part[]): string {
  let out = '';
  for (const p of parts) if (p.type === 'text') out += p.text;
  return out;
}

function userContent(parts: Part[]): string | ChatCompletionContentPart[] {
  if (parts.every((p) => p.type === 'text')) return textOf(parts);
  return parts.map(
    (p): ChatCompletionContentPart =>
      p.type === 'text'
        ? { type: 'text', text: p.text }
        : { type: 'image_url', image_url: { url: `data:${p.mediaType};base64,${p.data}` } },
  );
}

export function toOpenAIMessages(system: string | undefined, messages: Message[], names: ToolNames): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  if (system) out.push({ role: 'system', content: system });
  // A tool message takes text only: images a tool returned (an MCP server's screenshot) follow the tool messages
  // of the turn in one user message, which the API accepts.
  let toolImages: Part[] = [];
  const flushImages = () => {
    if (toolImages.length) out.push({ role: 'user', content: userContent(toolImages) });
    toolImages = [];
  };
  for (const m of messages) {
    if (m.role !== 'tool') flushImages();
    if (m.role === 'user') out.push({ role: 'user', content: userContent(m.content) });
    else if (m.role === 'assistant') {
      const text = textOf(m.content);
      out.push({
        role: 'assistant',
        content: text || null,
        ...(m.toolCalls?.length && {
          tool_calls: m.toolCalls.map((c) => ({
            id: c.id,
            type: 'function' as const,
            function: { name: names.api(c.name), arguments: c.input || '{}' },
          })),
        }),
      });
    } else {
      // Chat Completions has no error flag on a tool result: say it in the text.
      let text = textOf(m.content);
      const images = m.content.filter((p) => p.type === 'image');
      if (images.length) {
        toolImages.push({ type: 'text', text: `The image${images.length > 1 ? 's' : ''} ${m.toolName} returned:` }, ...images);
        text += `${text ? '\n' : ''}[${images.length} image${images.length > 1 ? 's' : ''}: in the next message]`;
      }
      out.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.isError ? `Error: ${text}` : text });
    }
  }
  flushImages();
  return out;
}

export function toOpenAITools(specs: ToolSpec[], names: ToolNames): ChatCompletionTool[] {
  return specs.map((s) => ({
    type: 'function',
    function: { name: names.api(s.name), ...(s.description !== undefined && { description: s.description }), parameters: s.inputSchema },
  }));
}

// Keywords strict mode rejects; a schema using one is sent non-strict rather than refused by the API.
const STRICT_UNSUPPORTED = new Set([
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'dependentRequired',
  'dependentSchemas',
  'patternProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'propertyNames',
  'minProperties',
  'maxProperties',
  'contains',
  'minContains',
  'maxContains',
  'uniqueItems',
]);

/**
 * Whether OpenAI's strict structured outputs accept the schema as written: every object closed
 * (additionalProperties: false) with every property required, and no unsupported keyword.
 */
export function isStrictCompatible(schema: unknown, depth = 0): boolean {
  if (depth > 32) return false;
  if (Array.isArray(schema)) return schema.every((s) => isStrictCompatible(s, depth + 1));
  if (!schema || typeof schema !== 'object') return true;
  const s = schema as Record<string, unknown>;
  for (const key of Object.keys(s)) if (STRICT_UNSUPPORTED.has(key)) return false;
  const props = s.properties as Record<string, unknown> | undefined;
  if (s.type === 'object' || props) {
    if (s.additionalProperties !== false) return false;
    const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
    if (props && Object.keys(props).some((k) => !required.has(k))) return false;
  }
  for (const key of ['properties', '$defs', 'definitions']) {
    const group = s[key] as Record<string, unknown> | undefined;
    if (group && typeof group === 'object' && !Object.values(group).every((v) => isStrictCompatible(v, depth + 1))) return false;
  }
  for (const key of ['items', 'anyOf', 'prefixItems']) if (key in s && !isStrictCompatible(s[key], depth + 1)) return false;
  return true;
}

export function toResponseFormat(schema: JsonSchema): ResponseFormatJSONSchema {
  // `$schema` is noise to the API; everything else goes as written.
  const { $schema: _ignored, ...rest } = schema;
  return { type: 'json_schema', json_schema: { name: 'output', schema: rest, strict: isStrictCompatible(rest) } };
}

export function toFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}

export function toUsage(usage: { prompt_tokens?: number; completion_tokens?: number } | null | undefined): Usage {
  return { inputTokens: usage?.prompt_tokens ?? 0, outputTokens: usage?.completion_tokens ?? 0 };
}

/** The SDK hands back whatever the body was (an HTML page is a string): check the shape before reading it. */
export function fromCompletion(completion: ChatCompletion, names: ToolNames): GenerateResult {
  if (!completion || typeof completion !== 'object' || !Array.isArray(completion.choices)) {
    throw malformedAnswer(`not a chat completion (${describeBody(completion)})`);
  }
  const choice = completion.choices[0];
  if (!choice?.finish_reason) throw malformedAnswer('the chat completion has no finish reason');
  const message = choice?.message;
  const text = message?.content ?? message?.refusal ?? '';
  if (typeof text === 'string' && text.length > MAX_ANSWER_CHARS) throw answerTooLarge();
  const toolCalls: ToolCall[] = [];
  for (const c of message?.tool_calls ?? []) {
    if (c.type === 'function') toolCalls.push({ id: c.id, name: names.local(c.function.name), input: c.function.arguments ?? '' });
  }
  return {
    content: text ? [{ type: 'text', text }] : [],
    toolCalls,
    finishReason: message?.refusal && !message.content ? 'content-filter' : toFinishReason(choice?.finish_reason),
    usage: toUsage(completion.usage),
    model: completion.model,
  };
}

/** Streamed chunks -> one result. Tool-call arguments arrive in pieces and are only used once complete. */
export class ChunkAccumulator {
  private text = '';
  private readonly calls: { id: string; name: string; input: string }[] = [];
  private finish: string | null | undefined;
  private usage: Usage = { inputTokens: 0, outputTokens: 0 };
  private model = '';
  private refusal = '';

  constructor(private readonly names: ToolNames) {}

  /** Take one chunk; returns its text delta (for progress), if any. */
  add(chunk: ChatCompletionChunk): string {
    if (!chunk || typeof chunk !== 'object') throw malformedAnswer(`a stream chunk is not an object (${describeBody(chunk)})`);
    if (chunk.model) this.model = chunk.model;
    if (chunk.usage) this.usage = toUsage(chunk.usage);
    const choice = chunk.choices?.[0];
    if (!choice) return '';
    if (choice.finish_reason) this.finish = choice.finish_reason;
    const delta = choice.delta;
    if (!delta) return '';
    if (delta.refusal) this.refusal += delta.refusal;
    for (const d of delta.tool_calls ?? []) {
      const call = (this.calls[d.index] ??= { id: '', name: '', input: '' });
      if (d.id) call.id = d.id;
      if (d.function?.name) call.name += d.function.name;
      if (d.function?.arguments) call.input += d.function.arguments;
    }
    if (typeof delta.content === 'string' && delta.content) {
      this.text += delta.content;
      if (this.text.length > MAX_ANSWER_CHARS) throw answerTooLarge();
      return delta.content;
    }
    return '';
  }

  /** The streamed answer; a stream that ended without a finish reason was cut or was never a stream. */
  result(contentType?: string | null): GenerateResult {
    if (!this.finish) {
      const notStream =
        contentType && !contentType.includes('text/event-stream') ? ` (the body was ${contentType}, not an event stream)` : '';
      throw malformedAnswer(`the stream ended without a finish reason${notStream}`);
    }
    const text = this.text || this.refusal;
    const toolCalls = this.calls
      .filter((c) => c?.name)
      .map((c, i) => ({ id: c.id || `call_${i}`, name: this.names.local(c.name), input: c.input }));
    return {
      content: text ? [{ type: 'text', text }] : [],
      toolCalls,
      finishReason: this.refusal && !this.text ? 'content-filter' : toFinishReason(this.finish),
      usage: this.usage,
      model: this.model,
    };
  }
}
