// The fetch given to the provider SDKs when recording or replaying. It sits under the adapters: a replayed answer
// goes back in the provider's own wire format (JSON, or events when the request streams), so everything above runs
// the same code as a live call.
import { type Exchange, scrub, type WireProvider } from './cassette.js';
import type { ReplayStore } from './replay-store.js';
import { addExchange, currentTape } from './tape.js';
import { assembleStream, toStream } from './wire.js';

export interface RecordingFetchOptions {
  /** Answer from these recordings; what matches nothing fails (or, with `record`, goes live and is recorded). */
  replay?: ReplayStore;
  /** Put every exchange on the current example's tape. */
  record: boolean;
  /** The real fetch (tests give their own). */
  base?: typeof fetch;
}

/** Which API a request is for, from its path; undefined lets it through untouched. */
export function wireProviderOf(pathname: string): WireProvider | undefined {
  if (pathname.endsWith('/chat/completions')) return 'openai';
  if (pathname.endsWith('/messages')) return 'anthropic';
  return undefined;
}

export function recordingFetch(options: RecordingFetchOptions): typeof fetch {
  const base = options.base ?? globalThis.fetch;
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const provider = wireProviderOf(url.pathname);
    const bodyText = typeof init?.body === 'string' ? init.body : undefined;
    if (!provider || bodyText === undefined) return base(input, init);
    const body = JSON.parse(bodyText) as Record<string, unknown>;
    const tape = currentTape();
    if (options.replay) {
      const found = options.replay.find(provider, body, tape?.example);
      if ('exchange' in found) {
        if (tape && options.record) addExchange(tape, found.exchange);
        return answer(provider, found.exchange, body);
      }
      if (!options.record) {
        tape?.misses.push(found.miss);
        return missResponse(provider, found.miss);
      }
    }
    const response = await base(input, init);
    if (!options.record || !tape) return response;
    const streamed = (response.headers.get('content-type') ?? '').includes('text/event-stream');
    tape.live++;
    const keep = (text: string) =>
      addExchange(
        tape,
        scrub<Exchange>({
          provider,
          request: { path: url.pathname, body },
          response: { status: response.status, body: streamed ? assembleStream(provider, text) : parseBody(text) },
          streamed,
        }),
      );
    if (!response.body) {
      keep('');
      return response;
    }
    // The SDK reads one branch as it arrives (progress stays live); the recording reads the other.
    const [mine, theirs] = response.body.tee();
    const done = new Response(mine)
      .text()
      .then(keep, () => {})
      .finally(() => tape.pending.delete(done));
    tape.pending.add(done);
    return new Response(theirs, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function answer(provider: WireProvider, exchange: Exchange, request: Record<string, unknown>): Response {
  const { status, body } = exchange.response;
  if (status < 400 && request.stream === true) {
    return new Response(toStream(provider, body, request), { status, headers: { 'content-type': 'text/event-stream' } });
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Response(text, { status, headers: { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' } });
}

/** A miss answers as the API answers a bad request: not retried, so no other model hides it. */
function missResponse(provider: WireProvider, message: string): Response {
  const body =
    provider === 'openai'
      ? { error: { message: `replay: ${message}`, type: 'invalid_request_error', code: 'replay_miss' } }
      : { type: 'error', error: { type: 'invalid_request_error', message: `replay: ${message}` } };
  return new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json' } });
}
