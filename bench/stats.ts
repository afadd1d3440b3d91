// Small helpers shared by the benchmarks.
import { readdirSync, readFileSync } from 'node:fs';
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const median = (values: number[]) => percentile(values, 50);

export function fmt(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

/**
 * CPU time (ms) a process and all its threads have used so far, from the scheduler's own nanosecond count
 * (/proc/PID/task/TID/schedstat, Linux); NaN elsewhere. Unlike wall-clock time it hardly moves with the load
 * other work puts on a shared machine.
 */
export function processCpuMs(pid: number | undefined | null): number {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`))
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    return ns / 1e6;
  } catch {
    return NaN;
  }
}

export interface Verdict {
  bench: string;
  label: string;
  value: string;
  target: string;
  ok: boolean | undefined;
}

/** What each benchmark found against its target, for the summary `npm run bench` prints at the end. */
export const verdicts: Verdict[] = [];

/** Print one figure against its target (`<=` or `>=`), and keep it for the summary. */
export function verdict(bench: string, label: string, value: number, op: '<=' | '>=', target: number, digits = 2, unit = ''): string {
  const ok = op === '<=' ? value <= target : value >= target;
  const v = { bench, label, value: `${value.toFixed(digits)}${unit}`, target: `${op} ${target}${unit}`, ok };
  verdicts.push(v);
  return `${label} ${v.value} (target ${v.target}) ${ok ? 'OK' : op === '<=' ? 'OVER TARGET' : 'UNDER TARGET'}`;
}

/** A figure with no target of its own, kept for the summary. */
export function figure(bench: string, label: string, value: string): string {
  verdicts.push({ bench, label, value, target: '', ok: undefined });
  return `${label} ${value}`;
}
