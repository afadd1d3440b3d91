// The package as users get it: packed, installed into an empty folder offline with an empty npm cache (so nothing
// can come from the registry or from this project's node_modules), then served with an openai model, an anthropic
// model and sampling. Proves that everything that runs is in dist/ and that the package declares no dependency.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FakeAnthropic } from '../fakes/anthropic-server.ts';
import { FakeOpenAI } from '../fakes/openai-server.ts';
import { ROOT, cleanEnv } from '../helpers/cli.ts';
import { SamplingScript, resultText, text } from '../sampling/scenarios.ts';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('the packed package installs offline with no dependencies and serves openai, anthropic and sampling', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-mcp-pack-'));
  const env = { ...cleanEnv(), npm_config_cache: join(dir, 'cache'), npm_config_update_notifier: 'false' };
  // dist/ is built by `npm test` before the tests run: --ignore-scripts packs it as it is.
  await run(npm, ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, env });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
  await run(npm, ['install', '--offline', '--no-audit', '--no-fund', join(dir, tarball)], { cwd: app, env });

  const installed = JSON.parse(readFileSync(join(app, 'node_modules/agent-mcp/package.json'), 'utf8'));
  assert.equal(installed.dependencies, undefined);
  assert.deepEqual(readdirSync(join(app, 'node_modules')).sort(), ['.bin', '.package-lock.json', 'agent-mcp']);
  // What runs, and nothing else: no source map (7 MB that nothing reads at run time).
  assert.deepEqual(readdirSync(join(app, 'node_modules/agent-mcp/dist')).sort(), ['cli.cjs', 'cli.cjs.cache', 'vendor']);

  const openai = await new FakeOpenAI().start();
  const anthropic = await new FakeAnthropic().start();
  t.after(() => Promise.all([openai.stop(), anthropic.stop()]));
  openai.reply({ text: 'from openai' });
  anthropic.reply({ text: 'from anthropic' });
  writeFileSync(
    join(app, 'agents.yaml'),
    `models:
  gpt: { provider: openai, model: gpt-fake, baseURL: "${openai.url}", apiKey: sk-fake }
  claude: { provider: anthropic, model: claude-fake, baseURL: "${anthropic.url}", apiKey: sk-ant-fake }
tools:
  gpt: { prompt: say hi, model: gpt }
  claude: { prompt: say hi, model: claude }
  client: { prompt: say hi, model: sampling }
`,
  );
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(app, 'node_modules/agent-mcp/bin/agent-mcp.js'), 'serve', 'agents.yaml'],
    cwd: app,
    env: { ...cleanEnv(), NODE_PATH: '' },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'package-test', version: '1.0.0' }, { capabilities: { sampling: {} } });
  const script = new SamplingScript();
  script.attach(client);
  script.reset(async () => text('from the client'));
  await client.connect(transport);
  t.after(() => client.close());

  const call = async (name: string) => (await client.callTool({ name, arguments: {} })) as CallToolResult;
  assert.equal(resultText(await call('gpt')), 'from openai', stderr);
  assert.equal(resultText(await call('claude')), 'from anthropic', stderr);
  assert.equal(resultText(await call('client')), 'from the client', stderr);
  assert.equal(openai.requests.length, 1);
  assert.equal(anthropic.requests.length, 1);
});
