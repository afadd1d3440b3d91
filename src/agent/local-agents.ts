// The agent tools of one loaded config, as a toolset: every call, from an MCP client or from another agent,
// goes through here (validate the arguments, run the agent, log the call).
import type { Config, ToolConfig } from '../config/types.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { nestsDeeperThan } from '../util/depth.js';
import { compileValidator, type Validator } from '../util/json-schema.js';
import type { Deadlines } from './deadlines.js';
import { runAgent, RunSuspended, type AgentOutcome, type RunContext, type RunSnapshot } from './run.js';
import type { Toolset, ToolsetResult, ToolsetTool } from './toolset.js';

/** Deeper than any tool's arguments need. */
export const MAX_ARGUMENT_DEPTH = 64;

export interface LocalAgentsDeps {
  registry: ProviderRegistry;
  deadlines: Deadlines;
  /** Every toolset of this config, this one included: what the agents' `tools:` entries resolve against. */
  toolsets: readonly Toolset[];
}

export class LocalAgents implements Toolset {
  readonly id = 'agents';
  private readonly validators = new Map<ToolConfig, Validator>();

  constructor(
    readonly config: Config,
    private readonly deps: LocalAgentsDeps,
  ) {}

  async list(): Promise<ToolsetTool[]> {
    return [...this.config.tools.values()].map(describe);
  }

  async select(entry: string): Promise<ToolsetTool[]> {
    const tool = this.config.tools.get(entry);
    return tool ? [describe(tool)] : [];
  }

  async call(name: string, args: unknown, ctx: RunContext): Promise<ToolsetResult> {
    // A resume point is for this agent alone, not for the agents it calls in turn.
    const { resume, ...own } = ctx;
    const outcome = await this.run(name, args, own, resume);
    return {
      content: [{ type: 'text', text: outcome.text }],
      ...(outcome.structured && { structured: outcome.structured }),
      isError: outcome.isError,
      usage: outcome.usage,
    };
  }

  /** One agent call, with what the MCP layer reports besides the result (model, steps, usage). */
  async run(name: string, rawArgs: unknown, ctx: RunContext, resume?: RunSnapshot): Promise<AgentOutcome> {
    const started = performance.now();
    const tool = this.config.tools.get(name);
    const empty = { inputTokens: 0, outputTokens: 0 };
    if (!tool) return { text: `unknown tool "${name}"`, isError: true, steps: 0, usage: empty };
    // Validation fills defaults in place. No copy: the arguments are always fresh JSON (an MCP request's params,
    // or a model's tool call just parsed), and a structuredClone costs ~9 us of a call's path.
    const args = (rawArgs ?? {}) as Record<string, unknown>;
    // Validation, templates and logs all recurse: a hostile nest would overflow the stack in any of them.
    if (nestsDeeperThan(args, MAX_ARGUMENT_DEPTH)) {
      return {
        text: `Invalid arguments for tool ${name}: nested more than ${MAX_ARGUMENT_DEPTH} levels deep`,
        isError: true,
        steps: 0,
        usage: empty,
      };
    }
    let validate = this.validators.get(tool);
    if (!validate) this.validators.set(tool, (validate = compileValidator(tool.inputSchema)));
    const valid = validate(args);
    if (!valid.ok) {
      return { text: `Invalid arguments for tool ${name}: ${valid.errors.join('; ')}`, isError: true, steps: 0, usage: empty };
    }
    ctx.log.debug(resume ? 'call resumed' : 'call started', { tool: name, depth: ctx.depth });
    let outcome: AgentOutcome | undefined;
    let suspended = false;
    try {
      outcome = await runAgent(tool, args, ctx, this.deps, resume);
      return outcome;
    } catch (err) {
      suspended = err instanceof RunSuspended;
      throw err;
    } finally {
      const ms = Math.round(performance.now() - started);
      const status = outcome
        ? outcome.isError
          ? 'error'
          : 'ok'
        : suspended
          ? 'input_required'
          : ctx.signal.aborted
            ? 'cancelled'
            : 'failed';
      const fields = {
        tool: name,
        model: outcome?.model,
        steps: outcome?.steps,
        tokens: outcome ? outcome.usage.inputTokens + outcome.usage.outputTokens : undefined,
        ms,
        status,
      };
      if (outcome?.isError) ctx.log.warn(`call ${name} failed: ${outcome.text.split('\n')[0]}`, fields);
      else ctx.log.info('call', fields);
    }
  }
}

function describe(tool: ToolConfig): ToolsetTool {
  return { name: tool.name, description: tool.description ?? tool.title, inputSchema: tool.inputSchema };
}
