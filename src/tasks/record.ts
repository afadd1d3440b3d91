// The rules of a task record, one place for every store: what a new record holds and how each change applies to it.
// A store decides where the record lives and how a change is made atomic (a Map in memory, a compare-and-set
// script on Redis); the change itself is one of these functions, so the stores cannot drift apart.
import { MAX_INPUT_REQUESTS, TaskCursorError, TaskInputLimitError } from './store.js';
import type { JsonValue, NewTask, TaskInputRequest, TaskOutcome, TaskProgress, TaskRecord } from './types.js';

/** A change of a live record; `false` means nothing changed (no new version, no wake-up). */
export type TaskChange = (task: TaskRecord) => unknown;

export function newTaskRecord(taskId: string, init: NewTask, now: number): TaskRecord {
  return {
    taskId,
    tool: init.tool,
    ...(init.owner !== undefined ? { owner: init.owner } : {}),
    status: 'working',
    createdAt: now,
    lastUpdatedAt: now,
    ttlMs: init.ttlMs,
    pollIntervalMs: init.pollIntervalMs,
    cancelRequested: false,
    inputRequests: {},
    inputResponses: {},
    version: 1,
  };
}

export function setStatus(status: 'working' | 'input_required', statusMessage?: string): TaskChange {
  return (t) => {
    t.status = status;
    if (statusMessage === undefined) delete t.statusMessage;
    else t.statusMessage = statusMessage;
  };
}

export function setProgress(progress: TaskProgress): TaskChange {
  return (t) => {
    t.progress = progress;
  };
}

/** Terminal: kept `ttlMs` from `now`, and no input is pending any more. */
export function finish(outcome: TaskOutcome, now: number): TaskChange {
  return (t) => {
    t.status = outcome.status;
    if (outcome.status === 'completed') t.result = outcome.result;
    else {
      t.error = outcome.error;
      t.statusMessage = outcome.error.message;
    }
    end(t, now);
  };
}

export function cancel(statusMessage: string, now: number): TaskChange {
  return (t) => {
    t.status = 'cancelled';
    t.statusMessage = statusMessage;
    t.cancelRequested = true;
    end(t, now);
  };
}

export function addInputRequest(key: string, request: TaskInputRequest): TaskChange {
  return (t) => {
    if (Object.keys(t.inputRequests).length >= MAX_INPUT_REQUESTS) throw new TaskInputLimitError();
    t.inputRequests[key] = request;
    t.status = 'input_required';
  };
}

/** Only pending keys move to the responses (their names go into `taken`); back to working when none is left. */
export function answerInput(responses: Record<string, JsonValue>, taken: string[]): TaskChange {
  return (t) => {
    taken.length = 0;
    for (const [key, value] of Object.entries(responses)) {
      if (!(key in t.inputRequests)) continue;
      delete t.inputRequests[key];
      t.inputResponses[key] = value;
      taken.push(key);
    }
    if (Object.keys(t.inputRequests).length === 0 && t.status === 'input_required') t.status = 'working';
    return taken.length > 0;
  };
}

/** A response is taken once; `found.value` holds it. Applies to a terminal record too (the run may still read it). */
export function takeInputResponse(key: string, found: { value?: JsonValue }): TaskChange {
  return (t) => {
    delete found.value;
    if (!(key in t.inputResponses)) return false;
    found.value = t.inputResponses[key];
    delete t.inputResponses[key];
  };
}

function end(task: TaskRecord, now: number): void {
  task.expiresAt = now + task.ttlMs;
  task.inputRequests = {};
  task.inputResponses = {};
}

/** `tasks/list` cursors: opaque, bound to their owner. */
export function encodeCursor(owner: string, seq: number): string {
  return Buffer.from(JSON.stringify([owner, seq])).toString('base64url');
}

export function decodeCursor(cursor: string): [string, number] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && Number.isSafeInteger(value[1])) return [value[0], value[1]];
  } catch {}
  throw new TaskCursorError();
}
