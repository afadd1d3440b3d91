// The SDK v2 HTTP baseline: a hand-written one-tool server on the bare SDK v2 serving both eras on plain node:http,
// as the SDK's documentation wires it: 2026-07-28 requests (the MCP-Protocol-Version header names it) go to
// createMcpHandler (no sessions); the rest to 2025-era sessions (NodeStreamableHTTPServerTransport in a Map).
// No guards, no event store, not bundled. Usage: node bare-v2-http-server.mjs [port]
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { NodeStreamableHTTPServerTransport, toNodeHandler } from '@modelcontextprotocol/node';
import { z } from 'zod';

function newServer() {
  const server = new McpServer({ name: 'bare-v2-http', version: '1.0.0' });
  server.registerTool(
    'poet',
    { description: 'Poem generator', inputSchema: z.object({ theme: z.string().describe('What the poem is about') }) },
    async ({ theme }) => ({ content: [{ type: 'text', text: `a poem about ${theme}` }] }),
  );
  return server;
}

const modern = toNodeHandler(createMcpHandler(newServer, { legacy: 'reject' }));
const sessions = new Map();

async function legacy(req, res) {
  const id = req.headers['mcp-session-id'];
  const existing = typeof id === 'string' ? sessions.get(id) : undefined;
  if (existing) return existing.handleRequest(req, res);
  if (id) {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
  }
  const transport = new NodeStreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (sid) => sessions.set(sid, transport),
  });
  transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
  await newServer().connect(transport);
  await transport.handleRequest(req, res);
}

const http = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ sessions: sessions.size }));
  }
  const served = req.headers['mcp-protocol-version'] === '2026-07-28' ? modern(req, res) : legacy(req, res);
  Promise.resolve(served).catch(() => {
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});

http.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stderr.write(`bare listening on http://127.0.0.1:${http.address().port}/mcp\n`);
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
