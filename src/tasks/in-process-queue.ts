// The task queue without Redis: jobs run in this process, at most `concurrency` at once, the rest in arrival order.
import type { TaskHandler, TaskJob, TaskQueue } from './queue.js';

export const DEFAULT_TASK_CONCURRENCY = 16;

export interface InProcessQueueOptions {
  concurrency?: number;
  /** Told when a handler throws (it should not: a handler records failures in the store itself). */
  onError?: (job: TaskJob, error: unknown) => void;
}

export class InProcessTaskQueue implements TaskQueue {
  private handler: TaskHandler | undefined;
  private readonly waiting: TaskJob[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly stop = new AbortController();
  private readonly concurrency: number;
  private readonly onError: (job: TaskJob, error: unknown) => void;

  constructor(options: InProcessQueueOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_TASK_CONCURRENCY);
    this.onError = options.onError ?? (() => {});
  }

  process(handler: TaskHandler): void {
    if (this.handler) throw new Error('the task queue already has a handler');
    this.handler = handler;
    this.pump();
  }

  async submit(job: TaskJob): Promise<void> {
    if (this.stop.signal.aborted) throw new Error('the task queue is closed');
    this.waiting.push(job);
    // The run starts on a later turn: the caller answers the task first.
    setImmediate(() => this.pump());
  }

  /** Jobs running and waiting (for tests and diagnostics). */
  get size(): { running: number; waiting: number } {
    return { running: this.running.size, waiting: this.waiting.length };
  }

  async close(): Promise<void> {
    this.stop.abort();
    this.waiting.length = 0;
    await Promise.allSettled([...this.running]);
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler) return;
    while (this.running.size < this.concurrency && this.waiting.length > 0 && !this.stop.signal.aborted) {
      const job = this.waiting.shift()!;
      const run: Promise<void> = Promise.resolve()
        .then(() => handler(job, this.stop.signal))
        .catch((error) => this.onError(job, error))
        .finally(() => {
          this.running.delete(run);
          this.pump();
        });
      this.running.add(run);
    }
  }
}
