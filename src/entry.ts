// The CLI as a function, argv in and exit code out (main.ts exits with it; tests run commands in-process with it).
// The one top-level catch: user errors -> message + exit code; bugs -> stack trace, exit 1.
import { CommanderError } from 'commander';
import { AgentMcpError, ConfigError } from './errors.js';
import { jsonLine, jsonLogsRequested } from './log.js';
import { redact } from './util/redact.js';
import { runCli } from './cli.js';

/** With --log-format json a failure is JSON lines too: one per located problem of a config file. */
function errorJson(err: AgentMcpError): string {
  if (err instanceof ConfigError)
    return err.issues.map((i) => jsonLine('error', i.message, { file: i.file, line: i.line, col: i.col })).join('');
  return jsonLine('error', err.message);
}

export async function runToExitCode(argv: string[]): Promise<number> {
  const json = jsonLogsRequested(argv);
  try {
    return await runCli(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; every other commander complaint is bad usage (it already printed why).
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof AgentMcpError) {
      process.stderr.write(json ? errorJson(err) : `${redact(err.message)}\n`);
      return err.exitCode;
    }
    const stack = redact(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.stderr.write(
      json
        ? jsonLine('critical', 'internal error (please report it)', { stack })
        : `agent-mcp: internal error (please report it):\n${stack}\n`,
    );
    return 1;
  }
}
