// Sampling in both eras with the SDK v2 client: a direct request in the 2025 era, input_required round trips in
// the 2026-07-28 era (the run suspends, its state travels sealed in requestState, the retry resumes it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  Client,
  InMemoryTransport,
  StreamableHTTPClientTransport,
  type CallToolResult,
  type InputRequiredResult,
} from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { Runtime } from '../../src/agent/runtime.ts';
import { loadConfigFile } from '../../src/config/load.ts';
import { Logger } from '../../src/log.ts';
import { buildServer } from '../../src/server/build.ts';
import { createStateSealer } from '../../src/server/request-state.ts';
import { BIN, cleanEnv, writeConfig } from '../helpers/cli.ts';
import { startHttp, type Running } from '../server/http-helpers.ts';
import { SAMPLING_CONFIG, SamplingScript, poetScenario, text, toolRoundTripScenario, waitFor } from './scenarios.ts';

type Era = '2025' | '2026-07-28';
const SECRET = 'one-secret-for-every-replica-of-this-test-0123';
const file = writeConfig(SAMPLING_CONFIG);

function newClient(era: Era, options: { manual?: boolean } = {}): Client {
  return new Client(
    { name: 'sampling-era-tests', version: '1.0.0' },
    {
      capabilities: { sampling: { tools: {} } },
      versionNegotiation: { mode: era === '2025' ? 'legacy' : { pin: era } },
      ...(options.manual && { inputRequired: { autoFulfill: false } }),
    },
  );
}

/** The shared scenarios speak the v1 client's callTool(params, schema, options); the v2 one takes (params, options). */
function scenarioClient(client: Client, script: SamplingScript): V1Client {
  client.setRequestHandler('sampling/createMessage', async (request, ctx) => {
    // v1 and v2 describe the same wire shapes with distinct types.
    const params = request.params as never;
    script.requests.push(params);
    script.signals.push(ctx.mcpReq.signal);
    return (await script.answer(params, ctx.mcpReq.signal)) as never;
  });
  return { callTool: (params: never, _schema: unknown, options: never) => client.callTool(params, options) } as unknown as V1Client;
}

for (const era of ['2025', '2026-07-28'] as const) {
  test(`stdio, ${era} era: the poet scenario and a tool round trip through the client's model`, async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'serve', file, '--log-level', 'info'],
      env: cleanEnv(),
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const client = newClient(era);
    const script = new SamplingScript();
    const scenarios = scenarioClient(client, script);
    await client.connect(transport);
    try {
      await poetScenario(scenarios, script);
      await toolRoundTripScenario(scenarios, script);
      // 2025: one call each. 2026-07-28: the run stops at each model call and resumes with the client's answer.
      const calls = () => [...stderr.matchAll(/call tool=(poet|helper) .*status=(\w+)/g)].map((m) => `${m[1]} ${m[2]}`);
      await waitFor(() => calls().at(-1) === 'helper ok'); // stderr may trail the answer on stdout
      assert.deepEqual(
        calls(),
        era === '2025'
          ? ['poet ok', 'helper ok']
          : ['poet input_required', 'poet ok', 'helper input_required', 'helper input_required', 'helper ok'],
      );
    } finally {
      await client.close();
    }
  });
}

test('http, 2026-07-28: each leg of a round trip on another process sharing the secret', async () => {
  const servers: Running[] = await Promise.all([
    startHttp(['--log-level', 'info', '--state-secret', SECRET], { yaml: SAMPLING_CONFIG }),
    startHttp(['--log-level', 'info'], { yaml: SAMPLING_CONFIG, env: cleanEnv({ AGENT_MCP_STATE_SECRET: SECRET }) }),
  ]);
  try {
    // A load balancer with no affinity: every POST goes to the next replica in turn.
    let next = 0;
    const roundRobin: typeof fetch = (_url, init) => fetch(servers[next++ % servers.length]!.url, init);
    const client = newClient('2026-07-28');
    const script = new SamplingScript();
    const scenarios = scenarioClient(client, script);
    await client.connect(new StreamableHTTPClientTransport(new URL(servers[0]!.url), { fetch: roundRobin }));
    await toolRoundTripScenario(scenarios, script);
    const log = (s: Running) => [...s.stderr().matchAll(/call tool=helper .*status=(\w+)/g)].map((m) => m[1]);
    await waitFor(() => log(servers[0]!).length + log(servers[1]!).length === 3);
    // Three legs: two questions for the client's model, then the answer; they alternate between the replicas.
    assert.equal(log(servers[0]!).length + log(servers[1]!).length, 3);
    assert.ok(log(servers[0]!).length > 0 && log(servers[1]!).length > 0, 'both replicas served a leg');
    assert.deepEqual([...log(servers[0]!), ...log(servers[1]!)].sort(), ['input_required', 'input_required', 'ok']);
    // Neither replica says its secret is its own.
    for (const s of servers) assert.doesNotMatch(s.stderr(), /no --state-secret/);
    await client.close();
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
});

/** The first leg of `poet` in manual mode: the input_required result itself, with its requestState. */
async function firstLeg(client: Client): Promise<InputRequiredResult> {
  const result = (await client.request(
    { method: 'tools/call', params: { name: 'poet', arguments: { theme: 'socks' } } },
    { allowInputRequired: true },
  )) as unknown as InputRequiredResult;
  assert.equal(typeof result.requestState, 'string');
  assert.deepEqual(Object.keys(result.inputRequests ?? {}), ['sample-1']);
  return result;
}

function retry(client: Client, state: string, answer = text('Socks for a fox.')): Promise<CallToolResult> {
  return client.request(
    {
      method: 'tools/call',
      params: { name: 'poet', arguments: { theme: 'socks' }, requestState: state, inputResponses: { 'sample-1': answer } },
    },
    { allowInputRequired: true },
  ) as Promise<CallToolResult>;
}

test('http, 2026-07-28: a forged requestState, or one from another secret, is refused with a clear error', async () => {
  const servers = await Promise.all([
    startHttp(['--state-secret', SECRET], { yaml: SAMPLING_CONFIG }),
    startHttp([], { yaml: SAMPLING_CONFIG }),
  ]);
  try {
    const client = newClient('2026-07-28', { manual: true });
    await client.connect(new StreamableHTTPClientTransport(new URL(servers[0]!.url)));
    const leg = await firstLeg(client);
    const state = leg.requestState!;
    // The genuine retry works.
    assert.deepEqual((await retry(client, state)).content, [{ type: 'text', text: 'Socks for a fox.' }]);
    // A state whose body was changed (another run's body under this one's signature).
    const other = (await firstLeg(client)).requestState!;
    const forged = `${other.split('.').slice(0, 2).join('.')}.${state.split('.')[2]}`;
    await assert.rejects(
      retry(client, forged),
      /requestState: the signature does not match \(changed on the way, or issued by a server with another --state-secret\)/,
    );
    await assert.rejects(retry(client, 'not-a-state'), /requestState: not a state this server issued/);
    await client.close();

    // The same state at a replica without the secret.
    const elsewhere = newClient('2026-07-28', { manual: true });
    await elsewhere.connect(new StreamableHTTPClientTransport(new URL(servers[1]!.url)));
    await assert.rejects(retry(elsewhere, state), /requestState: the signature does not match/);
    await elsewhere.close();
    assert.match(servers[1]!.stderr(), /agent-mcp notice: no --state-secret: a 2026-07-28 client answering a sampling round trip/);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
});

test('2026-07-28: a requestState past its time is refused (the clock is the server’s, injected)', async () => {
  let now = Date.parse('2026-07-28T12:00:00Z');
  const log = new Logger({ level: 'error', format: 'text', write: () => {} });
  const runtime = new Runtime(loadConfigFile(file), { log });
  const states = createStateSealer(SECRET, () => now);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const served = serveStdio(({ era }) => buildServer({ runner: runtime, log, states }, era), { transport: serverSide });
  const client = newClient('2026-07-28', { manual: true });
  await client.connect(clientSide);
  try {
    const leg = await firstLeg(client);
    // poet samples from `sampling` (300 s to answer) within its own timeout (120 s): the state lives 120 s.
    now += 119_000;
    assert.deepEqual((await retry(client, leg.requestState!)).content, [{ type: 'text', text: 'Socks for a fox.' }]);
    const late = await firstLeg(client);
    now += 125_000;
    await assert.rejects(
      retry(client, late.requestState!),
      /^ProtocolError: requestState: expired [56]s ago \(the client must answer within the sampling model's timeout and the tool's\)$/,
    );
  } finally {
    await client.close();
    await served.close();
    await runtime.close();
  }
});

// An agent that calls two sampling agents in one turn: in the 2025 era each asks the client directly; in the
// 2026-07-28 era each question stops the nested run and the one that called it, and the client's SDK answers and
// retries until both have answered (the turn's second call resumes after the first one's answer).
const NESTED = writeConfig(`
models:
  lead: { provider: test, responses: [{ toolCalls: [{ name: verse, input: { theme: socks } }, { name: verse, input: { theme: wool } }] }, all verses in] }
  shelf: { provider: test, responses: [{ toolCalls: [{ name: anthology, input: {} }] }, shelf full] }
tools:
  verse:
    prompt: a verse about {{theme}}
    input: { theme: { type: string } }
    model: sampling
  anthology:
    prompt: gather verses
    model: lead
    tools: [verse]
  library:
    prompt: fill a shelf
    model: shelf
    tools: [anthology]
`);

for (const era of ['2025', '2026-07-28'] as const) {
  test(`${era} era: agents called by an agent sample from the client, one after the other in a turn`, async () => {
    const lines: string[] = [];
    const log = new Logger({ level: 'info', format: 'text', write: (line) => lines.push(line) });
    const runtime = new Runtime(loadConfigFile(NESTED), { log });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const served = serveStdio(({ era: served }) => buildServer({ runner: runtime, log }, served), { transport: serverSide });
    const client = newClient(era);
    const asked: string[] = [];
    client.setRequestHandler('sampling/createMessage', async (request) => {
      const said = JSON.stringify(request.params.messages);
      asked.push(/verse about (\w+)/.exec(said)?.[1] ?? said);
      return { role: 'assistant', content: { type: 'text', text: `a verse on ${asked.at(-1)}` }, model: 'client-model' };
    });
    await client.connect(clientSide);
    try {
      const result = (await client.callTool({ name: 'anthology', arguments: {} })) as CallToolResult;
      assert.deepEqual(result.content, [{ type: 'text', text: 'all verses in' }]);
      assert.deepEqual(asked, ['socks', 'wool']);
      const calls = lines.filter((l) => / call tool=/.test(l)).map((l) => /tool=(\w+) .*status=(\w+)/.exec(l)!.slice(1).join(' '));
      assert.deepEqual(
        calls,
        era === '2025'
          ? ['verse ok', 'verse ok', 'anthology ok']
          : // each leg: the nested run stops (and its caller with it), then on the retry both resume
            ['verse input_required', 'anthology input_required', 'verse ok', 'verse input_required', 'anthology input_required'].concat([
              'verse ok',
              'anthology ok',
            ]),
      );
      // Three deep: the question of an agent called by an agent called by the client.
      lines.length = 0;
      asked.length = 0;
      const deep = (await client.callTool({ name: 'library', arguments: {} })) as CallToolResult;
      assert.deepEqual(deep.content, [{ type: 'text', text: 'shelf full' }]);
      assert.deepEqual(asked, ['socks', 'wool']);
      assert.ok(lines.some((l) => /call tool=library .*status=ok/.test(l)));
    } finally {
      await client.close();
      await served.close();
      await runtime.close();
    }
  });
}
