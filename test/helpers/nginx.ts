// A real nginx for a test: a generated main config around a conf.d file (deploy/nginx/agent-mcp.conf), everything
// (pid, logs, temp files) in a temp folder given as the prefix, `daemon off` so it is our child, stopped after.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cli.ts';
import { freePort, requireBinary, skipWithout, waitForPort } from './components.ts';

export const nginxSkip = skipWithout('nginx');

export interface Nginx {
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  errorLog: () => string;
  stop(): Promise<void>;
}

/** Start nginx with `httpConf` (the inside of http {}) in which `listen 8080;` becomes the port nginx gets. */
export async function startNginx(httpConf: string): Promise<Nginx> {
  const bin = requireBinary('nginx');
  const dir = mkdtempSync(join(tmpdir(), 'agent-mcp-nginx-'));
  const port = await freePort();
  const site = httpConf.replace(/^(\s*)listen 8080;$/m, `$1listen 127.0.0.1:${port};`);
  if (site === httpConf) throw new Error('the nginx configuration has no `listen 8080;` line to replace');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${join(dir, t)};`).join('\n');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
master_process on;
worker_processes 1;
${process.getuid?.() === 0 ? 'user root;' : ''}
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 512; }
http {
    access_log off;
${temp}
${site}
}
`,
  );
  const errorLog = () => {
    try {
      return readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const child = spawn(bin, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // SIGTERM: nginx's fast shutdown, the master takes its workers down with it (SIGKILL would orphan them).
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, 5000, () => child.exitCode === null && child.signalCode === null);
  } catch (err) {
    const why = `nginx did not start: ${(err as Error).message}\n${stderr}${errorLog()}`;
    await stop();
    throw new Error(why);
  }
  return { origin: `http://127.0.0.1:${port}`, port, errorLog, stop };
}

/**
 * deploy/nginx/agent-mcp.conf as shipped, for replicas on these loopback ports: `replicaN:300N` becomes
 * 127.0.0.1:PORT, and so does the port that tells replica N's answers apart. Fewer than 3 ports: the missing
 * replicas' lines and upstream blocks go.
 */
export function deployConf(ports: number[]): string {
  let conf = readFileSync(join(ROOT, 'deploy/nginx/agent-mcp.conf'), 'utf8');
  for (let n = 1; n <= 3; n++) {
    const port = ports[n - 1];
    if (port === undefined) {
      conf = conf.replace(new RegExp(`^upstream agent_mcp_r${n} \\{[^}]*\\}\\n`, 'm'), '');
      conf = conf.replace(new RegExp(`^.*(replica${n}:|:300${n}\\\\).*\\n`, 'gm'), '');
    } else {
      conf = conf.replaceAll(`replica${n}:300${n}`, `127.0.0.1:${port}`).replaceAll(`:300${n}\\|`, `:${port}\\|`);
    }
  }
  return conf;
}
