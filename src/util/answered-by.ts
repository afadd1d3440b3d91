// The line `call`, `test` and `dev` print after a result: which model answered and why the ones before it did not.

export interface AnswerFacts {
  model?: string;
  skipped?: string[];
  steps?: number;
  usage?: { inputTokens?: number; outputTokens?: number };
}

/** agent-mcp's facts from a result's _meta (absent when the server is not agent-mcp). */
export function answerFacts(result: { _meta?: Record<string, unknown> }): AnswerFacts | undefined {
  const facts = result._meta?.['agent-mcp'];
  return facts && typeof facts === 'object' ? (facts as AnswerFacts) : undefined;
}

/** "answered by offline; fast: ANTHROPIC_API_KEY is not set", or undefined when no model is named. */
export function answeredBy(facts: AnswerFacts | undefined): string | undefined {
  if (!facts?.model) return undefined;
  return [`answered by ${facts.model}`, ...(facts.skipped ?? [])].join('; ');
}
