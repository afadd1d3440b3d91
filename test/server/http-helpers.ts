// Shared by the HTTP tests: start `agent-mcp serve --http --port 0` as a child, connect SDK clients, speak raw HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { BIN, cleanEnv, writeConfig } from '../helpers/cli.ts';

export const YAML = `
models:
  t: { provider: test }
  slow: { provider: test, delay: 300ms }
  stuck: { provider: test, delay: 20s }
defaults:
  model: t
tools:
  echo:
    prompt: say {{word}}
    input:
      word: { type: string }
  slow:
    model: slow
    prompt: wait for {{word}}
    input:
      word: { type: string }
  stuck:
    model: stuck
    prompt: never {{word}}
    input:
      word: { type: string }
`;

export interface Running {
  url: string;
  /** http://host:port, for /healthz. */
  origin: string;
  child: ChildProcess;
  stderr: () => string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  stop: () => Promise<void>;
}

/** Start the built CLI serving `yaml` over HTTP; resolves once it printed the URL it listens on. */
export function startHttp(args: string[] = [], options: { yaml?: string; env?: Record<string, string> } = {}): Promise<Running> {
  const file = writeConfig(options.yaml ?? YAML);
  const child = spawn(process.execPath, [BIN, 'serve', file, '--http', '--port', '0', ...args], {
    env: options.env ?? cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /^agent-mcp listening on (\S+)$/m.exec(err);
      if (m) {
        const url = m[1]!;
        resolve({
          url,
          origin: new URL(url).origin,
          child,
          stderr: () => err,
          exited,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${err}`)));
  });
}

export async function connect(
  url: string,
  headers: Record<string, string> = {},
  capabilities = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client({ name: 'http-tests', version: '1.0.0' }, { capabilities });
  await client.connect(transport);
  return { client, transport };
}

/** Close a client and end its session on the server. */
export async function disconnect({ client, transport }: { client: Client; transport: StreamableHTTPClientTransport }): Promise<void> {
  await transport.terminateSession();
  await client.close();
}

export async function health(origin: string): Promise<{ status: string; sessions: number; inflight: number }> {
  const res = await fetch(`${origin}/healthz`);
  return (await res.json()) as never;
}

/** Poll /healthz until `ok` says so (the server does its bookkeeping after the response is written); bounded generously for a loaded machine. */
export async function waitForHealth(
  origin: string,
  ok: (h: { sessions: number; inflight: number }) => boolean,
  ms = 10_000,
): Promise<{ sessions: number; inflight: number }> {
  const until = Date.now() + ms;
  for (;;) {
    const h = await health(origin);
    if (ok(h) || Date.now() > until) return h;
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const ACCEPT_BOTH = 'application/json, text/event-stream';
export const PROTOCOL = '2025-11-25';

export function initializeBody(id: number | string = 1): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });
}

export function post(url: string, body: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/json', Accept: ACCEPT_BOTH, ...headers }, signal });
}

/** Initialize a session by hand; resolves with its id. */
export async function rawSession(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await post(url, initializeBody(), headers);
  await res.text();
  const id = res.headers.get('mcp-session-id');
  if (!id) throw new Error(`no session id (HTTP ${res.status})`);
  const done = await post(url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), {
    'Mcp-Session-Id': id,
    'Mcp-Protocol-Version': PROTOCOL,
    ...headers,
  });
  await done.text();
  return id;
}

export interface SseEvent {
  id?: string;
  data: string;
}

/** Read SSE events from a response body, one at a time. */
export async function* sseEvents(res: Response): AsyncGenerator<SseEvent> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(':')) continue; // keep-alive comment
        const event: SseEvent = { data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) event.id = line.slice(4);
          else if (line.startsWith('data: ')) event.data += line.slice(6);
        }
        yield event;
      }
    }
  } finally {
    reader.releaseLock();
  }
}
