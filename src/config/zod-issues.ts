// zod issues as short, located, human messages ("tools.poet.maxSteps: expected an integer, got "ten"").
import type { z } from 'zod';
import type { ConfigIssue } from '../errors.js';
import { suggestion } from '../util/did-you-mean.js';
import type { PathSegment, YamlSource } from './yaml-source.js';

export function dotted(path: readonly PathSegment[]): string {
  return path.map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : (i ? '.' : '') + seg)).join('');
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 37) + '...' : value);
  return `${typeof value} ${String(value)}`;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  record: 'a mapping',
};

type AnySchema = { _zod: { def: Record<string, unknown> & { type: string } } };

/** The keys a mapping at `path` may have (for did-you-mean), walking the zod schema. */
function knownKeys(schema: AnySchema, path: readonly PathSegment[]): string[] {
  let s: AnySchema | undefined = schema;
  const unwrap = () => {
    while (s && ['optional', 'default', 'nullable', 'pipe'].includes(s._zod.def.type)) {
      s = (s._zod.def.innerType ?? s._zod.def.in) as AnySchema;
    }
    if (s?._zod.def.type === 'union') {
      s = (s._zod.def.options as AnySchema[]).find((o) => ['object', 'record', 'array'].includes(o._zod.def.type)) ?? s;
    }
  };
  for (const seg of path) {
    unwrap();
    if (!s) return [];
    const def: Record<string, unknown> = s._zod.def;
    if (def.type === 'object') s = (def.shape as Record<string, AnySchema>)[String(seg)];
    else if (def.type === 'record') s = def.valueType as AnySchema;
    else if (def.type === 'array') s = def.element as AnySchema;
    else return [];
  }
  unwrap();
  return s?._zod.def.type === 'object' ? Object.keys(s._zod.def.shape as object) : [];
}

function valueAtPath(root: unknown, path: readonly PathSegment[]): unknown {
  return path.reduce<unknown>((v, seg) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[seg as string] : undefined), root);
}

export function zodIssuesToConfigIssues(error: z.ZodError, schema: AnySchema, raw: unknown, source: YamlSource): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path as PathSegment[];
    const where = dotted(path);
    const prefix = where ? `${where}: ` : '';
    const value = valueAtPath(raw, path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeys(schema, path);
        for (const key of issue.keys) {
          out.push(source.keyAt([...path, key], `${prefix}unknown key "${key}"${suggestion(key, known)}`));
        }
        break;
      }
      case 'invalid_type': {
        if (value === undefined) {
          const field = path[path.length - 1];
          out.push(source.keyAt(path.slice(0, -1), `${dotted(path.slice(0, -1)) || 'file'}: missing required field "${String(field)}"`));
        } else {
          out.push(source.valueAt(path, `${prefix}expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describeValue(value)}`));
        }
        break;
      }
      case 'invalid_value': {
        const options = issue.values.map((v) => JSON.stringify(v));
        out.push(
          source.valueAt(
            path,
            `${prefix}expected one of ${options.join(', ')}, got ${describeValue(value)}${typeof value === 'string' ? suggestion(value, issue.values.map(String)) : ''}`,
          ),
        );
        break;
      }
      case 'invalid_union': {
        const expected = where.endsWith('model')
          ? 'a model name or a list of model names'
          : /(timeout|delay|sessionTtl|resultTtl|pollInterval|resultWait)$/i.test(where)
            ? 'a duration such as 90s or 5m'
            : where.endsWith('.task')
              ? 'optional, required or { mode: required, plainTools: true }'
              : 'a valid value';
        out.push(source.valueAt(path, `${prefix}expected ${expected}, got ${describeValue(value)}`));
        break;
      }
      case 'too_small':
      case 'too_big': {
        // positive() is an exclusive bound: "at least 0" would allow the 0 it refuses.
        const exclusive = 'inclusive' in issue && issue.inclusive === false;
        const bound = issue.code === 'too_small' ? (exclusive ? 'more than' : 'at least') : exclusive ? 'less than' : 'at most';
        const limit = 'minimum' in issue ? issue.minimum : (issue as { maximum: unknown }).maximum;
        const what =
          issue.origin === 'array'
            ? `${bound} ${String(limit)} item(s)`
            : issue.origin === 'string'
              ? `${bound} ${String(limit)} character(s)`
              : `${bound} ${String(limit)}`;
        out.push(source.valueAt(path, `${prefix}must be ${what}, got ${describeValue(value)}`));
        break;
      }
      case 'invalid_format': {
        const what =
          issue.format === 'url'
            ? 'a URL such as http://127.0.0.1:11434/v1'
            : issue.format === 'regex'
              ? where.endsWith('redis')
                ? 'a redis:// or rediss:// URL such as redis://127.0.0.1:6379'
                : 'a duration such as 90s or 5m'
              : `a valid ${issue.format}`;
        out.push(source.valueAt(path, `${prefix}expected ${what}, got ${describeValue(value)}`));
        break;
      }
      default:
        out.push(source.valueAt(path, `${prefix}${issue.message}`));
    }
  }
  return out;
}
