import { z } from 'zod';
import { duration } from '../duration-schema.js';
import { defineProvider } from './descriptor.js';
import { maxRetries, maxTokens, modelId, temperature } from './fields.js';

export const test = defineProvider({
  name: 'test',
  summary: 'test (offline, deterministic)',
  fields: {
    model: modelId,
    responses: z
      .array(z.union([z.string(), z.record(z.string(), z.unknown())]))
      .min(1)
      .optional()
      .describe(
        'test provider: scripted replies answered in order, the last repeating. A string is text; an object is JSON (structured output), {text}, {toolCalls: [{name, input}]}, or {error: {status, message, retryAfter}} (a provider failure, retryAfter in seconds).',
      ),
    delay: duration.optional().describe('test provider: pause before each reply (to exercise progress and cancellation).'),
    maxTokens,
    temperature,
    maxRetries,
  },
  bare: true,
});
