// Secrets never leave the process: every message that may carry provider text passes through here.

const secrets = new Set<string>();

/** Remember a secret (an API key, a token) so that `redact` removes it from any text. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) secrets.add(value);
}

// Shapes of well-known keys, for secrets we were never told about (e.g. echoed back by a proxy).
const KEY_SHAPES = /\b(sk-[A-Za-z0-9_-]{8,}|sk-ant-[A-Za-z0-9_-]{8,}|Bearer\s+[A-Za-z0-9._~+/=-]{8,})/g;

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
  return out.replace(KEY_SHAPES, (m) => (m.startsWith('Bearer') ? 'Bearer [redacted]' : '[redacted]'));
}
