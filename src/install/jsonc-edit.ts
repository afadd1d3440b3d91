// Set one property of a JSON (with comments) document by a textual edit that touches nothing else: no reformatting
// of neighbours, comments stay where they are. jsonc-parser locates the nodes; its own `modify` reformats the lines
// around an insertion (moving a trailing comment onto the new entry), so it is only the fallback for compact files.
import { applyEdits, findNodeAtLocation, modify, parseTree, type Node } from 'jsonc-parser';

/** `text` with `path` (object keys) set to `value`; `unit` is one level of the file's indentation. */
export function setProperty(text: string, path: string[], value: unknown, unit: string): string {
  const root = parseTree(text, [], { allowTrailingComma: true });
  // The deepest object on the path that exists: the rest of the path is created inside it.
  let depth = 0;
  let node = root;
  while (depth < path.length) {
    const next = node && findNodeAtLocation(node, [path[depth]!]);
    if (!next || (depth < path.length - 1 && next.type !== 'object')) break;
    node = next;
    depth++;
  }
  let edited: string | undefined;
  if (node && depth === path.length) edited = replaceValue(text, node, value, unit);
  else if (node?.type === 'object') {
    const rest = path.slice(depth + 1).reduceRight<unknown>((inner, k) => ({ [k]: inner }), value);
    edited = insertProperty(text, node, path[depth]!, rest, unit);
  }
  if (edited !== undefined) return edited;
  const tabs = unit.startsWith('\t');
  return applyEdits(
    text,
    modify(text, path, value, { formattingOptions: { insertSpaces: !tabs, tabSize: tabs ? 1 : unit.length, eol: '\n' } }),
  );
}

function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

function render(value: unknown, indent: string, unit: string): string {
  return JSON.stringify(value, null, unit).replace(/\n/g, `\n${indent}`);
}

function replaceValue(text: string, node: Node, value: unknown, unit: string): string | undefined {
  // Only a nested object replaces a property whose value sits where we found it; anything deeper is replaced whole.
  if (node.parent?.type !== 'property') return undefined;
  const indent = lineIndent(text, node.parent.offset);
  return text.slice(0, node.offset) + render(value, indent, unit) + text.slice(node.offset + node.length);
}

/** A new last property, on its own line before the object's closing brace (which must start a line). */
function insertProperty(text: string, object: Node, key: string, value: unknown, unit: string): string | undefined {
  const close = object.offset + object.length - 1;
  const lineStart = text.lastIndexOf('\n', close - 1) + 1;
  if (text.slice(lineStart, close).trim()) return undefined;
  const last = object.children?.at(-1);
  const indent = last ? lineIndent(text, last.offset) : lineIndent(text, object.offset) + unit;
  if (last && text.lastIndexOf('\n', last.offset) < object.offset) return undefined; // `{ "a": 1,` on the brace's line
  const end = last ? last.offset + last.length : -1;
  const trailingComma = last ? /^\s*(\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*,/.test(text.slice(end)) : false;
  const entry = `${indent}${JSON.stringify(key)}: ${render(value, indent, unit)}${trailingComma ? ',' : ''}\n`;
  const before = last && !trailingComma ? `${text.slice(0, end)},${text.slice(end, lineStart)}` : text.slice(0, lineStart);
  return before + entry + text.slice(lineStart);
}
