// The TaskQueue on Redis (`--redis`): a task's run is a BullMQ job, so whichever replica has a free worker slot runs
// it, and when the replica running it dies (SIGKILL, a crash, a lost machine) its lock lapses and BullMQ's
// stalled-job check hands the job to another replica, which runs it again from the start; a tool whose task says
// `repeat: false` is not run again: its task fails with a clear status instead. A job is only the carrier: the task
// record (RedisTaskStore) holds status, progress and result, and tasks/cancel reaches the run through that record
// (the run watches it), whichever replica took the cancel.
//
// Why BullMQ: a well-kept Redis job queue (no new engine to run), with exactly what "a process that dies mid-run has
// its runs taken over" needs: locks renewed while a job runs, stalled-job recovery, a bound on recoveries, per-worker
// concurrency, and atomic state changes in Lua. Loaded lazily (dist/vendor/bullmq.cjs) like ioredis.
import type { Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { TaskHandler, TaskJob, TaskQueue } from '../tasks/queue.js';
import type { TaskStore } from '../tasks/store.js';
import { isTerminal } from '../tasks/types.js';
import { type RedisConnection, RedisUnavailableError } from './redis.js';

export interface RedisTaskQueueOptions {
  /** Keeps queues apart on one Redis (tests; several deployments on one Redis). Default "main". */
  namespace?: string;
  /** Jobs this process runs at once (default 16). */
  concurrency?: number;
  /**
   * How long a replica's claim on a running job lasts without renewal (renewed at half of it while the job runs). A
   * dead replica's jobs are taken over within about twice this. Default 30 s.
   */
  lockMs?: number;
}

export const TASK_QUEUE_DEFAULTS = { concurrency: 16, lockMs: 30_000 } as const;

/** A job recovered after its process died this many times is failed rather than run once more. */
const MAX_TAKEOVERS = 1;
const INTERNAL_ERROR = -32603;

export const NOT_REPEATED = 'the process running this task stopped; the tool says repeat: false, so it was not run again';
export const STOPPED_TOO_OFTEN = `the process running this task stopped, and so did the one that took it over (${MAX_TAKEOVERS + 1} times in all); it is not run again`;

export class RedisTaskQueue implements TaskQueue {
  private handler: TaskHandler | undefined;
  private worker: Worker | undefined;
  private workerConnection: Redis | undefined;
  private readonly stop = new AbortController();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly redis: RedisConnection,
    private readonly bull: typeof import('./bullmq-client.js'),
    private readonly queue: Queue,
    private readonly store: TaskStore,
    private readonly log: Logger,
    private readonly options: Required<RedisTaskQueueOptions>,
  ) {}

  /** Load BullMQ (the first time) and open the queue on the process's Redis connection. */
  static async open(redis: RedisConnection, store: TaskStore, log: Logger, options: RedisTaskQueueOptions = {}): Promise<RedisTaskQueue> {
    const bull = await import('./bullmq-client.js');
    const resolved = {
      namespace: options.namespace ?? 'main',
      concurrency: Math.max(1, options.concurrency ?? TASK_QUEUE_DEFAULTS.concurrency),
      lockMs: options.lockMs ?? TASK_QUEUE_DEFAULTS.lockMs,
    };
    // Adding a job goes through the process's connection: no offline queue, bounded commands, so a task call with
    // Redis away fails at once with the reason instead of waiting for Redis to return.
    const queue = new bull.Queue(queueName, { connection: redis.client, prefix: prefixOf(resolved.namespace), skipVersionCheck: true });
    queue.on('error', () => {}); // Redis being away is reported by the connection itself
    return new RedisTaskQueue(redis, bull, queue, store, log, resolved);
  }

  process(handler: TaskHandler): void {
    if (this.handler) throw new Error('the task queue already has a handler');
    this.handler = handler;
    const { lockMs, concurrency, namespace } = this.options;
    // The worker's connections are its own: one blocks waiting for jobs (so no command timeout: BullMQ bounds its
    // waits itself), and they queue commands while Redis is away and carry on when it is back.
    const connection = (this.workerConnection = this.redis.client.duplicate({
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      commandTimeout: undefined,
      connectionName: 'agent-mcp-worker',
    }));
    connection.on('error', () => {});
    this.worker = new this.bull.Worker(queueName, (job, _token, signal) => this.run(job, signal), {
      connection,
      // Recorded on each job it takes (BullMQ's processedBy): which process runs a task, for operators and tests.
      name: `agent-mcp pid ${process.pid}`,
      prefix: prefixOf(namespace),
      concurrency,
      lockDuration: lockMs,
      stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
      maxStalledCount: MAX_TAKEOVERS,
      // The record keeps the outcome; a finished job is only kept (bounded) to show what failed.
      removeOnComplete: { count: 0 },
      removeOnFail: { age: 3600, count: 1000 },
      skipVersionCheck: true,
    });
    this.worker.on('error', (err) => this.log.debug(`task queue: ${errorMessage(err)}`));
    // A job BullMQ itself gave up on (stalled once too often) never reached a handler that could record it.
    this.worker.on('failed', (job, err) => {
      if (!job) return;
      const message = /stalled more than allowable limit/.test(err.message) ? STOPPED_TOO_OFTEN : err.message;
      void this.fail((job.data as TaskJob).taskId, message);
    });
  }

  async submit(job: TaskJob): Promise<void> {
    if (this.stop.signal.aborted) throw new Error('the task queue is closed');
    try {
      await this.queue.add(job.tool, job, { jobId: job.taskId, attempts: 1 });
    } catch (err) {
      if (err instanceof RedisUnavailableError) throw err;
      const why = this.redis.problem();
      throw why ? new RedisUnavailableError(`Redis unavailable at ${this.redis.url}: ${why}`) : err;
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      // The runs stop (the handler records their tasks failed: a replica stopping on purpose says so rather than
      // leave its work to a takeover), then the worker and the queue let go of Redis; the connection is the caller's.
      this.stop.abort(new Error('the server shut down while the task ran'));
      await this.worker?.close().catch(() => {});
      this.workerConnection?.disconnect(); // given to BullMQ, so not closed by it
      await this.queue.close().catch(() => {});
    })();
    return this.closing;
  }

  private async run(job: Job, signal: AbortSignal | undefined): Promise<void> {
    const data = job.data as TaskJob;
    const lookup = await this.store.get(data.taskId);
    // Cancelled (or gone) before a worker took it: nothing to run.
    if (lookup.state !== 'found' || isTerminal(lookup.task.status)) return;
    // attemptsStarted counts every start: above 1, a process took this job over from one that died running it.
    if (job.attemptsStarted > 1 && data.repeat === false) {
      this.log.warn(`task ${data.taskId}: ${NOT_REPEATED}`);
      await this.fail(data.taskId, NOT_REPEATED);
      return;
    }
    if (job.attemptsStarted > 1) this.log.info(`task ${data.taskId}: taken over from a process that stopped; running it again`);
    const stop = signal ? AbortSignal.any([this.stop.signal, signal]) : this.stop.signal;
    await this.handler!(data, stop);
  }

  private async fail(taskId: string, message: string): Promise<void> {
    await this.store
      .finish(taskId, { status: 'failed', error: { code: INTERNAL_ERROR, message } })
      .catch((err) => this.log.error(`task ${taskId}: the failure was not stored: ${errorMessage(err)}`));
  }
}

const queueName = 'tasks';

/** BullMQ's keys: agent-mcp:bull:{NS}:tasks:… (one hash tag, as BullMQ wants for Redis Cluster). */
function prefixOf(namespace: string): string {
  return `agent-mcp:bull:{${namespace}}`;
}
