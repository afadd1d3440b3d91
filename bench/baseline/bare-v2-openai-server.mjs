// The SDK v2 per-call baseline: a hand-written one-tool MCP server on the bare SDK v2 (both eras via serveStdio)
// that calls the openai SDK directly (Chat Completions, no streaming), plain node, not bundled.
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import OpenAI from 'openai';
import { z } from 'zod';

const openai = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.OPENAI_API_KEY || 'no-key', maxRetries: 0 });
serveStdio(() => {
  const server = new McpServer({ name: 'bare-v2-openai', version: '1.0.0' });
  server.registerTool(
    'poet',
    { description: 'Poem generator', inputSchema: z.object({ theme: z.string().describe('What the poem is about') }) },
    async ({ theme }, ctx) => {
      const completion = await openai.chat.completions.create(
        { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: `write a poem about ${theme}` }] },
        { signal: ctx.mcpReq.signal },
      );
      return { content: [{ type: 'text', text: completion.choices[0]?.message.content ?? '' }] };
    },
  );
  return server;
});
process.stdin.on('end', () => process.exit(0));
