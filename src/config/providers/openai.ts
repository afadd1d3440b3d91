import { z } from 'zod';
import { defineProvider } from './descriptor.js';
import { apiFields, maxRetries, maxTokens, temperature, timeout } from './fields.js';

export const openai = defineProvider({
  name: 'openai',
  summary: 'openai (and any OpenAI-compatible endpoint)',
  fields: {
    ...apiFields,
    organization: z.string().optional().describe('OpenAI organization id.'),
    maxTokens,
    temperature,
    timeout,
    maxRetries,
  },
  requiresModelId: true,
  keyEnv: 'OPENAI_API_KEY',
  shorthand: 'openai',
});
