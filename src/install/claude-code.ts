// Claude Code keeps its own registry of servers: agent-mcp prints the `claude mcp add` command instead of editing it.
import type { InstallContext } from './context.js';
import { quote, type Launch } from './launch.js';

/** `--scope local` (this project, only you) or `--scope user` (every project) with --global. */
export function claudeMcpAdd(name: string, launch: Launch, ctx: InstallContext): string {
  const words = ['claude', 'mcp', 'add', '--transport', 'stdio', '--scope', ctx.global ? 'user' : 'local'];
  for (const [k, v] of Object.entries(launch.env ?? {})) words.push('-e', `${k}=${v}`);
  // Options come before the name; everything after `--` is the server's own command line.
  words.push(name, '--', launch.command, ...launch.args);
  return words.map((w) => quote(w, ctx.platform)).join(' ');
}
