// tools/call from agent-mcp's own client (`call`, `test`): a tool that runs only as a task (`task: required`,
// advertised as execution.taskSupport) is called as a 2025-era task, `params.task` then the blocking `tasks/result`,
// so these commands run it like any other. Other tools, and the 2026-07-28 era (its tools/list carries no
// execution), are plain calls.
import type { CallToolRequest, CallToolResult, Client, Tool } from '@modelcontextprotocol/client';
import { z } from 'zod';

type Options = Parameters<Client['callTool']>[1];

const created = z.object({ task: z.object({ taskId: z.string() }).loose() }).loose();
const anyResult = z.record(z.string(), z.unknown());

export async function callTool(client: Client, tool: Tool, params: CallToolRequest['params'], options?: Options): Promise<CallToolResult> {
  if (tool.execution?.taskSupport !== 'required' || client.getProtocolEra() === 'modern') {
    return (await client.callTool(params, options)) as CallToolResult;
  }
  const { task } = await client.request({ method: 'tools/call', params: { ...params, task: {} } } as never, created, options);
  return (await client.request({ method: 'tasks/result', params: { taskId: task.taskId } } as never, anyResult, options)) as CallToolResult;
}
