// The zod schema of agents.yaml: the single source of its types, its validation and its JSON Schema.
import { z } from 'zod';
import { duration } from './duration-schema.js';
import { modelFields, PROVIDER_DESCRIPTORS, PROVIDERS, type ProviderName } from './providers/index.js';

export { PROVIDERS, type ProviderName };

const modelRef = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).meta({
  title: 'model or chain',
  description:
    'A model: a name from `models:`, a shorthand `provider:model-id` (openai:gpt-4.1-mini, anthropic:claude-haiku-4-5), ' +
    'the bare `sampling` or `test`, or a list of those (a fallback chain: the first usable model answers).',
});

const jsonSchema = z.record(z.string(), z.unknown()).meta({ title: 'JSON Schema', description: 'A JSON Schema object.' });

const providerList = PROVIDER_DESCRIPTORS.map((d) => d.summary);

/** One flat entry for every provider (built from the descriptors); load.ts refuses the fields its provider lacks. */
export const modelSchema = z
  .strictObject({
    provider: z.enum(PROVIDERS).describe(`Who runs the model: ${providerList.slice(0, -1).join(', ')} or ${providerList.at(-1)}.`),
    ...modelFields(),
  })
  .describe('A model entry.');

const exampleSchema = z
  .strictObject({
    name: z.string().optional().describe('A name for the case in reports.'),
    input: z.record(z.string(), z.unknown()).default({}).describe('The tool arguments.'),
    expect: z
      .strictObject({
        equals: z.string().optional().describe('The result text equals this exactly.'),
        contains: z
          .union([z.string(), z.array(z.string())])
          .optional()
          .describe('The result text contains this (each of these).'),
        matches: z.string().optional().describe('The result text matches this regular expression.'),
        schema: z.boolean().optional().describe("structuredContent is valid against the tool's output schema."),
        isError: z.boolean().optional().describe('The result is (true) or is not (false, the default) an error.'),
        judge: z
          .string()
          .min(1)
          .optional()
          .describe('A grader model (--judge-model or defaults.judge) decides whether the result meets this, with a short reason.'),
        passRate: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .describe('With --repeat N: the share of runs that must pass (default 1.0; 0.8 passes 4 of 5).'),
      })
      .default({})
      .describe('What the result must satisfy.'),
  })
  .describe('A smoke test case run by `agent-mcp test`.');

const taskMode = z
  .enum(['optional', 'required'])
  .describe(
    'optional: a task-aware client may run the call as an MCP task (others call it plainly); required: only as a task (or through NAME_start / NAME_result with plainTools).',
  );

const taskModeSchema = z
  .union([
    taskMode,
    z
      .strictObject({
        mode: taskMode,
        plainTools: z
          .boolean()
          .optional()
          .describe(
            'Also serve NAME_start (starts the task, returns its id) and NAME_result (waits a bounded time for it), for clients that know no tasks. Only with mode: required.',
          ),
        repeat: z
          .boolean()
          .optional()
          .describe(
            'false: a run must never start twice. With --redis, when the replica running the task dies, the task fails with a clear status instead of being run again by another replica (default true: run it again).',
          ),
      })
      .describe('The task mode, with options.'),
  ])
  .meta({
    title: 'task',
    description: 'Run calls of this tool as MCP tasks (long runs the client polls; kept server.tasks.resultTtl): optional or required.',
  });

export const tasksSchema = z
  .strictObject({
    resultTtl: duration.optional().describe('How long a finished task and its result are kept (default 1h).'),
    maxResultBytes: z
      .union([z.number().int().positive(), z.string()])
      .optional()
      .describe('Largest result kept for a task (default 1mb); a larger one fails the task with a clear status.'),
    pollInterval: duration.optional().describe('How often clients are told to poll a task (default 2s).'),
    maxTasks: z.number().int().min(1).max(100_000).optional().describe('Most tasks held at once, running and finished (default 1000).'),
    resultWait: duration.optional().describe('Longest NAME_result waits for a task before it answers "still working" (default 50s).'),
  })
  .describe('MCP tasks: limits for the tools declared with task:.');

export const toolSchema = z
  .strictObject({
    title: z.string().optional().describe('Human-readable title shown by clients.'),
    description: z.string().optional().describe('What the tool does; the calling model reads this.'),
    system: z.string().optional().describe("The agent's system prompt (a template, like `prompt`)."),
    prompt: z
      .string()
      .describe(
        'The user prompt template: {{arg}} inserts an argument verbatim, {{#arg}}...{{/arg}} renders only when arg is given, {{^arg}}...{{/arg}} only when it is not.',
      ),
    input: jsonSchema
      .optional()
      .describe(
        'Arguments: a map of argument name to JSON Schema (required unless it has a default or `optional: true`), or a whole JSON Schema object with type: object.',
      ),
    output: jsonSchema
      .optional()
      .describe('A JSON Schema (type: object) for structured output: the MCP outputSchema, validated, returned as structuredContent.'),
    model: modelRef.optional().describe('The model or fallback chain; defaults.model when absent.'),
    tools: z
      .array(z.string())
      .optional()
      .describe(
        'What this agent may call: other tools of this file, a whole MCP server of mcpServers (`fs`) or one of its tools (`fs.read_text_file`).',
      ),
    maxSteps: z.number().int().min(1).max(100).optional().describe('Most model requests in one call (default 10).'),
    timeout: duration.optional().describe('Time limit of one call (default 120s).'),
    tokenBudget: z.number().int().positive().optional().describe('Most tokens (input + output, summed over steps) one call may use.'),
    outputRetries: z.number().int().min(0).max(10).optional().describe('Re-asks when structured output fails validation (default 2).'),
    temperature: z.number().min(0).max(2).optional().describe('Sampling temperature for this agent.'),
    annotations: z
      .strictObject({
        title: z.string().optional().describe("Title shown by clients (overrides the tool's title)."),
        readOnlyHint: z.boolean().optional().describe('The tool changes nothing in its environment.'),
        destructiveHint: z.boolean().optional().describe('The tool may destroy or overwrite something (meaningful when not read-only).'),
        idempotentHint: z.boolean().optional().describe('Calling it again with the same arguments has no further effect.'),
        openWorldHint: z.boolean().optional().describe('The tool reaches outside systems (the web, other services).'),
      })
      .optional()
      .describe('MCP tool annotations.'),
    examples: z.array(exampleSchema).optional().describe('Smoke tests run by `agent-mcp test`.'),
    task: taskModeSchema.optional(),
  })
  .describe('A tool: one agent.');

const promptArgumentSchema = z
  .strictObject({
    description: z.string().optional().describe('What the argument is.'),
    required: z.boolean().optional().describe('Whether the client must give it (default false).'),
    complete: z.array(z.string()).optional().describe('Values offered as completions.'),
  })
  .describe('A prompt argument.');

export const promptSchema = z
  .strictObject({
    title: z.string().optional().describe('Human-readable title.'),
    description: z.string().optional().describe('What the prompt is for.'),
    arguments: z.record(z.string(), promptArgumentSchema).optional().describe('Prompt arguments by name.'),
    messages: z
      .array(
        z
          .strictObject({
            role: z.enum(['user', 'assistant']).describe('Who says it.'),
            text: z.string().describe('The message template ({{arg}} as in tool prompts).'),
          })
          .describe('One message.'),
      )
      .min(1)
      .describe('The messages the prompt renders to.'),
  })
  .describe('An MCP prompt.');

export const httpSchema = z
  .strictObject({
    host: z.string().optional().describe('Address to listen on (default 127.0.0.1).'),
    port: z.number().int().min(0).max(65535).optional().describe('Port (default 3000; 0 picks a free one).'),
    path: z.string().startsWith('/').optional().describe('Endpoint path (default /mcp).'),
    stateless: z.boolean().optional().describe('No sessions: every POST stands alone (scales behind any load balancer).'),
    sessionTtl: duration.optional().describe('Idle time after which a session expires (default 30m).'),
    maxSessions: z.number().int().positive().optional().describe('Most open sessions (default 1000); beyond it, 503.'),
    allowedOrigins: z.array(z.string()).optional().describe('Origins allowed besides localhost.'),
    allowedHosts: z.array(z.string()).optional().describe('Host header values allowed besides localhost and the bound address.'),
    bodyLimit: z.union([z.number().int().positive(), z.string()]).optional().describe('Largest request body (default 4mb).'),
    maxConnections: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe('Most open connections (default 512); a request on one beyond it gets 503 and the connection closes.'),
    sessionMemory: z
      .union([z.number().int().positive(), z.string()])
      .optional()
      .describe(
        'What all sessions together may keep in memory for resuming streams (default 64mb); over it, the longest-idle sessions close.',
      ),
    redis: z
      .string()
      .regex(/^rediss?:\/\/\S+$/, 'expected a redis:// or rediss:// URL')
      .optional()
      .describe('Redis URL for shared state (resumable streams); e.g. "${REDIS_URL}". Without it everything stays in memory.'),
  })
  .describe('Streamable HTTP settings (flags override them).');

export const mcpServerSchema = z
  .strictObject({
    type: z
      .enum(['stdio', 'http', 'streamable-http', 'sse'])
      .optional()
      .describe('Transport, as some clients write it; otherwise stdio when `command` is given, Streamable HTTP when `url` is.'),
    command: z.string().min(1).optional().describe('stdio: the program to start (e.g. npx, uvx, node).'),
    args: z.array(z.string()).optional().describe('stdio: its arguments.'),
    env: z
      .record(z.string(), z.string())
      .optional()
      .describe('stdio: environment variables added to a minimal inherited set (PATH, HOME, ...). Write secrets as ${VAR}.'),
    cwd: z.string().optional().describe("stdio: working directory (default: the config file's folder)."),
    url: z.string().url().optional().describe('Remote: the Streamable HTTP endpoint (an SSE-only server is reached over SSE).'),
    headers: z.record(z.string(), z.string()).optional().describe('Remote: HTTP headers sent with every request (e.g. Authorization).'),
    tools: z.array(z.string().min(1)).optional().describe("Only these of the server's tools are offered (an allow-list)."),
    exclude: z.array(z.string().min(1)).optional().describe("These of the server's tools are never offered."),
    timeout: duration.optional().describe('Time limit of one tool call on this server (default 60s).'),
    startupTimeout: duration.optional().describe('Time limit to start and connect to the server (default 30s).'),
    description: z.string().optional().describe('What the server is for (shown by `validate` and /healthz).'),
  })
  .describe("An MCP server whose tools agents may call (the same shape as Claude Desktop's mcpServers entries).");

export const configSchema = z
  .strictObject({
    server: z
      .strictObject({
        name: z.string().min(1).optional().describe('Server name in the initialize result (default agent-mcp).'),
        version: z.string().optional().describe('Server version (default 1.0.0).'),
        instructions: z.string().optional().describe("Instructions for the client's model."),
        http: httpSchema.optional(),
        tasks: tasksSchema.optional(),
      })
      .optional()
      .describe('Server identity and transport settings.'),
    models: z.record(z.string(), modelSchema).optional().describe('Named models.'),
    defaults: z
      .strictObject({
        model: modelRef.optional(),
        maxSteps: z.number().int().min(1).max(100).optional().describe('Default maxSteps of every tool.'),
        timeout: duration.optional().describe('Default timeout of every tool call.'),
        judge: z
          .string()
          .min(1)
          .optional()
          .describe(
            'The grader model of `expect.judge` in `agent-mcp test`: a name from models: or provider:model-id (--judge-model overrides it).',
          ),
      })
      .optional()
      .describe('Defaults for every tool.'),
    tools: z.record(z.string(), toolSchema).optional().describe('Tools by name (1-128 characters of A-Za-z0-9_-.).'),
    prompts: z.record(z.string(), promptSchema).optional().describe('Prompts by name.'),
    pricing: z
      .record(
        z.string(),
        z
          .strictObject({
            input: z.number().min(0).describe('Price of a million input tokens.'),
            output: z.number().min(0).describe('Price of a million output tokens.'),
          })
          .describe('Prices per million tokens.'),
      )
      .optional()
      .describe('Prices by model (a name from models:, provider:model-id or the model id), for the cost in `agent-mcp test` reports.'),
    mcpServers: z
      .record(z.string(), mcpServerSchema)
      .optional()
      .describe('MCP servers whose tools agents may use, by name (paste a Claude Desktop mcpServers block as is).'),
  })
  .describe('agents.yaml: an MCP server whose tools are LLM agents.');

export type RawConfig = z.infer<typeof configSchema>;
export type RawModel = z.infer<typeof modelSchema>;
export type RawTool = z.infer<typeof toolSchema>;
export type RawPrompt = z.infer<typeof promptSchema>;
export type RawExample = z.infer<typeof exampleSchema>;
export type RawHttp = z.infer<typeof httpSchema>;
export type RawTasks = z.infer<typeof tasksSchema>;
export type RawMcpServer = z.infer<typeof mcpServerSchema>;
