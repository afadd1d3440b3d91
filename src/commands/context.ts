// What every command gets from the CLI's global options.
import { Logger, type LogFormat, type LogLevel } from '../log.js';

export interface GlobalOptions {
  logLevel: LogLevel;
  logFormat: LogFormat;
}

export function createLogger(options: GlobalOptions): Logger {
  return new Logger({ level: options.logLevel, format: options.logFormat });
}
