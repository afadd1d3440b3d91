// The ClientSession of one tool call, in the era its client speaks. 2025 era: a direct server-to-client request,
// related to the call (so it travels on the call's own response stream over HTTP). Modern era (2026-07-28): no such
// channel exists; a request for the client becomes an `input_required` round trip, driven from server/build.
import type { ClientCapabilities, CreateMessageResultWithTools, ServerContext } from '@modelcontextprotocol/server';
import { ClientInputRequired, type ClientSession } from '../providers/client-session.js';

export function legacyClientSession(capabilities: ClientCapabilities | undefined, ctx: ServerContext): ClientSession {
  return {
    era: '2025',
    capabilities,
    createMessage: (params, options) =>
      ctx.mcpReq.send(
        { method: 'sampling/createMessage', params },
        { signal: options.signal, timeout: options.timeoutMs },
      ) as Promise<CreateMessageResultWithTools>,
    elicit: (params, options) =>
      ctx.mcpReq.send({ method: 'elicitation/create', params }, { signal: options.signal, timeout: options.timeoutMs }),
  };
}

/**
 * A modern request's session: capabilities from its envelope; a sampling request stops the run with
 * ClientInputRequired, unless this leg carries the client's answer to it (the first request of a resumed run).
 * The run that asked may be one an agent called: it stops with every agent above it, and all resume on the next leg.
 */
export function modernClientSession(
  capabilities: ClientCapabilities | undefined,
  answer?: { result: CreateMessageResultWithTools } | { missing: string },
): ClientSession {
  let pending = answer;
  return {
    era: 'modern',
    capabilities,
    createMessage: async (params, options) => {
      const given = pending;
      pending = undefined;
      if (given === undefined) throw new ClientInputRequired({ method: 'sampling/createMessage', params }, options.timeoutMs);
      if ('missing' in given) throw new Error(given.missing);
      return given.result;
    },
    elicit: async () => {
      throw new Error(
        'elicitation in the 2026-07-28 era is served only inside a task: declare the tool with task: optional or task: required',
      );
    },
  };
}
