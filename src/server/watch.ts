// `serve --watch`: reload agents.yaml when it changes. A valid file replaces the served config (each server
// instance then tells its client which lists changed); an invalid one is reported and the old config stays.
import { watch, readFileSync, lstatSync, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Config } from '../config/types.js';
import { AgentMcpError, ConfigError, formatIssue, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';

export interface WatchOptions {
  file: string;
  /** Load and prepare a config (the same path as start-up); throws ConfigError on a bad file. */
  load: (file: string) => Config;
  /** Serve the new config. */
  apply: (config: Config) => void;
  log: Logger;
  /** Editors write in bursts (truncate, write, rename): wait this long after the last event. */
  debounceMs?: number;
}

export interface Watcher {
  close(): void;
}

export const DEFAULT_DEBOUNCE_MS = 150;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function watchConfig(options: WatchOptions): Watcher {
  const path = resolve(options.file);
  const name = basename(path);
  const { log } = options;
  // The file's directory, not the file: editors that save by renaming a temp file replace the inode a file
  // watch would hold. A symlinked file (e.g. a mounted ConfigMap) changes under other names: check every event.
  let symlink = false;
  try {
    symlink = lstatSync(path).isSymbolicLink();
  } catch {
    // gone already: the events will tell when it is back
  }
  let lastText = readText(path);
  let timer: NodeJS.Timeout | undefined;

  const reload = () => {
    timer = undefined;
    const text = readText(path);
    if (text === undefined) {
      log.warn(`${options.file} cannot be read; still serving the previous config`);
      return;
    }
    if (text === lastText) return; // touched, not changed
    lastText = text;
    let config: Config;
    try {
      config = options.load(path);
    } catch (err) {
      if (err instanceof ConfigError) for (const issue of err.issues) log.error(formatIssue(issue));
      else if (err instanceof AgentMcpError) log.error(err.message);
      else log.error(`reload failed: ${errorMessage(err)}`);
      log.error(`${options.file} has errors; still serving the previous config`);
      return;
    }
    for (const w of config.warnings) log.notice(formatIssue(w));
    options.apply(config);
    log.info(`reloaded ${options.file}`, { tools: config.tools.size, prompts: config.prompts.size });
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, filename) => {
      if (filename && filename !== name && !symlink) return;
      clearTimeout(timer);
      timer = setTimeout(reload, options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
    });
    watcher.on('error', (err) => log.warn(`watching ${options.file} stopped: ${errorMessage(err)}`));
  } catch (err) {
    log.warn(`cannot watch ${options.file}: ${errorMessage(err)}; serving without reload`);
  }
  log.debug(`watching ${options.file} for changes`);

  return {
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
