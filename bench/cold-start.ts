// Cold start: spawn a server and time until its initialize result arrives; agent-mcp (bundled, lazy) against
// the naive bare-SDK server, alternating, median of N runs each.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fmt, median } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const INIT =
  JSON.stringify({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
  }) + '\n';

function timeToInitialize(args: string[]): Promise<number> {
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
    child.stdin.write(INIT);
  });
}

export async function run(): Promise<void> {
  const ours = [join(ROOT, 'bin/agent-mcp.js'), 'serve', join(ROOT, 'agents.yaml')];
  const bare = [join(ROOT, 'bench/baseline/bare-stdio-server.mjs')];
  await timeToInitialize(ours); // warm the OS file cache for both before measuring
  await timeToInitialize(bare);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(await timeToInitialize(ours));
    b.push(await timeToInitialize(bare));
  }
  const ratio = median(a) / median(b);
  console.log(`runs: ${RUNS} each, alternating`);
  console.log(`agent-mcp serve agents.yaml   median ${fmt(median(a))}  (min ${fmt(Math.min(...a))}, max ${fmt(Math.max(...a))})`);
  console.log(`bare SDK server (unbundled)   median ${fmt(median(b))}  (min ${fmt(Math.min(...b))}, max ${fmt(Math.max(...b))})`);
  console.log(`ratio ${ratio.toFixed(2)} (target <= 0.70) ${ratio <= 0.7 ? 'OK' : 'OVER TARGET'}`);
}
