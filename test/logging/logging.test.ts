// Logging: a call's lines mirrored to the client at the level it set (nothing below it), and stderr as JSON lines
// with --log-format json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoggingMessageNotificationSchema, type LoggingMessageNotification } from '@modelcontextprotocol/sdk/types.js';
import { connectStdio, runCli, writeConfig } from '../helpers/cli.js';
import { NO_SAMPLING_ERROR } from '../sampling/scenarios.ts';

const CONFIG = `
models:
  offline: { provider: test }
  broken: { provider: test, responses: [{ error: { status: 400, message: bad request } }] }
defaults:
  model: offline
tools:
  poet:
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
  failing:
    model: broken
    prompt: fail
`;

type Params = LoggingMessageNotification['params'];

/** What varies from run to run (timings, token estimates) left out. */
function stable(p: Params): { level: string; msg: unknown; fields: Record<string, unknown> } {
  const { msg, ms, tokens, ...fields } = p.data as Record<string, unknown>;
  void ms;
  void tokens;
  return { level: p.level, msg, fields };
}

async function withClient(run: (c: Awaited<ReturnType<typeof connectStdio>>, seen: Params[]) => Promise<void>, args: string[] = []) {
  const server = await connectStdio(writeConfig(CONFIG), { args });
  const seen: Params[] = [];
  server.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void seen.push(n.params));
  try {
    await run(server, seen);
  } finally {
    await server.close();
  }
}

const settle = () => new Promise((r) => setTimeout(r, 50));

test('the server declares logging; nothing is mirrored until the client sets a level', async () => {
  await withClient(async ({ client }, seen) => {
    assert.deepEqual(client.getServerCapabilities()?.logging, {});
    await client.callTool({ name: 'poet', arguments: { theme: 'socks' } });
    await settle();
    assert.deepEqual(seen, []);
  });
});

test('at debug the client receives start, model chosen, each step and finish of its call', async () => {
  await withClient(async ({ client }, seen) => {
    await client.setLoggingLevel('debug');
    await client.callTool({ name: 'poet', arguments: { theme: 'socks' } });
    await settle();
    assert.deepEqual(seen.map(stable), [
      { level: 'debug', msg: 'call started', fields: { tool: 'poet', depth: 0 } },
      { level: 'debug', msg: 'model chosen', fields: { tool: 'poet', model: 'offline', id: 'test' } },
      { level: 'debug', msg: 'model answered', fields: { tool: 'poet', model: 'offline', step: 1, finish: 'stop', toolCalls: 0 } },
      { level: 'info', msg: 'call', fields: { tool: 'poet', model: 'offline', steps: 1, status: 'ok' } },
    ]);
    assert.ok(seen.every((p) => p.logger === 'agent-mcp'));
    assert.equal(typeof (seen[3]!.data as { ms: unknown }).ms, 'number');
  });
});

test('at info only the finish line; at warning only failures; never anything below the level set', async () => {
  await withClient(async ({ client }, seen) => {
    await client.setLoggingLevel('info');
    await client.callTool({ name: 'poet', arguments: { theme: 'socks' } });
    await settle();
    assert.deepEqual(seen.map(stable), [
      { level: 'info', msg: 'call', fields: { tool: 'poet', model: 'offline', steps: 1, status: 'ok' } },
    ]);

    seen.length = 0;
    await client.setLoggingLevel('warning');
    await client.callTool({ name: 'poet', arguments: { theme: 'hats' } });
    await client.callTool({ name: 'failing', arguments: {} });
    await settle();
    assert.deepEqual(seen.map(stable), [
      {
        level: 'warning',
        msg: 'call failing failed: broken: test model error 400: bad request',
        fields: { tool: 'failing', model: 'broken', steps: 1, status: 'error' },
      },
    ]);

    seen.length = 0;
    await client.setLoggingLevel('error');
    await client.callTool({ name: 'failing', arguments: {} });
    await settle();
    assert.deepEqual(seen, []);
  });
});

test('--log-format json: every stderr line is a JSON object, calls and config problems alike', async () => {
  let stderr = '';
  await withClient(
    async (server) => {
      await server.client.callTool({ name: 'poet', arguments: { theme: 'socks' } });
      await server.client.callTool({ name: 'failing', arguments: {} });
      await settle();
      stderr = server.stderr();
    },
    ['--log-format', 'json', '--log-level', 'debug'],
  );
  const lines = stderr.trimEnd().split('\n');
  const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.ok(records.every((r) => typeof r.time === 'string' && typeof r.level === 'string' && typeof r.msg === 'string'));
  const msgs = records.map((r) => r.msg);
  for (const msg of [
    'call started',
    'model chosen',
    'model answered',
    'call',
    'call failing failed: broken: test model error 400: bad request',
  ])
    assert.ok(msgs.includes(msg), msg);

  const bad = writeConfig('tools:\n  poet:\n    promt: hi\n');
  const run = await runCli(['serve', bad, '--log-format', 'json']);
  assert.equal(run.code, 2);
  const problems = run.stderr
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    problems.map(({ time, ...r }) => (void time, r)),
    [
      { level: 'error', msg: 'tools.poet: unknown key "promt" (did you mean "prompt"?)', file: bad, line: 3, col: 5 },
      { level: 'error', msg: 'tools.poet: missing required field "prompt"', file: bad, line: 2, col: 3 },
    ].sort((x, y) => x.line - y.line),
  );
});

test('text format: one readable line per call on stderr', async () => {
  await withClient(async (server) => {
    await server.client.callTool({ name: 'poet', arguments: { theme: 'socks' } });
    await settle();
    assert.match(server.stderr(), /^agent-mcp info: call tool=poet model=offline steps=1 tokens=\d+ ms=\d+ status=ok\n$/);
  });
});

test('serve: a model skipped in a chain is logged at info; an answer that fell through to the test model, at warning', async () => {
  const server = await connectStdio(
    writeConfig(`
models:
  fast: { provider: anthropic, model: claude-haiku-4-5 }
  offline: { provider: test }
tools:
  poet: { prompt: hi, model: [sampling, fast, offline] }
  canned: { prompt: hi, model: offline }
`),
  );
  try {
    await server.client.callTool({ name: 'poet', arguments: {} });
    await server.client.callTool({ name: 'canned', arguments: {} });
    await settle();
    const lines = server
      .stderr()
      .split('\n')
      .filter((l) => !l.includes(' notice: '))
      .map((l) => l.replace(/ tokens=\d+ ms=\d+/, ''));
    assert.deepEqual(lines, [
      `agent-mcp info: sampling skipped (${NO_SAMPLING_ERROR.replace(/^sampling: /, '')}); trying fast tool=poet`,
      'agent-mcp info: fast skipped (ANTHROPIC_API_KEY is not set); trying offline tool=poet',
      `agent-mcp warning: no real model could answer; the test model did, with its canned reply (sampling: this MCP client does not support sampling (the client's own model); fast: ANTHROPIC_API_KEY is not set) tool=poet`,
      'agent-mcp info: call tool=poet model=offline steps=1 status=ok',
      // A tool that is meant to run on the test model is no surprise: no warning.
      'agent-mcp info: call tool=canned model=offline steps=1 status=ok',
      '',
    ]);
  } finally {
    await server.close();
  }
});
