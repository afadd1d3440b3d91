import { loadConfigFile } from '../config/load.js';
import { formatIssue } from '../errors.js';
import { createLogger, type GlobalOptions } from './context.js';

export async function validateCommand(options: GlobalOptions & { file: string; connect?: boolean }): Promise<number> {
  const config = loadConfigFile(options.file, { deep: true });
  for (const w of config.warnings) process.stderr.write(`${formatIssue(w)} (warning)\n`);
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
  for (const issue of [...report.failures, ...report.issues]) process.stderr.write(`${formatIssue(issue)}\n`);
  for (const s of report.servers) process.stderr.write(`${s.name}: ${n(s.tools, 'tool')}${s.era ? ` (${s.era} era)` : ''}\n`);
  if (report.issues.length) return 2;
  if (report.failures.length) return 1;
  process.stdout.write(
    `ok: ${n(config.tools.size, 'tool')}, ${n(config.prompts.size, 'prompt')}, ${n(models.size, 'model')}${servers} (connected)\n`,
  );
  return 0;
}
