// Fields that several providers' models: entries share. A descriptor picks the ones it understands; one zod
// definition per field, so the merged entry schema (and its JSON Schema) has one description per field.
import { z } from 'zod';
import { duration } from '../duration-schema.js';

export const modelId = z
  .string()
  .min(1)
  .optional()
  .describe("The provider's model id, e.g. gpt-4.1-mini or claude-haiku-4-5 (openai and anthropic).");
export const baseURL = z
  .string()
  .url()
  .optional()
  .describe('API base URL: any OpenAI-compatible endpoint (Ollama, vLLM, LM Studio, OpenRouter) or an Anthropic proxy.');
export const apiKey = z
  .string()
  .optional()
  .describe('API key; defaults to OPENAI_API_KEY or ANTHROPIC_API_KEY. Write it as ${VAR}, never inline.');
export const headers = z
  .record(z.string(), z.string())
  .optional()
  .describe('Extra HTTP headers sent with every request (openai, anthropic).');
export const maxTokens = z
  .number()
  .int()
  .positive()
  .optional()
  .describe('Maximum output tokens per model request (sampling default 1024, anthropic default 4096).');
export const temperature = z.number().min(0).max(2).optional().describe('Sampling temperature.');
export const timeout = duration
  .optional()
  .describe(
    'The longest silence of one model request: the wait for its answer to begin and every gap between streamed chunks (default 60s for APIs, 300s for sampling).',
  );
export const maxRetries = z
  .number()
  .int()
  .min(0)
  .max(10)
  .optional()
  .describe('Retries of a retriable failure (429, 5xx, connection reset, timeout) before the chain moves on (default 2).');

/** What every HTTP API provider (openai, anthropic) accepts. */
export const apiFields = { model: modelId, baseURL, apiKey, headers };
