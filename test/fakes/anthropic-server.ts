// A fake Anthropic Messages server (POST /v1/messages), JSON or streamed, with tool_use blocks.
import { FakeHttpServer, authOf, inputJson, pieces, type FakeReply, type RawResponse, type RecordedRequest } from './fake-http.js';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

export class FakeAnthropic extends FakeHttpServer {
  // The SDK appends /v1/messages to the baseURL itself.
  protected readonly prefix = '';

  protected respond(reply: FakeReply, request: RecordedRequest): RawResponse {
    if (request.path !== '/v1/messages')
      return { status: 404, json: { type: 'error', error: { type: 'not_found_error', message: `no route ${request.path}` } } };
    if (reply.status && reply.status >= 400) {
      const message = `${reply.message ?? 'scripted failure'}${reply.echoAuth ? ` (you sent ${authOf(request)})` : ''}`;
      return {
        status: reply.status,
        headers: reply.headers,
        json: { type: 'error', error: { type: ERROR_TYPES[reply.status] ?? 'api_error', message } },
      };
    }
    const model = String(request.body.model);
    const id = `msg_${this.requests.length}`;
    const calls = (reply.toolCalls ?? []).map((c, i) => ({
      id: c.id ?? `toolu_${this.requests.length}_${i}`,
      name: c.name,
      input: c.input,
    }));
    const stop = reply.finish ?? (calls.length ? 'tool_use' : 'end_turn');
    const usage = { input_tokens: reply.usage?.input ?? 10, output_tokens: reply.usage?.output ?? 5 };
    if (!request.body.stream) {
      const content = [
        ...(reply.text ? [{ type: 'text', text: reply.text }] : []),
        ...calls.map((c) => ({
          type: 'tool_use',
          id: c.id,
          name: c.name,
          input: typeof c.input === 'string' ? JSON.parse(c.input) : (c.input ?? {}),
        })),
      ];
      return {
        status: 200,
        headers: reply.headers,
        json: { id, type: 'message', role: 'assistant', model, content, stop_reason: stop, stop_sequence: null, usage },
      };
    }
    const events: { event: string; data: unknown }[] = [];
    const ev = (event: string, data: object) => events.push({ event, data: { type: event, ...data } });
    ev('message_start', {
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: usage.input_tokens, output_tokens: 1 },
      },
    });
    let index = 0;
    if (reply.text) {
      ev('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const piece of pieces(reply.text)) ev('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
      ev('content_block_stop', { index });
      index++;
    }
    for (const c of calls) {
      ev('content_block_start', { index, content_block: { type: 'tool_use', id: c.id, name: c.name, input: {} } });
      // The input arrives as JSON fragments that are not JSON on their own.
      const json = inputJson(c.input);
      const half = Math.ceil(json.length / 2);
      for (const part of [json.slice(0, half), json.slice(half)])
        if (part) ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
      ev('content_block_stop', { index });
      index++;
    }
    ev('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
    ev('message_stop', {});
    return { status: 200, headers: reply.headers, events };
  }
}

export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  return new FakeAnthropic().start();
}
