/** The one duration grammar (config, flags): seconds as a plain number, or a number with ms, s, m or h. */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/;

/** A config or flag duration (seconds as a number, or "500ms" / "90s" / "5m" / "1h") in milliseconds. */
export function parseDuration(value: number | string): number {
  if (typeof value === 'number') {
    const ms = Math.round(value * 1000);
    if (!durationInRange(ms)) throw new Error(`not a duration from 1ms to 24 days: ${value}`);
    return ms;
  }
  const m = DURATION_PATTERN.exec(value.trim());
  if (!m) throw new Error(`not a duration: "${value}" (use e.g. 90s, 5m, 500ms)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
  // A plain number (seconds) is shown as the number it is, as when the config gave a number.
  if (!durationInRange(ms)) throw new Error(`not a duration from 1ms to 24 days: ${m[2] ? `"${value}"` : value}`);
  return ms;
}

/** Node timers hold at most 2^31-1 ms (~24.8 days): a longer one fires at once, a zero one too. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

export function durationInRange(ms: number): boolean {
  return ms >= 1 && ms <= MAX_DURATION_MS;
}

/** "4mb", "512kb", 1024 -> bytes. */
export function parseSize(value: number | string): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?$/i.exec(value.trim());
  if (!m) throw new Error(`not a size: "${value}" (use e.g. 4mb, 512kb)`);
  const unit = (m[2] ?? 'b').toLowerCase().replace('i', '');
  return Math.round(Number(m[1]) * { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[unit]!);
}
