// What tasks add to the tool list (execution.taskSupport; NAME_start / NAME_result for clients that know no tasks)
// and how those two plain tools answer; plus the task lookups both eras share.
import { ProtocolErrorCode, type CallToolResult, type Tool } from '@modelcontextprotocol/server';
import type { Config, ToolConfig } from '../config/types.js';
import { ProtocolError } from '../errors.js';
import type { TaskRecord } from '../tasks/types.js';
import type { TaskRuntime } from './task-runtime.js';

export const START_SUFFIX = '_start';
export const RESULT_SUFFIX = '_result';

export function notFound(taskId: string): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.InvalidParams, `Task not found: ${taskId}`);
}

/** The task, or the JSON-RPC error for an id that names none (unknown, or kept no longer). */
export async function lookupTask(tasks: TaskRuntime, taskId: string): Promise<TaskRecord> {
  const found = await tasks.store.get(taskId);
  if (found.state === 'found') return found.task;
  if (found.state === 'expired')
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Task ${taskId} has expired: its result was kept for server.tasks.resultTtl`);
  throw notFound(taskId);
}

/** agent-mcp's own additions to a task on tasks/get: the tool and the run's latest progress. */
export function taskExtras(task: TaskRecord): { _meta: Record<string, unknown> } {
  return { _meta: { 'agent-mcp': { tool: task.tool, ...(task.progress && { progress: task.progress }) } } };
}

/** The status message a client shows: the explicit one, else the run's latest progress line. */
export function shownStatusMessage(task: TaskRecord): string | undefined {
  return task.statusMessage ?? (task.status === 'working' ? task.progress?.message : undefined);
}

/** A tool's entry as listed, with its task support (the 2026-07-28 wire drops `execution`: the SDK strips it). */
export function withExecution(entry: Tool, tool: ToolConfig): Tool {
  return tool.task ? { ...entry, execution: { taskSupport: tool.task.mode } } : entry;
}

/** NAME_start and NAME_result of a tool that opted into them. */
export function plainTaskTools(tool: ToolConfig): Tool[] {
  if (!tool.task?.plainTools) return [];
  const title = tool.title ?? tool.name;
  const progress = {
    type: 'object',
    properties: { progress: { type: 'number' }, total: { type: 'number' }, message: { type: 'string' } },
    required: ['progress'],
  };
  return [
    {
      name: `${tool.name}${START_SUFFIX}`,
      title: `${title}: start`,
      description:
        `Start ${tool.name} in the background (it may run longer than one request can wait) and get its taskId at once; ` +
        `then call ${tool.name}${RESULT_SUFFIX} with it.${tool.description ? ` ${tool.name}: ${tool.description}` : ''}`,
      inputSchema: tool.inputSchema,
      outputSchema: {
        type: 'object',
        properties: {
          taskId: { type: 'string', description: `Pass it to ${tool.name}${RESULT_SUFFIX}.` },
          status: { type: 'string', enum: ['working'] },
        },
        required: ['taskId', 'status'],
      },
    },
    {
      name: `${tool.name}${RESULT_SUFFIX}`,
      title: `${title}: result`,
      description:
        `The result of a ${tool.name} run started with ${tool.name}${START_SUFFIX}: waits for it a while, then answers the result, ` +
        'or says it is still working (call again with the same taskId).',
      inputSchema: {
        type: 'object',
        properties: { taskId: { type: 'string', description: `The taskId ${tool.name}${START_SUFFIX} returned.` } },
        required: ['taskId'],
      },
      outputSchema: {
        type: 'object',
        properties: {
          taskId: { type: 'string' },
          status: { type: 'string', enum: ['working', 'input_required', 'completed'] },
          statusMessage: { type: 'string' },
          progress,
          ...(tool.outputSchema && { result: tool.outputSchema }),
        },
        required: ['taskId', 'status'],
      },
    },
  ];
}

/** The tool a plain task tool name stands for, if it is one. */
export function plainTaskTool(config: Config, name: string): { tool: ToolConfig; kind: 'start' | 'result' } | undefined {
  for (const [suffix, kind] of [
    [START_SUFFIX, 'start'],
    [RESULT_SUFFIX, 'result'],
  ] as const) {
    if (!name.endsWith(suffix)) continue;
    const tool = config.tools.get(name.slice(0, -suffix.length));
    if (tool?.task?.plainTools) return { tool, kind };
  }
  return undefined;
}

/** NAME_start's answer: the task id, as text and structured. */
export function startedResult(tool: ToolConfig, task: TaskRecord): CallToolResult {
  return {
    content: [
      {
        type: 'text',
        text: `Started ${tool.name} as task ${task.taskId}. Call ${tool.name}${RESULT_SUFFIX} with taskId "${task.taskId}" for its result.`,
      },
    ],
    structuredContent: { taskId: task.taskId, status: 'working' },
  };
}

/** NAME_result's answer for a task as it stands: its result, its failure, or "still working" (not an error). */
export function resultOf(tool: ToolConfig, task: TaskRecord): CallToolResult {
  const id = task.taskId;
  switch (task.status) {
    case 'completed': {
      const result = (task.result ?? { content: [] }) as unknown as CallToolResult;
      if (result.isError) return { content: result.content, isError: true, ...(result._meta && { _meta: result._meta }) };
      return {
        content: result.content,
        structuredContent: {
          taskId: id,
          status: 'completed',
          ...(tool.outputSchema && result.structuredContent !== undefined && { result: result.structuredContent }),
        },
        ...(result._meta && { _meta: result._meta }),
      };
    }
    case 'failed':
      return { content: [{ type: 'text', text: `Task ${id} failed: ${task.error?.message ?? 'no reason given'}` }], isError: true };
    case 'cancelled':
      return { content: [{ type: 'text', text: `Task ${id} was cancelled.` }], isError: true };
    default: {
      const message = shownStatusMessage(task);
      const waiting = task.status === 'input_required' ? 'waiting for the client to answer a request' : 'still working';
      return {
        content: [
          {
            type: 'text',
            text: `${tool.name} is ${waiting}${message ? ` (${message})` : ''}. Call ${tool.name}${RESULT_SUFFIX} again with taskId "${id}".`,
          },
        ],
        structuredContent: {
          taskId: id,
          status: task.status,
          ...(message !== undefined && { statusMessage: message }),
          ...(task.progress && { progress: { ...task.progress } }),
        },
      };
    }
  }
}

/** NAME_result for an id that names no task: an error result the calling model can read (not a protocol error). */
export function missingResult(err: unknown): CallToolResult {
  return { content: [{ type: 'text', text: err instanceof Error ? err.message : String(err) }], isError: true };
}
