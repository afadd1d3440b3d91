// The task record both eras are served from (plain JSON, so a Redis store keeps it as is), and what the run writes.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

export const TERMINAL_STATUSES: readonly TaskStatus[] = ['completed', 'failed', 'cancelled'];

export function isTerminal(status: TaskStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

export interface TaskProgress {
  progress: number;
  total?: number;
  message?: string;
}

/** A JSON-RPC error: a task fails with one (a CallToolResult with isError is a `completed` task). */
export interface TaskFailure {
  code: number;
  message: string;
  data?: JsonValue;
}

/** A request the run makes of the client while it runs as a task. */
export interface TaskInputRequest {
  method: 'sampling/createMessage' | 'elicitation/create';
  params: { [key: string]: JsonValue };
}

export type TaskOutcome = { status: 'completed'; result: { [key: string]: JsonValue } } | { status: 'failed'; error: TaskFailure };

export interface NewTask {
  /** The tool the task runs. */
  tool: string;
  /** Who may list it: the 2025-era session id; absent in the 2026-07-28 era (there the id is the capability). */
  owner?: string;
  /** How long the task is kept after it finished. */
  ttlMs: number;
  /** The poll interval suggested to clients. */
  pollIntervalMs: number;
}

export interface TaskRecord {
  taskId: string;
  tool: string;
  owner?: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: number;
  lastUpdatedAt: number;
  ttlMs: number;
  pollIntervalMs: number;
  /** Set when the task became terminal: it is dropped after this. */
  expiresAt?: number;
  progress?: TaskProgress;
  /** The CallToolResult, when completed. */
  result?: { [key: string]: JsonValue };
  /** The JSON-RPC error, when failed. */
  error?: TaskFailure;
  /** tasks/cancel was asked: the process running the task aborts the run. */
  cancelRequested: boolean;
  /** Requests of the client the run waits on, by key (unique over the task's life). */
  inputRequests: { [key: string]: TaskInputRequest };
  /** The client's answers the run has not taken yet, by key. */
  inputResponses: { [key: string]: JsonValue };
  /** Grows by one with every change. */
  version: number;
}

export type TaskLookup = { state: 'found'; task: TaskRecord } | { state: 'expired' } | { state: 'unknown' };
