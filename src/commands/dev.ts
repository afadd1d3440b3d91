// `agent-mcp dev [file]`: the edit-and-try loop. Serves the file (reloaded on save) and opens a terminal session on
// it: list tools and prompts, call a tool with key=value (Tab completes tool and argument names), watch the answer
// stream in, then see which model answered, the tokens and the time. The session outlives reloads, history included.
import { createInterface, type Interface } from 'node:readline';
import type { Client, Prompt, Tool } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { loadConfigFile } from '../config/load.js';
import { resolveModelFlag } from '../config/model-override.js';
import { AgentMcpError, errorMessage } from '../errors.js';
import { answerFacts, answeredBy } from '../util/answered-by.js';
import { suggestion } from '../util/did-you-mean.js';
import { describeArguments, parseCallArgs } from './call-args.js';
import type { GlobalOptions } from './context.js';
import { answerSampling, resolveSamplingModel } from './sampling-handler.js';
import { createLogger } from './context.js';
import { createClient } from './mcp-client.js';
import { callTool as callMcpTool } from '../util/call-tool.js';

export interface DevOptions extends GlobalOptions {
  file: string;
  model?: string;
  samplingModel?: string;
  logLevelGiven: boolean;
  /** For tests: where the session reads and writes (default the process's stdin and stdout). */
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

const HELP = `commands:
  tools                      list the tools and their arguments
  prompts                    list the prompts and their arguments
  TOOL key=value ...         call a tool (Tab completes tool and argument names)
  prompt NAME key=value ...  render a prompt
  help                       this text
  exit                       leave (or Ctrl+D)`;

const COMMANDS = ['tools', 'prompts', 'prompt', 'help', 'exit'];
const dim = (tty: boolean, s: string) => (tty ? `\x1b[2m${s}\x1b[0m` : s);

/** Split a line into words: spaces separate, '…' and "…" quote (so theme="two words" is one word). */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let any = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      any = true;
    } else if (/\s/.test(ch)) {
      if (word || any) words.push(word);
      word = '';
      any = false;
    } else {
      word += ch;
      any = true;
    }
  }
  if (word || any) words.push(word);
  return words;
}

export async function devCommand(options: DevOptions): Promise<number> {
  // The file's problems come out located before anything starts (exit 2); later edits are reported by the watcher.
  const config = loadConfigFile(options.file);
  if (options.model) resolveModelFlag(config, options.model);
  const samplingModel = options.samplingModel ? resolveSamplingModel(options.samplingModel, config) : undefined;
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const tty = (output as NodeJS.WriteStream).isTTY === true;
  const args = [
    process.argv[1]!,
    'serve',
    options.file,
    '--watch',
    '--log-level',
    options.logLevelGiven ? options.logLevel : 'warning',
    '--log-format',
    options.logFormat,
  ];
  if (options.model) args.push('--model', options.model);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args,
    stderr: 'pipe',
    env: process.env as Record<string, string>,
  });
  const client = createClient('agent-mcp-dev', '2025', samplingModel !== undefined);
  if (samplingModel) answerSampling(client, samplingModel, createLogger(options));

  let rl: Interface | undefined;
  // Anything printed while the prompt waits (server log lines, reload notes) goes above it, then the prompt is redrawn.
  const above = (text: string) => {
    if (rl && tty) output.write('\r\x1b[2K');
    output.write(text.endsWith('\n') ? text : `${text}\n`);
    if (rl && !busy) rl.prompt(true);
  };
  let busy = false;
  let pendingErr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    pendingErr += chunk.toString();
    const lines = pendingErr.split('\n');
    pendingErr = lines.pop()!;
    for (const line of lines) if (line.trim()) above(dim(tty, line));
  });

  let tools: Tool[] = [];
  let prompts: Prompt[] = [];
  const refresh = async () => {
    tools = (await client.listTools()).tools;
    prompts = (await client.listPrompts()).prompts;
  };
  client.setNotificationHandler('notifications/tools/list_changed', async () => {
    await refresh().catch(() => {});
    above(dim(tty, `reloaded ${options.file}: ${count(tools.length, 'tool')}, ${count(prompts.length, 'prompt')}`));
  });
  client.setNotificationHandler('notifications/prompts/list_changed', async () => {
    await refresh().catch(() => {});
  });

  try {
    await client.connect(transport);
    await refresh();
  } catch (err) {
    await client.close().catch(() => {});
    throw new AgentMcpError(`the server did not start: ${errorMessage(err)}`, 1);
  }

  output.write(
    `agent-mcp dev: serving ${options.file} (reloaded on save): ${count(tools.length, 'tool')}, ${count(prompts.length, 'prompt')}\n` +
      `Type a tool name and key=value arguments (Tab completes), "help" for more, Ctrl+D to leave.\n`,
  );

  rl = createInterface({
    input,
    output,
    terminal: tty,
    prompt: '> ',
    historySize: 500,
    completer: (line: string) => complete(line, tools, prompts),
  });
  const session = rl;
  session.prompt();
  try {
    for await (const line of session) {
      busy = true;
      try {
        const done = await runLine(line, { client, tools, prompts, output, tty });
        if (done) break;
      } catch (err) {
        output.write(`error: ${errorMessage(err)}\n`);
      } finally {
        busy = false;
      }
      session.prompt();
    }
  } finally {
    session.close();
    await client.close().catch(() => {});
  }
  return 0;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Tab: the first word completes to a tool or a command; later words to `name=` of the tool's (or prompt's) arguments. */
export function complete(line: string, tools: Tool[], prompts: Prompt[]): [string[], string] {
  const words = line.split(/\s+/);
  const last = words.at(-1) ?? '';
  if (words.length <= 1) {
    const names = [...tools.map((t) => t.name), ...COMMANDS];
    const hits = names.filter((n) => n.startsWith(last));
    return [hits.map((h) => `${h} `), last];
  }
  if (words[0] === 'prompt') {
    if (words.length === 2) return [prompts.map((p) => `${p.name} `).filter((n) => n.startsWith(last)), last];
    const prompt = prompts.find((p) => p.name === words[1]);
    const names = (prompt?.arguments ?? []).map((a) => `${a.name}=`);
    return [names.filter((n) => n.startsWith(last) && !words.slice(2, -1).some((w) => w.startsWith(n))), last];
  }
  const tool = tools.find((t) => t.name === words[0]);
  if (!tool || last.includes('=')) return [[], last];
  const names = Object.keys((tool.inputSchema.properties as object | undefined) ?? {}).map((n) => `${n}=`);
  return [names.filter((n) => n.startsWith(last) && !words.slice(1, -1).some((w) => w.startsWith(n))), last];
}

interface LineContext {
  client: Client;
  tools: Tool[];
  prompts: Prompt[];
  output: NodeJS.WritableStream;
  tty: boolean;
}

/** One line of the session; true when the session should end. */
async function runLine(line: string, ctx: LineContext): Promise<boolean> {
  const words = splitWords(line.trim());
  const [head, ...rest] = words;
  const { output } = ctx;
  if (!head) return false;
  if (head === 'exit' || head === 'quit') return true;
  if (head === 'help') {
    output.write(`${HELP}\n`);
    return false;
  }
  if (head === 'tools') {
    const lines = ctx.tools.flatMap((t) => [
      `${t.name}${t.description ? ` - ${t.description}` : ''}`,
      ...describeArguments(t.inputSchema as never).map((l) => `  ${l}`),
    ]);
    output.write(`${lines.length ? lines.join('\n') : '(no tools)'}\n`);
    return false;
  }
  if (head === 'prompts') {
    const lines = ctx.prompts.flatMap((p) => [
      `${p.name}${p.description ? ` - ${p.description}` : ''}`,
      ...(p.arguments ?? []).map((a) => `  ${a.name}${a.required ? ' (required)' : ''}${a.description ? `: ${a.description}` : ''}`),
    ]);
    output.write(`${lines.length ? lines.join('\n') : '(no prompts)'}\n`);
    return false;
  }
  if (head === 'prompt') {
    const [name, ...pairs] = rest;
    const prompt = ctx.prompts.find((p) => p.name === name);
    if (!prompt)
      throw new Error(
        `no prompt "${name ?? ''}"${suggestion(
          name ?? '',
          ctx.prompts.map((p) => p.name),
        )}; prompts: ${ctx.prompts.map((p) => p.name).join(', ') || '(none)'}`,
      );
    const args = Object.fromEntries(pairs.map((w) => [w.slice(0, Math.max(0, w.indexOf('='))) || w, w.slice(w.indexOf('=') + 1)]));
    const result = await ctx.client.getPrompt({ name: prompt.name, arguments: args });
    for (const m of result.messages) output.write(`${m.role}: ${m.content.type === 'text' ? m.content.text : `[${m.content.type}]`}\n`);
    return false;
  }
  const tool = ctx.tools.find((t) => t.name === head);
  if (!tool) {
    const names = [...ctx.tools.map((t) => t.name), ...COMMANDS];
    throw new Error(`no tool or command "${head}"${suggestion(head, names)} ("tools" lists the tools, "help" the commands)`);
  }
  await callTool(tool, rest, ctx);
  return false;
}

async function callTool(tool: Tool, words: string[], ctx: LineContext): Promise<void> {
  const { output, tty } = ctx;
  const args = parseCallArgs(words, undefined, tool.inputSchema as never, tool.name);
  const started = performance.now();
  let streamed = '';
  const result = await callMcpTool(
    ctx.client,
    tool,
    { name: tool.name, arguments: args },
    {
      timeout: 600_000,
      resetTimeoutOnProgress: true,
      onprogress: (p: { message?: string }) => {
        const message = p.message ?? '';
        // Step lines and heartbeats are status, not the answer; the rest is streamed text.
        if (/^([\w.-]+: )?step \d+\/\d+: |\(still working\)$|^working$/.test(message) || /failed; falling back|retry \d/.test(message))
          return;
        streamed += message;
        output.write(message);
      },
    },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const text = result.content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join('\n');
  output.write(answerAfterStream(streamed, text, result.isError === true));
  const facts = answerFacts(result);
  const tokens = facts?.usage ? (facts.usage.inputTokens ?? 0) + (facts.usage.outputTokens ?? 0) : undefined;
  const who = answeredBy(facts);
  const parts = [result.isError ? undefined : who, tokens !== undefined ? `${tokens} tokens` : undefined, `${seconds}s`];
  output.write(`${dim(tty, `(${parts.filter(Boolean).join(' · ')})`)}\n`);
}

/**
 * What to print once the answer is in, after `streamed` was shown as it came. The server writes the last chunk before
 * the answer, but the SDK client may handle the answer first and then drop that progress (typescript-sdk#2580: 40-90
 * of 200 calls here lost their last chunk): what streamed is then a prefix of the answer. Finish the line, never
 * repeat it.
 */
export function answerAfterStream(streamed: string, text: string, isError: boolean): string {
  const line = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);
  const gap = streamed && !streamed.endsWith('\n') ? '\n' : '';
  if (isError) return `${gap}error: ${line(text)}`;
  if (!streamed) return line(text);
  if (text.startsWith(streamed)) {
    const rest = text.slice(streamed.length);
    return rest ? line(rest) : gap;
  }
  if (streamed.trim() === text.trim()) return gap;
  return `${gap}${line(text)}`;
}
