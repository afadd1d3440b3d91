// Real components tests start for themselves (redis-server, nginx): finding the binary, a free loopback port, and
// whether a test runs. On a developer machine without the binary the test is skipped with the reason shown; in CI
// (CI=true) it runs and fails, since .ci/run installs them.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The binary's path, from PATH or the sbin folders (nginx lives in /usr/sbin, often not on a user's PATH). */
export function findBinary(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...SBIN]) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** For node:test's `skip`: a reason when the binary is missing here, false when the test must run. */
export function skipWithout(name: string): string | false {
  if (findBinary(name) || process.env.CI === 'true') return false;
  return `${name} not installed`;
}

/** The binary's path, or a clear failure (in CI, where a missing binary is a broken .ci/run, not a skip). */
export function requireBinary(name: string): string {
  const path = findBinary(name);
  if (!path) throw new Error(`${name} not installed (.ci/run installs it with apt-get)`);
  return path;
}

/** A port free right now on 127.0.0.1 (for servers that cannot be told to pick one themselves). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolve once something accepts connections on the port; bounded. */
export async function waitForPort(port: number, ms: number, alive: () => boolean): Promise<void> {
  const { connect } = await import('node:net');
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (!alive()) throw new Error('the process exited before it listened');
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
