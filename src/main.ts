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

async function main(): Promise<void> {
  const json = jsonLogsRequested(process.argv.slice(2));
  let code: number;
  try {
    code = await runCli(process.argv.slice(2));
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; every other commander complaint is bad usage (it already printed why).
      code = err.exitCode === 0 ? 0 : 2;
    } else if (err instanceof AgentMcpError) {
      process.stderr.write(json ? errorJson(err) : `${redact(err.message)}\n`);
      code = err.exitCode;
    } else {
      const stack = redact(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.stderr.write(
        json
          ? jsonLine('critical', 'internal error (please report it)', { stack })
          : `agent-mcp: internal error (please report it):\n${stack}\n`,
      );
      code = 1;
    }
  }
  // Let what we wrote drain (never writing anything more: under serve, stdout is the JSON-RPC channel), then
  // leave even if a provider socket or timer is still open.
  process.exitCode = code;
  // A client that already closed our stdout (EPIPE) must not turn a clean exit into a crash.
  process.stdout.on('error', () => {});
  if (process.stdout.writableLength > 0) {
    await new Promise<void>((resolve) => {
      process.stdout.once('drain', resolve);
      process.stdout.once('error', resolve);
    });
  }
  process.exit(code);
}

void main();
