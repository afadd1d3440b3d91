// The naive baseline: a hand-written one-tool MCP server on the bare SDK, plain node, not bundled.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'bare', version: '1.0.0' });
server.registerTool(
  'poet',
  { description: 'Poem generator', inputSchema: { theme: z.string().describe('What the poem is about') } },
  async ({ theme }) => ({ content: [{ type: 'text', text: `a poem about ${theme}` }] }),
);
await server.connect(new StdioServerTransport());
process.stdin.on('end', () => process.exit(0));
