// The agent layer in-process (config -> runtime -> real provider SDKs -> fake servers on 127.0.0.1),
// with every channel a call writes to captured: the outcome, progress messages and log lines (stderr and client).
import { ProgressReporter } from '../../src/agent/progress.ts';
import type { AgentOutcome } from '../../src/agent/run.ts';
import { Runtime } from '../../src/agent/runtime.ts';
import { loadConfigText } from '../../src/config/load.ts';
import { Logger, type LogRecord } from '../../src/log.ts';
import type { TestContext } from 'node:test';

export interface Harness {
  runner: Runtime;
  /** Every log line written to "stderr" and every record mirrored to the client, as text. */
  logs: string[];
  call(name: string, args?: Record<string, unknown>, options?: { signal?: AbortSignal; stream?: boolean }): Promise<Captured>;
}

export interface Captured {
  outcome: AgentOutcome;
  progress: string[];
  /** Everything the call sent out, as one text: for "no secret anywhere" checks. */
  everything: string;
}

export function harness(yaml: string, env: Record<string, string> = {}): Harness {
  const config = loadConfigText('/virtual/agents.yaml', yaml, { env });
  const logs: string[] = [];
  const log = new Logger({ level: 'debug', format: 'json', write: (line) => logs.push(line) });
  const runner = new Runtime(config, { log });
  return {
    runner,
    logs,
    async call(name, args = {}, options = {}) {
      const progress: string[] = [];
      // With a progress sink the adapters stream (to report text as it comes); without one they do not.
      const sink = options.stream === false ? undefined : (update: { message: string }) => progress.push(update.message);
      const reporter = new ProgressReporter(sink, { intervalMs: 0 });
      const mirror = { wants: () => true, write: (record: LogRecord) => logs.push(JSON.stringify(record)) };
      const before = logs.length;
      try {
        const outcome = await runner.call(name, args, {
          signal: options.signal ?? new AbortController().signal,
          log: log.child({}, mirror),
          progress: reporter,
          depth: 0,
        });
        const everything = [JSON.stringify(outcome), ...progress, ...logs.slice(before)].join('\n');
        return { outcome, progress, everything };
      } finally {
        reporter.close();
      }
    },
  };
}

/**
 * Fake setTimeout for one test, with the real timers armed before it still clearable. node:test's fake clearTimeout
 * ignores a timer it did not create, so a real one (undici arms them for its pooled connections) cleared while the
 * clock is fake survives, fires later on a parser already collected, and crashes the file with "Cannot destructure
 * property 'socket' of 'parser.deref(...)'" (nodejs/undici#4755; seen under load). reset() puts the real one back.
 */
export function fakeTimeouts(t: Pick<TestContext, 'mock'>): void {
  const realClear = globalThis.clearTimeout;
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const fakeClear = globalThis.clearTimeout;
  globalThis.clearTimeout = ((timer?: Parameters<typeof clearTimeout>[0]) => {
    fakeClear(timer);
    realClear(timer);
  }) as typeof clearTimeout;
}
