// Pure mapping between the provider interface and the Anthropic Messages API (no network, no SDK at runtime).
// Structured output goes through a tool: the model "calls" it with the answer as its input.
import type {
  ContentBlockParam,
  Message as AnthropicMessage,
  MessageParam,
  RawMessageStreamEvent,
  TextBlockParam,
  Tool,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages/messages';
import { answerTooLarge, describeBody, MAX_ANSWER_CHARS, malformedAnswer } from './error-mapping.js';
import type { FinishReason, GenerateResult, JsonSchema, Message, Part, ToolCall, ToolSpec, Usage } from './types.js';
import { ToolNames } from './tool-name-mapping.js';

export const OUTPUT_TOOL = 'final_answer';

/** The tool names of one request: the agent's tools, and the output tool when structured output is asked for. */
export interface AnthropicTools {
  names: ToolNames;
  /** API name of the structured-output tool, when there is one. */
  output?: string;
}

export function toolNames(specs: ToolSpec[] | undefined, output: JsonSchema | undefined): AnthropicTools {
  const names = new ToolNames(specs?.map((s) => s.name) ?? []);
  return { names, ...(output && { output: names.free(OUTPUT_TOOL) }) };
}

type ImageMediaType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

function partBlock(p: Part): TextBlockParam | ContentBlockParam {
  return p.type === 'text'
    ? { type: 'text', text: p.text }
    : { type: 'image', source: { type: 'base64', media_type: p.mediaType as ImageMediaType, data: p.data } };
}

/** The API rejects empty text blocks. */
function blocks(parts: Part[]): ContentBlockParam[] {
  return parts.filter((p) => p.type !== 'text' || p.text !== '').map(partBlock);
}

function parseInput(input: string): unknown {
  if (!input.trim()) return {};
  try {
    return JSON.parse(input);
  } catch {
    return { _raw: input }; // tool_use.input must be an object; keep what the model sent
  }
}

/**
 * Tool results travel in a user turn, and the API wants strict user/assistant alternation:
 * consecutive messages of one role are merged, empty ones dropped.
 */
export function toAnthropicMessages(messages: Message[], names: ToolNames): MessageParam[] {
  const out: MessageParam[] = [];
  const push = (role: 'user' | 'assistant', content: ContentBlockParam[]) => {
    if (!content.length) return;
    const last = out[out.length - 1];
    if (last && last.role === role) (last.content as ContentBlockParam[]).push(...content);
    else out.push({ role, content });
  };
  for (const m of messages) {
    if (m.role === 'user') push('user', blocks(m.content));
    else if (m.role === 'assistant') {
      const content = blocks(m.content);
      for (const c of m.toolCalls ?? []) content.push({ type: 'tool_use', id: c.id, name: names.api(c.name), input: parseInput(c.input) });
      push('assistant', content);
    } else {
      const content = blocks(m.content) as Exclude<ToolResultContent, string>;
      // An empty result is sent without content (an empty text block would be refused).
      push('user', [
        { type: 'tool_result', tool_use_id: m.toolCallId, ...(content.length && { content }), ...(m.isError && { is_error: true }) },
      ]);
    }
  }
  return out;
}

type ToolResultContent = NonNullable<Extract<ContentBlockParam, { type: 'tool_result' }>['content']>;

function inputSchema(schema: JsonSchema): Tool['input_schema'] {
  const { $schema: _ignored, ...rest } = schema;
  return { type: 'object', ...rest } as Tool['input_schema'];
}

export function toAnthropicTools(specs: ToolSpec[] | undefined, output: JsonSchema | undefined, tools: AnthropicTools): Tool[] {
  const out: Tool[] = (specs ?? []).map((s) => ({
    name: tools.names.api(s.name),
    ...(s.description !== undefined && { description: s.description }),
    input_schema: inputSchema(s.inputSchema),
  }));
  if (output && tools.output) {
    out.push({
      name: tools.output,
      description: 'Give your final answer by calling this tool once, with the answer as its input. Call it only when you are done.',
      input_schema: inputSchema(output),
    });
  }
  return out;
}

/** Forced output tool when it is the only tool; with the agent's tools too, any tool (the output one ends the run). */
export function toToolChoice(specs: ToolSpec[] | undefined, tools: AnthropicTools): ToolChoice | undefined {
  if (!tools.output) return undefined;
  return specs?.length ? { type: 'any' } : { type: 'tool', name: tools.output };
}

export function toFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}

interface UsageFields {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** Cached input is input too: the sum is what the prompt cost in tokens. */
export function toUsage(u: UsageFields | null | undefined): Usage {
  return {
    inputTokens: (u?.input_tokens ?? 0) + (u?.cache_creation_input_tokens ?? 0) + (u?.cache_read_input_tokens ?? 0),
    outputTokens: u?.output_tokens ?? 0,
  };
}

type Block = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: string };

/** Content blocks -> a result; a call of the output tool becomes the answer's JSON text. */
function toResult(content: Block[], stop: string | null | undefined, usage: Usage, model: string, tools: AnthropicTools): GenerateResult {
  if (!stop) throw malformedAnswer('the message has no stop reason');
  const answer = tools.output ? content.find((b) => b.type === 'tool_use' && b.name === tools.output) : undefined;
  if (answer && answer.type === 'tool_use') {
    return { content: [{ type: 'text', text: answer.input.trim() || '{}' }], toolCalls: [], finishReason: 'stop', usage, model };
  }
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const b of content) {
    if (b.type === 'text') text += b.text;
    else toolCalls.push({ id: b.id, name: tools.names.local(b.name), input: b.input });
  }
  return { content: text ? [{ type: 'text', text }] : [], toolCalls, finishReason: toFinishReason(stop), usage, model };
}

/** The SDK hands back whatever the body was (an HTML page is a string): check the shape before reading it. */
export function fromMessage(message: AnthropicMessage, tools: AnthropicTools): GenerateResult {
  if (!message || typeof message !== 'object' || !Array.isArray(message.content)) {
    throw malformedAnswer(`not a message (${describeBody(message)})`);
  }
  const content: Block[] = [];
  for (const b of message.content) {
    if (b?.type === 'text' && typeof b.text === 'string' && b.text.length > MAX_ANSWER_CHARS) throw answerTooLarge();
    if (b?.type === 'text') content.push({ type: 'text', text: b.text });
    else if (b.type === 'tool_use') content.push({ type: 'tool_use', id: b.id, name: b.name, input: JSON.stringify(b.input ?? {}) });
  }
  return toResult(content, message.stop_reason, toUsage(message.usage), message.model, tools);
}

/** Stream events -> one result. Tool input arrives as JSON fragments and is only used once complete. */
export class EventAccumulator {
  private readonly blocks: Block[] = [];
  private stop: string | null | undefined;
  private usage: UsageFields = {};
  private model = '';

  constructor(private readonly tools: AnthropicTools) {}

  /** Take one event; returns its text delta (for progress), if any. */
  add(event: RawMessageStreamEvent): string {
    if (!event || typeof event !== 'object') throw malformedAnswer(`a stream event is not an object (${describeBody(event)})`);
    switch (event.type) {
      case 'message_start':
        this.model = event.message?.model ?? '';
        this.usage = { ...event.message?.usage };
        return '';
      case 'content_block_start': {
        const b = event.content_block;
        if (!b) return '';
        if (b.type === 'text') this.blocks[event.index] = { type: 'text', text: b.text };
        else if (b.type === 'tool_use') {
          // Some proxies put the whole input here instead of streaming it.
          const input = b.input && typeof b.input === 'object' && Object.keys(b.input).length ? JSON.stringify(b.input) : '';
          this.blocks[event.index] = { type: 'tool_use', id: b.id, name: b.name, input };
        }
        return b.type === 'text' ? b.text : '';
      }
      case 'content_block_delta': {
        const block = this.blocks[event.index];
        const d = event.delta;
        if (d?.type === 'text_delta' && block?.type === 'text' && typeof d.text === 'string') {
          block.text += d.text;
          if (block.text.length > MAX_ANSWER_CHARS) throw answerTooLarge();
          return d.text;
        }
        if (d?.type === 'input_json_delta' && block?.type === 'tool_use') block.input += d.partial_json;
        return '';
      }
      case 'message_delta':
        if (event.delta?.stop_reason) this.stop = event.delta.stop_reason;
        // Counts in message_delta are cumulative; input counts appear here only on some servers.
        for (const [k, v] of Object.entries(event.usage ?? {})) if (typeof v === 'number') (this.usage as Record<string, number>)[k] = v;
        return '';
      default:
        return '';
    }
  }

  /** The streamed answer; a stream that ended without a stop reason was cut or was never a stream. */
  result(contentType?: string | null): GenerateResult {
    if (!this.stop) {
      const notStream =
        contentType && !contentType.includes('text/event-stream') ? ` (the body was ${contentType}, not an event stream)` : '';
      throw malformedAnswer(`the stream ended without a stop reason${notStream}`);
    }
    return toResult(this.blocks.filter(Boolean), this.stop, toUsage(this.usage), this.model, this.tools);
  }
}
