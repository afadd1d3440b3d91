// completion/complete: values for prompt arguments from their `complete:` lists.
// MCP (2025-11-25) only has ref/prompt and ref/resource references, so tool arguments cannot be completed over
// the protocol; clients read a tool argument's `enum` from its inputSchema instead.
import { ProtocolErrorCode, type CompleteRequest, type CompleteResult } from '@modelcontextprotocol/server';
import type { Config } from '../config/types.js';
import { ProtocolError } from '../errors.js';

/** The protocol's cap on values in one answer. */
export const MAX_COMPLETIONS = 100;

/** Case-insensitive prefix match, in declaration order, at most 100 values (total and hasMore tell the rest). */
export function matchValues(candidates: readonly string[], typed: string): CompleteResult['completion'] {
  const prefix = typed.toLowerCase();
  const matches = [...new Set(candidates)].filter((v) => v.toLowerCase().startsWith(prefix));
  return { values: matches.slice(0, MAX_COMPLETIONS), total: matches.length, hasMore: matches.length > MAX_COMPLETIONS };
}

export function complete(config: Config, params: CompleteRequest['params']): CompleteResult {
  const { ref, argument } = params;
  if (ref.type !== 'ref/prompt') {
    // This server has no resources: nothing to complete, but not an error a client must handle.
    return { completion: { values: [], total: 0, hasMore: false } };
  }
  const prompt = config.prompts.get(ref.name);
  if (!prompt) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt: ${ref.name}`);
  const arg = prompt.arguments.find((a) => a.name === argument.name);
  return { completion: matchValues(arg?.complete ?? [], argument.value) };
}
