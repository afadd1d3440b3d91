// The floor of the cold-start ratio: the same bare SDK v2 server, bundled and started from a V8 code cache exactly as
// agent-mcp is (one CommonJS file, zod's English messages only, bin/agent-mcp.js's way of loading it). What agent-mcp
// costs beyond this is its own work: the CLI, reading and checking agents.yaml, building its server.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { zodEnglishOnly } from '../../scripts/esbuild-plugins.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, '.tmp/bench-bare-bundled');

// bin/agent-mcp.js, reduced to what it does on every start: read the bundle and its code cache, run it.
const LAUNCHER = `'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const vm = require('node:vm');
const file = require('node:path').join(__dirname, 'server.cjs');
let cachedData;
try { cachedData = readFileSync(file + '.cache'); } catch {}
const script = new vm.Script(Module.wrap(readFileSync(file, 'latin1')), { filename: file, cachedData });
if (!cachedData || script.cachedDataRejected) process.once('exit', () => writeFileSync(file + '.cache', script.createCachedData()));
const m = { exports: {} };
script.runInThisContext()(m.exports, Module.createRequire(file), m, file, __dirname);
`;

/** Build the bundled bare server; returns the arguments that start it (its code cache is written by its first run). */
export async function bundledBareServer(): Promise<string[]> {
  mkdirSync(OUT, { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'bench/baseline/bare-v2-stdio-server.mjs')],
    outfile: join(OUT, 'server.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: true,
    charset: 'ascii',
    logLevel: 'error',
    plugins: [zodEnglishOnly], // as scripts/build.mjs does for agent-mcp
  });
  writeFileSync(join(OUT, 'launch.cjs'), LAUNCHER);
  return [join(OUT, 'launch.cjs')];
}
