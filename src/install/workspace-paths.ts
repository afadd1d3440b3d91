// Project-scope entries of VS Code and Cursor: a path inside the workspace is written as ${workspaceFolder}/…, which
// both clients expand when they start the server, so the entry keeps working in another checkout of the project.
import { isAbsolute, relative, sep } from 'node:path';
import type { Launch } from './launch.js';

export function workspaceRelative(launch: Launch, workspace: string): Launch {
  const rewrite = (word: string): string => {
    if (!isAbsolute(word)) return word;
    const rel = relative(workspace, word);
    if (rel.startsWith('..') || isAbsolute(rel)) return word;
    return rel ? `\${workspaceFolder}/${rel.split(sep).join('/')}` : '${workspaceFolder}';
  };
  return { ...launch, command: rewrite(launch.command), args: launch.args.map(rewrite) };
}
