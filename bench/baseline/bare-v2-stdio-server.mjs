// The naive SDK v2 baseline: a hand-written one-tool MCP server on the bare SDK v2 (both eras via serveStdio),
// plain node, not bundled.
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

serveStdio(() => {
  const server = new McpServer({ name: 'bare-v2', version: '1.0.0' });
  server.registerTool(
    'poet',
    { description: 'Poem generator', inputSchema: z.object({ theme: z.string().describe('What the poem is about') }) },
    async ({ theme }) => ({ content: [{ type: 'text', text: `a poem about ${theme}` }] }),
  );
  return server;
});
process.stdin.on('end', () => process.exit(0));
