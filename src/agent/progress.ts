// Progress for one call: step lines at once, streamed text batched (at most ~10 notifications a second),
// and a heartbeat while a model is silent so clients that reset their timeout on progress keep waiting.
// Configured secrets never reach the client: messages are redacted, and streamed text is cut around them.
import { heldBack, redactSecrets } from '../util/redact.js';

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
    this.flush(true);
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

  /** Send the text waiting; unless `final`, keep back an end that may be the start of a secret. */
  flush(final = false): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    const text = final ? this.pending : this.pending.slice(0, this.pending.length - heldBack(this.pending));
    this.pending = this.pending.slice(text.length);
    if (text) this.send(text);
  }

  close(): void {
    this.flush(true);
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private send(message: string): void {
    this.lastSent = Date.now();
    this.sink!({ progress: ++this.count, message: redactSecrets(message) });
  }

  private armHeartbeat(): void {
    const every = this.options.heartbeatMs ?? 10_000;
    this.heartbeat = setInterval(() => {
      if (Date.now() - this.lastSent >= every - 50) this.send(this.lastStep ? `${this.lastStep} (still working)` : 'working');
    }, every);
    this.heartbeat.unref();
  }
}
