// The two wire formats, both ways: a streamed answer (server-sent events) assembled into the body a plain request
// gets, and a plain body played back as the events a streaming request expects.
import type { WireProvider } from './cassette.js';

type Json = Record<string, unknown>;

/** The `data:` payloads (and `event:` names) of a server-sent events text. */
export function parseSse(text: string): { event?: string; data: string }[] {
  const events: { event?: string; data: string }[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length) events.push({ event, data: data.join('\n') });
  }
  return events;
}

export function assembleStream(provider: WireProvider, text: string): unknown {
  const payloads: Json[] = [];
  for (const e of parseSse(text)) {
    if (e.data === '[DONE]') continue;
    try {
      payloads.push(JSON.parse(e.data) as Json);
    } catch {
      // A torn event: what came before it is still the answer.
    }
  }
  return provider === 'openai' ? assembleOpenAI(payloads) : assembleAnthropic(payloads);
}

interface OpenAIToolCall {
  id?: string;
  type: 'function';
  function: { name: string; arguments: string };
}

function assembleOpenAI(chunks: Json[]): Json {
  let content = '';
  let sawContent = false;
  let finish: unknown = null;
  let usage: unknown;
  const calls: OpenAIToolCall[] = [];
  const first = chunks[0] ?? {};
  for (const chunk of chunks) {
    if (chunk.usage) usage = chunk.usage;
    for (const choice of (chunk.choices as Json[] | undefined) ?? []) {
      const delta = (choice.delta ?? {}) as Json;
      if (typeof delta.content === 'string') {
        content += delta.content;
        sawContent ||= delta.content.length > 0;
      }
      for (const tc of (delta.tool_calls as Json[] | undefined) ?? []) {
        const index = Number(tc.index ?? 0);
        const fn = (tc.function ?? {}) as Json;
        const call = (calls[index] ??= { type: 'function', function: { name: '', arguments: '' } });
        if (typeof tc.id === 'string') call.id = tc.id;
        if (typeof fn.name === 'string') call.function.name += fn.name;
        if (typeof fn.arguments === 'string') call.function.arguments += fn.arguments;
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  const toolCalls = calls.filter(Boolean);
  const message = { role: 'assistant', content: sawContent ? content : null, ...(toolCalls.length && { tool_calls: toolCalls }) };
  return {
    id: first.id,
    object: 'chat.completion',
    created: first.created,
    model: first.model,
    choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
    ...(usage !== undefined && { usage }),
  };
}

function assembleAnthropic(events: Json[]): Json {
  let message: Json = {};
  const blocks: Json[] = [];
  const partial: string[] = [];
  for (const e of events) {
    switch (e.type) {
      case 'message_start':
        message = { ...((e.message as Json) ?? {}) };
        break;
      case 'content_block_start': {
        const index = Number(e.index);
        blocks[index] = { ...((e.content_block as Json) ?? {}) };
        partial[index] = '';
        break;
      }
      case 'content_block_delta': {
        const index = Number(e.index);
        const block = blocks[index];
        const delta = (e.delta ?? {}) as Json;
        if (!block) break;
        if (delta.type === 'text_delta') block.text = String(block.text ?? '') + String(delta.text ?? '');
        else if (delta.type === 'input_json_delta') partial[index] += String(delta.partial_json ?? '');
        else if (delta.type === 'thinking_delta') block.thinking = String(block.thinking ?? '') + String(delta.thinking ?? '');
        else if (delta.type === 'signature_delta') block.signature = String(delta.signature ?? '');
        break;
      }
      case 'content_block_stop': {
        const index = Number(e.index);
        const block = blocks[index];
        if (block?.type === 'tool_use' && partial[index]) {
          try {
            block.input = JSON.parse(partial[index]!);
          } catch {
            block.input = {};
          }
        }
        break;
      }
      case 'message_delta': {
        const delta = (e.delta ?? {}) as Json;
        message = { ...message, ...delta, usage: { ...((message.usage as Json) ?? {}), ...((e.usage as Json) ?? {}) } };
        break;
      }
    }
  }
  return { ...message, content: blocks.filter(Boolean) };
}

const sse = (data: unknown, event?: string) =>
  `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

/** A plain body as the stream a streaming request reads. */
export function toStream(provider: WireProvider, body: unknown, request: Json): string {
  return provider === 'openai' ? openAIStream(body as Json, request) : anthropicStream(body as Json);
}

function openAIStream(body: Json, request: Json): string {
  const base = { id: body.id, object: 'chat.completion.chunk', created: body.created, model: body.model };
  const choice = ((body.choices as Json[] | undefined) ?? [])[0] ?? {};
  const message = (choice.message ?? {}) as Json;
  const chunk = (delta: Json, finish_reason: unknown = null) => sse({ ...base, choices: [{ index: 0, delta, finish_reason }] });
  let out = chunk({ role: 'assistant', content: '' });
  if (typeof message.content === 'string' && message.content) out += chunk({ content: message.content });
  ((message.tool_calls as OpenAIToolCall[] | undefined) ?? []).forEach((c, index) => {
    out += chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.function.name, arguments: '' } }] });
    if (c.function.arguments) out += chunk({ tool_calls: [{ index, function: { arguments: c.function.arguments } }] });
  });
  out += chunk({}, choice.finish_reason ?? 'stop');
  const wantsUsage = (request.stream_options as Json | undefined)?.include_usage;
  if (wantsUsage && body.usage) out += sse({ ...base, choices: [], usage: body.usage });
  return out + sse('[DONE]');
}

function anthropicStream(body: Json): string {
  const usage = (body.usage ?? {}) as Json;
  const ev = (event: string, data: Json) => sse({ type: event, ...data }, event);
  const { content, stop_reason, stop_sequence, ...head } = body;
  let out = ev('message_start', {
    message: { ...head, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 0 } },
  });
  ((content as Json[] | undefined) ?? []).forEach((block, index) => {
    if (block.type === 'text') {
      out += ev('content_block_start', { index, content_block: { type: 'text', text: '' } });
      if (block.text) out += ev('content_block_delta', { index, delta: { type: 'text_delta', text: block.text } });
    } else if (block.type === 'tool_use') {
      out += ev('content_block_start', { index, content_block: { ...block, input: {} } });
      out += ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input ?? {}) } });
    } else if (block.type === 'thinking') {
      out += ev('content_block_start', { index, content_block: { type: 'thinking', thinking: '' } });
      if (block.thinking) out += ev('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: block.thinking } });
      if (block.signature) out += ev('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } });
    } else {
      out += ev('content_block_start', { index, content_block: block });
    }
    out += ev('content_block_stop', { index });
  });
  out += ev('message_delta', {
    delta: { stop_reason, stop_sequence: stop_sequence ?? null },
    usage: { output_tokens: usage.output_tokens ?? 0 },
  });
  return out + ev('message_stop', {});
}
