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
}

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
  redis?: string;
}

export interface Config {
  /** Absolute path of the file. */
  file: string;
  server: { name: string; version: string; instructions?: string; http: HttpConfig };
  models: Map<string, ModelConfig>;
  tools: Map<string, ToolConfig>;
  prompts: Map<string, PromptConfig>;
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
