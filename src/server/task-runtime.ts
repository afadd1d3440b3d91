// The task runtime of one process: takes a tool call as a task (a record in the TaskStore, a job on the TaskQueue)
// and runs the job: the agent run through the Runtime, its progress and its requests for the client written to the
// task record, its outcome stored (bounded in bytes), a tasks/cancel turned into an abort of the run. Both eras'
// wire (tasks-legacy.ts, tasks-modern.ts) and the plain NAME_start / NAME_result tools read and write through it.
import { ProgressReporter } from '../agent/progress.js';
import type { Runtime } from '../agent/runtime.js';
import type { TaskSettings } from '../config/types.js';
import { DEFAULT_TASK_SETTINGS } from '../config/types.js';
import { errorMessage, ProtocolError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ClientRequestOptions, ClientSession } from '../providers/client-session.js';
import { InProcessTaskQueue } from '../tasks/in-process-queue.js';
import { lazyBuiltin } from '../util/builtins.js';
import { MemoryTaskStore } from '../tasks/memory-store.js';
import type { TaskJob, TaskQueue } from '../tasks/queue.js';
import type { TaskStore } from '../tasks/store.js';
import { isTerminal, type JsonValue, type TaskInputRequest, type TaskOutcome, type TaskRecord } from '../tasks/types.js';
import { toCallToolResult } from './build.js';

const crypto = lazyBuiltin<typeof import('node:crypto')>('node:crypto');
const timers = lazyBuiltin<typeof import('node:timers/promises')>('node:timers/promises');

/** A random id (node:crypto is loaded on first use, not at start-up). */
export function randomId(): string {
  return crypto().randomUUID();
}

/** JSON-RPC codes a task fails with. */
const INTERNAL_ERROR = -32603;
const INVALID_PARAMS = -32602;

/** The longest one wait on the store lasts before the waiter looks again (bounded waits, spurious wake-ups allowed). */
const WAIT_SLICE_MS = 30_000;
/** How long a finished run keeps trying to store its outcome in a store it cannot reach. */
const OUTCOME_RETRY_MS = 60_000;

export interface StartTask {
  tool: string;
  args: JsonValue;
  era: '2025' | 'modern';
  /** 2025-era session (or connection) the task is listed for; absent in the 2026-07-28 era. */
  owner?: string;
  clientCapabilities?: { [key: string]: JsonValue };
  /** The ttl the client asked for (2025 era `params.task.ttl`); bounded by server.tasks.resultTtl. */
  ttlMs?: number;
}

export class TaskRuntime {
  private closed = false;

  constructor(
    private readonly runner: Runtime,
    private readonly log: Logger,
    readonly store: TaskStore,
    readonly queue: TaskQueue,
  ) {
    queue.process((job, signal) => this.run(job, signal));
  }

  /** The process's default: in memory, in this process, bounded by the file's server.tasks. */
  static inMemory(runner: Runtime, log: Logger): TaskRuntime {
    const settings = runner.current.server.tasks ?? DEFAULT_TASK_SETTINGS;
    return new TaskRuntime(
      runner,
      log,
      new MemoryTaskStore({ maxTasks: settings.maxTasks }),
      new InProcessTaskQueue({ onError: (job, err) => log.error(`task ${job.taskId}: ${errorMessage(err)}`) }),
    );
  }

  get settings(): TaskSettings {
    return this.runner.current.server.tasks ?? DEFAULT_TASK_SETTINGS;
  }

  /** Create the task and queue its run; resolves with the record once the job is queued. */
  async start(call: StartTask): Promise<TaskRecord> {
    if (this.closed) throw new ProtocolError(INTERNAL_ERROR, 'the server is shutting down');
    const settings = this.settings;
    const ttlMs = Math.min(settings.resultTtlMs, Math.max(1000, call.ttlMs ?? settings.resultTtlMs));
    const task = await this.store.create({ tool: call.tool, owner: call.owner, ttlMs, pollIntervalMs: settings.pollIntervalMs });
    try {
      await this.queue.submit({
        taskId: task.taskId,
        tool: call.tool,
        args: call.args,
        era: call.era,
        ...(this.runner.current.tools.get(call.tool)?.task?.repeat === false && { repeat: false as const }),
        ...(call.clientCapabilities && { clientCapabilities: call.clientCapabilities }),
      });
    } catch (err) {
      await this.store.finish(task.taskId, {
        status: 'failed',
        error: { code: INTERNAL_ERROR, message: `not queued: ${errorMessage(err)}` },
      });
      throw err;
    }
    this.log.debug('task created', { task: task.taskId, tool: call.tool });
    return task;
  }

  /** The record when it reached a terminal status, or as it stands after `maxMs` (bounded); undefined when gone. */
  async settle(taskId: string, maxMs: number, signal?: AbortSignal): Promise<TaskRecord | undefined> {
    const end = Date.now() + maxMs;
    let lookup = await this.store.get(taskId);
    if (lookup.state !== 'found') return undefined;
    let task: TaskRecord | undefined = lookup.task;
    while (task && !isTerminal(task.status) && !signal?.aborted) {
      const left = end - Date.now();
      if (left <= 0) break;
      task = await this.store.waitForChange(taskId, task.version, { timeoutMs: Math.min(left, WAIT_SLICE_MS), signal });
    }
    if (!task) {
      lookup = await this.store.get(taskId);
      return lookup.state === 'found' ? lookup.task : undefined;
    }
    return task;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.close();
    await this.store.close();
  }

  /**
   * The queue's handler: one task's run, start to outcome. What goes wrong in the run is the task's outcome; it throws
   * only when that outcome could not be stored (the queue then fails the job, which the Redis queue records).
   */
  private async run(job: TaskJob, stop: AbortSignal): Promise<void> {
    const { store } = this;
    const abort = new AbortController();
    const onStop = () => abort.abort(new Error('the server shut down while the task ran'));
    stop.addEventListener('abort', onStop, { once: true });
    // tasks/cancel may come through any process: watch the record for it and abort the run (and its provider request).
    const watching = this.watchCancel(job.taskId, abort);
    const progress = new ProgressReporter(
      (update) =>
        void store
          .setProgress(job.taskId, {
            progress: update.progress,
            ...(update.total !== undefined && { total: update.total }),
            message: update.message,
          })
          .catch(() => {}),
      // The record is read when the client polls: no heartbeat is needed to keep a connection alive.
      { heartbeatMs: 2 ** 31 - 1 },
    );
    let outcome: TaskOutcome;
    try {
      const result = toCallToolResult(
        await this.runner.call(job.tool, job.args ?? {}, {
          signal: abort.signal,
          log: this.log.child({ task: job.taskId }),
          client: taskClientSession(store, job),
          progress,
          depth: 0,
        }),
      ) as unknown as { [key: string]: JsonValue };
      const bytes = Buffer.byteLength(JSON.stringify(result));
      const max = this.settings.maxResultBytes;
      outcome =
        bytes > max
          ? {
              status: 'failed',
              error: {
                code: INTERNAL_ERROR,
                message: `the result is ${bytes} bytes, over the ${max} bytes kept for a task (server.tasks.maxResultBytes)`,
              },
            }
          : { status: 'completed', result };
    } catch (err) {
      const reason = abort.signal.aborted ? abort.signal.reason : err;
      outcome = {
        status: 'failed',
        error: { code: err instanceof ProtocolError ? err.code : INTERNAL_ERROR, message: errorMessage(reason) },
      };
    } finally {
      progress.close();
      stop.removeEventListener('abort', onStop);
      abort.abort();
      await watching;
    }
    await this.storeOutcome(job.taskId, outcome, stop);
  }

  /**
   * Store a run's outcome: what its client waits for, and the run is not made again. A store that cannot be reached
   * (Redis restarting, a network blip) is tried again with backoff for up to OUTCOME_RETRY_MS, or until shutdown;
   * then the error is thrown.
   */
  private async storeOutcome(taskId: string, outcome: TaskOutcome, stop: AbortSignal): Promise<void> {
    const end = Date.now() + OUTCOME_RETRY_MS;
    for (let delay = 100, tries = 1; ; delay = Math.min(delay * 2, 2_000), tries++) {
      try {
        await this.store.finish(taskId, outcome);
        if (tries > 1) this.log.info(`task ${taskId}: outcome stored (try ${tries})`);
        return;
      } catch (err) {
        if (tries === 1) this.log.warn(`task ${taskId}: the outcome could not be stored (${errorMessage(err)}); trying again`);
        if (stop.aborted || Date.now() + delay > end) {
          this.log.error(`task ${taskId}: the outcome was not stored: ${errorMessage(err)}`);
          throw err;
        }
        await timers()
          .setTimeout(delay, undefined, { signal: stop })
          .catch(() => {});
      }
    }
  }

  /** Never throws: a store that cannot be reached for a while delays a cancel, it does not end the run. */
  private async watchCancel(taskId: string, abort: AbortController): Promise<void> {
    let version = 0;
    while (!abort.signal.aborted) {
      let task: TaskRecord | undefined;
      try {
        task = await this.store.waitForChange(taskId, version, { timeoutMs: WAIT_SLICE_MS, signal: abort.signal });
      } catch {
        await timers()
          .setTimeout(1_000, undefined, { signal: abort.signal })
          .catch(() => {});
        continue;
      }
      if (!task) return;
      if (task.cancelRequested) {
        abort.abort(new Error('cancelled by the client'));
        return;
      }
      if (isTerminal(task.status)) return;
      version = task.version;
    }
  }
}

const INPUT_FAILURE = 'agent-mcp/inputFailure';

/** An answer that says the client could not be asked (its request failed): the run's request fails with this. */
export function inputFailure(message: string): JsonValue {
  return { [INPUT_FAILURE]: message };
}

function failureOf(answer: JsonValue): string | undefined {
  return answer && typeof answer === 'object' && !Array.isArray(answer) && typeof answer[INPUT_FAILURE] === 'string'
    ? answer[INPUT_FAILURE]
    : undefined;
}

/**
 * What a run in a task may ask of its client: the request is parked in the task record (status input_required) and
 * the run waits for the answer there, however the client's era delivers it (2025: relayed on tasks/result; 2026-07-28:
 * inputRequests on tasks/get, answered with tasks/update). The run stays alive meanwhile, so nested agents and relayed
 * elicitation can ask too.
 */
export function taskClientSession(store: TaskStore, job: TaskJob): ClientSession {
  const ask = async (request: TaskInputRequest, options: ClientRequestOptions): Promise<JsonValue> => {
    const key = `${request.method === 'sampling/createMessage' ? 'sample' : 'elicit'}-${randomId().slice(0, 8)}`;
    let task = await store.addInputRequest(job.taskId, key, request);
    const end = Date.now() + options.timeoutMs;
    while (task && !isTerminal(task.status)) {
      const answer = await store.takeInputResponse(job.taskId, key);
      if (answer !== undefined) {
        const failure = failureOf(answer);
        if (failure !== undefined) throw new Error(failure);
        return answer;
      }
      if (options.signal.aborted) throw options.signal.reason ?? new Error('aborted');
      const left = end - Date.now();
      if (left <= 0)
        throw new ProtocolError(-32001, `the client did not answer ${request.method} within ${Math.round(options.timeoutMs / 1000)}s`);
      task = await store.waitForChange(job.taskId, task.version, { timeoutMs: Math.min(left, WAIT_SLICE_MS), signal: options.signal });
    }
    throw new ProtocolError(INVALID_PARAMS, `task ${job.taskId} ended while waiting for the client's answer to ${request.method}`);
  };
  return {
    era: job.era,
    capabilities: job.clientCapabilities as ClientSession['capabilities'],
    createMessage: async (params, options) =>
      (await ask({ method: 'sampling/createMessage', params: params as unknown as TaskInputRequest['params'] }, options)) as never,
    elicit: async (params, options) =>
      (await ask({ method: 'elicitation/create', params: params as unknown as TaskInputRequest['params'] }, options)) as never,
  };
}
