// `agent-mcp install <client> [file]`: add the file's server to an MCP client's config (or print Claude Code's
// command). The file is validated first: a client should never be handed a server that cannot start.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfigFile } from '../config/load.js';
import type { Config } from '../config/types.js';
import { ConfigError, formatIssue } from '../errors.js';
import { claudeMcpAdd } from '../install/claude-code.js';
import { JSON_CLIENTS, type ClientName, type JsonClient } from '../install/clients.js';
import { installContext, type InstallContext } from '../install/context.js';
import { configEnvVars, envValues, type EnvVar } from '../install/env-vars.js';
import { mergeServer, readJsonConfig, writeJsonConfig } from '../install/json-config.js';
import { binPath, commandLine, isNpxCache, isPublishedCopy, launchFor, type Launch } from '../install/launch.js';
import { workspaceRelative } from '../install/workspace-paths.js';
import { testOnlyTools } from '../install/test-only.js';
import { diagnostic, type GlobalOptions } from './context.js';

declare const AGENT_MCP_VERSION: string;
const VERSION = typeof AGENT_MCP_VERSION === 'string' ? AGENT_MCP_VERSION : '0.0.0-dev';

export interface InstallOptions extends GlobalOptions {
  client: ClientName;
  file: string;
  name?: string;
  force: boolean;
  print: boolean;
  global: boolean;
  withEnv: boolean;
  /** --npx / --no-npx; undefined: npx only when this copy is the published package. */
  npx?: boolean;
}

type Say = (line: string) => void;

export function installCommand(options: InstallOptions): number {
  const ctx = installContext(process.env, process.cwd(), options.global);
  const file = resolve(ctx.cwd, options.file);
  const { config, vars } = loadForInstall(file);
  const name = options.name ?? config.server.name;
  // With --print, stdout carries only the result (JSON or the command), so it can be piped; notes go to stderr.
  const note: Say = (line) => diagnostic(options, line.startsWith('warning: ') ? 'warning' : 'notice', line);
  const say: Say = options.print ? note : (line) => process.stdout.write(`${line}\n`);
  const npx = options.npx ?? isPublishedCopy(binPath(), VERSION);
  if (options.npx === undefined && !npx) {
    note(
      `note: this agent-mcp (${binPath()}) is not the published package, so the entry runs it by absolute path with this node; --npx writes the npx form instead`,
    );
  }
  for (const { tool, reasons } of testOnlyTools(config, options.client === 'vscode')) {
    note(`warning: tool ${tool}: only the test model of its chain can answer here (canned replies, not real ones): ${reasons.join('; ')}`);
  }
  const launch: Launch = launchFor({ file, npx, platform: ctx.platform, version: VERSION });
  if (options.withEnv) launch.env = envValues(vars, process.env);
  if (!npx && isNpxCache(binPath())) {
    note(
      `warning: this agent-mcp runs from npx's cache (${binPath()}), which npm may clear; install agent-mcp (npm i -g agent-mcp) before using --no-npx`,
    );
  }

  if (options.client === 'claude-code') {
    process.stdout.write(`${claudeMcpAdd(name, launch, ctx)}\n`);
    envNotes(vars, options.withEnv, 'add -e NAME=value to the command', note);
    return 0;
  }
  const client = JSON_CLIENTS[options.client]!;
  return installJson(client, ctx, name, launch, options, say, note, vars);
}

function installJson(
  client: JsonClient,
  ctx: InstallContext,
  name: string,
  launch: Launch,
  options: InstallOptions,
  say: Say,
  note: Say,
  vars: EnvVar[],
): number {
  const path = client.file(ctx);
  const runs = client.workspaceFolder && !ctx.global ? workspaceRelative(launch, ctx.cwd) : launch;
  const entry = client.entry(runs);
  const hint = `Add this entry under "${client.key}" by hand:\n${JSON.stringify({ [name]: entry }, null, 2)}`;
  const current = readJsonConfig(path, hint, client.jsonc);
  const merged = mergeServer(current, client.key, name, entry, options.force, hint);
  const envHint = `add them under "env" in ${path}`;
  if (options.print) {
    process.stdout.write(merged.text);
    note(`(--print: ${path} was not changed)`);
    envNotes(vars, options.withEnv, envHint, note);
    return 0;
  }
  if (merged.status === 'unchanged') {
    say(`${client.label} already has this "${name}" server: ${path} (nothing changed)`);
    envNotes(vars, options.withEnv, envHint, note);
    return 0;
  }
  const { backup } = writeJsonConfig(current, merged.text);
  say(`${merged.status === 'added' ? 'Added' : 'Replaced'} server "${name}" in ${client.label}: ${path}`);
  if (backup) say(`Previous file kept as ${backup}`);
  say(`It runs: ${commandLine(runs, ctx.platform)}`);
  envNotes(vars, options.withEnv, envHint, say);
  say(client.after);
  return 0;
}

/**
 * Load and validate the file. Variables missing from this shell are not fatal here: the client may be the one that
 * sets them (through "env"); they are reported as unset instead.
 */
function loadForInstall(path: string): { config: Config; vars: EnvVar[] } {
  const loaded: NodeJS.ProcessEnv = { ...process.env };
  const unset = new Set<string>();
  let config: Config;
  try {
    config = loadConfigFile(path, { env: loaded });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const missing = err.issues.map((i) => /^environment variable (\w+) is not set/.exec(i.message)?.[1]);
    if (missing.some((m) => m === undefined)) throw err;
    for (const m of missing) unset.add(m!);
    // A stand-in value lets the rest of the file be checked; it is never written anywhere.
    config = loadConfigFile(path, { env: { ...loaded, ...Object.fromEntries([...unset].map((n) => [n, 'unset'])) } });
  }
  for (const w of config.warnings) if (!/ is not set; model /.test(w.message)) process.stderr.write(`${formatIssue(w)} (warning)\n`);
  return { config, vars: configEnvVars(config, readFileSync(path, 'utf8'), process.env, loaded, unset) };
}

function envNotes(vars: EnvVar[], withEnv: boolean, how: string, say: Say): void {
  if (!vars.length) return;
  const list = (source: EnvVar['source']) => vars.filter((v) => v.source === source).map((v) => v.name);
  const [shell, dotenv, defaulted, unset] = [list('shell'), list('dotenv'), list('default'), list('unset')];
  say(`Environment variables the file uses: ${vars.map((v) => v.name).join(', ')}`);
  if (withEnv && shell.length) say(`  written with their values from this shell: ${shell.join(', ')}`);
  // Clients start servers with their own environment, not the shell's: say what the server will lack.
  if (!withEnv && shell.length)
    say(`  set in this shell, not written: ${shell.join(', ')} (rerun with --with-env to write their values, or ${how})`);
  if (dotenv.length) say(`  read by the server from the .env beside the file: ${dotenv.join(', ')}`);
  if (defaulted.length) say(`  not set, the file's default applies: ${defaulted.join(', ')}`);
  if (unset.length) say(`  not set in this shell: ${unset.join(', ')} (set and rerun with --with-env, or ${how})`);
}
