// What every command gets from the CLI's global options.
import { jsonLine, Logger, type LogFields, type LogFormat, type LogLevel } from '../log.js';

export interface GlobalOptions {
  logLevel: LogLevel;
  logFormat: LogFormat;
}

export function createLogger(options: GlobalOptions): Logger {
  return new Logger({ level: options.logLevel, format: options.logFormat });
}

/**
 * A diagnostic a command prints on stderr (a warning, a note, who answered): the text as is, or with
 * --log-format json a JSON line carrying the same message and fields.
 */
export function diagnostic(options: GlobalOptions, level: LogLevel, text: string, fields?: LogFields): void {
  process.stderr.write(options.logFormat === 'json' ? jsonLine(level, text, fields) : `${text}\n`);
}
