// `--redis`: the HTTP server's state shared through Redis: the resumable streams' events, and MCP tasks (their
// records, and their runs as jobs on a BullMQ queue every replica works on). Opened at start-up without waiting for Redis, reported by /healthz, closed at shutdown. While
// Redis is away, new requests get a clear 503 (http.ts) and streams already open go on without resumability
// rather than hang: an event Redis could not take is still sent live, under an id no replay will accept.
import { randomUUID } from 'node:crypto';
import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';
import type { Logger } from '../../log.js';
import { RedisEventStore } from '../../stores/redis-event-store.js';
import { openRedis, type RedisLimits } from '../../stores/redis.js';
import { RedisTaskQueue, TASK_QUEUE_DEFAULTS } from '../../stores/redis-task-queue.js';
import { RedisTaskStore } from '../../stores/redis-task-store.js';
import type { Runtime } from '../../agent/runtime.js';
import { DEFAULT_TASK_SETTINGS } from '../../config/types.js';
import { AgentMcpError } from '../../errors.js';
import { parseDuration } from '../../util/duration.js';
import { TaskRuntime } from '../task-runtime.js';

export interface SharedState {
  /** Why Redis cannot serve now, as a client may read it ("Redis unavailable at URL: connection refused"). */
  problem(): string | undefined;
  /** A session's event store, in Redis under a namespace of its own. */
  eventStore(): EventStore;
  /** MCP tasks on Redis: the task store and job queue all replicas share, bounded by the file's server.tasks. */
  taskRuntime(runner: Runtime): Promise<TaskRuntime>;
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
    taskRuntime: async (runner) => {
      const settings = runner.current.server.tasks ?? DEFAULT_TASK_SETTINGS;
      const store = new RedisTaskStore(redis, { maxTasks: settings.maxTasks });
      const queue = await RedisTaskQueue.open(redis, store, log, { lockMs: taskLockMs() });
      return new TaskRuntime(runner, log, store, queue);
    },
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

/**
 * AGENT_MCP_TASK_LOCK: how long a replica's claim on a running task lasts without renewal (renewed at half of it),
 * so how soon another replica takes over the tasks of one that died (within about twice this). Default 30s.
 */
function taskLockMs(): number {
  const value = process.env.AGENT_MCP_TASK_LOCK;
  if (value === undefined || value === '') return TASK_QUEUE_DEFAULTS.lockMs;
  try {
    const ms = parseDuration(value);
    if (ms < 1000) throw new Error('at least 1s');
    return ms;
  } catch (err) {
    throw new AgentMcpError(`AGENT_MCP_TASK_LOCK: ${(err as Error).message}`, 2);
  }
}
