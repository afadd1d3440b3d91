// MCP tasks on the 2026-07-28 wire: the SEP-2663 extension `io.modelcontextprotocol/tasks`. No sessions: the task id
// is the capability (unguessable), and any process with the store answers. tools/call answers the flat task
// (`resultType: "task"`); tasks/get shows the result, the error or the run's pending requests for the client inline;
// tasks/update brings the client's answers to a run parked on them; tasks/cancel is a cooperative empty ack. The SDK
// lets an application serve tasks/get and tasks/cancel on this era only with explicit schemas, and checks that
// `Mcp-Name` mirrors the task id on HTTP.
import type { Server } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { JsonValue, TaskRecord } from '../tasks/types.js';
import type { TaskRuntime } from './task-runtime.js';
import { lookupTask, notFound, shownStatusMessage, taskExtras } from './task-tools.js';

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** The task as the 2026-07-28 wire shows it: flat, with what its status carries. */
export function modernTask(task: TaskRecord): Record<string, JsonValue> {
  const message = shownStatusMessage(task);
  return {
    taskId: task.taskId,
    status: task.status,
    ...(message !== undefined && { statusMessage: message }),
    createdAt: new Date(task.createdAt).toISOString(),
    lastUpdatedAt: new Date(task.lastUpdatedAt).toISOString(),
    ttlMs: task.ttlMs,
    pollIntervalMs: task.pollIntervalMs,
  };
}

/** tools/call's answer when it made a task. */
export function modernCreated(task: TaskRecord): Record<string, JsonValue> {
  return { resultType: 'task', ...modernTask(task) };
}

/** tasks/get's answer: the task with its result, error or pending requests. */
function detailed(task: TaskRecord): Record<string, unknown> {
  const base = modernTask(task);
  switch (task.status) {
    case 'completed':
      // The result as a 2026-07-28 tools/call would have answered it.
      return { ...base, result: { resultType: 'complete', ...(task.result ?? { content: [] }) } };
    case 'failed':
      return { ...base, error: task.error ?? { code: -32603, message: 'the task failed' } };
    case 'input_required':
      return { ...base, inputRequests: task.inputRequests };
    default:
      return base;
  }
}

/** Does this request's client speak the tasks extension (its per-request capabilities list it)? */
export function clientHasTasks(capabilities: unknown): boolean {
  const extensions = (capabilities as { extensions?: Record<string, unknown> } | undefined)?.extensions;
  return !!extensions && typeof extensions === 'object' && extensions[TASKS_EXTENSION] !== undefined;
}

const params = {
  get: z.object({ taskId: z.string(), requestState: z.string().optional() }).loose(),
  // The SDK lifts `inputResponses` out of the params into ctx.mcpReq.inputResponses (as for a retried tools/call).
  update: z.object({ taskId: z.string(), inputResponses: z.record(z.string(), z.unknown()).optional() }).loose(),
  cancel: z.object({ taskId: z.string() }).loose(),
};

/** A task of this era's requests: any but one bound to a 2025-era HTTP session (that one is its session's only). */
async function reachable(tasks: TaskRuntime, taskId: string): Promise<TaskRecord> {
  const task = await lookupTask(tasks, taskId);
  if (task.owner?.startsWith('session:')) throw notFound(taskId);
  return task;
}

export function installModernTasks(server: Server, tasks: TaskRuntime): void {
  server.setRequestHandler('tasks/get', { params: params.get }, async ({ taskId }) => {
    const task = await reachable(tasks, taskId);
    return { ...detailed(task), ...taskExtras(task) };
  });

  server.setRequestHandler('tasks/update', { params: params.update }, async ({ taskId, inputResponses }, ctx) => {
    await reachable(tasks, taskId);
    const responses = inputResponses ?? (ctx.mcpReq as { inputResponses?: Record<string, unknown> }).inputResponses ?? {};
    await tasks.store.answerInput(taskId, responses as Record<string, JsonValue>);
    return {};
  });

  // An empty ack whatever the id names: cancellation is cooperative, and the answer tells a stranger nothing.
  server.setRequestHandler('tasks/cancel', { params: params.cancel }, async ({ taskId }) => {
    const found = await tasks.store.get(taskId);
    if (found.state === 'found' && !found.task.owner?.startsWith('session:')) await tasks.store.cancel(taskId);
    return {};
  });
}
