// Config -> one MCP Server (low-level, so input and output schemas go out exactly as written).
// HTTP builds one per session; all of them share one Runtime (the config, the providers, the toolsets).
import {
  CLIENT_CAPABILITIES_META_KEY,
  LOG_LEVEL_META_KEY,
  ProtocolErrorCode,
  type Server,
  type CallToolResult,
  type ClientCapabilities,
  type CreateMessageResultWithTools,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
  type GetPromptResult,
  type LoggingLevel,
  type Prompt,
  type ServerContext,
  type Tool,
} from '@modelcontextprotocol/server';
import { ProgressReporter } from '../agent/progress.js';
import { renderTemplate } from '../util/template.js';
import type { Runtime } from '../agent/runtime.js';
import type { McpServerStatus } from '../toolsets/mcp-connection.js';
import { RunSuspended, type AgentOutcome, type RunSnapshot } from '../agent/run.js';
import type { Config } from '../config/types.js';
import { levelRank, type Logger, type LogRecord, type LogSink } from '../log.js';
import { complete } from './completions.js';
import { notifyListChanges } from './list-changed.js';
import { ProtocolError } from '../errors.js';
import { legacyClientSession, modernClientSession } from './client-session.js';
import { EXAMPLE_META, exampleOf, onTape, withTapeMeta } from '../providers/recording/tape.js';
import type { TaskRuntime } from './task-runtime.js';
import { plainTaskTools, withExecution } from './task-tools.js';
import { hasTaskTools, installTasks, TaskAwareServer, taskCapabilities, taskRuntimeFor } from './tasks-wire.js';
import { schemaValidator } from './schema-validator.js';
import { createStateSealer, RequestStateError, type StateSealer } from './request-state.js';

/** `legacy`: a 2025-era connection or session (initialize first); `modern`: 2026-07-28 requests. */
export type ServedEra = 'legacy' | 'modern';

export interface ServerDeps {
  runner: Runtime;
  log: Logger;
  /** The downstream MCP servers and their state (for /healthz); absent when the config declares none. */
  downstream?: () => McpServerStatus[] | undefined;
  /** Seals and opens the state of 2026-07-28 round trips (a per-process secret when not given). */
  states?: StateSealer;
  /** Where MCP tasks live and run (in memory, in this process, when not given). */
  tasks?: TaskRuntime;
}

export function listTools(config: Config): Tool[] {
  return [...config.tools.values()].flatMap((t) => [
    withExecution(
      {
        name: t.name,
        ...(t.title !== undefined && { title: t.title }),
        ...(t.description !== undefined && { description: t.description }),
        inputSchema: t.inputSchema,
        ...(t.outputSchema && { outputSchema: t.outputSchema }),
        ...(t.annotations && { annotations: t.annotations }),
      },
      t,
    ),
    ...plainTaskTools(t),
  ]);
}

export function listPrompts(config: Config): Prompt[] {
  return [...config.prompts.values()].map((p) => ({
    name: p.name,
    ...(p.title !== undefined && { title: p.title }),
    ...(p.description !== undefined && { description: p.description }),
    arguments: p.arguments.map((a) => ({
      name: a.name,
      ...(a.description !== undefined && { description: a.description }),
      required: a.required,
    })),
  }));
}

export function toCallToolResult(outcome: AgentOutcome): CallToolResult {
  return {
    content: [{ type: 'text', text: outcome.text }],
    ...(outcome.structured && !outcome.isError && { structuredContent: outcome.structured }),
    ...(outcome.isError && { isError: true }),
    _meta: {
      'agent-mcp': {
        model: outcome.model,
        ...(outcome.skipped && { skipped: outcome.skipped }),
        steps: outcome.steps,
        usage: outcome.usage,
      },
    },
  };
}

/** What a suspended call's requestState holds. */
interface RoundTrip {
  tool: string;
  /** The key of the input request the client must answer. */
  key: string;
  run: RunSnapshot;
}

let ownStates: StateSealer | undefined;
/** Without a configured secret (in-process servers, tests): one made for this process. */
function processStates(): StateSealer {
  return (ownStates ??= createStateSealer(undefined));
}

/** The answer to a suspended run's question, as input_required: the sampling request and the sealed run. */
function askClient(states: StateSealer, tool: string, suspended: RunSuspended): InputRequiredResult {
  // Where the question comes from: the step of the run, and of each agent it called down to the one asking.
  let key = 'sample';
  for (let run: RunSnapshot | undefined = suspended.snapshot; run; run = run.pending?.inner) key += `-${run.steps}`;
  // The state lives as long as the client may take to answer, and never past the call's own deadline.
  const ttl = Math.max(1, Math.min(suspended.input.timeoutMs, suspended.snapshot.deadline - Date.now()));
  const state: RoundTrip = { tool, key, run: suspended.snapshot };
  return inputRequired({
    inputRequests: { [key]: inputRequired.createMessage(suspended.input.request.params) },
    requestState: states.seal(state, ttl),
  });
}

/** A retried call's state, checked (signature, expiry, tool), and the client's answer to the question it asked. */
function openRoundTrip(
  states: StateSealer,
  tool: string,
  ctx: ServerContext,
): { run: RunSnapshot; answer: { result: CreateMessageResultWithTools } | { missing: string } } | undefined {
  const raw = ctx.mcpReq.requestState<unknown>();
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'requestState: not a state this server issued');
  let state: RoundTrip;
  try {
    state = states.open<RoundTrip>(raw);
  } catch (err) {
    if (err instanceof RequestStateError) throw new ProtocolError(ProtocolErrorCode.InvalidParams, err.message);
    throw err;
  }
  if (state.tool !== tool) {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `requestState: issued for tool ${state.tool}, not ${tool}`);
  }
  const view = inputResponse(ctx.mcpReq.inputResponses, state.key);
  const answer =
    view.kind === 'sampling'
      ? { result: view.result as CreateMessageResultWithTools }
      : { missing: `the client retried without the sampling result the run asked for (input "${state.key}")` };
  return { run: state.run, answer };
}

/** What a modern request says about its client: capabilities and log level travel in every request's `_meta`. */
function envelopeOf(ctx: ServerContext): Record<string, unknown> {
  return (ctx.mcpReq.envelope ?? {}) as Record<string, unknown>;
}

/**
 * One low-level Server for one serving unit: a stdio connection, a 2025-era HTTP session (or stateless POST), or one
 * modern request. The same definitions serve both eras; only how the client is reached differs.
 */
export function buildServer(deps: ServerDeps, era: ServedEra = 'legacy', options: { listChanged?: boolean } = {}): Server {
  const config = deps.runner.current;
  const states = deps.states ?? processStates();
  const server = new TaskAwareServer(
    { name: config.server.name, version: config.server.version },
    {
      capabilities: {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        logging: {},
        completions: {},
        ...taskCapabilities(config, era),
      },
      ...(config.server.instructions !== undefined && { instructions: config.server.instructions }),
      jsonSchemaValidator: schemaValidator,
    },
  );
  // The level the client asked for with logging/setLevel (2025 era); until then nothing is mirrored.
  let clientLevel: LoggingLevel | undefined;
  const tasks = hasTaskTools(config)
    ? installTasks(server, deps.runner, taskRuntimeFor(deps.runner, deps.log, deps.tasks), era)
    : undefined;

  server.setRequestHandler('logging/setLevel', async (request) => {
    clientLevel = request.params.level;
    return {};
  });

  server.setRequestHandler('tools/list', async () => ({ tools: listTools(deps.runner.current) }));

  server.setRequestHandler('tools/call', async (request, ctx) => {
    const asTask = await tasks?.call(request, ctx);
    if (asTask) return asTask as CallToolResult;
    const name = request.params.name;
    if (!deps.runner.current.tools.has(name)) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name}`);
    }
    const token = ctx.mcpReq._meta?.progressToken;
    const notify = ctx.mcpReq.notify;
    const progress = new ProgressReporter(
      token === undefined
        ? undefined
        : (update) => void notify({ method: 'notifications/progress', params: { progressToken: token, ...update } }).catch(() => {}),
    );
    // Modern requests carry their log level (if any) in the envelope; 2025-era clients set it once per session.
    const level = era === 'modern' ? (envelopeOf(ctx)[LOG_LEVEL_META_KEY] as LoggingLevel | undefined) : clientLevel;
    const mirror: LogSink = {
      wants: (l) => level !== undefined && levelRank(l) >= levelRank(level),
      write: ({ level, msg, fields }: LogRecord) =>
        void notify({ method: 'notifications/message', params: { level, logger: 'agent-mcp', data: { msg, ...fields } } }).catch(() => {}),
    };
    // A retried modern call carries the state of the run it resumes, and the client's answer to its question.
    const resumed = era === 'modern' ? openRoundTrip(states, name, ctx) : undefined;
    const session =
      era === 'modern'
        ? modernClientSession(envelopeOf(ctx)[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined, resumed?.answer)
        : legacyClientSession(server.getClientCapabilities(), ctx);
    // `agent-mcp test` names the example it runs: its provider exchanges (and the sampling requests it causes, which
    // the test client answers) are recorded or replayed as that example's.
    const example = exampleOf(ctx.mcpReq._meta as Record<string, unknown> | undefined);
    const client = example
      ? {
          ...session,
          createMessage: (params: Parameters<typeof session.createMessage>[0], options: Parameters<typeof session.createMessage>[1]) =>
            session.createMessage({ ...params, _meta: { ...params._meta, [EXAMPLE_META]: example } }, options),
        }
      : session;
    const call = () =>
      deps.runner.call(
        name,
        request.params.arguments ?? {},
        { signal: ctx.mcpReq.signal, log: deps.log.child({}, mirror), client, progress, depth: 0 },
        resumed?.run,
      );
    try {
      if (!example) return toCallToolResult(await call());
      const { value, tape } = await onTape(example, call);
      return withTapeMeta(toCallToolResult(value), tape);
    } catch (err) {
      if (!(err instanceof RunSuspended)) throw err;
      return askClient(states, name, err);
    } finally {
      progress.close();
    }
  });

  server.setRequestHandler('prompts/list', async () => ({ prompts: listPrompts(deps.runner.current) }));

  server.setRequestHandler('completion/complete', async (request) => complete(deps.runner.current, request.params));

  server.setRequestHandler('prompts/get', async (request): Promise<GetPromptResult> => {
    const prompt = deps.runner.current.prompts.get(request.params.name);
    if (!prompt) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
    const args = request.params.arguments ?? {};
    const missing = prompt.arguments.filter((a) => a.required && (args[a.name] === undefined || args[a.name] === ''));
    if (missing.length) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Missing required argument${missing.length > 1 ? 's' : ''} for prompt ${prompt.name}: ${missing.map((a) => a.name).join(', ')}`,
      );
    }
    return {
      ...(prompt.description !== undefined && { description: prompt.description }),
      messages: prompt.messages.map((m) => ({ role: m.role, content: { type: 'text', text: renderTemplate(m.text, args) } })),
    };
  });

  // A per-request modern instance lives for one answer: the HTTP entry publishes list changes on its own bus.
  if (options.listChanged !== false) notifyListChanges(server, deps.runner, { tools: listTools, prompts: listPrompts }, era);
  return server;
}
