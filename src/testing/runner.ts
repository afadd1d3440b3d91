// The examples of a config as test cases, called over MCP with bounded concurrency.
import type { Client } from '@modelcontextprotocol/client';
import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import type { Config } from '../config/types.js';
import { errorMessage } from '../errors.js';
import type { JsonSchema } from '../providers/types.js';
import { checkExpectations, resultText, type Expectations } from './expectations.js';
import { answerFacts, answeredBy } from '../util/answered-by.js';

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

export interface RunOptions {
  concurrency: number;
  /** The tools as the server lists them (their output schemas check `expect.schema`). */
  tools: Tool[];
  onStart?: (c: TestCase, index: number) => void;
  onDone?: (outcome: CaseOutcome, index: number) => void;
}

export async function runCases(client: Client, cases: TestCase[], options: RunOptions): Promise<CaseOutcome[]> {
  const listed = new Map(options.tools.map((t) => [t.name, t]));
  const outcomes: CaseOutcome[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const index = next++;
      const c = cases[index]!;
      options.onStart?.(c, index);
      outcomes[index] = await runCase(client, c, listed.get(c.tool));
      options.onDone?.(outcomes[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, cases.length) }, worker));
  return outcomes;
}

async function runCase(client: Client, c: TestCase, tool: Tool | undefined): Promise<CaseOutcome> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  if (!tool) return { case: c, status: 'error', messages: [`the server does not list tool ${c.tool}`], ms: 0 };
  let result: CallToolResult;
  try {
    result = (await client.callTool(
      { name: c.tool, arguments: structuredClone(c.input) },
      {
        timeout: c.timeoutMs + CLIENT_GRACE_MS,
      },
    )) as CallToolResult;
  } catch (err) {
    return { case: c, status: 'error', messages: [`no result: ${errorMessage(err)}`], ms: ms() };
  }
  const messages = checkExpectations(c.expect, result, tool.outputSchema as JsonSchema | undefined);
  return {
    case: c,
    status: messages.length ? 'failed' : 'passed',
    messages,
    text: resultText(result),
    answeredBy: result.isError ? undefined : answeredBy(answerFacts(result)),
    ms: ms(),
  };
}
