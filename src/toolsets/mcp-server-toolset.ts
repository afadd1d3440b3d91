// One `mcpServers:` entry as a Toolset: its tools (filtered by tools:/exclude:) named `server.tool`, called on the
// shared connection; every failure of the call (start, crash, timeout) is a tool error the model sees.
import type { RunContext } from '../agent/run.js';
import type { Toolset, ToolsetResult, ToolsetTool } from '../agent/toolset.js';
import { mcpToolAllowed } from '../config/mcp-servers.js';
import { errorMessage } from '../errors.js';
import type { ClientSession } from '../providers/client-session.js';
import { redact } from '../util/redact.js';
import type { DownstreamCaller } from './downstream-caller.js';
import type { McpConnection } from './mcp-connection.js';
import { mapDownstreamResult, toolError } from './mcp-result-mapping.js';

/** Our client, as the protocol layer puts it on the context (CallContext.client). */
type WithClient = RunContext & { client?: ClientSession };

export class McpServerToolset implements Toolset {
  readonly id: string;

  constructor(private readonly connection: McpConnection) {
    this.id = connection.config.name;
  }

  /** Tools as agents name them: `fs.read_text_file`. Starts the server if it is not running. */
  async list(ctx?: Pick<RunContext, 'signal'>): Promise<ToolsetTool[]> {
    const tools = await this.connection.listTools(ctx?.signal);
    return tools
      .filter((t) => mcpToolAllowed(this.connection.config, t.name))
      .map((t) => ({
        name: `${this.id}.${t.name}`,
        ...(t.description !== undefined && { description: t.description }),
        inputSchema: t.inputSchema as ToolsetTool['inputSchema'],
      }));
  }

  /**
   * What an agent's `tools:` entry picks here: `fs` every allowed tool, `fs.read_text_file` that one; [] for an
   * entry naming another toolset (without starting anything). A server that cannot start is an error naming why.
   */
  async select(entry: string, ctx?: Pick<RunContext, 'signal'>): Promise<ToolsetTool[]> {
    if (entry !== this.id && !entry.startsWith(`${this.id}.`)) return [];
    const tools = await this.list(ctx);
    return entry === this.id ? tools : tools.filter((t) => t.name === entry);
  }

  /** Every tool name the server lists, unfiltered (for `validate --connect`). */
  async listAll(): Promise<string[]> {
    return (await this.connection.listTools()).map((t) => t.name);
  }

  async call(name: string, args: unknown, ctx: WithClient): Promise<ToolsetResult> {
    const tool = name.startsWith(`${this.id}.`) ? name.slice(this.id.length + 1) : name;
    const { config } = this.connection;
    if (!mcpToolAllowed(config, tool))
      return toolError(`tool ${tool} of MCP server ${this.id} is not allowed (see mcpServers.${this.id}.tools / exclude)`);
    const input = args && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
    const client = ctx.client;
    const deadline = ctx.deadline;
    const caller: DownstreamCaller = {
      agent: ctx.agent,
      signal: ctx.signal,
      log: ctx.log,
      generate: ctx.generate,
      ...(client?.capabilities?.elicitation && { elicit: (params, options) => client.elicit(params, options) }),
      remainingMs: () => (deadline === undefined ? config.timeoutMs : deadline - Date.now()),
    };
    const label = `${this.id}.${tool}`;
    try {
      const result = await this.connection.callTool(tool, input, caller, (message) => ctx.progress.step(`${label}: ${message}`));
      return mapDownstreamResult(result);
    } catch (err) {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? err; // our call was cancelled: nobody reads a result
      return toolError(this.failure(label, err));
    }
  }

  /** Stop the server (a Runtime closing, or a reload that dropped or changed this entry). */
  close(): Promise<void> {
    return this.connection.close();
  }

  private failure(label: string, err: unknown): string {
    const code = (err as { code?: unknown }).code;
    const message = redact(errorMessage(err));
    if (code === 'REQUEST_TIMEOUT' || /timed out/i.test(message))
      return `${label} did not answer within ${this.connection.config.timeoutMs / 1000}s (mcpServers.${this.id}.timeout)`;
    if (code === 'CONNECTION_CLOSED' || /connection closed/i.test(message))
      return `${label} failed: MCP server ${this.id} closed the connection during the call (it restarts on next use)`;
    return `${label} failed: ${message}`;
  }
}
