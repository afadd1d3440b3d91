// MCP tasks on the 2025-11-25 wire (the SDK v2 keeps the vocabulary, not a runtime): tools/call with `params.task`
// answers a CreateTaskResult at once; tasks/get, tasks/result (blocks until the task ends, relaying the run's requests
// for the client tagged with the related task), tasks/list (this session's tasks), tasks/cancel; and
// notifications/tasks/status (+ notifications/progress with the call's token) while the session lasts.
import { ProtocolErrorCode, RELATED_TASK_META_KEY, type Result, type Server, type ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { errorMessage, ProtocolError } from '../errors.js';
import { TaskCursorError } from '../tasks/store.js';
import { isTerminal, type JsonValue, type TaskRecord } from '../tasks/types.js';
import { inputFailure, randomId, type TaskRuntime } from './task-runtime.js';
import { lookupTask, notFound, shownStatusMessage, taskExtras } from './task-tools.js';

/** The server capability that says tools/call may be a task, and tasks/list and tasks/cancel are served. */
export const LEGACY_TASK_CAPABILITY = { list: {}, cancel: {}, requests: { tools: { call: {} } } };

/** The longest tasks/result waits beyond the run's own bounds (its tool timeout) before it answers an error. */
const RESULT_WAIT_MAX_MS = 24 * 60 * 60_000;

/** The Task object of the 2025-11-25 wire. */
export function legacyTask(task: TaskRecord): Record<string, JsonValue> {
  return {
    taskId: task.taskId,
    status: task.status,
    ...(shownStatusMessage(task) !== undefined && { statusMessage: shownStatusMessage(task) }),
    createdAt: new Date(task.createdAt).toISOString(),
    lastUpdatedAt: new Date(task.lastUpdatedAt).toISOString(),
    ttl: task.ttlMs,
    pollInterval: task.pollIntervalMs,
  };
}

/** Who a 2025-era task belongs to: the HTTP session, or else this connection (stdio; a stateless POST). */
export function legacyOwner(ctx: ServerContext, connection: string): string {
  return ctx.sessionId !== undefined ? `session:${ctx.sessionId}` : `conn:${connection}`;
}

const taskIdParams = z.object({ taskId: z.string(), _meta: z.record(z.string(), z.unknown()).optional() });

/** Register tasks/get|result|list|cancel on a 2025-era server; returns this connection's id (the owner of its tasks). */
export function installLegacyTasks(
  server: Server,
  tasks: TaskRuntime,
): { connection: string; created: (task: TaskRecord, ctx: ServerContext) => void } {
  const connection = randomId();
  const closing = new AbortController();
  const previousClose = server.onclose;
  server.onclose = () => {
    closing.abort();
    previousClose?.();
  };

  /** A task this request may see: one of its session's, or one made without a session (the id is the capability). */
  const visible = async (taskId: string, ctx: ServerContext): Promise<TaskRecord> => {
    const task = await lookupTask(tasks, taskId);
    if (task.owner?.startsWith('session:') && task.owner !== legacyOwner(ctx, connection)) throw notFound(taskId);
    return task;
  };

  server.setRequestHandler('tasks/get', { params: taskIdParams }, async ({ taskId }, ctx) => {
    const task = await visible(taskId, ctx);
    return { ...legacyTask(task), ...taskExtras(task) };
  });

  server.setRequestHandler('tasks/list', { params: z.object({ cursor: z.string().optional() }).loose() }, async ({ cursor }, ctx) => {
    try {
      const page = await tasks.store.list(legacyOwner(ctx, connection), cursor);
      return { tasks: page.tasks.map(legacyTask), ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }) };
    } catch (err) {
      if (err instanceof TaskCursorError) throw new ProtocolError(ProtocolErrorCode.InvalidParams, err.message);
      throw err;
    }
  });

  server.setRequestHandler('tasks/cancel', { params: taskIdParams }, async ({ taskId }, ctx) => {
    const task = await visible(taskId, ctx);
    if (isTerminal(task.status))
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Cannot cancel task ${taskId}: it is already ${task.status}`);
    const cancelled = await tasks.store.cancel(taskId);
    return legacyTask(cancelled ?? task);
  });

  server.setRequestHandler('tasks/result', { params: taskIdParams }, async ({ taskId }, ctx): Promise<Result> => {
    let task = await visible(taskId, ctx);
    const relayed = new Set<string>();
    const end = Date.now() + RESULT_WAIT_MAX_MS;
    // Requests relayed by this call end with it (the run bounds its own wait for the answer).
    const done = new AbortController();
    const signal = AbortSignal.any([ctx.mcpReq.signal, done.signal]);
    try {
      while (!isTerminal(task.status)) {
        // The run waits on the client: ask it on this request's stream, tagged with the task, and store the answer.
        for (const [key, request] of Object.entries(task.inputRequests)) {
          if (relayed.has(key)) continue;
          relayed.add(key);
          void ctx.mcpReq
            .send({ method: request.method, params: { ...request.params, _meta: { [RELATED_TASK_META_KEY]: { taskId } } } } as never, {
              signal,
              timeout: RESULT_WAIT_MAX_MS,
            })
            .then(
              (answer) => tasks.store.answerInput(taskId, { [key]: answer as unknown as JsonValue }),
              (err) =>
                tasks.store.answerInput(taskId, { [key]: inputFailure(`the client refused ${request.method}: ${errorMessage(err)}`) }),
            )
            .catch(() => {});
        }
        if (signal.aborted || Date.now() > end)
          throw new ProtocolError(ProtocolErrorCode.InternalError, `task ${taskId} is still ${task.status}`);
        task = (await tasks.store.waitForChange(taskId, task.version, { timeoutMs: 30_000, signal })) ?? (await lookupTask(tasks, taskId));
      }
      return terminalPayload(task);
    } finally {
      done.abort();
    }
  });

  return {
    connection,
    created: (task, ctx) => void notifyStatus(server, tasks, task, ctx.mcpReq._meta?.progressToken, closing.signal),
  };
}

/** What tasks/result answers for a task that ended: the tool's result, or the error the call would have answered. */
function terminalPayload(task: TaskRecord): Result {
  const related = { [RELATED_TASK_META_KEY]: { taskId: task.taskId } };
  if (task.status === 'completed') {
    const result = task.result ?? { content: [] };
    const meta = (result._meta ?? {}) as Record<string, JsonValue>;
    return { ...result, _meta: { ...meta, ...related } } as Result;
  }
  if (task.status === 'failed')
    throw new ProtocolError(task.error?.code ?? ProtocolErrorCode.InternalError, task.error?.message ?? 'the task failed');
  throw new ProtocolError(ProtocolErrorCode.InvalidRequest, `task ${task.taskId} was cancelled`);
}

/** While the session lasts: notifications/tasks/status on each status change, and progress to the call's token. */
async function notifyStatus(
  server: Server,
  tasks: TaskRuntime,
  first: TaskRecord,
  progressToken: string | number | undefined,
  closing: AbortSignal,
): Promise<void> {
  let seen = first;
  try {
    while (!closing.aborted && !isTerminal(seen.status)) {
      const next = await tasks.store.waitForChange(first.taskId, seen.version, { timeoutMs: 30_000, signal: closing });
      if (!next || closing.aborted) return;
      if (progressToken !== undefined && next.progress && next.progress.progress !== seen.progress?.progress) {
        await server.notification({ method: 'notifications/progress', params: { progressToken, ...next.progress } });
      }
      if (next.status !== seen.status || next.statusMessage !== seen.statusMessage) {
        await server.notification({ method: 'notifications/tasks/status', params: legacyTask(next) });
      }
      seen = next;
    }
  } catch {
    // The connection went: the client polls tasks/get when it comes back.
  }
}
