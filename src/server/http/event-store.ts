// Resumability for one session: the SSE events it sent, so a client reconnecting with Last-Event-ID gets what it
// missed. Bounded (count and bytes): the oldest events go first; one bigger than the whole budget is not kept; a
// session that sent nothing holds almost nothing.
import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';
import type { SessionMemory } from './session-memory.js';

export interface EventStoreLimits {
  maxEvents: number;
  maxBytes: number;
}

export const DEFAULT_EVENT_LIMITS: EventStoreLimits = { maxEvents: 256, maxBytes: 1024 * 1024 };

interface StoredEvent {
  stream: string;
  seq: number;
  /** The message as JSON ('' for a priming event, which carries no message). */
  data: string;
}

export class SessionEventStore implements EventStore {
  private events: StoredEvent[] = [];
  private head = 0;
  private bytes = 0;
  private seq = 0;
  /** The process-wide account this store's bytes count against, until released. */
  private memory: SessionMemory | undefined;

  constructor(
    private readonly limits: EventStoreLimits = DEFAULT_EVENT_LIMITS,
    memory?: SessionMemory,
  ) {
    this.memory = memory;
  }

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const seq = ++this.seq;
    // The SDK's priming event is an empty object: keep its place, not a body.
    const data = 'jsonrpc' in message ? JSON.stringify(message) : '';
    const before = this.bytes;
    this.events.push({ stream: streamId, seq, data });
    this.bytes += Buffer.byteLength(data) + streamId.length;
    this.evict();
    this.memory?.change(this, this.bytes - before);
    return `${streamId}_${seq}`;
  }

  /** The session is gone (or evicted): drop every event and give its bytes back to the process-wide account. */
  release(): void {
    this.memory?.change(this, -this.bytes);
    this.memory = undefined;
    this.events = [];
    this.head = 0;
    this.bytes = 0;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return this.parse(eventId)?.stream;
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const last = this.parse(lastEventId);
    if (!last) throw new Error(`unknown event id ${lastEventId}`);
    // Copy first: sending awaits, and new events may arrive meanwhile (the SDK sends those live).
    const missed = this.events.slice(this.head).filter((e) => e.stream === last.stream && e.seq > last.seq && e.data);
    for (const e of missed) await send(`${e.stream}_${e.seq}`, JSON.parse(e.data) as JSONRPCMessage);
    return last.stream;
  }

  get size(): { events: number; bytes: number } {
    return { events: this.events.length - this.head, bytes: this.bytes };
  }

  private parse(eventId: string): { stream: string; seq: number } | undefined {
    const i = eventId.lastIndexOf('_');
    if (i <= 0) return undefined;
    const seq = Number(eventId.slice(i + 1));
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > this.seq) return undefined;
    return { stream: eventId.slice(0, i), seq };
  }

  private evict(): void {
    // Strictly within budget: an event bigger than all of it (a large result) goes out live and is not kept, so a
    // session never holds more than maxBytes of what it already sent.
    while (
      this.events.length - this.head > 0 &&
      (this.events.length - this.head > this.limits.maxEvents || this.bytes > this.limits.maxBytes)
    ) {
      const e = this.events[this.head++]!;
      this.bytes -= Buffer.byteLength(e.data) + e.stream.length;
    }
    // Compact now and then instead of shifting on every eviction.
    if (this.head > 64 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }
}
