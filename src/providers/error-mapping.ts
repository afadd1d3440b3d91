// SDK errors -> ProviderError: which failures a retry can help, how long the server asked us to wait, and a
// message that carries the provider's words but never a secret. Shared by the openai and anthropic adapters.
import { ProviderError } from '../errors.js';
import { redact } from '../util/redact.js';

/** The error classes both Stainless-generated SDKs export (passed in, so this file imports no SDK). */
export interface SdkErrorClasses {
  APIError: ErrorClass;
  APIConnectionError: ErrorClass;
  APIConnectionTimeoutError: ErrorClass;
  APIUserAbortError: ErrorClass;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ErrorClass = abstract new (...args: any[]) => Error;

/** instanceof without narrowing: one SDK class says nothing about the others. */
function is(err: Error, cls: ErrorClass): boolean {
  return err instanceof cls;
}

const MAX_MESSAGE = 500;
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Retry-After as milliseconds: `retry-after-ms`, or `retry-after` in seconds or as an HTTP date. */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return Math.round(n);
  }
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * An answer that arrived but cannot be read (an HTML page, a truncated body, no finish reason): the server's
 * trouble, so another attempt or the next model may do better. Never an empty success.
 */
export function malformedAnswer(what: string): ProviderError {
  return new ProviderError(`unreadable answer from the provider: ${what}`, true, { code: 'malformed' });
}

/** What a body that is not the expected JSON looked like, in a few words (never its content: it may echo a key). */
export function describeBody(body: unknown): string {
  if (typeof body === 'string') return body.trim() ? `${/^\s*<(!doctype|html)/i.test(body) ? 'an HTML page' : 'text'}` : 'an empty body';
  if (body === null || body === undefined) return 'an empty body';
  return Array.isArray(body) ? 'a JSON array' : `a JSON ${typeof body}`;
}

/** The longest answer text a model may send (characters): a bigger one is an error, not a huge reply line. */
export const MAX_ANSWER_CHARS = 4 * 1024 * 1024;

export function answerTooLarge(): ProviderError {
  return new ProviderError(`the model's answer is over ${MAX_ANSWER_CHARS / 1024 / 1024} MiB, the limit of one answer`, false, {
    code: 'too-large',
  });
}

/** Provider text made safe to show: secrets removed, one bounded line. */
export function cleanMessage(text: string): string {
  const flat = redact(text).replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE)}…` : flat;
}

/** The provider's own words: `error.message` of the body when there is one, else the SDK's message. */
function apiMessage(err: Error & { status?: number; error?: unknown }): string {
  const body = err.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  const inner = body?.message ?? body?.error?.message;
  if (typeof inner === 'string' && inner) return inner;
  const status = err.status;
  return status !== undefined ? err.message.replace(new RegExp(`^${status} `), '') : err.message;
}

function networkCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  }
  return undefined;
}

/**
 * Map what an SDK call threw. Returns undefined for errors that are not the provider's (an abort, a bug):
 * the caller rethrows those as they are.
 */
export function toProviderError(err: unknown, classes: SdkErrorClasses, timeoutMs: number): ProviderError | undefined {
  if (err instanceof ProviderError) return err;
  if (!(err instanceof Error)) return undefined;
  if (is(err, classes.APIUserAbortError)) return undefined;
  if (is(err, classes.APIConnectionTimeoutError)) {
    return new ProviderError(`request timed out after ${timeoutMs / 1000}s`, true, { code: 'timeout' });
  }
  if (is(err, classes.APIConnectionError)) {
    const code = networkCode(err);
    return new ProviderError(cleanMessage(`connection error${code ? ` (${code})` : ''}: ${apiMessage(err)}`), true, {
      code: code ?? 'connection',
    });
  }
  if (is(err, classes.APIError)) {
    const e = err as Error & { status?: number; headers?: Headers; error?: unknown };
    const status = e.status;
    const message = cleanMessage(apiMessage(e));
    if (status === undefined) return new ProviderError(message, true); // an error event inside a stream: the server's trouble
    const retryable = isRetryableStatus(status);
    return new ProviderError(`HTTP ${status}: ${message}`, retryable, {
      status,
      retryAfterMs: retryable ? parseRetryAfter(e.headers) : undefined,
    });
  }
  // The SDKs parse the body and each event with JSON.parse: a broken one is the provider's fault, not ours.
  if (err instanceof SyntaxError) return malformedAnswer('its body is not valid JSON');
  // A stream cut mid-body surfaces as undici's "terminated" or a socket error, not as an SDK class.
  const code = networkCode(err);
  if (code || (err.name === 'TypeError' && /^(terminated|fetch failed)$/.test(err.message))) {
    return new ProviderError(cleanMessage(`connection error${code ? ` (${code})` : ''}: ${err.message}`), true, {
      code: code ?? 'connection',
    });
  }
  return undefined;
}
