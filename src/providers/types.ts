// The provider interface: the only type file shared by all adapters; the registry, the chain and the agent loop
// know providers through it alone.
import type { Logger } from '../log.js';
import type { ClientSession } from './client-session.js';
import type { JsonSchema } from '../util/json-schema.js';

export type { JsonSchema };

export type Part = { type: 'text'; text: string } | { type: 'image'; mediaType: string; data: string };
/** `input` is the raw JSON text of the arguments; the loop parses it. */
export type ToolCall = { id: string; name: string; input: string };
export type Message =
  | { role: 'user'; content: Part[] }
  | { role: 'assistant'; content: Part[]; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; toolName: string; content: Part[]; isError?: boolean };
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';
export type Usage = { inputTokens?: number; outputTokens?: number };

export interface ToolSpec {
  name: string;
  description?: string;
  inputSchema: JsonSchema;
}

export interface GenerateRequest {
  system?: string;
  messages: Message[];
  tools?: ToolSpec[];
  /** Ask for JSON matching this schema (structured output). */
  output?: JsonSchema;
  maxOutputTokens?: number;
  temperature?: number;
  signal: AbortSignal;
  /** Streamed text, where the adapter can stream. */
  onTextDelta?: (delta: string) => void;
}

export interface GenerateResult {
  content: Part[];
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  /** The model id that actually answered. */
  model: string;
}

/** What one tool call knows about its MCP client. */
export interface CallContext {
  signal: AbortSignal;
  log: Logger;
  /** The MCP client that made the call, in the era it speaks (absent when no client is connected). */
  client?: ClientSession;
  /** How deep in agent-calls-agent this request is (0 or absent: the agent the client called). */
  depth?: number;
  /** Keep the client's request alive (progress) while a long provider request runs. */
  keepAlive?: () => void;
}

export interface Provider {
  /** The configured model's display name, e.g. `fast` or `openai:gpt-4.1-mini`. */
  readonly name: string;
  /** undefined when usable now; else the reason it is not (no key, client lacks sampling). */
  available(ctx: CallContext, needs: { tools: boolean }): string | undefined;
  generate(req: GenerateRequest, ctx: CallContext): Promise<GenerateResult>;
}

/** How the registry creates providers: `fetch` goes to the SDK clients (recording and replay sit there). */
export interface ProviderOptions {
  fetch?: typeof fetch;
}
