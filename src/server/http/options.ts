// The settings of `serve --http`: the config's `server.http` block, overridden by flags, with the defaults filled in.
import type { HttpConfig } from '../../config/types.js';

export interface HttpOptions {
  host: string;
  port: number;
  path: string;
  stateless: boolean;
  sessionTtlMs: number;
  maxSessions: number;
  /** Origins allowed besides localhost ('*' allows any). */
  allowedOrigins: string[];
  /** Host header names allowed besides localhost and the bound address ('*' allows any). */
  allowedHosts: string[];
  bodyLimitBytes: number;
  /** Bearer token every MCP request must carry (none: no auth). */
  authToken?: string;
  /** Redis URL: resumable streams kept in Redis (none: in memory). */
  redis?: string;
  /** Open connections at most; a request on one beyond it is answered 503 and the connection closed. */
  maxConnections: number;
  /** What all sessions together keep for resumability (their event stores), in bytes; over it, the longest-idle close. */
  sessionMemoryBytes: number;
  /** A connection must send its request headers within this time, and an idle keep-alive one closes after keepAliveMs. */
  headersTimeoutMs?: number;
  keepAliveMs?: number;
  /** How long a call whose POST stream dropped waits for the client to resume it (default 5 s) before it is cancelled. */
  resumeGraceMs?: number;
}

/** Flags given on the command line; anything undefined falls back to the config, then the default. */
export type HttpFlags = Partial<HttpOptions>;

export const HTTP_DEFAULTS = {
  host: '127.0.0.1',
  port: 3000,
  path: '/mcp',
  sessionTtlMs: 30 * 60_000,
  maxSessions: 1000,
  bodyLimitBytes: 4 * 1024 * 1024,
  // Well below a common file-descriptor limit (1024), so idle sockets cannot lock every client out.
  maxConnections: 512,
  // 1000 sessions x 1 MiB each could otherwise hold a gigabyte between them.
  sessionMemoryBytes: 64 * 1024 * 1024,
  headersTimeoutMs: 10_000,
  keepAliveMs: 5_000,
} as const;

export function resolveHttpOptions(config: HttpConfig, flags: HttpFlags): HttpOptions {
  return {
    host: flags.host ?? config.host ?? HTTP_DEFAULTS.host,
    port: flags.port ?? config.port ?? HTTP_DEFAULTS.port,
    path: flags.path ?? config.path ?? HTTP_DEFAULTS.path,
    stateless: flags.stateless ?? config.stateless ?? false,
    sessionTtlMs: flags.sessionTtlMs ?? config.sessionTtlMs ?? HTTP_DEFAULTS.sessionTtlMs,
    maxSessions: flags.maxSessions ?? config.maxSessions ?? HTTP_DEFAULTS.maxSessions,
    // Lists add up: the file names the stable ones, a flag adds one for this run.
    allowedOrigins: [...(config.allowedOrigins ?? []), ...(flags.allowedOrigins ?? [])],
    allowedHosts: [...(config.allowedHosts ?? []), ...(flags.allowedHosts ?? [])],
    bodyLimitBytes: flags.bodyLimitBytes ?? config.bodyLimitBytes ?? HTTP_DEFAULTS.bodyLimitBytes,
    maxConnections: flags.maxConnections ?? config.maxConnections ?? HTTP_DEFAULTS.maxConnections,
    sessionMemoryBytes: flags.sessionMemoryBytes ?? config.sessionMemoryBytes ?? HTTP_DEFAULTS.sessionMemoryBytes,
    ...(flags.authToken ? { authToken: flags.authToken } : {}),
    ...((flags.redis ?? config.redis) ? { redis: flags.redis ?? config.redis } : {}),
  };
}
