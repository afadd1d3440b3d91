// Agents using downstream servers through the real loop (in-process Runtime): the model (the real openai SDK
// against the fake Chat Completions server) sees the server's tools and their results, refusals included; a
// downstream sampling request is answered by the calling agent's own model chain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Runtime } from '../../src/agent/runtime.ts';
import { loadConfigText } from '../../src/config/load.ts';
import { mcpToolsets } from '../../src/toolsets/config-toolsets.ts';
import { FakeOpenAI } from '../fakes/openai-server.ts';
import { EVERYTHING_SERVER, FILESYSTEM_SERVER, memoryLogger, runContext } from './helpers.ts';

function runtimeFor(yaml: string, dir: string) {
  const { log, lines } = memoryLogger();
  const config = loadConfigText(join(dir, 'agents.yaml'), yaml, { env: {} });
  const mcp = mcpToolsets(log);
  const runtime = new Runtime(config, { log, toolsets: mcp.forConfig });
  return {
    runtime,
    log,
    lines,
    close: async () => {
      await runtime.close();
      await mcp.close();
    },
  };
}

test('an agent reads and lists files through server-filesystem; a path outside its folder is refused and the model sees why', async () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'agent-mcp-fs-')));
  writeFileSync(join(dir, 'notes.txt'), 'socks are warm\n');
  const fake = await new FakeOpenAI().start();
  fake.reply(
    {
      toolCalls: [
        { name: 'fs_read_text_file', input: { path: join(dir, 'notes.txt') } },
        { name: 'fs_list_directory', input: { path: dir } },
        { name: 'fs_read_text_file', input: { path: '/etc/passwd' } },
      ],
    },
    { text: 'Socks are warm.' },
  );
  const { runtime, log, close } = runtimeFor(
    `
models:
  gpt: { provider: openai, model: gpt-4.1-mini, baseURL: "${fake.url}", apiKey: sk-test-000000 }
mcpServers:
  fs: { command: "${process.execPath}", args: ["${FILESYSTEM_SERVER}", "${dir}"], tools: [read_text_file, list_directory] }
tools:
  librarian: { prompt: what do the notes say?, model: gpt, tools: [fs] }
`,
    dir,
  );
  try {
    const outcome = await runtime.call('librarian', {}, runContext(log));
    assert.equal(outcome.text, 'Socks are warm.');
    assert.equal(outcome.isError, false);
    const [first, second] = fake.requests.map(
      (r) => r.body as { tools?: { function: { name: string; description: string } }[]; messages: { role: string; content: string }[] },
    );
    assert.deepEqual(
      first!.tools!.map((t) => t.function.name),
      ['fs_read_text_file', 'fs_list_directory'],
    );
    assert.match(first!.tools![0]!.function.description, /Read the complete contents of a file from the file system as text/);
    const results = second!.messages.filter((m) => m.role === 'tool').map((m) => m.content);
    assert.equal(results[0], 'socks are warm\n');
    assert.equal(results[1], '[FILE] notes.txt');
    // The server's isError result, marked as a failure for the model (Chat Completions has no error flag).
    assert.equal(results[2], `Error: Access denied - path outside allowed directories: /etc/passwd not in ${dir}`);
  } finally {
    await close();
    await fake.stop();
  }
});

test("a downstream sampling request is answered by the calling agent's model chain", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-mcp-ev-'));
  const { runtime, log, lines, close } = runtimeFor(
    `
models:
  offline: { provider: test, responses: [{ toolCalls: [{ name: ev.trigger-sampling-request, input: { prompt: socks } }] }, done] }
mcpServers:
  ev: { command: "${process.execPath}", args: ["${EVERYTHING_SERVER}", "stdio"] }
tools:
  poet: { prompt: rhyme, model: offline, tools: [ev.trigger-sampling-request] }
`,
    dir,
  );
  try {
    const ctx = runContext(log);
    const outcome = await runtime.call('poet', {}, ctx);
    assert.equal(outcome.text, 'done');
    assert.ok(
      lines.some((l) => l.includes("MCP server ev asked for a completion; the agent's model answers")),
      lines.join(''),
    );
    assert.ok(ctx.updates.some((u) => u.message === 'step 1/10: calling ev.trigger-sampling-request'));
    // The sampling answer's tokens count towards the call: three model turns of the test model.
    assert.ok(outcome.usage.outputTokens > 0);
  } finally {
    await close();
  }
});

test('an agent whose server does not start ends with an error naming why', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-mcp-gone-'));
  const { runtime, log, close } = runtimeFor(
    `
defaults: { model: test }
mcpServers:
  gone: { command: /nonexistent/mcp-server }
tools:
  lost: { prompt: hi, tools: [gone] }
`,
    dir,
  );
  try {
    const outcome = await runtime.call('lost', {}, runContext(log));
    assert.equal(outcome.text, 'tools: MCP server gone did not start: spawn /nonexistent/mcp-server ENOENT');
    assert.equal(outcome.isError, true);
  } finally {
    await close();
  }
});
