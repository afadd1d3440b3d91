// Who may talk to the server: Host (DNS rebinding), Origin (browsers) and the bearer token.
// Checked before the SDK sees a request, so the statuses are ours: 403 for Host/Origin, 401 for the token.
import { createHash, timingSafeEqual } from 'node:crypto';
import { networkInterfaces, hostname as machineName } from 'node:os';
import type { IncomingHttpHeaders } from 'node:http';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export type Verdict = { ok: true } | { ok: false; status: number; message: string; headers?: Record<string, string> };

const OK: Verdict = { ok: true };

/** The hostname part of a Host header or origin ("Example.com:80" -> "example.com", "[::1]:3000" -> "[::1]"). */
function hostnameOf(hostAndPort: string): string | undefined {
  try {
    return new URL(`http://${hostAndPort}`).hostname;
  } catch {
    return undefined;
  }
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]' || host === '';
}

/** Host names a legitimate request may carry: loopback, the bound address (every local address on a wildcard), extras. */
export function allowedHostnames(bindHost: string, extra: string[]): Set<string> | 'any' {
  if (extra.includes('*')) return 'any';
  const names = new Set(LOOPBACK_NAMES);
  const add = (h: string) => {
    const bareV6 = !h.startsWith('[') && (h.match(/:/g)?.length ?? 0) >= 2;
    const name = hostnameOf(bareV6 ? `[${h}]` : h);
    if (name) names.add(name);
  };
  if (isWildcard(bindHost)) {
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) add(a.address.replace(/%.*$/, ''));
    add(machineName());
  } else {
    add(bindHost);
  }
  for (const h of extra) add(h);
  return names;
}

export class Guard {
  private readonly hosts: Set<string> | 'any';
  private readonly origins: Set<string>;
  private readonly anyOrigin: boolean;
  private readonly tokenDigest?: Buffer;
  // Clients send the same few Host headers again and again: remember verdicts (bounded).
  private readonly hostCache = new Map<string, boolean>();

  constructor(options: { host: string; allowedHosts: string[]; allowedOrigins: string[]; authToken?: string }) {
    this.hosts = allowedHostnames(options.host, options.allowedHosts);
    this.anyOrigin = options.allowedOrigins.includes('*');
    this.origins = new Set(options.allowedOrigins.map(normalizeOrigin));
    if (options.authToken) this.tokenDigest = digest(options.authToken);
  }

  get requiresToken(): boolean {
    return this.tokenDigest !== undefined;
  }

  checkHost(host: string | undefined): Verdict {
    if (this.hosts === 'any') return OK;
    if (!host) return { ok: false, status: 403, message: 'Forbidden: missing Host header' };
    let allowed = this.hostCache.get(host);
    if (allowed === undefined) {
      const name = hostnameOf(host);
      allowed = name !== undefined && this.hosts.has(name);
      if (this.hostCache.size >= 256) this.hostCache.clear();
      this.hostCache.set(host, allowed);
    }
    return allowed ? OK : { ok: false, status: 403, message: `Forbidden: Host not allowed: ${host}` };
  }

  /** An absent Origin is fine (not a browser); a present one must be localhost or listed. */
  originAllowed(origin: string): boolean {
    if (this.anyOrigin) return true;
    if (this.origins.has(normalizeOrigin(origin))) return true;
    try {
      const url = new URL(origin);
      return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopback(url.hostname);
    } catch {
      return false;
    }
  }

  checkToken(headers: IncomingHttpHeaders): Verdict {
    if (!this.tokenDigest) return OK;
    const auth = headers.authorization;
    const m = auth ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(auth) : null;
    if (!m) {
      return {
        ok: false,
        status: 401,
        message: 'Unauthorized: missing bearer token',
        headers: { 'WWW-Authenticate': 'Bearer realm="agent-mcp"' },
      };
    }
    // Compare digests: equal lengths, and the time taken says nothing about the token.
    if (!timingSafeEqual(digest(m[1]!), this.tokenDigest)) {
      return {
        ok: false,
        status: 401,
        message: 'Unauthorized: invalid bearer token',
        headers: { 'WWW-Authenticate': 'Bearer realm="agent-mcp", error="invalid_token"' },
      };
    }
    return OK;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function normalizeOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/+$/, '');
}

/** Headers a browser needs to call the endpoint from an allowed origin. */
export function corsHeaders(origin: string): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': 'Mcp-Session-Id, WWW-Authenticate',
    Vary: 'Origin',
  };
}

export const PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
  'Access-Control-Allow-Headers':
    'Content-Type, Accept, Authorization, Mcp-Session-Id, Mcp-Protocol-Version, Mcp-Method, Mcp-Name, Last-Event-ID',
  'Access-Control-Max-Age': '600',
};
