// Streamable HTTP: the front door (Host/Origin/token checks, body limit, routing by era), health, shutdown.
// Our guards run first; then a request the SDK classifies as 2025-era goes to our sessions (http/sessions.ts:
// stateful with resumability, or one endpoint per POST with --stateless), and a 2026-07-28 request to the SDK's
// per-request handler (createMcpHandler, no sessions: any process can answer it).
import { createServer, type IncomingMessage, type Server as NodeHttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { format } from 'node:util';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { classifyInboundRequest, createMcpHandler, isJsonContentType } from '@modelcontextprotocol/server';
import { AgentMcpError } from '../errors.js';
import type { Logger } from '../log.js';
import { registerSecret } from '../util/redact.js';
import type { Config } from '../config/types.js';
import { buildServer, listPrompts, listTools, type ServerDeps } from './build.js';
import { readBody } from './http/body.js';
import { corsHeaders, Guard, isLoopback, PREFLIGHT_HEADERS } from './http/guard.js';
import { HTTP_DEFAULTS, type HttpOptions } from './http/options.js';

export { resolveHttpOptions } from './http/options.js';
import { CODES, replyError, replyJson } from './http/reply.js';
import { Endpoints, type Endpoint } from './http/sessions.js';
import { openSharedState } from './http/shared-state.js';
import { hasTaskTools } from './tasks-wire.js';

export interface HttpServerHandle {
  /** The URL actually listened on (the real port when 0 was asked for). */
  url: string;
  /** Stop accepting, answer calls in flight with an error, close every session; bounded in time. */
  stop(): Promise<void>;
  /** What the server holds right now: 2025-era sessions, requests in flight, bytes their event stores keep. */
  stats(): { sessions: number; inflight: number; retainedBytes: number };
}

/** How long shutdown waits for answers to reach clients before it closes their connections. */
const DRAIN_MS = 2_000;
const SHUTDOWN_MESSAGE = 'agent-mcp is shutting down: the call was cancelled';

/** Serve until SIGINT or SIGTERM; resolves with the signal's name once everything is closed. */
export async function serveHttp(deps: ServerDeps, options: HttpOptions, log: Logger, announce: (url: string) => void): Promise<string> {
  // A stray console.log from a library must not pollute stdout; the SDK's HTTP adapter chats on console.info.
  console.log = console.info = console.debug = (...args: unknown[]) => log.debug(format(...args));
  console.warn = console.error = (...args: unknown[]) => log.warn(format(...args));
  const handle = await startHttpServer(deps, options, log);
  announce(handle.url);
  const reason = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log.info(`stopping: ${reason}`);
  await handle.stop();
  return reason;
}

export async function startHttpServer(deps: ServerDeps, options: HttpOptions, log: Logger): Promise<HttpServerHandle> {
  registerSecret(options.authToken);
  const guard = new Guard(options);
  const shared = options.redis ? await openSharedState(options.redis, log) : undefined;
  // With Redis, MCP tasks live there and run on the replicas' shared job queue (any replica answers for any task).
  const tasks = shared && hasTaskTools(deps.runner.current) ? await shared.taskRuntime(deps.runner) : undefined;
  if (tasks) deps = { ...deps, tasks };
  const endpoints = new Endpoints(deps, {
    stateless: options.stateless,
    ttlMs: options.sessionTtlMs,
    maxSessions: options.maxSessions,
    memoryBytes: options.sessionMemoryBytes,
    ...(shared ? { eventStore: shared.eventStore } : {}),
    ...(options.resumeGraceMs !== undefined && { resumeGraceMs: options.resumeGraceMs }),
  });
  const active = new Set<ServerResponse>();
  let stopping = false;
  // The 2026-07-28 era: one Server per request from the same definitions; list changes go out on its bus to the
  // clients' subscriptions/listen streams.
  const modern = createMcpHandler(() => buildServer(deps, 'modern', { listChanged: false }), {
    legacy: 'reject',
    maxRequestBodySize: options.bodyLimitBytes,
    onerror: (err) => log.debug(`http (2026-07-28): ${err.message}`),
  });
  const serveModern = toNodeHandler(modern, { maxRequestBodySize: options.bodyLimitBytes });
  let modernInflight = 0;
  const unsubscribe = deps.runner.onConfigChange((next, previous) => {
    if (JSON.stringify(listTools(next)) !== JSON.stringify(listTools(previous))) modern.notify.toolsChanged();
    if (JSON.stringify(listPrompts(next)) !== JSON.stringify(listPrompts(previous))) modern.notify.promptsChanged();
  });

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (overCap.has(req.socket)) {
      return replyError(res, 503, CODES.serverError, 'Service Unavailable: too many connections', {
        Connection: 'close',
        'Retry-After': 1,
      });
    }
    active.add(res);
    res.once('close', () => active.delete(res));
    handle(req, res).catch((err: unknown) => {
      log.error(`http: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) replyError(res, 500, CODES.serverError, 'Internal server error');
      else res.destroy();
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req.url);
    if (path === '/healthz') return health(req, res);
    if (path !== options.path) return replyError(res, 404, CODES.serverError, `Not Found: the MCP endpoint is ${options.path}`);
    if (stopping) return replyError(res, 503, CODES.serverError, 'Service Unavailable: shutting down', { Connection: 'close' });

    const host = guard.checkHost(req.headers.host);
    if (!host.ok) return replyError(res, host.status, CODES.serverError, host.message);
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!guard.originAllowed(origin)) return replyError(res, 403, CODES.serverError, `Forbidden: Origin not allowed: ${origin}`);
      for (const [k, v] of Object.entries(corsHeaders(origin))) res.setHeader(k, v);
      if (req.method === 'OPTIONS') {
        res.writeHead(204, PREFLIGHT_HEADERS);
        return void res.end();
      }
    }
    const auth = guard.checkToken(req.headers);
    if (!auth.ok) return replyError(res, auth.status, CODES.serverError, auth.message, auth.headers);

    const method = req.method ?? '';
    const allowed = options.stateless ? ['POST'] : ['GET', 'POST', 'DELETE'];
    if (!allowed.includes(method)) {
      const why = options.stateless ? 'Method not allowed: this server is stateless (POST only).' : 'Method not allowed.';
      return replyError(res, 405, CODES.serverError, why, { Allow: allowed.join(', ') });
    }

    // Asked to share state through Redis and Redis is away: say so at once rather than serve without it.
    const unshared = method === 'DELETE' ? undefined : shared?.problem();
    if (unshared) return replyError(res, 503, CODES.serverError, `Service Unavailable: ${unshared}`, { 'Retry-After': 5 });

    let body: unknown;
    if (method === 'POST') {
      const parsed = await readPost(req, res, options.bodyLimitBytes);
      if (!parsed.ok) return;
      body = parsed.body;
      // MCP has had no batches since 2025-06-18; the SDK's 2025-era transport would still serve one.
      if (Array.isArray(body)) {
        return replyError(
          res,
          400,
          CODES.invalidRequest,
          'Invalid Request: JSON-RPC batches are not supported; send one message per request',
        );
      }
    }

    if (method === 'POST' && classify(req, body) === 'modern') {
      // A subscriptions/listen stream stays open for the client's lifetime: it is no call in flight.
      const counted = (body as { method?: unknown } | null)?.method !== 'subscriptions/listen';
      if (counted) modernInflight++;
      try {
        return await serveModern(req, res, body);
      } finally {
        if (counted) modernInflight--;
      }
    }
    if (options.stateless) return serveStateless(req, res, body);
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const endpoint = endpoints.get(sessionId);
      if (!endpoint) return replyError(res, 404, CODES.sessionNotFound, 'Session not found');
      if (method === 'GET' && req.headers['last-event-id'] !== undefined) endpoint.lastResume = Date.now();
      endpoints.cancelOnDisconnect(endpoint, body, res);
      return endpoint.transport.handleRequest(req, res, body);
    }
    if (method !== 'POST' || !isInitialize(body)) {
      return replyError(res, 400, CODES.serverError, 'Bad Request: Mcp-Session-Id header is required');
    }
    const refused = endpoints.refusal();
    if (refused) return replyError(res, 503, CODES.serverError, refused, { 'Retry-After': 5 });
    const endpoint = await endpoints.create();
    try {
      await endpoint.transport.handleRequest(req, res, body);
    } finally {
      endpoints.settle(endpoint);
    }
  }

  async function serveStateless(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const endpoint: Endpoint = await endpoints.create();
    // One POST, one endpoint: gone with its response.
    res.once('close', () => void endpoints.close(endpoint));
    await endpoint.transport.handleRequest(req, res, body);
  }

  function health(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      replyError(res, 405, CODES.serverError, 'Method not allowed.', { Allow: 'GET' });
      return;
    }
    const downstream = deps.downstream?.();
    const unshared = shared?.problem();
    replyJson(res, stopping || unshared ? 503 : 200, {
      status: stopping ? 'stopping' : unshared ? 'degraded' : 'ok',
      sessions: endpoints.sessionCount,
      inflight: endpoints.inflightCount + modernInflight,
      ...(shared ? { redis: unshared ?? 'ok' } : {}),
      ...(downstream && { mcpServers: downstream }),
    });
  }

  const server = createServer(
    {
      // Node's default lets a socket that never sends a request live 60 s + a 30 s sweep: 90 s per idle socket.
      headersTimeout: options.headersTimeoutMs ?? HTTP_DEFAULTS.headersTimeoutMs,
      requestTimeout: 0, // an SSE stream is a long response, not a slow request; the body read is bounded by readBody
      keepAliveTimeout: options.keepAliveMs ?? HTTP_DEFAULTS.keepAliveMs,
      connectionsCheckingInterval: 1_000,
    },
    handler,
  );
  limitConnections(server, options.maxConnections);
  await listen(server, options.host, options.port).catch(async (err: unknown) => {
    await tasks?.close();
    await shared?.close(); // an open Redis socket would keep the process from exiting with the error
    throw err;
  });
  const url = urlOf(server.address() as AddressInfo, options);
  if (!isLoopback(options.host) && !guard.requiresToken) {
    log.warn(
      `listening on ${options.host}, beyond this machine, without a token: anyone who can reach the port can call the tools (set --auth-token or AGENT_MCP_TOKEN)`,
    );
  }
  noteSamplingLimits(deps.runner.current, options, deps.states?.shared ?? false, log);

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      unsubscribe();
      server.close(); // no new connections; idle keep-alive ones go now, busy ones after their response
      server.closeIdleConnections();
      await Promise.all([endpoints.shutdown(SHUTDOWN_MESSAGE), modern.close().catch(() => {})]);
      await drain(active, DRAIN_MS);
      server.closeAllConnections();
      await tasks?.close();
      await shared?.close();
    })());
  const stats = () => ({
    sessions: endpoints.sessionCount,
    inflight: endpoints.inflightCount + modernInflight,
    retainedBytes: endpoints.retainedBytes,
  });
  return { url, stop, stats };
}

/** Sockets accepted beyond the cap: their request is answered 503 and they close. */
const overCap = new WeakSet<Socket>();

function limitConnections(server: NodeHttpServer, max: number): void {
  let open = 0;
  server.on('connection', (socket: Socket) => {
    if (open >= max) {
      overCap.add(socket);
      return;
    }
    open++;
    socket.once('close', () => open--);
  });
}

type PostBody = { ok: true; body: unknown } | { ok: false };

/** The checks the SDK would make, in its order, but before the body is read: 406, 415, 413, then JSON. */
async function readPost(req: IncomingMessage, res: ServerResponse, limit: number): Promise<PostBody> {
  const accept = req.headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
    replyError(res, 406, CODES.serverError, 'Not Acceptable: Client must accept both application/json and text/event-stream');
    return { ok: false };
  }
  if (!isJsonContentType(req.headers['content-type'])) {
    replyError(res, 415, CODES.serverError, 'Unsupported Media Type: Content-Type must be application/json');
    return { ok: false };
  }
  const read = await readBody(req, limit);
  if (!read.ok) {
    if (read.tooLarge) {
      // Not drained: the rest is still on the wire, so this connection cannot carry another request.
      replyError(
        res,
        413,
        CODES.serverError,
        `Payload Too Large: Request body must not exceed ${limit} bytes`,
        read.drained ? {} : { Connection: 'close' },
      );
    } else if (!res.destroyed) {
      replyError(res, 400, CODES.parseError, 'Parse error: the request body could not be read');
    }
    return { ok: false };
  }
  try {
    return { ok: true, body: JSON.parse(read.text) };
  } catch {
    replyError(res, 400, CODES.parseError, 'Parse error: Invalid JSON');
    return { ok: false };
  }
}

/** The SDK's own era decision (envelope claim in `_meta`, MCP-Protocol-Version header), made on the parsed body. */
function classify(req: IncomingMessage, body: unknown): 'legacy' | 'modern' {
  const header = (name: string) => {
    const v = req.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const outcome = classifyInboundRequest({
    httpMethod: req.method ?? 'POST',
    protocolVersionHeader: header('mcp-protocol-version'),
    mcpMethodHeader: header('mcp-method'),
    mcpNameHeader: header('mcp-name'),
    body,
  });
  // Anything not plainly 2025-era (including a malformed modern request) is the modern handler's to answer.
  return outcome.kind === 'legacy' ? 'legacy' : 'modern';
}

function isInitialize(body: unknown): boolean {
  const one = (m: unknown) => typeof m === 'object' && m !== null && (m as { method?: unknown }).method === 'initialize' && 'id' in m;
  return Array.isArray(body) ? body.some(one) : one(body);
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q === -1 ? raw : raw.slice(0, q);
}

function listen(server: NodeHttpServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'the address is already in use' : err.code === 'EACCES' ? 'permission denied' : err.message;
      reject(new AgentMcpError(`cannot listen on ${host}:${port}: ${why}`, 1));
    });
    server.listen(port, host, () => resolve());
  });
}

function urlOf(address: AddressInfo, options: HttpOptions): string {
  // A wildcard bind answers on every interface; the URL to print is one a client here can use as is
  // (a Host of 0.0.0.0 is no real address, and the Host check would refuse it).
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const bound = wildcard ? (address.family === 'IPv6' ? '::1' : '127.0.0.1') : address.address;
  const host = address.family === 'IPv6' ? `[${bound}]` : bound;
  // Keep a name the user gave (localhost), with the port actually bound.
  const shown = /^[a-z]/i.test(options.host) && !options.host.includes(':') ? options.host : host;
  return `http://${shown}:${address.port}${options.path}`;
}

/** What sampling can and cannot do on this server, said once at start-up (only when a tool's chain samples). */
function noteSamplingLimits(config: Config, options: HttpOptions, sharedSecret: boolean, log: Logger): void {
  const tools = [...config.tools.values()].filter((t) => t.models.some((m) => m.provider === 'sampling')).map((t) => t.name);
  if (!tools.length) return;
  if (options.stateless) {
    // Stateless 2025-era endpoints never see an initialize, so nothing can reach the client outside a call's answer.
    log.warn(
      `stateless mode: 2025-era clients cannot be sampled (the client's own model needs a session); ` +
        `tools ${tools.join(', ')} will use the next model of their chain for them, or fail if there is none`,
    );
  }
  if (!sharedSecret) {
    log.notice(
      'no --state-secret: a 2026-07-28 client answering a sampling round trip must come back to this process ' +
        '(give every replica the same AGENT_MCP_STATE_SECRET to let any of them resume it)',
    );
  }
}

function drain(active: Set<ServerResponse>, ms: number): Promise<void> {
  if (active.size === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    const check = () => {
      if (active.size > 0) return;
      clearTimeout(timer);
      resolve();
    };
    for (const res of active) res.once('close', () => setImmediate(check));
  });
}
