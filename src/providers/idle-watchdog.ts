// Bounds a provider's silence: the wait for its answer to start and every gap between streamed chunks. The SDKs'
// own timeout covers only the response headers, so a stream that stalls after some text would otherwise run on to
// the tool's timeout and hand back the partial text as if it were the answer.
import { ProviderError } from '../errors.js';

export class IdleWatchdog {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private fired = false;
  private sawData = false;
  private readonly onParentAbort = () => this.controller.abort(this.parent.reason);

  constructor(
    private readonly parent: AbortSignal,
    private readonly ms: number,
  ) {
    if (parent.aborted) this.onParentAbort();
    else parent.addEventListener('abort', this.onParentAbort, { once: true });
    this.arm();
  }

  /** The signal to hand the SDK: aborted by the caller, or by a silence longer than the timeout. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Something arrived: the silence starts again. */
  kick(): void {
    this.sawData = true;
    this.arm();
  }

  /** When the request failed because the watchdog fired: the timeout error to report instead of the SDK's abort. */
  timeoutError(): ProviderError | undefined {
    if (!this.fired) return undefined;
    const seconds = this.ms / 1000;
    const message = this.sawData
      ? `the answer stalled: no data for ${seconds}s (the model's timeout)`
      : `request timed out after ${seconds}s`;
    return new ProviderError(message, true, { code: 'timeout' });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.parent.removeEventListener('abort', this.onParentAbort);
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort(new Error('provider silent for too long'));
    }, this.ms);
  }
}
