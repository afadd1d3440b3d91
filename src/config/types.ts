// The loaded, validated config that every other layer reads (no YAML, no raw strings to parse).
import type { Template } from '../util/template.js';
import type { JsonSchema } from '../util/json-schema.js';
import type { ConfigIssue } from '../errors.js';
import type { ProviderName, RawExample, RawModel } from './schema.js';

/** A resolved model: a `models:` entry, a shorthand like openai:gpt-4.1-mini, or a bare provider. */
export interface ModelConfig extends Omit<RawModel, 'timeout' | 'delay'> {
  /** How the config referred to it: the entry name or the shorthand. */
  name: string;
  provider: ProviderName;
  timeoutMs?: number;
  delayMs?: number;
}

export interface ToolConfig {
  name: string;
  title?: string;
  description?: string;
  system?: Template;
  prompt: Template;
  inputSchema: JsonSchema & { type: 'object' };
  outputSchema?: JsonSchema & { type: 'object' };
  /** The fallback chain, in order. */
  models: ModelConfig[];
  /** Names of other tools of this file the agent may call. */
  tools: string[];
  maxSteps: number;
  timeoutMs: number;
  tokenBudget?: number;
  outputRetries: number;
  temperature?: number;
  annotations?: Record<string, unknown>;
  examples: RawExample[];
  /** `task:`: the call may (optional) or must (required) run as an MCP task; plainTools adds NAME_start / NAME_result. */
  task?: { mode: 'optional' | 'required'; plainTools: boolean; repeat?: false };
}

/** server.tasks, resolved. */
export interface TaskSettings {
  resultTtlMs: number;
  maxResultBytes: number;
  pollIntervalMs: number;
  maxTasks: number;
  resultWaitMs: number;
}

export const DEFAULT_TASK_SETTINGS: TaskSettings = {
  resultTtlMs: 60 * 60_000,
  maxResultBytes: 1024 * 1024,
  pollIntervalMs: 2000,
  maxTasks: 1000,
  resultWaitMs: 50_000,
};

export interface PromptConfig {
  name: string;
  title?: string;
  description?: string;
  arguments: { name: string; description?: string; required: boolean; complete?: string[] }[];
  messages: { role: 'user' | 'assistant'; text: Template }[];
}

export interface HttpConfig {
  host?: string;
  port?: number;
  path?: string;
  stateless?: boolean;
  sessionTtlMs?: number;
  maxSessions?: number;
  allowedOrigins?: string[];
  allowedHosts?: string[];
  bodyLimitBytes?: number;
  maxConnections?: number;
  sessionMemoryBytes?: number;
  redis?: string;
}

/** One `mcpServers:` entry, resolved: its transport known, durations in ms, cwd absolute. */
export interface McpServerConfig {
  name: string;
  transport: 'stdio' | 'http' | 'sse';
  command?: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  /** The allow-list (undefined: every tool the server lists). */
  tools?: string[];
  exclude: string[];
  timeoutMs: number;
  startupTimeoutMs: number;
  description?: string;
}

export const DEFAULT_MCP_TIMEOUT_MS = 60_000;
export const DEFAULT_MCP_STARTUP_TIMEOUT_MS = 30_000;

export interface Config {
  /** Absolute path of the file. */
  file: string;
  server: { name: string; version: string; instructions?: string; http: HttpConfig; tasks: TaskSettings };
  models: Map<string, ModelConfig>;
  tools: Map<string, ToolConfig>;
  prompts: Map<string, PromptConfig>;
  /** Downstream MCP servers by name (started lazily, when a call first needs one). */
  mcpServers: Map<string, McpServerConfig>;
  /** Problems that do not stop the server (e.g. a missing API key), located. */
  warnings: ConfigIssue[];
  /** Environment variables the file references (for `install`). */
  envVars: string[];
  /** defaults.judge: the grader of `expect.judge` in `agent-mcp test`. */
  judge?: ModelConfig;
  /** Prices per million tokens, by model name, shorthand or model id. */
  pricing: Record<string, { input: number; output: number }>;
}

export const DEFAULT_MAX_STEPS = 10;
export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_OUTPUT_RETRIES = 2;
