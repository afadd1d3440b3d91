// Which of our calls a downstream server's request (sampling, elicitation) belongs to, and how it is answered:
// sampling by the calling agent's own model chain, elicitation relayed to our client or declined.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ElicitRequestParams, ElicitResult } from '@modelcontextprotocol/client';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { ClientRequestOptions } from '../providers/client-session.js';
import type { GenerateRequest, GenerateResult } from '../providers/types.js';

/** One call of ours on a downstream server, as its request handlers need it. */
export interface DownstreamCaller {
  /** The agent making the call (for logs). */
  agent?: string;
  signal: AbortSignal;
  log: Logger;
  /** The calling agent's model chain (which relays to our client when the agent runs on client sampling). */
  generate?: (req: GenerateRequest) => Promise<GenerateResult>;
  /** Our client's elicitation; absent when the client does not support it. */
  elicit?: (params: ElicitRequestParams, options: ClientRequestOptions) => Promise<ElicitResult>;
  /** Milliseconds the call has left (bounds a relayed request). */
  remainingMs: () => number;
}

/**
 * Downstream requests carry no reference to the call that caused them. Over HTTP, and in the modern era's
 * input_required rounds, the handler runs in the async context of the call that sent the request: found here.
 * Over stdio in the 2025 era it runs in the context of the child's stdout: then the only call in flight on that
 * server is the one; with several, nobody can tell, and the request is refused rather than answered by a stranger.
 */
export class CallerTracker {
  private readonly storage = new AsyncLocalStorage<DownstreamCaller>();
  private readonly inFlight = new Set<DownstreamCaller>();

  async run<T>(caller: DownstreamCaller, fn: () => Promise<T>): Promise<T> {
    this.inFlight.add(caller);
    try {
      return await this.storage.run(caller, fn);
    } finally {
      this.inFlight.delete(caller);
    }
  }

  get size(): number {
    return this.inFlight.size;
  }

  current(): DownstreamCaller | { ambiguous: number } {
    const own = this.storage.getStore();
    if (own) return own;
    if (this.inFlight.size === 1) return this.inFlight.values().next().value!;
    return { ambiguous: this.inFlight.size };
  }
}

/** Longest a relayed elicitation waits for the user (bounded also by the call's own time left). */
export const ELICIT_TIMEOUT_MS = 600_000;

export function whoseRequest(server: string, caller: ReturnType<CallerTracker['current']>, what: string): DownstreamCaller {
  if ('ambiguous' in caller) {
    throw new Error(
      caller.ambiguous === 0
        ? `${what} from MCP server ${server} outside any tool call of agent-mcp`
        : `${what} from MCP server ${server}: ${caller.ambiguous} calls are in flight on it and the request does not say which one it belongs to`,
    );
  }
  return caller;
}

/** Both the downstream server's cancel and our own call's end stop the work. */
export function eitherSignal(a: AbortSignal, b: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onA = () => controller.abort(a.reason);
  const onB = () => controller.abort(b.reason);
  if (a.aborted) onA();
  else if (b.aborted) onB();
  a.addEventListener('abort', onA, { once: true });
  b.addEventListener('abort', onB, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      a.removeEventListener('abort', onA);
      b.removeEventListener('abort', onB);
    },
  };
}

export async function answerElicitation(
  server: string,
  caller: DownstreamCaller,
  params: ElicitRequestParams,
  signal: AbortSignal,
): Promise<ElicitResult> {
  if (!caller.elicit) {
    caller.log.info(`MCP server ${server} asked the user for input; declined: the client does not support elicitation`, {
      agent: caller.agent,
    });
    return { action: 'decline' };
  }
  const both = eitherSignal(signal, caller.signal);
  try {
    return await caller.elicit(params, { signal: both.signal, timeoutMs: Math.max(1, Math.min(ELICIT_TIMEOUT_MS, caller.remainingMs())) });
  } catch (err) {
    if (both.signal.aborted) throw err;
    caller.log.warn(`MCP server ${server}: the relayed elicitation failed: ${errorMessage(err)}; declined`, { agent: caller.agent });
    return { action: 'decline' };
  } finally {
    both.dispose();
  }
}
