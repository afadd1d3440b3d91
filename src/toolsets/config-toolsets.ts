// The toolsets a Runtime builds for each loaded config besides its local agents: one per `mcpServers:` entry, on
// connections shared across reloads (an unchanged entry keeps its running server, a changed one is restarted).
import type { Toolset } from '../agent/toolset.js';
import type { Config } from '../config/types.js';
import type { Logger } from '../log.js';
import { McpServers } from './mcp-servers.js';

export interface McpToolsets {
  /** RuntimeOptions.toolsets: called for the first config and on every reload. */
  forConfig(config: Config): Toolset[];
  /** The servers (for /healthz); undefined until a config declares one. */
  readonly servers: McpServers | undefined;
  close(): Promise<void>;
}

export function mcpToolsets(log: Logger): McpToolsets {
  let servers: McpServers | undefined;
  return {
    forConfig(config) {
      if (!servers && config.mcpServers.size === 0) return [];
      if (servers) void servers.setConfig(config.mcpServers);
      else servers = new McpServers(config.mcpServers, log);
      return [...config.mcpServers.keys()].map((name) => servers!.toolset(name)!);
    },
    get servers() {
      return servers;
    },
    close: () => servers?.close() ?? Promise.resolve(),
  };
}
