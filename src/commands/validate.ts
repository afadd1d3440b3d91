import { loadConfigFile } from '../config/load.js';
import { formatIssue } from '../errors.js';
import type { GlobalOptions } from './context.js';

export function validateCommand(options: GlobalOptions & { file: string }): number {
  const config = loadConfigFile(options.file, { deep: true });
  for (const w of config.warnings) process.stderr.write(`${formatIssue(w)} (warning)\n`);
  const models = new Set<string>(config.models.keys());
  for (const tool of config.tools.values()) for (const m of tool.models) models.add(m.name);
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  process.stdout.write(`ok: ${n(config.tools.size, 'tool')}, ${n(config.prompts.size, 'prompt')}, ${n(models.size, 'model')}\n`);
  return 0;
}
