// The recording format: one readable JSON file per example, meant to be committed. A response is always kept in
// the provider's non-streamed shape, so one recording answers a streamed request and a plain one alike.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentMcpError, errorMessage } from '../../errors.js';
import { redact } from '../../util/redact.js';

export type WireProvider = 'openai' | 'anthropic';

export interface Exchange {
  provider: WireProvider;
  /** The request body as the SDK sent it (no headers: keys never enter a recording). */
  request: { path: string; body: Record<string, unknown> };
  /** Status and body; a streamed answer is assembled into the body a non-streamed request gets. */
  response: { status: number; body: unknown };
  /** How it was recorded; replay answers in whatever form the request asks. */
  streamed: boolean;
}

export interface Cassette {
  version: 1;
  /** The example it belongs to, e.g. `poet #2 (socks)`. */
  example: string;
  exchanges: Exchange[];
}

export const CASSETTE_VERSION = 1;
/** Most exchanges kept for one example (a runaway loop must not write a file without end). */
export const MAX_EXCHANGES = 1000;

/** The file name of an example's recording: `poet-2-socks.json` for `poet #2 (socks)`. */
export function cassetteFile(example: string): string {
  const slug = example
    .replace(/[#()]/g, ' ')
    .trim()
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+|-+$/g, '');
  return `${slug || 'example'}.json`;
}

/** Every string of a value with every known secret (and anything shaped like a key) replaced. */
export function scrub<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map(scrub) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)])) as T;
  }
  return value;
}

export function writeCassette(dir: string, cassette: Cassette): string {
  const file = join(dir, cassetteFile(cassette.example));
  try {
    mkdirSync(dir, { recursive: true });
    const text = `${JSON.stringify(scrub(cassette), null, 2)}\n`;
    // Written aside, then renamed: a run cut short never leaves half a recording behind.
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  } catch (err) {
    throw new AgentMcpError(`--record: cannot write ${file}: ${errorMessage(err)}`, 1);
  }
  return file;
}

export interface LoadedCassette extends Cassette {
  file: string;
}

/** Every recording in `dir`; a file that is not one is a usage error naming it. */
export function readCassettes(dir: string, flag = '--replay'): LoadedCassette[] {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch (err) {
    throw new AgentMcpError(`${flag}: cannot read the recordings in ${dir}: ${errorMessage(err)}`, 2);
  }
  return names.map((name) => {
    const file = join(dir, name);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new AgentMcpError(`${flag}: ${file} is not a recording: ${errorMessage(err)}`, 2);
    }
    const c = data as Partial<Cassette>;
    if (!c || c.version !== CASSETTE_VERSION || typeof c.example !== 'string' || !Array.isArray(c.exchanges)) {
      throw new AgentMcpError(`${flag}: ${file} is not a recording (expected version ${CASSETTE_VERSION}, example and exchanges)`, 2);
    }
    c.exchanges.forEach((e, i) => {
      if (!e || (e.provider !== 'openai' && e.provider !== 'anthropic') || !e.request?.body || typeof e.response?.status !== 'number') {
        throw new AgentMcpError(
          `${flag}: ${file}: exchange ${i + 1} needs provider (openai or anthropic), request.body and response.status`,
          2,
        );
      }
    });
    return { ...(c as Cassette), file };
  });
}
