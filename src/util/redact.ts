// Secrets never leave the process: every message that may carry provider text passes through here, and every
// call's outcome, progress and log records pass through `redactSecrets` on their way out.

const secrets = new Set<string>();

/** Remember a secret (an API key, a token) so that `redact` removes it from any text. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) secrets.add(value);
}

// Shapes of well-known keys, for secrets we were never told about (e.g. echoed back by a proxy).
const KEY_SHAPES = /\b(sk-[A-Za-z0-9_-]{8,}|sk-ant-[A-Za-z0-9_-]{8,}|Bearer\s+[A-Za-z0-9._~+/=-]{8,})/g;
const REDACTED = '[redacted]';

/** Errors and log lines: configured secrets, and anything shaped like a key. */
export function redact(text: string): string {
  const out = redactSecrets(text);
  // Most lines hold neither shape: two substring searches cost less than running the regular expression.
  if (!out.includes('sk-') && !out.includes('Bearer')) return out;
  return out.replace(KEY_SHAPES, (m) => (m.startsWith('Bearer') ? `Bearer ${REDACTED}` : REDACTED));
}

/**
 * A model's answer: only the configured secrets (an answer may legitimately show something key-shaped, but
 * never the key it was configured with).
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/** Every string inside a JSON-like value; the value itself when there is nothing to redact (no copy). */
export function redactDeep<T>(value: T, depth = 0): T {
  if (secrets.size === 0 || depth > 64) return value;
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = value.map((v) => redactDeep(v, depth + 1));
    return (items.some((v, i) => v !== value[i]) ? items : value) as T;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const r = redactDeep(v, depth + 1);
    if (r !== v) (copy ??= { ...(value as Record<string, unknown>) })[k] = r;
  }
  return (copy ?? value) as T;
}

/**
 * Streamed text is sent in pieces: a secret split across two of them would pass `redactSecrets` in each. The
 * end of a piece that could be the start of a secret is held back for the next piece.
 */
export function heldBack(text: string): number {
  let hold = 0;
  for (const s of secrets) {
    for (let n = Math.min(s.length - 1, text.length); n > hold; n--) {
      if (text.endsWith(s.slice(0, n))) {
        hold = n;
        break;
      }
    }
  }
  return hold;
}
