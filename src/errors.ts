// Error kinds that decide how the CLI exits: user mistakes get a message and a code, bugs keep their stack.

/** A mistake of the user's (bad flag, bad file, failed job): printed as a message, never with a stack. */
export class AgentMcpError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'AgentMcpError';
  }
}

/** One located problem in a config file. */
export interface ConfigIssue {
  file: string;
  line: number;
  col: number;
  message: string;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.file}:${issue.line}:${issue.col}: ${issue.message}`;
}

/** Every problem of a config file at once; exit code 2. */
export class ConfigError extends AgentMcpError {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'), 2);
    this.name = 'ConfigError';
  }
}

/** A failure of a model provider; `retryable` says whether another attempt could help. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly options: { status?: number; retryAfterMs?: number; code?: string } = {},
  ) {
    super(message);
    this.name = 'ProviderError';
  }
  get status(): number | undefined {
    return this.options.status;
  }
}

/** A model that cannot serve this call at all (no key, client without sampling): the chain moves on. */
export class ModelUnavailableError extends Error {
  constructor(
    readonly model: string,
    readonly reason: string,
  ) {
    super(`${model}: ${reason}`);
    this.name = 'ModelUnavailableError';
  }
}

/** A per-call limit (steps, time, tokens) was hit. */
export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A JSON-RPC error for the client (unknown tool, missing prompt argument). Not the SDK's McpError: its
 * message already carries "MCP error -32602:", which the client's side would prefix a second time.
 */
export class ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}
