// The process-wide budget for what 2025-era sessions keep between requests: the bytes of their event stores (what a
// client resuming with Last-Event-ID replays). Each store is bounded on its own (256 events / 1 MiB); this bounds
// the sum, which 1000 sessions could otherwise take to a gigabyte. Over it, the Endpoints close the sessions idle
// the longest (see sessions.ts); stores kept in Redis hold nothing here.
export class SessionMemory {
  private used = 0;
  /** Called when a change takes the total over the limit; `from` is the store that grew (its session is busy sending). */
  onOver?: (from: object) => void;

  constructor(readonly limitBytes: number) {}

  get bytes(): number {
    return this.used;
  }

  get over(): boolean {
    return this.used > this.limitBytes;
  }

  change(from: object, delta: number): void {
    this.used += delta;
    if (delta > 0 && this.over) this.onOver?.(from);
  }
}
