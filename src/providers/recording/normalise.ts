// What a request is, for matching a recording: model, system, messages, tools and output schema, in a canonical
// form that does not depend on key order, tool-call ids, streaming or token limits.
import type { WireProvider } from './cassette.js';

/** Body fields that do not change what is asked (how the answer travels, how long it may be). */
const IGNORED = new Set(['stream', 'stream_options', 'max_tokens', 'max_completion_tokens', 'temperature', 'tool_choice', 'metadata']);
/** Fields that carry ids the provider or the loop made up: replaced by their order of appearance. */
const ID_KEYS = new Set(['id', 'tool_call_id', 'tool_use_id']);
/** Where an `id` is data (tool arguments, schemas), not a made-up id. */
const DATA_KEYS = new Set(['input', 'parameters', 'input_schema', 'response_format', 'schema']);

export type Normalised = Record<string, unknown>;

export function normalise(provider: WireProvider, body: Record<string, unknown>): Normalised {
  const ids = new Map<string, string>();
  const walk = (value: unknown, key?: string, data = false): unknown => {
    if (typeof value === 'string' && !data && key && ID_KEYS.has(key)) {
      if (!ids.has(value)) ids.set(value, `#${ids.size + 1}`);
      return ids.get(value);
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, undefined, data));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(value).sort()) out[k] = walk((value as Record<string, unknown>)[k], k, data || DATA_KEYS.has(k));
      return out;
    }
    return value;
  };
  const kept: Record<string, unknown> = { provider };
  for (const key of Object.keys(body).sort()) if (!IGNORED.has(key)) kept[key] = walk(body[key], key);
  return kept;
}

/** The match key: canonical JSON (keys already sorted by `normalise`). */
export function matchKey(n: Normalised): string {
  return JSON.stringify(n);
}

/** `path = value` for every leaf, the unit a difference is counted and shown in. */
export function flatten(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    if (!value.length) out.set(path, '[]');
    value.forEach((v, i) => {
      flatten(v, `${path}[${i}]`, out);
    });
  } else if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (!keys.length) out.set(path, '{}');
    for (const k of keys) flatten((value as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, JSON.stringify(value));
  }
  return out;
}

export interface Difference {
  path: string;
  recorded?: string;
  now?: string;
}

export function differences(recorded: Map<string, string>, now: Map<string, string>): Difference[] {
  const diffs: Difference[] = [];
  for (const [path, value] of now) if (recorded.get(path) !== value) diffs.push({ path, recorded: recorded.get(path), now: value });
  for (const [path, value] of recorded) if (!now.has(path)) diffs.push({ path, recorded: value });
  return diffs;
}

const SHOWN = 120;
const shorten = (v: string | undefined) => (v === undefined ? '(absent)' : v.length > SHOWN ? `${v.slice(0, SHOWN)}…` : v);

/** A few lines a person reads to see what changed. */
export function describeDifferences(diffs: Difference[], most = 6): string {
  const lines = diffs.slice(0, most).map((d) => `  ${d.path}: recorded ${shorten(d.recorded)}, now ${shorten(d.now)}`);
  if (diffs.length > most) lines.push(`  … and ${diffs.length - most} more difference${diffs.length - most === 1 ? '' : 's'}`);
  return lines.join('\n');
}
