// The stdio transport: JSON-RPC on stdout only; both eras on one pipe. The SDK's serveStdio reads the opening
// message (server/discover or a modern request -> 2026-07-28; initialize -> the 2025 era) and pins one Server from
// our factory for the connection. Every stdin line passes our guard first (stdio-input.ts). We end on stdin's end,
// a signal, or the transport closing.
import type { Writable } from 'node:stream';
import { format } from 'node:util';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { serveStdio as serveBothEras, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { Logger } from '../log.js';
import { buildServer, type ServerDeps } from './build.js';
import { MAX_LINE_BYTES, StdioInputGuard } from './stdio-input.js';

/** Serve until stdin closes or a signal arrives; resolves with the reason. */
export async function serveStdio(deps: ServerDeps, log: Logger, options: { maxLineBytes?: number } = {}): Promise<string> {
  // A stray console.log from any library would corrupt the JSON-RPC stream: send it to the logger (stderr) instead,
  // formatted like every other line (JSON lines stay JSON).
  console.log = console.info = console.debug = (...args: unknown[]) => log.debug(format(...args));
  console.warn = console.error = (...args: unknown[]) => log.warn(format(...args));
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  let transport: GuardedStdioTransport | undefined;
  const input = new StdioInputGuard({
    maxLineBytes,
    reject: (r) => {
      log.debug(`stdio: refused a message: ${r.message}`);
      void transport?.send({ jsonrpc: '2.0', id: r.id as string, error: { code: r.code, message: r.message } }).catch(() => {});
    },
    note: (message) => log.warn(`stdio: ${message}`),
  });
  process.stdin.pipe(input);
  // Only accepted messages reach the transport, so the SDK's line limit never closes the connection.
  transport = new GuardedStdioTransport(input, process.stdout);
  let closed: (reason: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    closed = resolve;
    process.stdin.once('end', () => resolve('stdin ended'));
    process.stdin.once('close', () => resolve('stdin closed'));
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const handle = serveBothEras(({ era }) => buildServer(deps, era), { transport, onerror: (err) => log.debug(`stdio: ${err.message}`) });
  // The entry owns the transport's callbacks; chain ours (a broken stdout closes it too).
  const onclose = transport.onclose;
  transport.onclose = () => {
    onclose?.();
    closed('transport closed');
  };
  log.debug('serving on stdio', { tools: deps.runner.current.tools.size });
  const reason = await stopped;
  log.debug(`stopping: ${reason}`);
  // Never wait long for a close: a provider request in flight must not keep the process alive.
  await Promise.race([handle.close().catch(() => {}), new Promise((r) => setTimeout(r, 200).unref())]);
  return reason;
}

/**
 * The SDK's stdio transport (its writing, closing and error handling as they are), reading the guard's messages:
 * each line was parsed and checked there, so it is not parsed and validated a second time (~half the per-message
 * cost of reading stdin).
 */
class GuardedStdioTransport extends StdioServerTransport {
  constructor(input: StdioInputGuard, stdout: Writable) {
    super(input, stdout);
    this._ondata = ((message: JSONRPCMessage) => {
      try {
        this.onmessage?.(message);
      } catch (err) {
        this.onerror?.(err instanceof Error ? err : new Error(String(err)));
      }
    }) as unknown as (chunk: Buffer) => void;
  }
}
