// A raw HTTP client for the reliability tests: every request on its own connection (no keep-alive pool), the
// JSON-RPC messages of the answer read as they arrive (SSE events or one JSON body), and the power to vanish at any
// moment (destroy the socket), as a client that crashes or loses its network does.
import { type ClientRequest, type IncomingMessage, request } from 'node:http';

export const ACCEPT = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

export interface Exchange {
  req: ClientRequest;
  /** Resolves with the response head. */
  response: Promise<IncomingMessage>;
  /** Every JSON-RPC message received so far. */
  messages: unknown[];
  /** Resolves when the first message arrives (or the response ends without one: then undefined). */
  firstMessage: Promise<unknown>;
  /** Resolves when the response ends or the connection closes: the status and every message received. */
  done: Promise<{ status: number; messages: unknown[]; headers: IncomingMessage['headers'] }>;
  /** The client vanishes: the socket is destroyed, nothing more is read or sent. */
  vanish(): void;
}

/** Start a request; `body` undefined for GET and DELETE. */
export function exchange(url: string, method: string, headers: Record<string, string>, body?: string): Exchange {
  const messages: unknown[] = [];
  let first: (m: unknown) => void = () => {};
  const firstMessage = new Promise<unknown>((resolve) => (first = resolve));
  const req = request(url, { method, agent: false, headers: { ...ACCEPT, ...headers } });
  req.on('error', () => {}); // a vanished client's own request errors; the test looks at what it received
  const response = new Promise<IncomingMessage>((resolve) => req.once('response', resolve));
  const done = new Promise<{ status: number; messages: unknown[]; headers: IncomingMessage['headers'] }>((resolve) => {
    req.once('close', () => resolve({ status: 0, messages, headers: {} }));
    void response.then((res) => {
      let buffered = '';
      const sse = (res.headers['content-type'] ?? '').includes('text/event-stream');
      res.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        if (!sse) return;
        // One SSE event per blank line; its data lines carry the message.
        let end = buffered.indexOf('\n\n');
        while (end !== -1) {
          const event = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = event
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trimStart())
            .join('\n');
          if (data) {
            const m = JSON.parse(data) as unknown;
            messages.push(m);
            first(m);
          }
          end = buffered.indexOf('\n\n');
        }
      });
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        if (!sse && buffered.trim()) {
          const m = JSON.parse(buffered) as unknown;
          messages.push(m);
          first(m);
        }
        first(undefined);
        resolve({ status: res.statusCode ?? 0, messages, headers: res.headers });
      };
      res.once('end', finish);
      res.once('close', finish); // destroyed mid-body: no 'end'
    });
  });
  req.end(body);
  return {
    req,
    response,
    messages,
    firstMessage,
    done,
    vanish: () => {
      req.destroy();
    },
  };
}

/** A POST answered in full. */
export function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return exchange(url, 'POST', headers, typeof body === 'string' ? body : JSON.stringify(body)).done;
}

export const PROTOCOL_2025 = '2025-11-25';

/** A 2025-era session: initialize, then notifications/initialized; the headers every later request carries. */
export async function openSession(url: string, name = 'churn'): Promise<Record<string, string>> {
  const init = await post(url, {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: PROTOCOL_2025, capabilities: {}, clientInfo: { name, version: '1' } },
  });
  const id = init.headers['mcp-session-id'];
  if (init.status !== 200 || typeof id !== 'string') throw new Error(`initialize: HTTP ${init.status} ${JSON.stringify(init.messages)}`);
  const headers = { 'mcp-session-id': id, 'mcp-protocol-version': PROTOCOL_2025 };
  await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
  return headers;
}

/** The JSON-RPC responses (not requests, not notifications) among the messages, with this id. */
export function responsesTo(messages: unknown[], id: string | number): unknown[] {
  return messages.filter((m) => {
    const r = m as { id?: unknown; method?: unknown };
    return r.id === id && r.method === undefined;
  });
}

/**
 * Wait until the condition holds, for what the server does asynchronously (a close, a cancelled call) that no
 * promise exposes. Polls on setImmediate (fake timers leave it alone); gives up after 10 s of real time, so a
 * condition that never comes fails the test instead of hanging it.
 */
export async function until(condition: () => boolean, what = 'the condition'): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}
