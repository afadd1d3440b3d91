// The one Redis connection a process holds (`--redis URL`): loaded lazily (the ioredis bundle is required only
// here), bounded in time (connect and command timeouts, no offline queue, so nothing waits on a Redis that is
// down), reconnecting by itself, and saying plainly why it cannot serve while Redis is away.
import type { Redis, RedisOptions } from 'ioredis';
import { AgentMcpError } from '../errors.js';
import type { Logger } from '../log.js';
import { registerSecret } from '../util/redact.js';

export interface RedisLimits {
  /** Longest wait for a TCP connection (and the Redis handshake). */
  connectTimeoutMs: number;
  /** Longest wait for any command's reply. */
  commandTimeoutMs: number;
  /** Reconnection attempts back off up to this delay, and go on for as long as the process runs. */
  maxReconnectDelayMs: number;
}

export const REDIS_DEFAULTS: RedisLimits = { connectTimeoutMs: 2_000, commandTimeoutMs: 2_000, maxReconnectDelayMs: 2_000 };

/** Redis is down, unreachable or not answering: the message says which, with the URL (never its password). */
export class RedisUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUnavailableError';
  }
}

export interface RedisConnection {
  /** The URL as it may be shown (no password). */
  readonly url: string;
  readonly client: Redis;
  /** Why Redis cannot serve right now (for /healthz and errors), or undefined when it can. */
  problem(): string | undefined;
  /** Run commands; any failure to reach Redis becomes a RedisUnavailableError naming the URL and the cause. */
  run<T>(commands: (client: Redis) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The URL without its password, for messages. */
export function shownUrl(url: URL): string {
  if (!url.password) return url.href.replace(/\/$/, '');
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href.replace(/\/$/, '');
}

/** Check a --redis / server.redis value; a bad one is a usage error (exit 2). */
export function parseRedisUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AgentMcpError(`--redis: not a URL: ${value.replace(/\/\/[^@/]*@/, '//***@')}`, 2);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new AgentMcpError(`--redis: expected a redis:// or rediss:// URL, got ${url.protocol}//`, 2);
  }
  return url;
}

/**
 * Open the connection. Resolves at once (Redis may come up later: until then every command fails fast with the
 * reason); the ioredis code is loaded here, the first time a process needs Redis.
 */
export async function openRedis(value: string, log: Logger, limits: Partial<RedisLimits> = {}): Promise<RedisConnection> {
  const url = parseRedisUrl(value);
  registerSecret(decodeURIComponent(url.password));
  const shown = shownUrl(url);
  const { connectTimeoutMs, commandTimeoutMs, maxReconnectDelayMs } = { ...REDIS_DEFAULTS, ...limits };
  const { createRedisClient } = await import('./redis-client.js');
  const options: RedisOptions = {
    connectTimeout: connectTimeoutMs,
    commandTimeout: commandTimeoutMs,
    // A command while disconnected fails at once instead of queueing for a Redis that may never come back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), maxReconnectDelayMs),
    connectionName: 'agent-mcp',
  };
  const client = createRedisClient(url.href, options);
  let lastError: string | undefined = 'connecting';
  let down = false;
  client.on('ready', () => {
    if (down) log.info(`redis: connected again to ${shown}`);
    lastError = undefined;
    down = false;
  });
  client.on('error', (err: Error) => {
    const reason = describe(err);
    if (!down || reason !== lastError) log.warn(`redis: ${shown}: ${reason}; commands fail until it is back`);
    lastError = reason;
    down = true;
  });
  client.on('close', () => {
    if (client.status === 'end') return;
    if (!down) log.warn(`redis: lost the connection to ${shown}; reconnecting`);
    lastError ??= 'connection lost';
    down = true;
  });

  const problem = () => (client.status === 'ready' ? undefined : (lastError ?? client.status));
  return {
    url: shown,
    client,
    problem,
    async run<T>(commands: (c: Redis) => Promise<T>): Promise<T> {
      try {
        return await commands(client);
      } catch (err) {
        if (isReplyError(err)) throw new Error(`Redis error from ${shown}: ${(err as Error).message}`);
        const why = /timed out/i.test((err as Error).message)
          ? `no reply within ${commandTimeoutMs} ms`
          : (problem() ?? describe(err as Error));
        throw new RedisUnavailableError(`Redis unavailable at ${shown}: ${why}`);
      }
    },
    async close() {
      // QUIT when connected (bounded by the command timeout), else just drop the socket.
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}

/** An error Redis itself answered (a bug of ours or a wrong server), not a connection problem. */
function isReplyError(err: unknown): boolean {
  return err instanceof Error && err.name === 'ReplyError';
}

function describe(err: Error & { code?: string }): string {
  if (/timed out|ETIMEDOUT/i.test(err.message)) return 'connection timed out';
  if (err.code === 'ECONNREFUSED') return 'connection refused';
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return 'host not found';
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return 'connection lost';
  return err.message;
}
