// What every installer needs to know about the machine: which OS, where home is, the project folder.
import { homedir } from 'node:os';
import { join } from 'node:path';

export type Platform = 'darwin' | 'win32' | 'linux';

export interface InstallContext {
  platform: Platform;
  env: NodeJS.ProcessEnv;
  home: string;
  /** The project folder (project-level configs live here). */
  cwd: string;
  /** The user-wide config instead of the project's. */
  global: boolean;
}

/**
 * The platform comes from AGENT_MCP_PLATFORM when set, so tests can check every OS's paths on one machine;
 * HOME, APPDATA and XDG_CONFIG_HOME are honoured for the same reason (and because users set them).
 */
export function installContext(env: NodeJS.ProcessEnv, cwd: string, global: boolean): InstallContext {
  const named = env.AGENT_MCP_PLATFORM ?? process.platform;
  const platform: Platform = named === 'darwin' || named === 'win32' ? named : 'linux';
  const home = env.HOME || env.USERPROFILE || homedir();
  return { platform, env, home, cwd, global };
}

/** The per-user application-data folder: where desktop apps keep their settings. */
export function appDataDir(ctx: InstallContext): string {
  if (ctx.platform === 'darwin') return join(ctx.home, 'Library', 'Application Support');
  if (ctx.platform === 'win32') return ctx.env.APPDATA || join(ctx.home, 'AppData', 'Roaming');
  return ctx.env.XDG_CONFIG_HOME || join(ctx.home, '.config');
}
