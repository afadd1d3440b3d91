// How a client starts the server: `npx -y agent-mcp@VERSION serve FILE` (the published form) or this node and this
// agent-mcp by absolute path (--no-npx, and the default when this copy is not the published package: a clone, a
// packed tarball or `npm link`, which npx could not fetch).
//
// Why npx by default: the entry keeps working after node upgrades, version-manager switches and a reinstall of
// agent-mcp, and it is the form every client documents. Its weak spots are a client whose PATH lacks npx (GUI apps
// on macOS do not read shell profiles, so nvm users see "spawn npx ENOENT") and a download on the first start;
// --no-npx avoids both at the price of breaking when that node or that install moves. The version is pinned to the
// agent-mcp that validated the file, because clients restart servers unattended and a silent upgrade should not
// change how the file is read; re-run `install --force` after upgrading.
import { readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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

/**
 * Whether the agent-mcp at `bin` (its bin/agent-mcp.js, symlinks resolved) came from the npm registry, so that
 * `npx -y agent-mcp@VERSION` names the same code. A copy outside node_modules is a clone (or `npm link`, a path
 * install: both are symlinks to one). Inside node_modules, npm's hidden lockfile says where it was resolved from:
 * a registry URL, or `file:` for a tarball. Without that lockfile (a global install, another package manager) the
 * copy is taken as published. A development version is never published.
 */
export function isPublishedCopy(bin: string, version: string): boolean {
  if (/dev/.test(version)) return false;
  const pkgDir = dirname(dirname(bin));
  const modules = dirname(pkgDir);
  if (basename(pkgDir) !== 'agent-mcp' || basename(modules) !== 'node_modules') return false;
  let lock: { packages?: Record<string, { resolved?: string }> };
  try {
    lock = JSON.parse(readFileSync(join(modules, '.package-lock.json'), 'utf8'));
  } catch {
    return true;
  }
  const resolved = lock.packages?.['node_modules/agent-mcp']?.resolved;
  return resolved === undefined || /^https?:/.test(resolved);
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
