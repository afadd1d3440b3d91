// `agent-mcp test`: start `serve` as a client would, call every example over MCP, report, exit 1 on a failure.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Tool } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { connectClient, createClient, type ProtocolChoice } from './mcp-client.js';
import { loadConfigFile } from '../config/load.js';
import { resolveModelFlag } from '../config/model-override.js';
import { answerSampling, resolveSamplingModel } from './sampling-handler.js';
import { createLogger, diagnostic } from './context.js';
import { AgentMcpError, errorMessage } from '../errors.js';
import { toJUnitXml } from '../testing/junit.js';
import { Reporter, type ReportStream } from '../testing/reporter.js';
import { collectCases, filterCases, runAll, type CaseOutcome } from '../testing/runner.js';
import { formatCost, priceOf } from '../testing/cost.js';
import { resolveGrader, TestTapes } from './test-tapes.js';
import type { GlobalOptions } from './context.js';

export interface TestOptions extends GlobalOptions {
  file: string;
  model?: string;
  junit?: string;
  filter?: string;
  /** Declare sampling and answer the server's requests with this model, as in `call` (else no sampling). */
  samplingModel?: string;
  concurrency: number;
  /** --protocol: the era to speak (default: 2025). */
  protocol?: ProtocolChoice;
  /** Record every provider exchange into one file per example in this folder (live models, keys needed). */
  record?: string;
  /** Answer every provider request from the recordings in this folder (offline, no keys). */
  replay?: string;
  /** With replay: requests no recording matches go to the real model and are recorded. */
  recordMissing?: boolean;
  /** The grader of `expect.judge` (else defaults.judge). */
  judgeModel?: string;
  /** Runs of each example. */
  repeat?: number;
  /** Stop starting runs past this cost (prices from `pricing:`). */
  maxCost?: number;
  /** --log-level given: the server's log lines go to stderr at that level (else they are kept for a crash). */
  logLevelGiven: boolean;
  out?: ReportStream;
}

/** The server's stderr, last part only, for when it dies. */
const STDERR_KEEP_CHARS = 8_000;

export async function testCommand(options: TestOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  // The file's problems come out located here (exit 2), not as a server that died; deep: examples are checked.
  const config = loadConfigFile(options.file, { deep: true });
  if (options.model) resolveModelFlag(config, options.model);
  const all = collectCases(config);
  const cases = filterCases(all, options.filter);
  if (all.length && !cases.length) {
    const some = all
      .slice(0, 10)
      .map((c) => c.label)
      .join(', ');
    throw new AgentMcpError(`--filter "${options.filter}" matches no case; cases: ${some}${all.length > 10 ? ', …' : ''}`, 2);
  }

  const started = new Date();
  const startedMs = performance.now();
  const samplingModel = options.samplingModel ? resolveSamplingModel(options.samplingModel, config) : undefined;
  const log = createLogger({ ...options, logLevel: options.logLevelGiven ? options.logLevel : 'error' });
  const tapes = new TestTapes(options, config);
  const grader = tapes.keyless(resolveGrader(options.judgeModel, config, cases));
  const server = startServer(options);
  // Like `call`: sampling only with --sampling-model, so without it a chain's real models (with CI's keys) answer.
  const client = createClient('agent-mcp-test', options.protocol ?? '2025', samplingModel !== undefined);
  // Recording or replaying: the sampling answers go through the recordings too.
  const sample = !samplingModel
    ? undefined
    : tapes.active
      ? tapes.answerSampling(client, tapes.keyless(samplingModel), log)
      : answerSampling(client, samplingModel, log);
  try {
    let tools: Tool[];
    try {
      await connectClient(client, server.transport, 'agent-mcp-test', sample);
      ({ tools } = await client.listTools());
    } catch (err) {
      throw new AgentMcpError(`the server did not start: ${errorMessage(err)}${server.stderrTail()}`, 1);
    }
    if (!cases.length) {
      // Still a smoke test: the server started and listed its tools.
      process.stderr.write(
        `no examples in ${options.file}: add examples: to a tool to test it (the server started and listed ${tools.length} tool${tools.length === 1 ? '' : 's'})\n`,
      );
      out.write('0 passed, 0 failed\n');
      return 0;
    }
    const reporter = new Reporter(out, cases);
    const { outcomes, stoppedAtCost } = await runAll(client, cases, {
      concurrency: options.concurrency,
      tools,
      repeat: options.repeat,
      tagExamples: tapes.active,
      judge: grader && ((c, answer, signal) => tapes.judge(c, grader, { criterion: c.expect.judge!, input: c.input, answer }, signal, log)),
      price: (model, usage) => priceOf(config, model, usage),
      maxCost: options.maxCost,
      onStart: (_c, i) => reporter.start(i),
      onDone: (o, i) => {
        tapes.save(o);
        reporter.done(o, i);
      },
    });
    if (server.exited() && !options.logLevelGiven) process.stderr.write(`the server stopped during the run${server.stderrTail()}\n`);
    for (const line of answerLines(outcomes)) diagnostic(options, 'info', line);
    reporter.summary(outcomes, performance.now() - startedMs);
    if (stoppedAtCost !== undefined)
      process.stderr.write(`stopped: the run cost ${formatCost(stoppedAtCost)}, past --max-cost ${formatCost(options.maxCost!)}\n`);
    if (tapes.saved)
      process.stderr.write(`recorded ${tapes.saved} example${tapes.saved === 1 ? '' : 's'} in ${options.record ?? options.replay}\n`);
    // After the summary: a report that cannot be written fails the run but does not hide its result.
    if (options.junit)
      writeJUnit(
        options.junit,
        toJUnitXml(outcomes, { name: basename(options.file), startedAt: started, totalMs: performance.now() - startedMs }),
      );
    return outcomes.every((o) => o.status === 'passed') && stoppedAtCost === undefined ? 0 : 1;
  } finally {
    await client.close().catch(() => {});
  }
}

function startServer(options: TestOptions) {
  const level = options.logLevelGiven ? options.logLevel : 'warning';
  const args = [process.argv[1]!, 'serve', options.file, '--log-level', level, '--log-format', options.logFormat];
  if (options.model) args.push('--model', options.model);
  if (options.replay) args.push('--replay', options.replay);
  if (options.record || options.recordMissing) args.push('--record-exchanges');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args,
    // Without --log-level the server's lines would interleave with the report: keep them for a crash instead.
    stderr: options.logLevelGiven ? 'inherit' : 'pipe',
    env: process.env as Record<string, string>,
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_KEEP_CHARS);
  });
  let closed = false;
  transport.onclose = () => (closed = true);
  return {
    transport,
    exited: () => closed,
    stderrTail: () => (stderr.trim() ? `\n${stderr.trimEnd()}` : ''),
  };
}

/** One stderr line per distinct answer ("poet #1, poet #2: answered by offline; fast: ANTHROPIC_API_KEY is not set"). */
function answerLines(outcomes: CaseOutcome[]): string[] {
  const byAnswer = new Map<string, string[]>();
  for (const o of outcomes) if (o.answeredBy) byAnswer.set(o.answeredBy, [...(byAnswer.get(o.answeredBy) ?? []), o.case.label]);
  return [...byAnswer].map(([answer, labels]) => `${labels.join(', ')}: ${answer}`);
}

function writeJUnit(file: string, xml: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, xml);
  } catch (err) {
    throw new AgentMcpError(`--junit: cannot write ${file}: ${errorMessage(err)}`, 1);
  }
}
