// The naive baseline: a hand-written one-tool Streamable HTTP server on the bare SDK, plain node (node:http, no
// framework), sessions in a Map as the SDK's own examples keep them. Usage: node bare-http-server.mjs [port]
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const sessions = new Map();

function newSession() {
  const server = new McpServer({ name: 'bare', version: '1.0.0' });
  server.registerTool(
    'poet',
    { description: 'Poem generator', inputSchema: { theme: z.string().describe('What the poem is about') } },
    async ({ theme }) => ({ content: [{ type: 'text', text: `a poem about ${theme}` }] }),
  );
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => sessions.set(id, transport),
  });
  transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
  return { server, transport };
}

const http = createServer(async (req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ sessions: sessions.size }));
  }
  const id = req.headers['mcp-session-id'];
  const existing = typeof id === 'string' ? sessions.get(id) : undefined;
  if (existing) return existing.handleRequest(req, res);
  if (id) {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
  }
  const { server, transport } = newSession();
  await server.connect(transport);
  await transport.handleRequest(req, res);
});

http.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stderr.write(`bare listening on http://127.0.0.1:${http.address().port}/mcp\n`);
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
