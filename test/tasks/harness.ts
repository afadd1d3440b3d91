// Shared by the task tests: a served config in process (the 2025 era over the SDK's in-memory transport), the fake
// OpenAI server the `slow` model talks to (its requests hang until the run is cancelled), and small helpers.
import { Client, InMemoryTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { JsonRpcResponse, RawClientDispatch } from '@modelcontextprotocol/ext-tasks/client';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { Runtime } from '../../src/agent/runtime.ts';
import { loadConfigFile } from '../../src/config/load.ts';
import { Logger } from '../../src/log.ts';
import { buildServer } from '../../src/server/build.ts';
import { TaskRuntime } from '../../src/server/task-runtime.ts';
import { InProcessTaskQueue } from '../../src/tasks/in-process-queue.ts';
import { MemoryTaskStore } from '../../src/tasks/memory-store.ts';
import { mcpToolsets } from '../../src/toolsets/config-toolsets.ts';
import { writeConfig } from '../helpers/cli.ts';

// The task-aware client polls every pollInterval: short, so the tests do not wait on it.
export const taskConfig = (openaiUrl: string, extra = '') => `
server:
  tasks: { resultTtl: 10m, pollInterval: 20ms, maxTasks: 5, maxResultBytes: 2kb, resultWait: 40s }
models:
  slow: { provider: openai, model: gpt-slow, baseURL: "${openaiUrl}", apiKey: sk-test-tasks-1234567, maxRetries: 0 }
  quick: { provider: test, responses: ["a quick answer"] }
  big: { provider: test, responses: ["${'x'.repeat(3000)}"] }
tools:
  research:
    description: Research a topic
    prompt: research {{topic}}
    input: { topic: { type: string } }
    model: quick
    task: optional
  long:
    prompt: take long on {{topic}}
    input: { topic: { type: string } }
    model: slow
    task: { mode: required, plainTools: true }
  huge:
    prompt: say a lot
    model: big
    task: optional
  poet:
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
    model: sampling
    task: optional
  summary:
    prompt: summarise {{topic}}
    input: { topic: { type: string } }
    output: { type: object, properties: { summary: { type: string } }, required: [summary] }
    model: test
    task: { mode: required, plainTools: true }
  brief:
    prompt: briefly {{topic}}
    input: { topic: { type: string } }
    model: quick
    timeout: 30s
    task: optional
  plain:
    prompt: hello
    model: quick
${extra}`;

export interface Served {
  runtime: Runtime;
  tasks: TaskRuntime;
  client: Client;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** The task store's clock (expiry tests). */
  now?: () => number;
  /** Collects the server's log lines. */
  logs?: string[];
}

/** The Runtime (with its mcpServers toolsets) and an in-memory task runtime on the store's clock. */
function setup(yaml: string, options: ServeOptions) {
  const log = new Logger({ level: 'info', format: 'text', write: (line) => void options.logs?.push(line) });
  const config = loadConfigFile(writeConfig(yaml));
  const mcp = mcpToolsets(log);
  const runtime = new Runtime(config, { log, toolsets: mcp.forConfig });
  const tasks = new TaskRuntime(
    runtime,
    log,
    new MemoryTaskStore({ maxTasks: config.server.tasks.maxTasks, now: options.now }),
    new InProcessTaskQueue(),
  );
  const close = async () => {
    await tasks.close();
    await runtime.close();
    await mcp.close();
  };
  return { log, runtime, tasks, close };
}

/** One server connection in process, in the 2025 era (versionNegotiation legacy) or the modern one. */
/** A 2025-era connection in process (the SDK's in-memory transport); `connect()` opens another to the same server. */
export async function serveLegacy(
  yaml: string,
  options: ServeOptions & { capabilities?: Record<string, unknown> } = {},
): Promise<Served & { connect(): Promise<Client>; received: { method?: string; params?: Record<string, unknown> }[] }> {
  const { log, runtime, tasks, close } = setup(yaml, options);
  const open: { client: Client; close(): Promise<unknown> }[] = [];
  const connect = async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const served = serveStdio(({ era }) => buildServer({ runner: runtime, log, tasks }, era), { transport: serverSide });
    const client = new Client(
      { name: 'task-tests', version: '1.0.0' },
      { capabilities: (options.capabilities ?? { sampling: {} }) as never, versionNegotiation: { mode: 'legacy' } },
    );
    await client.connect(clientSide);
    // Record what the server sends (the SDK client drops progress for a request it already has the answer to).
    const deliver = clientSide.onmessage!;
    clientSide.onmessage = (message, extra) => {
      received.push(message as never);
      deliver(message, extra);
    };
    open.push({ client, close: () => served.close() });
    return client;
  };
  const received: { method?: string; params?: Record<string, unknown> }[] = [];
  const client = await connect();
  return {
    runtime,
    tasks,
    client,
    connect,
    received,
    async close() {
      for (const o of open) {
        await o.client.close();
        await o.close();
      }
      await close();
    },
  };
}

export interface ServedModern extends Served {
  /** Send one 2026-07-28 request as is (headers as a client sends them) and read its JSON-RPC answer. */
  rawDispatch: RawClientDispatch;
  /** POST one JSON-RPC message with exactly these extra headers; the JSON-RPC answer. */
  post(message: Record<string, unknown>, headers: Record<string, string>): Promise<JsonRpcResponse>;
  framing: { protocolVersion: string; clientInfo: { name: string; version: string }; clientCapabilities: Record<string, unknown> };
}

const ENDPOINT = 'http://127.0.0.1/mcp';

/** The 2026-07-28 era in process: the SDK's web-standard handler (what `--http` serves), reached without a socket. */
export async function serveModern(
  yaml: string,
  options: ServeOptions & { capabilities?: Record<string, unknown> } = {},
): Promise<ServedModern> {
  const capabilities = options.capabilities ?? { sampling: {} };
  const { log, runtime, tasks, close } = setup(yaml, options);
  const handler = createMcpHandler(() => buildServer({ runner: runtime, log, tasks }, 'modern', { listChanged: false }), {
    legacy: 'reject',
  });
  const fetchIn: typeof fetch = async (url, init) => handler.fetch(new Request(url as string, init));
  const client = new Client(
    { name: 'task-tests', version: '1.0.0' },
    { capabilities: capabilities as never, versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(ENDPOINT), { fetch: fetchIn }));
  const { post, rawDispatch } = dispatcher(ENDPOINT, fetchIn);
  return {
    runtime,
    tasks,
    client,
    rawDispatch,
    post,
    framing: { protocolVersion: '2026-07-28', clientInfo: { name: 'task-tests', version: '1.0.0' }, clientCapabilities: capabilities },
    async close() {
      await client.close();
      await handler.close();
      await close();
    },
  };
}

/** Raw 2026-07-28 requests to one endpoint, with the headers a client sends (Mcp-Method; Mcp-Name = tool or task). */
export function dispatcher(url: string, fetchImpl: typeof fetch) {
  let id = 0;
  const post = async (message: Record<string, unknown>, headers: Record<string, string>, signal?: AbortSignal) => {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        ...headers,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, ...message }),
      ...(signal && { signal }),
    });
    return toRpcResponse(await response.text());
  };
  const rawDispatch: RawClientDispatch = async (request, options) => {
    const message = request as { method: string; params?: Record<string, unknown> };
    const name = message.params?.taskId ?? message.params?.name;
    return post(message, { 'mcp-method': message.method, ...(typeof name === 'string' && { 'mcp-name': name }) }, options?.signal);
  };
  return { post, rawDispatch };
}

/** A JSON body, or the SSE stream's answer (its last message with an id). */
function toRpcResponse(text: string): JsonRpcResponse {
  const messages = text.trimStart().startsWith('{')
    ? [JSON.parse(text)]
    : text
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .filter(Boolean)
        .map((l) => JSON.parse(l));
  const answer = messages.filter((m) => m.id !== undefined).at(-1);
  if (!answer) throw new Error(`no JSON-RPC answer in: ${text.slice(0, 200)}`);
  return answer.error ? { kind: 'error', error: answer.error } : { kind: 'result', result: answer.result };
}

/** The envelope a 2026-07-28 request carries in `_meta` (what rawDispatch sends must carry it, as a client would). */
export function envelope(capabilities: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'task-tests', version: '1.0.0' },
    'io.modelcontextprotocol/clientCapabilities': capabilities,
  };
}

/** Poll (bounded) until `ok` holds: for state another party changes on its own time. */
export async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
