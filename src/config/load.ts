// Read agents.yaml: .env, ${VAR}, YAML with positions, the zod schema, then the cross-checks -> Config.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { AgentMcpError, ConfigError, formatIssue, type ConfigIssue } from '../errors.js';
import { parseTemplate, TemplateSyntaxError, type Template } from '../util/template.js';
import { registerSecret } from '../util/redact.js';
import { suggestion } from '../util/did-you-mean.js';
import { parseDuration, parseSize } from '../util/duration.js';
import { compileValidator, schemaProblem, startupSchemaProblem } from '../util/json-schema.js';
import type { JsonSchema } from '../util/json-schema.js';
import { missingKey, resolveModelChain, withKey } from './model-ref.js';
import { descriptorOf, providersWithField } from './providers/index.js';
import { configSchema, type RawConfig, type RawModel, type RawTasks, type RawTool } from './schema.js';
import {
  DEFAULT_MAX_STEPS,
  DEFAULT_OUTPUT_RETRIES,
  DEFAULT_TASK_SETTINGS,
  DEFAULT_TIMEOUT_MS,
  type Config,
  type McpServerConfig,
  type ModelConfig,
  type PromptConfig,
  type TaskSettings,
  type ToolConfig,
} from './types.js';
import { depthIssue, relocateUnclosedQuote } from './yaml-shape.js';
import { mcpReference, mcpReferenceProblem, resolveMcpServer } from './mcp-servers.js';
import { YamlSource, type PathSegment } from './yaml-source.js';
import { dotted, zodIssuesToConfigIssues } from './zod-issues.js';

export const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Also check examples against input schemas (validate, test); skipped on the serve start-up path. */
  deep?: boolean;
}

export function loadConfigFile(file: string, options: LoadOptions = {}): Config {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new AgentMcpError(
      `cannot read ${file}: ${why}${code === 'ENOENT' && file.endsWith('agents.yaml') ? ' (run `agent-mcp init` to create one)' : ''}`,
      2,
    );
  }
  const env = options.env ?? process.env;
  loadDotEnv(dirname(path), env);
  return loadConfigText(path, text, { ...options, env });
}

/** A .env beside the file fills variables that are not already set. */
function loadDotEnv(dir: string, env: NodeJS.ProcessEnv): void {
  const file = join(dir, '.env');
  if (!existsSync(file)) return;
  try {
    for (const [k, v] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) if (env[k] === undefined) env[k] = v;
  } catch (err) {
    throw new AgentMcpError(`cannot read ${file}: ${(err as Error).message}`, 2);
  }
}

export function loadConfigText(file: string, text: string, options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const tooDeep = depthIssue(file, text);
  if (tooDeep) throw new ConfigError([tooDeep]);
  const source = new YamlSource(file, text, env);
  if (source.doc.errors.length) throw new ConfigError(relocateUnclosedQuote(file, text, source.issues));
  const raw = source.toJS();
  const issues = [...source.issues];
  const { data, broken } = parseLeniently(raw, source, issues);
  const checker = new CrossChecker(source, data, env, issues, options.deep ?? false, broken);
  const config = checker.build();
  if (issues.length) throw new ConfigError(sortIssues(issues));
  return config;
}

const ONCE = { jitless: true } as const;

/** Names of entries that failed the schema: cross-checks skip them instead of piling up echoes. */
export interface BrokenEntries {
  models: Set<string>;
  tools: Set<string>;
  mcpServers: Set<string>;
  defaults: boolean;
}

/**
 * Validate the whole file, then drop the entries that failed and validate again, so that the
 * cross-checks (model references, placeholders, tool graph) still run on everything else and every
 * problem is reported at once.
 */
function parseLeniently(raw: unknown, source: YamlSource, issues: ConfigIssue[]): { data: RawConfig; broken: BrokenEntries } {
  const broken: BrokenEntries = { models: new Set(), tools: new Set(), mcpServers: new Set(), defaults: false };
  // jitless: the file is parsed once, so compiling a fast path for each object schema (zod's default) costs
  // more than it saves (milliseconds of every start).
  const first = configSchema.safeParse(raw, ONCE);
  if (first.success) return { data: first.data, broken };
  issues.push(...zodIssuesToConfigIssues(first.error, configSchema as never, raw, source));
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { data: {}, broken };
  const pruned = structuredClone(raw) as Record<string, Record<string, Record<string, unknown>> | undefined>;
  const dropEntry = (section: string, name: string) => {
    delete pruned[section]![name];
    if (section === 'models') broken.models.add(name);
    if (section === 'tools') broken.tools.add(name);
    if (section === 'mcpServers') broken.mcpServers.add(name);
  };
  // First drop only the offending fields (so the rest of an entry is still cross-checked), then
  // whole entries, then whole sections.
  let result: ReturnType<typeof configSchema.safeParse> = first;
  for (let round = 0; round < 3 && !result.success; round++) {
    for (const issue of result.error.issues) {
      const [section, name, field] = issue.path as [string, string?, PathSegment?];
      const entries = pruned[section];
      const isEntrySection = section === 'models' || section === 'tools' || section === 'prompts' || section === 'mcpServers';
      if (!isEntrySection || name === undefined || !entries || typeof entries !== 'object' || !entries[name]) {
        delete pruned[section];
        if (section === 'defaults') broken.defaults = true;
      } else if (round === 0 && field !== undefined && typeof entries[name] === 'object') {
        if (section === 'mcpServers') broken.mcpServers.add(name); // what is left of it is checked, not echoed
        delete entries[name]![field as string];
      } else if (round === 0 && issue.code === 'unrecognized_keys') {
        if (section === 'mcpServers') broken.mcpServers.add(name);
        for (const key of issue.keys) delete entries[name]![key];
      } else {
        dropEntry(section, name);
      }
    }
    result = configSchema.safeParse(pruned, ONCE);
  }
  return { data: result.success ? result.data : ({} as RawConfig), broken };
}

/** In file order, each problem once (a shared default chain is checked for every tool that uses it). */
function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => !seen.has(formatIssue(i)) && seen.add(formatIssue(i))).sort((a, b) => a.line - b.line || a.col - b.col);
}

/** The argument names an `input:` declares: its properties when it is a whole schema, else its keys. */
function declaredArguments(input: unknown): Set<string> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return new Set();
  const whole = typeof (input as JsonSchema).type === 'string';
  const props = whole ? (input as JsonSchema).properties : input;
  return new Set(props && typeof props === 'object' ? Object.keys(props) : []);
}

class CrossChecker {
  private readonly warnings: ConfigIssue[] = [];
  private readonly models = new Map<string, ModelConfig>();
  private readonly warnedKeys = new Set<string>();
  private readonly mcpServers = new Map<string, McpServerConfig>();

  constructor(
    private readonly source: YamlSource,
    private readonly raw: RawConfig,
    private readonly env: NodeJS.ProcessEnv,
    private readonly issues: ConfigIssue[],
    private readonly deep: boolean,
    private readonly broken: BrokenEntries = { models: new Set(), tools: new Set(), mcpServers: new Set(), defaults: false },
  ) {}

  private error(path: PathSegment[], message: string, at: 'key' | 'value' = 'value') {
    const prefix = path.length ? `${dotted(path)}: ` : '';
    this.issues.push(at === 'key' ? this.source.keyAt(path, prefix + message) : this.source.valueAt(path, prefix + message));
  }

  build(): Config {
    for (const [name, entry] of Object.entries(this.raw.models ?? {})) this.models.set(name, this.modelEntry(name, entry));
    for (const [name, entry] of Object.entries(this.raw.mcpServers ?? {})) {
      const partial = this.broken.mcpServers.has(name);
      const report = (path: PathSegment[], message: string, at?: 'key' | 'value') => this.error(path, message, at);
      const server = resolveMcpServer(name, entry, dirname(this.source.file), report, partial);
      if (server) this.mcpServers.set(name, server);
      else this.broken.mcpServers.add(name);
    }
    const tools = new Map<string, ToolConfig>();
    for (const [name, raw] of Object.entries(this.raw.tools ?? {})) {
      const tool = this.tool(name, raw);
      if (tool) tools.set(name, tool);
    }
    for (const name of this.broken.tools) this.brokenToolRefs(name);
    this.checkToolGraph();
    const prompts = new Map<string, PromptConfig>();
    for (const [name, raw] of Object.entries(this.raw.prompts ?? {})) {
      const prompt = this.prompt(name, raw);
      if (prompt) prompts.set(name, prompt);
    }
    const server = this.raw.server ?? {};
    const http = server.http ?? {};
    const judge = this.raw.defaults?.judge;
    return {
      file: this.source.file,
      server: {
        name: server.name ?? 'agent-mcp',
        version: server.version ?? '1.0.0',
        instructions: server.instructions,
        http: {
          host: http.host,
          port: http.port,
          path: http.path,
          stateless: http.stateless,
          sessionTtlMs: http.sessionTtl !== undefined ? parseDuration(http.sessionTtl) : undefined,
          maxSessions: http.maxSessions,
          allowedOrigins: http.allowedOrigins,
          allowedHosts: http.allowedHosts,
          bodyLimitBytes: this.size(['server', 'http', 'bodyLimit'], http.bodyLimit),
          maxConnections: http.maxConnections,
          sessionMemoryBytes: this.size(['server', 'http', 'sessionMemory'], http.sessionMemory),
          redis: http.redis,
        },
        tasks: this.taskSettings(server.tasks ?? {}),
      },
      models: this.models,
      tools,
      prompts,
      mcpServers: this.mcpServers,
      warnings: this.warnings,
      envVars: [...this.source.envVars].sort(),
      judge: judge !== undefined ? this.resolve(judge, ['defaults', 'judge'])[0] : undefined,
      pricing: this.raw.pricing ?? {},
    };
  }

  private taskSettings(raw: RawTasks): TaskSettings {
    const ms = (value: number | string | undefined, fallback: number) => (value !== undefined ? parseDuration(value) : fallback);
    const d = DEFAULT_TASK_SETTINGS;
    return {
      resultTtlMs: ms(raw.resultTtl, d.resultTtlMs),
      maxResultBytes: this.size(['server', 'tasks', 'maxResultBytes'], raw.maxResultBytes) ?? d.maxResultBytes,
      pollIntervalMs: ms(raw.pollInterval, d.pollIntervalMs),
      maxTasks: raw.maxTasks ?? d.maxTasks,
      resultWaitMs: ms(raw.resultWait, d.resultWaitMs),
    };
  }

  /** `task:` of a tool: the mode, and NAME_start / NAME_result only for required tools whose names are free. */
  private taskMode(name: string, raw: RawTool): ToolConfig['task'] {
    if (raw.task === undefined) return undefined;
    const task =
      typeof raw.task === 'string'
        ? { mode: raw.task, plainTools: false }
        : { mode: raw.task.mode, plainTools: raw.task.plainTools ?? false, ...(raw.task.repeat === false && { repeat: false as const }) };
    if (task.plainTools) {
      if (task.mode !== 'required') {
        this.error(
          ['tools', name, 'task', 'plainTools'],
          'plainTools only goes with mode: required (a client that knows no tasks calls an optional tool plainly)',
          'key',
        );
      }
      for (const suffix of ['_start', '_result']) {
        const taken = `${name}${suffix}`;
        if (this.raw.tools?.[taken])
          this.error(['tools', name, 'task', 'plainTools'], `tool "${taken}" already exists: rename it or drop plainTools`, 'key');
        else if (!TOOL_NAME.test(taken))
          this.error(['tools', name, 'task', 'plainTools'], `the generated tool name "${taken}" is longer than 128 characters`, 'key');
      }
    }
    return task;
  }

  private size(path: PathSegment[], value: number | string | undefined): number | undefined {
    if (value === undefined) return undefined;
    try {
      const bytes = parseSize(value);
      if (bytes < 1) throw new Error(`a size must be above 0, not "${value}"`);
      return bytes;
    } catch (err) {
      this.error(path, (err as Error).message);
      return undefined;
    }
  }

  private modelEntry(name: string, entry: RawModel): ModelConfig {
    const descriptor = descriptorOf(entry.provider);
    for (const key of Object.keys(entry)) {
      if (key !== 'provider' && !(key in descriptor.fields)) {
        const owners = providersWithField(key);
        this.error(
          ['models', name, key],
          `"${key}" does not apply to provider ${entry.provider}${owners.length ? ` (only to ${owners.join(', ')})` : ''}`,
          'key',
        );
      }
    }
    if (descriptor.requiresModelId && !entry.model) {
      this.error(['models', name], `missing required field "model" (the ${entry.provider} model id)`, 'key');
    }
    const { timeout, delay, ...rest } = entry;
    const model = withKey(
      {
        ...rest,
        name,
        timeoutMs: timeout !== undefined ? parseDuration(timeout) : undefined,
        delayMs: delay !== undefined ? parseDuration(delay) : undefined,
      },
      this.env,
    );
    // Whatever the environment put into any header is a secret too, whatever the header's name.
    for (const header of Object.keys(model.headers ?? {}))
      for (const v of this.source.envValuesAt(['models', name, 'headers', header])) registerSecret(v);
    return model;
  }

  /** Model references written at `path`, resolved; the bad ones reported where they are written. */
  private resolve(value: string | string[], path: PathSegment[]): ModelConfig[] {
    const { models, errors } = resolveModelChain(value, {
      models: this.models,
      shorthands: this.models,
      env: this.env,
      broken: this.broken.models,
    });
    for (const { index, error } of errors) {
      const at = index === undefined ? path : [...path, index];
      if (error.kind === 'unknown-provider') this.error(at, error.message);
      else if (error.kind === 'unknown-model') this.error(at, `${error.message}; define it under models: or write provider:model-id`);
      // broken: already reported where the entry is defined
    }
    return models;
  }

  /** A `model:` value written at `path`: its errors located (a list's at each item), missing keys warned once. */
  private chain(value: string | string[] | undefined, path: PathSegment[]): ModelConfig[] {
    if (value === undefined) return [];
    const models = this.resolve(value, path);
    models.forEach((model) => {
      const missing = missingKey(model);
      if (missing && !this.warnedKeys.has(model.name)) {
        this.warnedKeys.add(model.name);
        const at = Array.isArray(value) ? [...path, value.indexOf(model.name)] : path;
        const where = !model.name.includes(':') && this.models.get(model.name) ? ['models', model.name] : at;
        this.warnings.push(this.source.valueAt(where, `${dotted(where)}: ${missing}; model ${model.name} is unavailable until it is`));
      }
    });
    return models;
  }

  private template(source: string, path: PathSegment[], declared: Set<string>, what: string): Template | undefined {
    let template: Template;
    try {
      template = parseTemplate(source);
    } catch (err) {
      if (!(err instanceof TemplateSyntaxError)) throw err;
      this.issues.push(this.source.placeInValue(path, err.offset, `${dotted(path)}: ${err.message}`));
      return undefined;
    }
    for (const ref of template.refs) {
      if (!declared.has(ref.name)) {
        this.issues.push(
          this.source.placeInValue(
            path,
            ref.offset,
            `${dotted(path)}: placeholder {{${ref.name}}} names no declared ${what}${suggestion(ref.name, declared)}`,
          ),
        );
      }
    }
    return template;
  }

  private tool(name: string, raw: RawTool): ToolConfig | undefined {
    const path = ['tools', name];
    if (!TOOL_NAME.test(name)) {
      this.error(path, `tool name "${name}" must be 1-128 characters of A-Z a-z 0-9 _ - .`, 'key');
    }
    const inputSchema = this.inputSchema(raw.input, [...path, 'input']);
    // The names written under input: count as declared even when a schema is invalid (that is reported once, at the
    // schema; a placeholder naming the argument is not a second mistake).
    const declared = declaredArguments(raw.input);
    const prompt = this.template(raw.prompt, [...path, 'prompt'], declared, 'argument');
    const system = raw.system !== undefined ? this.template(raw.system, [...path, 'system'], declared, 'argument') : undefined;
    let outputSchema: ToolConfig['outputSchema'];
    if (raw.output) {
      if (raw.output.type !== 'object')
        this.error([...path, 'output'], 'the output schema must have type: object (MCP structuredContent is an object)');
      else if (this.checkSchema(raw.output, [...path, 'output'])) outputSchema = raw.output as ToolConfig['outputSchema'];
    }
    const defaults = this.raw.defaults ?? {};
    const models = raw.model !== undefined ? this.chain(raw.model, [...path, 'model']) : this.chain(defaults.model, ['defaults', 'model']);
    if (raw.model === undefined && defaults.model === undefined && !this.broken.defaults) {
      this.error(path, 'no model: set model: on the tool or defaults.model (e.g. test, for an offline start)', 'key');
    }
    const timeout = raw.timeout ?? defaults.timeout;
    const task = this.taskMode(name, raw);
    if (inputSchema && this.deep) this.checkExamples(raw, inputSchema, path);
    if (!prompt || !inputSchema) return undefined;
    return {
      name,
      title: raw.title,
      description: raw.description,
      system,
      prompt,
      inputSchema,
      outputSchema,
      models,
      tools: raw.tools ?? [],
      maxSteps: raw.maxSteps ?? defaults.maxSteps ?? DEFAULT_MAX_STEPS,
      timeoutMs: timeout !== undefined ? parseDuration(timeout) : DEFAULT_TIMEOUT_MS,
      tokenBudget: raw.tokenBudget,
      outputRetries: raw.outputRetries ?? DEFAULT_OUTPUT_RETRIES,
      temperature: raw.temperature,
      annotations: raw.annotations,
      examples: raw.examples ?? [],
      ...(task && { task }),
    };
  }

  /**
   * A tool entry the schema rejected (a missing prompt, a misspelt key) is left out of the cross-checks, but its model
   * references are still resolved: an unknown model there should not wait for the next run to be reported.
   */
  private brokenToolRefs(name: string): void {
    const entry = (this.source.toJS() as { tools?: Record<string, { model?: unknown }> } | undefined)?.tools?.[name];
    const model = entry && typeof entry === 'object' ? entry.model : undefined;
    const isRef = (v: unknown) => typeof v === 'string';
    if (isRef(model) || (Array.isArray(model) && model.length > 0 && model.every(isRef)))
      this.chain(model as string | string[], ['tools', name, 'model']);
  }

  /** `shorthand`: the schema was built from an argument map, so properties.X is written at input.X. */
  private checkSchema(schema: JsonSchema, path: PathSegment[], shorthand = false): boolean {
    const problem = this.deep ? schemaProblem(schema) : startupSchemaProblem(schema);
    if (problem) {
      const inner = shorthand && problem.path[0] === 'properties' ? problem.path.slice(1) : problem.path;
      const at = [...path, ...inner];
      this.issues.push(this.source.valueAt(at, `${dotted(at)}: not valid JSON Schema: ${problem.message}`));
    }
    return !problem;
  }

  /** `input:` is a whole JSON Schema (it has a string `type`) or a map of argument name to schema. */
  private inputSchema(input: JsonSchema | undefined, path: PathSegment[]): ToolConfig['inputSchema'] | undefined {
    if (input === undefined) return { type: 'object', properties: {}, required: [] };
    if (typeof input.type === 'string') {
      if (input.type !== 'object') {
        this.error([...path, 'type'], `an input schema must have type: object, got "${input.type}"`);
        return undefined;
      }
      return this.checkSchema(input, path) ? (input as ToolConfig['inputSchema']) : undefined;
    }
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    let ok = true;
    for (const [arg, schema] of Object.entries(input)) {
      if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
        this.error(
          [...path, arg],
          `expected a JSON Schema mapping such as { type: string, description: ... }, got ${JSON.stringify(schema)}`,
        );
        ok = false;
        continue;
      }
      const { optional, ...prop } = schema as Record<string, unknown>;
      if (optional !== undefined && typeof optional !== 'boolean') {
        this.error([...path, arg, 'optional'], 'expected true or false');
        ok = false;
      }
      properties[arg] = prop;
      if (!('default' in prop) && optional !== true) required.push(arg);
    }
    const schema = { type: 'object' as const, properties, required };
    // One argument at a time: a whole-object check would stop at the first bad argument and hide the others.
    for (const [arg, prop] of Object.entries(properties)) if (!this.checkSchema(prop as JsonSchema, [...path, arg])) ok = false;
    return ok ? schema : undefined;
  }

  private checkExamples(raw: RawTool, inputSchema: JsonSchema, path: PathSegment[]): void {
    const validate = compileValidator(inputSchema);
    (raw.examples ?? []).forEach((example, i) => {
      const result = validate(structuredClone(example.input));
      if (!result.ok) this.error([...path, 'examples', i, 'input'], `does not match the input schema: ${result.errors.join('; ')}`);
      if (example.expect.matches !== undefined) {
        try {
          new RegExp(example.expect.matches);
        } catch (err) {
          this.error([...path, 'examples', i, 'expect', 'matches'], `not a regular expression: ${(err as Error).message}`);
        }
      }
      if (example.expect.schema && !raw.output)
        this.error([...path, 'examples', i, 'expect', 'schema'], 'the tool has no output schema to check against');
    });
  }

  /** Agent tools and MCP servers must exist, and no agent may end up calling itself. */
  private checkToolGraph(): void {
    const names = Object.keys(this.raw.tools ?? {});
    const servers = Object.keys(this.raw.mcpServers ?? {});
    // `fs.read` must mean one thing: a tool of this file, or tool `read` of server fs.
    for (const server of servers) {
      if (names.includes(server)) this.error(['mcpServers', server], `"${server}" names both a tool and an MCP server; rename one`, 'key');
    }
    for (const name of names) {
      const ref = mcpReference(name, servers);
      if (ref?.tool !== undefined)
        this.error(['tools', name], `tool name "${name}" reads as tool ${ref.tool} of MCP server ${ref.server}; rename it`, 'key');
    }
    for (const [name, raw] of Object.entries(this.raw.tools ?? {})) {
      (raw.tools ?? []).forEach((callee, i) => {
        if (this.broken.tools.has(callee)) return;
        if (names.includes(callee)) {
          if (callee === name) this.error(['tools', name, 'tools', i], `tool "${name}" cannot call itself`);
          return;
        }
        const ref = mcpReference(callee, servers);
        if (ref) {
          const server = this.mcpServers.get(ref.server);
          const problem = server && ref.tool !== undefined ? mcpReferenceProblem(server, ref.tool) : undefined;
          if (problem) this.error(['tools', name, 'tools', i], problem);
          return;
        }
        const what = servers.length ? 'tool or MCP server' : 'tool';
        this.error(['tools', name, 'tools', i], `unknown ${what} "${callee}"${suggestion(callee, [...names, ...servers])}`);
      });
      const seen = new Set<string>();
      (raw.tools ?? []).forEach((callee, i) => {
        if (seen.has(callee)) this.error(['tools', name, 'tools', i], `"${callee}" is listed twice`);
        seen.add(callee);
      });
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, trail: string[]): void => {
      state.set(name, 'visiting');
      const callees = this.raw.tools?.[name]?.tools ?? [];
      callees.forEach((callee, i) => {
        if (callee === name || !names.includes(callee)) return;
        if (state.get(callee) === 'visiting') {
          const cycle = [...trail.slice(trail.indexOf(callee)), name, callee];
          this.error(['tools', name, 'tools', i], `cycle: ${cycle.join(' -> ')}`);
        } else if (!state.has(callee)) visit(callee, [...trail, name]);
      });
      state.set(name, 'done');
    };
    for (const name of names) if (!state.has(name)) visit(name, []);
  }

  private prompt(name: string, raw: NonNullable<RawConfig['prompts']>[string]): PromptConfig | undefined {
    const path = ['prompts', name];
    const args = Object.entries(raw.arguments ?? {}).map(([argName, a]) => ({
      name: argName,
      description: a.description,
      required: a.required ?? false,
      complete: a.complete,
    }));
    const declared = new Set(args.map((a) => a.name));
    const messages = raw.messages.map((m, i) => ({
      role: m.role,
      text: this.template(m.text, [...path, 'messages', i, 'text'], declared, 'prompt argument'),
    }));
    if (messages.some((m) => !m.text)) return undefined;
    return { name, title: raw.title, description: raw.description, arguments: args, messages: messages as PromptConfig['messages'] };
  }
}
