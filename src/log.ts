// The logger: always stderr (stdout is the JSON-RPC channel), readable text or JSON lines.
import { redact, redactDeep } from './util/redact.js';

export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;
export type LogFormat = 'text' | 'json';

export interface LogRecord {
  level: LogLevel;
  msg: string;
  fields: LogFields;
}

/** Receives the records it wants (used to mirror a call's logs to its MCP client at the level it set). */
export interface LogSink {
  wants(level: LogLevel): boolean;
  write(record: LogRecord): void;
}

const RANK = Object.fromEntries(LOG_LEVELS.map((l, i) => [l, i])) as Record<LogLevel, number>;

export function levelRank(level: LogLevel): number {
  return RANK[level];
}

/** `--log-format json` anywhere on the command line: for what is printed before (or without) the parsed options. */
export function jsonLogsRequested(argv: readonly string[]): boolean {
  return argv.some((a, i) => a === '--log-format=json' || (a === '--log-format' && argv[i + 1] === 'json'));
}

/** One JSON log line, as the Logger writes them (for diagnostics printed outside a Logger). */
export function jsonLine(level: LogLevel, msg: string, fields: LogFields = {}): string {
  return `${redact(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }))}\n`;
}

export function parseLogLevel(value: string): LogLevel | undefined {
  const v = value === 'warn' ? 'warning' : value;
  return (LOG_LEVELS as readonly string[]).includes(v) ? (v as LogLevel) : undefined;
}

export class Logger {
  private readonly sinks: Set<LogSink>;
  constructor(
    private readonly options: { level: LogLevel; format: LogFormat; write?: (line: string) => void },
    private readonly bound: LogFields = {},
    sinks?: Set<LogSink>,
  ) {
    this.sinks = sinks ?? new Set();
  }

  /** A logger that adds `fields` to every record and extra sinks (e.g. one tool call's client). */
  child(fields: LogFields, sink?: LogSink): Logger {
    const sinks = sink ? new Set([...this.sinks, sink]) : this.sinks;
    return new Logger(this.options, { ...this.bound, ...fields }, sinks);
  }

  get level(): LogLevel {
    return this.options.level;
  }

  debug(msg: string, fields?: LogFields) {
    this.log('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields) {
    this.log('info', msg, fields);
  }
  notice(msg: string, fields?: LogFields) {
    this.log('notice', msg, fields);
  }
  warn(msg: string, fields?: LogFields) {
    this.log('warning', msg, fields);
  }
  error(msg: string, fields?: LogFields) {
    this.log('error', msg, fields);
  }

  log(level: LogLevel, msg: string, fields?: LogFields): void {
    // A record nobody reads is never built: debug lines sit on every call's path.
    const toStderr = RANK[level] >= RANK[this.options.level];
    let toSinks = false;
    for (const sink of this.sinks) if ((toSinks = sink.wants(level))) break;
    if (!toStderr && !toSinks) return;
    const record: LogRecord = { level, msg, fields: { ...this.bound, ...fields } };
    // Sinks send records to the client as they are: message and fields must be clean (stderr lines are redacted
    // whole, in format).
    if (toSinks) {
      const clean = { level, msg: redact(msg), fields: redactDeep(record.fields) };
      for (const sink of this.sinks) if (sink.wants(level)) sink.write(clean);
    }
    if (!toStderr) return;
    const write = this.options.write ?? ((line: string) => process.stderr.write(line));
    write(this.format(record));
  }

  private format(r: LogRecord): string {
    if (this.options.format === 'json') {
      // The message is redacted before JSON escapes it (an escaped secret would not match), then the whole line.
      return redact(JSON.stringify({ time: new Date().toISOString(), level: r.level, msg: redact(r.msg), ...r.fields })) + '\n';
    }
    const extra = Object.entries(r.fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
      .join(' ');
    return redact(`agent-mcp ${r.level}: ${r.msg}${extra ? ' ' + extra : ''}`) + '\n';
  }
}
