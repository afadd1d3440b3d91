// agents.yaml as a YAML document that remembers where everything is, with ${VAR} interpolated in place.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair, type Scalar } from 'yaml';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { indentationProblem } from './indentation.js';

export type PathSegment = string | number;

export class YamlSource {
  readonly lines = new LineCounter();
  readonly doc: Document.Parsed;
  readonly issues: ConfigIssue[] = [];
  /** Environment variables the file references. */
  readonly envVars = new Set<string>();
  /** The environment values each scalar received: secrets when the field is (a header, a URL's query). */
  private readonly fromEnv = new WeakMap<Node, string[]>();

  constructor(
    readonly file: string,
    readonly text: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true, keepSourceTokens: false });
    // After the first syntax error the parser's further complaints are mostly its echo: keep that one
    // (and every duplicate key, which are real problems of their own).
    const firstSyntax = this.doc.errors.find((e) => e.code !== 'DUPLICATE_KEY');
    for (const err of this.doc.errors.filter((e) => e.code === 'DUPLICATE_KEY' || e === firstSyntax)) {
      const indent = indentationProblem(this.text, err.code, err.pos[0], err.message);
      if (indent) {
        this.issues.push(this.at(indent.offset, indent.message));
        continue;
      }
      const message =
        err.code === 'DUPLICATE_KEY'
          ? `duplicate key ${this.duplicateKeyName(err.pos[0])}`.trimEnd()
          : err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      const line = this.text.slice(this.text.lastIndexOf('\n', err.pos[0] - 1) + 1).split('\n')[0]!;
      const hint =
        /(^|[\s:,{[])\$\{/.test(line) && err.code !== 'DUPLICATE_KEY' ? ' (quote values that hold ${...}, e.g. apiKey: "${KEY}")' : '';
      this.issues.push(this.at(err.pos[0], message + hint));
    }
    if (this.doc.errors.length === 0) this.interpolate(env);
  }

  at(offset: number, message: string): ConfigIssue {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col, message };
  }

  private duplicateKeyName(offset: number): string {
    const m = /^\s*("[^"]*"|'[^']*'|[^:#\s][^:#]*?)\s*:/.exec(this.text.slice(offset));
    return m ? `"${m[1]!.replace(/^["']|["']$/g, '')}"` : '';
  }

  /** `${VAR}` and `${VAR:-default}` in string values (never keys); `$${` escapes. */
  private interpolate(env: NodeJS.ProcessEnv): void {
    visit(this.doc, {
      Scalar: (key, node) => {
        if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
        node.value = (node.value as string).replace(
          /\$?\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
          (whole, name: string, fallback?: string) => {
            if (whole.startsWith('$$')) return whole.slice(1);
            this.envVars.add(name);
            const value = env[name];
            if (value !== undefined && value !== '') {
              this.fromEnv.set(node, [...(this.fromEnv.get(node) ?? []), value]);
              return value;
            }
            if (fallback !== undefined) return fallback;
            this.issues.push(
              this.at(
                this.offsetInScalar(node, String(node.source ?? '').indexOf(whole)),
                `environment variable ${name} is not set (write \${${name}:-default} to give a default)`,
              ),
            );
            return '';
          },
        );
      },
    });
  }

  /** The environment values interpolated into the value at `path` (none when it was written out). */
  envValuesAt(path: readonly PathSegment[]): string[] {
    const { node, depth } = this.find(path);
    return node && depth === path.length ? (this.fromEnv.get(node) ?? []) : [];
  }

  toJS(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: 1000 }) ?? {};
    } catch (err) {
      // The yaml library throws on an alias it cannot expand: one naming no anchor, or an alias bomb.
      if (!(err instanceof ReferenceError)) throw err;
      throw new ConfigError([this.aliasProblem()]);
    }
  }

  private aliasProblem(): ConfigIssue {
    let unresolved: Node | undefined;
    let first: Node | undefined;
    visit(this.doc, {
      Alias: (_key, node) => {
        first ??= node;
        if (node.resolve(this.doc) === undefined) {
          unresolved = node;
          return visit.BREAK;
        }
      },
    });
    if (unresolved) {
      const name = (unresolved as unknown as { source: string }).source;
      return this.at(unresolved.range?.[0] ?? 0, `alias *${name} names no anchor before it (write &${name} on an earlier value)`);
    }
    return this.at(first?.range?.[0] ?? 0, 'aliases expand to too many values (over 1000): write the values out');
  }

  /** The node at `path` and the pair holding it, walking as far as the document goes. */
  find(path: readonly PathSegment[]): { node?: Node; pair?: Pair; depth: number } {
    let node: unknown = this.doc.contents;
    let pair: Pair | undefined;
    let depth = 0;
    for (const seg of path) {
      if (isMap(node)) {
        const p = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(seg));
        if (!p) break;
        pair = p as Pair;
        node = p.value;
      } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
        pair = undefined;
        node = node.items[seg];
      } else break;
      depth++;
    }
    return { node: node as Node | undefined, pair, depth };
  }

  /** Where a value lives (its first character). */
  valueAt(path: readonly PathSegment[], message: string): ConfigIssue {
    const { node, pair, depth } = this.find(path);
    if (depth < path.length) return this.keyAt(path.slice(0, depth), message);
    const range = node?.range ?? (pair?.key as Node | undefined)?.range;
    return this.at(range?.[0] ?? 0, message);
  }

  /** Where a key is written (for unknown keys and missing fields, the mapping key is the natural place). */
  keyAt(path: readonly PathSegment[], message: string): ConfigIssue {
    if (path.length === 0) return this.at(this.doc.contents?.range?.[0] ?? 0, message);
    const { node, pair, depth } = this.find(path);
    if (depth === path.length && pair && typeof path[path.length - 1] === 'string') {
      return this.at((pair.key as Node).range?.[0] ?? 0, message);
    }
    if (depth === path.length) return this.at(node?.range?.[0] ?? 0, message);
    return this.keyAt(path.slice(0, depth), message);
  }

  /** Where character `index` of a string value is, for plain, quoted and literal-block scalars. */
  placeInValue(path: readonly PathSegment[], index: number, message: string): ConfigIssue {
    const { node, depth } = this.find(path);
    if (depth < path.length || !isScalar(node)) return this.valueAt(path, message);
    return this.at(this.offsetInScalar(node, index), message);
  }

  private offsetInScalar(node: Scalar, index: number): number {
    const start = node.range?.[0] ?? 0;
    const value = String(node.source ?? node.value);
    if (index < 0) return start;
    if (node.type === 'PLAIN' || node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
      const open = node.type === 'PLAIN' ? 0 : 1;
      const before = value.slice(0, index);
      if (!before.includes('\n') && this.text.slice(start + open, start + open + before.length) === before) return start + open + index;
      return start;
    }
    if (node.type === 'BLOCK_LITERAL') {
      const before = value.slice(0, index).split('\n');
      const lineNo = before.length - 1;
      let offset = this.text.indexOf('\n', start) + 1; // the block's content starts after its header line
      for (let i = 0; i < lineNo && offset > 0; i++) offset = this.text.indexOf('\n', offset) + 1;
      if (offset <= 0) return start;
      const indent = /^[ ]*/.exec(this.text.slice(offset))![0].length;
      return offset + indent + before[lineNo]!.length;
    }
    return start;
  }
}
