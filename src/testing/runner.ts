// The examples of a config as test cases, called over MCP with bounded concurrency, each run `repeat` times.
import type { Client } from '@modelcontextprotocol/client';
import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import type { Config } from '../config/types.js';
import { errorMessage } from '../errors.js';
import type { Exchange } from '../providers/recording/cassette.js';
import { EXAMPLE_META, TAPE_META, type TapeReport } from '../providers/recording/tape.js';
import type { JsonSchema } from '../util/json-schema.js';
import { formatCost, type Tokens } from './cost.js';
import { checkExpectations, type Expectations, resultText } from './expectations.js';
import type { Verdict } from './judge.js';
import { answerFacts, answeredBy } from '../util/answered-by.js';
import { callTool } from '../util/call-tool.js';

export interface TestCase {
  /** `poet #1`, or `poet #2 (socks)` when the example has a name. */
  label: string;
  tool: string;
  input: Record<string, unknown>;
  expect: Expectations;
  /** The tool's own time limit: the server answers by then, so the client waits a little longer. */
  timeoutMs: number;
}

export interface CaseOutcome {
  case: TestCase;
  status: 'passed' | 'failed' | 'error';
  /** What did not hold (failed), or why there was no result (error). */
  messages: string[];
  /** The result text, when there was a result. */
  text?: string;
  /** Which model answered and why earlier ones in its chain did not, from the result's _meta. */
  answeredBy?: string;
  ms: number;
  /** Runs made (--repeat) and how many passed. */
  runs: number;
  passes: number;
  /** Tokens of the tool calls and of their judging, summed over the runs. */
  usage: Tokens;
  /** What they cost, where `pricing:` prices the models that answered. */
  cost?: number;
  /** The grader's verdicts, one per judged run: `pass: reason` or `fail: reason`. */
  verdicts: string[];
  /** The provider exchanges the server recorded for this example (--record). */
  exchanges: Exchange[];
  /** How many of them went to the real API. */
  live: number;
}

export interface RunOptions {
  concurrency: number;
  /** The tools as the server lists them (their output schemas check `expect.schema`). */
  tools: Tool[];
  /** Runs of each example (default 1). */
  repeat?: number;
  /** Name the example in each call's `_meta`, so the server records or replays it as that example's. */
  tagExamples?: boolean;
  /** Grade an answer against `expect.judge`. */
  judge?: (c: TestCase, answer: string, signal: AbortSignal) => Promise<Verdict>;
  /** What a model's tokens cost; undefined when it has no price. */
  price?: (model: string | undefined, usage: Tokens) => number | undefined;
  /** Stop starting runs once the run has cost more than this. */
  maxCost?: number;
  onStart?: (c: TestCase, index: number) => void;
  onDone?: (outcome: CaseOutcome, index: number) => void;
}

/** Grace beyond a tool's own timeout before the client gives up on the server. */
const CLIENT_GRACE_MS = 15_000;

export function collectCases(config: Config): TestCase[] {
  const cases: TestCase[] = [];
  for (const tool of config.tools.values()) {
    tool.examples.forEach((example, i) => {
      cases.push({
        label: `${tool.name} #${i + 1}${example.name ? ` (${example.name})` : ''}`,
        tool: tool.name,
        input: example.input,
        expect: example.expect,
        timeoutMs: tool.timeoutMs,
      });
    });
  }
  return cases;
}

export function filterCases(cases: TestCase[], filter: string | undefined): TestCase[] {
  if (filter === undefined) return cases;
  const needle = filter.toLowerCase();
  return cases.filter((c) => c.label.toLowerCase().includes(needle));
}

/** The whole run's spending so far, shared by the workers. */
class Budget {
  spent = 0;
  constructor(readonly max: number | undefined) {}
  get exhausted(): boolean {
    return this.max !== undefined && this.spent > this.max;
  }
}

export interface RunSummary {
  outcomes: CaseOutcome[];
  /** Set when --max-cost stopped the run: what it had cost. */
  stoppedAtCost?: number;
}

export async function runCases(client: Client, cases: TestCase[], options: RunOptions): Promise<CaseOutcome[]> {
  return (await runAll(client, cases, options)).outcomes;
}

export async function runAll(client: Client, cases: TestCase[], options: RunOptions): Promise<RunSummary> {
  const listed = new Map(options.tools.map((t) => [t.name, t]));
  const outcomes: CaseOutcome[] = new Array(cases.length);
  const budget = new Budget(options.maxCost);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const index = next++;
      const c = cases[index]!;
      options.onStart?.(c, index);
      outcomes[index] = await runCase(client, c, listed.get(c.tool), options, budget);
      options.onDone?.(outcomes[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, cases.length) }, worker));
  return { outcomes, ...(budget.exhausted && { stoppedAtCost: budget.spent }) };
}

interface RunResult {
  status: CaseOutcome['status'];
  messages: string[];
  text?: string;
  usage: Tokens;
  cost?: number;
  verdict?: string;
  tape?: TapeReport;
  answeredBy?: string;
}

async function runCase(client: Client, c: TestCase, tool: Tool | undefined, options: RunOptions, budget: Budget): Promise<CaseOutcome> {
  const started = performance.now();
  const repeat = options.repeat ?? 1;
  const outcome: CaseOutcome = {
    case: c,
    status: 'passed',
    messages: [],
    ms: 0,
    runs: 0,
    passes: 0,
    usage: { inputTokens: 0, outputTokens: 0 },
    verdicts: [],
    exchanges: [],
    live: 0,
  };
  if (!tool) return { ...outcome, status: 'error', messages: [`the server does not list tool ${c.tool}`] };
  let firstFailure: RunResult | undefined;
  let last: RunResult | undefined;
  for (let i = 0; i < repeat; i++) {
    if (budget.exhausted) break;
    const run = await runOnce(client, c, tool, options);
    last = run;
    outcome.runs++;
    outcome.usage.inputTokens += run.usage.inputTokens;
    outcome.usage.outputTokens += run.usage.outputTokens;
    if (run.cost !== undefined) {
      outcome.cost = (outcome.cost ?? 0) + run.cost;
      budget.spent += run.cost;
    }
    if (run.verdict) outcome.verdicts.push(run.verdict);
    if (run.tape) {
      outcome.exchanges.push(...run.tape.exchanges);
      outcome.live += run.tape.live;
    }
    outcome.answeredBy ??= run.answeredBy;
    if (run.status === 'passed') outcome.passes++;
    else firstFailure ??= run;
  }
  outcome.ms = Math.round(performance.now() - started);
  outcome.text = (firstFailure ?? last)?.text;
  if (!outcome.runs) {
    return {
      ...outcome,
      status: 'error',
      messages: [`not run: the run had cost ${formatCost(budget.spent)}, past --max-cost ${formatCost(budget.max!)}`],
    };
  }
  const passRate = c.expect.passRate ?? 1;
  const passed = outcome.passes / repeat >= passRate;
  if (repeat === 1) return { ...outcome, status: firstFailure?.status ?? 'passed', messages: firstFailure?.messages ?? [] };
  const rate = `${outcome.passes}/${repeat} runs passed${passRate < 1 ? ` (passRate ${passRate})` : ''}`;
  if (passed) return outcome;
  const stopped = outcome.runs < repeat ? `; stopped after ${outcome.runs} runs: --max-cost` : '';
  return {
    ...outcome,
    status: firstFailure?.status ?? 'error',
    messages: [`${rate}${stopped}`, ...(firstFailure?.messages ?? [])],
  };
}

async function runOnce(client: Client, c: TestCase, tool: Tool, options: RunOptions): Promise<RunResult> {
  const none = { inputTokens: 0, outputTokens: 0 };
  let result: CallToolResult;
  try {
    result = await callTool(
      client,
      tool,
      {
        name: c.tool,
        arguments: structuredClone(c.input),
        ...(options.tagExamples && { _meta: { [EXAMPLE_META]: c.label } }),
      },
      { timeout: c.timeoutMs + CLIENT_GRACE_MS },
    );
  } catch (err) {
    return { status: 'error', messages: [`no result: ${errorMessage(err)}`], usage: none };
  }
  const tape = result._meta?.[TAPE_META] as TapeReport | undefined;
  const meta = result._meta?.['agent-mcp'] as { model?: string; usage?: Partial<Tokens> } | undefined;
  const usage = { inputTokens: meta?.usage?.inputTokens ?? 0, outputTokens: meta?.usage?.outputTokens ?? 0 };
  let cost = options.price?.(meta?.model, usage);
  const text = resultText(result);
  if (tape?.misses.length) return { status: 'error', messages: tape.misses, text, usage, cost, tape };
  const answered = result.isError ? undefined : answeredBy(answerFacts(result));
  const messages = checkExpectations(c.expect, result, tool.outputSchema as JsonSchema | undefined);
  let verdict: string | undefined;
  // A wrong outcome (an error where none was expected) is reported alone; otherwise the grader has its say too.
  const wrongOutcome = Boolean(result.isError) !== (c.expect.isError === true);
  if (c.expect.judge !== undefined && !wrongOutcome) {
    if (!options.judge) return { status: 'error', messages: ['expect.judge needs a grader model'], text, usage, cost, tape };
    try {
      const v = await options.judge(c, text, AbortSignal.timeout(c.timeoutMs));
      usage.inputTokens += v.usage.inputTokens;
      usage.outputTokens += v.usage.outputTokens;
      const judged = options.price?.(v.model, v.usage);
      if (judged !== undefined) cost = (cost ?? 0) + judged;
      verdict = `${v.pass ? 'pass' : 'fail'}: ${v.reason}`;
      if (!v.pass) messages.push(`judge: ${v.reason}`);
    } catch (err) {
      return { status: 'error', messages: [...messages, `judge: ${errorMessage(err)}`], text, usage, cost, tape };
    }
  }
  return { status: messages.length ? 'failed' : 'passed', messages, text, usage, cost, verdict, tape, answeredBy: answered };
}
