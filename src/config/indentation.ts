// Indentation mistakes in agents.yaml, told in the user's terms: the line that is wrongly indented, the columns its
// neighbours use, and what to do, instead of the YAML parser's own words (which often point at another line).

export interface IndentProblem {
  /** Where to point: the first character of the mis-indented line's key. */
  offset: number;
  message: string;
}

interface Line {
  number: number;
  start: number;
  indent: number;
  key?: string;
}

function linesOf(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (const [i, raw] of text.split('\n').entries()) {
    const indent = /^ */.exec(raw)![0].length;
    const rest = raw.slice(indent);
    if (rest.trim() && !rest.startsWith('#')) {
      const key = /^(?:- +)?("[^"]*"|'[^']*'|[^\s:#][^:#]*?)\s*:(\s|$)/.exec(rest)?.[1];
      out.push({ number: i + 1, start, indent, key });
    }
    start += raw.length + 1;
  }
  return out;
}

const where = (l: Line) => (l.key ? `"${l.key}:" on line ${l.number}` : `line ${l.number}`);

/** A located, explained problem for the parser errors that are about indentation; undefined for the others. */
export function indentationProblem(text: string, code: string, offset: number, parserMessage: string): IndentProblem | undefined {
  if (code === 'TAB_AS_INDENT') return { offset, message: 'a tab in the indentation: YAML indents with spaces only' };
  const lines = linesOf(text);
  let at = -1;
  for (const [i, l] of lines.entries()) if (l.start <= offset) at = i;
  if (at < 0) return undefined;
  // BAD_INDENT also stands for an unclosed [ or {: only the mapping case is about indentation.
  if (code === 'BAD_INDENT' && parserMessage.startsWith('All mapping items must start at the same column')) {
    const line = lines[at]!;
    const before = lines.slice(0, at).reverse();
    const deeper = before.find((l) => l.indent > line.indent);
    const shallower = before.find((l) => l.indent < line.indent);
    const options = [deeper, shallower].filter((l): l is Line => l !== undefined);
    if (!options.length) return undefined;
    const choices = options.map((l) => `column ${l.indent + 1} (like ${where(l)})`).join(' or ');
    return {
      offset: line.start + line.indent,
      message: `bad indentation: this line starts at column ${line.indent + 1}, where no mapping of the lines above starts; move it to ${choices}, the one it belongs to`,
    };
  }
  if (code === 'BLOCK_AS_IMPLICIT_KEY') {
    // `prompt: hi` then a deeper line: the deeper line cannot nest under a key that already has a value.
    const owner = lines[at]!;
    const next = lines[at + 1];
    if (!owner.key || !next || next.indent <= owner.indent) return undefined;
    return {
      offset: next.start + next.indent,
      message: `bad indentation: this line is indented under ${where(owner)}, which already has a value; to make it a sibling of "${owner.key}:", start it at column ${owner.indent + 1}`,
    };
  }
  return undefined;
}
