// The TaskStore on Redis (`--redis`): every replica reads and writes the same tasks, so any of them answers
// tasks/get, tasks/result, tasks/list and tasks/cancel for a task another one created or runs. Same contract as the
// in-memory store (src/tasks/store.ts; test/stores/redis-task-store.test.ts runs the shared suite against a real
// redis-server).
//
// Keys, all under one hash tag so they share a Redis Cluster slot (the scripts touch several of them):
//   agent-mcp:tasks:{NS}:t:ID      a hash: r (the record, JSON), v (its version), x (expiresAt, once terminal),
//                                  l (ttlMs), o (owner), s (creation order); a tombstone keeps only g (gone until)
//   agent-mcp:tasks:{NS}:held      the tasks held, by expiresAt (RUNNING for tasks not terminal): the maxTasks bound
//   agent-mcp:tasks:{NS}:tombs     tombstones, by the time they go (bounded by maxTasks too)
//   agent-mcp:tasks:{NS}:owner:O   one owner's tasks by creation order (tasks/list)
//   agent-mcp:tasks:{NS}:seq       the creation counter
// A change of a record is read, applied in JS (the same rules as the memory store) and written back by a script
// that checks the version did not move meanwhile (compare-and-set; retried on a conflict), then published on
// agent-mcp:tasks:{NS}:changed so that waiters in every process wake up. Times are the store's now() (a manual clock
// in tests); Redis's own expiry only collects what the logic already treats as gone.
import { randomUUID } from 'node:crypto';
import type { Redis, Result } from 'ioredis';
import {
  isTerminal,
  type JsonValue,
  type NewTask,
  type TaskInputRequest,
  type TaskLookup,
  type TaskOutcome,
  type TaskProgress,
  type TaskRecord,
} from '../tasks/types.js';
import { TaskCursorError, TaskLimitError, type TaskPage, type TaskStore, type TaskStoreOptions, type WaitOptions } from '../tasks/store.js';
import * as rules from '../tasks/record.js';
import type { RedisConnection } from './redis.js';

export const DEFAULT_MAX_TASKS = 1000;
/** The score of a task that is not terminal: it never expires while it runs (its run is bounded by the tool's timeout). */
const RUNNING = 9e15;
/** Compare-and-set attempts before a change gives up (only many writers on one task at once get near it). */
const MAX_ATTEMPTS = 16;
/** How much longer than the logic needs Redis keeps a finished task's key. */
const GC_MARGIN_MS = 60_000;
/** A waiter re-reads at least this often, in case a change notice was lost (Redis reconnecting). */
const RECHECK_MS = 1_000;

// Bury a task (it becomes a tombstone until ARGV `until`), shared by the scripts below.
const BURY = `
local function bury(base, id, untilMs, maxTombs)
  local k = base .. ':t:' .. id
  local owner = redis.call('HGET', k, 'o')
  if owner then redis.call('ZREM', base .. ':owner:' .. owner, id) end
  redis.call('DEL', k)
  redis.call('HSET', k, 'g', untilMs)
  redis.call('ZREM', base .. ':held', id)
  redis.call('ZADD', base .. ':tombs', untilMs, id)
  while redis.call('ZCARD', base .. ':tombs') > maxTombs do
    local old = redis.call('ZPOPMIN', base .. ':tombs')
    if redis.call('HEXISTS', base .. ':t:' .. old[1], 'g') == 1 then redis.call('DEL', base .. ':t:' .. old[1]) end
  end
end
local function sweep(base, now, maxTombs)
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', base .. ':held', '-inf', now)) do
    local k = base .. ':t:' .. id
    local x = tonumber(redis.call('HGET', k, 'x') or now)
    local l = tonumber(redis.call('HGET', k, 'l') or '0')
    bury(base, id, x + l, maxTombs)
  end
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', base .. ':tombs', '-inf', now)) do
    redis.call('ZREM', base .. ':tombs', id)
    if redis.call('HEXISTS', base .. ':t:' .. id, 'g') == 1 then redis.call('DEL', base .. ':t:' .. id) end
  end
end
`;

// KEYS: the task's key, held, seq, the owner's index (or held again when none). ARGV: base, now, maxTasks, id,
// record JSON (without its place), ttlMs, owner ('' = none). Returns the creation order, or 0 at the limit.
const CREATE = `${BURY}
local base, now, max, id, rec, ttl, owner = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6], ARGV[7]
sweep(base, now, max)
if redis.call('ZCARD', KEYS[2]) >= max then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  if tonumber(first[2]) >= ${RUNNING} then return 0 end
  bury(base, first[1], now + tonumber(redis.call('HGET', base .. ':t:' .. first[1], 'l') or '0'), max)
end
local seq = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[1], 'r', rec, 'v', 1, 'l', ttl, 's', seq)
if owner ~= '' then
  redis.call('HSET', KEYS[1], 'o', owner)
  redis.call('ZADD', KEYS[4], seq, id)
end
redis.call('ZADD', KEYS[2], ${RUNNING}, id)
return seq
`;

// KEYS: the task's key, held. ARGV: expected version, new version, record JSON, expiresAt ('' while running),
// ms until Redis may drop it ('' = keep), id, channel. Returns 1 when written, 0 when the version moved.
const SWAP = `
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'r', ARGV[3], 'v', ARGV[2])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[1], 'x', ARGV[4])
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[6])
end
if ARGV[5] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
redis.call('PUBLISH', ARGV[7], ARGV[6])
return 1
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    agentMcpTaskCreate(
      task: string,
      held: string,
      seq: string,
      ownerIndex: string,
      base: string,
      now: number,
      maxTasks: number,
      id: string,
      record: string,
      ttlMs: number,
      owner: string,
    ): Result<number, Context>;
    agentMcpTaskSwap(
      task: string,
      held: string,
      expected: string,
      next: number,
      record: string,
      expiresAt: string,
      keepMs: string,
      id: string,
      channel: string,
    ): Result<number, Context>;
  }
}

export interface RedisTaskStoreOptions extends TaskStoreOptions {
  /** Keeps stores apart on one Redis (tests; several deployments on one Redis). Default "main". */
  namespace?: string;
}

type Waiter = () => void;

export class RedisTaskStore implements TaskStore {
  private readonly base: string;
  private readonly channel: string;
  private readonly maxTasks: number;
  private readonly now: () => number;
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly subscriber: Redis;
  private closed = false;

  constructor(
    private readonly redis: RedisConnection,
    options: RedisTaskStoreOptions = {},
  ) {
    this.base = `agent-mcp:tasks:{${options.namespace ?? 'main'}}`;
    this.channel = `${this.base}:changed`;
    this.maxTasks = options.maxTasks ?? DEFAULT_MAX_TASKS;
    this.now = options.now ?? Date.now;
    const client = redis.client;
    if (!client.agentMcpTaskCreate) client.defineCommand('agentMcpTaskCreate', { numberOfKeys: 4, lua: CREATE });
    if (!client.agentMcpTaskSwap) client.defineCommand('agentMcpTaskSwap', { numberOfKeys: 2, lua: SWAP });
    // Change notices come on a connection of their own (a subscribed connection takes no other commands); it
    // subscribes once connected and again after every reconnection, and a lost notice costs a waiter one re-check.
    this.subscriber = client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, connectionName: 'agent-mcp-tasks' });
    this.subscriber.on('error', () => {}); // the command connection reports Redis being away
    this.subscriber.on('message', (_channel: string, id: string) => this.wake(id));
    this.subscriber.subscribe(this.channel).catch(() => {});
  }

  async create(init: NewTask): Promise<TaskRecord> {
    const now = this.now();
    const task = rules.newTaskRecord(randomUUID(), init, now);
    const owner = init.owner ?? '';
    const seq = await this.redis.run((c) =>
      c.agentMcpTaskCreate(
        this.key(task.taskId),
        this.heldKey,
        `${this.base}:seq`,
        owner ? this.ownerKey(owner) : this.heldKey,
        this.base,
        now,
        this.maxTasks,
        task.taskId,
        JSON.stringify(task),
        init.ttlMs,
        owner,
      ),
    );
    if (seq === 0) throw new TaskLimitError(this.maxTasks);
    return task;
  }

  async get(taskId: string): Promise<TaskLookup> {
    const [r, g] = await this.redis.run((c) => c.hmget(this.key(taskId), 'r', 'g'));
    const now = this.now();
    if (r) {
      const task = JSON.parse(r) as TaskRecord;
      if (task.expiresAt === undefined || task.expiresAt > now) return { state: 'found', task };
      return task.expiresAt + task.ttlMs > now ? { state: 'expired' } : { state: 'unknown' };
    }
    return g && Number(g) > now ? { state: 'expired' } : { state: 'unknown' };
  }

  async list(owner: string, cursor?: string, limit = 50): Promise<TaskPage> {
    const size = Math.min(Math.max(1, Math.floor(limit)), 100);
    let after = 0;
    if (cursor !== undefined) {
      const [who, at] = rules.decodeCursor(cursor);
      if (who !== owner) throw new TaskCursorError();
      after = at;
    }
    const now = this.now();
    // An owner holds at most maxTasks tasks: read them all after the cursor, leave out the expired ones, page.
    const entries = await this.redis.run((c) => c.zrangebyscore(this.ownerKey(owner), `(${after}`, '+inf', 'WITHSCORES'));
    const ids: [string, number][] = [];
    for (let i = 0; i < entries.length; i += 2) ids.push([entries[i]!, Number(entries[i + 1])]);
    const records = ids.length ? await this.redis.run((c) => c.pipeline(ids.map(([id]) => ['hget', this.key(id), 'r'])).exec()) : [];
    const mine: [TaskRecord, number][] = [];
    records?.forEach(([, raw], i) => {
      if (typeof raw !== 'string') return;
      const task = JSON.parse(raw) as TaskRecord;
      if (task.expiresAt === undefined || task.expiresAt > now) mine.push([task, ids[i]![1]]);
    });
    const page = mine.slice(0, size);
    const last = page.at(-1);
    return {
      tasks: page.map(([t]) => t),
      ...(mine.length > size && last ? { nextCursor: rules.encodeCursor(owner, last[1]) } : {}),
    };
  }

  setStatus(taskId: string, status: 'working' | 'input_required', statusMessage?: string): Promise<TaskRecord | undefined> {
    return this.change(taskId, rules.setStatus(status, statusMessage));
  }

  setProgress(taskId: string, progress: TaskProgress): Promise<TaskRecord | undefined> {
    return this.change(taskId, rules.setProgress(progress));
  }

  finish(taskId: string, outcome: TaskOutcome): Promise<TaskRecord | undefined> {
    return this.change(taskId, rules.finish(outcome, this.now()));
  }

  cancel(taskId: string, statusMessage = 'cancelled by the client'): Promise<TaskRecord | undefined> {
    return this.change(taskId, rules.cancel(statusMessage, this.now()));
  }

  addInputRequest(taskId: string, key: string, request: TaskInputRequest): Promise<TaskRecord | undefined> {
    return this.change(taskId, rules.addInputRequest(key, request));
  }

  async answerInput(taskId: string, responses: Record<string, JsonValue>): Promise<string[]> {
    const taken: string[] = [];
    await this.change(taskId, rules.answerInput(responses, taken));
    return taken;
  }

  async takeInputResponse(taskId: string, key: string): Promise<JsonValue | undefined> {
    const found: { value?: JsonValue } = {};
    await this.change(taskId, rules.takeInputResponse(key, found), { evenTerminal: true });
    return found.value;
  }

  async waitForChange(taskId: string, sinceVersion: number, { timeoutMs, signal }: WaitOptions): Promise<TaskRecord | undefined> {
    // Listen first, then read: a change between the two still wakes this wait.
    let wake!: Waiter;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const set = this.waiters.get(taskId) ?? new Set();
    this.waiters.set(taskId, set);
    set.add(wake);
    const timers: NodeJS.Timeout[] = [];
    try {
      const until = performance.now() + timeoutMs;
      for (;;) {
        const now = await this.live(taskId);
        if (!now || now.version > sinceVersion || this.closed || signal?.aborted) return now;
        const left = until - performance.now();
        if (left <= 0) return now;
        const done = await new Promise<'woken' | 'tick'>((resolve) => {
          timers.push(setTimeout(() => resolve('tick'), Math.min(left, RECHECK_MS)));
          void woken.then(() => resolve('woken'));
          signal?.addEventListener('abort', () => resolve('woken'), { once: true });
        });
        for (const t of timers.splice(0)) clearTimeout(t);
        if (done === 'woken') return await this.live(taskId);
      }
    } finally {
      for (const t of timers) clearTimeout(t);
      set.delete(wake);
      if (set.size === 0) this.waiters.delete(taskId);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const set of [...this.waiters.values()]) for (const wake of [...set]) wake();
    this.subscriber.disconnect();
  }

  private get heldKey(): string {
    return `${this.base}:held`;
  }

  private key(taskId: string): string {
    return `${this.base}:t:${taskId}`;
  }

  private ownerKey(owner: string): string {
    return `${this.base}:owner:${owner}`;
  }

  private wake(taskId: string): void {
    const set = this.waiters.get(taskId);
    if (set) for (const wake of [...set]) wake();
  }

  /** The record and its stored version, if held and not past its expiry. */
  private async read(taskId: string): Promise<{ task: TaskRecord; v: string } | undefined> {
    const [r, v] = await this.redis.run((c) => c.hmget(this.key(taskId), 'r', 'v'));
    if (!r || !v) return undefined;
    const task = JSON.parse(r) as TaskRecord;
    if (task.expiresAt !== undefined && task.expiresAt <= this.now()) return undefined;
    return { task, v };
  }

  private async live(taskId: string): Promise<TaskRecord | undefined> {
    return (await this.read(taskId))?.task;
  }

  /**
   * Apply a change to a live task (not a terminal one, unless asked) and write it back if nobody wrote in between;
   * `false` from the change means nothing changed. Errors thrown by the change (limits) go to the caller.
   */
  private async change(taskId: string, apply: rules.TaskChange, { evenTerminal = false } = {}): Promise<TaskRecord | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const held = await this.read(taskId);
      if (!held) return undefined;
      const { task, v } = held;
      if (isTerminal(task.status) && !evenTerminal) return task;
      const wasTerminal = isTerminal(task.status);
      if (apply(task) === false) return task;
      task.version++;
      task.lastUpdatedAt = this.now();
      const ending = !wasTerminal && isTerminal(task.status);
      const expiresAt = ending ? String(task.expiresAt) : '';
      // Redis may drop the key a while after the tombstone would be gone too (real time, with a margin: the logic
      // goes by the store's clock).
      const keepMs = ending ? String(task.expiresAt! - this.now() + task.ttlMs + GC_MARGIN_MS) : '';
      const written = await this.redis.run((c) =>
        c.agentMcpTaskSwap(this.key(taskId), this.heldKey, v, task.version, JSON.stringify(task), expiresAt, keepMs, taskId, this.channel),
      );
      if (written === 1) return task;
    }
    throw new Error(`task ${taskId}: too many concurrent changes; try again`);
  }
}
