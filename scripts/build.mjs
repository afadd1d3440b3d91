// Build dist/: the CLI as one CommonJS bundle (loaded by bin/agent-mcp.js with a V8 code cache), the two
// provider SDKs, the Redis client and the Redis job queue as bundles of their own (required only when a config or
// flag uses them), then the code cache itself.
import { build } from 'esbuild';
import { zodEnglishOnly } from './esbuild-plugins.mjs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const VENDOR = {
  openai: 'vendor/openai.cjs',
  '@anthropic-ai/sdk': 'vendor/anthropic.cjs',
  ioredis: 'vendor/ioredis.cjs',
  bullmq: 'vendor/bullmq.cjs',
  '@modelcontextprotocol/client': 'vendor/mcp-client.cjs',
  '@modelcontextprotocol/client/stdio': 'vendor/mcp-client.cjs',
};

// Built aside, then renamed into place file by file, so a running agent-mcp never sees a half-written file.
const next = `dist/.next-${process.pid}`;
// A build that fails (esbuild, the ASCII check) must not leave its half-built folder in dist/ either.
process.on('exit', () => rmSync(next, { recursive: true, force: true }));
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  // bin/agent-mcp.js reads the bundle as latin1 (a third of the time of decoding UTF-8): it must be ASCII.
  charset: 'ascii',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: {
    'vendor/openai': 'scripts/vendor/openai.cjs',
    'vendor/anthropic': 'scripts/vendor/anthropic.cjs',
    'vendor/ioredis': 'scripts/vendor/ioredis.cjs',
    'vendor/mcp-client': 'scripts/vendor/mcp-client.cjs',
  },
  outdir: next,
  outExtension: { '.js': '.cjs' },
});

// BullMQ on its own: it uses the ioredis of dist/vendor/ioredis.cjs (one copy, one set of connection options), and
// leaves out what agent-mcp never uses: msgpackr's optional native extension (msgpackr falls back to plain JS),
// BullMQ's PostgreSQL back end (a third of the bundle) and the client libraries of its other back ends (PostgreSQL,
// Valkey GLIDE, node-redis, OpenTelemetry), which it only requires when asked for them.
await build({
  ...common,
  entryPoints: { 'vendor/bullmq': 'scripts/vendor/bullmq.cjs' },
  outdir: next,
  outExtension: { '.js': '.cjs' },
  plugins: [
    {
      name: 'bullmq-deps',
      setup(b) {
        b.onResolve({ filter: /^ioredis$/ }, () => ({ path: './ioredis.cjs', external: true }));
        b.onResolve({ filter: /^(pg|@valkey\/valkey-glide|redis|bullmq-otel)$/ }, (args) => ({ path: args.path, external: true }));
        b.onResolve({ filter: /^msgpackr-extract$/ }, () => ({ path: 'msgpackr-extract', namespace: 'left-out' }));
        b.onResolve({ filter: /^\.\/postgres$/ }, (args) =>
          /bullmq[\\/]dist[\\/]cjs$/.test(args.resolveDir) ? { path: 'bullmq-postgres', namespace: 'left-out' } : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
          // msgpackr takes a missing extension as "none"; BullMQ's index re-exports the PostgreSQL part, here nothing.
          contents: args.path === 'msgpackr-extract' ? 'module.exports = undefined;' : 'module.exports = {};',
          loader: 'js',
        }));
      },
    },
  ],
});

await build({
  ...common,
  entryPoints: { cli: 'src/main.ts' },
  outdir: next,
  outExtension: { '.js': '.cjs' },
  sourcemap: 'linked',
  define: { AGENT_MCP_VERSION: JSON.stringify(pkg.version) },
  plugins: [
    {
      // The provider SDKs, ioredis, BullMQ and the MCP client stay out of the CLI bundle: required from dist/vendor/
      // the first time an adapter loads, a Redis store or task queue opens, or a downstream server starts (or
      // `call`/`test` connect).
      name: 'vendor-sdks',
      setup(b) {
        b.onResolve({ filter: /^(openai|@anthropic-ai\/sdk|ioredis|bullmq|@modelcontextprotocol\/client(\/stdio)?)$/ }, (args) => ({
          path: `./${VENDOR[args.path]}`,
          external: true,
        }));
      },
    },
    {
      // commander requires node:child_process at load for executable subcommands, which agent-mcp has none of:
      // load it on first use instead (it pulls in net, dgram and more: milliseconds of every start).
      name: 'commander-lazy-child-process',
      setup(b) {
        b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
          const source = readFileSync(args.path, 'utf8');
          const eager = "const childProcess = require('node:child_process');";
          if (!source.includes(eager)) throw new Error(`commander changed: "${eager}" not found in ${args.path}`);
          const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
          return { contents: source.replace(eager, lazy), loader: 'js' };
        });
      },
    },
    {
      // The SDK's Node shims bring its own bundled ajv (154 KB) for the one validator it may need; ours serves
      // instead (src/server/sdk-shims.ts), so every start parses one ajv, not two.
      name: 'mcp-sdk-shims',
      setup(b) {
        b.onResolve({ filter: /^@modelcontextprotocol\/server\/_shims$/ }, () => ({
          path: fileURLToPath(new URL('../src/server/sdk-shims.ts', import.meta.url)),
        }));
      },
    },
    zodEnglishOnly,
    {
      // jsonc-parser's "main" is a UMD build whose inner require() calls esbuild cannot follow: bundle its ES modules.
      name: 'jsonc-parser-esm',
      setup(b) {
        b.onResolve({ filter: /^jsonc-parser$/ }, () => ({
          path: fileURLToPath(new URL('../node_modules/jsonc-parser/lib/esm/main.js', import.meta.url)),
        }));
      },
    },
  ],
});

if (readFileSync(`${next}/cli.cjs`).some((byte) => byte > 0x7f)) throw new Error('dist/cli.cjs is not ASCII (bin reads it as latin1)');
rmSync('dist/chunks', { recursive: true, force: true }); // leftovers of the earlier ESM layout
for (const dir of ['', 'vendor']) {
  mkdirSync(`dist/${dir}`, { recursive: true });
  for (const entry of readdirSync(`${next}/${dir}`, { withFileTypes: true })) {
    if (entry.isFile()) renameSync(`${next}/${dir}/${entry.name}`, `dist/${dir}/${entry.name}`);
  }
}
rmSync(next, { recursive: true, force: true });
for (const stale of ['dist/cli.js', 'dist/cli.js.map', 'dist/cli.cjs.cache']) rmSync(stale, { force: true });

// Warm the code cache on the path that matters most: `serve` answering initialize, tools/list and a call.
await new Promise((resolve, reject) => {
  const child = spawn(process.execPath, ['bin/agent-mcp.js', 'serve', 'agents.yaml', '--log-level', 'error'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    // No NODE_OPTIONS: the cache is for a plain `agent-mcp` run (V8 rejects a cache made under other flags).
    env: { ...process.env, NODE_OPTIONS: '', AGENT_MCP_CODE_CACHE: 'write', ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' },
  });
  const send = (msg) => child.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...msg }) + '\n');
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    if (out.includes('"id":3')) child.stdin.end();
  });
  child.once('error', reject);
  child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`code cache warm-up exited ${code}`))));
  send({
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'build', version: '1' } },
  });
  send({ method: 'notifications/initialized' });
  send({ id: 2, method: 'tools/list' });
  send({ id: 3, method: 'tools/call', params: { name: 'poet', arguments: { theme: 'socks' } } });
});
if (!statSync('dist/cli.cjs.cache', { throwIfNoEntry: false })) throw new Error('the code cache was not written');
