// The seam between the agent loop and what an agent can call. The loop knows toolsets only: the local agent
// tools of the file are one toolset, each `mcpServers:` entry is another.
import type { Part, Usage } from '../providers/types.js';
import type { JsonSchema } from '../util/json-schema.js';
import type { RunContext } from './run.js';

/** A tool as the agent's file names it: `critic` (a local agent), `fs.read_text_file` (a server's tool). */
export interface ToolsetTool {
  name: string;
  description?: string;
  inputSchema: JsonSchema;
}

/** What one tool call hands back to the loop; an error is shown to the model, it does not fail the run. */
export interface ToolsetResult {
  content: Part[];
  structured?: Record<string, unknown>;
  isError: boolean;
  /** Tokens spent inside the call (a nested agent's), added to the caller's usage. */
  usage?: Usage;
}

export interface Toolset {
  /** Short id for logs and errors: `agents`, or the `mcpServers:` entry's name. */
  readonly id: string;
  /** The tools this toolset offers now (a server's list may change; local agents follow the call's config). */
  list(ctx: RunContext): Promise<ToolsetTool[]>;
  /**
   * The tools one entry of an agent's `tools:` list picks here, [] when it names none of this toolset's:
   * `critic` picks a local agent; `fs` a whole server, `fs.read_text_file` one of its tools.
   */
  select(entry: string, ctx: RunContext): Promise<ToolsetTool[]>;
  /** `name` as list() and select() gave it. */
  call(name: string, args: unknown, ctx: RunContext): Promise<ToolsetResult>;
  /** Release what it holds (child processes, connections). */
  close?(): Promise<void>;
}

/** A tool the model may call in one run, and the toolset that answers it. */
export interface ResolvedTool {
  toolset: Toolset;
  tool: ToolsetTool;
}

/**
 * An agent's `tools:` entries -> the tools its model sees, in order, each once. The first toolset that knows an
 * entry answers for it; `missing` lists the entries none knows (the run reports them rather than hide a tool).
 */
export async function resolveTools(
  entries: readonly string[],
  toolsets: readonly Toolset[],
  ctx: RunContext,
): Promise<{ tools: Map<string, ResolvedTool>; missing: string[] }> {
  const tools = new Map<string, ResolvedTool>();
  const missing: string[] = [];
  for (const entry of entries) {
    let found = false;
    for (const toolset of toolsets) {
      const picked = await toolset.select(entry, ctx);
      if (!picked.length) continue;
      found = true;
      for (const tool of picked) if (!tools.has(tool.name)) tools.set(tool.name, { toolset, tool });
      break;
    }
    if (!found) missing.push(entry);
  }
  return { tools, missing };
}
