import { loadConfigFile } from '../config/load.js';
import { formatIssue } from '../errors.js';
import { ToolRunner } from '../agent/tool-runner.js';
import { ProviderRegistry } from '../providers/registry.js';
import { createLogger, type GlobalOptions } from './context.js';

export interface ServeOptions extends GlobalOptions {
  file: string;
}

export async function serveCommand(options: ServeOptions): Promise<number> {
  const log = createLogger(options);
  const config = loadConfigFile(options.file);
  // Missing keys are expected in a chain with fallbacks: say so, without alarming a client's log view.
  for (const w of config.warnings) log.notice(formatIssue(w));
  const runner = new ToolRunner(config, new ProviderRegistry(), log);
  const { serveStdio } = await import('../server/stdio.js');
  await serveStdio({ runner, log }, log);
  return 0;
}
