// The local agent tools as a Toolset, and the Runtime that builds the toolsets for each config: list, select,
// call (usage added to the caller's), unknown tools, resolution through the toolsets, reload and close. In-process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Deadlines } from '../../src/agent/deadlines.ts';
import { LocalAgents } from '../../src/agent/local-agents.ts';
import { ProgressReporter } from '../../src/agent/progress.ts';
import type { RunContext } from '../../src/agent/run.ts';
import { Runtime } from '../../src/agent/runtime.ts';
import type { Toolset, ToolsetResult, ToolsetTool } from '../../src/agent/toolset.ts';
import { loadConfigText } from '../../src/config/load.ts';
import { Logger } from '../../src/log.ts';
import { ProviderRegistry } from '../../src/providers/registry.ts';

const lines: string[] = [];
const log = new Logger({ level: 'info', format: 'text', write: (line) => void lines.push(line) });
const ctx = (): RunContext => ({ signal: new AbortController().signal, log, progress: new ProgressReporter(undefined), depth: 0 });

const YAML = `
models:
  caller: { provider: test, responses: [{ toolCalls: [{ name: critic, input: { text: socks } }] }, done] }
tools:
  critic:
    description: Reviews a text
    prompt: review {{text}}
    input: { text: { type: string } }
    model: test
  poet:
    title: Poet
    prompt: write
    model: caller
    tools: [critic]
`;
const config = () => loadConfigText('/tmp/agents.yaml', YAML, { env: {} });
const CRITIC_SCHEMA = { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] };

/** A toolset that offers `critic` itself and answers with fixed content and usage (or none). */
function fakeCritic(text: string, usage?: { inputTokens: number; outputTokens: number }): Toolset & { calls: unknown[] } {
  const tool: ToolsetTool = { name: 'critic', description: 'fake', inputSchema: CRITIC_SCHEMA };
  const calls: unknown[] = [];
  return {
    id: 'fake',
    calls,
    list: async () => [tool],
    select: async (entry) => (entry === 'critic' ? [tool] : []),
    call: async (name, args, c): Promise<ToolsetResult> => {
      calls.push({ name, args, depth: c.depth });
      return { content: [{ type: 'text', text }], isError: false, ...(usage && { usage }) };
    },
  };
}

function agentsWith(toolsets: Toolset[]) {
  const all: Toolset[] = [];
  const agents = new LocalAgents(config(), { registry: new ProviderRegistry(), deadlines: new Deadlines(), toolsets: all });
  all.push(...toolsets.map((t) => (t === PLACEHOLDER ? agents : t)));
  return agents;
}
const PLACEHOLDER = {} as Toolset;

test('list and select describe the agents as the model sees them', async () => {
  const agents = agentsWith([PLACEHOLDER]);
  assert.deepEqual(await agents.list(), [
    { name: 'critic', description: 'Reviews a text', inputSchema: CRITIC_SCHEMA },
    // No description: the title stands in.
    { name: 'poet', description: 'Poet', inputSchema: { type: 'object', properties: {}, required: [] } },
  ]);
  assert.deepEqual(await agents.select('critic'), [{ name: 'critic', description: 'Reviews a text', inputSchema: CRITIC_SCHEMA }]);
  assert.deepEqual(await agents.select('nope'), []);
  assert.deepEqual(await agents.select('agents'), []); // the toolset's id names no tool: all agents at once would include the caller
});

test('call: the agent answers as content parts with its usage; unknown tools and bad arguments are errors', async () => {
  const agents = agentsWith([PLACEHOLDER]);
  const outcome = await agents.run('critic', { text: 'socks' }, ctx());
  const result = await agents.call('critic', { text: 'socks' }, ctx());
  assert.deepEqual(result, {
    content: [{ type: 'text', text: 'test model received: review socks' }],
    isError: false,
    usage: outcome.usage,
  });
  assert.ok(outcome.usage.inputTokens > 0 && outcome.usage.outputTokens > 0);
  assert.deepEqual(await agents.call('ghost', {}, ctx()), {
    content: [{ type: 'text', text: 'unknown tool "ghost"' }],
    isError: true,
    usage: { inputTokens: 0, outputTokens: 0 },
  });
  assert.deepEqual(await agents.call('critic', { text: 3 }, ctx()), {
    content: [{ type: 'text', text: 'Invalid arguments for tool critic: text: must be string' }],
    isError: true,
    usage: { inputTokens: 0, outputTokens: 0 },
  });
});

test("a nested call's usage is added to the caller's, exactly", async () => {
  // The critic's own usage for the call the poet's model makes.
  const direct = await agentsWith([PLACEHOLDER]).run('critic', { text: 'socks' }, ctx());
  const criticText = 'test model received: review socks';
  // The poet with a toolset that answers the same text and reports no usage: the poet's own tokens only.
  const own = await agentsWith([fakeCritic(criticText), PLACEHOLDER]).run('poet', {}, ctx());
  // The poet calling the real critic (the local agents answer `critic`).
  const nested = await agentsWith([PLACEHOLDER]).run('poet', {}, ctx());
  assert.equal(nested.text, 'done');
  assert.equal(nested.isError, false);
  assert.deepEqual(nested.usage, {
    inputTokens: own.usage.inputTokens + direct.usage.inputTokens,
    outputTokens: own.usage.outputTokens + direct.usage.outputTokens,
  });
  // And a toolset's reported usage is added the same way.
  const paid = await agentsWith([fakeCritic(criticText, { inputTokens: 1000, outputTokens: 500 }), PLACEHOLDER]).run('poet', {}, ctx());
  assert.deepEqual(paid.usage, { inputTokens: own.usage.inputTokens + 1000, outputTokens: own.usage.outputTokens + 500 });
});

test('a tools: entry resolves through the toolsets in order: the first that knows it answers, one level deeper', async () => {
  const fake = fakeCritic('fine');
  const outcome = await agentsWith([fake, PLACEHOLDER]).run('poet', {}, ctx());
  assert.equal(outcome.text, 'done');
  assert.deepEqual(fake.calls, [{ name: 'critic', args: { text: 'socks' }, depth: 1 }]);
  // No toolset knows the entry: the run says so instead of hiding the tool from the model.
  assert.deepEqual(await agentsWith([]).run('poet', {}, ctx()), {
    text: 'tools: no toolset offers "critic"',
    isError: true,
    structured: undefined,
    model: 'caller',
    steps: 0,
    usage: { inputTokens: 0, outputTokens: 0 },
  });
});

test('Runtime: calls run on the config in force, a reload swaps it and tells subscribers, close() closes every toolset built', async () => {
  const closed: string[] = [];
  let built = 0;
  const runtime = new Runtime(config(), {
    log,
    toolsets: () => {
      const id = `extra${++built}`;
      return [
        {
          id,
          list: async () => [],
          select: async () => [],
          call: async () => assert.fail('not called'),
          close: async () => void closed.push(id),
        },
      ];
    },
  });
  const first = runtime.loaded;
  assert.deepEqual(
    first.toolsets.map((t) => t.id),
    ['agents', 'extra1'],
  );
  assert.equal((await runtime.call('critic', { text: 'socks' }, ctx())).text, 'test model received: review socks');

  const seen: string[][] = [];
  const unsubscribe = runtime.onConfigChange((next, previous) =>
    seen.push([[...previous.tools.keys()].join(), [...next.tools.keys()].join()]),
  );
  runtime.setConfig(loadConfigText('/tmp/agents.yaml', 'tools:\n  haiku: { prompt: seventeen, model: test }\n', { env: {} }));
  assert.deepEqual(seen, [['critic,poet', 'haiku']]);
  assert.deepEqual([...runtime.current.tools.keys()], ['haiku']);
  assert.equal(first.config.tools.has('critic'), true); // whoever holds the old one keeps it
  assert.equal((await runtime.call('critic', { text: 'x' }, ctx())).text, 'unknown tool "critic"');
  unsubscribe();
  runtime.setConfig(config());
  assert.equal(seen.length, 1);

  await runtime.close();
  assert.deepEqual(closed.sort(), ['extra1', 'extra2', 'extra3']);
  await runtime.close();
  assert.equal(closed.length, 3);
});
