// The process: run the CLI (entry.ts), let what it wrote drain, exit with its code.
import { runToExitCode } from './entry.js';

async function main(): Promise<void> {
  const code = await runToExitCode(process.argv.slice(2));
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
