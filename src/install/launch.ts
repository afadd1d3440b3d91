// How a client starts the server: `npx -y agent-mcp@VERSION serve FILE` (the default) or this node and this
// agent-mcp by absolute path (--no-npx).
//
// Why npx by default: the entry keeps working after node upgrades, version-manager switches and a reinstall of
// agent-mcp, and it is the form every client documents. Its weak spots are a client whose PATH lacks npx (GUI apps
// on macOS do not read shell profiles, so nvm users see "spawn npx ENOENT") and a download on the first start;
// --no-npx avoids both at the price of breaking when that node or that install moves. The version is pinned to the
// agent-mcp that validated the file, because clients restart servers unattended and a silent upgrade should not
// change how the file is read; re-run `install --force` after upgrading.
import { realpathSync } from 'node:fs';
import type { Platform } from './context.js';

export interface Launch {
  command: string;
  args: string[];
  /** Environment values to write (only with --with-env). */
  env?: Record<string, string>;
}

export interface LaunchOptions {
  file: string;
  npx: boolean;
  platform: Platform;
  version: string;
}

export function launchFor(options: LaunchOptions): Launch {
  const serve = ['serve', options.file];
  if (!options.npx) return { command: process.execPath, args: [binPath(), ...serve] };
  const spec = /dev/.test(options.version) ? 'agent-mcp' : `agent-mcp@${options.version}`;
  const npx = ['-y', spec, ...serve];
  // Windows clients spawn without a shell, and npx is a .cmd script there: run it through cmd.
  return options.platform === 'win32' ? { command: 'cmd', args: ['/c', 'npx', ...npx] } : { command: 'npx', args: npx };
}

/** The agent-mcp script this process runs from (through any node_modules/.bin symlink). */
export function binPath(): string {
  const script = process.argv[1]!;
  try {
    return realpathSync(script);
  } catch {
    return script;
  }
}

/** npx runs packages from a cache npm may clear: an absolute path into it will not last. */
export function isNpxCache(path: string): boolean {
  return /[\\/]_npx[\\/]/.test(path);
}

export function commandLine(launch: Launch, platform: Platform): string {
  return [launch.command, ...launch.args].map((a) => quote(a, platform)).join(' ');
}

/** Quote one word for the user's shell (POSIX sh, or cmd/PowerShell on Windows). */
export function quote(word: string, platform: Platform): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  if (platform === 'win32') return `"${word.replace(/"/g, '""')}"`;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
