// The stdio transport: JSON-RPC on stdout only; ends when stdin ends (the SDK's transport does not notice).
import { format } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Logger } from '../log.js';
import { buildServer, type ServerDeps } from './build.js';

/** Serve until stdin closes or a signal arrives; resolves with the reason. */
export async function serveStdio(deps: ServerDeps, log: Logger): Promise<string> {
  // A stray console.log from any library would corrupt the JSON-RPC stream: send it to the logger (stderr) instead,
  // formatted like every other line (JSON lines stay JSON).
  console.log = console.info = console.debug = (...args: unknown[]) => log.debug(format(...args));
  console.warn = console.error = (...args: unknown[]) => log.warn(format(...args));
  const server = buildServer(deps);
  const transport = new StdioServerTransport();
  const stopped = new Promise<string>((resolve) => {
    process.stdin.once('end', () => resolve('stdin ended'));
    process.stdin.once('close', () => resolve('stdin closed'));
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    transport.onclose = () => resolve('transport closed');
  });
  await server.connect(transport);
  log.debug('serving on stdio', { tools: deps.runner.current.tools.size });
  const reason = await stopped;
  log.debug(`stopping: ${reason}`);
  // Never wait long for a close: a provider request in flight must not keep the process alive.
  await Promise.race([server.close().catch(() => {}), new Promise((r) => setTimeout(r, 200).unref())]);
  return reason;
}
