// The MCP client SDK is loaded the first time a downstream server starts, never on the start-up path: in dist/ it
// is a vendor bundle of its own (scripts/build.mjs), required only by this dynamic import.
import type * as ClientModule from '@modelcontextprotocol/client';
import type * as StdioModule from '@modelcontextprotocol/client/stdio';

export type McpClientSdk = typeof ClientModule & Pick<typeof StdioModule, 'StdioClientTransport' | 'getDefaultEnvironment'>;

let loading: Promise<McpClientSdk> | undefined;

export function loadMcpClientSdk(): Promise<McpClientSdk> {
  loading ??= Promise.all([import('@modelcontextprotocol/client'), import('@modelcontextprotocol/client/stdio')]).then(
    ([client, stdio]) => ({
      ...client,
      StdioClientTransport: stdio.StdioClientTransport,
      getDefaultEnvironment: stdio.getDefaultEnvironment,
    }),
  );
  return loading;
}
