// Two things about a YAML text the parser reports badly, found by one pass over the characters before parsing:
// a nest too deep (the parser and everything after it recurse, and would run out of stack) and where an unclosed
// quote opens (the parser only notices at the end of the file).
import type { ConfigIssue } from '../errors.js';

/** Deeper than any agents.yaml needs; far below what would exhaust the stack. */
export const MAX_YAML_DEPTH = 100;

export interface YamlShape {
  /** The offset where the nesting first goes deeper than MAX_YAML_DEPTH. */
  tooDeepAt?: number;
  /** The offset of a quote that opens a scalar and is never closed. */
  unclosedQuoteAt?: number;
}

/** Where a quoted scalar may start: after these (or at the start of a line's content). */
const VALUE_START = new Set([':', '-', '[', '{', ',', '?']);

export function yamlShape(text: string): YamlShape {
  const indents: number[] = []; // the open block levels, by indentation
  let flow = 0; // [ and { not yet closed
  let blockScalarIndent = -1; // inside a | or > scalar: lines indented more than this are text
  let i = 0;
  const n = text.length;
  while (i < n) {
    // One line: its indentation first.
    const lineStart = i;
    let indent = 0;
    while (i < n && text[i] === ' ') {
      i++;
      indent++;
    }
    const blank = i >= n || text[i] === '\n' || text[i] === '\r' || text[i] === '#';
    if (blockScalarIndent >= 0) {
      if (blank || indent > blockScalarIndent) {
        i = text.indexOf('\n', i);
        if (i < 0) break;
        i++;
        continue;
      }
      blockScalarIndent = -1;
    }
    if (!blank && flow === 0) {
      while (indents.length && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
    }
    let depth = indents.length + flow;
    let prev = ''; // the last character that was not a space, on this line
    while (i < n && text[i] !== '\n') {
      const c = text[i]!;
      if (c === '#' && (i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t')) {
        i = text.indexOf('\n', i);
        if (i < 0) i = n;
        break;
      }
      if ((c === '"' || c === "'") && (prev === '' || VALUE_START.has(prev))) {
        const end = closingQuote(text, i);
        if (end < 0) return { unclosedQuoteAt: i };
        i = end + 1;
        prev = c;
        continue;
      }
      if (c === '[' || c === '{') {
        flow++;
        depth++;
      } else if ((c === ']' || c === '}') && flow > 0) flow--;
      else if (c === '-' && (prev === '' || prev === '-') && (text[i + 1] === ' ' || text[i + 1] === '\n'))
        depth++; // - - x
      else if ((c === '|' || c === '>') && (prev === ':' || prev === '-') && flow === 0) blockScalarIndent = indent;
      if (depth > MAX_YAML_DEPTH) return { tooDeepAt: i };
      if (c !== ' ' && c !== '\t' && c !== '\r') prev = c;
      i++;
    }
    i++;
  }
  return {};
}

/** The offset of the quote that closes the one at `start`, or -1. */
function closingQuote(text: string, start: number): number {
  const q = text[start]!;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (q === '"' && c === '\\') i++;
    else if (c === q) {
      if (q === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

function locate(file: string, text: string, offset: number, message: string): ConfigIssue {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { file, line, col: offset - before.lastIndexOf('\n'), message };
}

/** A nest deeper than MAX_YAML_DEPTH, located where it gets too deep: checked before the parser recurses into it. */
export function depthIssue(file: string, text: string): ConfigIssue | undefined {
  const { tooDeepAt } = yamlShape(text);
  return tooDeepAt === undefined ? undefined : locate(file, text, tooDeepAt, `nested more than ${MAX_YAML_DEPTH} levels deep`);
}

/** The parser says a quote is never closed at the end of the file: say it where the quote opens. */
export function relocateUnclosedQuote(file: string, text: string, issues: ConfigIssue[]): ConfigIssue[] {
  const i = issues.findIndex((issue) => /^Missing closing ["']quote/.test(issue.message));
  if (i < 0) return issues;
  const { unclosedQuoteAt } = yamlShape(text);
  if (unclosedQuoteAt === undefined) return issues;
  const quote = text[unclosedQuoteAt]!;
  const out = [...issues];
  out[i] = locate(file, text, unclosedQuoteAt, `the ${quote === '"' ? 'double' : 'single'} quote opened here is never closed`);
  return out;
}
