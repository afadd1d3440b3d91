// A provider the config does not use is never imported: record every module the served CLI loads
// (ESM loader hooks and a CommonJS compile hook in the child process) and look for the SDKs among them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cleanEnv, connectStdio, writeConfig } from '../helpers/cli.ts';
import { FakeOpenAI } from '../fakes/openai-server.ts';

// Strings only the SDKs' code contains: their default API hosts.
const MARKERS = { openai: 'https://api.openai.com/v1', anthropic: 'https://api.anthropic.com' };

function moduleRecorder(): { nodeOptions: string; loaded: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'agent-mcp-loads-'));
  const log = join(dir, 'loaded.txt');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(log)}, url + '\\n');
  return next(url, context);
}
`,
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});
`,
  );
  // The SDKs are CommonJS bundles in dist/vendor/, loaded with require(): Node 20's loader hooks do not see those.
  writeFileSync(
    join(dir, 'record.cjs'),
    `const Module = require('node:module');
const { appendFileSync } = require('node:fs');
const { pathToFileURL } = require('node:url');
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  appendFileSync(${JSON.stringify(log)}, pathToFileURL(filename).href + '\\n');
  return compile.call(this, content, filename);
};
`,
  );
  return {
    nodeOptions: `--require=${join(dir, 'record.cjs')} --import=${pathToFileURL(join(dir, 'register.mjs')).href}`,
    loaded: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
  };
}

/** Which SDKs the loaded modules contain. */
function sdksIn(urls: string[]): string[] {
  const found = new Set<string>();
  for (const url of urls) {
    if (!url.startsWith('file:') || !url.includes('/dist/')) continue;
    const code = readFileSync(fileURLToPath(url), 'utf8');
    for (const [sdk, marker] of Object.entries(MARKERS)) if (code.includes(marker)) found.add(sdk);
  }
  return [...found].sort();
}

async function serveAndCall(yaml: string, tool: string, env: Record<string, string> = {}): Promise<{ urls: string[]; text: unknown }> {
  const recorder = moduleRecorder();
  const server = await connectStdio(writeConfig(yaml), { env: cleanEnv({ ...env, NODE_OPTIONS: recorder.nodeOptions }) });
  try {
    const result = await server.client.callTool({ name: tool, arguments: {} });
    return { urls: recorder.loaded(), text: result.content };
  } finally {
    await server.close();
  }
}

test('a config on the test provider loads neither SDK; one on openai loads that SDK only', async () => {
  const offline = await serveAndCall('tools:\n  hello: { prompt: say hi, model: test }\n', 'hello');
  assert.deepEqual(offline.text, [{ type: 'text', text: 'test model received: say hi' }]);
  assert.ok(
    offline.urls.some((u) => u.endsWith('/bin/agent-mcp.js')),
    'the recorder saw the CLI load',
  );
  assert.deepEqual(sdksIn(offline.urls), []);

  // The control: the same probe does see an SDK when the config needs it.
  const fake = await new FakeOpenAI().start();
  try {
    const online = await serveAndCall(
      `tools:\n  hello: { prompt: say hi, model: gpt }\nmodels:\n  gpt: { provider: openai, model: m, baseURL: "${fake.url}" }\n`,
      'hello',
    );
    assert.deepEqual(online.text, [{ type: 'text', text: 'ok' }]);
    assert.deepEqual(sdksIn(online.urls), ['openai']);
    // A baseURL without a key (a local endpoint): the SDK is given a placeholder, never an empty key.
    assert.equal(fake.requests[0]!.headers.authorization, 'Bearer no-key');
  } finally {
    await fake.stop();
  }
});

test('a chain that skips keyless openai and anthropic models loads neither SDK (the example agents.yaml with no key)', async () => {
  const yaml = `models:
  fast: { provider: anthropic, model: claude-haiku-4-5 }
  mini: { provider: openai, model: gpt-4.1-mini }
tools:
  hello: { prompt: say hi, model: [fast, mini, test] }
`;
  const served = await serveAndCall(yaml, 'hello');
  assert.deepEqual(served.text, [{ type: 'text', text: 'test model received: say hi' }]);
  assert.deepEqual(sdksIn(served.urls), []);
});
