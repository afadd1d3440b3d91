// Drive the built CLI the way users and MCP clients do: as a child process.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/agent-mcp.js');

/** The environment without any real provider key, so no test can reach a real API by accident. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/API_KEY|TOKEN/.test(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

/** A fresh temporary folder holding `agents.yaml` (and any other files given). */
export function writeConfig(yaml: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'agent-mcp-test-'));
  writeFileSync(join(dir, 'agents.yaml'), yaml);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return join(dir, 'agents.yaml');
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `agent-mcp ARGS` to completion. */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; input?: string } = {},
): Promise<CliRun> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { env: options.env ?? cleanEnv(), cwd: options.cwd ?? ROOT, timeout: options.timeoutMs ?? 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin!.end(options.input);
    else child.stdin!.end();
  });
}

/**
 * Run `agent-mcp ARGS` in this process, for commands whose process is not the point (file writers, validation):
 * the same code path as the CLI's (argv in, exit code out, the same error handling) without a process start.
 * process.env, argv (the script is bin/agent-mcp.js, as when spawned), the working directory and stdout/stderr are
 * swapped for the call (tests in a file run one at a time); no stdin. Anything about stdio, signals, exit or loading
 * stays with runCli.
 */
export async function runInProcess(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliRun> {
  // The version the build stamps into dist/ (esbuild's define), for the source to read the same.
  const stamped = globalThis as { AGENT_MCP_VERSION?: string };
  stamped.AGENT_MCP_VERSION ??= JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const { runToExitCode } = await import('../../src/entry.ts');
  const saved = { env: process.env, argv: process.argv, cwd: process.cwd() };
  // Streams of its own for the command. (Not by patching write() on the real ones: the test runner reports through
  // this process's stdout, holding the stream it started with.)
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const streams = { stdout: sink((t) => (stdout += t)), stderr: sink((t) => (stderr += t)) };
  const real = { stdout: Object.getOwnPropertyDescriptor(process, 'stdout')!, stderr: Object.getOwnPropertyDescriptor(process, 'stderr')! };
  Object.defineProperty(process, 'stdout', { configurable: true, get: () => streams.stdout });
  Object.defineProperty(process, 'stderr', { configurable: true, get: () => streams.stderr });
  process.env = options.env ?? cleanEnv();
  process.argv = [process.execPath, BIN, ...args];
  process.chdir(options.cwd ?? ROOT);
  try {
    const code = await runToExitCode(args);
    return { code, stdout, stderr };
  } finally {
    Object.defineProperty(process, 'stdout', real.stdout);
    Object.defineProperty(process, 'stderr', real.stderr);
    process.chdir(saved.cwd);
    process.argv = saved.argv;
    process.env = saved.env;
  }
}

export interface Connected {
  client: Client;
  transport: StdioClientTransport;
  /** Everything the server wrote on stderr so far. */
  stderr: () => string;
  close: () => Promise<void>;
}

/** Start `agent-mcp serve FILE` and connect an SDK client to it over stdio. */
export async function connectStdio(
  file: string,
  options: { env?: Record<string, string>; args?: string[]; capabilities?: ConstructorParameters<typeof Client>[1] } = {},
): Promise<Connected> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'serve', file, ...(options.args ?? [])],
    env: options.env ?? cleanEnv(),
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const client = new Client({ name: 'agent-mcp-tests', version: '1.0.0' }, options.capabilities);
  await client.connect(transport);
  return { client, transport, stderr: () => err, close: () => client.close() };
}

/**
 * A CommonJS compile hook for a served process (pass `nodeOptions` as its NODE_OPTIONS): which files it loaded, to
 * prove that what a config does not use stays unloaded (dist/ and its vendor bundles are loaded with require()).
 */
export function cjsLoadRecorder(dir = mkdtempSync(join(tmpdir(), 'agent-mcp-loads-'))): { nodeOptions: string; loaded: () => string[] } {
  const log = join(dir, 'loaded.txt');
  writeFileSync(
    join(dir, 'record.cjs'),
    `const Module = require('node:module');
const { appendFileSync } = require('node:fs');
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  appendFileSync(${JSON.stringify(log)}, filename + '\\n');
  return compile.call(this, content, filename);
};
`,
  );
  return {
    nodeOptions: `--require=${join(dir, 'record.cjs')}`,
    loaded: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
  };
}
