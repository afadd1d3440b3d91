/** A config duration (seconds as a number, or "500ms" / "90s" / "5m" / "1h") in milliseconds. */
export function parseDuration(value: number | string): number {
  if (typeof value === 'number') return Math.round(value * 1000);
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw new Error(`not a duration: "${value}" (use e.g. 90s, 5m, 500ms)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
}

/** "4mb", "512kb", 1024 -> bytes. */
export function parseSize(value: number | string): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?$/i.exec(value.trim());
  if (!m) throw new Error(`not a size: "${value}" (use e.g. 4mb, 512kb)`);
  const unit = (m[2] ?? 'b').toLowerCase().replace('i', '');
  return Math.round(Number(m[1]) * { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[unit]!);
}
