// The offline, deterministic model: scripted replies, a minimal valid instance of an output schema, or an echo.
import { ProviderError } from '../errors.js';
import type { ModelConfig } from '../config/types.js';
import { minimalInstance } from '../util/json-schema.js';
import { isRetryableStatus } from './error-mapping.js';
import type { GenerateRequest, GenerateResult, Message, Provider, ToolCall } from './types.js';
import { lazyBuiltin } from '../util/builtins.js';

// The module object, loaded on first use (a run may never wait): node:test's fake timers replace its properties.
const timers = lazyBuiltin<typeof import('node:timers/promises')>('node:timers/promises');

type Scripted = NonNullable<ModelConfig['responses']>[number];

/** Which reply comes next: one per model turn already in the conversation, so replay is stateless. */
function turnIndex(messages: Message[]): number {
  return messages.filter((m) => m.role === 'assistant').length;
}

function lastUserText(messages: Message[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'user') return m.content.map((p) => (p.type === 'text' ? p.text : `[${p.mediaType}]`)).join('');
  }
  return '';
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** A reply in a few chunks, so progress streaming can be seen and tested offline. */
async function stream(text: string, req: GenerateRequest): Promise<void> {
  if (!req.onTextDelta || !text) return;
  const words = text.split(/(?<=\s)/);
  const size = Math.max(1, Math.ceil(words.length / 4));
  for (let i = 0; i < words.length; i += size) {
    if (req.signal.aborted) throw req.signal.reason;
    req.onTextDelta(words.slice(i, i + size).join(''));
    await new Promise((r) => setImmediate(r));
  }
}

export function createProvider(model: ModelConfig): Provider {
  const id = model.model ?? 'test';
  return {
    name: model.name,
    available: () => undefined,
    async generate(req) {
      if (model.delayMs) await timers().setTimeout(model.delayMs, undefined, { signal: req.signal });
      const responses = model.responses;
      let text = '';
      let toolCalls: ToolCall[] = [];
      const turn = turnIndex(req.messages);
      if (responses?.length) {
        const reply: Scripted = responses[Math.min(turn, responses.length - 1)]!;
        ({ text, toolCalls } = fromScripted(reply, turn));
      } else if (req.output) {
        text = JSON.stringify(minimalInstance(req.output));
      } else {
        text = `test model received: ${lastUserText(req.messages)}`;
      }
      await stream(text, req);
      const input = (req.system ?? '') + req.messages.map((m) => JSON.stringify(m.content)).join('');
      const result: GenerateResult = {
        content: text ? [{ type: 'text', text }] : [],
        toolCalls,
        finishReason: toolCalls.length ? 'tool-calls' : 'stop',
        usage: {
          inputTokens: estimateTokens(input),
          outputTokens: estimateTokens(text) + toolCalls.reduce((n, c) => n + estimateTokens(c.input), 0),
        },
        model: id,
      };
      return result;
    },
  };
}

function fromScripted(reply: Scripted, turn: number): { text: string; toolCalls: ToolCall[] } {
  if (typeof reply === 'string') return { text: reply, toolCalls: [] };
  if ('error' in reply) {
    const e = (reply.error ?? {}) as { status?: number; message?: string; retryAfter?: number };
    const status = e.status ?? 500;
    const retryAfterMs = typeof e.retryAfter === 'number' ? e.retryAfter * 1000 : undefined;
    throw new ProviderError(`test model error ${status}: ${e.message ?? 'scripted failure'}`, isRetryableStatus(status), {
      status,
      retryAfterMs,
    });
  }
  if (Array.isArray(reply.toolCalls)) {
    const calls = (reply.toolCalls as { name: string; input?: unknown }[]).map((c, i) => ({
      id: `call_${turn}_${i}`,
      name: c.name,
      input: typeof c.input === 'string' ? c.input : JSON.stringify(c.input ?? {}),
    }));
    return { text: typeof reply.text === 'string' ? reply.text : '', toolCalls: calls };
  }
  if (typeof reply.text === 'string' && Object.keys(reply).length === 1) return { text: reply.text, toolCalls: [] };
  return { text: JSON.stringify(reply), toolCalls: [] };
}
