// One sampling request per call, answered at once by the client: a 2025-era server-to-client request against a
// 2026-07-28 input_required round trip (the run suspends, its state is sealed into requestState, the client calls
// again and the run resumes). Same server, same tool, the SDK v2 client pinned to each era; ABBA, CALLS each.
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { writeConfig } from '../test/helpers/cli.ts';
import { figure, fmt, percentile } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const WARMUP = 20;
type Era = '2025' | '2026-07-28';

async function connect(era: Era, file: string): Promise<Client> {
  const client = new Client(
    { name: 'bench', version: '1' },
    { capabilities: { sampling: {} }, versionNegotiation: { mode: era === '2025' ? 'legacy' : { pin: era } } },
  );
  client.setRequestHandler('sampling/createMessage', async () => ({
    role: 'assistant',
    model: 'bench-llm',
    content: { type: 'text', text: 'Socks for a fox.' },
  }));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(ROOT, 'bin/agent-mcp.js'), 'serve', file],
    stderr: 'ignore',
  });
  await client.connect(transport);
  return client;
}

async function timeCall(client: Client, i: number): Promise<number> {
  const started = performance.now();
  const result = await client.callTool({ name: 'poet', arguments: { theme: `socks ${i}` } });
  const ms = performance.now() - started;
  if (result.isError) throw new Error(`call failed: ${JSON.stringify(result.content)}`);
  return ms;
}

export async function run(): Promise<void> {
  const file = writeConfig(`
tools:
  poet:
    system: always reply in rhyme
    prompt: write a poem about {{theme}}
    input: { theme: { type: string } }
    model: sampling
`);
  const legacy = await connect('2025', file);
  const modern = await connect('2026-07-28', file);
  try {
    for (let i = 0; i < WARMUP; i++) {
      await timeCall(legacy, i);
      await timeCall(modern, i);
    }
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      if (i % 2) {
        a.push(await timeCall(legacy, i));
        b.push(await timeCall(modern, i));
      } else {
        b.push(await timeCall(modern, i));
        a.push(await timeCall(legacy, i));
      }
    }
    const state = (await modern.request(
      { method: 'tools/call', params: { name: 'poet', arguments: { theme: 'socks' } } },
      { allowInputRequired: true },
    )) as { requestState?: string };
    console.log(`calls: ${CALLS} each (after ${WARMUP} warm-up calls), alternating; the client answers sampling at once`);
    console.log(`2025: createMessage request to the client    p50 ${fmt(percentile(a, 50))}  p99 ${fmt(percentile(a, 99))}`);
    console.log(`2026-07-28: input_required round trip         p50 ${fmt(percentile(b, 50))}  p99 ${fmt(percentile(b, 99))}`);
    console.log(
      figure(
        'sampling',
        'a modern-era round trip against a 2025-era request, p50:',
        `+${fmt(percentile(b, 50) - percentile(a, 50))} (x${(percentile(b, 50) / percentile(a, 50)).toFixed(2)}); requestState ${state.requestState?.length} bytes`,
      ),
    );
  } finally {
    await legacy.close();
    await modern.close();
  }
}
