// The task store in one process's memory (the default without --redis). Records are copied in and out, so a
// caller holding one never sees a later change and the contract is the same as a store that serialises.
import { lazyBuiltin } from '../util/builtins.js';
import { TaskCursorError, TaskLimitError, type TaskPage, type TaskStore, type TaskStoreOptions, type WaitOptions } from './store.js';
import * as rules from './record.js';
import {
  isTerminal,
  type JsonValue,
  type NewTask,
  type TaskInputRequest,
  type TaskLookup,
  type TaskOutcome,
  type TaskProgress,
  type TaskRecord,
} from './types.js';

export const DEFAULT_MAX_TASKS = 1000;

// Loaded when the first task is created: start-up does not pay for node:crypto.
const crypto = lazyBuiltin<typeof import('node:crypto')>('node:crypto');

const copy = <T>(value: T): T => structuredClone(value);

export class MemoryTaskStore implements TaskStore {
  private readonly tasks = new Map<string, TaskRecord>();
  /** Expired ids -> when the tombstone goes (insertion order = oldest first). */
  private readonly tombstones = new Map<string, number>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly maxTasks: number;
  private readonly now: () => number;
  /** Creation order, for list cursors (a counter: createdAt may repeat within a millisecond). */
  private seq = 0;
  private readonly order = new Map<string, number>();
  private closed = false;

  constructor(options: TaskStoreOptions = {}) {
    this.maxTasks = options.maxTasks ?? DEFAULT_MAX_TASKS;
    this.now = options.now ?? Date.now;
  }

  async create(init: NewTask): Promise<TaskRecord> {
    this.sweep();
    if (this.tasks.size >= this.maxTasks && !this.evictOneFinished()) throw new TaskLimitError(this.maxTasks);
    const now = this.now();
    const task = rules.newTaskRecord(crypto().randomUUID(), init, now);
    this.tasks.set(task.taskId, task);
    this.order.set(task.taskId, ++this.seq);
    return copy(task);
  }

  async get(taskId: string): Promise<TaskLookup> {
    const task = this.live(taskId);
    if (task) return { state: 'found', task: copy(task) };
    const until = this.tombstones.get(taskId);
    return until !== undefined && until > this.now() ? { state: 'expired' } : { state: 'unknown' };
  }

  async list(owner: string, cursor?: string, limit = 50): Promise<TaskPage> {
    this.sweep();
    const size = Math.min(Math.max(1, Math.floor(limit)), 100);
    let after = 0;
    if (cursor !== undefined) {
      const [who, at] = rules.decodeCursor(cursor);
      if (who !== owner) throw new TaskCursorError();
      after = at;
    }
    const mine = [...this.tasks.values()].filter((t) => t.owner === owner && this.order.get(t.taskId)! > after);
    const page = mine.slice(0, size);
    const last = page.at(-1);
    return {
      tasks: page.map(copy),
      ...(mine.length > size && last ? { nextCursor: rules.encodeCursor(owner, this.order.get(last.taskId)!) } : {}),
    };
  }

  async setStatus(taskId: string, status: 'working' | 'input_required', statusMessage?: string): Promise<TaskRecord | undefined> {
    return this.change(taskId, rules.setStatus(status, statusMessage));
  }

  async setProgress(taskId: string, progress: TaskProgress): Promise<TaskRecord | undefined> {
    return this.change(taskId, rules.setProgress(copy(progress)));
  }

  async finish(taskId: string, outcome: TaskOutcome): Promise<TaskRecord | undefined> {
    return this.change(taskId, rules.finish(copy(outcome), this.now()));
  }

  async cancel(taskId: string, statusMessage = 'cancelled by the client'): Promise<TaskRecord | undefined> {
    return this.change(taskId, rules.cancel(statusMessage, this.now()));
  }

  async addInputRequest(taskId: string, key: string, request: TaskInputRequest): Promise<TaskRecord | undefined> {
    return this.change(taskId, rules.addInputRequest(key, copy(request)));
  }

  async answerInput(taskId: string, responses: Record<string, JsonValue>): Promise<string[]> {
    const taken: string[] = [];
    this.change(taskId, rules.answerInput(copy(responses), taken));
    return taken;
  }

  async takeInputResponse(taskId: string, key: string): Promise<JsonValue | undefined> {
    const found: { value?: JsonValue } = {};
    this.change(taskId, rules.takeInputResponse(key, found), { evenTerminal: true });
    return found.value === undefined ? undefined : copy(found.value);
  }

  waitForChange(taskId: string, sinceVersion: number, { timeoutMs, signal }: WaitOptions): Promise<TaskRecord | undefined> {
    const now = this.live(taskId);
    if (!now || now.version > sinceVersion || this.closed || signal?.aborted) return Promise.resolve(now && copy(now));
    return new Promise((resolve) => {
      const set = this.waiters.get(taskId) ?? new Set();
      this.waiters.set(taskId, set);
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(taskId);
        const task = this.live(taskId);
        resolve(task && copy(task));
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const set of [...this.waiters.values()]) for (const done of [...set]) done();
  }

  /** Tasks held now (for tests and diagnostics). */
  get size(): number {
    this.sweep();
    return this.tasks.size;
  }

  /** Apply a change to a live task (not a terminal one, unless asked); `false` from the change means nothing changed. */
  private change(taskId: string, apply: rules.TaskChange, { evenTerminal = false } = {}): TaskRecord | undefined {
    const task = this.live(taskId);
    if (!task) return undefined;
    if (isTerminal(task.status) && !evenTerminal) return copy(task);
    if (apply(task) === false) return copy(task);
    this.bump(task);
    return copy(task);
  }

  private bump(task: TaskRecord): void {
    task.version++;
    task.lastUpdatedAt = this.now();
    const set = this.waiters.get(task.taskId);
    if (set) for (const done of [...set]) done();
  }

  /** The task if it is held and not past its expiry (an expired one becomes a tombstone here). */
  private live(taskId: string): TaskRecord | undefined {
    const task = this.tasks.get(taskId);
    if (!task) return undefined;
    if (task.expiresAt !== undefined && task.expiresAt <= this.now()) {
      this.bury(task);
      return undefined;
    }
    return task;
  }

  private bury(task: TaskRecord): void {
    this.tasks.delete(task.taskId);
    this.order.delete(task.taskId);
    this.tombstones.set(task.taskId, this.now() + task.ttlMs);
    while (this.tombstones.size > this.maxTasks) this.tombstones.delete(this.tombstones.keys().next().value!);
    // A waiter on a task that went learns it at once.
    const set = this.waiters.get(task.taskId);
    if (set) for (const done of [...set]) done();
  }

  private evictOneFinished(): boolean {
    let soonest: TaskRecord | undefined;
    for (const t of this.tasks.values()) if (t.expiresAt !== undefined && (!soonest || t.expiresAt < soonest.expiresAt!)) soonest = t;
    if (!soonest) return false;
    this.bury(soonest);
    return true;
  }

  private sweep(): void {
    const now = this.now();
    for (const t of [...this.tasks.values()]) if (t.expiresAt !== undefined && t.expiresAt <= now) this.bury(t);
    for (const [id, until] of this.tombstones) if (until <= now) this.tombstones.delete(id);
  }
}
