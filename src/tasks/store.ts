// The task store: where MCP tasks (state, progress, result, pending client input) live, whichever process runs the
// work and whichever answers tasks/get. agent-mcp's own seam (the SDK v2 ships none); the names follow the v1 SDK's
// experimental TaskStore where they fit. In memory by default (memory-store.ts); on Redis with `--redis`. The protocol
// layer (server/tasks-*.ts) maps a TaskRecord to each era's wire shape; nothing else knows which store it has.
//
// The contract every implementation keeps (test/tasks/store-contract.ts checks it; run it against yours):
// - Every record is plain JSON (a Redis store serialises it as is). Times are milliseconds since the epoch, read
//   from the store's `now()` (options.now), never from Date.now() directly, so expiry is testable.
// - Each method is atomic on one task: a reader never sees half a change, and two writers never lose one of their
//   changes (Redis: one Lua script or WATCH/MULTI per method).
// - `version` grows by one with every change of a record; waitForChange() is how a run parked on client input, a
//   blocking 2025-era tasks/result and a status notifier learn of a change. It may return early (spuriously): callers
//   re-read and re-check.
// - Terminal statuses (completed, failed, cancelled) are final: the first terminal write wins and later writes of
//   status, progress, outcome or input are ignored (the method returns the record as it stands).
// - Expiry: a task is kept while it is not terminal (a run is bounded by its tool's timeout, so this is bounded too)
//   and for `ttlMs` after it became terminal (`expiresAt`). After that get() answers { state: 'expired' } for at
//   least another ttlMs (a tombstone: the id only), then { state: 'unknown' }.
// - Bounded: at most `maxTasks` records are held. create() at the limit first evicts the finished task that expires
//   soonest (it becomes a tombstone: get() says expired); when every held task is still running, create() throws
//   TaskLimitError and creates nothing. Tombstones are bounded by the same count. Pending input requests per task are
//   bounded by MAX_INPUT_REQUESTS. Result sizes are checked above the store (service.ts), before finish().
// - Task ids are unguessable (crypto.randomUUID: 122 random bits): in the 2026-07-28 era the id is the capability.
import type { JsonValue, NewTask, TaskFailure, TaskInputRequest, TaskLookup, TaskOutcome, TaskProgress, TaskRecord } from './types.js';

/** How many client requests (sampling, elicitation) one task may have pending at once. */
export const MAX_INPUT_REQUESTS = 16;

export interface TaskStoreOptions {
  /** The most tasks held at once, running and finished (default 1000). */
  maxTasks?: number;
  /** The clock (tests pass a manual one). */
  now?: () => number;
}

export interface WaitOptions {
  /** Give up after this long and return the record as it stands (bounded: a wait never outlives this). */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface TaskPage {
  tasks: TaskRecord[];
  /** Opaque; absent on the last page. */
  nextCursor?: string;
}

export interface TaskStore {
  /** Create a task in status `working` with a fresh unguessable id. Throws TaskLimitError at the limit (see above). */
  create(task: NewTask): Promise<TaskRecord>;

  /** The task, or why there is none: expired (it existed, its TTL passed or it was evicted) or unknown. */
  get(taskId: string): Promise<TaskLookup>;

  /**
   * The held tasks of one owner (a 2025-era session), oldest first, `limit` a page (default 50, at most 100).
   * Expired tasks are left out. A cursor from another owner, or a garbled one, throws TaskCursorError.
   */
  list(owner: string, cursor?: string, limit?: number): Promise<TaskPage>;

  /** Set a non-terminal status (`working` / `input_required`) and its message. */
  setStatus(taskId: string, status: 'working' | 'input_required', statusMessage?: string): Promise<TaskRecord | undefined>;

  /** Record the run's latest progress (replaces the previous one). */
  setProgress(taskId: string, progress: TaskProgress): Promise<TaskRecord | undefined>;

  /**
   * Make the task terminal with its outcome: `completed` with the CallToolResult, or `failed` with a JSON-RPC error.
   * Drops pending input. Sets expiresAt = now + ttlMs. Ignored when already terminal (e.g. cancelled first).
   */
  finish(taskId: string, outcome: TaskOutcome): Promise<TaskRecord | undefined>;

  /**
   * tasks/cancel: a non-terminal task becomes `cancelled` at once (with cancelRequested set, which the process running
   * it watches for to abort the run) and expires ttlMs later. A terminal task is returned unchanged.
   */
  cancel(taskId: string, statusMessage?: string): Promise<TaskRecord | undefined>;

  /**
   * The run needs the client: park the request under `key` (unique over the task's life) and set `input_required`.
   * Throws TaskInputLimitError beyond MAX_INPUT_REQUESTS pending.
   */
  addInputRequest(taskId: string, key: string, request: TaskInputRequest): Promise<TaskRecord | undefined>;

  /**
   * The client answered (tasks/update, or the 2025-era reply to a relayed request): each response whose key is pending
   * moves from inputRequests to inputResponses; other keys are ignored. Back to `working` when nothing is left pending.
   * Returns the keys taken.
   */
  answerInput(taskId: string, responses: Record<string, JsonValue>): Promise<string[]>;

  /** The run takes the answer to its request (once: it is removed); undefined while unanswered. */
  takeInputResponse(taskId: string, key: string): Promise<JsonValue | undefined>;

  /**
   * Resolve with the record once its version is above `sinceVersion` (at once when it already is), or when it
   * disappears (undefined), or when the timeout passes or the signal aborts (the record as it stands).
   */
  waitForChange(taskId: string, sinceVersion: number, options: WaitOptions): Promise<TaskRecord | undefined>;

  /** Release timers and connections; pending waits resolve. Idempotent. */
  close(): Promise<void>;
}

export class TaskLimitError extends Error {
  constructor(readonly maxTasks: number) {
    super(`too many tasks running: ${maxTasks} at once is the limit (server.tasks.maxTasks); try again when one has finished`);
    this.name = 'TaskLimitError';
  }
}

export class TaskInputLimitError extends Error {
  constructor() {
    super(`too many pending client requests in one task (${MAX_INPUT_REQUESTS})`);
    this.name = 'TaskInputLimitError';
  }
}

export class TaskCursorError extends Error {
  constructor() {
    super('invalid tasks/list cursor');
    this.name = 'TaskCursorError';
  }
}

export type { JsonValue, NewTask, TaskFailure, TaskInputRequest, TaskLookup, TaskOutcome, TaskProgress, TaskRecord };
