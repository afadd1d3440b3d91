import { z } from 'zod';
import { defineProvider } from './descriptor.js';
import { maxTokens, temperature, timeout } from './fields.js';

const priority = (what: string) =>
  z.number().min(0).max(1).optional().describe(`sampling: how much the client should favour ${what} models (0..1).`);

export const sampling = defineProvider({
  name: 'sampling',
  summary: "sampling (the MCP client's own model)",
  fields: {
    maxTokens,
    temperature,
    timeout,
    hints: z.array(z.string()).optional().describe('sampling: model name hints for the client, in order of preference.'),
    costPriority: priority('cheap'),
    speedPriority: priority('fast'),
    intelligencePriority: priority('capable'),
    stopSequences: z.array(z.string()).optional().describe('sampling: stop sequences.'),
    toolsOptional: z
      .boolean()
      .optional()
      .describe('sampling: when the client cannot sample with tools, run the agent without its tools instead of moving down the chain.'),
  },
  bare: true,
});
