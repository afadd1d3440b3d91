// The downstream server of the mcp-servers benchmark: one tool on the bare SDK, answering at once.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'bare-downstream', version: '1.0.0' });
server.registerTool('lookup', { description: 'Look a word up', inputSchema: { word: z.string() } }, async ({ word }) => ({
  content: [{ type: 'text', text: `${word}: a thing` }],
}));
await server.connect(new StdioServerTransport());
process.stdin.on('end', () => process.exit(0));
