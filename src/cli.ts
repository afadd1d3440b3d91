// Commander definitions only: flags -> typed options -> a command function (loaded on demand).
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { jsonLine, jsonLogsRequested, parseLogLevel, LOG_LEVELS, type LogFormat, type LogLevel } from './log.js';
import { parseDuration } from './util/duration.js';
import type { GlobalOptions } from './commands/context.js';
import type { ClientName } from './install/clients.js';
import { addHttpOptions, httpFlags } from './cli-http.js';
import type { ProtocolChoice } from './commands/mcp-client.js';

/** The client side of `call` and `test` (both act as the MCP client of a server they start or reach). */
const samplingModelOption = () =>
  new Option(
    '--sampling-model <model>',
    'act as a client that can sample, answering with this model (an entry of models:, provider:model-id or test); without it, sampling in a chain is skipped',
  );
const protocolOption = () =>
  new Option('--protocol <version>', 'the MCP era to speak: 2025 (initialize), 2026-07-28, or auto (probe, then fall back)')
    .choices(['2025', '2026-07-28', 'auto'])
    .default('2025');

declare const AGENT_MCP_VERSION: string;
const VERSION = typeof AGENT_MCP_VERSION === 'string' ? AGENT_MCP_VERSION : '0.0.0-dev';

function logLevel(value: string): LogLevel {
  const level = parseLogLevel(value);
  if (!level) throw new InvalidArgumentError(`expected one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

function amount(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new InvalidArgumentError('expected an amount above 0, such as 0.50');
  return n;
}

interface TestFlags {
  protocol: ProtocolChoice;
  model?: string;
  junit?: string;
  filter?: string;
  samplingModel?: string;
  concurrency: number;
  record?: string;
  replay?: string;
  recordMissing?: boolean;
  judgeModel?: string;
  repeat: number;
  maxCost?: number;
}

function duration(value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** Runs the command line; resolves with the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command('agent-mcp')
    .description('Turn one YAML file into an MCP server whose tools are LLM agents.')
    .version(VERSION, '-V, --version', 'print the version')
    .addOption(
      new Option('--log-level <level>', `log level on stderr (${LOG_LEVELS.slice(0, 5).join(', ')})`).argParser(logLevel).default('info'),
    )
    .addOption(new Option('--log-format <format>', 'log lines as readable text or JSON').choices(['text', 'json']).default('text'))
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      // Usage mistakes are diagnostics too: JSON lines with --log-format json (help and version stay text on stdout).
      writeErr: (s) => process.stderr.write(jsonLogsRequested(argv) ? jsonLine('error', s.trim()) : s),
    });

  const globals = (): GlobalOptions => {
    const o = program.opts<{ logLevel: LogLevel; logFormat: LogFormat }>();
    return { logLevel: o.logLevel, logFormat: o.logFormat };
  };

  const serve = program
    .command('serve')
    .description(
      'serve the tools and prompts of FILE over stdio (for Claude Desktop, Cursor, VS Code, Claude Code), or over HTTP with --http',
    )
    .argument('[file]', 'the agents file', 'agents.yaml')
    .option('--watch', 'reload FILE when it changes (an invalid edit is reported and the old config keeps serving)')
    .option('--model <model>', 'run every tool on this model: a name from models:, provider:model-id, sampling or test')
    .option('--replay <dir>', 'answer every model request from the recordings in DIR (agent-mcp test --record), offline')
    .addOption(new Option('--record-exchanges', 'agent-mcp test --record: return provider exchanges in results').hideHelp())
    .addOption(
      new Option(
        '--state-secret <secret>',
        'signs the state of 2026-07-28 sampling round trips; give every replica the same one (default: one per process)',
      ).env('AGENT_MCP_STATE_SECRET'),
    );
  addHttpOptions(serve).action(
    async (file: string, opts: { watch?: boolean; model?: string; replay?: string; recordExchanges?: boolean; stateSecret?: string }) => {
      const { serveCommand } = await import('./commands/serve.js');
      code = await serveCommand({
        ...globals(),
        file,
        watch: opts.watch,
        model: opts.model,
        http: httpFlags(serve),
        replay: opts.replay,
        recordExchanges: opts.recordExchanges,
        stateSecret: opts.stateSecret || undefined,
      });
    },
  );

  program
    .command('dev')
    .description('serve FILE, reloaded on save, and try it in this terminal: list, call with key=value (Tab completes), see who answered')
    .argument('[file]', 'the agents file', 'agents.yaml')
    .option('--model <model>', 'run every tool on this model: a name from models:, provider:model-id, sampling or test')
    .option(
      '--sampling-model <model>',
      'act as a client that can sample, answering with this model; without it, sampling in a chain is skipped',
    )
    .action(async (file: string, opts: { model?: string; samplingModel?: string }) => {
      const { devCommand } = await import('./commands/dev.js');
      code = await devCommand({
        ...globals(),
        file,
        model: opts.model,
        samplingModel: opts.samplingModel,
        logLevelGiven: program.getOptionValueSource('logLevel') === 'cli',
      });
    });

  program
    .command('validate')
    .description('check FILE and print "ok: N tools, M prompts, K models", or every problem as FILE:LINE:COL: message')
    .argument('[file]', 'the agents file', 'agents.yaml')
    .option('--connect', 'also start each of mcpServers, list its tools and report every tools: entry that names no real tool')
    .action(async (file: string, opts: { connect?: boolean }) => {
      const { validateCommand } = await import('./commands/validate.js');
      code = await validateCommand({ ...globals(), file, connect: opts.connect });
    });

  program
    .command('call')
    .description('call one tool of a server and print its text (with no tool: list the tools and their arguments)')
    .argument('[tool]', 'the tool to call')
    .argument('[args...]', "arguments as key=value (typed by the tool's input schema)")
    .option('-c, --config <file>', 'the agents file to serve', 'agents.yaml')
    .option('--json <object>', 'arguments as a JSON object (key=value words are merged over it)')
    .option('--model <model>', 'run every tool on this model: a name from models:, provider:model-id, sampling or test')
    .option('--prompt <name>', 'render this prompt with the key=value words (instead of calling a tool)')
    .addOption(new Option('-o, --output <format>', 'print the text, or the whole result as JSON').choices(['text', 'json']).default('text'))
    .addOption(
      new Option('--timeout <duration>', 'give up after this long (progress keeps it alive)').argParser(duration).default(600_000, '10m'),
    )
    .addOption(samplingModelOption())
    .addOption(protocolOption())
    .option('--url <url>', 'call a running Streamable HTTP server (agent-mcp serve --http) instead of serving the file')
    .option(
      '--header <line>',
      'with --url: an HTTP header "Name: value" sent with every request (repeatable)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .action(
      async (
        tool: string | undefined,
        args: string[],
        opts: {
          config: string;
          json?: string;
          output: 'text' | 'json';
          timeout: number;
          samplingModel?: string;
          protocol: ProtocolChoice;
          model?: string;
          prompt?: string;
          url?: string;
          header?: string[];
        },
        cmd: Command,
      ) => {
        const { callCommand } = await import('./commands/call.js');
        code = await callCommand({
          ...globals(),
          config: opts.config,
          tool,
          args,
          json: opts.json,
          output: opts.output,
          timeoutMs: opts.timeout,
          logLevelGiven: program.getOptionValueSource('logLevel') === 'cli',
          samplingModel: opts.samplingModel,
          protocol: opts.protocol,
          model: opts.model,
          prompt: opts.prompt,
          url: opts.url,
          headers: opts.header,
          configGiven: cmd.getOptionValueSource('config') === 'cli',
        });
      },
    );

  program
    .command('test')
    .description('call every example of FILE over MCP, print "N passed, M failed"; exit 1 when one fails')
    .argument('[file]', 'the agents file', 'agents.yaml')
    .option('--model <model>', 'run every tool on this model (e.g. test, in CI without keys)')
    .option('--junit <file>', 'also write the results as JUnit XML to FILE')
    .option('--filter <text>', 'run only the cases whose name ("poet #1", "poet #2 (socks)") contains TEXT')
    .addOption(samplingModelOption())
    .addOption(protocolOption())
    .addOption(new Option('-j, --concurrency <n>', 'cases run at once').argParser(positiveInt).default(4))
    .option('--record <dir>', 'run on the real models and write every model exchange to DIR, one file per example (no keys in them)')
    .option('--replay <dir>', 'answer every model request from the recordings in DIR: offline, no keys')
    .option('--record-missing', 'with --replay: send what no recording matches to the real model and record it')
    .option('--judge-model <model>', 'the grader of expect.judge (default: defaults.judge)')
    .addOption(
      new Option('--repeat <n>', 'run each example N times (expect.passRate: the share that must pass)').argParser(positiveInt).default(1),
    )
    .addOption(new Option('--max-cost <amount>', 'stop starting examples once the run costs more (prices from pricing:)').argParser(amount))
    .action(async (file: string, opts: TestFlags) => {
      const { testCommand } = await import('./commands/test.js');
      code = await testCommand({
        ...globals(),
        file,
        ...opts,
        logLevelGiven: program.getOptionValueSource('logLevel') === 'cli',
      });
    });

  program
    .command('install')
    .description(
      "add FILE's server to a client: claude-desktop, cursor, vscode (merged into their config, a .bak kept), or print the command for claude-code",
    )
    .addArgument(
      new Argument('<client>', 'the client').choices(['claude-desktop', 'cursor', 'vscode', 'claude-code'] satisfies ClientName[]),
    )
    .argument('[file]', 'the agents file', 'agents.yaml')
    .option('--name <name>', "the server's name in the client (default: server.name of FILE)")
    .option('--force', 'replace a server of the same name')
    .option('--print', 'print the resulting config (or command) and change nothing')
    .option('--global', "cursor, vscode: the user's config instead of the project's; claude-code: --scope user")
    .option('--with-env', 'write the values of the environment variables FILE uses, from this shell')
    .option('--npx', 'start the published agent-mcp with npx (the default when this copy is the published package)')
    .option('--no-npx', 'start this node and this agent-mcp by absolute path (the default from a clone, a tarball or npm link)')
    .action(
      async (
        client: ClientName,
        file: string,
        opts: { name?: string; force?: boolean; print?: boolean; global?: boolean; withEnv?: boolean; npx?: boolean },
      ) => {
        const { installCommand } = await import('./commands/install.js');
        code = installCommand({
          ...globals(),
          client,
          file,
          name: opts.name,
          force: opts.force ?? false,
          print: opts.print ?? false,
          global: opts.global ?? false,
          withEnv: opts.withEnv ?? false,
          npx: opts.npx,
        });
      },
    );

  program
    .command('init')
    .description('write a commented starter agents file that runs offline (never overwrites)')
    .argument('[file]', 'the file to create', 'agents.yaml')
    .action(async (file: string) => {
      const { initCommand } = await import('./commands/init.js');
      code = initCommand({ ...globals(), file });
    });

  await program.parseAsync(argv, { from: 'user' });
  return code;
}
