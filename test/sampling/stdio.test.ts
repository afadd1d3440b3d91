// Sampling over stdio: the built CLI's server asks the connected SDK Client to run the model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectStdio, writeConfig } from '../helpers/cli.ts';
import {
  NO_SAMPLING_ERROR,
  SAMPLING_CONFIG,
  SamplingScript,
  cancelScenario,
  poetScenario,
  resultText,
  structuredScenario,
  text,
  timeoutScenario,
  toolRoundTripScenario,
} from './scenarios.ts';

const file = writeConfig(SAMPLING_CONFIG);

async function connect(capabilities: Record<string, unknown>) {
  const connected = await connectStdio(file, { capabilities: { capabilities } });
  const script = new SamplingScript();
  if ('sampling' in capabilities) script.attach(connected.client);
  return { ...connected, script };
}

test('a client with sampling and tools', async (t) => {
  const { client, script, close } = await connect({ sampling: { tools: {} } });
  t.after(close);
  await t.test('the poet scenario', () => poetScenario(client, script));
  await t.test('a tool round trip through sampling', () => toolRoundTripScenario(client, script));
  await t.test('structured output through sampling', () => structuredScenario(client, script));
  await t.test('a client that does not answer in time: cancelled, the chain moves on', () => timeoutScenario(client, script));
  await t.test('a cancelled call cancels its sampling request', () => cancelScenario(client, script));
});

test('a client without sampling: the chain falls back; alone, a clear error', async (t) => {
  const { client, close } = await connect({});
  t.after(close);
  const chained = (await client.callTool({ name: 'chained', arguments: { theme: 'socks' } })) as CallToolResult;
  assert.equal(resultText(chained), 'from the backup');
  assert.equal((chained._meta!['agent-mcp'] as { model: string }).model, 'backup');
  const alone = (await client.callTool({ name: 'poet', arguments: { theme: 'socks' } })) as CallToolResult;
  assert.equal(alone.isError, true);
  assert.equal(resultText(alone), NO_SAMPLING_ERROR);
});

test('a client with sampling but not tools: an agent with tools falls back, unless toolsOptional', async (t) => {
  const { client, script, close } = await connect({ sampling: {} });
  t.after(close);
  script.reset(async () => text('Socks for a fox.'));
  const fallback = (await client.callTool({ name: 'helper', arguments: { theme: 'foxes' } })) as CallToolResult;
  assert.equal(resultText(fallback), 'from the backup');
  assert.equal(script.requests.length, 0);

  const optional = (await client.callTool({ name: 'helper-optional', arguments: { theme: 'foxes' } })) as CallToolResult;
  assert.equal(resultText(optional), 'Socks for a fox.');
  assert.equal((optional._meta!['agent-mcp'] as { model: string }).model, 'optional');
  assert.equal(script.requests.length, 1);
  assert.equal(script.requests[0]!.tools, undefined);
  assert.equal(script.requests[0]!.toolChoice, undefined);

  // Without tools in the way, the plain scenario works on such a client too.
  await poetScenario(client, script);
});
