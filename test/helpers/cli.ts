// Drive the built CLI the way users and MCP clients do: as a child process.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
