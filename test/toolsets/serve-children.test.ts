// agent-mcp as a process with downstream servers: agent-mcp itself as a downstream server over stdio and over
// HTTP (composition), no child left after SIGTERM, SIGINT or stdin EOF (checked by pid), /healthz listing the
// servers, and `validate --connect` reporting names that name no real tool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Runtime } from '../../src/agent/runtime.ts';
import { loadConfigFile } from '../../src/config/load.ts';
import { mcpToolsets } from '../../src/toolsets/config-toolsets.ts';
import { BIN, cleanEnv, connectStdio, ROOT, runInProcess, writeConfig } from '../helpers/cli.ts';
import { connect, disconnect, startHttp } from '../server/http-helpers.ts';
import { isRunning, memoryLogger, runContext } from './helpers.ts';

const DOWNSTREAM = join(ROOT, 'test/fakes/downstream-server.mjs');

const INNER = `
defaults: { model: test }
tools:
  poet:
    description: Poem generator
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
`;

/** An outer agent (in-process) whose test model calls inner.poet; the inner server is `mcpServers` entry `entry`. */
async function callThrough(entry: string) {
  const file = writeConfig(`
models:
  offline: { provider: test, responses: [{ toolCalls: [{ name: inner.poet, input: { theme: socks } }] }, done] }
mcpServers:
  inner: ${entry}
tools:
  critic: { prompt: judge, model: offline, tools: [inner] }
`);
  const { log, lines } = memoryLogger();
  const mcp = mcpToolsets(log);
  const runtime = new Runtime(loadConfigFile(file, { env: cleanEnv() }), { log, toolsets: mcp.forConfig });
  try {
    const ctx = runContext(log);
    const outcome = await runtime.call('critic', {}, ctx);
    const tool = await mcp.servers!.toolset('inner')!.call('inner.poet', { theme: 'the sea' }, runContext(log));
    return { outcome, tool, lines, statuses: mcp.servers!.statuses() };
  } finally {
    await runtime.close();
    await mcp.close();
  }
}

test('agent-mcp is a downstream server of agent-mcp over stdio', async () => {
  const inner = writeConfig(INNER);
  const { outcome, tool, lines, statuses } = await callThrough(`{ command: "${process.execPath}", args: ["${BIN}", "serve", "${inner}"] }`);
  assert.equal(outcome.text, 'done');
  assert.equal(outcome.isError, false);
  assert.deepEqual(tool.content, [{ type: 'text', text: 'test model received: write a poem about the sea' }]);
  // The inner server's own log line, relayed with its name.
  assert.ok(
    lines.some((l) => /\[inner\] agent-mcp info: call tool=poet model=test steps=1 .*status=ok/.test(l)),
    lines.join(''),
  );
  // agent-mcp serves the 2026-07-28 era: the client's negotiation picks it.
  assert.equal(statuses[0]!.era, 'modern');
});

test('agent-mcp is a downstream server of agent-mcp over Streamable HTTP', async () => {
  const server = await startHttp([], { yaml: INNER });
  try {
    const { outcome, tool, statuses } = await callThrough(`{ url: "${server.url}" }`);
    assert.equal(outcome.text, 'done');
    assert.equal(statuses[0]!.era, 'modern');
    assert.deepEqual(tool.content, [{ type: 'text', text: 'test model received: write a poem about the sea' }]);
  } finally {
    await server.stop();
  }
});

/**
 * A served config with one downstream server that writes its pid. A stubborn one ignores the end of its stdin, so
 * only SIGTERM ends it: the SDK client waits 2 s before sending that, so one test proves the escalation and the
 * others use a server that leaves on EOF.
 */
function servedWithDownstream(stubborn = false) {
  const dir = mkdtempSync(join(tmpdir(), 'agent-mcp-pids-'));
  const pidFile = join(dir, 'pids');
  const file = writeConfig(`
models:
  offline: { provider: test, responses: [{ toolCalls: [{ name: down.echo, input: { text: hi } }] }, done] }
mcpServers:
  down: { command: "${process.execPath}", args: ["${DOWNSTREAM}"], env: { PID_FILE: "${pidFile}"${stubborn ? ', STUBBORN: "1"' : ''} } }
tools:
  worker: { prompt: work, model: offline, tools: [down.echo] }
`);
  const pids = () => (existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim().split('\n').map(Number) : []);
  return { file, pids };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(check(), what);
}

for (const how of ['SIGTERM', 'SIGINT', 'stdin EOF'] as const) {
  test(`after ${how}, no downstream server agent-mcp started is left running`, async () => {
    const { file, pids } = servedWithDownstream(how === 'SIGTERM');
    const served = await connectStdio(file);
    const ours = served.transport.pid!;
    const exited = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (!isRunning(ours)) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    const result = await served.client.callTool({ name: 'worker', arguments: {} });
    assert.deepEqual(result.content, [{ type: 'text', text: 'done' }]);
    const started = pids();
    assert.ok(started.length >= 1, 'the downstream server wrote its pid');
    assert.ok(started.some(isRunning), 'the downstream server runs while agent-mcp does');
    if (how === 'stdin EOF') await served.close();
    else process.kill(ours, how);
    await exited;
    await until(() => !started.some(isRunning), `downstream ${started.filter(isRunning).join(', ')} still running`);
    if (how !== 'stdin EOF') await served.close();
  });
}

test('/healthz lists the downstream servers and their state', async () => {
  const { file } = servedWithDownstream();
  const server = await startHttp([], { yaml: readFileSync(file, 'utf8') });
  try {
    const before = (await (await fetch(`${server.origin}/healthz`)).json()) as { mcpServers: unknown[] };
    assert.deepEqual(before.mcpServers, [{ name: 'down', transport: 'stdio', state: 'idle', restarts: 0, inFlight: 0 }]);
    const session = await connect(server.url);
    await session.client.callTool({ name: 'worker', arguments: {} });
    await disconnect(session);
    const after = (await (await fetch(`${server.origin}/healthz`)).json()) as { mcpServers: Record<string, unknown>[] };
    const [down] = after.mcpServers;
    assert.equal(down!.state, 'ready');
    assert.equal(down!.tools, 5);
    assert.equal(typeof down!.pid, 'number');
  } finally {
    await server.stop();
  }
});

test('validate checks server names statically; --connect reports tools that do not exist, where they are written', async () => {
  const file = writeConfig(`
defaults: { model: test }
mcpServers:
  down: { command: "${process.execPath}", args: ["${DOWNSTREAM}"], tools: [echo, ecko] }
tools:
  worker: { prompt: work, tools: [down, down.wait, downn] }
`);
  const statically = await runInProcess(['validate', file]);
  assert.equal(statically.code, 2);
  assert.equal(
    statically.stderr,
    `${file}:6:41: tools.worker.tools[1]: "down.wait" is not in mcpServers.down.tools\n` +
      `${file}:6:52: tools.worker.tools[2]: unknown tool or MCP server "downn" (did you mean "down"?)\n`,
  );
  const fixed = writeConfig(readFileSync(file, 'utf8').replace(', down.wait, downn', ', down.echo'), {});
  const connected = await runInProcess(['validate', fixed, '--connect', '--log-level', 'error']);
  const col = readFileSync(fixed, 'utf8').split('\n')[3]!.indexOf('ecko') + 1;
  assert.equal(
    connected.stderr,
    `${fixed}:4:${col}: mcpServers.down.tools[1]: MCP server down has no tool "ecko" (did you mean "echo"?)\ndown: 5 tools (legacy era)\n`,
  );
  assert.equal(connected.code, 2);
  const good = writeConfig(readFileSync(fixed, 'utf8').replace('[echo, ecko]', '[echo]'));
  const ok = await runInProcess(['validate', good, '--connect', '--log-level', 'error']);
  assert.equal(ok.stdout, 'ok: 1 tool, 0 prompts, 1 model, 1 MCP server (connected)\n');
  assert.equal(ok.code, 0);
});
