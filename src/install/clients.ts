// The clients agent-mcp installs into: where each keeps its config and how an entry looks there.
import { join } from 'node:path';
import { appDataDir, type InstallContext } from './context.js';
import type { Launch } from './launch.js';

export interface JsonClient {
  /** Name shown to the user. */
  label: string;
  /** The config file. */
  file(ctx: InstallContext): string;
  /** The top-level key holding the servers. */
  key: string;
  entry(launch: Launch): Record<string, unknown>;
  /** What the user does next for the client to see the server. */
  after: string;
  /** The file is JSON with comments (edited in place, comments kept). */
  jsonc?: boolean;
  /** Project-scope entries may write paths inside the workspace as ${workspaceFolder}/… */
  workspaceFolder?: boolean;
}

/** {command, args, env}: the mcpServers format of Claude Desktop and Cursor. */
function mcpServersEntry(launch: Launch): Record<string, unknown> {
  return { command: launch.command, args: launch.args, ...(launch.env && Object.keys(launch.env).length ? { env: launch.env } : {}) };
}

export const claudeDesktop: JsonClient = {
  label: 'Claude Desktop',
  // One file per user on every OS; --global changes nothing.
  file: (ctx) => join(appDataDir(ctx), 'Claude', 'claude_desktop_config.json'),
  key: 'mcpServers',
  entry: mcpServersEntry,
  after: 'Restart Claude Desktop (quit it fully) to load the server.',
};

export const cursor: JsonClient = {
  label: 'Cursor',
  file: (ctx) => (ctx.global ? join(ctx.home, '.cursor', 'mcp.json') : join(ctx.cwd, '.cursor', 'mcp.json')),
  key: 'mcpServers',
  entry: mcpServersEntry,
  after: 'Cursor lists it in its settings among the MCP tools; switch it on there if it is off.',
  workspaceFolder: true,
};

export const vscode: JsonClient = {
  label: 'VS Code',
  // The workspace's .vscode/mcp.json, or the user profile's mcp.json with --global.
  file: (ctx) => (ctx.global ? join(appDataDir(ctx), 'Code', 'User', 'mcp.json') : join(ctx.cwd, '.vscode', 'mcp.json')),
  key: 'servers',
  entry: (launch) => ({ type: 'stdio', ...mcpServersEntry(launch) }),
  after: 'In VS Code, start it from the MCP: List Servers command (or the Start link above the entry in mcp.json).',
  jsonc: true,
  workspaceFolder: true,
};

export const JSON_CLIENTS: Record<string, JsonClient> = { 'claude-desktop': claudeDesktop, cursor, vscode };
export const CLIENTS = ['claude-desktop', 'cursor', 'vscode', 'claude-code'] as const;
export type ClientName = (typeof CLIENTS)[number];
