// JSON Schema validation of tool arguments and structured output (ajv, the validator the MCP SDK ships with).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** A JSON Schema object, as written in agents.yaml or sent by a provider or an MCP server. */
export type JsonSchema = Record<string, unknown>;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-0[67]\/schema#?$/;
type Flavour = 'draft07' | 'draft2020' | 'draft07-meta' | 'draft2020-meta';
const instances: Partial<Record<Flavour, Ajv>> = {};

/**
 * MCP's default dialect is 2020-12; a schema that names draft-07 (or 06) gets that dialect.
 * Checking schemas against the meta-schema costs ~50 ms of compiling it, so only `meta` instances
 * (validate, test: the deep checks) do; serving compiles schemas without it.
 */
function ajv(schema?: JsonSchema, meta = false): Ajv {
  // useDefaults fills declared defaults into arguments, so templates see them.
  const options = { strict: false, allErrors: true, useDefaults: true, validateSchema: meta } as const;
  const draft07 = typeof schema?.$schema === 'string' && DRAFT_07.test(schema.$schema);
  const flavour: Flavour = `${draft07 ? 'draft07' : 'draft2020'}${meta ? '-meta' : ''}`;
  return (instances[flavour] ??= addFormats(draft07 ? new Ajv(options) : (new Ajv2020(options) as unknown as Ajv)));
}

const KNOWN_DIALECT = /^https?:\/\/json-schema\.org\/(draft-0[67]\/schema#?|draft\/2020-12\/schema)$/;

/** The schema's first problem (where in the schema, and what), or undefined when it is valid JSON Schema. */
export function schemaProblem(schema: JsonSchema): { path: string[]; message: string } | undefined {
  const dialect = dialectProblem(schema);
  if (dialect) return dialect;
  const validator = ajv(schema, true);
  if (validator.validateSchema(schema)) {
    try {
      validator.compile(schema); // catches what the meta-schema cannot: a $ref to nowhere
      return undefined;
    } catch (err) {
      return { path: [], message: (err as Error).message };
    }
  }
  // The meta-schema reports one mistake several ways (enum, type, anyOf): the first says it best.
  const e = (validator.errors ?? [])[0];
  if (!e) return { path: [], message: 'invalid' };
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'));
  return { path, message: describeErrors([e], '')[0]!.replace(/^[^:]*: /, '') };
}

function dialectProblem(schema: JsonSchema): { path: string[]; message: string } | undefined {
  if (typeof schema.$schema === 'string' && !KNOWN_DIALECT.test(schema.$schema)) {
    return { path: ['$schema'], message: `unsupported dialect (use https://json-schema.org/draft/2020-12/schema or draft-07)` };
  }
  return undefined;
}

/**
 * The serve start-up path's check: no meta-schema (~50 ms to compile), but whatever would make every call of the
 * tool fail (a misspelt type, an unknown dialect, a $ref to nowhere) is refused as `validate` refuses it.
 */
export function startupSchemaProblem(schema: JsonSchema): { path: string[]; message: string } | undefined {
  return dialectProblem(schema) ?? quickSchemaProblem(schema) ?? unresolvedRef(schema);
}

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

/**
 * The mistakes people make in hand-written schemas (a misspelt type, properties that are not a
 * mapping), found without the meta-schema: the check of the serve start-up path.
 */
export function quickSchemaProblem(schema: unknown, path: string[] = []): { path: string[]; message: string } | undefined {
  if (typeof schema === 'boolean') return undefined;
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return { path, message: 'must be a mapping (a JSON Schema object)' };
  const s = schema as Record<string, unknown>;
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const bad = types.find((t) => typeof t !== 'string' || !TYPES.has(t));
    if (bad !== undefined)
      return {
        path: [...path, 'type'],
        message: `must be one of ${[...TYPES]
          .map((t) => JSON.stringify(t))
          .sort()
          .join(', ')}`,
      };
  }
  if (s.required !== undefined && (!Array.isArray(s.required) || s.required.some((r) => typeof r !== 'string'))) {
    return { path: [...path, 'required'], message: 'must be a list of property names' };
  }
  if (s.enum !== undefined && !Array.isArray(s.enum)) return { path: [...path, 'enum'], message: 'must be a list' };
  for (const key of ['properties', '$defs', 'definitions', 'patternProperties'] as const) {
    if (s[key] === undefined) continue;
    if (!s[key] || typeof s[key] !== 'object' || Array.isArray(s[key])) return { path: [...path, key], message: 'must be a mapping' };
    for (const [name, sub] of Object.entries(s[key] as object)) {
      const problem = quickSchemaProblem(sub, [...path, key, name]);
      if (problem) return problem;
    }
  }
  for (const key of ['items', 'additionalProperties', 'not', 'contains'] as const) {
    if (s[key] === undefined) continue;
    const problem = quickSchemaProblem(s[key], [...path, key]);
    if (problem) return problem;
  }
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const) {
    if (s[key] === undefined) continue;
    if (!Array.isArray(s[key])) return { path: [...path, key], message: 'must be a list of schemas' };
    for (const [i, sub] of (s[key] as unknown[]).entries()) {
      const problem = quickSchemaProblem(sub, [...path, key, String(i)]);
      if (problem) return problem;
    }
  }
  return undefined;
}

/**
 * A `$ref` that points nowhere inside the schema, found without compiling it (ajv finds it at compile time,
 * which serve does only on the first call): the same message ajv gives, so serve and validate agree.
 */
export function unresolvedRef(schema: JsonSchema): { path: string[]; message: string } | undefined {
  if (schema.$id !== undefined) return undefined; // relative references: ajv's business
  const anchors = new Set<string>();
  const refs: string[] = [];
  const stack: { value: unknown; depth: number }[] = [{ value: schema, depth: 0 }];
  while (stack.length) {
    const { value, depth } = stack.pop()!;
    if (!value || typeof value !== 'object' || depth > 64) continue;
    const s = value as Record<string, unknown>;
    if (!Array.isArray(value)) {
      if (typeof s.$ref === 'string') refs.push(s.$ref);
      if (typeof s.$anchor === 'string') anchors.add(s.$anchor);
      if (s.$id !== undefined) return undefined;
    }
    for (const [key, child] of Object.entries(s)) if (!DATA_KEYWORDS.has(key)) stack.push({ value: child, depth: depth + 1 });
  }
  for (const ref of refs) {
    const resolves =
      ref.startsWith('#/') || ref === '#' ? pointerTarget(schema, ref) !== undefined : ref.startsWith('#') && anchors.has(ref.slice(1));
    if (!resolves) return { path: [], message: `can't resolve reference ${ref} from id #` };
  }
  return undefined;
}

/** Keywords whose values are data, not schemas: a `$ref` key inside them is no reference. */
const DATA_KEYWORDS = new Set(['const', 'default', 'enum', 'examples']);

function pointerTarget(root: unknown, ref: string): unknown {
  let node = root;
  for (const raw of ref.slice(2).split('/')) {
    if (ref === '#') break;
    let key: string;
    try {
      key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined; // a malformed %-escape names nothing
    }
    if (!node || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export type Validation = { ok: true; value: unknown } | { ok: false; errors: string[] };
export type Validator = (value: unknown) => Validation;

export function compileValidator(schema: JsonSchema): Validator {
  let fn: ValidateFunction | undefined;
  return (value) => {
    fn ??= ajv(schema).compile(schema);
    return fn(value) ? { ok: true, value } : { ok: false, errors: describeErrors(fn.errors ?? [], '') };
  };
}

/** Ajv errors as "field: problem" lines a person (or a model) can act on. */
function describeErrors(errors: ErrorObject[], root: string): string[] {
  const out = new Set<string>();
  for (const e of errors) {
    const at = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || root;
    const prefix = at ? `${at}: ` : '';
    if (e.keyword === 'required') {
      const field = (e.params as { missingProperty: string }).missingProperty;
      out.add(`${at ? at + '.' : ''}${field}: is required`);
    } else if (e.keyword === 'additionalProperties') {
      out.add(`${prefix}unknown property "${(e.params as { additionalProperty: string }).additionalProperty}"`);
    } else if (e.keyword === 'enum') {
      out.add(
        `${prefix}must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`,
      );
    } else {
      out.add(`${prefix}${e.message ?? 'is invalid'}`);
    }
  }
  return [...out];
}

/** A small valid instance of a schema (the test provider's answer to a structured-output request). */
export function minimalInstance(schema: unknown, root: unknown = schema, depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > 20) return null;
  const s = schema as Record<string, unknown>;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  if ('default' in s) return s.default;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#/')) {
    const target = s.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (node, key) => (node as Record<string, unknown>)?.[decodeURIComponent(key.replace(/~1/g, '/').replace(/~0/g, '~'))],
        root,
      );
    return minimalInstance(target, root, depth + 1);
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[key]) && (s[key] as unknown[]).length) return minimalInstance((s[key] as unknown[])[0], root, depth + 1);
  }
  if (Array.isArray(s.allOf)) {
    return Object.assign({}, ...(s.allOf as unknown[]).map((sub) => minimalInstance(sub, root, depth + 1) ?? {}));
  }
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string': {
      const min = typeof s.minLength === 'number' ? s.minLength : 0;
      const fmt: Record<string, string> = {
        email: 'a@example.com',
        uri: 'https://example.com',
        'date-time': '2026-01-01T00:00:00Z',
        date: '2026-01-01',
        uuid: '00000000-0000-4000-8000-000000000000',
      };
      const base = typeof s.format === 'string' && fmt[s.format] ? fmt[s.format]! : 'text';
      return base.length >= min ? base : base.padEnd(min, 'x');
    }
    case 'integer':
    case 'number': {
      const min = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : 0;
      return type === 'integer' ? Math.ceil(min) : min;
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array': {
      const n = typeof s.minItems === 'number' ? s.minItems : 0;
      return Array.from({ length: n }, () => minimalInstance(s.items, root, depth + 1));
    }
    default: {
      if (type === undefined && !s.properties) return null;
      const out: Record<string, unknown> = {};
      const props = (s.properties ?? {}) as Record<string, unknown>;
      const required = Array.isArray(s.required) ? (s.required as string[]) : [];
      for (const key of required) out[key] = minimalInstance(props[key], root, depth + 1);
      return out;
    }
  }
}
