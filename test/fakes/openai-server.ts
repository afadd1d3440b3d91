// A fake OpenAI Chat Completions server (POST /v1/chat/completions), JSON or streamed, with tool calls.
import { FakeHttpServer, authOf, inputJson, pieces, type FakeReply, type RawResponse, type RecordedRequest } from './fake-http.js';

export class FakeOpenAI extends FakeHttpServer {
  protected readonly prefix = '/v1';

  protected respond(reply: FakeReply, request: RecordedRequest): RawResponse {
    if (request.path !== '/v1/chat/completions')
      return { status: 404, json: { error: { message: `no route ${request.path}`, type: 'invalid_request_error' } } };
    if (reply.status && reply.status >= 400) {
      const message = `${reply.message ?? 'scripted failure'}${reply.echoAuth ? ` (you sent ${authOf(request)})` : ''}`;
      return { status: reply.status, headers: reply.headers, json: { error: { message, type: 'fake_error', code: null } } };
    }
    const model = String(request.body.model);
    const calls = (reply.toolCalls ?? []).map((c, i) => ({
      id: c.id ?? `call_${this.requests.length}_${i}`,
      name: c.name,
      arguments: inputJson(c.input),
    }));
    const finish = reply.finish ?? (calls.length ? 'tool_calls' : 'stop');
    const usage = {
      prompt_tokens: reply.usage?.input ?? 10,
      completion_tokens: reply.usage?.output ?? 5,
      total_tokens: (reply.usage?.input ?? 10) + (reply.usage?.output ?? 5),
    };
    const base = { id: `chatcmpl-${this.requests.length}`, created: 1_700_000_000, model };
    if (!request.body.stream) {
      const message = {
        role: 'assistant',
        content: reply.text ?? null,
        ...(calls.length && {
          tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
        }),
      };
      return {
        status: 200,
        headers: reply.headers,
        json: { ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: finish, logprobs: null }], usage },
      };
    }
    const chunk = (delta: object, finish_reason: string | null = null) => ({
      data: { ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason }] },
    });
    const events: { data: unknown }[] = [chunk({ role: 'assistant', content: '' })];
    for (const piece of reply.text ? pieces(reply.text) : []) events.push(chunk({ content: piece }));
    calls.forEach((c, index) => {
      events.push(chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }));
      // Arguments arrive in fragments that are not JSON on their own.
      const half = Math.ceil(c.arguments.length / 2);
      for (const part of [c.arguments.slice(0, half), c.arguments.slice(half)])
        if (part) events.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
    });
    events.push(chunk({}, finish));
    const options = request.body.stream_options as { include_usage?: boolean } | undefined;
    if (options?.include_usage) events.push({ data: { ...base, object: 'chat.completion.chunk', choices: [], usage } });
    events.push({ data: '[DONE]' });
    return { status: 200, headers: reply.headers, events };
  }
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  return new FakeOpenAI().start();
}
