// `agent-mcp test --record / --replay / --record-missing`, the test process's side: its own model calls (sampling
// answers, the judge) go through the recording fetch like the server's, and each example's exchanges become a file.
import type { Client, CreateMessageRequest } from '@modelcontextprotocol/client';
import { resolveModelFlag } from '../config/model-override.js';
import type { Config, ModelConfig } from '../config/types.js';
import { AgentMcpError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { CASSETTE_VERSION, type Exchange, writeCassette } from '../providers/recording/cassette.js';
import { ReplayStore } from '../providers/recording/replay-store.js';
import { recordingProviderOptions, standIn } from '../providers/recording/setup.js';
import { exampleOf, newTape, runOnTape } from '../providers/recording/tape.js';
import { ProviderRegistry } from '../providers/registry.js';
import { judgeAnswer, type Verdict } from '../testing/judge.js';
import type { CaseOutcome, TestCase } from '../testing/runner.js';
import type { SamplingAnswerer } from '../util/task-channel.js';
import { answerCreateMessage } from './sampling-handler.js';

export interface TapeFlags {
  record?: string;
  replay?: string;
  recordMissing?: boolean;
}

/** The grader of `expect.judge`: --judge-model, else defaults.judge; a usage error when a case needs one and there is none. */
export function resolveGrader(flag: string | undefined, config: Config, cases: TestCase[]): ModelConfig | undefined {
  let model = config.judge;
  if (flag) {
    try {
      model = resolveModelFlag(config, flag);
    } catch (err) {
      throw new AgentMcpError(errorMessage(err).replace(/^--model:/, '--judge-model:'), 2);
    }
  }
  const judged = cases.find((c) => c.expect.judge !== undefined);
  if (judged && !model) {
    throw new AgentMcpError(`${judged.label}: expect.judge needs a grader model: give --judge-model MODEL or set defaults.judge`, 2);
  }
  if (model?.provider === 'sampling') {
    throw new AgentMcpError(
      `${flag ? '--judge-model' : 'defaults.judge'}: "${model.name}" is the client's model; name one that calls a provider`,
      2,
    );
  }
  return model;
}

export class TestTapes {
  readonly active: boolean;
  /** How many example files were written. */
  saved = 0;
  private readonly recording: boolean;
  private readonly registry: ProviderRegistry;
  private readonly client = new Map<string, { exchanges: Exchange[]; live: number }>();

  constructor(
    private readonly flags: TapeFlags,
    config: Config,
  ) {
    if (flags.record && flags.replay) {
      throw new AgentMcpError('--record and --replay: pick one (--replay DIR --record-missing records only what is missing)', 2);
    }
    if (flags.recordMissing && !flags.replay) throw new AgentMcpError('--record-missing needs --replay DIR', 2);
    this.recording = Boolean(flags.record || flags.recordMissing);
    this.active = Boolean(flags.record || flags.replay);
    const store = flags.replay ? ReplayStore.load(flags.replay) : undefined;
    this.registry = new ProviderRegistry(recordingProviderOptions({ replay: flags.replay, record: this.recording }, store));
    if (flags.replay) for (const m of config.models.values()) standIn(m);
  }

  /** Replay needs no key: a keyless API model gets a stand-in so it is not skipped as unavailable. */
  keyless<M extends ModelConfig | undefined>(model: M): M {
    return (this.flags.replay && model ? standIn(model) : model) as M;
  }

  /** Answer the server's sampling requests, each on the tape of the example that caused it. */
  answerSampling(client: Client, model: ModelConfig, log: Logger): SamplingAnswerer {
    const answer = (params: CreateMessageRequest['params'], signal: AbortSignal) => {
      const run = () => answerCreateMessage(params, signal, model, this.registry, log);
      const example = exampleOf(params._meta);
      return example ? this.onTape(example, run) : run();
    };
    client.setRequestHandler('sampling/createMessage', (request, ctx) => answer(request.params, ctx.mcpReq.signal));
    return (params, signal) => answer(params as CreateMessageRequest['params'], signal);
  }

  judge(
    c: TestCase,
    grader: ModelConfig,
    question: { criterion: string; input: Record<string, unknown>; answer: string },
    signal: AbortSignal,
    log: Logger,
  ): Promise<Verdict> {
    return this.onTape(c.label, () => judgeAnswer(grader, this.registry, log, question, signal));
  }

  /** Write the example's recording (with --record-missing only when something new was recorded). */
  save(o: CaseOutcome): void {
    if (!this.recording) return;
    const mine = this.client.get(o.case.label) ?? { exchanges: [], live: 0 };
    this.client.delete(o.case.label);
    const exchanges = [...o.exchanges, ...mine.exchanges];
    if (!exchanges.length || (this.flags.recordMissing && o.live + mine.live === 0)) return;
    writeCassette((this.flags.record ?? this.flags.replay)!, { version: CASSETTE_VERSION, example: o.case.label, exchanges });
    this.saved++;
  }

  private async onTape<T>(example: string, fn: () => Promise<T>): Promise<T> {
    const tape = newTape(example);
    try {
      return await runOnTape(tape, fn);
    } catch (err) {
      throw tape.misses.length ? new Error(`replay: ${tape.misses.join('\n')}`) : err;
    } finally {
      const kept = this.client.get(example) ?? { exchanges: [], live: 0 };
      kept.exchanges.push(...tape.exchanges);
      kept.live += tape.live;
      this.client.set(example, kept);
    }
  }
}
