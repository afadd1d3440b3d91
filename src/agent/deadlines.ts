// Call time limits without a timer per call. Setting and clearing a Node timer costs ~10 us on a call's cold
// path; here one timer waits for the earliest deadline and is re-armed only when an earlier one arrives, so a
// stream of calls with the same limit touches no timer at all.

interface Entry {
  at: number;
  fire: () => void;
}

export class Deadlines {
  private readonly pending = new Set<Entry>();
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Infinity;

  /** Run `fire` after `ms` unless the returned function is called first. */
  add(ms: number, fire: () => void): () => void {
    const entry: Entry = { at: Date.now() + ms, fire };
    this.pending.add(entry);
    if (entry.at < this.armedAt) this.arm(entry.at);
    return () => this.pending.delete(entry);
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedAt = at;
    // Never keeps the process alive: a server that is told to stop stops.
    this.timer = setTimeout(() => this.check(), Math.max(0, at - Date.now())).unref();
  }

  private check(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    const due: Entry[] = [];
    for (const entry of this.pending) {
      if (entry.at <= now) {
        this.pending.delete(entry);
        due.push(entry);
      } else if (entry.at < next) next = entry.at;
    }
    if (next < Infinity) this.arm(next);
    // A timer that runs late (a busy loop) finds several due at once: they still fire in deadline order.
    for (const entry of due.sort((a, b) => a.at - b.at)) entry.fire();
  }
}
