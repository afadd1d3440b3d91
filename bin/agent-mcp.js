#!/usr/bin/env node
// Runs the bundled CLI (dist/cli.cjs) from V8's code cache: start-up without parsing and compiling 1.5 MB of
// JavaScript each time (Node 20 has no module compile cache of its own). The cache is made at build time;
// when it is missing or made by another Node version, it is remade on exit. AGENT_MCP_CODE_CACHE=off skips it.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const file = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
const cacheFile = `${file}.cache`;
const mode = process.env.AGENT_MCP_CODE_CACHE;
let cachedData;
if (mode !== 'off' && mode !== 'write') {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {}
}
const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
if (mode !== 'off' && (!cachedData || script.cachedDataRejected)) {
  process.once('exit', () => {
    try {
      const tmp = `${cacheFile}.${process.pid}`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {} // a read-only install simply runs without the cache
  });
}
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, fileURLToPath(new URL('../dist', import.meta.url)));
