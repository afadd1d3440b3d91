// First run as a client does it: pack the package, install it from a fresh npm cache into an empty folder, then the
// first `agent-mcp call`. "before" is the same tarball declaring as runtime dependencies the packages dist/ is built
// from (as the package used to); "after" is the package as it ships, with none.
// The "before" install downloads those dependencies from the npm registry: this benchmark needs the network.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fmt, median, verdict } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const exec = promisify(execFile);
// What would be runtime dependencies if the package declared what it is built from (everything bundled into dist/;
// their versions are the pinned devDependencies).
const FORMER = [
  '@anthropic-ai/sdk',
  '@modelcontextprotocol/client',
  '@modelcontextprotocol/core',
  '@modelcontextprotocol/node',
  '@modelcontextprotocol/server',
  'ajv',
  'ajv-formats',
  'commander',
  'ioredis',
  'jsonc-parser',
  'openai',
  'yaml',
  'zod',
];

function sizeOf(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

async function pack(from: string, to: string): Promise<string> {
  const { stdout } = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', to], { cwd: from });
  return join(to, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
}

/** The shipped tarball, and one that declares the former runtime dependencies. */
async function tarballs(work: string): Promise<{ before: string; after: string }> {
  mkdirSync(join(work, 'after'));
  mkdirSync(join(work, 'before'));
  const after = await pack(ROOT, join(work, 'after'));
  const stage = join(work, 'stage');
  mkdirSync(stage);
  await exec('tar', ['-xzf', after, '-C', stage]);
  const pkgFile = join(stage, 'package', 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  const pinned = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies as Record<string, string>;
  pkg.dependencies = Object.fromEntries(FORMER.map((name) => [name, pinned[name]!]));
  writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
  return { before: await pack(join(stage, 'package'), join(work, 'before')), after };
}

async function firstRun(tarball: string, work: string): Promise<{ installMs: number; bytes: number; callMs: number }> {
  const dir = mkdtempSync(join(work, 'run-'));
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
  writeFileSync(
    join(app, 'agents.yaml'),
    'tools:\n  poet:\n    prompt: write a poem about {{theme}}\n    input: { theme: { type: string } }\n    model: test\n',
  );
  const env = { ...process.env, npm_config_cache: join(dir, 'cache'), npm_config_update_notifier: 'false' };
  let started = performance.now();
  await exec('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: app, env });
  const installMs = performance.now() - started;
  const bytes = sizeOf(join(app, 'node_modules'));
  started = performance.now();
  await exec(process.execPath, [join(app, 'node_modules/agent-mcp/bin/agent-mcp.js'), 'call', 'poet', 'theme=socks'], { cwd: app });
  const callMs = performance.now() - started;
  rmSync(dir, { recursive: true, force: true });
  return { installMs, bytes, callMs };
}

export async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'agent-mcp-first-run-'));
  try {
    const { before, after } = await tarballs(work);
    const results = { before: [] as Awaited<ReturnType<typeof firstRun>>[], after: [] as Awaited<ReturnType<typeof firstRun>>[] };
    for (let i = 0; i < RUNS; i++) {
      results.before.push(await firstRun(before, work));
      results.after.push(await firstRun(after, work));
    }
    const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
    console.log(`runs: ${RUNS} each, alternating, each from a fresh npm cache into an empty folder`);
    for (const [name, rs] of Object.entries(results)) {
      const line = `install median ${fmt(median(rs.map((r) => r.installMs)))}, installed ${mb(median(rs.map((r) => r.bytes)))}, first call median ${fmt(median(rs.map((r) => r.callMs)))}`;
      console.log(`${name === 'before' ? `before (${FORMER.length} runtime deps)` : 'after (no runtime deps)'}: ${line}`);
    }
    const ratio = median(results.after.map((r) => r.installMs)) / median(results.before.map((r) => r.installMs));
    const size = median(results.after.map((r) => r.bytes));
    console.log(
      `${verdict('first-run', 'install time ratio', ratio, '<=', 0.2)}; ${verdict('first-run', 'installed size', size / 1e6, '<=', 10, 1, ' MB')}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
