// `agent-mcp init [file]`: write a commented starter agents.yaml. Never overwrites anything.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { AgentMcpError } from '../errors.js';
import { quote } from '../install/launch.js';
import type { GlobalOptions } from './context.js';
import { starterYaml } from './init-template.js';

declare const AGENT_MCP_VERSION: string;
const VERSION = typeof AGENT_MCP_VERSION === 'string' ? AGENT_MCP_VERSION : '0.0.0-dev';
const SCHEMA = 'schema/agents.schema.json';

export function initCommand(options: GlobalOptions & { file: string }): number {
  const path = resolve(options.file);
  if (existsSync(path))
    throw new AgentMcpError(
      `${options.file} already exists; init never overwrites a file (give another name: agent-mcp init other.yaml)`,
      2,
    );
  mkdirSync(dirname(path), { recursive: true });
  const platform = process.platform === 'win32' ? 'win32' : 'linux';
  const name = quote(basename(path), platform);
  try {
    // 'wx': fail rather than overwrite, even if the file appeared since the check above.
    writeFileSync(path, starterYaml(schemaRef(dirname(path)), name), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      throw new AgentMcpError(`${options.file} already exists; init never overwrites a file`, 2);
    throw new AgentMcpError(`cannot write ${options.file}: ${(err as Error).message}`, 2);
  }
  const shown = quote(options.file, platform);
  process.stdout.write(
    `Created ${options.file}: 2 tools (summarize, triage) and 1 prompt (review). They answer offline until a key is set.\n` +
      `Next: agent-mcp validate ${shown}, then agent-mcp install <client> ${shown} (claude-desktop, cursor, vscode, claude-code)\n`,
  );
  return 0;
}

/**
 * Where the file's editor finds the schema. The copy shipped in node_modules/agent-mcp (or in an agent-mcp checkout)
 * when there is one above the file: a relative path that works offline, matches the installed version and can be
 * committed. Otherwise the published copy of this version, by URL.
 */
export function schemaRef(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    const candidates = [join(d, 'node_modules', 'agent-mcp', SCHEMA), isAgentMcpCheckout(d) ? join(d, SCHEMA) : undefined];
    for (const c of candidates) {
      if (c && existsSync(c)) {
        const rel = relative(dir, c).split(sep).join('/');
        return rel.startsWith('..') ? rel : `./${rel}`;
      }
    }
    if (dirname(d) === d) break;
  }
  const version = /dev/.test(VERSION) ? '' : `@${VERSION}`;
  return `https://unpkg.com/agent-mcp${version}/${SCHEMA}`;
}

function isAgentMcpCheckout(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'agent-mcp';
  } catch {
    return false;
  }
}
