// Every downstream server of the config: one shared connection each, nothing started until a call needs it, and
// no child left behind on reload, close or exit.
import { isDeepStrictEqual } from 'node:util';
import type { McpServerConfig } from '../config/types.js';
import type { Logger } from '../log.js';
import { McpConnection, type McpServerStatus } from './mcp-connection.js';
import { McpServerToolset } from './mcp-server-toolset.js';

export class McpServers {
  private readonly entries = new Map<string, { connection: McpConnection; toolset: McpServerToolset }>();
  private readonly pids = new Set<number>();
  /** Last resort on a sudden exit (process.exit after a fatal error): children get SIGTERM, never outlive us. */
  private readonly onExit = () => {
    for (const pid of this.pids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  private readonly children = {
    add: (pid: number) => {
      if (this.pids.size === 0) process.once('exit', this.onExit);
      this.pids.add(pid);
    },
    delete: (pid: number) => {
      this.pids.delete(pid);
      if (this.pids.size === 0) process.removeListener('exit', this.onExit);
    },
  };

  constructor(
    servers: Map<string, McpServerConfig>,
    private readonly log: Logger,
  ) {
    this.setConfig(servers);
  }

  /** After a reload: servers whose entry changed or went away are stopped; unchanged ones keep running. */
  setConfig(servers: Map<string, McpServerConfig>): Promise<void> {
    const stopping: Promise<void>[] = [];
    for (const [name, entry] of this.entries) {
      const next = servers.get(name);
      if (next && isDeepStrictEqual(next, entry.connection.config)) continue;
      this.entries.delete(name);
      stopping.push(entry.connection.close());
    }
    for (const [name, config] of servers) {
      if (this.entries.has(name)) continue;
      const connection = new McpConnection(config, this.log.child({ server: name }), this.children);
      this.entries.set(name, { connection, toolset: new McpServerToolset(connection) });
    }
    return Promise.all(stopping).then(() => undefined);
  }

  toolset(name: string): McpServerToolset | undefined {
    return this.entries.get(name)?.toolset;
  }

  get names(): string[] {
    return [...this.entries.keys()];
  }

  /** For /healthz: every server, started or not. */
  statuses(): McpServerStatus[] {
    return [...this.entries.values()].map((e) => e.connection.status());
  }

  /** Pids of the children running now (tests check none is left). */
  get childPids(): number[] {
    return [...this.pids];
  }

  async close(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.connection.close()));
    this.onExit(); // a child that ignored the SDK's stdin-close and SIGTERM sequence gets one more SIGTERM
  }
}
