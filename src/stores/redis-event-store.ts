// Resumability on Redis: the SDK's EventStore for one session (or any other namespace), kept in Redis so that it
// survives the process's memory limits and can be read by another process. Same contract and bounds as the
// in-memory SessionEventStore (count and bytes, oldest out first), plus a TTL refreshed by every event.
// Keys: agent-mcp:events:{NS} (a list of "seq<TAB>stream<TAB>message") and agent-mcp:meta:{NS} (seq, bytes);
// the {NS} hash tag keeps both on one Redis Cluster slot.
import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';
import type { Result } from 'ioredis';
import type { RedisConnection } from './redis.js';

export interface RedisEventLimits {
  maxEvents: number;
  maxBytes: number;
  /** The events of a namespace go this long after its last event. */
  ttlMs: number;
}

export const DEFAULT_REDIS_EVENT_LIMITS: RedisEventLimits = { maxEvents: 256, maxBytes: 1024 * 1024, ttlMs: 60 * 60_000 };

// Append, evict the oldest beyond the bounds, refresh the TTL: one atomic step, one round trip.
const APPEND = `
local seq = redis.call('HINCRBY', KEYS[2], 'seq', 1)
local entry = seq .. '\\t' .. ARGV[1] .. '\\t' .. ARGV[2]
redis.call('RPUSH', KEYS[1], entry)
local bytes = redis.call('HINCRBY', KEYS[2], 'bytes', #entry)
local n = redis.call('LLEN', KEYS[1])
local maxEvents, maxBytes = tonumber(ARGV[3]), tonumber(ARGV[4])
while n > maxEvents or (bytes > maxBytes and n > 1) do
  local old = redis.call('LPOP', KEYS[1])
  bytes = redis.call('HINCRBY', KEYS[2], 'bytes', -#old)
  n = n - 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return seq
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    agentMcpAppendEvent(
      events: string,
      meta: string,
      stream: string,
      data: string,
      maxEvents: number,
      maxBytes: number,
      ttlMs: number,
    ): Result<number, Context>;
  }
}

export class RedisEventStore implements EventStore {
  private readonly eventsKey: string;
  private readonly metaKey: string;

  constructor(
    private readonly redis: RedisConnection,
    namespace: string,
    private readonly limits: RedisEventLimits = DEFAULT_REDIS_EVENT_LIMITS,
  ) {
    this.eventsKey = `agent-mcp:events:{${namespace}}`;
    this.metaKey = `agent-mcp:meta:{${namespace}}`;
    // ioredis sends it by its SHA and reloads it when a restarted Redis no longer knows it.
    if (!redis.client.agentMcpAppendEvent) redis.client.defineCommand('agentMcpAppendEvent', { numberOfKeys: 2, lua: APPEND });
  }

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    // The SDK's priming event is an empty object: keep its place, not a body.
    const data = 'jsonrpc' in message ? JSON.stringify(message) : '';
    const { maxEvents, maxBytes, ttlMs } = this.limits;
    const seq = await this.redis.run((c) =>
      c.agentMcpAppendEvent(this.eventsKey, this.metaKey, streamId, data, maxEvents, maxBytes, ttlMs),
    );
    return `${streamId}_${seq}`;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return (await this.parse(eventId))?.stream;
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const last = await this.parse(lastEventId);
    if (!last) throw new Error(`unknown event id ${lastEventId}`);
    const entries = await this.redis.run((c) => c.lrange(this.eventsKey, 0, -1));
    for (const entry of entries) {
      const a = entry.indexOf('\t');
      const b = entry.indexOf('\t', a + 1);
      const seq = Number(entry.slice(0, a));
      const data = entry.slice(b + 1);
      if (seq > last.seq && data && entry.slice(a + 1, b) === last.stream)
        await send(`${last.stream}_${seq}`, JSON.parse(data) as JSONRPCMessage);
    }
    return last.stream;
  }

  /** Events and bytes held (for tests and diagnostics). */
  async size(): Promise<{ events: number; bytes: number }> {
    const [events, bytes] = await this.redis.run((c) => Promise.all([c.llen(this.eventsKey), c.hget(this.metaKey, 'bytes')]));
    return { events, bytes: Number(bytes ?? 0) };
  }

  private async parse(eventId: string): Promise<{ stream: string; seq: number } | undefined> {
    const i = eventId.lastIndexOf('_');
    if (i <= 0) return undefined;
    const seq = Number(eventId.slice(i + 1));
    if (!Number.isSafeInteger(seq) || seq < 1) return undefined;
    const newest = Number((await this.redis.run((c) => c.hget(this.metaKey, 'seq'))) ?? 0);
    return seq > newest ? undefined : { stream: eventId.slice(0, i), seq };
  }
}
