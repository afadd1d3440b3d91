// A 2026-07-28 tool that runs only as a task (`task: required`), called from agent-mcp's own client (`call`, `test`):
// the SDK v2 client refuses a tools/call answered with `resultType: "task"` and knows no tasks/get or tasks/update on
// this era, so these requests go on the client's own transport, with ids of their own, and their answers are taken
// off before the client sees them. The loop is the SEP-2663 one: tools/call with the tasks extension declared, then
// tasks/get every pollIntervalMs until the task ends, answering what the run asks the client for with tasks/update.
import type { CallToolResult, Client, JSONRPCMessage, ProgressCallback, Transport } from '@modelcontextprotocol/client';
import { ProtocolError, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** Answers a sampling/createMessage of the run (the client's --sampling-model). */
export type SamplingAnswerer = (params: Record<string, unknown>, signal: AbortSignal) => Promise<unknown>;

interface ChannelOptions {
  clientInfo: { name: string; version: string };
  capabilities: Record<string, unknown>;
  /** Answers the run's sampling requests; without it such a request fails the call. Elicitations are declined. */
  sample?: SamplingAnswerer;
}

type Pending = { resolve: (result: Record<string, unknown>) => void; reject: (err: Error) => void };

// Polling is the server's to pace (pollIntervalMs), within bounds a misconfigured server cannot push us past.
const MIN_POLL_MS = 10;
const MAX_POLL_MS = 5_000;
const FIRST_POLL_MS = 20;

class TaskChannel {
  private next = 0;
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly transport: Transport,
    private readonly options: ChannelOptions,
  ) {
    const forward = transport.onmessage;
    transport.onmessage = ((message: JSONRPCMessage, extra?: unknown) => {
      const id = (message as { id?: unknown }).id;
      const mine = typeof id === 'string' && !('method' in message) ? this.pending.get(id) : undefined;
      if (!mine) return (forward as (m: JSONRPCMessage, e?: unknown) => void)?.(message, extra);
      this.pending.delete(id as string);
      if ('error' in message) mine.reject(new ProtocolError(message.error.code, message.error.message, message.error.data));
      else mine.resolve((message as { result: Record<string, unknown> }).result);
    }) as Transport['onmessage'];
    const closed = transport.onclose;
    transport.onclose = () => {
      for (const p of this.pending.values()) p.reject(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'));
      this.pending.clear();
      closed?.();
    };
  }

  /** One request of this era, with the envelope every 2026-07-28 request carries (the tasks extension declared). */
  request(method: string, params: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown>> {
    const id = `agent-mcp-task-${++this.next}`;
    const capabilities = {
      ...this.options.capabilities,
      extensions: { ...(this.options.capabilities.extensions as object | undefined), [TASKS_EXTENSION]: {} },
    };
    const _meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': this.options.clientInfo,
      'io.modelcontextprotocol/clientCapabilities': capabilities,
    };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new SdkError(SdkErrorCode.RequestTimeout, `Request timed out: ${method}`));
      }, timeoutMs);
      const settle =
        <T>(fn: (v: T) => void) =>
        (v: T) => {
          clearTimeout(timer);
          fn(v);
        };
      this.pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      this.transport.send({ jsonrpc: '2.0', id, method, params: { ...params, _meta } } as JSONRPCMessage).catch((err: Error) => {
        this.pending.delete(id);
        settle(reject)(err);
      });
    });
  }

  /** tools/call as a task, followed to its end. */
  async callAsTask(params: Record<string, unknown>, opts: TaskCallOptions): Promise<CallToolResult> {
    const timeoutMs = opts.timeout ?? 60_000;
    const created = await this.request('tools/call', params, timeoutMs);
    if (created.resultType !== 'task') return withoutResultType(created);
    const taskId = String(created.taskId);
    const aborter = new AbortController();
    let last = '';
    let changes = 0;
    let polls = 0;
    let quietSince = Date.now();
    try {
      for (let task = created; ; ) {
        const status = String(task.status);
        if (status === 'completed') return withoutResultType((task.result ?? {}) as Record<string, unknown>);
        if (status === 'failed') {
          const error = (task.error ?? {}) as { code?: number; message?: string };
          throw new ProtocolError(error.code ?? -32603, error.message ?? `task ${taskId} failed`);
        }
        if (status === 'cancelled') throw new ProtocolError(-32603, `task ${taskId} was cancelled${suffix(task.statusMessage)}`);
        // A task whose status and message stay the same past the timeout counts as a call with no answer: the
        // same rule as --timeout with progress (the server's own limit on the run ends it sooner).
        const shown = `${status}|${task.statusMessage ?? ''}`;
        if (shown !== last) {
          last = shown;
          quietSince = Date.now();
          if (typeof task.statusMessage === 'string') opts.onprogress?.({ progress: ++changes, message: task.statusMessage });
        } else if (Date.now() - quietSince > timeoutMs) {
          throw new SdkError(SdkErrorCode.RequestTimeout, `task ${taskId}: no change within ${timeoutMs / 1000}s`);
        }
        if (status === 'input_required' && task.inputRequests) {
          const responses = await this.answerAll(task.inputRequests as Record<string, Input>, aborter.signal);
          await this.request('tasks/update', { taskId, inputResponses: responses }, timeoutMs);
        } else {
          // Quick at first (most calls are short), backing off to the interval the server asks for.
          const interval = Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, Number(task.pollIntervalMs) || 1000));
          await new Promise((r) => setTimeout(r, Math.min(interval, FIRST_POLL_MS * 2 ** polls++)));
        }
        task = await this.request('tasks/get', { taskId }, timeoutMs);
      }
    } catch (err) {
      // Whatever ends the wait here (a timeout, a lost answer) must not leave the run going on the server.
      aborter.abort();
      await this.request('tasks/cancel', { taskId }, 5_000).catch(() => {});
      throw err;
    }
  }

  private async answerAll(requests: Record<string, Input>, signal: AbortSignal): Promise<Record<string, unknown>> {
    const answers: Record<string, unknown> = {};
    for (const [key, request] of Object.entries(requests)) {
      if (request.method === 'sampling/createMessage' && this.options.sample) {
        answers[key] = await this.options.sample(request.params ?? {}, signal);
      } else if (request.method === 'elicitation/create') {
        answers[key] = { action: 'decline' }; // this client asks no one
      } else {
        throw new ProtocolError(-32603, `the run asked the client for ${request.method}, which this client does not answer`);
      }
    }
    return answers;
  }
}

type Input = { method: string; params?: Record<string, unknown> };

export interface TaskCallOptions {
  timeout?: number;
  onprogress?: ProgressCallback;
}

function withoutResultType(result: Record<string, unknown>): CallToolResult {
  const { resultType: _, ...rest } = result;
  return rest as CallToolResult;
}

function suffix(message: unknown): string {
  return typeof message === 'string' && message ? `: ${message}` : '';
}

const channels = new WeakMap<Client, TaskChannel>();

/** Let `client` (connected to `transport`) call task-only tools of the 2026-07-28 era. Call after connect. */
export function attachTaskChannel(client: Client, transport: Transport, options: ChannelOptions): void {
  channels.set(client, new TaskChannel(transport, options));
}

export function taskChannelOf(client: Client): TaskChannel | undefined {
  return channels.get(client);
}
