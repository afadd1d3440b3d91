// The per-call baseline: a hand-written one-tool MCP server on the bare SDK that calls the openai SDK
// directly (Chat Completions, no streaming), plain node, not bundled. BASE_URL names the endpoint.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import OpenAI from 'openai';
import { z } from 'zod';

const openai = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.OPENAI_API_KEY || 'no-key', maxRetries: 0 });
const server = new McpServer({ name: 'bare-openai', version: '1.0.0' });
server.registerTool(
  'poet',
  { description: 'Poem generator', inputSchema: { theme: z.string().describe('What the poem is about') } },
  async ({ theme }, extra) => {
    const completion = await openai.chat.completions.create(
      { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: `write a poem about ${theme}` }] },
      { signal: extra.signal },
    );
    return { content: [{ type: 'text', text: completion.choices[0]?.message.content ?? '' }] };
  },
);
await server.connect(new StdioServerTransport());
process.stdin.on('end', () => process.exit(0));
