// Start-up loads no Node built-in a run may never need: a stdio server answering a call on the test model has not
// loaded node:crypto and node:zlib (request states), node:child_process (commander's executable subcommands, MCP
// servers), node:readline or node:timers/promises. Each costs start-up time (crypto alone ~15 internal modules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanEnv, connectStdio, writeConfig } from '../helpers/cli.ts';

const POET = 'tools:\n  poet: { prompt: "a poem about {{theme}}", input: { theme: { type: string } }, ';
const LAZY = ['crypto', 'zlib', 'child_process', 'readline', 'timers/promises'];

/** Serve `yaml`, call `tool`, stop: the built-in modules the server process loaded (process.moduleLoadList at exit). */
async function builtinsLoaded(yaml: string, tool: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'agent-mcp-builtins-'));
  const out = join(dir, 'loaded.txt');
  writeFileSync(
    join(dir, 'record.cjs'),
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, process.moduleLoadList.join('\\n')));\n`,
  );
  const server = await connectStdio(writeConfig(yaml), { env: cleanEnv({ NODE_OPTIONS: `--require=${join(dir, 'record.cjs')}` }) });
  try {
    const result = await server.client.callTool({ name: tool, arguments: { theme: 'socks' } });
    assert.deepEqual(result.content, [{ type: 'text', text: 'test model received: a poem about socks' }]);
  } finally {
    await server.close();
  }
  // The server writes the list as it exits, once its stdin has ended: wait for it (bounded).
  for (let i = 0; i < 200 && !existsSync(out); i++) await sleep(25);
  return readFileSync(out, 'utf8')
    .split('\n')
    .filter((m) => m.startsWith('NativeModule '))
    .map((m) => m.slice('NativeModule '.length));
}

test('serving a call on stdio loads none of the built-ins only some runs need', async () => {
  const loaded = await builtinsLoaded(`${POET}model: test }\n`, 'poet');
  // The control: the recorder saw the launcher's own modules.
  assert.ok(loaded.includes('vm'), `the recorder saw the CLI start: ${loaded.join(', ')}`);
  assert.deepEqual(
    LAZY.filter((m) => loaded.includes(m)),
    [],
  );
});

test('a test model with a delay loads node:timers/promises when it first waits, and still answers', async () => {
  const loaded = await builtinsLoaded(`${POET}model: slow }\nmodels:\n  slow: { provider: test, delay: 5ms }\n`, 'poet');
  assert.ok(loaded.includes('timers/promises'));
});
