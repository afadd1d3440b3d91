// The MCP client SDK is loaded the first time a downstream server starts, never on the start-up path: in dist/ it
// is a vendor bundle of its own (scripts/build.mjs), required only through this dynamic import.
export type McpClientSdk = typeof import('./mcp-client-sdk.js');

let loading: Promise<McpClientSdk> | undefined;

export function loadMcpClientSdk(): Promise<McpClientSdk> {
  loading ??= import('./mcp-client-sdk.js');
  return loading;
}
