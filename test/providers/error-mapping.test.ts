// SDK errors -> ProviderError, with the real SDKs' error classes: retryability, Retry-After, redacted messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { parseRetryAfter, toProviderError } from '../../src/providers/error-mapping.ts';
import { registerSecret } from '../../src/util/redact.ts';
import { ProviderError } from '../../src/errors.ts';

const headers = (h: Record<string, string> = {}) => new Headers(h);

test('Retry-After: seconds, HTTP date, retry-after-ms first, junk ignored', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(parseRetryAfter(headers({ 'retry-after': '3' }), now), 3000);
  assert.equal(parseRetryAfter(headers({ 'retry-after': '0.5' }), now), 500);
  assert.equal(parseRetryAfter(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' }), now), 7000);
  assert.equal(parseRetryAfter(headers({ 'retry-after': 'Tue, 31 Dec 2024 00:00:00 GMT' }), now), 0);
  assert.equal(parseRetryAfter(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now), 250);
  assert.equal(parseRetryAfter(headers({ 'retry-after': 'soon' }), now), undefined);
  assert.equal(parseRetryAfter(headers({ 'retry-after': '-1' }), now), undefined);
  assert.equal(parseRetryAfter(headers(), now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

for (const [label, Sdk, body] of [
  ['openai', OpenAI, (message: string) => ({ error: { message, type: 'x' } })],
  ['anthropic', Anthropic, (message: string) => ({ type: 'error', error: { type: 'x', message } })],
] as const) {
  const map = (err: unknown) => toProviderError(err, Sdk, 60_000);
  const apiError = (status: number, message: string, h: Record<string, string> = {}) =>
    Sdk.APIError.generate(status, body(message), undefined, headers(h));

  test(`${label}: retryable statuses (408, 409, 429, 5xx) carry Retry-After; 400/401/403/404 do not retry`, () => {
    for (const status of [408, 409, 429, 500, 502, 503, 529]) {
      const e = map(apiError(status, 'busy', { 'retry-after': '2' }));
      assert.ok(e instanceof ProviderError);
      assert.equal(e.retryable, true, String(status));
      assert.equal(e.status, status);
      assert.equal(e.options.retryAfterMs, 2000);
      assert.equal(e.message, `HTTP ${status}: busy`);
    }
    for (const status of [400, 401, 403, 404, 422]) {
      const e = map(apiError(status, 'no', { 'retry-after': '2' }))!;
      assert.equal(e.retryable, false, String(status));
      assert.equal(e.options.retryAfterMs, undefined);
      assert.equal(e.message, `HTTP ${status}: no`);
    }
  });

  test(`${label}: connection errors and timeouts retry; an abort is not the provider's error`, () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const conn = map(new Sdk.APIConnectionError({ message: 'Connection error.', cause: reset }))!;
    assert.equal(conn.retryable, true);
    assert.equal(conn.message, 'connection error (ECONNRESET): Connection error.');
    const timeout = map(new Sdk.APIConnectionTimeoutError())!;
    assert.equal(timeout.retryable, true);
    assert.equal(timeout.message, 'request timed out after 60s');
    assert.equal(map(new Sdk.APIUserAbortError()), undefined);
    assert.equal(map(new TypeError('x is not a function')), undefined, 'a bug stays a bug');
    const cut = map(new TypeError('terminated'))!;
    assert.equal(cut.retryable, true);
  });

  test(`${label}: messages lose every secret, registered or shaped like a key`, () => {
    registerSecret('my-secret-token-42');
    const e = map(apiError(401, 'bad key my-secret-token-42, header Bearer sk-abcdefghijklmnop'))!;
    assert.equal(e.message, 'HTTP 401: bad key [redacted], header Bearer [redacted]');
    const long = map(apiError(500, 'x'.repeat(2000)))!;
    assert.equal(long.message.length, 'HTTP 500: '.length + 501);
  });
}
