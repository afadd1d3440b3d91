// `agent-mcp init`: a starter file that validates and answers offline, never written over an existing file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, cleanEnv, connectStdio, runInProcess } from '../helpers/cli.ts';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const tempDir = () => mkdtempSync(join(tmpdir(), 'agent-mcp-init-'));

test('init writes a starter that validates and whose tools answer offline, with no key', async () => {
  const dir = tempDir();
  const r = await runInProcess(['init'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    'Created agents.yaml: 2 tools (summarize, triage) and 1 prompt (review). They answer offline until a key is set.\nNext: agent-mcp validate agents.yaml, then agent-mcp install <client> agents.yaml (claude-desktop, cursor, vscode, claude-code)\n',
  );
  const text = readFileSync(join(dir, 'agents.yaml'), 'utf8');
  assert.equal(text.split('\n')[0], `# yaml-language-server: $schema=https://unpkg.com/agent-mcp@${VERSION}/schema/agents.schema.json`);

  const v = await runInProcess(['validate'], { cwd: dir });
  assert.equal(v.code, 0, v.stderr);
  assert.equal(v.stdout, 'ok: 2 tools, 1 prompt, 2 models\n');

  const call = await runInProcess(['call', 'summarize', 'text=Cats sleep all day.'], { cwd: dir });
  assert.equal(call.code, 0, call.stderr);
  assert.equal(call.stdout, 'test model received: Summarize this text in 3 sentences:\n\nCats sleep all day.\n');

  // Structured output through a real MCP client: the offline model answers a valid instance.
  const server = await connectStdio(join(dir, 'agents.yaml'), { env: cleanEnv() });
  try {
    const result = await server.client.callTool({ name: 'triage', arguments: { message: 'The app crashes' } });
    assert.equal(result.isError, undefined);
    assert.deepEqual(result.structuredContent, { category: 'bug', urgent: false, summary: 'text' });
    const prompt = await server.client.getPrompt({ name: 'review', arguments: { text: 'Hello', tone: 'direct' } });
    assert.deepEqual(prompt.messages, [{ role: 'user', content: { type: 'text', text: 'Review this text in a direct tone:\n\nHello' } }]);
  } finally {
    await server.close();
  }
});

test('init never overwrites: exit 2 and the file untouched', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'agents.yaml'), 'mine\n');
  const r = await runInProcess(['init'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'agents.yaml already exists; init never overwrites a file (give another name: agent-mcp init other.yaml)\n');
  assert.equal(readFileSync(join(dir, 'agents.yaml'), 'utf8'), 'mine\n');
});

test('init FILE: another name, in a new folder; the commands in its header name it', async () => {
  const dir = tempDir();
  const r = await runInProcess(['init', 'agents/review bot.yaml'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(join(dir, 'agents/review bot.yaml'), 'utf8');
  assert.ok(
    text.includes("\n#   agent-mcp validate 'review bot.yaml'\n#   agent-mcp call -c 'review bot.yaml' summarize"),
    text.slice(0, 600),
  );
  const v = await runInProcess(['validate', 'agents/review bot.yaml'], { cwd: dir });
  assert.equal(v.code, 0, v.stderr);
});

test('the $schema comment points at the schema installed in node_modules (relative, works offline) when there is one', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'node_modules/agent-mcp/schema'), { recursive: true });
  writeFileSync(join(dir, 'node_modules/agent-mcp/schema/agents.schema.json'), '{}');
  mkdirSync(join(dir, 'config'));
  const top = await runInProcess(['init'], { cwd: dir });
  assert.equal(top.code, 0, top.stderr);
  assert.equal(
    readFileSync(join(dir, 'agents.yaml'), 'utf8').split('\n')[0],
    '# yaml-language-server: $schema=./node_modules/agent-mcp/schema/agents.schema.json',
  );
  const nested = await runInProcess(['init', 'config/agents.yaml'], { cwd: dir });
  assert.equal(nested.code, 0, nested.stderr);
  assert.equal(
    readFileSync(join(dir, 'config/agents.yaml'), 'utf8').split('\n')[0],
    '# yaml-language-server: $schema=../node_modules/agent-mcp/schema/agents.schema.json',
  );
});

test('inside an agent-mcp checkout, the $schema comment points at its schema/ folder', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'package.json'), '{"name": "agent-mcp"}');
  mkdirSync(join(dir, 'schema'));
  writeFileSync(join(dir, 'schema/agents.schema.json'), '{}');
  const r = await runInProcess(['init', 'examples/new.yaml'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    readFileSync(join(dir, 'examples/new.yaml'), 'utf8').split('\n')[0],
    '# yaml-language-server: $schema=../schema/agents.schema.json',
  );
});
