// The built CLI's stdio server, driven by the SDK's Client as MCP clients drive it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BIN, ROOT, cleanEnv, connectStdio, writeConfig } from '../helpers/cli.ts';

const CONFIG = `
server:
  name: poet-server
  version: 2.3.4
  instructions: Tools that write verse.
models:
  offline: { provider: test }
defaults:
  model: offline
tools:
  poet:
    title: Poet
    description: Poem generator
    system: always reply in rhyme
    prompt: write a poem about {{theme}}{{#lines}} in {{lines}} lines{{/lines}}{{^mood}} (any mood){{/mood}}
    input:
      theme: { type: string, description: What the poem is about }
      lines: { type: integer, minimum: 2, default: 4 }
      mood: { type: string, enum: [happy, sad], optional: true }
    annotations: { readOnlyHint: true }
  typed:
    prompt: "summarise {{doc}}"
    input:
      $schema: https://json-schema.org/draft/2020-12/schema
      type: object
      properties:
        doc: { $ref: "#/$defs/doc" }
      required: [doc]
      additionalProperties: false
      $defs:
        doc: { type: object, properties: { title: { type: string } }, required: [title] }
    output:
      type: object
      properties:
        summary: { type: string, minLength: 3 }
        score: { type: integer, minimum: 1 }
      required: [summary, score]
prompts:
  rhyme:
    description: Ask for a rhyming poem
    arguments:
      theme: { description: The topic, required: true }
      style: { description: A style }
    messages:
      - { role: user, text: "Write a rhyming poem about {{theme}}{{#style}} in the style of {{style}}{{/style}}" }
      - { role: assistant, text: "Here it is:" }
`;

test('initialize, tools/list, tools/call, prompts over stdio', async (t) => {
  const file = writeConfig(CONFIG);
  const { client, close } = await connectStdio(file);
  t.after(close);

  assert.deepEqual(client.getServerVersion(), { name: 'poet-server', version: '2.3.4' });
  assert.equal(client.getInstructions(), 'Tools that write verse.');
  assert.ok(client.getServerCapabilities()?.tools);

  const { tools } = await client.listTools();
  assert.deepEqual(
    tools.map((x) => x.name),
    ['poet', 'typed'],
  );
  assert.deepEqual(tools[0], {
    name: 'poet',
    title: 'Poet',
    description: 'Poem generator',
    inputSchema: {
      type: 'object',
      properties: {
        theme: { type: 'string', description: 'What the poem is about' },
        lines: { type: 'integer', minimum: 2, default: 4 },
        mood: { type: 'string', enum: ['happy', 'sad'] },
      },
      required: ['theme'],
    },
    annotations: { readOnlyHint: true },
  });
  // A whole JSON Schema object goes out untouched ($schema, $defs, $ref, additionalProperties).
  assert.deepEqual(tools[1]!.inputSchema, {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { doc: { $ref: '#/$defs/doc' } },
    required: ['doc'],
    additionalProperties: false,
    $defs: { doc: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] } },
  });
  assert.deepEqual(tools[1]!.outputSchema?.required, ['summary', 'score']);

  const result = await client.callTool({ name: 'poet', arguments: { theme: 'socks' } });
  assert.equal(result.isError, undefined);
  assert.deepEqual(result.content, [{ type: 'text', text: 'test model received: write a poem about socks in 4 lines (any mood)' }]);
  assert.deepEqual((result._meta as Record<string, { model: string; steps: number }>)['agent-mcp']!.model, 'offline');
  assert.equal((result._meta as Record<string, { steps: number }>)['agent-mcp']!.steps, 1);

  // The test model answers a structured-output tool with a minimal valid instance.
  const typed = await client.callTool({ name: 'typed', arguments: { doc: { title: 'T' } } });
  assert.deepEqual(typed.structuredContent, { summary: 'text', score: 1 });
  assert.deepEqual(typed.content, [{ type: 'text', text: '{"summary":"text","score":1}' }]);

  const { prompts } = await client.listPrompts();
  assert.deepEqual(prompts, [
    {
      name: 'rhyme',
      description: 'Ask for a rhyming poem',
      arguments: [
        { name: 'theme', description: 'The topic', required: true },
        { name: 'style', description: 'A style', required: false },
      ],
    },
  ]);
  const prompt = await client.getPrompt({ name: 'rhyme', arguments: { theme: 'cats', style: 'Poe' } });
  assert.deepEqual(prompt.messages, [
    { role: 'user', content: { type: 'text', text: 'Write a rhyming poem about cats in the style of Poe' } },
    { role: 'assistant', content: { type: 'text', text: 'Here it is:' } },
  ]);
  await assert.rejects(client.getPrompt({ name: 'rhyme', arguments: {} }), /Missing required argument for prompt rhyme: theme/);
});

test('bad arguments give an isError result naming the field, and the server keeps serving', async (t) => {
  const { client, close } = await connectStdio(writeConfig(CONFIG));
  t.after(close);
  const missing = await client.callTool({ name: 'poet', arguments: {} });
  assert.equal(missing.isError, true);
  assert.deepEqual(missing.content, [{ type: 'text', text: 'Invalid arguments for tool poet: theme: is required' }]);
  const wrong = await client.callTool({ name: 'poet', arguments: { theme: 'x', lines: 1, mood: 'angry' } });
  assert.deepEqual(wrong.content, [
    { type: 'text', text: 'Invalid arguments for tool poet: lines: must be >= 2; mood: must be one of "happy", "sad"' },
  ]);
  const extra = await client.callTool({ name: 'typed', arguments: { doc: { title: 'T' }, other: 1 } });
  assert.deepEqual(extra.content, [{ type: 'text', text: 'Invalid arguments for tool typed: unknown property "other"' }]);
  await assert.rejects(client.callTool({ name: 'nope', arguments: {} }), /Unknown tool: nope/);
  const ok = await client.callTool({ name: 'poet', arguments: { theme: 'values {{verbatim}} <b>&' } });
  assert.deepEqual(ok.content, [
    { type: 'text', text: 'test model received: write a poem about values {{verbatim}} <b>& in 4 lines (any mood)' },
  ]);
});

/** Raw JSON-RPC over the child's stdio, to see every byte it writes on stdout. */
function rawServer(file: string) {
  const child = spawn(process.execPath, [BIN, 'serve', file], { env: cleanEnv(), cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const send = (msg: object) => child.stdin.write(JSON.stringify(msg) + '\n');
  const waitFor = async (pred: () => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timed out; stdout=${stdout} stderr=${stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const exited = new Promise<{ code: number | null; at: number }>((r) => child.on('exit', (code) => r({ code, at: Date.now() })));
  const init = {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  };
  return { child, send, waitFor, exited, init, out: () => stdout, err: () => stderr };
}

test('stdout carries only JSON-RPC, even while warnings are logged', async () => {
  const file = writeConfig(`
models:
  keyless: { provider: openai, model: gpt-4.1-mini }
  boom: { provider: test, responses: [{ error: { status: 500, message: kaput } }], maxRetries: 0 }
defaults: { model: [keyless, test] }
tools:
  poet: { prompt: "poem about {{theme}}", input: { theme: { type: string } } }
  broken: { prompt: hi, model: [boom, keyless] }
`);
  const s = rawServer(file);
  s.send(s.init);
  await s.waitFor(() => s.out().includes('"id":0'));
  s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  s.send({ jsonrpc: '2.0', id: 1, method: 'logging/setLevel', params: { level: 'debug' } });
  s.send({
    jsonrpc: '2.0',
    id: 2,
    method: 'tools/call',
    params: { name: 'poet', arguments: { theme: 'x' }, _meta: { progressToken: 'p' } },
  });
  s.send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'broken', arguments: {} } });
  s.send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'poet', arguments: { theme: 7 } } });
  s.send({ jsonrpc: '2.0', id: 5, method: 'no/such/method' });
  await s.waitFor(() => ['"id":2', '"id":3', '"id":4', '"id":5'].every((id) => s.out().includes(id)));
  s.child.stdin.end();
  await s.exited;
  // Warnings went to stderr (the missing key, the failed call) ...
  assert.match(s.err(), /agent-mcp notice: .*models\.keyless: OPENAI_API_KEY is not set/);
  assert.match(s.err(), /agent-mcp warning: call broken failed: no model could answer/);
  // ... and every stdout line is one JSON-RPC message.
  const lines = s.out().split('\n').filter(Boolean);
  assert.ok(lines.length >= 6, `only ${lines.length} lines`);
  for (const line of lines) {
    const msg = JSON.parse(line) as { jsonrpc: string };
    assert.equal(msg.jsonrpc, '2.0', line);
  }
  assert.ok(
    lines.some((l) => l.includes('notifications/progress')),
    'progress was sent',
  );
  assert.ok(
    lines.some((l) => l.includes('notifications/message')),
    'logs were mirrored to the client',
  );
});

test('stdin closing mid-call ends the process without waiting for the call', async () => {
  const file = writeConfig('models:\n  slow: { provider: test, delay: 1h }\ntools:\n  wait: { prompt: hi, model: slow }\n');
  const s = rawServer(file);
  s.send(s.init);
  await s.waitFor(() => s.out().includes('"id":0'));
  s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  s.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'wait', arguments: {} } });
  await new Promise((r) => setTimeout(r, 200)); // the call is now waiting on its model
  s.child.stdin.end();
  // The model answers in an hour: anything but the end of stdin ending the call would keep the process (the bound is
  // generous, not a timing assertion: the machine may be loaded).
  const exited = await Promise.race([s.exited, new Promise<'running'>((r) => setTimeout(r, 30_000, 'running').unref())]);
  assert.notEqual(exited, 'running', 'the process still runs 30 s after stdin closed');
  assert.equal((exited as { code: number }).code, 0);
});

test('SIGTERM ends a serving process with exit 0', async () => {
  const s = rawServer(join(ROOT, 'agents.yaml'));
  s.send(s.init);
  await s.waitFor(() => s.out().includes('"id":0'));
  s.child.kill('SIGTERM');
  const { code } = await s.exited;
  assert.equal(code, 0);
});
