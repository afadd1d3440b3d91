// Downstream servers for the toolset tests: the real third-party packages, started with node directly (no npx,
// no network), and a RunContext as the agent loop would hand one to a toolset.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RunContext } from '../../src/agent/run.ts';
import { ProgressReporter, type ProgressUpdate } from '../../src/agent/progress.ts';
import type { McpServerConfig } from '../../src/config/types.ts';
import { Logger } from '../../src/log.ts';

const require = createRequire(import.meta.url);

function binOf(pkg: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), 'dist/index.js');
}

export const FILESYSTEM_SERVER = binOf('@modelcontextprotocol/server-filesystem');
export const EVERYTHING_SERVER = binOf('@modelcontextprotocol/server-everything');

export function stdioServer(name: string, args: string[], extra: Partial<McpServerConfig> = {}): McpServerConfig {
  return {
    name,
    transport: 'stdio',
    command: process.execPath,
    args,
    exclude: [],
    timeoutMs: 30_000,
    startupTimeoutMs: 30_000,
    ...extra,
  };
}

/** A logger that keeps its lines (stderr of children arrives here). */
export function memoryLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = new Logger({ level: 'debug', format: 'text', write: (line) => lines.push(line) });
  return { log, lines };
}

export function runContext(
  log: Logger,
  overrides: Partial<RunContext> & Record<string, unknown> = {},
): RunContext & { updates: ProgressUpdate[] } {
  const updates: ProgressUpdate[] = [];
  return {
    signal: new AbortController().signal,
    log,
    progress: new ProgressReporter((u) => updates.push(u), { heartbeatMs: 3_600_000 }),
    depth: 0,
    updates,
    ...overrides,
  } as RunContext & { updates: ProgressUpdate[] };
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
