// Generate schema/agents.schema.json (for editors) and the README's agents.yaml reference from the zod schema in
// src/config/schema.ts, the single source. `npm run schema` writes both; `npm run schema -- --check` exits 1 when
// either is stale (test/schema/schema.test.ts checks the same).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { configSchema } from '../src/config/schema.js';

type Schema = Record<string, unknown>;

export const ROOT = resolve(import.meta.dirname, '..');
export const SCHEMA_FILE = resolve(ROOT, 'schema/agents.schema.json');
export const README_FILE = resolve(ROOT, 'README.md');
const SECTION = 'reference';

/** The JSON Schema of agents.yaml (draft-07: what yaml-language-server and VS Code understand best). */
export function agentsJsonSchema(): Schema {
  const generated = z.toJSONSchema(configSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Schema;
  const { $schema, ...rest } = tidy(generated) as Schema;
  return { $schema, title: 'agents.yaml', ...rest };
}

/** The schema file's text, exactly as committed. */
export function schemaText(): string {
  return `${JSON.stringify(agentsJsonSchema(), null, 2)}\n`;
}

/** Drop what zod adds that helps no editor, or that would flag valid files. */
function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (!node || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    // Every YAML key is a string; zod says so on every record.
    if (key === 'propertyNames' && isPlainStringType(value)) continue;
    // z.number().int() bounds itself by the safe-integer range: noise in a config file's schema.
    if ((key === 'maximum' || key === 'minimum') && Math.abs(value as number) === Number.MAX_SAFE_INTEGER) continue;
    // "starts_with" is no JSON Schema format (the pattern beside it says the same); and `format: uri` would flag a
    // baseURL written as ${VAR}, which the loader checks after interpolation.
    if (key === 'format' && (value === 'starts_with' || value === 'uri')) continue;
    out[key] = tidy(value);
  }
  return out;
}

function isPlainStringType(value: unknown): boolean {
  return !!value && typeof value === 'object' && Object.keys(value).length === 1 && (value as Schema).type === 'string';
}

// ---------------------------------------------------------------------------------------------------------------
// The reference: one table per object of the file, in the order the schema declares them.

interface Table {
  path: string;
  description?: string;
  rows: { key: string; type: string; required: boolean; description: string }[];
}

export function referenceMarkdown(schema: Schema = agentsJsonSchema()): string {
  const tables: Table[] = [];
  collect(schema, '', tables);
  const out: string[] = [
    '## agents.yaml reference',
    '',
    '<!-- Generated from src/config/schema.ts by `npm run schema`: do not edit by hand. -->',
    '',
    'Every key of the file, as the loader checks it. Unknown keys are errors. `NAME` stands for a name you choose.',
    'Durations are seconds as a number, or a string such as `"500ms"`, `"90s"`, `"5m"`, `"1h"`.',
  ];
  for (const table of tables) {
    out.push('', `### ${table.path || 'top level'}`, '');
    if (table.description) out.push(table.description, '');
    out.push('| key | type | required | description |', '| --- | --- | --- | --- |');
    for (const r of table.rows) out.push(`| \`${r.key}\` | ${cell(r.type)} | ${r.required ? 'yes' : ''} | ${cell(r.description)} |`);
  }
  return `${out.join('\n')}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function collect(schema: Schema, path: string, tables: Table[]): void {
  const properties = schema.properties as Record<string, Schema> | undefined;
  if (!properties) return;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const table: Table = { path, description: path ? (schema.description as string | undefined) : undefined, rows: [] };
  tables.push(table);
  const nested: [Schema, string][] = [];
  for (const [key, prop] of Object.entries(properties)) {
    const childPath = path ? `${path}.${key}` : key;
    table.rows.push({
      key,
      type: typeName(prop, childPath),
      required: required.has(key),
      description: (prop.description as string | undefined) ?? '',
    });
    const object = objectWithin(prop, childPath);
    if (object) nested.push(object);
  }
  for (const [child, childPath] of nested) collect(child, childPath, tables);
}

/** The object schema a property leads to, and the path its table gets (maps: .NAME, lists: []). */
function objectWithin(prop: Schema, path: string): [Schema, string] | undefined {
  if (prop.properties) return [prop, path];
  const values = prop.additionalProperties;
  if (prop.type === 'object' && values && typeof values === 'object' && (values as Schema).properties)
    return [values as Schema, `${path}.NAME`];
  const items = prop.items as Schema | undefined;
  if (prop.type === 'array' && items?.properties) return [items, `${path}[]`];
  return undefined;
}

function anchor(path: string): string {
  return path
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

function typeName(s: Schema, path: string): string {
  // Shared kinds (duration, model or chain, JSON Schema) carry a title in the zod schema.
  if (typeof s.title === 'string') return s.title;
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => `\`${String(v)}\``).join(', ');
  if (Array.isArray(s.anyOf)) return (s.anyOf as Schema[]).map((alt) => typeName(alt, path)).join(' or ');
  const bounds = range(s);
  switch (s.type) {
    case 'array': {
      const items = (s.items as Schema | undefined) ?? {};
      if (items.properties) return `list of [objects](#${anchor(`${path}[]`)})`;
      return `${s.minItems ? 'non-empty ' : ''}list of ${typeName(items, path)}`;
    }
    case 'object': {
      if (s.properties) return `[object](#${anchor(path)})`;
      const values = s.additionalProperties;
      if (values && typeof values === 'object' && Object.keys(values).length) {
        const v = values as Schema;
        return v.properties ? `map of NAME to [object](#${anchor(`${path}.NAME`)})` : `map of NAME to ${typeName(v, path)}`;
      }
      return 'object';
    }
    case undefined:
      return 'any';
    default:
      return `${String(s.type)}${bounds}`;
  }
}

function range(s: Schema): string {
  const lo =
    s.minimum !== undefined ? `${String(s.minimum)}` : s.exclusiveMinimum !== undefined ? `> ${String(s.exclusiveMinimum)}` : undefined;
  const hi = s.maximum !== undefined ? String(s.maximum) : undefined;
  if (lo !== undefined && hi !== undefined && !lo.startsWith('>')) return ` ${lo}..${hi}`;
  if (lo !== undefined && hi !== undefined) return ` ${lo}, ≤ ${hi}`;
  if (lo !== undefined) return lo.startsWith('>') ? ` ${lo}` : ` ≥ ${lo}`;
  if (hi !== undefined) return ` ≤ ${hi}`;
  return '';
}

// ---------------------------------------------------------------------------------------------------------------
// README sections: `<!-- section:NAME -->` ... `<!-- /section:NAME -->`.

export function sectionOf(readme: string, name: string): string | undefined {
  const m = new RegExp(`<!-- section:${name} -->\\n([\\s\\S]*?)<!-- /section:${name} -->`).exec(readme);
  return m?.[1];
}

export function withSection(readme: string, name: string, body: string): string {
  const open = `<!-- section:${name} -->\n`;
  const close = `<!-- /section:${name} -->`;
  const start = readme.indexOf(open);
  const end = readme.indexOf(close);
  if (start < 0 || end < start) throw new Error(`README.md has no ${open.trim()} ... ${close} markers`);
  return readme.slice(0, start + open.length) + body + readme.slice(end);
}

function main(check: boolean): number {
  const schema = schemaText();
  const readme = readFileSync(README_FILE, 'utf8');
  const reference = referenceMarkdown(JSON.parse(schema) as Schema);
  let current = '';
  try {
    current = readFileSync(SCHEMA_FILE, 'utf8');
  } catch {
    // first run
  }
  const stale = [
    current !== schema && 'schema/agents.schema.json',
    sectionOf(readme, SECTION) !== reference && `README.md (section ${SECTION})`,
  ].filter(Boolean);
  if (check) {
    if (stale.length) process.stderr.write(`stale: ${stale.join(', ')} (run npm run schema)\n`);
    return stale.length ? 1 : 0;
  }
  if (current !== schema) writeFileSync(SCHEMA_FILE, schema);
  if (sectionOf(readme, SECTION) !== reference) writeFileSync(README_FILE, withSection(readme, SECTION, reference));
  process.stdout.write(stale.length ? `wrote ${stale.join(', ')}\n` : 'up to date\n');
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.includes('--check'));
}
