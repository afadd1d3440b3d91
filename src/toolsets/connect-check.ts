// `validate --connect`: start every downstream server, list its tools, and report each name in the file that
// names no real tool (in mcpServers.X.tools / exclude, and in the agents' tools:), located at that entry.
import { readFileSync } from 'node:fs';
import type { Config } from '../config/types.js';
import { mcpReference } from '../config/mcp-servers.js';
import { YamlSource, type PathSegment } from '../config/yaml-source.js';
import { dotted } from '../config/zod-issues.js';
import type { ConfigIssue } from '../errors.js';
import { suggestion } from '../util/did-you-mean.js';
import type { Logger } from '../log.js';
import { McpServers } from './mcp-servers.js';

export interface ConnectReport {
  /** Names that name no real tool: config errors. */
  issues: ConfigIssue[];
  /** Servers that did not start or list: located at the server's entry. */
  failures: ConfigIssue[];
  /** Each server that answered, with its tool count. */
  servers: { name: string; tools: number; era?: string }[];
}

export async function connectCheck(config: Config, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<ConnectReport> {
  const source = new YamlSource(config.file, readFileSync(config.file, 'utf8'), env);
  const at = (path: PathSegment[], message: string) => source.valueAt(path, `${dotted(path)}: ${message}`);
  const report: ConnectReport = { issues: [], failures: [], servers: [] };
  const servers = new McpServers(config.mcpServers, log);
  const listed = new Map<string, string[]>();
  try {
    await Promise.all(
      [...config.mcpServers.keys()].map(async (name) => {
        try {
          // Unfiltered: the allow-list itself is what is being checked.
          const tools = await servers.toolset(name)!.listAll();
          listed.set(name, tools);
          const status = servers.statuses().find((s) => s.name === name);
          report.servers.push({ name, tools: tools.length, era: status?.era });
        } catch (err) {
          report.failures.push(source.keyAt(['mcpServers', name], `mcpServers.${name}: ${(err as Error).message}`));
        }
      }),
    );
  } finally {
    await servers.close();
  }
  for (const [name, server] of config.mcpServers) {
    const real = listed.get(name);
    if (!real) continue;
    for (const list of ['tools', 'exclude'] as const) {
      (server[list] ?? []).forEach((tool, i) => {
        if (!real.includes(tool))
          report.issues.push(at(['mcpServers', name, list, i], `MCP server ${name} has no tool "${tool}"${suggestion(tool, real)}`));
      });
    }
  }
  for (const [agent, tool] of config.tools) {
    tool.tools.forEach((entry, i) => {
      const ref = mcpReference(entry, config.mcpServers.keys());
      const real = ref && listed.get(ref.server);
      if (!ref || ref.tool === undefined || !real) return;
      if (!real.includes(ref.tool))
        report.issues.push(
          at(['tools', agent, 'tools', i], `MCP server ${ref.server} has no tool "${ref.tool}"${suggestion(ref.tool, real)}`),
        );
    });
  }
  report.servers.sort((a, b) => a.name.localeCompare(b.name));
  const byPlace = (a: ConfigIssue, b: ConfigIssue) => a.line - b.line || a.col - b.col;
  report.issues.sort(byPlace);
  report.failures.sort(byPlace);
  return report;
}
