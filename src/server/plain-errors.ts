// Errors a client can read: the SDK answers a request whose params fail its schema with -32603 (internal error) and
// the whole validation dump, many lines of JSON. A client's mistake is -32602 (invalid params) in one line.
import { ProtocolError, ProtocolErrorCode, type Result, Server, type ServerContext } from '@modelcontextprotocol/server';
import type { JSONRPCRequest } from '@modelcontextprotocol/server';
import { issuesLine } from './stdio-input.js';

type Handler = (request: JSONRPCRequest, ctx: ServerContext) => Promise<Result>;

export class PlainErrorServer extends Server {
  protected override _wrapHandler(method: string, handler: Handler): Handler {
    const inner = super._wrapHandler(method, handler);
    return async (request, ctx) => {
      try {
        return await inner(request, ctx);
      } catch (err) {
        throw plainError(method, err);
      }
    };
  }
}

/** A schema failure becomes -32602 with one line; every other error goes out as it was thrown. */
export function plainError(method: string, err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const issues = issuesIn(err.message);
  if (!issues) return err;
  const code = (err as { code?: unknown }).code;
  if (code !== undefined && code !== ProtocolErrorCode.InvalidParams && code !== ProtocolErrorCode.InternalError) return err;
  return new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid params for ${method}: ${issuesLine(issues)}`);
}

/** The zod issue list the SDK puts in a validation error's message (alone, or after "Invalid … request: "). */
function issuesIn(message: string): unknown[] | undefined {
  const start = message.indexOf('[');
  if (start === -1 || !message.trimEnd().endsWith(']')) return undefined;
  try {
    const parsed: unknown = JSON.parse(message.slice(start));
    return Array.isArray(parsed) && parsed.every((i) => typeof i === 'object' && i !== null && 'message' in i) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
