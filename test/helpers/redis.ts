// A real redis-server for a test: its own loopback port and temp folder, nothing saved to disk, stopped after.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requireBinary, skipWithout, waitForPort } from './components.ts';

export const redisSkip = skipWithout('redis-server');

export interface RedisServer {
  url: string;
  port: number;
  /** SIGKILL: Redis gone at once, as in a crash (for the Redis-down tests); start() brings it back on the same port. */
  kill(): Promise<void>;
  /** Start again on the same port (after kill), empty. */
  start(): Promise<void>;
  /** The running server's process id (to SIGSTOP it: a Redis that accepts connections but never answers). */
  pid(): number;
  stop(): Promise<void>;
}

export async function startRedis(options: { password?: string } = {}): Promise<RedisServer> {
  const bin = requireBinary('redis-server');
  const dir = mkdtempSync(join(tmpdir(), 'agent-mcp-redis-'));
  const port = await freePort();
  let child: ReturnType<typeof spawn> | undefined;
  let exited: Promise<void> = Promise.resolve();
  let log = '';

  const start = async () => {
    const proc = spawn(
      bin,
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
        ...(options.password ? ['--requirepass', options.password] : []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    proc.stdout!.on('data', (c: Buffer) => (log += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    try {
      await waitForPort(port, 5000, () => proc.exitCode === null && proc.signalCode === null);
    } catch (err) {
      proc.kill('SIGKILL');
      throw new Error(`redis-server did not start: ${(err as Error).message}\n${log}`);
    }
  };
  const kill = async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    start,
    pid: () => child!.pid!,
    stop: async () => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
