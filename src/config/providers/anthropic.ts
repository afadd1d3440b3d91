import { defineProvider } from './descriptor.js';
import { apiFields, maxRetries, maxTokens, temperature, timeout } from './fields.js';

export const anthropic = defineProvider({
  name: 'anthropic',
  summary: 'anthropic',
  fields: { ...apiFields, maxTokens, temperature, timeout, maxRetries },
  requiresModelId: true,
  keyEnv: 'ANTHROPIC_API_KEY',
  shorthand: 'anthropic',
});
