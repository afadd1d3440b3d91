// Cold start: spawn a server and time until the answer to its first message arrives, in each protocol era
// (2025: initialize; 2026-07-28: server/discover); agent-mcp (bundled, lazy, code cache) against the naive
// bare SDK v2 server, alternating, median of N runs each.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fmt, median } from './stats.ts';

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
export function timeToAnswer(args: string[], era: Era): Promise<number> {
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
        child.stdin.end();
        child.once('exit', () => resolvePromise(ms));
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
  console.log(`runs: ${RUNS} each per era, alternating; first answer on stdout`);
  for (const era of Object.keys(OPENING) as Era[]) {
    await timeToAnswer(ours, era); // warm the OS file cache for both before measuring
    await timeToAnswer(bare, era);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      a.push(await timeToAnswer(ours, era));
      b.push(await timeToAnswer(bare, era));
    }
    const ratio = median(a) / median(b);
    console.log(
      `[${era}] agent-mcp serve agents.yaml   median ${fmt(median(a))}  (min ${fmt(Math.min(...a))}, max ${fmt(Math.max(...a))})`,
    );
    console.log(
      `[${era}] bare SDK v2 (unbundled)       median ${fmt(median(b))}  (min ${fmt(Math.min(...b))}, max ${fmt(Math.max(...b))})`,
    );
    console.log(`[${era}] ratio ${ratio.toFixed(2)} (target <= ${TARGET}) ${ratio <= TARGET ? 'OK' : 'OVER TARGET'}`);
  }
}
