// mcpServers: (1) cold start of `serve` with five mcpServers declared, against the bare-SDK server in the same
// run (nothing of the MCP client may load at start-up); (2) the overhead of one downstream tool step: an agent
// (test model) whose step calls a tool of a bare-SDK downstream server, against an SDK client calling that tool
// directly. Added latency per step = p50(agent with the step) - p50(agent with an unknown-tool step, same number
// of model turns, nothing downstream) - p50(direct call).
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { writeConfig } from '../test/helpers/cli.ts';
import { timeToAnswer } from './cold-start.ts';
import { fmt, median, percentile, verdict } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const WARMUP = 20;
const DOWNSTREAM = join(ROOT, 'bench/baseline/bare-downstream-server.mjs');
const server = (name: string) => `  ${name}: { command: "${process.execPath}", args: ["${DOWNSTREAM}"] }`;

async function coldStart(): Promise<void> {
  const file = writeConfig(`
defaults: { model: test }
mcpServers:
${['fs', 'github', 'issues', 'search', 'db'].map(server).join('\n')}
tools:
  poet:
    description: Poem generator
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
    tools: [fs, github.lookup]
`);
  const ours = [join(ROOT, 'bin/agent-mcp.js'), 'serve', file];
  const bare = [join(ROOT, 'bench/baseline/bare-v2-stdio-server.mjs')];
  await timeToAnswer(ours, '2025');
  await timeToAnswer(bare, '2025');
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(await timeToAnswer(ours, '2025'));
    b.push(await timeToAnswer(bare, '2025'));
  }
  const ratio = median(a) / median(b);
  console.log(`cold start, runs: ${RUNS} each, alternating`);
  console.log(`agent-mcp serve (5 mcpServers)  median ${fmt(median(a))}  (min ${fmt(Math.min(...a))}, max ${fmt(Math.max(...a))})`);
  console.log(`bare SDK v2 server (unbundled)  median ${fmt(median(b))}  (min ${fmt(Math.min(...b))}, max ${fmt(Math.max(...b))})`);
  console.log(verdict('mcp-servers', 'cold start ratio', ratio, '<=', 0.6));
}

async function connect(args: string[]): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore' }));
  return client;
}

async function timeCall(client: Client, name: string, args: Record<string, unknown>): Promise<number> {
  const started = performance.now();
  const result = await client.callTool({ name, arguments: args });
  const ms = performance.now() - started;
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  return ms;
}

async function stepOverhead(): Promise<void> {
  const file = writeConfig(`
models:
  stepper: { provider: test, responses: [{ toolCalls: [{ name: dict.lookup, input: { word: sock } }] }, done] }
  stray: { provider: test, responses: [{ toolCalls: [{ name: nosuch, input: { word: sock } }] }, done] }
mcpServers:
  dict: { command: "${process.execPath}", args: ["${DOWNSTREAM}"] }
tools:
  with_step: { prompt: go, tools: [dict.lookup], model: stepper }
  without_step: { prompt: go, tools: [dict.lookup], model: stray }
`);
  const ours = await connect([join(ROOT, 'bin/agent-mcp.js'), 'serve', file, '--log-level', 'error']);
  const direct = await connect([DOWNSTREAM]);
  try {
    const run = {
      step: () => timeCall(ours, 'with_step', {}),
      none: () => timeCall(ours, 'without_step', {}),
      direct: () => timeCall(direct, 'lookup', { word: 'sock' }),
    };
    for (let i = 0; i < WARMUP; i++) for (const f of Object.values(run)) await f();
    const t = { step: [] as number[], none: [] as number[], direct: [] as number[] };
    for (let i = 0; i < CALLS; i++) {
      const order = (i % 2 ? ['step', 'none', 'direct'] : ['direct', 'none', 'step']) as (keyof typeof t)[];
      for (const k of order) t[k].push(await run[k]());
    }
    const p = (k: keyof typeof t) => percentile(t[k], 50);
    const added = p('step') - p('none') - p('direct');
    console.log(`downstream step, calls: ${CALLS} each (after ${WARMUP} warm-up), interleaved`);
    console.log(`agent with a downstream step     p50 ${fmt(p('step'))}  p99 ${fmt(percentile(t.step, 99))}`);
    console.log(`agent with an unknown-tool step  p50 ${fmt(p('none'))}  p99 ${fmt(percentile(t.none, 99))}`);
    console.log(`SDK client calling the tool      p50 ${fmt(p('direct'))}  p99 ${fmt(percentile(t.direct, 99))}`);
    console.log(verdict('mcp-servers', 'added per step', added, '<=', 1, 1, ' ms'));
  } finally {
    await ours.close();
    await direct.close();
  }
}

export async function run(): Promise<void> {
  await coldStart();
  await stepOverhead();
}
