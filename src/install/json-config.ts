// A client's JSON config file holding a map of servers: read it, merge one entry in, write it back with a backup.
// Everything the file already holds (other servers, other top-level keys, their order) is kept.
import { copyFileSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { AgentMcpError } from '../errors.js';

type JsonObject = Record<string, unknown>;

export interface JsonConfig {
  path: string;
  exists: boolean;
  data: JsonObject;
}

function isObject(value: unknown): value is JsonObject {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** `hint` is shown when the file cannot be used: how to add the entry by hand. */
export function readJsonConfig(path: string, hint: string): JsonConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { path, exists: false, data: {} };
    throw new AgentMcpError(`cannot read ${path}: ${(err as Error).message}`, 2);
  }
  if (!text.trim()) return { path, exists: true, data: {} };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // Comments or trailing commas included: rewriting would lose them, so leave the file to its owner.
    throw new AgentMcpError(`${path} is not valid JSON (${(err as Error).message}); nothing was changed.\n${hint}`, 2);
  }
  if (!isObject(data)) throw new AgentMcpError(`${path} does not hold a JSON object; nothing was changed.\n${hint}`, 2);
  return { path, exists: true, data };
}

export type MergeResult = { status: 'added' | 'replaced' | 'unchanged'; data: JsonObject };

/** The file's data with `servers[name] = entry`; an existing different entry is replaced only with `force`. */
export function mergeServer(config: JsonConfig, key: string, name: string, entry: JsonObject, force: boolean, hint: string): MergeResult {
  const servers = config.data[key] ?? {};
  if (!isObject(servers)) throw new AgentMcpError(`${config.path}: "${key}" is not an object; nothing was changed.\n${hint}`, 2);
  const previous = servers[name];
  if (previous !== undefined && isDeepStrictEqual(previous, entry)) return { status: 'unchanged', data: config.data };
  if (previous !== undefined && !force) {
    throw new AgentMcpError(
      `${config.path} already has a server named "${name}"; nothing was changed. Use --force to replace it, or --name to add this one under another name.`,
      2,
    );
  }
  // Assigning an existing key keeps its place, so a replaced entry stays where the user put it.
  return { status: previous === undefined ? 'added' : 'replaced', data: { ...config.data, [key]: { ...servers, [name]: entry } } };
}

export function jsonText(data: unknown): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

/**
 * Write the new content: the old file is copied to FILE.bak first, and the new one renamed into place whole (a
 * crash leaves the old file or the new one, never half of one). A symlinked config (dotfiles) stays a symlink, and
 * the file keeps its permissions (it may hold keys).
 */
export function writeJsonConfig(config: JsonConfig, data: JsonObject): { backup?: string } {
  mkdirSync(dirname(config.path), { recursive: true });
  let backup: string | undefined;
  let target = config.path;
  let mode: number | undefined;
  if (config.exists) {
    target = realpathSync(config.path);
    mode = statSync(target).mode & 0o777;
    backup = `${config.path}.bak`;
    copyFileSync(target, backup);
  }
  const next = `${target}.${process.pid}.tmp`;
  writeFileSync(next, jsonText(data), mode !== undefined ? { mode } : {});
  renameSync(next, target);
  return { backup };
}
