// One agent run: render the prompts, loop model -> tool calls -> model over the fallback chain, within limits.
import { LimitError, ProviderError, errorMessage } from '../errors.js';
import type { ToolConfig } from '../config/types.js';
import type { CallContext, GenerateRequest, GenerateResult, Message, Part, ToolCall, ToolSpec, Usage } from '../providers/types.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { compileValidator, type Validator } from '../util/json-schema.js';
import { ModelChain, type ChainPosition } from './chain.js';
import { ClientInputRequired } from '../providers/client-session.js';
import type { Deadlines } from './deadlines.js';
import type { ProgressReporter } from './progress.js';
import { renderTemplate } from '../util/template.js';
import { resolveTools, type ResolvedTool, type Toolset } from './toolset.js';

/** What a finished run hands back to the MCP layer. */
export interface AgentOutcome {
  text: string;
  structured?: Record<string, unknown>;
  isError: boolean;
  model?: string;
  /** Why the models before `model` in its chain did not answer ("fast: ANTHROPIC_API_KEY is not set"). */
  skipped?: string[];
  steps: number;
  usage: Required<Usage>;
}

/**
 * Where a suspended run stands, at the model call it stopped at: enough to resume it on any process. Plain JSON
 * (the server seals it into a 2026-07-28 requestState).
 */
export interface RunSnapshot {
  messages: Message[];
  /** Steps taken, the suspended one included. */
  steps: number;
  usage: Required<Usage>;
  chain: ChainPosition;
  outputRetries: number;
  /** When the call's time is up (epoch ms): the client's time to answer counts, as a 2025-era request's does. */
  deadline: number;
  /**
   * Set when the run stopped in its tool calls rather than at a model call: an agent it called (at `calls[next]`)
   * stopped to ask the client, and `inner` is where that agent stands. Resumed, the run first resumes that agent,
   * then makes the turn's remaining calls, then goes on to its next model call.
   */
  pending?: { calls: ToolCall[]; next: number; inner: RunSnapshot };
}

/** The run stopped to ask the client something (a 2026-07-28 round trip); resume it with the snapshot. */
export class RunSuspended extends Error {
  constructor(
    readonly snapshot: RunSnapshot,
    readonly input: ClientInputRequired,
  ) {
    super(input.message);
    this.name = 'RunSuspended';
  }
}

export interface RunContext extends CallContext {
  progress: ProgressReporter;
  /** Nesting depth of agent-tool calls (0 for a call from the client). */
  depth: number;
  /** The agent whose run this is (set by the run, for the toolsets it calls). */
  agent?: string;
  /** Epoch ms at which the run's time is up. */
  deadline?: number;
  /** For the agent called with this context only: where it stopped on an earlier leg (see RunSnapshot.pending). */
  resume?: RunSnapshot;
  /**
   * The run's own model chain: a toolset answers a downstream server's sampling request with it (so it reaches our
   * client when the agent runs on sampling); the tokens count towards the run's usage.
   */
  generate?: (req: GenerateRequest) => Promise<GenerateResult>;
}

export interface AgentDeps {
  registry: ProviderRegistry;
  /** Where the call's time limit waits (shared by the calls of one server). */
  deadlines: Deadlines;
  /** What the agent's `tools:` entries resolve against (the call's config's toolsets). */
  toolsets: readonly Toolset[];
}

const NO_TOOLS: ReadonlyMap<string, ResolvedTool> = new Map();

const outputValidators = new WeakMap<object, Validator>();

function textOf(parts: Part[]): string {
  return parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

/** Models often wrap JSON in a Markdown fence even when asked not to. */
function parseJson(text: string): unknown {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return JSON.parse(fenced ? fenced[1]! : text);
}

function addUsage(total: Required<Usage>, usage: Usage): void {
  total.inputTokens += usage.inputTokens ?? 0;
  total.outputTokens += usage.outputTokens ?? 0;
}

export async function runAgent(
  tool: ToolConfig,
  args: Record<string, unknown>,
  ctx: RunContext,
  deps: AgentDeps,
  resume?: RunSnapshot,
): Promise<AgentOutcome> {
  const usage = resume ? { ...resume.usage } : { inputTokens: 0, outputTokens: 0 };
  // A run resumed at a model call repeats it: that step counts once. One resumed in its tool calls made that call.
  let steps = resume ? (resume.pending ? resume.steps : resume.steps - 1) : 0;
  const deadline = resume?.deadline ?? Date.now() + tool.timeoutMs;
  const limit = callSignal(
    ctx.signal,
    deps.deadlines,
    Math.max(1, deadline - Date.now()),
    () => new LimitError(`timeout: the call took longer than ${tool.timeoutMs / 1000}s (set timeout: on the tool)`),
  );
  const signal = limit.signal;
  const runCtx: RunContext = { ...ctx, signal, agent: tool.name, deadline };
  const log = ctx.log;
  const chain = new ModelChain(tool.models, deps.registry, runCtx, {
    tools: tool.tools.length > 0,
    deadline,
    resume: resume?.chain,
    onEvent: (message) => {
      log.warn(message, { tool: tool.name });
      ctx.progress.step(message);
    },
    onSkip: (message) => log.info(message, { tool: tool.name }),
  });
  runCtx.generate = async (req) => {
    const result = await chain.generate(req);
    addUsage(usage, result.usage);
    return result;
  };
  let tools = NO_TOOLS;
  let toolSpecs: ToolSpec[] | undefined;
  const messages: Message[] = resume
    ? resume.messages
    : [{ role: 'user', content: [{ type: 'text', text: renderTemplate(tool.prompt, args) }] }];
  const system = tool.system ? renderTemplate(tool.system, args) : undefined;
  let outputRetries = resume?.outputRetries ?? tool.outputRetries;
  // A nested agent's steps share the client's progress stream: say whose they are.
  const who = ctx.depth > 0 ? `${tool.name}: ` : '';
  let announced: string | undefined;
  const finish = (text: string, isError: boolean, structured?: Record<string, unknown>): AgentOutcome => ({
    text,
    isError,
    structured,
    model: chain.current?.name,
    ...(chain.skipped.length && { skipped: chain.skipped }),
    steps,
    usage,
  });

  /** The turn's tool calls from `from` on (the first of them resumed from `inner`), their replies added in order. */
  const callTools = async (calls: ToolCall[], from: number, inner?: RunSnapshot) => {
    for (let i = from; i < calls.length; i++) {
      const call = calls[i]!;
      ctx.progress.step(`${who}step ${steps}/${tool.maxSteps}: calling ${call.name}`);
      try {
        messages.push(await callTool(tools, call, runCtx, usage, i === from ? inner : undefined));
      } catch (err) {
        // An agent it called stopped to ask the client (a 2026-07-28 round trip): this run stops there with it.
        if (err instanceof RunSuspended) {
          const pending = { calls, next: i, inner: err.snapshot };
          throw new RunSuspended({ messages, steps, usage, chain: chain.position, outputRetries, deadline, pending }, err.input);
        }
        throw err;
      }
    }
  };

  try {
    if (tool.tools.length) {
      let resolved: Awaited<ReturnType<typeof resolveTools>>;
      try {
        resolved = await resolveTools(tool.tools, deps.toolsets, runCtx);
      } catch (err) {
        // A toolset that cannot say what it offers (an MCP server that does not start): the run cannot begin.
        if (signal.aborted) throw err;
        return finish(`tools: ${errorMessage(err)}`, true);
      }
      if (resolved.missing.length) return finish(`tools: no toolset offers ${resolved.missing.map((n) => `"${n}"`).join(', ')}`, true);
      tools = resolved.tools;
      toolSpecs = [...tools.values()].map(({ tool: t }) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));
    }
    // Stopped in its tool calls: the agent that asked the client resumes first, then the turn's other calls.
    if (resume?.pending) {
      const { calls, next, inner } = resume.pending;
      await callTools(calls, next, inner);
    }
    while (true) {
      if (steps >= tool.maxSteps)
        throw new LimitError(`maxSteps: the agent used all ${tool.maxSteps} steps without finishing (raise maxSteps on the tool)`);
      steps++;
      ctx.progress.step(`${who}step ${steps}/${tool.maxSteps}: ${steps === 1 ? 'thinking' : 'continuing'}`);
      const result: GenerateResult = await chain.generate({
        system,
        messages,
        tools: toolSpecs,
        output: tool.outputSchema,
        // The tool's own setting; each adapter falls back to its model's (the chain may switch models mid-call).
        temperature: tool.temperature,
        signal,
        onTextDelta: ctx.progress.enabled ? (delta) => ctx.progress.text(delta) : undefined,
      });
      addUsage(usage, result.usage);
      // Logged once per model that answers (the first, then after any fallback), before its step.
      if (chain.current?.name !== announced) {
        announced = chain.current?.name;
        log.debug('model chosen', { tool: tool.name, model: announced, id: result.model });
        // The test model answers with canned text: when the chain fell through to it, nobody should mistake that
        // for a real answer.
        if (chain.current?.provider === 'test' && chain.skipped.length)
          log.warn(`no real model could answer; the test model did, with its canned reply (${chain.skipped.join('; ')})`, {
            tool: tool.name,
          });
      }
      log.debug('model answered', {
        tool: tool.name,
        model: chain.current?.name,
        step: steps,
        finish: result.finishReason,
        toolCalls: result.toolCalls.length,
      });
      if (tool.tokenBudget !== undefined && usage.inputTokens + usage.outputTokens > tool.tokenBudget) {
        throw new LimitError(
          `tokenBudget: the call used ${usage.inputTokens + usage.outputTokens} tokens, over its budget of ${tool.tokenBudget}`,
        );
      }
      messages.push({ role: 'assistant', content: result.content, toolCalls: result.toolCalls.length ? result.toolCalls : undefined });

      if (result.toolCalls.length) {
        await callTools(result.toolCalls, 0);
        continue;
      }

      const text = textOf(result.content);
      if (result.finishReason === 'content-filter')
        return finish(`the model's answer was withheld by its content filter${text ? `: ${text}` : ''}`, true);
      if (!tool.outputSchema) return finish(text, false);

      const problem = checkStructured(tool, text);
      if (problem.ok) return finish(JSON.stringify(problem.value), false, problem.value);
      if (outputRetries-- <= 0)
        return finish(`the model's answer did not match the output schema after ${tool.outputRetries} retries: ${problem.error}`, true);
      log.info('output did not match the schema; asking again', { tool: tool.name, error: problem.error });
      messages.push({
        role: 'user',
        content: [
          {
            type: 'text',
            text: `Your answer did not match the required JSON Schema: ${problem.error}. Reply again with only a JSON object that matches the schema.`,
          },
        ],
      });
    }
  } catch (err) {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? err; // the client cancelled: it wants no result
    if (err instanceof RunSuspended) throw err; // stopped in its tool calls (callTools made the snapshot)
    if (err instanceof ClientInputRequired) {
      // Stopped before the model call of this step: the snapshot resumes exactly there.
      throw new RunSuspended({ messages, steps, usage, chain: chain.position, outputRetries, deadline }, err);
    }
    if (limit.timedOut()) return finish(errorMessage(signal.reason), true);
    if (err instanceof LimitError || err instanceof ProviderError) return finish(errorMessage(err), true);
    if (err instanceof Error && err.name === 'AllModelsFailedError') return finish(err.message, true);
    throw err;
  } finally {
    limit.dispose();
  }
}

/**
 * The call's own signal: aborted by the client's cancel or by the call's time limit. Not AbortSignal.any,
 * which costs ~50 µs a call on Node 20 (weak references, GC): a large share of the per-call budget.
 */
function callSignal(parent: AbortSignal, deadlines: Deadlines, ms: number, limitError: () => Error) {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  const cancelDeadline = deadlines.add(ms, () => {
    timedOut = true;
    controller.abort(limitError());
  });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose() {
      cancelDeadline();
      parent.removeEventListener('abort', onAbort);
    },
  };
}

function checkStructured(tool: ToolConfig, text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (err) {
    return { ok: false, error: `not JSON (${errorMessage(err)})` };
  }
  let validate = outputValidators.get(tool.outputSchema!);
  if (!validate) outputValidators.set(tool.outputSchema!, (validate = compileValidator(tool.outputSchema!)));
  const result = validate(value);
  return result.ok ? { ok: true, value: value as Record<string, unknown> } : { ok: false, error: result.errors.join('; ') };
}

/** One tool call of the model, answered by its toolset; the reply (an error included) goes back to the model. */
async function callTool(
  tools: ReadonlyMap<string, ResolvedTool>,
  call: ToolCall,
  ctx: RunContext,
  usage: Required<Usage>,
  resume?: RunSnapshot,
): Promise<Message> {
  const reply = (content: Part[], isError: boolean): Message => ({
    role: 'tool',
    toolCallId: call.id,
    toolName: call.name,
    content,
    isError,
  });
  const text = (t: string): Part[] => [{ type: 'text', text: t }];
  const target = tools.get(call.name);
  if (!target) return reply(text(`unknown tool "${call.name}"; available: ${[...tools.keys()].join(', ')}`), true);
  let args: unknown;
  try {
    args = call.input.trim() ? JSON.parse(call.input) : {};
  } catch (err) {
    return reply(text(`the arguments are not valid JSON: ${errorMessage(err)}`), true);
  }
  const result = await target.toolset.call(target.tool.name, args, { ...ctx, depth: ctx.depth + 1, ...(resume && { resume }) });
  if (result.usage) addUsage(usage, result.usage);
  return reply(result.content, result.isError);
}
