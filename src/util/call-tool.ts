// tools/call from agent-mcp's own client (`call`, `test`), in either era, for every kind of tool:
// - 2025 era: a tool that runs only as a task (`task: required`, advertised as execution.taskSupport) is called as a
//   task, `params.task` then the blocking `tasks/result`;
// - 2026-07-28 era: its tools/list carries no execution, so a plain call comes first; the server's "runs only as a
//   task" answer sends the call on the task channel (task-channel.ts) when the client has one.
import {
  ProtocolError,
  ProtocolErrorCode,
  type CallToolRequest,
  type CallToolResult,
  type Client,
  type Tool,
} from '@modelcontextprotocol/client';
import { z } from 'zod';
import { taskChannelOf } from './task-channel.js';

type Options = Parameters<Client['callTool']>[1];

const created = z.object({ task: z.object({ taskId: z.string() }).loose() }).loose();
const anyResult = z.record(z.string(), z.unknown());

export async function callTool(client: Client, tool: Tool, params: CallToolRequest['params'], options?: Options): Promise<CallToolResult> {
  if (client.getProtocolEra() === 'modern') {
    try {
      return (await client.callTool(params, options)) as CallToolResult;
    } catch (err) {
      const channel = taskChannelOf(client);
      if (!channel || !taskOnly(err)) throw err;
      return channel.callAsTask(params as Record<string, unknown>, {
        ...(options?.timeout !== undefined && { timeout: options.timeout }),
        ...(options?.onprogress && { onprogress: options.onprogress }),
      });
    }
  }
  if (tool.execution?.taskSupport !== 'required') return (await client.callTool(params, options)) as CallToolResult;
  const { task } = await client.request({ method: 'tools/call', params: { ...params, task: {} } } as never, created, options);
  return (await client.request({ method: 'tasks/result', params: { taskId: task.taskId } } as never, anyResult, options)) as CallToolResult;
}

/** The server's answer to a plain call of a `task: required` tool (src/server/tasks-wire.ts, requiredError). */
function taskOnly(err: unknown): boolean {
  return err instanceof ProtocolError && err.code === ProtocolErrorCode.MethodNotFound && /runs only as a task/.test(err.message);
}
