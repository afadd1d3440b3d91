// Progress for one call: step lines at once, streamed text batched (at most ~10 notifications a second),
// and a heartbeat while a model is silent so clients that reset their timeout on progress keep waiting.

export interface ProgressUpdate {
  progress: number;
  total?: number;
  message: string;
}

export type ProgressSink = (update: ProgressUpdate) => void;

export class ProgressReporter {
  private count = 0;
  private pending = '';
  private lastSent = 0;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private lastStep = '';
  /** After the call's answer, nothing more: a late delta from an aborted stream must not follow the result. */
  private closed = false;

  constructor(
    private readonly sink: ProgressSink | undefined,
    private readonly options: { intervalMs?: number; heartbeatMs?: number } = {},
  ) {
    if (sink) this.armHeartbeat();
  }

  get enabled(): boolean {
    return this.sink !== undefined;
  }

  step(message: string): void {
    if (!this.sink || this.closed) return;
    this.flush();
    this.lastStep = message;
    this.send(message);
  }

  text(delta: string): void {
    if (!this.sink || !delta || this.closed) return;
    this.pending += delta;
    const interval = this.options.intervalMs ?? 100;
    const wait = this.lastSent + interval - Date.now();
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.send(text);
  }

  close(): void {
    this.flush();
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private send(message: string): void {
    this.lastSent = Date.now();
    this.sink!({ progress: ++this.count, message });
  }

  private armHeartbeat(): void {
    const every = this.options.heartbeatMs ?? 10_000;
    this.heartbeat = setInterval(() => {
      if (Date.now() - this.lastSent >= every - 50) this.send(this.lastStep ? `${this.lastStep} (still working)` : 'working');
    }, every);
    this.heartbeat.unref();
  }
}
