// One example's `expect:` checked against a tools/call result: a list of failures (empty = passed).
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { RawExample } from '../config/schema.js';
import type { JsonSchema } from '../util/json-schema.js';
import { compileValidator } from '../util/json-schema.js';

export type Expectations = RawExample['expect'];

const SHOWN_CHARS = 200;

/** The result's text as `agent-mcp call` prints it. */
export function resultText(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join('\n');
}

/** A bounded, one-line rendering of what the tool answered (JSON quoting keeps newlines visible). */
export function shown(text: string): string {
  return JSON.stringify(text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text);
}

export function checkExpectations(expect: Expectations, result: CallToolResult, outputSchema?: JsonSchema): string[] {
  const text = resultText(result);
  const wantError = expect.isError === true;
  // A wrong outcome makes every other check noise: report it alone.
  if (result.isError && !wantError) return [`the tool returned an error: ${shown(text)}`];
  if (!result.isError && wantError) return [`expected an error, got ${shown(text)}`];

  const failures: string[] = [];
  if (expect.equals !== undefined && text !== expect.equals) {
    failures.push(`expected text to equal ${JSON.stringify(expect.equals)}, got ${shown(text)}`);
  }
  const contains = expect.contains === undefined ? [] : Array.isArray(expect.contains) ? expect.contains : [expect.contains];
  const missing = contains.filter((part) => !text.includes(part));
  if (missing.length) failures.push(`expected text to contain ${missing.map((m) => JSON.stringify(m)).join(' and ')}, got ${shown(text)}`);
  if (expect.matches !== undefined && !new RegExp(expect.matches).test(text)) {
    failures.push(`expected text to match /${expect.matches}/, got ${shown(text)}`);
  }
  if (expect.schema) failures.push(...checkStructured(result, outputSchema));
  return failures;
}

function checkStructured(result: CallToolResult, outputSchema: JsonSchema | undefined): string[] {
  if (!outputSchema) return ['expected structuredContent, but the tool has no output schema'];
  if (result.structuredContent === undefined) return ['expected structuredContent valid against the output schema, got none'];
  const valid = compileValidator(outputSchema)(structuredClone(result.structuredContent));
  return valid.ok ? [] : [`structuredContent does not match the output schema: ${valid.errors.join('; ')}`];
}
