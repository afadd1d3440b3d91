// Plain HTTP answers of the server itself (before or beside the SDK transport): JSON-RPC error bodies, health.
import type { ServerResponse } from 'node:http';
import { ProtocolErrorCode } from '@modelcontextprotocol/server';

export type Headers = Record<string, string | number>;

/** A JSON-RPC error with no id, the shape the SDK's transport uses for its own protocol errors. */
export function replyError(res: ServerResponse, status: number, code: number, message: string, headers: Headers = {}): void {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function replyJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}

/**
 * JSON-RPC codes of the HTTP layer: the standard ones from the SDK; -32000 and -32001 are the implementation-defined
 * codes the SDK's transport answers with (a generic server error, an unknown session), which it does not export.
 */
export const CODES = {
  serverError: -32000,
  sessionNotFound: -32001,
  parseError: ProtocolErrorCode.ParseError,
  invalidRequest: ProtocolErrorCode.InvalidRequest,
} as const;
