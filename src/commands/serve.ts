import { loadConfigFile } from '../config/load.js';
import { overrideModels } from '../config/model-override.js';
import type { Config } from '../config/types.js';
import { AgentMcpError, ConfigError, formatIssue } from '../errors.js';
import type { Logger } from '../log.js';
import type { HttpFlags } from '../server/http/options.js';
import { Runtime } from '../agent/runtime.js';
import { ProviderRegistry } from '../providers/registry.js';
import { mcpToolsets } from '../toolsets/config-toolsets.js';
import { createLogger, type GlobalOptions } from './context.js';
import { allowKeyless, recordingProviderOptions } from '../providers/recording/setup.js';
import { createStateSealer, type StateSealer } from '../server/request-state.js';
import { registerSecret } from '../util/redact.js';

export interface ServeOptions extends GlobalOptions {
  file: string;
  /** Reload the file when it changes. */
  watch?: boolean;
  /** Run every tool on this one model (`agent-mcp test --model`). */
  model?: string;
  /** --state-secret / AGENT_MCP_STATE_SECRET: signs 2026-07-28 round-trip states (one per process when absent). */
  stateSecret?: string;
  /** Serve over Streamable HTTP instead of stdio; the flags override the file's `server.http` block. */
  http?: HttpFlags;
  /** Answer provider requests from the recordings in this folder (offline, no keys). */
  replay?: string;
  /** Record every provider exchange into the result's _meta (`agent-mcp test --record`); with replay: only misses go live. */
  recordExchanges?: boolean;
}

export async function serveCommand(options: ServeOptions): Promise<number> {
  const log = createLogger(options);
  // The same steps at start-up and on every reload.
  const load = (file: string): Config => {
    const loaded = loadConfigFile(file);
    const config = options.model ? overrideModels(loaded, options.model) : loaded;
    return options.replay ? allowKeyless(config) : config;
  };
  let config: Config;
  let registry: ProviderRegistry;
  let states: StateSealer;
  try {
    config = load(options.file);
    registry = new ProviderRegistry(recordingProviderOptions({ replay: options.replay, record: options.recordExchanges }));
    registerSecret(options.stateSecret);
    states = createStateSealer(options.stateSecret);
  } catch (err) {
    return reportStartupError(err, options, log);
  }
  // Missing keys are expected in a chain with fallbacks: say so, without alarming a client's log view.
  for (const w of config.warnings) log.notice(formatIssue(w));
  const mcp = mcpToolsets(log);
  const runner = new Runtime(config, { log, registry, toolsets: mcp.forConfig });
  let watcher: { close(): void } | undefined;
  if (options.watch) {
    const { watchConfig } = await import('../server/watch.js');
    watcher = watchConfig({ file: options.file, load, apply: (next) => runner.setConfig(next), log });
  }
  // MCP tasks run in this process's memory (made on first need, closed with the runner), or on Redis with --redis.
  try {
    if (options.http) {
      const { serveHttp, resolveHttpOptions } = await import('../server/http.js');
      const announce = (url: string) =>
        process.stderr.write(
          options.logFormat === 'json'
            ? JSON.stringify({ time: new Date().toISOString(), level: 'notice', msg: 'listening', url }) + '\n'
            : `agent-mcp listening on ${url}\n`,
        );
      await serveHttp(
        { runner, log, states, downstream: () => mcp.servers?.statuses() },
        resolveHttpOptions(config.server.http, options.http),
        log,
        announce,
      );
    } else {
      const { serveStdio } = await import('../server/stdio.js');
      // Started by hand in a terminal, a stdio server would otherwise sit silent: say what it is waiting for.
      if (process.stdin.isTTY) log.notice(waitingLine(config, options.file));
      await serveStdio({ runner, log, states }, log);
    }
  } finally {
    watcher?.close();
    // Every downstream server we started ends with us (stdin closed, then SIGTERM, then SIGKILL).
    await runner.close();
    await mcp.close();
  }
  return 0;
}

export function waitingLine(config: Config, file: string): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `serving ${n(config.tools.size, 'tool')} and ${n(config.prompts.size, 'prompt')} of ${file} on stdio, waiting for an MCP client (Ctrl+C stops; agent-mcp dev ${file} tries it here)`;
}

/** With --log-format json every stderr line is JSON, a bad file included; text keeps the plain message. */
function reportStartupError(err: unknown, options: ServeOptions, log: Logger): number {
  if (options.logFormat !== 'json' || !(err instanceof AgentMcpError)) throw err;
  if (err instanceof ConfigError) {
    for (const issue of err.issues) log.error(issue.message, { file: issue.file, line: issue.line, col: issue.col });
  } else {
    log.error(err.message);
  }
  return err.exitCode;
}
