// `key=value` words to tool arguments, typed by the tool's input schema.
import { AgentMcpError } from '../errors.js';
import { suggestion } from '../util/did-you-mean.js';

type Schema = { type?: unknown; properties?: Record<string, { type?: unknown }> };

function coerce(raw: string, type: unknown, key: string): unknown {
  const types = Array.isArray(type) ? type : [type];
  if (types.includes('string')) return raw;
  if (types.includes('integer') || types.includes('number')) {
    const n = Number(raw);
    if (raw.trim() === '' || Number.isNaN(n)) throw new AgentMcpError(`argument ${key}: "${raw}" is not a number`, 2);
    return n;
  }
  if (types.includes('boolean')) {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new AgentMcpError(`argument ${key}: expected true or false, got "${raw}"`, 2);
  }
  if (types.includes('array') || types.includes('object')) {
    try {
      return JSON.parse(raw);
    } catch {
      throw new AgentMcpError(`argument ${key}: expected JSON (${types.join(' or ')}), got ${raw}`, 2);
    }
  }
  // No declared type: JSON when it parses as a number, boolean, array or object; else the string.
  try {
    const v = JSON.parse(raw);
    return typeof v === 'string' ? raw : v;
  } catch {
    return raw;
  }
}

export function parseCallArgs(words: string[], json: string | undefined, schema: Schema, tool: string): Record<string, unknown> {
  let args: Record<string, unknown> = {};
  if (json !== undefined) {
    try {
      args = JSON.parse(json);
    } catch (err) {
      throw new AgentMcpError(`--json: not valid JSON: ${(err as Error).message}`, 2);
    }
    if (!args || typeof args !== 'object' || Array.isArray(args)) throw new AgentMcpError('--json: expected a JSON object of arguments', 2);
  }
  const props = schema.properties ?? {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new AgentMcpError(`argument "${word}": write key=value (e.g. theme=socks)`, 2);
    const key = word.slice(0, eq);
    if (Object.keys(props).length && !Object.hasOwn(props, key)) {
      throw new AgentMcpError(
        `tool ${tool} has no argument "${key}"${suggestion(key, Object.keys(props))}; it takes: ${Object.keys(props).join(', ')}`,
        2,
      );
    }
    args[key] = coerce(word.slice(eq + 1), Object.hasOwn(props, key) ? props[key]!.type : undefined, key);
  }
  return args;
}

/** One line per argument, for `agent-mcp call` with no tool. */
export function describeArguments(schema: Schema & { required?: unknown }): string[] {
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(schema.properties ?? {}).map(([name, prop]) => {
    const p = prop as Record<string, unknown>;
    const type = Array.isArray(p.enum) ? p.enum.map((v) => JSON.stringify(v)).join('|') : String(p.type ?? 'any');
    const note = required.has(name) ? 'required' : 'default' in p ? `default ${JSON.stringify(p.default)}` : 'optional';
    return `${name}=${type} (${note})${p.description ? `  ${String(p.description)}` : ''}`;
  });
}
