// `serve` with five mcpServers declared: initialize and tools/list start no downstream process and load no MCP
// client code; the first call that needs a server starts that one only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cjsLoadRecorder, cleanEnv, connectStdio, ROOT, writeConfig } from '../helpers/cli.ts';

const DOWNSTREAM = join(ROOT, 'test/fakes/downstream-server.mjs');

test('serve with five mcpServers starts none of them for initialize and tools/list; a call starts only its own', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-mcp-lazy-'));
  // Each server leaves a mark when it starts (node -e writes it, then runs the real downstream server).
  const server = (n: number) =>
    `  s${n}: { command: "${process.execPath}", args: ["-e", "require('fs').writeFileSync('${join(dir, `started-${n}`)}', ''); import('${DOWNSTREAM}')"] }`;
  const file = writeConfig(`
defaults: { model: offline }
models:
  offline: { provider: test, responses: [{ toolCalls: [{ name: s3.echo, input: { text: hi } }] }, done] }
mcpServers:
${[1, 2, 3, 4, 5].map(server).join('\n')}
tools:
  worker:
    prompt: work
    tools: [s3.echo]
  idle:
    prompt: rest
    tools: [s1, s2, s4, s5]
`);
  const rec = cjsLoadRecorder(dir);
  const served = await connectStdio(file, { env: cleanEnv({ NODE_OPTIONS: rec.nodeOptions }) });
  try {
    const { tools } = await served.client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      ['worker', 'idle'],
    );
    const started = () => [1, 2, 3, 4, 5].filter((n) => existsSync(join(dir, `started-${n}`)));
    assert.deepEqual(started(), []);
    assert.deepEqual(
      rec.loaded().filter((f) => f.includes('mcp-client')),
      [],
    );

    const result = await served.client.callTool({ name: 'worker', arguments: {} });
    assert.deepEqual(result.content, [{ type: 'text', text: 'done' }]);
    // The recorder works: the first call that needs a server loads the client SDK.
    assert.ok(rec.loaded().some((f) => f.endsWith('dist/vendor/mcp-client.cjs')));
    assert.deepEqual(started(), [3]);
  } finally {
    await served.close();
  }
});
