// One downstream MCP server: started on first use, shared by every call and session, its tool list cached (and
// refreshed on tools/list_changed), restarted on next use after a crash (with backoff), closed on demand.
import type { Readable } from 'node:stream';
import type { CallToolResult, Client, PriorDiscovery, Tool, Transport } from '@modelcontextprotocol/client';
import type { McpServerConfig } from '../config/types.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { fromCreateMessageParams, toCreateMessageResult } from '../providers/sampling.js';
import { lazyBuiltin } from '../util/builtins.js';
import { redact } from '../util/redact.js';
import { answerElicitation, CallerTracker, type DownstreamCaller, eitherSignal, whoseRequest } from './downstream-caller.js';
import { loadMcpClientSdk, type McpClientSdk } from './mcp-client-loader.js';

const readline = lazyBuiltin<typeof import('node:readline')>('node:readline');

declare const AGENT_MCP_VERSION: string;
const VERSION = typeof AGENT_MCP_VERSION === 'string' ? AGENT_MCP_VERSION : '0.0.0';

export type McpServerState = 'idle' | 'starting' | 'ready' | 'restarting' | 'failed' | 'closed';

/** What /healthz and `validate --connect` show of a server. */
export interface McpServerStatus {
  name: string;
  transport: McpServerConfig['transport'];
  state: McpServerState;
  pid?: number;
  era?: string;
  tools?: number;
  restarts: number;
  inFlight: number;
  lastError?: string;
}

/** The longest wait between restarts of a server that keeps failing. */
export const MAX_BACKOFF_MS = 30_000;
/** Longest stderr line passed to our log. */
const MAX_STDERR_LINE = 2_000;

/** 0 for the first restart (a crash once is not a pattern), then 1s, 2s, 4s... up to 30s. */
export function backoffMs(failures: number): number {
  return failures <= 1 ? 0 : Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - 2));
}

interface Live {
  client: Client;
  transport: Transport;
  pid?: number;
  /** Set when the connection ended (a crash, or our close). */
  ended: boolean;
}

export class McpConnection {
  private live: Live | undefined;
  private starting: Promise<Live> | undefined;
  private tools: Tool[] | undefined;
  private listing: Promise<Tool[]> | undefined;
  private prior: PriorDiscovery | undefined;
  private failures = 0;
  private lastFailureAt = 0;
  private starts = 0;
  private closing = false;
  private lastError: string | undefined;
  private stateNow: McpServerState = 'idle';
  readonly callers = new CallerTracker();

  constructor(
    readonly config: McpServerConfig,
    private readonly log: Logger,
    /** Told the pid of each child started and ended (so none outlives us). */
    private readonly children: { add(pid: number): void; delete(pid: number): void },
  ) {}

  get state(): McpServerState {
    return this.stateNow;
  }

  status(): McpServerStatus {
    return {
      name: this.config.name,
      transport: this.config.transport,
      state: this.stateNow,
      ...(this.live?.pid !== undefined && !this.live.ended && { pid: this.live.pid }),
      ...(this.live && !this.live.ended && { era: this.live.client.getProtocolEra() }),
      ...(this.tools && { tools: this.tools.length }),
      restarts: Math.max(0, this.starts - 1),
      inFlight: this.callers.size,
      ...(this.lastError !== undefined && { lastError: this.lastError }),
    };
  }

  /** The server's tools (unfiltered), listed once and cached until it says they changed or it restarts. */
  async listTools(signal?: AbortSignal): Promise<Tool[]> {
    const live = await this.connection(signal);
    if (this.tools) return this.tools;
    this.listing ??= live.client
      .listTools(undefined, { timeout: this.config.timeoutMs, signal })
      .then((r) => (this.tools = r.tools))
      .finally(() => (this.listing = undefined));
    return this.listing;
  }

  /** Call a tool. Throws when the call itself fails (crash, timeout, cancel); an isError result is a result. */
  async callTool(
    name: string,
    args: Record<string, unknown>,
    caller: DownstreamCaller,
    onProgress: (message: string) => void,
  ): Promise<CallToolResult> {
    const live = await this.connection(caller.signal);
    return this.callers.run(caller, async () => {
      const result = (await live.client.callTool(
        { name, arguments: args },
        {
          signal: caller.signal,
          timeout: this.config.timeoutMs,
          maxTotalTimeout: this.config.timeoutMs,
          onprogress: (p) => onProgress(p.message ?? (p.total ? `${p.progress}/${p.total}` : `${p.progress}`)),
        },
      )) as CallToolResult;
      this.failures = 0; // a server that answers is healthy again: the next crash restarts it at once
      return result;
    });
  }

  /** The live connection, starting (or restarting) the server when there is none. */
  private async connection(signal?: AbortSignal): Promise<Live> {
    if (this.closing) throw new Error(`MCP server ${this.config.name} is shut down`);
    if (this.live && !this.live.ended) return this.live;
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    if (!signal) return this.starting;
    // One caller giving up does not stop the start the others share.
    return new Promise<Live>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.starting!.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async start(): Promise<Live> {
    const { name } = this.config;
    const wait = this.lastFailureAt + backoffMs(this.failures) - Date.now();
    this.stateNow = this.starts > 0 ? 'restarting' : 'starting';
    if (wait > 0) {
      this.log.info(`MCP server ${name}: restarting in ${Math.ceil(wait / 1000)}s`, { server: name });
      await new Promise((r) => setTimeout(r, wait).unref());
    }
    if (this.closing) throw new Error(`MCP server ${name} is shut down`);
    this.starts++;
    this.tools = undefined;
    const sdk = await loadMcpClientSdk();
    const client = this.newClient(sdk);
    const started = Date.now();
    let transport: Transport | undefined;
    try {
      transport = await this.connect(sdk, client);
    } catch (err) {
      this.failures++;
      this.lastFailureAt = Date.now();
      this.lastError = redact(errorMessage(err));
      this.stateNow = this.closing ? 'closed' : 'failed';
      await client.close().catch(() => {});
      throw new Error(`MCP server ${name} did not start: ${this.lastError}`);
    }
    const live: Live = { client, transport, pid: (transport as { pid?: number | null }).pid ?? undefined, ended: false };
    if (live.pid !== undefined) this.children.add(live.pid);
    client.onclose = () => this.ended(live);
    this.live = live;
    this.stateNow = 'ready';
    this.lastError = undefined;
    const era = client.getProtocolEra();
    if (era === 'legacy') this.prior = { kind: 'legacy' };
    this.log.info(`MCP server ${name} started`, {
      server: name,
      ...(live.pid !== undefined && { pid: live.pid }),
      era,
      version: client.getNegotiatedProtocolVersion(),
      ms: Date.now() - started,
    });
    return live;
  }

  private ended(live: Live): void {
    if (live.ended) return;
    live.ended = true;
    if (live.pid !== undefined) this.children.delete(live.pid);
    if (this.live !== live) return;
    this.tools = undefined;
    if (this.closing) {
      this.stateNow = 'closed';
      return;
    }
    this.failures++;
    this.lastFailureAt = Date.now();
    this.lastError = 'the connection closed (the server exited or disconnected)';
    this.stateNow = 'failed';
    this.log.warn(`MCP server ${this.config.name} closed the connection; it restarts on next use`, { server: this.config.name });
  }

  private newClient(sdk: McpClientSdk): Client {
    const { name } = this.config;
    const client = new sdk.Client(
      { name: 'agent-mcp', version: VERSION },
      {
        capabilities: { sampling: { tools: {} }, elicitation: { form: {} } },
        versionNegotiation: { mode: 'auto', probe: { timeoutMs: Math.min(this.config.startupTimeoutMs, 10_000) } },
        listChanged: {
          tools: {
            onChanged: (error, tools) => {
              this.tools = error ? undefined : (tools ?? undefined);
              this.log.info(`MCP server ${name}: its tools changed`, { server: name, tools: tools?.length });
            },
          },
        },
      },
    );
    client.onerror = (err) => this.log.debug(`MCP server ${name}: ${redact(errorMessage(err))}`, { server: name });
    client.setRequestHandler('sampling/createMessage', async (request, ctx) => {
      const caller = whoseRequest(name, this.callers.current(), 'a sampling request');
      if (!caller.generate) throw new Error(`a sampling request from MCP server ${name}: the calling agent has no model to answer it`);
      const both = eitherSignal(ctx.mcpReq.signal, caller.signal);
      try {
        caller.log.info(`MCP server ${name} asked for a completion; the agent's model answers`, { server: name, agent: caller.agent });
        const result = await caller.generate(fromCreateMessageParams(request.params as never, both.signal));
        return toCreateMessageResult(result, Boolean(request.params.tools || request.params.toolChoice)) as never;
      } finally {
        both.dispose();
      }
    });
    client.setRequestHandler('elicitation/create', async (request, ctx) => {
      const current = this.callers.current();
      if ('ambiguous' in current) {
        this.log.warn(`MCP server ${name} asked the user for input; declined: it belongs to no single call in flight`, { server: name });
        return { action: 'decline' };
      }
      return (await answerElicitation(name, current, request.params as never, ctx.mcpReq.signal)) as never;
    });
    return client;
  }

  /** Connect over the configured transport; a remote server that refuses Streamable HTTP is tried over SSE. */
  private async connect(sdk: McpClientSdk, client: Client): Promise<Transport> {
    const { config } = this;
    const options = { timeout: config.startupTimeoutMs, ...(this.prior && { prior: this.prior }) };
    if (config.transport === 'stdio') {
      const transport = new sdk.StdioClientTransport({
        command: config.command!,
        args: config.args,
        ...(config.env && { env: config.env }),
        cwd: config.cwd,
        stderr: 'pipe',
      });
      this.pipeStderr(transport.stderr as Readable | null);
      await client.connect(transport, options);
      return transport;
    }
    const url = new URL(config.url!);
    const requestInit = config.headers ? { headers: config.headers } : undefined;
    if (config.transport === 'http') {
      const transport = new sdk.StreamableHTTPClientTransport(url, { requestInit });
      try {
        await client.connect(transport, options);
        return transport;
      } catch (err) {
        const status = (err as { code?: unknown; status?: unknown }).status ?? (err as { code?: unknown }).code;
        if (!(typeof status === 'number' && status >= 400 && status < 500 && status !== 401 && status !== 403)) throw err;
        this.log.info(`MCP server ${config.name} refused Streamable HTTP (${status}); trying SSE`, { server: config.name });
        await transport.close().catch(() => {});
      }
    }
    const sse = new sdk.SSEClientTransport(url, {
      requestInit,
      ...(config.headers && { eventSourceInit: { headers: config.headers } as never }),
    });
    await client.connect(sse, options);
    return sse;
  }

  private pipeStderr(stream: Readable | null): void {
    if (!stream) return;
    const { name } = this.config;
    const lines = readline().createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (line.trim())
        this.log.info(`[${name}] ${line.length > MAX_STDERR_LINE ? `${line.slice(0, MAX_STDERR_LINE)}...` : line}`, { server: name });
    });
  }

  /** Stop the server (the SDK ends its stdin, then SIGTERM, then SIGKILL); later calls restart nothing. */
  async close(): Promise<void> {
    this.closing = true;
    const live = this.live;
    this.stateNow = 'closed';
    await this.starting?.catch(() => {});
    const current = this.live ?? live;
    if (current && !current.ended) await current.client.close().catch(() => {});
    if (current) this.ended(current);
  }
}
