// `--redis`: the HTTP server's state shared through Redis (today the resumable streams' events; tasks next, see
// docs/tasks.md). Opened at start-up without waiting for Redis, reported by /healthz, closed at shutdown. While
// Redis is away, new requests get a clear 503 (http.ts) and streams already open go on without resumability
// rather than hang: an event Redis could not take is still sent live, under an id no replay will accept.
import { randomUUID } from 'node:crypto';
import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';
import type { Logger } from '../../log.js';
import { RedisEventStore } from '../../stores/redis-event-store.js';
import { openRedis, type RedisLimits } from '../../stores/redis.js';

export interface SharedState {
  /** Why Redis cannot serve now, as a client may read it ("Redis unavailable at URL: connection refused"). */
  problem(): string | undefined;
  /** A session's event store, in Redis under a namespace of its own. */
  eventStore(): EventStore;
  close(): Promise<void>;
}

export async function openSharedState(url: string, log: Logger, limits?: Partial<RedisLimits>): Promise<SharedState> {
  const redis = await openRedis(url, log, limits);
  return {
    problem: () => {
      const why = redis.problem();
      return why === undefined ? undefined : `Redis unavailable at ${redis.url}: ${why}`;
    },
    eventStore: () => new BestEffortEventStore(new RedisEventStore(redis, randomUUID()), log),
    close: () => redis.close(),
  };
}

/** Storing an event never fails the send: a message the client is waiting for matters more than its replay. */
class BestEffortEventStore implements EventStore {
  constructor(
    private readonly store: RedisEventStore,
    private readonly log: Logger,
  ) {}

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    try {
      return await this.store.storeEvent(streamId, message);
    } catch (err) {
      this.log.debug(`redis: event not stored (${(err as Error).message}); sent without resumability`);
      return `${streamId}_0`; // seq 0: never issued, so a Last-Event-ID naming it is refused, not replayed wrongly
    }
  }

  getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return this.store.getStreamIdForEventId(eventId);
  }

  replayEventsAfter(lastEventId: string, handlers: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> }): Promise<string> {
    return this.store.replayEventsAfter(lastEventId, handlers);
  }
}
