// A client's JSON config file holding a map of servers: read it, merge one entry in, write it back with a backup.
// The file is edited in place (jsonc-parser computes the one edit), so everything else it holds is kept as written:
// other servers, other keys and their order, indentation, and in VS Code's mcp.json (JSON with comments) comments
// and trailing commas.
import { copyFileSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { setProperty } from './jsonc-edit.js';
import { AgentMcpError } from '../errors.js';

type JsonObject = Record<string, unknown>;

export interface JsonConfig {
  path: string;
  exists: boolean;
  /** The file as it is (empty for a new file). */
  text: string;
  data: JsonObject;
  /** Comments and trailing commas are allowed (VS Code's mcp.json). */
  jsonc: boolean;
}

function isObject(value: unknown): value is JsonObject {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

const PROBLEMS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'a property name (in double quotes) expected',
  ValueExpected: 'a value expected',
  ColonExpected: '":" expected',
  CommaExpected: '"," expected',
  CloseBraceExpected: '"}" expected',
  CloseBracketExpected: '"]" expected',
  EndOfFileExpected: 'end of file expected',
  InvalidCommentToken: 'a comment (not allowed in this file)',
  UnexpectedEndOfComment: 'a comment that never ends',
  UnexpectedEndOfString: 'a string that never ends',
  UnexpectedEndOfNumber: 'a number that never ends',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

/** FILE:LINE:COL (1-based, as editors count) for a character offset. */
function located(path: string, text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${path}:${before.length}:${before.at(-1)!.length + 1}`;
}

/** `hint` is shown when the file cannot be used: how to add the entry by hand. */
export function readJsonConfig(path: string, hint: string, jsonc = false): JsonConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { path, exists: false, text: '', data: {}, jsonc };
    throw new AgentMcpError(`cannot read ${path}: ${(err as Error).message}`, 2);
  }
  if (!text.trim()) return { path, exists: true, text, data: {}, jsonc };
  const errors: ParseError[] = [];
  const data: unknown = parse(text, errors, { disallowComments: !jsonc, allowTrailingComma: jsonc, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const what = jsonc ? 'JSON with comments' : 'JSON';
    throw new AgentMcpError(
      `${located(path, text, first.offset)}: ${PROBLEMS[printParseErrorCode(first.error)] ?? 'invalid syntax'} (the file is not valid ${what}); nothing was changed.\n${hint}`,
      2,
    );
  }
  if (!isObject(data)) throw new AgentMcpError(`${path} does not hold a JSON object; nothing was changed.\n${hint}`, 2);
  return { path, exists: true, text, data, jsonc };
}

export type MergeResult = { status: 'added' | 'replaced' | 'unchanged'; data: JsonObject; text: string };

/** The file with `servers[name] = entry`; an existing different entry is replaced only with `force`. */
export function mergeServer(config: JsonConfig, key: string, name: string, entry: JsonObject, force: boolean, hint: string): MergeResult {
  const servers = config.data[key] ?? {};
  if (!isObject(servers)) throw new AgentMcpError(`${config.path}: "${key}" is not an object; nothing was changed.\n${hint}`, 2);
  const previous = servers[name];
  if (previous !== undefined && isDeepStrictEqual(previous, entry)) return { status: 'unchanged', data: config.data, text: config.text };
  if (previous !== undefined && !force) {
    throw new AgentMcpError(
      `${config.path} already has a server named "${name}"; nothing was changed. Use --force to replace it, or --name to add this one under another name.`,
      2,
    );
  }
  // An existing key is replaced where it stands, so a replaced entry stays where the user put it.
  const data = { ...config.data, [key]: { ...servers, [name]: entry } };
  const status = previous === undefined ? 'added' : 'replaced';
  if (!config.text.trim()) return { status, data, text: jsonText(data) };
  const indent = /\n([ \t]+)["/]/.exec(config.text)?.[1] ?? '  ';
  return { status, data, text: setProperty(config.text, [key, name], entry, indent) };
}

export function jsonText(data: unknown): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

/**
 * Write the new content: the old file is copied to FILE.bak first, and the new one renamed into place whole (a
 * crash leaves the old file or the new one, never half of one). A symlinked config (dotfiles) stays a symlink, and
 * the file keeps its permissions (it may hold keys).
 */
export function writeJsonConfig(config: JsonConfig, text: string): { backup?: string } {
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
  writeFileSync(next, text, mode !== undefined ? { mode } : {});
  renameSync(next, target);
  return { backup };
}
