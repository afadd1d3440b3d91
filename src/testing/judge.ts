// `expect: { judge: "..." }`: a grader model reads the tool's answer and says whether it meets the criterion, and why.
import { ModelChain } from '../agent/chain.js';
import type { ModelConfig } from '../config/types.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { JsonSchema } from '../providers/types.js';
import { shown } from './expectations.js';

export interface Verdict {
  pass: boolean;
  /** One short sentence. */
  reason: string;
  usage: { inputTokens: number; outputTokens: number };
  /** The grader's model name, for pricing. */
  model: string;
}

const SYSTEM =
  'You grade the answer of an AI tool against a criterion. Decide only whether the answer meets the criterion. ' +
  'Reply with JSON: "pass" (true or false) and "reason" (one short sentence saying why).';

export const VERDICT_SCHEMA: JsonSchema = {
  type: 'object',
  properties: { pass: { type: 'boolean' }, reason: { type: 'string' } },
  required: ['pass', 'reason'],
  additionalProperties: false,
};

const MAX_REASON_CHARS = 300;
const MAX_VERDICT_TOKENS = 512;

export function judgePrompt(criterion: string, input: Record<string, unknown>, answer: string): string {
  return `Criterion: ${criterion}\n\nThe tool was called with: ${JSON.stringify(input)}\n\nIts answer:\n${answer}`;
}

export async function judgeAnswer(
  grader: ModelConfig,
  registry: ProviderRegistry,
  log: Logger,
  question: { criterion: string; input: Record<string, unknown>; answer: string },
  signal: AbortSignal,
): Promise<Verdict> {
  const chain = new ModelChain([grader], registry, { signal, log }, { tools: false });
  const result = await chain.generate({
    system: SYSTEM,
    messages: [{ role: 'user', content: [{ type: 'text', text: judgePrompt(question.criterion, question.input, question.answer) }] }],
    output: VERDICT_SCHEMA,
    maxOutputTokens: MAX_VERDICT_TOKENS,
    temperature: 0,
    signal,
  });
  const text = result.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
  const usage = { inputTokens: result.usage.inputTokens ?? 0, outputTokens: result.usage.outputTokens ?? 0 };
  let parsed: { pass?: unknown; reason?: unknown } | undefined;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (err) {
    throw new Error(`the grader ${grader.name} answered no verdict (${errorMessage(err)}): ${shown(text)}`);
  }
  if (typeof parsed?.pass !== 'boolean') throw new Error(`the grader ${grader.name} answered no verdict: ${shown(text)}`);
  const reason = typeof parsed.reason === 'string' ? parsed.reason.trim().split('\n')[0]!.slice(0, MAX_REASON_CHARS) : '';
  return { pass: parsed.pass, reason: reason || '(no reason given)', usage, model: grader.name };
}
