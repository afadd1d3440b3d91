// What a running call may ask of the MCP client that made it. server/ implements it per request, in the era the
// client speaks: a direct request in the 2025 era, an `input_required` round trip in the modern one. Providers
// (sampling) and toolsets (relayed elicitation) see only this interface, never a transport.
import type {
  ClientCapabilities,
  CreateMessageRequestParams,
  CreateMessageResultWithTools,
  ElicitRequestParams,
  ElicitResult,
} from '@modelcontextprotocol/server';

/** `2025`: initialize, sessions, server-to-client requests. `modern`: 2026-07-28, per-request envelope, input_required. */
export type ProtocolEraName = '2025' | 'modern';

export interface ClientRequestOptions {
  signal: AbortSignal;
  timeoutMs: number;
}

export interface ClientSession {
  readonly era: ProtocolEraName;
  /** The client's capabilities for this request (per request in the modern era); undefined when unknown. */
  readonly capabilities: ClientCapabilities | undefined;
  /** sampling/createMessage: the client's own model. */
  createMessage(params: CreateMessageRequestParams, options: ClientRequestOptions): Promise<CreateMessageResultWithTools>;
  /** elicitation/create: ask the user. */
  elicit(params: ElicitRequestParams, options: ClientRequestOptions): Promise<ElicitResult>;
}

/**
 * Thrown by a modern-era ClientSession when the client must be asked something: the run stops at this model-call
 * boundary, the server answers `input_required` with `request` and the run's state, and the run resumes when the
 * client calls again with the answer. Not a failure: nothing catches it but the loop and the server.
 */
export class ClientInputRequired extends Error {
  constructor(
    readonly request: { method: 'sampling/createMessage'; params: CreateMessageRequestParams },
    /** How long the client may take to answer (the state expires then). */
    readonly timeoutMs: number,
  ) {
    super(`the client must answer ${request.method} first`);
    this.name = 'ClientInputRequired';
  }
}
