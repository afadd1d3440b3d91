// Bundle the CLI: one ESM entry plus lazily loaded chunks (commands, provider adapters and their SDKs).
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// Built aside, then renamed into place file by file (chunks carry content hashes), so a running
// agent-mcp never sees a half-written file.
const next = `dist/.next-${process.pid}`;
await build({
  entryPoints: { cli: 'src/main.ts' },
  outdir: next,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  minify: true,
  keepNames: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: { AGENT_MCP_VERSION: JSON.stringify(pkg.version) },
  // Some bundled CommonJS (ajv, the SDKs' helpers) calls require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __agentMcpRequire } from 'node:module'; const require = __agentMcpRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
});

for (const dir of ['', 'chunks']) {
  mkdirSync(`dist/${dir}`, { recursive: true });
  for (const name of readdirSync(`${next}/${dir}`, { withFileTypes: true })) {
    if (name.isFile()) renameSync(`${next}/${dir}/${name.name}`, `dist/${dir}/${name.name}`);
  }
}
rmSync(next, { recursive: true, force: true });
