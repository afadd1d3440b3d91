// `agent-mcp call`: an MCP client in a shell. Spawns `serve` for the file, calls one tool, prints the result.
import {
  ProtocolError,
  SdkError,
  SdkErrorCode,
  type CallToolResult,
  type Client,
  type GetPromptResult,
  type Tool,
} from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { loadConfigFile } from '../config/load.js';
import { resolveModelFlag } from '../config/model-override.js';
import { AgentMcpError } from '../errors.js';
import { createLogger, diagnostic, type GlobalOptions } from './context.js';
import { answerSampling, resolveSamplingModel } from './sampling-handler.js';
import { describeArguments, parseCallArgs } from './call-args.js';
import { suggestion } from '../util/did-you-mean.js';
import { connectError, httpClientTransport } from './call-http.js';
import { connectClient, createClient, type ProtocolChoice } from './mcp-client.js';
import { answerFacts, answeredBy } from '../util/answered-by.js';
import { callTool } from '../util/call-tool.js';

export interface CallOptions extends GlobalOptions {
  config: string;
  tool?: string;
  args: string[];
  json?: string;
  output: 'text' | 'json';
  timeoutMs: number;
  /** Flags given explicitly on the command line, passed on to the spawned server. */
  logLevelGiven: boolean;
  /** --sampling-model: declare sampling to the server and answer its requests with this model (else no sampling). */
  samplingModel?: string;
  /** --url: a running Streamable HTTP server to call instead of spawning `serve` (with --header lines). */
  url?: string;
  headers?: string[];
  /** --model: run every tool of the served file on this model (as `serve --model`). */
  model?: string;
  /** --prompt NAME: render this prompt with the key=value words instead of calling a tool. */
  prompt?: string;
  /** -c was given: with --url the file is only read when asked for (for --sampling-model names). */
  configGiven?: boolean;
  /** --protocol: the era to speak (default: 2025). */
  protocol?: ProtocolChoice;
}

export async function callCommand(options: CallOptions): Promise<number> {
  // Check the file here first, so its problems come out located (exit 2), not as a server that died.
  if (options.headers?.length && !options.url) throw new AgentMcpError('call: --header only applies with --url', 2);
  const config = options.url && !options.configGiven ? undefined : loadConfigFile(options.config);
  const samplingModel = options.samplingModel ? resolveSamplingModel(options.samplingModel, config) : undefined;
  if (options.model && options.url) throw new AgentMcpError('call: --model applies to the file it serves, not with --url', 2);
  if (options.model && config) resolveModelFlag(config, options.model);
  const transport = options.url
    ? httpClientTransport(options.url, options.headers ?? [])
    : new StdioClientTransport({
        command: process.execPath,
        args: [
          process.argv[1]!,
          'serve',
          options.config,
          '--log-level',
          options.logLevelGiven ? options.logLevel : 'error',
          '--log-format',
          options.logFormat,
          ...(options.model ? ['--model', options.model] : []),
        ],
        stderr: 'inherit',
        env: process.env as Record<string, string>,
      });
  // Sampling is declared only when asked for: otherwise a chain that starts with `sampling` moves on to its next
  // model, as under a client that cannot sample, so the keys in the environment are what runs.
  const client = createClient('agent-mcp-call', options.protocol ?? '2025', samplingModel !== undefined);
  const sample = samplingModel ? answerSampling(client, samplingModel, createLogger(options)) : undefined;
  try {
    await connectClient(client, transport, 'agent-mcp-call', sample).catch((err: unknown) => {
      throw options.url ? connectError(err, options.url) : err;
    });
    if (options.prompt !== undefined) return await renderPrompt(client, options);
    const { tools } = await client.listTools();
    if (!options.tool) return listTools(tools);
    const tool = tools.find((t) => t.name === options.tool);
    if (!tool) {
      throw new AgentMcpError(
        `no tool "${options.tool}"${suggestion(
          options.tool,
          tools.map((t) => t.name),
        )}; tools: ${tools.map((t) => t.name).join(', ') || '(none)'}`,
        2,
      );
    }
    const args = parseCallArgs(options.args, options.json, tool.inputSchema as never, tool.name);
    const status = progressLine();
    let result: CallToolResult;
    try {
      // onprogress makes the SDK send a progress token and reset the timeout on each notification, so a long
      // agent run (the server sends a heartbeat at least every 10 s) is not cut off while it works.
      result = await callTool(
        client,
        tool,
        { name: tool.name, arguments: args },
        {
          timeout: options.timeoutMs,
          resetTimeoutOnProgress: true,
          onprogress: (p: { message?: string }) => status.show(p.message),
        },
      );
    } catch (err) {
      throw callFailure(err, options.timeoutMs);
    } finally {
      status.clear();
    }
    const facts = answerFacts(result);
    const who = result.isError ? undefined : answeredBy(facts);
    if (who) diagnostic(options, 'info', who, { model: facts?.model, skipped: facts?.skipped });
    return printResult(result, options.output);
  } finally {
    // Over HTTP, end the session too: the server would otherwise hold it until its idle timeout.
    if ('terminateSession' in transport) await transport.terminateSession().catch(() => {});
    await client.close().catch(() => {});
  }
}

/** The client's protocol errors as user-facing failures (exit 1), not internal errors with a stack. */
function callFailure(err: unknown, timeoutMs: number): unknown {
  if (err instanceof SdkError) {
    if (err.code === SdkErrorCode.RequestTimeout) {
      return new AgentMcpError(`no answer within ${timeoutMs / 1000}s and no progress meanwhile (raise --timeout)`, 1);
    }
    if (err.code === SdkErrorCode.ConnectionClosed)
      return new AgentMcpError('the server stopped before it answered (its messages are above)', 1);
    return new AgentMcpError(`the call failed: ${err.message}`, 1);
  }
  if (err instanceof ProtocolError) return new AgentMcpError(`the call failed: ${err.message}`, 1);
  return err;
}

/** On a terminal, the call's latest progress message as one line of stderr, rewritten in place. */
function progressLine(): { show(message: string | undefined): void; clear(): void } {
  const tty = process.stderr.isTTY;
  let shown = false;
  return {
    show(message) {
      if (!tty || !message) return;
      const width = Math.max(20, (process.stderr.columns ?? 80) - 1);
      const line = message.replace(/\s+/g, ' ').trim().slice(0, width);
      process.stderr.write(`\r\x1b[2K${line}`);
      shown = true;
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}

/** `call --prompt NAME key=value`: the prompt's messages, as a client would get them from prompts/get. */
async function renderPrompt(client: Client, options: CallOptions): Promise<number> {
  const { prompts } = await client.listPrompts();
  const prompt = prompts.find((p) => p.name === options.prompt);
  if (!prompt) {
    const names = prompts.map((p) => p.name);
    throw new AgentMcpError(
      `no prompt "${options.prompt}"${suggestion(options.prompt!, names)}; prompts: ${names.join(', ') || '(none)'}`,
      2,
    );
  }
  const args: Record<string, string> = {};
  for (const word of [options.tool, ...options.args].filter((w): w is string => w !== undefined)) {
    const eq = word.indexOf('=');
    const key = word.slice(0, Math.max(eq, 0));
    if (eq <= 0) throw new AgentMcpError(`expected key=value, got "${word}"`, 2);
    const declared = (prompt.arguments ?? []).map((a) => a.name);
    if (!declared.includes(key))
      throw new AgentMcpError(
        `prompt ${prompt.name} has no argument "${key}"${suggestion(key, declared)}; arguments: ${declared.join(', ') || '(none)'}`,
        2,
      );
    args[key] = word.slice(eq + 1);
  }
  let result: GetPromptResult;
  try {
    result = await client.getPrompt({ name: prompt.name, arguments: args });
  } catch (err) {
    throw err instanceof ProtocolError ? new AgentMcpError(err.message, 2) : err;
  }
  if (options.output === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else
    for (const m of result.messages)
      process.stdout.write(`${m.role}: ${m.content.type === 'text' ? m.content.text : `[${m.content.type}]`}\n`);
  return 0;
}

function listTools(tools: Tool[]): number {
  const out: string[] = [];
  for (const t of tools) {
    out.push(`${t.name}${t.description ? ` - ${t.description}` : ''}`);
    for (const line of describeArguments(t.inputSchema as never)) out.push(`  ${line}`);
  }
  process.stdout.write(out.length ? out.join('\n') + '\n' : '(no tools)\n');
  return 0;
}

export function printResult(result: CallToolResult, output: 'text' | 'json'): number {
  if (output === 'json') {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return result.isError ? 1 : 0;
  }
  const text = result.content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join('\n');
  if (result.isError) {
    process.stderr.write(`error: ${text}\n`);
    return 1;
  }
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  return 0;
}
