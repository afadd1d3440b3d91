// What reaches the SDK's stdio transport: whole, valid JSON-RPC messages only, each parsed and checked once here. The SDK's reader drops what it cannot
// parse without a word (the request's sender waits forever) and closes the whole connection (exit 0, nothing on
// stderr) on a line over its buffer limit. Here every line is judged first: a request that cannot be served gets
// exactly one JSON-RPC error with its id, a line over the limit is skipped (not buffered) and answered, and the
// 2025 era's rule "nothing but ping before initialize" holds.
import { Transform, type TransformCallback } from 'node:stream';
import { type JSONRPCMessage, PROTOCOL_VERSION_META_KEY, ProtocolErrorCode, parseJSONRPCMessage } from '@modelcontextprotocol/server';

/** The SDK's own limit, so nothing that used to be served is refused now. */
export const MAX_LINE_BYTES = 10 * 1024 * 1024;

export type RequestId = string | number;

export interface Rejection {
  /** The request's id when it had a usable one; null otherwise (JSON-RPC's rule for unreadable requests). */
  id: RequestId | null;
  code: number;
  message: string;
}

export interface StdioInputOptions {
  maxLineBytes?: number;
  /** Answer a refused request (the caller writes it through the transport, so stdout keeps one writer). */
  reject: (rejection: Rejection) => void;
  /** A line dropped without an answer (a notification or response nobody can act on). */
  note: (message: string) => void;
}

/** Methods a 2025-era client may send before its initialize request. */
const BEFORE_INITIALIZE = new Set(['initialize', 'ping', 'server/discover']);

/**
 * A Transform from raw stdin bytes to accepted messages (objects, parsed and checked: the transport hands them on
 * without parsing them again). Partial lines are held here, so a refused line cannot corrupt the next one.
 */
export class StdioInputGuard extends Transform {
  private readonly maxLineBytes: number;
  private pieces: Buffer[] = [];
  private pending = 0;
  /** Over the limit: skip bytes until the line ends. */
  private skipping = false;
  /** Until the first initialize (2025 era) or modern request, only BEFORE_INITIALIZE methods are served. */
  private opened = false;

  constructor(private readonly options: StdioInputOptions) {
    super({ readableObjectMode: true });
    this.maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl === -1 ? chunk.length : nl;
      if (!this.skipping) {
        if (this.pending + (end - start) > this.maxLineBytes) {
          this.skipping = true;
          this.pieces = [];
          this.pending = 0;
        } else if (end > start) {
          this.pieces.push(chunk.subarray(start, end));
          this.pending += end - start;
        }
      }
      if (nl === -1) break;
      if (this.skipping) {
        this.skipping = false;
        this.tooLarge();
      } else {
        const line = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces, this.pending);
        this.pieces = [];
        this.pending = 0;
        this.judge(line);
      }
      start = nl + 1;
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    // A last line without its newline was never a complete message.
    if (this.pending > 0 || this.skipping) this.options.note('stdin ended in the middle of a message: ignored');
    this.pieces = [];
    done();
  }

  private tooLarge(): void {
    this.options.note(`a message over ${this.maxLineBytes} bytes was refused`);
    this.options.reject({
      id: null,
      code: ProtocolErrorCode.InvalidRequest,
      message: `Invalid Request: a message must not exceed ${this.maxLineBytes} bytes`,
    });
  }

  private judge(line: Buffer): void {
    const text = line.toString('utf8');
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.options.reject({ id: null, code: ProtocolErrorCode.ParseError, message: 'Parse error: Invalid JSON' });
      return;
    }
    if (Array.isArray(value)) {
      this.batch(value);
      return;
    }
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(value);
    } catch (err) {
      this.invalid(value, err);
      return;
    }
    if ('method' in message && 'id' in message && !this.opened) {
      if (message.method === 'initialize' || isModern(message)) this.opened = true;
      else if (!BEFORE_INITIALIZE.has(message.method)) {
        this.options.reject({
          id: message.id,
          code: ProtocolErrorCode.InvalidRequest,
          message: `Invalid Request: ${message.method} before initialize (send initialize first)`,
        });
        return;
      }
    }
    this.push(message);
  }

  /** MCP (2025-06-18 on) has no batches: each request in one is answered with an error, so none waits. */
  private batch(items: unknown[]): void {
    const ids = items.map(requestIdOf).filter((id) => id !== undefined);
    const message = 'Invalid Request: JSON-RPC batches are not supported; send one message per line';
    if (ids.length === 0) this.options.reject({ id: null, code: ProtocolErrorCode.InvalidRequest, message });
    for (const id of ids) this.options.reject({ id, code: ProtocolErrorCode.InvalidRequest, message });
  }

  private invalid(value: unknown, err: unknown): void {
    const id = requestIdOf(value);
    const obj = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
    if (id !== undefined) {
      const why = requestShapeProblem(obj!) ?? describeIssues(err);
      // A request whose method we can read but whose params are wrong has invalid params; anything else is no request.
      const code =
        typeof obj?.method === 'string' && obj.jsonrpc === '2.0' ? ProtocolErrorCode.InvalidParams : ProtocolErrorCode.InvalidRequest;
      const label = code === ProtocolErrorCode.InvalidParams ? 'Invalid params' : 'Invalid Request';
      this.options.reject({ id, code, message: `${label}: ${why}` });
      return;
    }
    if (obj && ('method' in obj || 'result' in obj || 'error' in obj) && !('id' in obj)) {
      this.options.note('an invalid notification was ignored');
      return;
    }
    if (obj && ('result' in obj || 'error' in obj)) {
      this.options.note('an invalid response was ignored');
      return;
    }
    this.options.reject({ id: null, code: ProtocolErrorCode.InvalidRequest, message: `Invalid Request: ${describeIssues(err)}` });
  }
}

/** What is wrong with a request's envelope, in words (the schema's union error only says "Invalid input"). */
function requestShapeProblem(obj: Record<string, unknown>): string | undefined {
  if (obj.jsonrpc !== '2.0') return 'jsonrpc must be "2.0"';
  if (typeof obj.method !== 'string') return 'method must be a string';
  if (!('params' in obj)) return undefined;
  const params = obj.params;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return 'params must be an object';
  if (!('_meta' in params)) return undefined;
  const meta = (params as { _meta?: unknown })._meta;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return 'params._meta must be an object';
  if ('progressToken' in meta) {
    const token = (meta as { progressToken?: unknown }).progressToken;
    if (typeof token !== 'string' && typeof token !== 'number') return 'params._meta.progressToken must be a string or a number';
  }
  return undefined;
}

function isModern(message: JSONRPCMessage): boolean {
  const meta = (message as { params?: { _meta?: Record<string, unknown> } }).params?._meta;
  return typeof meta === 'object' && meta !== null && PROTOCOL_VERSION_META_KEY in meta;
}

/** The id of something that claims to be a request, when the id is one JSON-RPC allows (a string or a number). */
function requestIdOf(value: unknown): RequestId | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const obj = value as Record<string, unknown>;
  if (!('method' in obj)) return undefined;
  const id = obj.id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : undefined;
}

/** One line naming what is wrong, from the SDK's schema error (zod issues) or any other error. */
export function describeIssues(err: unknown): string {
  const issues = (err as { issues?: unknown }).issues;
  if (Array.isArray(issues) && issues.length > 0) return issuesLine(issues);
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n', 1)[0]!.slice(0, 200);
}

export function issuesLine(issues: unknown[]): string {
  const parts = issues.slice(0, 3).map((issue) => {
    const { path, message } = issue as { path?: unknown[]; message?: string };
    const where = Array.isArray(path) && path.length ? `${path.map(String).join('.')}: ` : '';
    return `${where}${(message ?? 'invalid').split('\n', 1)[0]}`;
  });
  const line = parts.join('; ') + (issues.length > 3 ? ` (and ${issues.length - 3} more)` : '');
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
