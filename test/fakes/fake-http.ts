// The HTTP half shared by the fake OpenAI and Anthropic servers: listen on 127.0.0.1, record every request,
// answer from a per-test script (status, headers, delays, JSON or server-sent events), notice closed sockets.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One scripted answer; the provider-specific fakes turn it into their API's bodies. */
export interface FakeReply {
  text?: string;
  /** `input` is an object (sent as JSON) or a raw string of arguments. */
  toolCalls?: { id?: string; name: string; input: unknown }[];
  usage?: { input: number; output: number };
  /** The provider's own finish / stop reason, when the default does not fit. */
  finish?: string;
  /** An error reply with this HTTP status. */
  status?: number;
  message?: string;
  /** Put the request's Authorization / x-api-key header into the error message (a trap for leaked keys). */
  echoAuth?: boolean;
  headers?: Record<string, string>;
  /** Wait before the response head. */
  delayMs?: number;
  /** Wait between streamed events. */
  chunkDelayMs?: number;
  /** Send the first `after` stream events, then hold the rest until `open` resolves (a test sees a partial answer). */
  gate?: { after: number; open: Promise<unknown> };
  /** Never answer. */
  hang?: boolean;
  /** Faults of a misbehaving provider or network. */
  fault?: Fault;
}

/** What a flaky network or a broken provider does to a reply. */
export type Fault =
  /** Send this body as is (an HTML page with a 200, a truncated JSON, nothing at all). */
  | { kind: 'raw'; status?: number; contentType?: string; body: string }
  /** Send the first `after` stream events, then nothing more while keeping the connection open. */
  | { kind: 'stall'; after: number }
  /** Send the first `after` stream events, then destroy the socket. */
  | { kind: 'cut'; after: number }
  /** Replace stream event number `at` by a line that is not JSON. */
  | { kind: 'bad-chunk'; at: number };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  /** performance.now() when the request arrived. */
  at: number;
  /** Resolves with performance.now() when the client's socket closed. */
  closed: Promise<number>;
}

/** What a provider fake sends: a JSON body, or a list of SSE events. */
export type RawResponse =
  | { status: number; headers?: Record<string, string>; json: unknown }
  | { status: number; headers?: Record<string, string>; events: { event?: string; data: unknown }[] };

export abstract class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  /** Answered when the script is empty. */
  fallback: FakeReply = { text: 'ok' };
  private readonly script: FakeReply[] = [];
  private readonly server: Server;
  private waiters: (() => void)[] = [];
  private readonly socketClosed = new WeakMap<Socket, Promise<number>>();

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
    // One close listener per connection (keep-alive sockets carry many requests).
    this.server.on('connection', (socket) => {
      this.socketClosed.set(socket, new Promise((resolve) => socket.once('close', () => resolve(performance.now()))));
    });
  }

  /** Turn a scripted reply into the API's response for this request. */
  protected abstract respond(reply: FakeReply, request: RecordedRequest): RawResponse;
  /** The path prefix the SDK's baseURL should carry, e.g. /v1. */
  protected abstract readonly prefix: string;

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The baseURL to configure in agents.yaml. */
  get url(): string {
    return `http://127.0.0.1:${this.port}${this.prefix}`;
  }

  /** Queue replies, answered in order, one per request. */
  reply(...replies: FakeReply[]): this {
    this.script.push(...replies);
    return this;
  }

  /** Resolves when at least `count` requests have arrived. */
  async waitForRequests(count: number, timeoutMs = 10_000): Promise<RecordedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      if (Date.now() > deadline) throw new Error(`fake server: ${this.requests.length} of ${count} requests after ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50).unref();
      });
    }
    return this.requests.slice(0, count);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const socket = req.socket;
    const closed = this.socketClosed.get(socket) ?? Promise.resolve(performance.now());
    const request: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      at: performance.now(),
      closed,
    };
    this.requests.push(request);
    for (const wake of this.waiters.splice(0)) wake();

    const reply = this.script.shift() ?? this.fallback;
    if (reply.hang) return; // the socket stays open until the client gives up
    if (reply.delayMs) {
      const aborted = await Promise.race([delay(reply.delayMs).then(() => false), closed.then(() => true)]);
      if (aborted) return;
    }
    const fault = reply.fault;
    if (fault?.kind === 'raw') {
      res.writeHead(fault.status ?? 200, { 'content-type': fault.contentType ?? 'text/html' });
      res.end(fault.body);
      return;
    }
    const raw = this.respond(reply, request);
    if ('json' in raw) {
      const body = JSON.stringify(raw.json);
      res.writeHead(raw.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...raw.headers });
      if (fault?.kind === 'stall' || fault?.kind === 'cut') {
        // Half the body, then nothing (a stall) or a dead socket (a cut).
        res.write(body.slice(0, body.length >> 1));
        if (fault.kind === 'cut') socket.destroy();
        return;
      }
      res.end(body);
      return;
    }
    res.writeHead(raw.status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...raw.headers });
    for (const [i, e] of raw.events.entries()) {
      if (reply.gate && i === reply.gate.after) await reply.gate.open;
      if (socket.destroyed) return;
      if ((fault?.kind === 'stall' || fault?.kind === 'cut') && i === fault.after) {
        if (fault.kind === 'cut') socket.destroy();
        return; // a stall: the connection stays open until the client gives up
      }
      const data =
        fault?.kind === 'bad-chunk' && i === fault.at
          ? '{"choices": [{"delta": '
          : typeof e.data === 'string'
            ? e.data
            : JSON.stringify(e.data);
      res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${data}\n\n`);
      if (reply.chunkDelayMs) await delay(reply.chunkDelayMs);
    }
    res.end();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Split text into a few pieces, as a model streams it. */
export function pieces(text: string): string[] {
  const words = text.split(/(?<=\s)/);
  return words.length ? words : [text];
}

/** The credential the client sent, as the API would see it. */
export function authOf(request: RecordedRequest): string {
  return String(request.headers.authorization ?? request.headers['x-api-key'] ?? '');
}

export function inputJson(input: unknown): string {
  return typeof input === 'string' ? input : JSON.stringify(input ?? {});
}
