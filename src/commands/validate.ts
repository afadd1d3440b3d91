import { loadConfigFile } from '../config/load.js';
import { formatIssue, type ConfigIssue } from '../errors.js';
import { createLogger, diagnostic, type GlobalOptions } from './context.js';

/** FILE:LINE:COL: message as text (a warning says so), or a JSON line with file, line and col. */
function located(options: GlobalOptions, level: 'warning' | 'error', issue: ConfigIssue): void {
  if (options.logFormat === 'json') diagnostic(options, level, issue.message, { file: issue.file, line: issue.line, col: issue.col });
  else diagnostic(options, level, `${formatIssue(issue)}${level === 'warning' ? ' (warning)' : ''}`);
}

export async function validateCommand(options: GlobalOptions & { file: string; connect?: boolean }): Promise<number> {
  const config = loadConfigFile(options.file, { deep: true });
  for (const w of config.warnings) located(options, 'warning', w);
  const models = new Set<string>(config.models.keys());
  for (const tool of config.tools.values()) for (const m of tool.models) models.add(m.name);
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const servers = config.mcpServers.size ? `, ${n(config.mcpServers.size, 'MCP server')}` : '';
  if (!options.connect || config.mcpServers.size === 0) {
    process.stdout.write(
      `ok: ${n(config.tools.size, 'tool')}, ${n(config.prompts.size, 'prompt')}, ${n(models.size, 'model')}${servers}\n`,
    );
    return 0;
  }
  // The client SDK loads only here, when there are servers to reach.
  const { connectCheck } = await import('../toolsets/connect-check.js');
  const log = createLogger(options);
  const report = await connectCheck(config, log);
  for (const issue of [...report.failures, ...report.issues]) located(options, 'error', issue);
  for (const s of report.servers) diagnostic(options, 'info', `${s.name}: ${n(s.tools, 'tool')}${s.era ? ` (${s.era} era)` : ''}`);
  if (report.issues.length) return 2;
  if (report.failures.length) return 1;
  process.stdout.write(
    `ok: ${n(config.tools.size, 'tool')}, ${n(config.prompts.size, 'prompt')}, ${n(models.size, 'model')}${servers} (connected)\n`,
  );
  return 0;
}
