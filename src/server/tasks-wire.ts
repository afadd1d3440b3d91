// Where MCP tasks meet one served Server (build.ts wires this in a few lines): the capability each era advertises,
// the tasks/* handlers of the era, and tools/call routed to a task when the tool and the client say so, or to the
// plain NAME_start / NAME_result tools. A call that is not a task returns undefined and runs as before.
import {
  CLIENT_CAPABILITIES_META_KEY,
  ProtocolErrorCode,
  type CallToolRequest,
  type JSONRPCRequest,
  type Result,
  type ServerContext,
  type ServerOptions,
} from '@modelcontextprotocol/server';
import type { Runtime } from '../agent/runtime.js';
import type { Config, ToolConfig } from '../config/types.js';
import { ProtocolError } from '../errors.js';
import type { Logger } from '../log.js';
import { TaskLimitError } from '../tasks/store.js';
import type { JsonValue, TaskRecord } from '../tasks/types.js';
import { PlainErrorServer } from './plain-errors.js';
import { TaskRuntime } from './task-runtime.js';
import { lookupTask, missingResult, notFound, plainTaskTool, RESULT_SUFFIX, resultOf, START_SUFFIX, startedResult } from './task-tools.js';
import { installLegacyTasks, LEGACY_TASK_CAPABILITY, legacyOwner, legacyTask } from './tasks-legacy.js';
import { clientHasTasks, installModernTasks, modernCreated, TASKS_EXTENSION } from './tasks-modern.js';

/** Calls longer than this are made tasks for a 2026-07-28 client with the extension when the tool says `optional`. */
export const LONG_CALL_MS = 60_000;

type Era = 'legacy' | 'modern';

export function hasTaskTools(config: Config): boolean {
  for (const tool of config.tools.values()) if (tool.task) return true;
  return false;
}

/** The capabilities tasks add in this era (none when no tool of the file declares `task:`). */
export function taskCapabilities(config: Config, era: Era): Record<string, unknown> {
  if (!hasTaskTools(config)) return {};
  return era === 'legacy' ? { tasks: LEGACY_TASK_CAPABILITY } : { extensions: { [TASKS_EXTENSION]: {} } };
}

const perRuntime = new WeakMap<Runtime, TaskRuntime>();

/**
 * The process's task runtime: the one given (Redis, shared by replicas), else one in memory per Runtime, made when a
 * server first needs it and closed with the Runtime (runs still going end as failed).
 */
export function taskRuntimeFor(runner: Runtime, log: Logger, given?: TaskRuntime): TaskRuntime {
  if (given) return given;
  let tasks = perRuntime.get(runner);
  if (!tasks) {
    const made = TaskRuntime.inMemory(runner, log);
    perRuntime.set(runner, made);
    runner.onClose(() => made.close());
    tasks = made;
  }
  return tasks;
}

export interface TaskWire {
  /** A tools/call this module answers (a task, NAME_start, NAME_result, a required tool called plainly); else undefined. */
  call(request: CallToolRequest, ctx: ServerContext): Promise<Result | undefined>;
}

export function installTasks(server: PlainErrorServer, runner: Runtime, tasks: TaskRuntime, era: Era): TaskWire {
  const legacy = era === 'legacy' ? installLegacyTasks(server, tasks) : undefined;
  if (era === 'modern') installModernTasks(server, tasks);

  const owner = (ctx: ServerContext) => (legacy ? legacyOwner(ctx, legacy.connection) : undefined);
  const capabilitiesOf = (ctx: ServerContext): Record<string, unknown> | undefined =>
    era === 'modern'
      ? (((ctx.mcpReq.envelope ?? {}) as Record<string, unknown>)[CLIENT_CAPABILITIES_META_KEY] as Record<string, unknown> | undefined)
      : (server.getClientCapabilities() as Record<string, unknown> | undefined);
  const start = async (tool: ToolConfig, args: unknown, ctx: ServerContext, ttlMs?: number) => {
    try {
      return await tasks.start({
        tool: tool.name,
        args: (args ?? {}) as JsonValue,
        era: era === 'modern' ? 'modern' : '2025',
        owner: owner(ctx),
        clientCapabilities: capabilitiesOf(ctx) as { [key: string]: JsonValue } | undefined,
        ttlMs,
      });
    } catch (err) {
      if (err instanceof TaskLimitError) throw new ProtocolError(ProtocolErrorCode.InternalError, err.message);
      throw err;
    }
  };
  const created = (task: TaskRecord, ctx: ServerContext): Result => {
    if (!legacy) return passThrough(modernCreated(task));
    legacy.created(task, ctx);
    return passThrough({ task: legacyTask(task) });
  };

  return {
    async call(request, ctx) {
      const config = runner.current;
      const name = request.params.name;
      const plain = plainTaskTool(config, name);
      if (plain) {
        if (plain.kind === 'start') return startedResult(plain.tool, await start(plain.tool, request.params.arguments, ctx));
        const taskId = (request.params.arguments as { taskId?: unknown } | undefined)?.taskId;
        if (typeof taskId !== 'string')
          throw new ProtocolError(
            ProtocolErrorCode.InvalidParams,
            `${name}: taskId (a string from ${plain.tool.name}${START_SUFFIX}) is required`,
          );
        try {
          const task = await lookupTask(tasks, taskId);
          if (task.tool !== plain.tool.name || (task.owner?.startsWith('session:') && task.owner !== owner(ctx))) throw notFound(taskId);
          const settled = await tasks.settle(taskId, tasks.settings.resultWaitMs, ctx.mcpReq.signal);
          return resultOf(plain.tool, settled ?? (await lookupTask(tasks, taskId)));
        } catch (err) {
          if (err instanceof ProtocolError) return missingResult(err);
          throw err;
        }
      }
      const tool = config.tools.get(name);
      if (!tool?.task) {
        if (tool && era === 'legacy' && request.params.task !== undefined)
          throw new ProtocolError(ProtocolErrorCode.MethodNotFound, `Tool ${name} does not run as a task (it declares no task:)`);
        return undefined;
      }
      if (era === 'legacy') {
        const asked = request.params.task as { ttl?: number } | undefined;
        if (asked !== undefined) return created(await start(tool, request.params.arguments, ctx, asked.ttl), ctx);
      } else if (clientHasTasks(capabilitiesOf(ctx)) && (tool.task.mode === 'required' || tool.timeoutMs > LONG_CALL_MS)) {
        return created(await start(tool, request.params.arguments, ctx), ctx);
      }
      if (tool.task.mode === 'required') throw requiredError(tool, era);
      return undefined;
    },
  };
}

function requiredError(tool: ToolConfig, era: Era): ProtocolError {
  const how = era === 'legacy' ? 'call it with params.task' : `the client must list the ${TASKS_EXTENSION} extension in its capabilities`;
  const plain = tool.task?.plainTools ? `, or use ${tool.name}${START_SUFFIX} and ${tool.name}${RESULT_SUFFIX}` : '';
  return new ProtocolError(ProtocolErrorCode.MethodNotFound, `Tool ${tool.name} runs only as a task (task: required): ${how}${plain}`);
}

// tools/call results are checked against CallToolResult by the SDK, which a task-creating answer is not (the SDK v2
// keeps no task runtime): such an answer is held aside past the check and sent as it is.
const PASS_THROUGH = Symbol('agent-mcp task result');

function passThrough(result: Record<string, unknown>): Result {
  return Object.assign(result, { [PASS_THROUGH]: true }) as Result;
}

type Handler = (request: JSONRPCRequest, ctx: ServerContext) => Promise<Result>;

/** The Server of build.ts: plain errors, plus task-creating tools/call answers sent past the SDK's result check. */
export class TaskAwareServer extends PlainErrorServer {
  constructor(info: { name: string; version: string }, options: ServerOptions) {
    super(info, options);
  }

  protected override _wrapHandler(method: string, handler: Handler): Handler {
    if (method !== 'tools/call') return super._wrapHandler(method, handler);
    const held = new Map<unknown, Result>();
    const inner = super._wrapHandler(method, async (request, ctx) => {
      const result = await handler(request, ctx);
      if (!(PASS_THROUGH in result)) return result;
      held.set(ctx.mcpReq.id, result);
      return { content: [] };
    });
    return async (request, ctx) => {
      try {
        const out = await inner(request, ctx);
        const task = held.get(ctx.mcpReq.id);
        if (!task) return out;
        const { [PASS_THROUGH]: _, ...plain } = task as Result & { [PASS_THROUGH]?: true };
        return plain as Result;
      } finally {
        held.delete(ctx.mcpReq.id);
      }
    };
  }
}
