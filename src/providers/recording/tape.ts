// The example a provider request belongs to, carried by async context from where the call starts (a tools/call
// naming its example, a sampling request, a judge call) down to the fetch under the SDK, which nothing between knows.
import { AsyncLocalStorage } from 'node:async_hooks';
import { type Exchange, MAX_EXCHANGES } from './cassette.js';

/** `_meta` key of a tools/call (and of the sampling requests it causes): the example it runs. */
export const EXAMPLE_META = 'agent-mcp/example';
/** `_meta` key of the result: what the server recorded and what it could not replay. */
export const TAPE_META = 'agent-mcp/tape';

export interface Tape {
  example: string;
  exchanges: Exchange[];
  /** Requests no recording matched, each a message naming the example and the nearest difference. */
  misses: string[];
  /** How many exchanges went to the real API (the rest were replayed). */
  live: number;
  /** Recordings still being read off a stream. */
  pending: Set<Promise<void>>;
}

export interface TapeReport {
  exchanges: Exchange[];
  misses: string[];
  live: number;
}

const storage = new AsyncLocalStorage<Tape>();

export function currentTape(): Tape | undefined {
  return storage.getStore();
}

export function addExchange(tape: Tape, exchange: Exchange): void {
  if (tape.exchanges.length < MAX_EXCHANGES) tape.exchanges.push(exchange);
}

export function newTape(example: string): Tape {
  return { example, exchanges: [], misses: [], live: 0, pending: new Set() };
}

/** Run `fn` on `tape`; settles once every exchange it caused is on the tape (also when it fails). */
export async function runOnTape<T>(tape: Tape, fn: () => Promise<T>): Promise<T> {
  try {
    return await storage.run(tape, fn);
  } finally {
    while (tape.pending.size) await Promise.all([...tape.pending]);
  }
}

/** Run `fn` on a fresh tape for `example`. */
export async function onTape<T>(example: string, fn: () => Promise<T>): Promise<{ value: T; tape: Tape }> {
  const tape = newTape(example);
  const value = await runOnTape(tape, fn);
  return { value, tape };
}

/** The example named in a request's `_meta`, if any. */
export function exampleOf(meta: Record<string, unknown> | undefined): string | undefined {
  const value = meta?.[EXAMPLE_META];
  return typeof value === 'string' && value ? value : undefined;
}

/** A tools/call result with its tape: a miss makes it an error that says what did not match. */
export function withTapeMeta<R extends { content: unknown[]; isError?: boolean; _meta?: Record<string, unknown> }>(
  result: R,
  tape: Tape,
): R {
  const report: TapeReport = { exchanges: tape.exchanges, misses: tape.misses, live: tape.live };
  const meta = { ...result._meta, [TAPE_META]: report };
  if (!tape.misses.length) return { ...result, _meta: meta };
  const { structuredContent: _, ...rest } = result as R & { structuredContent?: unknown };
  return { ...(rest as R), content: [{ type: 'text', text: `replay: ${tape.misses.join('\n')}` }], isError: true, _meta: meta };
}
