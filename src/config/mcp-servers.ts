// The `mcpServers:` block: each entry resolved to a McpServerConfig, and the agents' references to servers
// (`fs`, `fs.read_text_file`) checked against it.
import { isAbsolute, resolve } from 'node:path';
import { registerSecret } from '../util/redact.js';
import { suggestion } from '../util/did-you-mean.js';
import { parseDuration } from '../util/duration.js';
import type { RawMcpServer } from './schema.js';
import { DEFAULT_MCP_STARTUP_TIMEOUT_MS, DEFAULT_MCP_TIMEOUT_MS, type McpServerConfig } from './types.js';
import type { PathSegment } from './yaml-source.js';

/** A server name is the prefix of `server.tool`, so it has no dot; provider-safe so `fs_tool` names stay short. */
export const MCP_SERVER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Env and header names whose values are secrets (redacted from every log, error and result). */
const SECRET_NAME = /auth|key|token|secret|cookie|password|credential|pat\b/i;

type Report = (path: PathSegment[], message: string, at?: 'key' | 'value') => void;

/** `partial`: the entry already failed the schema (a field dropped): what is missing is not reported again. */
export function resolveMcpServer(
  name: string,
  raw: RawMcpServer,
  configDir: string,
  report: Report,
  partial = false,
): McpServerConfig | undefined {
  const path = ['mcpServers', name];
  let ok = true;
  if (!MCP_SERVER_NAME.test(name)) {
    report(
      path,
      `server name "${name}" must be 1-64 characters of A-Z a-z 0-9 _ - (no dots: fs.read_file names tool read_file of server fs)`,
      'key',
    );
    ok = false;
  }
  const remote = raw.type === 'http' || raw.type === 'streamable-http' || raw.type === 'sse';
  if (raw.command === undefined && raw.url === undefined) {
    if (!partial) report(path, 'give either command (a server started over stdio) or url (a remote server)', 'key');
    ok = false;
  } else if (raw.command !== undefined && raw.url !== undefined) {
    report([...path, 'url'], 'give either command or url, not both', 'key');
    ok = false;
  } else if (raw.command !== undefined && remote) {
    report([...path, 'type'], `type ${raw.type} needs url, not command`);
    ok = false;
  } else if (raw.url !== undefined && raw.type === 'stdio') {
    report([...path, 'type'], 'type stdio needs command, not url');
    ok = false;
  }
  const stdioOnly = ['args', 'env', 'cwd'] as const;
  if (raw.url !== undefined)
    for (const key of stdioOnly)
      if (raw[key] !== undefined) report([...path, key], `"${key}" applies to stdio servers (command), not to url`, 'key');
  if (raw.command !== undefined && raw.headers !== undefined)
    report([...path, 'headers'], '"headers" applies to remote servers (url), not to command', 'key');
  for (const list of ['tools', 'exclude'] as const) {
    const seen = new Set<string>();
    (raw[list] ?? []).forEach((tool, i) => {
      if (seen.has(tool)) report([...path, list, i], `"${tool}" is listed twice`);
      seen.add(tool);
    });
  }
  (raw.exclude ?? []).forEach((tool, i) => {
    if (raw.tools?.includes(tool)) report([...path, 'exclude', i], `"${tool}" is both in tools and in exclude`);
  });
  for (const [key, value] of Object.entries(raw.env ?? {})) if (SECRET_NAME.test(key)) registerSecret(value);
  for (const [key, value] of Object.entries(raw.headers ?? {})) {
    if (SECRET_NAME.test(key)) registerSecret(value);
    // `Bearer abc...`: the token alone is the secret too (it may be echoed without its scheme).
    const token = /^\s*\w+\s+(\S{6,})\s*$/.exec(value);
    if (token && SECRET_NAME.test(key)) registerSecret(token[1]);
  }
  if (!ok) return undefined;
  return {
    name,
    transport: raw.command !== undefined ? 'stdio' : raw.type === 'sse' ? 'sse' : 'http',
    command: raw.command,
    args: raw.args ?? [],
    env: raw.env,
    cwd:
      raw.command !== undefined
        ? raw.cwd === undefined
          ? configDir
          : isAbsolute(raw.cwd)
            ? raw.cwd
            : resolve(configDir, raw.cwd)
        : undefined,
    url: raw.url,
    headers: raw.headers,
    tools: raw.tools,
    exclude: raw.exclude ?? [],
    timeoutMs: raw.timeout !== undefined ? parseDuration(raw.timeout) : DEFAULT_MCP_TIMEOUT_MS,
    startupTimeoutMs: raw.startupTimeout !== undefined ? parseDuration(raw.startupTimeout) : DEFAULT_MCP_STARTUP_TIMEOUT_MS,
    description: raw.description,
  };
}

/** A `tools:` entry of an agent split into server and tool, when it names a server (`fs`, `fs.read_text_file`). */
export function mcpReference(entry: string, servers: Iterable<string>): { server: string; tool?: string } | undefined {
  for (const server of servers) {
    if (entry === server) return { server };
    if (entry.startsWith(`${server}.`) && entry.length > server.length + 1) return { server, tool: entry.slice(server.length + 1) };
  }
  return undefined;
}

/** Whether a server's filters let a tool through (the allow-list, then the exclusions). */
export function mcpToolAllowed(server: Pick<McpServerConfig, 'tools' | 'exclude'>, tool: string): boolean {
  return (server.tools === undefined || server.tools.includes(tool)) && !server.exclude.includes(tool);
}

/** Statically checkable problems of a reference to one tool of a server (whether it exists needs --connect). */
export function mcpReferenceProblem(server: McpServerConfig, tool: string): string | undefined {
  if (server.exclude.includes(tool)) return `"${server.name}.${tool}" is excluded by mcpServers.${server.name}.exclude`;
  if (server.tools !== undefined && !server.tools.includes(tool))
    return `"${server.name}.${tool}" is not in mcpServers.${server.name}.tools${suggestion(tool, server.tools)}`;
  return undefined;
}
