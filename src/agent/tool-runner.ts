// Every tool call, from an MCP client or from another agent, goes through here: validate, run, log.
import type { Config, ToolConfig } from '../config/types.js';
import type { Logger } from '../log.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { compileValidator, type Validator } from '../util/json-schema.js';
import { nestsDeeperThan } from '../util/depth.js';
import { redactDeep, redactSecrets } from '../util/redact.js';
import { Deadlines } from './deadlines.js';
import { runAgent, type AgentOutcome, type RunContext } from './run.js';

/** Told after a reload swapped the config (each MCP server instance subscribes to notify its client). */
export type ConfigListener = (next: Config, previous: Config) => void;

/** The most text one result may carry: a bigger answer is an error, not a reply line of many megabytes. */
export const MAX_RESULT_CHARS = 4 * 1024 * 1024;
/** Deeper than any tool's arguments need. */
export const MAX_ARGUMENT_DEPTH = 64;

/** The single way out of a call: configured secrets redacted (the model may repeat a key it saw), size bounded. */
export function deliverable(outcome: AgentOutcome): AgentOutcome {
  const size = outcome.text.length;
  if (size > MAX_RESULT_CHARS) {
    const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;
    return {
      ...outcome,
      text: `the answer is ${mib(size)}, over the ${mib(MAX_RESULT_CHARS)} a result may carry`,
      isError: true,
      structured: undefined,
    };
  }
  const text = redactSecrets(outcome.text);
  const structured = outcome.structured && redactDeep(outcome.structured);
  return text === outcome.text && structured === outcome.structured ? outcome : { ...outcome, text, structured };
}

export class ToolRunner {
  private readonly validators = new Map<ToolConfig, Validator>();
  private readonly deadlines = new Deadlines();
  private readonly listeners = new Set<ConfigListener>();

  constructor(
    private config: Config,
    private readonly registry: ProviderRegistry,
    private readonly log: Logger,
  ) {}

  /** Swap in a reloaded config; calls in flight finish on the one they started with. */
  setConfig(config: Config): void {
    const previous = this.config;
    this.config = config;
    this.validators.clear();
    for (const listener of [...this.listeners]) listener(config, previous);
  }

  /** Subscribe to reloads; returns the unsubscribe function. */
  onConfigChange(listener: ConfigListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get current(): Config {
    return this.config;
  }

  /** A call from the client: what it gets back is checked on its way out of the process. */
  async call(name: string, rawArgs: unknown, ctx: RunContext): Promise<AgentOutcome> {
    return deliverable(await this.callIn(this.config, name, rawArgs, ctx));
  }

  /** A call and the agent tools it calls all run on the config the call started with, whatever a reload does. */
  private async callIn(config: Config, name: string, rawArgs: unknown, ctx: RunContext): Promise<AgentOutcome> {
    const started = performance.now();
    const tool = config.tools.get(name);
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
    ctx.log.debug('call started', { tool: name, depth: ctx.depth });
    let outcome: AgentOutcome | undefined;
    try {
      outcome = await runAgent(tool, args, ctx, {
        registry: this.registry,
        deadlines: this.deadlines,
        tools: config.tools,
        callTool: (n, a, c) => this.callIn(config, n, a, c),
      });
      return outcome;
    } finally {
      const ms = Math.round(performance.now() - started);
      const status = outcome ? (outcome.isError ? 'error' : 'ok') : ctx.signal.aborted ? 'cancelled' : 'failed';
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
