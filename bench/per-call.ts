// Per-call overhead: sequential tools/call over stdio, every call answered at once by a fake OpenAI server;
// agent-mcp (openai provider) against a bare SDK v2 server calling the openai SDK directly, in each protocol era
// (the SDK v2 client pinned to 2025 or 2026-07-28). Calls alternate between the two (ABBA) so both see the same
// machine load. One run of CALLS calls each per era. Server CPU per call (from /proc, on Linux) is printed too: on
// a shared machine it is steadier than latency.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { FakeOpenAI } from '../test/fakes/openai-server.ts';
import { writeConfig } from '../test/helpers/cli.ts';
import { fmt, percentile, verdict } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const WARMUP = 20;

interface Server {
  client: Client;
  pid: number | null;
}

type Era = '2025' | '2026-07-28';

async function connect(era: Era, args: string[], env: Record<string, string>): Promise<Server> {
  const client = new Client({ name: 'bench', version: '1' }, { versionNegotiation: { mode: era === '2025' ? 'legacy' : { pin: era } } });
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/API_KEY/.test(k)) base[k] = v;
  const transport = new StdioClientTransport({ command: process.execPath, args, env: { ...base, ...env }, stderr: 'ignore' });
  await client.connect(transport);
  return { client, pid: transport.pid };
}

/** User + system CPU time of a process in ms (Linux /proc; NaN elsewhere). */
function cpuMs(pid: number | null): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
  } catch {
    return NaN;
  }
}

async function timeCall(client: Client, i: number): Promise<number> {
  const started = performance.now();
  const result = await client.callTool({ name: 'poet', arguments: { theme: `socks ${i}` } });
  const ms = performance.now() - started;
  if (result.isError) throw new Error(`call failed: ${JSON.stringify(result.content)}`);
  return ms;
}

export async function run(): Promise<void> {
  for (const era of ['2025', '2026-07-28'] as const) await runEra(era);
}

async function runEra(era: Era): Promise<void> {
  const fake = await new FakeOpenAI().start();
  fake.fallback = { text: 'A sock, a clock, a rock.', usage: { input: 12, output: 8 } };
  const file = writeConfig(`
models:
  gpt: { provider: openai, model: gpt-4.1-mini, baseURL: "${fake.url}" }
tools:
  poet:
    description: Poem generator
    prompt: write a poem about {{theme}}
    input: { theme: { type: string, description: What the poem is about } }
    model: gpt
`);
  const ours = await connect(era, [join(ROOT, 'bin/agent-mcp.js'), 'serve', file], { OPENAI_API_KEY: 'sk-bench-000000' });
  const bare = await connect(era, [join(ROOT, 'bench/baseline/bare-v2-openai-server.mjs')], {
    BASE_URL: fake.url,
    OPENAI_API_KEY: 'sk-bench-000000',
  });
  try {
    for (let i = 0; i < WARMUP; i++) {
      await timeCall(ours.client, i);
      await timeCall(bare.client, i);
    }
    const a: number[] = [];
    const b: number[] = [];
    const cpu0 = [cpuMs(ours.pid), cpuMs(bare.pid)];
    for (let i = 0; i < CALLS; i++) {
      // ABBA: neither server always goes first.
      if (i % 2) {
        a.push(await timeCall(ours.client, i));
        b.push(await timeCall(bare.client, i));
      } else {
        b.push(await timeCall(bare.client, i));
        a.push(await timeCall(ours.client, i));
      }
    }
    const cpu = [(cpuMs(ours.pid) - cpu0[0]!) / CALLS, (cpuMs(bare.pid) - cpu0[1]!) / CALLS];
    const ratio = percentile(a, 50) / percentile(b, 50);
    const us = (ms: number) => (Number.isNaN(ms) ? 'n/a' : `${Math.round(ms * 1000)} us`);
    console.log(`[${era}] calls: ${CALLS} each (after ${WARMUP} warm-up calls), alternating, fake OpenAI answering at once`);
    console.log(
      `[${era}] agent-mcp (openai provider)    p50 ${fmt(percentile(a, 50))}  p99 ${fmt(percentile(a, 99))}  server CPU/call ${us(cpu[0]!)}`,
    );
    console.log(
      `[${era}] bare SDK v2 + openai SDK       p50 ${fmt(percentile(b, 50))}  p99 ${fmt(percentile(b, 99))}  server CPU/call ${us(cpu[1]!)}`,
    );
    console.log(`[${era}] ${verdict('per-call', `${era} p50 ratio`, ratio, '<=', 1.05, 3)}`);
    const cpuRatio = cpu[0]! / cpu[1]!;
    if (!Number.isNaN(cpuRatio))
      console.log(`[${era}] server CPU per call ratio ${cpuRatio.toFixed(3)} (${us(cpu[0]! - cpu[1]!)} a call more)`);
  } finally {
    await ours.client.close();
    await bare.client.close();
    await fake.stop();
  }
}
