// The single way out of a call to the client: configured secrets redacted (the model may repeat a key it saw),
// size bounded. Nested agent results stay inside the run and are not checked here.
import { redactDeep, redactSecrets } from '../util/redact.js';
import type { AgentOutcome } from './run.js';

/** The most text one result may carry: a bigger answer is an error, not a reply line of many megabytes. */
export const MAX_RESULT_CHARS = 4 * 1024 * 1024;

export function deliverable(outcome: AgentOutcome): AgentOutcome {
  const size = outcome.text.length;
  if (size > MAX_RESULT_CHARS) {
    const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;
    return {
      ...outcome,
      text: `the answer is ${mib(size)}, over the ${mib(MAX_RESULT_CHARS)} a result may carry`,
      isError: true,
      structured: undefined,
    };
  }
  const text = redactSecrets(outcome.text);
  const structured = outcome.structured && redactDeep(outcome.structured);
  return text === outcome.text && structured === outcome.structured ? outcome : { ...outcome, text, structured };
}
