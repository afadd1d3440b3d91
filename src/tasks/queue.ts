// Where the work of a task runs: the seam between taking a task (tools/call answered with a task at once) and
// running it. In this process by default (in-process-queue.ts); on a Redis job queue (BullMQ) with `--redis`, where
// any replica's worker may run it and another takes it over when that replica dies.
//
// The contract:
// - submit() resolves once the job is durably queued (the task was created in the store before): after that the
//   task will run, or be marked failed in the store by whoever finds it cannot.
// - A job is plain JSON (it crosses processes): everything the run needs that is not in the config.
// - The handler runs the tool and writes progress, input requests and the outcome to the TaskStore; it watches the
//   store's cancelRequested to abort. The queue's signal aborts when the queue closes (shutdown): the handler must
//   then stop promptly and record the task failed (a Redis queue may instead leave it to another replica).
// - Bounded: a queue runs at most `concurrency` jobs at once (further ones wait their turn; the store's maxTasks
//   bounds how many can wait).
import type { JsonValue } from './types.js';

export interface TaskJob {
  taskId: string;
  /** The tool to call. */
  tool: string;
  /** Its arguments, as the client sent them. */
  args: JsonValue;
  /** The era of the client that created the task (how the run may ask it for input). */
  era: '2025' | 'modern';
  /** false: never run twice (the tool's task.repeat); a queue that would run it again fails the task instead. */
  repeat?: false;
  /** The client's capabilities when it created the task (sampling, elicitation: what it can be asked). */
  clientCapabilities?: { [key: string]: JsonValue };
}

export type TaskHandler = (job: TaskJob, signal: AbortSignal) => Promise<void>;

export interface TaskQueue {
  /** The function that runs a job; set once, before the first submit(). */
  process(handler: TaskHandler): void;
  /** Queue a job (see the contract above). */
  submit(job: TaskJob): Promise<void>;
  /** Stop taking jobs, abort the running ones' signals and wait for their handlers to return. Idempotent. */
  close(): Promise<void>;
}
