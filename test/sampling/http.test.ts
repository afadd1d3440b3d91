// Sampling over Streamable HTTP: per session, related to the tool call's POST, cancellable; and `call --url`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { runCli, writeConfig } from '../helpers/cli.ts';
import { connect, disconnect, startHttp } from '../server/http-helpers.ts';
import {
  NO_SAMPLING_ERROR,
  SAMPLING_CONFIG,
  SamplingScript,
  cancelScenario,
  poetScenario,
  resultText,
  structuredScenario,
  timeoutScenario,
  toolRoundTripScenario,
} from './scenarios.ts';

const CALL_MODELS = `
  scripted: { provider: test, responses: ["Socks for a fox."] }
`;

/** A client that samples with tools. A cancelled call's stream ends without an answer; the SDK would then try to
 * resume it for a few seconds after the server is gone, so it does not here. */
async function connectSampler(url: string) {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1, maxReconnectionDelay: 1, reconnectionDelayGrowFactor: 1 },
  });
  const client = new Client({ name: 'sampling-tests', version: '1.0.0' }, { capabilities: { sampling: { tools: {} } } });
  await client.connect(transport);
  return { client, transport };
}

test('sampling over HTTP, checked per session', async (t) => {
  const server = await startHttp([], { yaml: SAMPLING_CONFIG.replace('models:\n', `models:\n${CALL_MODELS}`) });

  // Two sessions on one server at once: one client samples with tools, the other cannot sample at all.
  const sampler = await connectSampler(server.url);
  const plain = await connect(server.url);
  t.after(async () => {
    await Promise.all([disconnect(sampler), disconnect(plain)]);
    await server.stop();
  });
  const script = new SamplingScript();
  script.attach(sampler.client);

  await t.test('the poet scenario', () => poetScenario(sampler.client, script));
  await t.test('a tool round trip through sampling', () => toolRoundTripScenario(sampler.client, script));
  await t.test('structured output through sampling', () => structuredScenario(sampler.client, script));
  await t.test('a client that does not answer in time: cancelled, the chain moves on', () => timeoutScenario(sampler.client, script));
  await t.test('a cancelled call cancels its sampling request', () => cancelScenario(sampler.client, script));

  await t.test('the session without sampling falls back, or gets the error', async () => {
    script.reset();
    const chained = (await plain.client.callTool({ name: 'chained', arguments: { theme: 'socks' } })) as CallToolResult;
    assert.equal(resultText(chained), 'from the backup');
    const alone = (await plain.client.callTool({ name: 'poet', arguments: { theme: 'socks' } })) as CallToolResult;
    assert.equal(alone.isError, true);
    assert.equal(resultText(alone), NO_SAMPLING_ERROR);
    assert.equal(script.requests.length, 0);
  });

  await t.test('call --url answers sampling with --sampling-model: the test model or a model of the file', async () => {
    const byDefault = await runCli(['call', '--url', server.url, 'poet', 'theme=socks', '--sampling-model', 'test']);
    assert.equal(byDefault.stdout, 'test model received: write a poem about socks\n');
    assert.equal(byDefault.code, 0, byDefault.stderr);
    const file = writeConfig(`models:${CALL_MODELS}`);
    const named = await runCli(['call', '--url', server.url, '-c', file, '--sampling-model', 'scripted', 'poet', 'theme=socks']);
    assert.equal(named.stdout, 'Socks for a fox.\n');
    assert.equal(named.code, 0, named.stderr);
  });
});
