// The MCP client SDK's entry points in one module, imported only through mcp-client-loader.ts (a static import
// here becomes a require of dist/vendor/mcp-client.cjs that runs the first time the loader asks).
export * from '@modelcontextprotocol/client';
export { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
