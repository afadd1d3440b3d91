// The seam between the agent loop and what an agent can call. The loop knows toolsets only: the local agent
// tools of the file are one toolset, each `mcpServers:` entry is another.
import type { JsonSchema, Part, Usage } from '../providers/types.js';
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
  call(name: string, args: unknown, ctx: RunContext): Promise<ToolsetResult>;
  /** Release what it holds (child processes, connections). */
  close?(): Promise<void>;
}
