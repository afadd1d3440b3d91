// A small real MCP server (the bare v1 SDK over stdio) for downstream tests: it says on stderr what happened to it
// (a cancel that reached it), can grow a tool (tools/list_changed) and can die on request.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'downstream', version: '1.0.0' });
server.registerTool('echo', { description: 'Echo the text', inputSchema: { text: z.string() } }, async ({ text }) => ({
  content: [{ type: 'text', text: `echo: ${text}` }],
}));
server.registerTool('wait', { description: 'Wait until cancelled', inputSchema: {} }, async (_args, extra) => {
  await new Promise((resolve) => {
    extra.signal.addEventListener('abort', () => {
      process.stderr.write(`cancelled: ${extra.signal.reason ?? 'no reason'}\n`);
      resolve();
    });
  });
  return { content: [{ type: 'text', text: 'cancelled' }] };
});
server.registerTool('grow', { description: 'Add a tool named extra', inputSchema: {} }, async () => {
  server.registerTool('extra', { description: 'A tool added at run time', inputSchema: {} }, async () => ({
    content: [{ type: 'text', text: 'extra' }],
  }));
  return { content: [{ type: 'text', text: 'grown' }] };
});
server.registerTool('fail', { description: 'An error result', inputSchema: {} }, async () => ({
  content: [{ type: 'text', text: 'it went wrong' }],
  isError: true,
}));
server.registerTool('pid', { description: 'The process id', inputSchema: {} }, async () => ({
  content: [{ type: 'text', text: String(process.pid) }],
}));
await server.connect(new StdioServerTransport());
process.stderr.write('downstream ready\n');
// Tests check that no downstream server outlives agent-mcp: they find this one by the pid it leaves.
if (process.env.PID_FILE) (await import('node:fs')).appendFileSync(process.env.PID_FILE, `${process.pid}\n`);
// STUBBORN=1: a server that ignores the end of its stdin and stays up until signalled (so a test can tell
// whether agent-mcp stopped it, or it merely stopped itself when its parent died).
if (process.env.STUBBORN) setInterval(() => {}, 1 << 30);
else process.stdin.on('end', () => process.exit(0));
