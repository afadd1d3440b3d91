// `agent-mcp call --url`: reach a running Streamable HTTP server instead of spawning one.
import { SdkHttpError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { AgentMcpError } from '../errors.js';
import { redact, registerSecret } from '../util/redact.js';

/** `Name: value` words -> headers; a malformed one is bad usage. */
export function parseHeaders(words: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const word of words) {
    const m = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*:\s*(.*)$/.exec(word);
    if (!m) throw new AgentMcpError(`--header: expected "Name: value", got "${word}"`, 2);
    headers[m[1]!] = m[2]!;
    // A token given on the command line stays out of every message we print.
    if (/^authorization$/i.test(m[1]!)) registerSecret(m[2]!.replace(/^Bearer\s+/i, ''));
  }
  return headers;
}

export function httpClientTransport(url: string, headerWords: string[]): StreamableHTTPClientTransport {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AgentMcpError(`--url: not a URL: "${url}"`, 2);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new AgentMcpError(`--url: expected an http:// or https:// URL, got "${url}"`, 2);
  return new StreamableHTTPClientTransport(parsed, { requestInit: { headers: parseHeaders(headerWords) } });
}

/** A failure to talk to the server, said plainly (the HTTP status and the server's own message). */
export function connectError(err: unknown, url: string): AgentMcpError {
  if (err instanceof SdkHttpError) {
    const json = /\{.*\}$/s.exec(err.message)?.[0];
    let message = err.message.replace(/^Streamable HTTP error: /, '');
    try {
      message = (JSON.parse(json ?? '') as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // not a JSON-RPC body: keep the SDK's text
    }
    return new AgentMcpError(redact(`${url}: HTTP ${err.status}: ${message}`), 1);
  }
  const cause = (err as { cause?: unknown })?.cause;
  const why =
    causeCode(err) === 'ECONNREFUSED'
      ? 'connection refused (is `agent-mcp serve --http` running?)'
      : `${err instanceof Error ? err.message : String(err)}${cause instanceof Error ? `: ${cause.message}` : ''}`;
  return new AgentMcpError(redact(`${url}: ${why}`), 1);
}

/** The system error code anywhere down an error's cause chain (fetch wraps it: "fetch failed" <- ECONNREFUSED). */
function causeCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
