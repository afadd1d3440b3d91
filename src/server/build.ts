// Config -> one MCP Server (low-level, so input and output schemas go out exactly as written).
// HTTP builds one per session; all of them share one ToolRunner (the config, the providers).
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  CreateMessageResultWithToolsSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListToolsRequestSchema,
  SetLevelRequestSchema,
  type CallToolResult,
  type GetPromptResult,
  type LoggingLevel,
  type Prompt,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { ProgressReporter } from '../agent/progress.js';
import { renderTemplate } from '../agent/template.js';
import type { ToolRunner } from '../agent/tool-runner.js';
import type { AgentOutcome } from '../agent/run.js';
import type { Config } from '../config/types.js';
import { levelRank, type Logger, type LogRecord, type LogSink } from '../log.js';
import { compileValidator } from '../util/json-schema.js';
import type { JsonSchemaType, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { complete } from './completions.js';
import { notifyListChanges } from './list-changed.js';
import { ProtocolError } from '../errors.js';

export interface ServerDeps {
  runner: ToolRunner;
  log: Logger;
}

const _lazyValidator: jsonSchemaValidator = {
  getValidator<T>(schema: JsonSchemaType) {
    const validate = compileValidator(schema as Record<string, unknown>);
    return (input: unknown) => {
      const result = validate(input);
      return result.ok
        ? { valid: true, data: input as T, errorMessage: undefined }
        : { valid: false, data: undefined, errorMessage: result.errors.join('; ') };
    };
  },
};

export function listTools(config: Config): Tool[] {
  return [...config.tools.values()].map((t) => ({
    name: t.name,
    ...(t.title !== undefined && { title: t.title }),
    ...(t.description !== undefined && { description: t.description }),
    inputSchema: t.inputSchema,
    ...(t.outputSchema && { outputSchema: t.outputSchema }),
    ...(t.annotations && { annotations: t.annotations }),
  }));
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
    _meta: { 'agent-mcp': { model: outcome.model, steps: outcome.steps, usage: outcome.usage } },
  };
}

export function buildServer(deps: ServerDeps): Server {
  const config = deps.runner.current;
  const server = new Server(
    { name: config.server.name, version: config.server.version },
    {
      capabilities: { tools: { listChanged: true }, prompts: { listChanged: true }, logging: {}, completions: {} },
      ...(config.server.instructions !== undefined && { instructions: config.server.instructions }),
    },
  );
  // The level the client asked for with logging/setLevel; until then nothing is mirrored.
  let clientLevel: LoggingLevel | undefined;

  server.setRequestHandler(SetLevelRequestSchema, async (request) => {
    clientLevel = request.params.level;
    return {};
  });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listTools(deps.runner.current) }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const name = request.params.name;
    if (!deps.runner.current.tools.has(name)) {
      throw new ProtocolError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    }
    const token = request.params._meta?.progressToken;
    const progress = new ProgressReporter(
      token === undefined
        ? undefined
        : (update) =>
            void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, ...update } }).catch(() => {}),
    );
    const mirror: LogSink = {
      wants: (level) => clientLevel !== undefined && levelRank(level) >= levelRank(clientLevel),
      write: ({ level, msg, fields }: LogRecord) =>
        void extra
          .sendNotification({ method: 'notifications/message', params: { level, logger: 'agent-mcp', data: { msg, ...fields } } })
          .catch(() => {}),
    };
    try {
      const outcome = await deps.runner.call(name, request.params.arguments ?? {}, {
        signal: extra.signal,
        log: deps.log.child({}, mirror),
        clientCapabilities: server.getClientCapabilities(),
        createMessage: (params, options) =>
          extra.sendRequest({ method: 'sampling/createMessage', params }, CreateMessageResultWithToolsSchema, {
            signal: options.signal,
            timeout: options.timeoutMs,
          }),
        progress,
        depth: 0,
      });
      return toCallToolResult(outcome);
    } finally {
      progress.close();
    }
  });

  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: listPrompts(deps.runner.current) }));

  server.setRequestHandler(CompleteRequestSchema, async (request) => complete(deps.runner.current, request.params));

  server.setRequestHandler(GetPromptRequestSchema, async (request): Promise<GetPromptResult> => {
    const prompt = deps.runner.current.prompts.get(request.params.name);
    if (!prompt) throw new ProtocolError(ErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
    const args = request.params.arguments ?? {};
    const missing = prompt.arguments.filter((a) => a.required && (args[a.name] === undefined || args[a.name] === ''));
    if (missing.length) {
      throw new ProtocolError(
        ErrorCode.InvalidParams,
        `Missing required argument${missing.length > 1 ? 's' : ''} for prompt ${prompt.name}: ${missing.map((a) => a.name).join(', ')}`,
      );
    }
    return {
      ...(prompt.description !== undefined && { description: prompt.description }),
      messages: prompt.messages.map((m) => ({ role: m.role, content: { type: 'text', text: renderTemplate(m.text, args) } })),
    };
  });

  notifyListChanges(server, deps.runner, { tools: listTools, prompts: listPrompts });
  return server;
}
