// The 2025-era MCP endpoints the HTTP server holds: one SDK Server + transport per session (or per POST when stateless),
// all sharing one Runtime. Knows which requests are in flight (for /healthz and for shutdown), expires idle
// sessions, caps their number and the memory they keep together (the longest-idle close first).
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { EventStore, JSONRPCMessage, RequestId, Server } from '@modelcontextprotocol/server';
import { buildServer, type ServerDeps } from '../build.js';
import { SessionEventStore, type EventStoreLimits } from './event-store.js';
import { CODES } from './reply.js';
import { SessionMemory } from './session-memory.js';

export interface Endpoint {
  /** The session id once initialized (stateful only). */
  id?: string;
  server: Server;
  transport: NodeStreamableHTTPServerTransport;
  /** JSON-RPC requests from the client not answered yet. */
  inflight: Set<RequestId>;
  lastActive: number;
  closed: boolean;
  /** When the client last resumed a stream (GET with Last-Event-ID); 0 if never. */
  lastResume: number;
  /** Its events, when kept in this process (not in Redis). */
  store?: SessionEventStore;
}

export interface SessionOptions {
  stateless: boolean;
  ttlMs: number;
  maxSessions: number;
  /** What all sessions' in-memory event stores may hold together, in bytes (default: no limit). */
  memoryBytes?: number;
  eventLimits?: EventStoreLimits;
  /** How long a call whose POST stream dropped waits for the client to resume it before it is cancelled. */
  resumeGraceMs?: number;
  /** Where a session keeps its events (--redis: in Redis); in memory by default. */
  eventStore?: () => EventStore;
}

/** Long enough for a client to notice a broken stream and reconnect; short next to a call's timeout. */
export const RESUME_GRACE_MS = 5_000;

// Cheap shape checks: the SDK's own guards run a full schema parse, too slow for every message.
const isRequest = (m: JSONRPCMessage): m is JSONRPCMessage & { id: RequestId; method: string } => 'method' in m && 'id' in m;
const isResponse = (m: JSONRPCMessage): m is JSONRPCMessage & { id: RequestId } => !('method' in m) && 'id' in m;

/** 512 bytes, 3.5 KiB, 64 MiB. */
function bytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const [value, unit] = n < 1024 * 1024 ? [n / 1024, 'KiB'] : [n / 1024 / 1024, 'MiB'];
  return `${Number(value.toFixed(1))} ${unit}`;
}

export class Endpoints {
  private readonly sessions = new Map<string, Endpoint>();
  /** Every open endpoint, including stateless ones and sessions still initializing. */
  private readonly open = new Set<Endpoint>();
  private pending = 0;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly memory: SessionMemory;

  constructor(
    private readonly deps: ServerDeps,
    private readonly options: SessionOptions,
  ) {
    this.memory = new SessionMemory(options.memoryBytes ?? Number.POSITIVE_INFINITY);
    this.memory.onOver = (from) => this.reclaim(from);
    if (!options.stateless) {
      // Check a few times per TTL, at most once a minute; never keep the process alive for it.
      this.sweeper = setInterval(() => this.sweep(Date.now()), Math.min(60_000, Math.max(250, options.ttlMs / 4)));
      this.sweeper.unref();
    }
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  get inflightCount(): number {
    let n = 0;
    for (const e of this.open) n += e.inflight.size;
    return n;
  }

  /** Bytes the sessions' event stores hold together (in this process). */
  get retainedBytes(): number {
    return this.memory.bytes;
  }

  /** True when a new session would exceed --max-sessions (counting ones still initializing). */
  get full(): boolean {
    return this.sessions.size + this.pending >= this.options.maxSessions;
  }

  /**
   * Why a new session cannot be opened now, or undefined: too many sessions, or sessions holding more than the
   * memory budget when every one that holds something has a call in flight (idle ones are closed to make room).
   */
  refusal(): string | undefined {
    if (this.full) return `Service Unavailable: too many sessions (at most ${this.options.maxSessions})`;
    if (this.memory.over) this.reclaim();
    if (this.memory.over) {
      return `Service Unavailable: the sessions hold ${bytes(this.memory.bytes)} for resumable streams, over the ${bytes(this.memory.limitBytes)} of --session-memory, and none of them is idle`;
    }
    return undefined;
  }

  get(id: string): Endpoint | undefined {
    const e = this.sessions.get(id);
    if (e) e.lastActive = Date.now();
    return e;
  }

  /** A new endpoint: a session candidate (registered once initialized) or a one-POST stateless endpoint. */
  async create(): Promise<Endpoint> {
    const server = buildServer(this.deps);
    const stateful = !this.options.stateless;
    const endpoint: Endpoint = { server, transport: undefined!, inflight: new Set(), lastActive: Date.now(), closed: false, lastResume: 0 };
    if (stateful && !this.options.eventStore) endpoint.store = new SessionEventStore(this.options.eventLimits, this.memory);
    endpoint.transport = new NodeStreamableHTTPServerTransport(
      stateful
        ? {
            sessionIdGenerator: randomUUID, // a CSPRNG, 122 random bits
            onsessioninitialized: (id) => {
              endpoint.id = id;
              this.sessions.set(id, endpoint);
            },
            eventStore: endpoint.store ?? this.options.eventStore!(),
          }
        : { sessionIdGenerator: undefined },
    );
    const onclose = server.onclose;
    server.onclose = () => {
      onclose?.(); // build's own listeners (reload notifications)
      endpoint.closed = true;
      endpoint.store?.release();
      endpoint.inflight.clear();
      this.open.delete(endpoint);
      if (endpoint.id !== undefined) this.sessions.delete(endpoint.id);
    };
    if (stateful) this.pending++;
    this.open.add(endpoint);
    await server.connect(endpoint.transport);
    this.track(endpoint);
    return endpoint;
  }

  /** The first request of a session candidate was answered: count it as a session, or drop it if it never became one. */
  settle(endpoint: Endpoint): void {
    if (this.options.stateless) return;
    this.pending--;
    if (endpoint.id === undefined) void this.close(endpoint);
  }

  async close(endpoint: Endpoint): Promise<void> {
    if (endpoint.closed) return;
    await endpoint.server.close().catch(() => {});
  }

  /**
   * Over the memory budget: close the sessions idle the longest (no call in flight) until back under it. A client
   * of a closed session gets 404 and starts a new one, as after the TTL. `sending` is the store that just grew: its
   * session is delivering an answer right now, so it is not closed under its own feet.
   */
  private reclaim(sending?: object): void {
    const idle = [...this.sessions.values()]
      .filter((e) => !e.closed && e.inflight.size === 0 && e.store && e.store !== sending && e.store.size.bytes > 0)
      .sort((a, b) => a.lastActive - b.lastActive);
    let evicted = 0;
    for (const e of idle) {
      if (!this.memory.over) break;
      e.store!.release(); // counted back at once; the close itself is asynchronous
      void this.close(e);
      evicted++;
    }
    if (evicted) {
      this.deps.log.info(
        `closed ${evicted} idle session${evicted === 1 ? '' : 's'}: the sessions held more than the ${bytes(this.memory.limitBytes)} of --session-memory`,
      );
    }
  }

  /** Close sessions idle for longer than the TTL; a session with a call in flight is not idle. */
  sweep(now: number): number {
    let closed = 0;
    for (const e of this.sessions.values()) {
      if (e.inflight.size === 0 && now - e.lastActive > this.options.ttlMs) {
        void this.close(e);
        closed++;
      }
    }
    return closed;
  }

  /**
   * Shutdown: answer every request in flight with an error (so no client is left waiting in silence), then close
   * every endpoint, which aborts the handlers still running.
   */
  async shutdown(message: string): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    const all = [...this.open];
    await Promise.all(
      all.map(async (e) => {
        for (const id of [...e.inflight]) {
          await e.transport.send({ jsonrpc: '2.0', id, error: { code: CODES.serverError, message } }).catch(() => {});
        }
      }),
    );
    await Promise.all(all.map((e) => this.close(e)));
  }

  /**
   * A client that drops the connection of its POST gets its answers only by resuming that stream (GET with
   * Last-Event-ID): a 2025-era answer goes out on its own request's stream and nowhere else. Give it the grace to
   * do so; if it has not resumed by then, nobody can receive the answers, so cancel those calls as if the client had
   * sent notifications/cancelled (the provider request is aborted, the session can expire).
   */
  cancelOnDisconnect(endpoint: Endpoint, body: unknown, res: ServerResponse): void {
    const ids = (Array.isArray(body) ? body : [body]).flatMap((m) => {
      const msg = m as { id?: unknown; method?: unknown };
      return typeof msg === 'object' &&
        msg !== null &&
        typeof msg.method === 'string' &&
        (typeof msg.id === 'string' || typeof msg.id === 'number')
        ? [msg.id]
        : [];
    });
    if (ids.length === 0) return;
    res.once('close', () => {
      if (ids.every((id) => !endpoint.inflight.has(id))) return; // answered: the usual end of a stream
      const droppedAt = Date.now();
      setTimeout(() => {
        if (endpoint.lastResume >= droppedAt) return; // a resumed stream delivers the answers
        this.cancel(endpoint, ids);
      }, this.options.resumeGraceMs ?? RESUME_GRACE_MS).unref();
    });
  }

  private cancel(endpoint: Endpoint, ids: RequestId[]): void {
    for (const id of ids) {
      if (endpoint.closed || !endpoint.inflight.has(id)) continue;
      endpoint.inflight.delete(id);
      endpoint.lastActive = Date.now();
      endpoint.transport.onmessage?.({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: id, reason: 'the client disconnected' },
      });
    }
  }

  /** Follow requests in and answers out of one endpoint (the Server has wired itself to the transport by now). */
  private track(endpoint: Endpoint): void {
    const { transport } = endpoint;
    const onmessage = transport.onmessage!;
    transport.onmessage = (message, extra) => {
      if (isRequest(message)) endpoint.inflight.add(message.id);
      else if ('method' in message && message.method === 'notifications/cancelled') {
        const id = (message.params as { requestId?: RequestId } | undefined)?.requestId;
        if (id !== undefined) endpoint.inflight.delete(id); // a cancelled request gets no answer
      }
      onmessage(message, extra);
    };
    const send = transport.send.bind(transport);
    transport.send = (message, options) => {
      if (isResponse(message) && endpoint.inflight.delete(message.id)) endpoint.lastActive = Date.now();
      return send(message, options);
    };
  }
}
