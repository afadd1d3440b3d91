// The `serve --http` flags (kept apart from cli.ts so the transport's many options stay in one place).
import { InvalidArgumentError, Option, type Command } from 'commander';
import { AgentMcpError } from './errors.js';
import type { HttpFlags } from './server/http/options.js';
import { parseRedisUrl } from './stores/redis.js';
import { parseDuration, parseSize } from './util/duration.js';

function intIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

function parsed<T>(parse: (v: string) => T) {
  return (value: string): T => {
    try {
      return parse(value);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

const HTTP_ONLY = [
  'host',
  'port',
  'path',
  'stateless',
  'sessionTtl',
  'maxSessions',
  'allowOrigin',
  'allowHost',
  'authToken',
  'bodyLimit',
  'maxConnections',
  'sessionMemory',
  'redis',
] as const;

export function addHttpOptions(command: Command): Command {
  return command
    .option('--http', "serve over Streamable HTTP instead of stdio (settings also in the file's server.http block)")
    .option('--host <address>', 'HTTP: address to listen on (default 127.0.0.1)')
    .addOption(new Option('--port <n>', 'HTTP: port (default 3000; 0 picks a free one)').argParser(intIn(0, 65535)))
    .addOption(
      new Option('--path <path>', 'HTTP: endpoint path (default /mcp)').argParser((v) => {
        if (!v.startsWith('/')) throw new InvalidArgumentError('expected a path starting with /');
        return v;
      }),
    )
    .option('--stateless', 'HTTP: no sessions, every POST stands alone (scales behind any load balancer)')
    .addOption(
      new Option('--session-ttl <duration>', 'HTTP: idle time after which a session expires (default 30m)').argParser(
        parsed(parseDuration),
      ),
    )
    .addOption(new Option('--max-sessions <n>', 'HTTP: most open sessions, 503 beyond (default 1000)').argParser(intIn(1, 1_000_000)))
    .addOption(
      new Option('--allow-origin <origin>', 'HTTP: a browser Origin to allow besides localhost (repeatable; * for any)').argParser(collect),
    )
    .addOption(
      new Option('--allow-host <host>', 'HTTP: a Host header name to allow besides localhost and the bound address (repeatable)').argParser(
        collect,
      ),
    )
    .addOption(new Option('--auth-token <token>', 'HTTP: bearer token every request must carry').env('AGENT_MCP_TOKEN'))
    .addOption(
      new Option('--redis <url>', 'HTTP: keep shared state (resumable streams) in Redis at this redis:// URL').env('AGENT_MCP_REDIS_URL'),
    )
    .addOption(new Option('--body-limit <size>', 'HTTP: largest request body, 413 beyond (default 4mb)').argParser(parsed(sizeArg)))
    .addOption(new Option('--max-connections <n>', 'HTTP: most open connections, 503 beyond (default 512)').argParser(intIn(1, 1_000_000)))
    .addOption(
      new Option(
        '--session-memory <size>',
        'HTTP: what all sessions together keep for resuming streams; over it the longest-idle close (default 64mb)',
      ).argParser(parsed(sizeArg)),
    );
}

function sizeArg(value: string): number {
  const bytes = parseSize(/^\d+$/.test(value) ? Number(value) : value);
  if (bytes < 1) throw new Error('expected a size above 0');
  return bytes;
}

interface HttpCliOptions {
  http?: boolean;
  host?: string;
  port?: number;
  path?: string;
  stateless?: boolean;
  sessionTtl?: number;
  maxSessions?: number;
  allowOrigin?: string[];
  allowHost?: string[];
  authToken?: string;
  bodyLimit?: number;
  maxConnections?: number;
  sessionMemory?: number;
  redis?: string;
}

/** The HTTP flags as overrides of the file's settings; undefined when serving stdio. */
export function httpFlags(command: Command): HttpFlags | undefined {
  const o = command.opts<HttpCliOptions>();
  if (!o.http) {
    const given = HTTP_ONLY.find((k) => command.getOptionValueSource(k) === 'cli');
    if (given) throw new AgentMcpError(`serve: --${given.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} only applies with --http`, 2);
    return undefined;
  }
  return {
    host: o.host,
    port: o.port,
    path: o.path,
    stateless: o.stateless,
    sessionTtlMs: o.sessionTtl,
    maxSessions: o.maxSessions,
    allowedOrigins: o.allowOrigin,
    allowedHosts: o.allowHost,
    authToken: o.authToken || undefined,
    bodyLimitBytes: o.bodyLimit,
    maxConnections: o.maxConnections,
    sessionMemoryBytes: o.sessionMemory,
    redis: o.redis ? checkedRedisUrl(o.redis) : undefined,
  };
}

/** A bad --redis value is a usage error whose message never shows the URL's password (not commander's, which would). */
function checkedRedisUrl(value: string): string {
  parseRedisUrl(value);
  return value;
}
