// The `requestState` of a 2026-07-28 round trip: a suspended run, sealed so that any process holding the same
// secret can resume it. Wire shape: `am1.` base64url(deflate(JSON {p: payload, exp})) `.` base64url(HMAC-SHA256).
// Signed, not encrypted: the client can read the conversation it is itself running; it cannot change it, replay
// it after it expired, or hand a state minted under another secret.
import { lazyBuiltin } from '../util/builtins.js';
import { AgentMcpError } from '../errors.js';

// Loaded when a state is first sealed or opened: most servers never suspend a run.
const crypto = lazyBuiltin<typeof import('node:crypto')>('node:crypto');
const zlib = lazyBuiltin<typeof import('node:zlib')>('node:zlib');

const PREFIX = 'am1.';
/** A secret shorter than this is a configuration mistake (HMAC-SHA256 wants 32 bytes of key). */
export const MIN_SECRET_LENGTH = 32;
/** Bounds what a client can make us inflate: far above any real run, far below a memory problem. */
export const MAX_STATE_BYTES = 4 * 1024 * 1024;

export type StateFailure = 'malformed' | 'forged' | 'expired';

export class RequestStateError extends Error {
  constructor(
    readonly reason: StateFailure,
    message: string,
  ) {
    super(message);
    this.name = 'RequestStateError';
  }
}

export interface StateSealer {
  /** Whether the secret was given (shared by replicas) or made up for this process only. */
  readonly shared: boolean;
  seal(payload: unknown, ttlMs: number): string;
  open<T>(state: string): T;
}

/** From --state-secret / AGENT_MCP_STATE_SECRET, or one made for this process when none is given. */
export function createStateSealer(secret: string | undefined, now: () => number = Date.now): StateSealer {
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) {
    throw new AgentMcpError(
      `--state-secret: must be at least ${MIN_SECRET_LENGTH} characters (e.g. the output of: openssl rand -hex 32)`,
      2,
    );
  }
  let key: Buffer | undefined = secret !== undefined ? Buffer.from(secret, 'utf8') : undefined;
  const mac = (body: string) => {
    key ??= crypto().randomBytes(32);
    return crypto().createHmac('sha256', key).update(body).digest();
  };
  return {
    shared: secret !== undefined,
    seal(payload, ttlMs) {
      const body = zlib()
        .deflateRawSync(Buffer.from(JSON.stringify({ p: payload, exp: now() + ttlMs })))
        .toString('base64url');
      return `${PREFIX}${body}.${mac(body).toString('base64url')}`;
    },
    open<T>(state: string): T {
      const dot = state.lastIndexOf('.');
      if (!state.startsWith(PREFIX) || dot <= PREFIX.length) {
        throw new RequestStateError('malformed', 'requestState: not a state this server issued');
      }
      const body = state.slice(PREFIX.length, dot);
      const given = Buffer.from(state.slice(dot + 1), 'base64url');
      const expected = mac(body);
      if (given.length !== expected.length || !crypto().timingSafeEqual(given, expected)) {
        throw new RequestStateError(
          'forged',
          'requestState: the signature does not match (changed on the way, or issued by a server with another --state-secret)',
        );
      }
      let decoded: { p: T; exp: number };
      try {
        decoded = JSON.parse(zlib().inflateRawSync(Buffer.from(body, 'base64url'), { maxOutputLength: MAX_STATE_BYTES }).toString('utf8'));
      } catch {
        throw new RequestStateError('malformed', 'requestState: the state cannot be read');
      }
      const late = now() - decoded.exp;
      if (!(late < 0)) {
        throw new RequestStateError(
          'expired',
          `requestState: expired ${Math.ceil(late / 1000)}s ago (the client must answer within the sampling model's timeout and the tool's)`,
        );
      }
      return decoded.p;
    },
  };
}
