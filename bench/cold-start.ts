// Cold start: spawn a server and time until the answer to its first message arrives, in each protocol era
// (2025: initialize; 2026-07-28: server/discover); agent-mcp (bundled, lazy, code cache) against the naive
// bare SDK v2 server, alternating, median of N runs each. The CPU the server used up to its answer (all its
// threads, Linux) is printed too: on a shared machine it is far steadier than the wall clock.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { bundledBareServer } from './baseline/bundle-bare.ts';
import { figure, fmt, median, processCpuMs, verdict } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const TARGET = 0.6;

const OPENING = {
  '2025': {
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
  },
  '2026-07-28': {
    id: 0,
    method: 'server/discover',
    params: {
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    },
  },
} as const;
type Era = keyof typeof OPENING;

/** Spawn a stdio server, send the era's opening request, and time the answer; a server that dies first fails the run. */
export async function timeToAnswer(args: string[], era: Era): Promise<number> {
  return (await measureAnswer(args, era)).ms;
}

/** Wall-clock time to the answer, and the CPU time the server had used by then. */
export function measureAnswer(args: string[], era: Era): Promise<{ ms: number; cpuMs: number }> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { ...process.env, ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (out.includes('"id":0')) {
        const ms = performance.now() - started;
        const cpuMs = processCpuMs(child.pid);
        child.stdin.end();
        child.once('exit', () => resolvePromise({ ms, cpuMs }));
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!out.includes('"id":0')) reject(new Error(`${args.join(' ')} exited (${code}) before answering`));
    });
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...OPENING[era] })}\n`);
  });
}

export async function run(): Promise<void> {
  const ours = [join(ROOT, 'bin/agent-mcp.js'), 'serve', join(ROOT, 'agents.yaml')];
  const bare = [join(ROOT, 'bench/baseline/bare-v2-stdio-server.mjs')];
  const floor = await bundledBareServer();
  console.log(`runs: ${RUNS} each per era, alternating; first answer on stdout`);
  for (const era of Object.keys(OPENING) as Era[]) {
    // warm the OS file cache before measuring (and write the bundled bare server's code cache)
    for (const args of [ours, bare, floor]) await timeToAnswer(args, era);
    const a: Array<{ ms: number; cpuMs: number }> = [];
    const b: Array<{ ms: number; cpuMs: number }> = [];
    const f: Array<{ ms: number; cpuMs: number }> = [];
    for (let i = 0; i < RUNS; i++) {
      a.push(await measureAnswer(ours, era));
      b.push(await measureAnswer(bare, era));
      f.push(await measureAnswer(floor, era));
    }
    const line = (name: string, runs: typeof a) => {
      const ms = runs.map((r) => r.ms);
      return `[${era}] ${name.padEnd(30)} median ${fmt(median(ms))}  (min ${fmt(Math.min(...ms))}, max ${fmt(Math.max(...ms))})  CPU to the answer ${fmt(median(runs.map((r) => r.cpuMs)))}`;
    };
    console.log(line('agent-mcp serve agents.yaml', a));
    console.log(line('bare SDK v2 (unbundled)', b));
    console.log(line('bare SDK v2, bundled + cached', f));
    const ratio = median(a.map((r) => r.ms)) / median(b.map((r) => r.ms));
    // No target: the floor any server on this SDK reaches when started the way agent-mcp is.
    const floorRatio = median(f.map((r) => r.ms)) / median(b.map((r) => r.ms));
    console.log(`[${era}] ${figure('cold-start', `${era} floor (bundled bare / bare)`, floorRatio.toFixed(2))}`);
    const own = median(a.map((r) => r.ms)) - median(f.map((r) => r.ms));
    console.log(`[${era}] ${figure('cold-start', `${era} agent-mcp's own start-up`, `${own.toFixed(1)} ms`)}`);
    const cpuRatio = median(a.map((r) => r.cpuMs)) / median(b.map((r) => r.cpuMs));
    console.log(`[${era}] ${verdict('cold-start', `${era} wall ratio`, ratio, '<=', TARGET)}`);
    if (!Number.isNaN(cpuRatio)) console.log(`[${era}] ${verdict('cold-start', `${era} CPU ratio`, cpuRatio, '<=', TARGET)}`);
  }
}
