// Prompt templates: {{arg}} inserts a value verbatim; {{#arg}}..{{/arg}} renders when arg is given,
// {{^arg}}..{{/arg}} when it is not. Nothing is evaluated or escaped. Parsed once, at load time.

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'var'; name: string; offset: number }
  | { kind: 'section'; name: string; inverted: boolean; offset: number; children: Node[] };

export interface Template {
  readonly source: string;
  readonly nodes: Node[];
  /** Every argument name the template refers to, with its offset in the source. */
  readonly refs: { name: string; offset: number }[];
}

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const TAG = /\{\{\s*([#^/]?)\s*([A-Za-z_][\w.-]*)?\s*\}\}/g;

export function parseTemplate(source: string): Template {
  const root: Node[] = [];
  const stack: { node: Extract<Node, { kind: 'section' }>; parent: Node[] }[] = [];
  const refs: Template['refs'] = [];
  let current = root;
  let last = 0;
  for (const m of source.matchAll(TAG)) {
    const offset = m.index!;
    if (offset > last) current.push({ kind: 'text', text: source.slice(last, offset) });
    last = offset + m[0].length;
    const [, sigil, name] = m;
    if (!name) throw new TemplateSyntaxError(`empty placeholder "${m[0]}"`, offset);
    if (sigil === '/') {
      const open = stack.pop();
      if (!open) throw new TemplateSyntaxError(`"{{/${name}}}" closes no open section`, offset);
      if (open.node.name !== name) {
        throw new TemplateSyntaxError(`"{{/${name}}}" closes "{{#${open.node.name}}}"`, offset);
      }
      current = open.parent;
      continue;
    }
    refs.push({ name, offset });
    if (sigil === '#' || sigil === '^') {
      const node: Extract<Node, { kind: 'section' }> = { kind: 'section', name, inverted: sigil === '^', offset, children: [] };
      current.push(node);
      stack.push({ node, parent: current });
      current = node.children;
    } else {
      current.push({ kind: 'var', name, offset });
    }
  }
  const open = stack.pop();
  if (open) throw new TemplateSyntaxError(`section "{{#${open.node.name}}}" is never closed`, open.node.offset);
  if (last < source.length) current.push({ kind: 'text', text: source.slice(last) });
  // Unmatched braces that look like a placeholder are almost always a typo.
  const stray = /\{\{(?![^{}]*\}\})/.exec(source);
  if (stray) throw new TemplateSyntaxError('"{{" without a matching "}}"', stray.index);
  return { source, nodes: root, refs };
}

function isGiven(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function renderNodes(nodes: Node[], args: Record<string, unknown>, out: string[]): void {
  for (const node of nodes) {
    if (node.kind === 'text') out.push(node.text);
    else if (node.kind === 'var') out.push(stringify(args[node.name]));
    else if (isGiven(args[node.name]) !== node.inverted) renderNodes(node.children, args, out);
  }
}

export function renderTemplate(template: Template, args: Record<string, unknown>): string {
  const out: string[] = [];
  renderNodes(template.nodes, args, out);
  return out.join('');
}
